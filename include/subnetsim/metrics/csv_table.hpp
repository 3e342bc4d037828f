// CsvTable: a whole CSV file read back into memory (the run directory's events.csv, epochs.csv,
// globals.csv ...), for the commands that work on finished runs (report, compare, expectations).
//
// Invariants: every row has exactly header.size() fields (RFC 4180 quoting understood); a file
// that breaks this is refused with its line number, never padded or truncated. In the files a
// run's CsvRunWriter writes (events, epochs, classes, globals.csv, known by file name), every
// field of a column that holds numbers is a number or empty (a missing value: NaN, an event
// without a uid); text there is refused with the column and line, so that report, compare and
// expectations never take it for a missing value.
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
  // The field as a number; nullopt when empty or not a number. The whole field, in the C
  // locale's syntax of %g (also inf and nan); subnormals are numbers.
  static std::optional<double> number(const std::string& field);
};

struct CsvReadResult {
  std::optional<CsvTable> table;
  std::string error;  // "FILE:LINE: what" when table is empty
  std::vector<std::string> file_header;  // every column of the file, kept or not
  bool ok() const { return table.has_value(); }
};

// `keep`, when given: the table holds only those of its columns the file has, in file order
// (every field is still checked): a long run's classes.csv held whole takes ten times its size.
CsvReadResult read_csv_file(const std::string& path,
                            const std::vector<std::string>* keep = nullptr);
// `name` is the file's path, for errors; its file name also says whether the numbers are checked.
CsvReadResult parse_csv(const std::string& text, const std::string& name,
                        const std::vector<std::string>* keep = nullptr);

}  // namespace subnetsim::metrics
