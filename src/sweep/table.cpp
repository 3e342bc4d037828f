#include "subnetsim/sweep/table.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <set>

#include "subnetsim/core/file_text.hpp"
#include "subnetsim/core/json_text.hpp"
#include "subnetsim/metrics/csv_table.hpp"
#include "subnetsim/metrics/csv_writer.hpp"

namespace subnetsim::sweep {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

namespace {

// Top-level summary keys that are not metrics of the run (or not wanted in the narrow table).
bool skipped_key(const std::string& key) {
  return key == "wall_time_s" || key == "tool" || key == "files" || key == "classes" || key == "seed";
}

// Objects become dotted names, booleans 1 or 0; arrays (the expectations' results) are left
// out, so that the column set stays small and fixed.
void flatten(const ojson& j, const std::string& prefix, std::map<std::string, std::string>& out) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      if (prefix.empty() && skipped_key(key)) continue;
      flatten(value, prefix.empty() ? key : prefix + "." + key, out);
    }
  } else if (j.is_number_unsigned()) {
    out[prefix] = std::to_string(j.get<std::uint64_t>());
  } else if (j.is_number_integer()) {
    out[prefix] = std::to_string(j.get<std::int64_t>());
  } else if (j.is_number_float()) {
    out[prefix] = number_cell(j.get<double>());
  } else if (j.is_boolean()) {
    // 1 or 0, as expectations count them: a proposal's pass rate is the mean of its `passed`.
    out[prefix] = j.get<bool>() ? "1" : "0";
  } else if (j.is_null()) {
    out[prefix] = "";
  }
}

std::string one_line(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  std::string out;
  for (char c : s) {
    if (c == '\n') out += "; ";
    else if (c != '\r') out += c;
  }
  return out;
}

std::optional<std::string> read_text(const fs::path& path) {
  std::string text;
  if (core::read_file_text(path, text) != core::FileRead::kOk) return std::nullopt;
  return text;
}

