// compare_runs: two run directories (a run and its golden reference) compared series by series.
//
// Series: every column of every CSV file present in either directory (rows in order, same header
// required) and every numeric or boolean leaf of summary.json except run-environment fields
// (wall time, tool version, file list, threads, paths, timestamps). Numbers match when
// |a - b| <= max(rel * max(|a|, |b|), 1e-12), rel being the column's tolerance (by column name,
// or by summary path or its last component) or the default; text fields must be equal.
//
// Invariants: a file on one side only, a differing header or a differing row count is one
// difference for the whole file (the row-count one names the first difference in the common
// rows); otherwise one difference per differing series, with its first differing row and the
// number of differing rows. `error` is set (and nothing compared) when an input cannot be used:
// a missing directory, a directory with no run files, an unreadable or malformed file.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace subnetsim::results {

struct CompareOptions {
  std::map<std::string, double> tolerance;  // relative tolerance by column name or summary path
  double default_tolerance = 0.0;           // 0: exact (up to the 1e-12 absolute floor)
  double absolute_floor = 1e-12;
};

struct SeriesDifference {
  std::string file;            // "globals.csv", "summary.json"
  std::string column;          // a column or summary path; empty for a whole-file difference
  std::string detail;          // the first difference, both values, the relative difference
  std::size_t differing_rows = 0;  // rows (or 1 for a summary leaf) that differ
};

struct Comparison {
  std::size_t series_compared = 0;
  std::vector<SeriesDifference> differences;
  // Every name a --tolerance could match: the columns and summary paths compared, and each
  // path's last component.
  std::set<std::string> names;
  // Those of them that hold a number somewhere (a column of text only, like `detail`, is
  // compared exactly: a tolerance for it would change nothing).
  std::set<std::string> numeric_names;
  std::string error;  // bad input: what and why ("DIR/globals.csv:7: expected 7 fields ...")
  // Said before the differences: the two runs are of scenarios of different names, or of one
  // name whose resolved_scenario.json differ (the first three pointers, with both values).
  std::string note;
  bool equal() const { return error.empty() && differences.empty(); }
};

Comparison compare_runs(const std::string& run_dir, const std::string& golden_dir, const CompareOptions& options);

// One line per difference ("FILE COLUMN: ...; K rows differ"), then "N series compared, M differ".
void print_comparison(std::ostream& out, const Comparison& comparison);

}  // namespace subnetsim::results
