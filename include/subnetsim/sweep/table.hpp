// The sweep's tables: index.csv (one row per run) and aggregates.csv (per point and metric).
//
// index.csv columns: run_id, point, replicate, one column per swept parameter (named by its
// path), seed, status (ok, failed, invariant_broken), error, then the run's metrics: the
// numeric leaves of summary.json flattened to dotted names (`miners.gini`,
// `emission.shares.owner`), skipping wall_time_s, tool, files, seed, the per-class `classes`
// section and arrays (the expectations' results). The metric columns are the union over the rows, sorted by name; a missing
// or null metric is an empty cell.
//
// aggregates.csv: one row per point and metric (long format): point, the parameter columns,
// metric, n (ok runs with a value), mean, sd (n - 1 in the denominator), ci95_lo, ci95_hi
// (mean -/+ t(0.975, n-1) sd / sqrt(n)). Empty cells where undefined (sd and interval need n >= 2).
//
// Invariants: cells are text, and numbers are written in the shortest form that reads back to
// the same double, so a table rebuilt from index.csv files (merge) is byte-identical to one
// built from the runs' summaries.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "subnetsim/sweep/design.hpp"

namespace subnetsim::sweep {

struct RunRow {
  std::string id;
  std::size_t point = 0;
  std::uint64_t replicate = 0;
  std::vector<std::string> values;  // parameter cells
  std::uint64_t seed = 0;
  std::string status;               // "ok", "failed", "invariant_broken"
  std::string error;
  std::map<std::string, std::string> metrics;  // name -> cell ("" when null)
};

// Shortest round-trip text of a double ("0.1", "1e-05", "300").
std::string number_cell(double x);

// summary.json's numeric leaves as cells.
std::map<std::string, std::string> flatten_summary(const nlohmann::ordered_json& summary);

// The row of a run from its summary (an empty summary makes a failed row with `error`).
RunRow row_from_summary(const Plan& plan, const Run& run, const nlohmann::ordered_json& summary,
                        const std::string& error);

// The row of a run from its directory: summary.json, else the error.txt a failed run leaves.
RunRow row_from_directory(const Plan& plan, const Run& run, const std::string& run_dir);

// The parameter cells of point `point` as index.csv writes them.
std::vector<std::string> value_cells(const Plan& plan, std::size_t point);

// Whether a run directory holds a finished run of this seed and of this resolved scenario (its
// manifest's scenario_sha256, which covers a price path read from CSV), so that a resumed
// sweep skips it; a run of other content (an edited file a parameter names) runs again.
bool run_is_complete(const std::string& run_dir, std::uint64_t seed,
                     const std::string& scenario_sha256);

std::string index_header_prefix(const Plan& plan);  // "run_id,point,replicate,<params>,seed,status,error"
std::string index_csv(const Plan& plan, std::vector<RunRow> rows);
// Reads an index.csv (or a shard's) back. Returns the problem ("" when fine).
std::string parse_index_csv(const Plan& plan, const std::string& text, const std::string& name,
                            std::vector<RunRow>& rows);

// t(0.975, df): the two-sided 95% Student t quantile (df >= 1).
double t975(std::uint64_t df);

struct Stats {
  std::uint64_t n = 0;
  std::optional<double> mean, sd, lo, hi;
};
Stats summarize(const std::vector<double>& xs);

std::string aggregates_csv(const Plan& plan, std::vector<RunRow> rows);

// How many rows are not ok.
std::size_t failed_count(const std::vector<RunRow>& rows);

}  // namespace subnetsim::sweep
