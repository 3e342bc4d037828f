// RunData: a finished run's output directory as the source of metric values: its summary.json
// (parsed once, given or read by open()) and its series (globals.csv columns, classes.csv
// GROUP.COLUMN sums), each CSV read when a series from it is first asked for, and only the
// columns that series needs (a long run's classes.csv held whole takes ten times its size).
//
// Invariants: summary() is a JSON object; a CSV file is read at most once for each set of
// columns and kept, and so is each series asked for (so a RunData is not safe to share between
// threads); a missing CSV is "no such series", an unreadable or malformed one is an error
// naming the file.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "subnetsim/metrics/csv_table.hpp"
#include "subnetsim/results/series.hpp"

namespace subnetsim::results {

struct SeriesLookup {
  enum class Status { kFound, kUnknown, kError };
  Status status = Status::kUnknown;
  std::vector<Sample> samples;  // kFound
  std::string file;             // the file it comes from (kFound, kError)
  std::string error;            // kError: why the file could not be used
};

class RunData {
 public:
  RunData(std::string directory, nlohmann::json summary);

  struct Opened;
  // Reads DIRECTORY/summary.json.
  static Opened open(const std::string& directory);

  const std::string& directory() const { return dir_; }
  const nlohmann::json& summary() const { return summary_; }

  SeriesLookup series(const std::string& name) const;
  // Every name a metric may use: summary.json leaves, globals.csv columns, classes.csv
  // GROUP.COLUMN (reads the CSV files when they were not read yet).
  std::vector<std::string> metric_names() const;
  // DIRECTORY/file's column names, its first line read once (and no more of it); empty when it
  // does not exist or cannot be read.
  const std::vector<std::string>& header(const std::string& file) const;

 private:
  // DIRECTORY/file read for `columns` only (kept with the file's whole header), once.
  const metrics::CsvReadResult& read(const std::string& file,
                                     const std::vector<std::string>& columns) const;
  // Its table: nullptr when the file does not exist (error empty) or cannot be read (error set).
  const metrics::CsvTable* table(const std::string& file, const std::vector<std::string>& columns,
                                 std::string& error) const;
  SeriesLookup lookup_series(const std::string& name) const;
  // Whether DIRECTORY/file's header (its first line, read once) names `column`: a metric that
  // names no column is unknown without reading the file's rows (each such name once cost a
  // whole read of classes.csv, kept: 20 MB and 0.26 s a name on a large run).
  bool has_column(const std::string& file, const std::string& column) const;

  std::string dir_;
  nlohmann::json summary_;
  mutable std::map<std::string, metrics::CsvReadResult> tables_;  // by file and columns
  mutable std::map<std::string, std::vector<std::string>> headers_;  // by file
  // Each series once: a CI scenario may check one metric many times (at several blocks, by
  // several ops), and summing a group's rows rescanned the whole classes.csv for each.
  mutable std::map<std::string, SeriesLookup> series_;
};

struct RunData::Opened {
  std::optional<RunData> run;
  std::string error;  // "DIR/summary.json: why" when run is empty
};

}  // namespace subnetsim::results