std::optional<ojson> read_summary(const std::string& run_dir) {
  auto text = read_text(fs::path(run_dir) / "summary.json");
  if (!text) return std::nullopt;
  ojson j = core::parse_ordered_json_or_discarded(*text);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

std::optional<double> cell_number(const std::string& cell) {
  if (cell.empty()) return std::nullopt;
  double x = 0.0;
  const char* end = cell.data() + cell.size();
  const auto [ptr, ec] = std::from_chars(cell.data(), end, x);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return x;
}

std::optional<std::uint64_t> cell_unsigned(const std::string& cell) {
  std::uint64_t x = 0;
  const char* end = cell.data() + cell.size();
  const auto [ptr, ec] = std::from_chars(cell.data(), end, x);
  if (cell.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return x;
}

std::set<std::string> metric_names(const std::vector<RunRow>& rows) {
  std::set<std::string> names;
  for (const RunRow& r : rows)
    for (const auto& [name, cell] : r.metrics) names.insert(name);
  return names;
}

void sort_by_id(std::vector<RunRow>& rows) {
  std::sort(rows.begin(), rows.end(), [](const RunRow& a, const RunRow& b) { return a.id < b.id; });
}

std::string optional_cell(const std::optional<double>& x) { return x ? number_cell(*x) : ""; }

}  // namespace

std::string number_cell(double x) {
  if (!std::isfinite(x)) return "";
  char buf[64];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, x);
  if (ec != std::errc()) return {};
  std::string text(buf, ptr);
  // A whole number keeps a decimal point, as in the runs' CSV files: a real column that held
  // only whole numbers (a price of 300) was read by pandas as int64 in one sweep, float64 in
  // the next. JSON integers (counts) are written as integers elsewhere.
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

std::map<std::string, std::string> flatten_summary(const ojson& summary) {
  std::map<std::string, std::string> out;
  flatten(summary, "", out);
  return out;
}

RunRow row_from_summary(const Plan& plan, const Run& run, const ojson& summary, const std::string& error) {
  RunRow row;
  row.id = run.id;
  row.point = run.point;
  row.replicate = run.replicate;
  row.seed = run.seed;
  row.values = value_cells(plan, run.point);
  const std::string status = summary.is_object() ? summary.value("status", "") : "";
  if (status == "completed") {
    row.status = "ok";
  } else if (status == "invariant_broken") {
    row.status = "invariant_broken";
    row.error = one_line(summary.value("message", "invariant broken"));
  } else if (status == "interrupted") {
    // Stopped by Ctrl-C or SIGTERM: not a failure of the run, and not finished either (merge
    // refuses a shard holding one; the same sweep command finishes it).
    row.status = "interrupted";
    row.error = one_line(!error.empty() ? error : summary.value("message", "interrupted"));
  } else {
    row.status = "failed";
    row.error = one_line(!error.empty() ? error : "the run did not finish (summary.json says \"" + status + "\")");
  }
  if (status == "completed" || status == "invariant_broken") row.metrics = flatten_summary(summary);
  return row;
}

std::vector<std::string> value_cells(const Plan& plan, std::size_t point) {
  std::vector<std::string> out;
  for (const json& v : plan.points[point]) out.push_back(value_cell(v));
  return out;
}

RunRow row_from_directory(const Plan& plan, const Run& run, const std::string& run_dir) {
  const auto summary = read_summary(run_dir);
  std::string error = read_text(fs::path(run_dir) / "error.txt").value_or("");
  if (error.empty() && !summary) error = "no summary.json in " + run_dir;
  return row_from_summary(plan, run, summary.value_or(ojson()), error);
}

bool run_is_complete(const std::string& run_dir, std::uint64_t seed,
                     const std::string& scenario_sha256) {
  const auto summary = read_summary(run_dir);
  if (!summary) return false;
  const auto s = summary->find("seed");
  if (summary->value("status", "") != "completed" || s == summary->end() || !s->is_number_unsigned() ||
      s->get<std::uint64_t>() != seed)
    return false;
  const auto manifest_text = read_text(fs::path(run_dir) / "manifest.json");
  if (!manifest_text) return false;
  const ojson manifest = core::parse_ordered_json_or_discarded(*manifest_text);
  return manifest.is_object() && manifest.value("scenario_sha256", "") == scenario_sha256;
}

std::string index_header_prefix(const Plan& plan) {
  std::string h = "run_id,point,replicate";
  for (const auto& c : plan.columns) h += "," + metrics::csv_field(c);
  return h + ",seed,status,error";
}

std::string index_csv(const Plan& plan, std::vector<RunRow> rows) {
  sort_by_id(rows);
  const auto names = metric_names(rows);
  std::string out = index_header_prefix(plan);
  for (const auto& n : names) out += "," + metrics::csv_field(n);
  out += "\n";
  for (const RunRow& r : rows) {
    out += r.id + "," + std::to_string(r.point) + "," + std::to_string(r.replicate);
    for (const auto& v : r.values) out += "," + metrics::csv_field(v);
    out += "," + std::to_string(r.seed) + "," + r.status + "," + metrics::csv_field(r.error);
    for (const auto& n : names) {
      const auto it = r.metrics.find(n);
      out += "," + (it == r.metrics.end() ? std::string() : metrics::csv_field(it->second));
    }
    out += "\n";
  }
  return out;
}

std::string parse_index_csv(const Plan& plan, const std::string& text, const std::string& name,
                            std::vector<RunRow>& rows) {
  auto read = metrics::parse_csv(text, name);
  if (!read.ok()) return read.error;
  const metrics::CsvTable& t = *read.table;
  auto prefix = metrics::parse_csv(index_header_prefix(plan) + "\n", "header");
  const std::vector<std::string>& fixed = prefix.table->header;
  if (t.header.size() < fixed.size() || !std::equal(fixed.begin(), fixed.end(), t.header.begin()))
    return name + ": the columns are not those of this sweep (expected \"" + index_header_prefix(plan) + ",...\")";
  const std::size_t np = plan.columns.size();
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const auto& cells = t.rows[i];
    RunRow r;
    r.id = cells[0];
    const auto point = cell_unsigned(cells[1]), replicate = cell_unsigned(cells[2]), seed = cell_unsigned(cells[3 + np]);
    if (!point || !replicate || !seed)
      return name + ":" + std::to_string(i + 2) + ": point, replicate and seed must be integers";
    r.point = static_cast<std::size_t>(*point);
    r.replicate = *replicate;
    r.values.assign(cells.begin() + 3, cells.begin() + 3 + static_cast<std::ptrdiff_t>(np));
    r.seed = *seed;
    r.status = cells[4 + np];
    // Only the statuses the sweep writes: another word would pass for a failed run.
    if (r.status != "ok" && r.status != "failed" && r.status != "invariant_broken" &&
        r.status != "interrupted")
      return name + ":" + std::to_string(i + 2) +
             ": status: expected ok, failed, invariant_broken or interrupted, got \"" + r.status +
             "\"";
    r.error = cells[5 + np];
    for (std::size_t c = fixed.size(); c < cells.size(); ++c) r.metrics[t.header[c]] = cells[c];
    rows.push_back(std::move(r));
  }
  return "";
}

