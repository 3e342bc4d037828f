// execute_run: one simulation of a prepared scenario into an output directory, with everything
// a run leaves behind (resolved_scenario.json, the CSV series, summary.json, manifest.json).
//
// Invariants: files appear under their final names only when complete (temporary name, then
// rename); the scenario's expectations are checked against the finished outputs and their
// results recorded in summary.json ("expectations"); summary.json says "status": "incomplete" from the start of the run until it is
// replaced by the final summary, so a killed run says that it did not finish; results already
// written are never truncated by a later failure.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "subnetsim/config/scenario.hpp"
#include "subnetsim/core/diagnostics.hpp"
#include "subnetsim/metrics/records.hpp"
#include "subnetsim/results/expectation.hpp"
#include "subnetsim/sim/simulation.hpp"

namespace subnetsim::runner {

enum class Progress { kNone, kLine, kLog };  // none; a live terminal line; a periodic log line

struct RunSettings {
  sim::RunOptions sim;
  Progress progress = Progress::kNone;
  // Further observers of the run (the story printer, ...), called after the writers.
  std::vector<metrics::Observer*> observers;
  // Also write report.html once the run is complete (`run --report`); the scenario's
  // /outputs/report asks for it too.
  bool report = false;
};

struct RunOutcome {
  core::ExitCode code = core::kExitOk;  // kExitOk, kExitInvariantBroken, kExitInternalError (cannot write)
  std::string message;                  // why, when code is not kExitOk
  nlohmann::ordered_json summary;               // what summary.json holds (empty when nothing ran)
  std::vector<results::ExpectationOutcome> expectations;  // the scenario's `expect`, in order
  std::uint64_t events = 0;             // events recorded
  double wall_s = 0.0;
  std::string report;  // the report.html written, if any
};

RunOutcome execute_run(const config::Scenario& scenario, const std::string& resolved_json,
                       const std::string& out_dir, const RunSettings& settings);

// Whether a run writes (or removes, before it starts) a file of this name in its directory
// ("events.csv", "summary.json.partial", ...): another output must not take such a name there.
bool is_run_file(std::string_view name);

// Why `dir` cannot take a run, or empty: it holds files of a run's names (report.html,
// summary.json, ...) but no sign of an earlier run: its .run.lock (made before anything else)
// or resolved_scenario.json (written next). A new run removes an earlier run's files; those of a
// folder that is not a run's directory are someone's own and stay untouched.
std::string foreign_files_problem(const std::string& dir);

}  // namespace subnetsim::runner
