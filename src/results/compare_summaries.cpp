#include <algorithm>
#include <map>
#include <set>

#include "compare_parts.hpp"
#include "subnetsim/core/json_text.hpp"
#include "subnetsim/results/number_text.hpp"
#include "subnetsim/results/summary_values.hpp"

namespace subnetsim::results::detail {

namespace {

// Fields that describe where, when and how fast a run ran rather than what it computed.
bool run_environment(const std::string& component) {
  static const std::set<std::string> kNames = {
      "wall_time_s", "tool",      "files",    "threads",   "host",   "hostname",  "pid", "timestamp",
      "started",     "finished",  "directory", "output_dir", "path", "peak_memory_mb", "peak_rss_mb"};
  auto ends_with = [&](const std::string& suffix) {
    return component.size() > suffix.size() &&
           component.compare(component.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return kNames.count(component) > 0 || ends_with("_at") || ends_with("_path") || ends_with("_dir") ||
         ends_with("_time_s") || ends_with("_per_s");
}

std::map<std::string, double> compared_leaves(const nlohmann::json& summary) {
  std::map<std::string, double> out;
  for (auto& [path, value] : summary_leaves(summary)) {
    // Only a top-level field is the environment's: below it are the user's own ids (a group or
    // a proposal named "host" or "raise_at" is compared like any other). `expectations` holds
    // the verdicts of the scenario's `expect` list, which changes no output (the values it
    // reads are compared where they are); status is compared as what it is, a text.
    const std::string top = path.substr(0, path.find('.'));
    if (run_environment(top) || top == "expectations" || path == "status") continue;
    out.emplace(path, value);
  }
  return out;
}

// What a summary holds at a path that has no number: "missing", or "null", "a string (...)".
std::string absent(const nlohmann::json& summary, const std::string& path) {
  const SummaryValue v = summary_value(summary, path);
  return v.status == SummaryValue::Status::kNotNumber ? v.found : "missing";
}

}  // namespace

void compare_summaries(const nlohmann::json& run, const nlohmann::json& golden, const CompareOptions& options,
                       Comparison& out) {
  // How the run ended is a text, not a number, but two runs that ended differently differ.
  const auto status = [](const nlohmann::json& j) {
    if (!j.contains("status")) return std::string("missing");
    return j["status"].is_string() ? j["status"].get<std::string>() : core::dump_json(j["status"]);
  };
  if (run.contains("status") || golden.contains("status")) {
    ++out.series_compared;
    if (status(run) != status(golden))
      out.differences.push_back({"summary.json", "status", "run " + status(run) + ", golden " + status(golden), 1});
  }
  const auto a = compared_leaves(run), b = compared_leaves(golden);
  std::set<std::string> paths;
  for (const auto& leaf : a) paths.insert(leaf.first);
  for (const auto& leaf : b) paths.insert(leaf.first);
  for (const auto& path : paths) {
    ++out.series_compared;
    out.names.insert(path);
    out.numeric_names.insert(path);
    if (const auto dot = path.rfind('.'); dot != std::string::npos) {
      out.names.insert(path.substr(dot + 1));
      out.numeric_names.insert(path.substr(dot + 1));
    }
    const auto x = a.find(path), y = b.find(path);
    if (x == a.end() || y == b.end()) {
      out.differences.push_back({"summary.json", path,
                                 x == a.end() ? "run " + absent(run, path) + ", golden " + number_text(y->second)
                                              : "run " + number_text(x->second) + ", golden " + absent(golden, path),
                                 1});
      continue;
    }
    double relative = 0.0;
    if (numbers_match(x->second, y->second, tolerance_for(options, path), options.absolute_floor, relative))
      continue;
    out.differences.push_back({"summary.json", path,
                               both_values(number_text(x->second), number_text(y->second), true, relative), 1});
  }
}

}  // namespace subnetsim::results::detail
