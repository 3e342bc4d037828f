// RunData: a finished (or stopped) run directory read back for reporting: the scenario as it
// ran, summary.json, and the CSV series, plus the events as metrics::EventRecord again.
//
// Invariants: resolved_scenario.json is required (it makes a folder a run directory); every
// other file is optional and simply absent (nullopt / empty JSON) when missing, with a note
// saying why it matters. A file that exists but cannot be read or parsed is an error naming the
// file, never skipped.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "subnetsim/config/scenario.hpp"
#include "subnetsim/metrics/csv_table.hpp"
#include "subnetsim/metrics/records.hpp"

namespace subnetsim::report {

struct RunData {
  std::string dir;
  config::Scenario scenario;
  nlohmann::ordered_json summary = nlohmann::ordered_json::object();  // file order kept; empty when absent
  std::optional<metrics::CsvTable> epochs, globals;
  std::optional<metrics::CsvTable> classes;  // classes.csv: per agent group and epoch
  std::optional<metrics::CsvTable> agents;  // agents.csv: each agent's totals over the whole run
  std::vector<metrics::EventRecord> events;            // from events.csv, in file order
  bool has_events = false;                             // events.csv was there
  // Every event of the run is in `events`: events.csv itself was read, not a killed run's
  // events.csv.partial (or nothing). Without it, an event absent from `events` is unknown.
  bool events_complete = false;
  std::vector<std::string> notes;                      // missing optional files, for the reader
};

struct RunDataResult {
  std::optional<RunData> data;
  std::string error;  // "PATH: what" when data is empty
  bool ok() const { return data.has_value(); }
};

RunDataResult load_run(const std::string& dir);

// events.csv rows back to records. Returns the error "NAME:LINE: what" on a missing column or a
// field that is not the expected number; `name` names the file in errors.
std::string events_from_csv(const metrics::CsvTable& table, const std::string& name,
                            std::vector<metrics::EventRecord>& out);

// "1000.183118277" -> 1000183118277 rao, exactly (up to 9 decimals); nullopt when malformed.
std::optional<std::uint64_t> rao_from_tao_text(const std::string& text);

}  // namespace subnetsim::report
