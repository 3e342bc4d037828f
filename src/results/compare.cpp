#include "subnetsim/results/compare.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>

#include "compare_parts.hpp"
#include "subnetsim/core/json_text.hpp"
#include "subnetsim/metrics/json_file.hpp"
#include "subnetsim/results/close_names.hpp"

namespace subnetsim::results {

namespace fs = std::filesystem;

namespace {

// The run files of a directory: its *.csv files and summary.json, by name, whatever they are:
// one that is not a regular file (a directory, a device) is listed too, so that reading it says
// so (bad input) rather than the run being said to miss it (a difference).
std::set<std::string> run_files(const fs::path& dir, std::error_code& ec) {
  std::set<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->path().extension() == ".csv" || name == "summary.json") names.insert(name);
  }
  return names;
}

bool read_summary(const fs::path& path, nlohmann::json& summary, std::string& error) {
  error = metrics::read_json_object(path.string(), summary);
  return error.empty();
}

bool read_table(const fs::path& path, metrics::CsvTable& table, std::string& error) {
  auto read = metrics::read_csv_file(path.string());
  if (!read.ok()) {
    error = read.error;
    return false;
  }
  table = std::move(*read.table);
  return true;
}

// Compares one file present on both sides; false (and out.error) when either cannot be used.
bool compare_file(const std::string& name, const fs::path& run, const fs::path& golden,
                  const CompareOptions& options, Comparison& out) {
  if (name == "summary.json") {
    nlohmann::json a, b;
    if (!read_summary(run / name, a, out.error) || !read_summary(golden / name, b, out.error)) return false;
    detail::compare_summaries(a, b, options, out);
    return true;
  }
  metrics::CsvTable a, b;
  if (!read_table(run / name, a, out.error) || !read_table(golden / name, b, out.error)) return false;
  detail::compare_tables(name, a, b, options, out);
  return true;
}

// The JSON pointers where a and b differ (a key on one side only, a value, a length), keys in
// alphabetical order, at most `limit` of them; `total` counts them all.
void json_differences(const nlohmann::json& a, const nlohmann::json& b, const std::string& at,
                      std::vector<std::string>& found, std::size_t limit, std::size_t& total) {
  auto note = [&](const std::string& pointer, const std::string& what) {
    if (found.size() < limit) found.push_back(pointer + " (" + what + ")");
    ++total;
  };
  if (a.is_object() && b.is_object()) {
    for (auto it = a.begin(); it != a.end(); ++it) {
      const std::string pointer = at + "/" + it.key();
      if (!b.contains(it.key()))
        note(pointer, "only in the run");
      else
        json_differences(it.value(), b.at(it.key()), pointer, found, limit, total);
    }
    for (auto it = b.begin(); it != b.end(); ++it)
      if (!a.contains(it.key())) note(at + "/" + it.key(), "only in the golden run");
    return;
  }
  if (a.is_array() && b.is_array() && a.size() == b.size()) {
    for (std::size_t i = 0; i < a.size(); ++i)
      json_differences(a[i], b[i], at + "/" + std::to_string(i), found, limit, total);
    return;
  }
  if (a == b) return;
  // A list or object of another length is told by its size, not printed whole.
  auto text = [](const nlohmann::json& v) {
    if (v.is_array()) return "a list of " + std::to_string(v.size());
    if (v.is_object()) return "an object of " + std::to_string(v.size()) + " fields";
    return core::dump_json(v);
  };
  note(at.empty() ? "/" : at, text(a) + " against " + text(b));
}

// Why two runs of one scenario name may still not be comparable: their resolved scenarios
// differ (a parameter, the seed, the horizon). Empty when they agree; when one cannot be read,
// says so (the runs' scenarios could not be compared).
std::string scenario_differences(const fs::path& run, const fs::path& golden) {
  nlohmann::json a, b;
  std::vector<std::string> missing;
  for (const auto& [dir, into] : {std::pair{run, &a}, std::pair{golden, &b}}) {
    const std::string path = (dir / "resolved_scenario.json").string();
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      missing.push_back(path);
      continue;
    }
    if (const std::string error = metrics::read_json_object(path, *into); !error.empty())
      return error + ": the runs' scenarios were not compared";
  }
  if (missing.size() == 2)
    return "neither run has a resolved_scenario.json (" + missing[0] + ", " + missing[1] +
           "): the runs' scenarios were not compared";
  if (missing.size() == 1) return missing[0] + " is missing: the runs' scenarios were not compared";
  // What the series do not depend on: the expectations and the description.
  for (nlohmann::json* side : {&a, &b})
    for (const char* key : {"expect", "description"})
      if (side->is_object()) side->erase(key);
  std::vector<std::string> found;
  std::size_t total = 0;
  json_differences(a, b, "", found, 3, total);
  if (total == 0) return "";
  std::string list;
  for (std::size_t i = 0; i < found.size(); ++i) list += (i == 0 ? "" : "; ") + found[i];
  if (total > found.size()) list += "; and " + std::to_string(total - found.size()) + " more";
  return "the runs' resolved scenarios differ at " + list;
}

}  // namespace

