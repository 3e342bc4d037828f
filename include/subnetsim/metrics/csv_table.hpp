// CsvTable: a whole CSV file read back into memory (the run directory's events.csv, epochs.csv,
// globals.csv ...), for the commands that work on finished runs (report, compare, expectations).
//
// Invariants: every row has exactly header.size() fields (RFC 4180 quoting understood); a file
// that breaks this is refused with its line number, never padded or truncated.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace subnetsim::metrics {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  // Index of a column by name, or nullopt.
  std::optional<std::size_t> column(const std::string& name) const;
  // The field as a number; nullopt when empty or not a number.
  static std::optional<double> number(const std::string& field);
};

struct CsvReadResult {
  std::optional<CsvTable> table;
  std::string error;  // "FILE:LINE: what" when table is empty
  bool ok() const { return table.has_value(); }
};

CsvReadResult read_csv_file(const std::string& path);
CsvReadResult parse_csv(const std::string& text, const std::string& name_for_errors);

}  // namespace subnetsim::metrics
