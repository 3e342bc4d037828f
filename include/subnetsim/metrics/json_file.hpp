// A run's JSON files (summary.json) read back for the commands that work on finished runs
// (report, compare, expectations), as CsvTable reads back its CSV files.
//
// A file that is not valid JSON is reported as `subnetsim validate` reports a scenario file
// (core::json_error_message, one formatter for every JSON syntax error):
//   runs/x/summary.json: not valid JSON: line 1, column 2: syntax error while parsing ...
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace subnetsim::metrics {

// Reads `path` as a JSON object into `out`. Returns "" or the error, naming the file: "cannot be
// read", "not valid JSON: <where and what>" or "not a JSON object".
std::string read_json_object(const std::string& path, nlohmann::json& out);
// The same, keeping the keys in the file's order (the report shows them in that order).
std::string read_json_object(const std::string& path, nlohmann::ordered_json& out);

}  // namespace subnetsim::metrics