double t975(std::uint64_t df) {
  static constexpr std::array<double, 30> kSmall = {
      12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851, 2.364624252, 2.306004135,
      2.262157163,  2.228138852, 2.200985160, 2.178812830, 2.160368656, 2.144786688, 2.131449546, 2.119905299,
      2.109815578,  2.100922040, 2.093024054, 2.085963447, 2.079613845, 2.073873068, 2.068657610, 2.063898562,
      2.059538553,  2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456};
  // Beyond 30: tabulated points, linear in 1/df in between, 1.959964 in the limit.
  static constexpr std::array<std::pair<double, double>, 10> kLarge = {{{30, 2.042272456},
                                                                        {40, 2.021075383},
                                                                        {50, 2.008559112},
                                                                        {60, 2.000297822},
                                                                        {80, 1.990063421},
                                                                        {100, 1.983971519},
                                                                        {120, 1.979930405},
                                                                        {200, 1.971896224},
                                                                        {500, 1.964719837},
                                                                        {1000, 1.962339081}}};
  constexpr double kLimit = 1.959963985;
  if (df == 0) return std::nan("");
  if (df <= kSmall.size()) return kSmall[df - 1];
  const double inv = 1.0 / static_cast<double>(df);
  for (std::size_t i = 1; i < kLarge.size(); ++i) {
    const auto [d1, t1] = kLarge[i];
    if (static_cast<double>(df) <= d1) {
      const auto [d0, t0] = kLarge[i - 1];
      const double w = (1.0 / d0 - inv) / (1.0 / d0 - 1.0 / d1);
      return t0 + w * (t1 - t0);
    }
  }
  const auto [d0, t0] = kLarge.back();
  return kLimit + (t0 - kLimit) * inv * d0;
}

Stats summarize(const std::vector<double>& xs) {
  Stats s;
  s.n = xs.size();
  if (xs.empty()) return s;
  double sum = 0.0;
  for (double x : xs) sum += x;
  const double mean = sum / static_cast<double>(xs.size());
  s.mean = mean;
  if (xs.size() < 2) return s;
  double ss = 0.0;
  for (double x : xs) ss += (x - mean) * (x - mean);
  const double sd = std::sqrt(ss / static_cast<double>(xs.size() - 1));
  const double half = t975(xs.size() - 1) * sd / std::sqrt(static_cast<double>(xs.size()));
  s.sd = sd;
  s.lo = mean - half;
  s.hi = mean + half;
  return s;
}

std::string aggregates_csv(const Plan& plan, std::vector<RunRow> rows) {
  sort_by_id(rows);
  const auto names = metric_names(rows);
  std::string out = "point";
  for (const auto& c : plan.columns) out += "," + metrics::csv_field(c);
  out += ",metric,n,mean,sd,ci95_lo,ci95_hi\n";
  std::map<std::size_t, std::vector<const RunRow*>> by_point;
  for (const RunRow& r : rows) by_point[r.point].push_back(&r);
  for (const auto& [point, members] : by_point) {
    std::string lead = std::to_string(point);
    for (const auto& v : members.front()->values) lead += "," + metrics::csv_field(v);
    for (const auto& name : names) {
      std::vector<double> xs;
      for (const RunRow* r : members) {
        if (r->status != "ok") continue;
        const auto it = r->metrics.find(name);
        if (it == r->metrics.end()) continue;
        if (auto x = cell_number(it->second)) xs.push_back(*x);
      }
      const Stats s = summarize(xs);
      out += lead + "," + metrics::csv_field(name) + "," + std::to_string(s.n) + "," + optional_cell(s.mean) + "," +
             optional_cell(s.sd) + "," + optional_cell(s.lo) + "," + optional_cell(s.hi) + "\n";
    }
  }
  return out;
}

std::size_t failed_count(const std::vector<RunRow>& rows) {
  return static_cast<std::size_t>(
      std::count_if(rows.begin(), rows.end(), [](const RunRow& r) { return r.status != "ok"; }));
}

}  // namespace subnetsim::sweep