Comparison compare_runs(const std::string& run_dir, const std::string& golden_dir, const CompareOptions& options) {
  Comparison out;
  std::set<std::string> files[2];
  const fs::path dirs[2] = {run_dir, golden_dir};
  for (int i = 0; i < 2; ++i) {
    std::error_code ec;
    if (!fs::is_directory(dirs[i], ec)) {
      out.error = dirs[i].string() + ": " + (fs::exists(dirs[i], ec) ? "not a directory" : "no such directory");
      return out;
    }
    files[i] = run_files(dirs[i], ec);
    if (ec) {
      out.error = dirs[i].string() + ": cannot be listed: " + ec.message();
      return out;
    }
    if (files[i].empty()) {
      out.error = dirs[i].string() + ": not a run directory (no summary.json and no CSV files)";
      return out;
    }
    if (files[i].count("index.csv") && !files[i].count("summary.json")) {
      out.error = dirs[i].string() + ": a sweep directory, not a run directory (compare the runs " +
                  "it holds, one directory of runs/ at a time)";
      return out;
    }
  }
  // Runs of two different scenarios differ everywhere; say why first.
  std::string names[2];
  for (int i = 0; i < 2; ++i) {
    // Read as the comparison reads it (a bad summary.json is reported there, as a difference).
    nlohmann::json summary;
    if (!metrics::read_json_object((dirs[i] / "summary.json").string(), summary).empty()) continue;
    if (summary.contains("scenario") && summary["scenario"].is_string())
      names[i] = summary["scenario"].get<std::string>();
  }
  if (!names[0].empty() && !names[1].empty() && names[0] != names[1])
    out.note =
        "the runs are of different scenarios (\"" + names[0] + "\" and \"" + names[1] + "\")";
  else
    out.note = scenario_differences(dirs[0], dirs[1]);
  std::set<std::string> all = files[0];
  all.insert(files[1].begin(), files[1].end());
  for (const auto& name : all) {
    const bool in_run = files[0].count(name) > 0, in_golden = files[1].count(name) > 0;
    if (in_run && in_golden) {
      if (!compare_file(name, dirs[0], dirs[1], options, out)) {
        out.differences.clear();
        return out;
      }
      continue;
    }
    ++out.series_compared;
    out.differences.push_back({name, "", in_run ? "missing in golden " + golden_dir : "missing in run " + run_dir, 0});
  }
  // A tolerance for a name no series has would silently change nothing (a typo, usually).
  for (const auto& [name, rel] : options.tolerance) {
    if (out.names.count(name) && !out.numeric_names.count(name)) {
      out.error = "--tolerance " + name +
                  ": that column holds text, which is compared exactly: a tolerance would "
                  "change nothing";
      out.differences.clear();
      return out;
    }
    if (out.names.count(name)) continue;
    const auto hints =
        close_names(name, std::vector<std::string>(out.names.begin(), out.names.end()));
    out.error = "--tolerance " + name + ": no column or summary path of these runs has that name" +
                (hints.empty() ? std::string() : " (did you mean " + hints.front() + "?)");
    out.differences.clear();
    return out;
  }
  return out;
}

void print_comparison(std::ostream& out, const Comparison& c) {
  if (!c.note.empty()) out << "note: " << c.note << '\n';
  for (const auto& d : c.differences) {
    out << d.file << (d.column.empty() ? "" : " " + d.column) << ": " << d.detail;
    if (d.differing_rows > 1 || (d.differing_rows == 1 && d.file != "summary.json"))
      out << "; " << d.differing_rows << (d.differing_rows == 1 ? " row differs" : " rows differ");
    out << '\n';
  }
  out << c.series_compared << " series compared, " << c.differences.size() << " differ\n";
}

}  // namespace subnetsim::results
