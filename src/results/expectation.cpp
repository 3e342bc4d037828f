#include "subnetsim/results/expectation.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>

#include "subnetsim/core/json_text.hpp"
#include "subnetsim/results/close_names.hpp"
#include "subnetsim/results/expectation_text.hpp"
#include "subnetsim/results/number_text.hpp"
#include "subnetsim/results/summary_values.hpp"

namespace subnetsim::results {

using config::AtKind;
using config::CompareOp;
using config::Expectation;

namespace {

// How far x is inside the accepted region (negative: outside); the worst sample has the least.
double margin(const Expectation& e, double x) {
  if (std::isnan(x)) return -std::numeric_limits<double>::infinity();
  switch (e.op) {
    case CompareOp::kLess:
    case CompareOp::kLessEqual: return e.value - x;
    case CompareOp::kGreater:
    case CompareOp::kGreaterEqual: return x - e.value;
    case CompareOp::kEqual:
    case CompareOp::kWithin: break;
  }
  return e.tolerance - std::abs(x - e.value);
}

ExpectationOutcome failure(const Expectation& e, std::string reason) {
  ExpectationOutcome out;
  out.expectation = e;
  out.reason = std::move(reason);
  return out;
}

// The outcome of comparing one value; `source` says where it comes from.
ExpectationOutcome judged(const Expectation& e, double x, std::optional<std::uint64_t> block,
                          const std::string& source) {
  ExpectationOutcome out;
  out.expectation = e;
  out.actual = x;
  out.block = block;
  out.passed = holds(e, x);
  out.reason = out.passed ? source : source + ": " + number_text(x) + " is not " + expected_text(e);
  return out;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

ExpectationOutcome unknown_metric(const Expectation& e, const RunData& run) {
  if (e.metric.rfind("expectations.", 0) == 0)
    return failure(e, "\"" + e.metric +
                          "\" is the outcome of these very checks, written after them: an "
                          "expectation cannot check it");
  // A known name with nothing recorded is not unknown: a group of the run (summary.json's
  // classes; the longest id that fits, as ids may hold dots) with a column classes.csv has but
  // no row of that group, or a proposal of the scenario whose vote never closed.
  const nlohmann::json& summary = run.summary();
  if (summary.contains("classes") && summary["classes"].is_object()) {
    std::string group;
    for (const auto& [id, v] : summary["classes"].items())
      if (e.metric.size() > id.size() + 1 && e.metric.compare(0, id.size() + 1, id + ".") == 0 &&
          id.size() > group.size())
        group = id;
    const std::string column = group.empty() ? "" : e.metric.substr(group.size() + 1);
    static const std::vector<std::string> kNone;
    const bool data_column = !column.empty() && column != "block" && column != "group" &&
                             column != "netuid" && column != "epoch";
    const std::vector<std::string>& header = data_column ? run.header("classes.csv") : kNone;
    std::ifstream f(run.directory() + "/classes.csv");
    std::string line;
    std::getline(f, line);  // the header, read above
    const auto group_at = std::find(header.begin(), header.end(), "group");
    if (group_at != header.end() &&
        std::find(header.begin(), header.end(), column) != header.end()) {
      // Rows of the group: the group column is a plain id (ids hold no comma or quote).
      const auto index = static_cast<std::size_t>(group_at - header.begin());
      bool any = false;
      while (!any && std::getline(f, line)) {
        std::size_t at = 0;
        for (std::size_t i = 0; i < index && at != std::string::npos; ++i)
          at = line.find(',', at) + 1;
        any = at != std::string::npos && line.compare(at, group.size() + 1, group + ",") == 0;
      }
      if (!any)
        return failure(e, "no sample of " + e.metric + ": classes.csv has no rows of group " +
                              group +
                              " (none of its uids was recorded: no epoch of its subnets within the "
                              "horizon or outputs.every_epochs, or the group held no uid then)");
    }
  }
  const std::size_t dot = e.metric.find('.');
  if (e.metric.compare(0, 11, "governance.") == 0 && dot != std::string::npos) {
    const std::string rest = e.metric.substr(dot + 1);
    const std::string id = rest.substr(0, rest.find('.'));
    const std::string field =
        rest.find('.') == std::string::npos ? "" : rest.substr(rest.find('.') + 1);
    const bool decided = summary.contains("governance") && summary["governance"].is_object() &&
                         summary["governance"].contains(id);
    const bool known_field = field == "passed" || field == "applied" || field == "yes_share" ||
                             field == "turnout" || field == "closed_block";
    if (!decided && known_field) {
      std::ifstream f(run.directory() + "/resolved_scenario.json");
      const auto resolved = core::parse_json_or_discarded(f);
      if (resolved.is_object() && resolved.contains("proposals") &&
          resolved["proposals"].is_object() && resolved["proposals"].contains(id))
        return failure(e,
                       "proposal " + id + " has no outcome: its vote did not close within the run");
    }
  }
  std::string reason = "unknown metric \"" + e.metric +
                       "\": not a value of summary.json, a column of globals.csv or GROUP.COLUMN of classes.csv";
  const auto close = close_names(e.metric, run.metric_names());
  if (!close.empty()) reason += " (did you mean " + join(close) + "?)";
  return failure(e, reason);
}

ExpectationOutcome from_series(const Expectation& e, const SeriesLookup& s) {
  const auto& v = s.samples;
  const std::string span = v.empty() ? "no samples"
                                     : "samples at blocks " + std::to_string(v.front().block) + ".." +
                                           std::to_string(v.back().block);
  if (e.at == AtKind::kEnd) {
    if (v.empty()) return failure(e, s.file + ": no samples of " + e.metric);
    return judged(e, v.back().value, v.back().block, s.file + " at block " + std::to_string(v.back().block));
  }
  if (e.at == AtKind::kBlock) {
    auto after = std::upper_bound(v.begin(), v.end(), e.from_block,
                                  [](std::uint64_t b, const Sample& x) { return b < x.block; });
    if (after == v.begin())
      return failure(e, s.file + ": no sample of " + e.metric + " at or before block " +
                            std::to_string(e.from_block) + " (" + span + ")");
    const Sample& at = *(after - 1);
    return judged(e, at.value, at.block, s.file + " at block " + std::to_string(at.block));
  }
  const Sample* worst = nullptr;
  std::size_t in_range = 0, failing = 0;
  for (const Sample& x : v) {
    if (x.block < e.from_block || x.block > e.to_block) continue;
    ++in_range;
    if (!holds(e, x.value)) ++failing;
    if (worst == nullptr || margin(e, x.value) < margin(e, worst->value)) worst = &x;
  }
  if (worst == nullptr)
    return failure(e, s.file + ": no sample of " + e.metric + " in blocks [" + std::to_string(e.from_block) +
                          ", " + std::to_string(e.to_block) + "] (" + span + ")");
  std::string source = s.file + ", worst of " + std::to_string(in_range) +
                       (in_range == 1 ? " sample at block " : " samples at block ") +
                       std::to_string(worst->block);
  if (failing > 0)
    source = s.file + ": " + std::to_string(failing) + " of " + std::to_string(in_range) +
             " samples fail, the worst at block " + std::to_string(worst->block);
  return judged(e, worst->value, worst->block, source);
}

}  // namespace

bool holds(const Expectation& e, double x) {
  if (std::isnan(x)) return false;
  switch (e.op) {
    case CompareOp::kLess: return x < e.value;
    case CompareOp::kLessEqual: return x <= e.value;
    case CompareOp::kGreater: return x > e.value;
    case CompareOp::kGreaterEqual: return x >= e.value;
    case CompareOp::kEqual:
    case CompareOp::kWithin: break;
  }
  return std::abs(x - e.value) <= e.tolerance;
}

ExpectationOutcome evaluate(const Expectation& e, const RunData& run) {
  const SummaryValue summary = summary_value(run.summary(), e.metric);
  if (e.at == AtKind::kEnd) {
    if (summary.status == SummaryValue::Status::kNumber) return judged(e, summary.value, std::nullopt, "summary.json");
    if (summary.status == SummaryValue::Status::kNotNumber)
      return failure(e, "summary.json: " + e.metric + " is " + summary.found + ", not a number");
  }
  const SeriesLookup series = run.series(e.metric);
  switch (series.status) {
    case SeriesLookup::Status::kFound: return from_series(e, series);
    case SeriesLookup::Status::kError: return failure(e, series.error);
    case SeriesLookup::Status::kUnknown: break;
  }
  if (summary.status != SummaryValue::Status::kMissing)
    return failure(e, e.metric + " is a value of summary.json (one number for the whole run), not a series: "
                              "it can only be checked at \"end\"");
  return unknown_metric(e, run);
}

std::vector<ExpectationOutcome> evaluate(const std::vector<Expectation>& expectations, const RunData& run) {
  std::vector<ExpectationOutcome> out;
  out.reserve(expectations.size());
  for (const auto& e : expectations) out.push_back(evaluate(e, run));
  return out;
}

std::size_t count_failed(const std::vector<ExpectationOutcome>& outcomes) {
  return static_cast<std::size_t>(
      std::count_if(outcomes.begin(), outcomes.end(), [](const ExpectationOutcome& o) { return !o.passed; }));
}

}  // namespace subnetsim::results
