// Running a sweep's runs on this machine: each run into DIR/runs/<run id>/ through
// runner::prepare_scenario and runner::execute_run (one thread per run, no per-run progress),
// on `jobs` worker threads that each take whole runs.
//
// Invariants: a run's outputs depend only on the plan and the run (its seed is in the plan),
// never on the number of workers or on which runs this process was given; a run directory whose
// summary.json says "completed" with the run's seed is not run again (resume); a failing run is
// recorded with its error and the others go on.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "subnetsim/sweep/design.hpp"
#include "subnetsim/sweep/table.hpp"

namespace subnetsim::sweep {

enum class ProgressStyle { kNone, kLine, kLog };  // none; a live terminal line; a log line every 10 s

struct ExecuteOptions {
  unsigned jobs = 1;
  ProgressStyle progress = ProgressStyle::kNone;
  // When set and true (Ctrl-C, SIGTERM): the runs under way stop between blocks (recorded as
  // not finished, so that the same command resumes them) and no further run starts.
  const std::atomic<bool>* stop = nullptr;
};

struct ExecuteResult {
  std::vector<RunRow> rows;  // one per run started or skipped, in run-id order
  std::size_t ran = 0, skipped = 0, failed = 0;
  std::size_t not_started = 0;  // runs left when a stop was asked for
  double wall_s = 0.0;
};

// Checks every point's scenario before anything runs. Returns the problems, one line each,
// naming the parameter that caused them ("--param subnets.1.kapa=0.3,0.5: /subnets/1/kapa:
// unknown field ..."); "" when every point is valid.
// `notes`, when given, receives the points' notes (runner::PreparedScenario::notes: what happens
// after a horizon, ...), each once. `stop`, when given and set (Ctrl-C), ends the check early
// (a design of many points takes a while): the caller tests it and runs nothing.
std::string validate_points(const Plan& plan, std::vector<std::string>* notes = nullptr,
                            const std::atomic<bool>* stop = nullptr);

// The runs with index % parts == part.
std::vector<Run> select_runs(const std::vector<Run>& runs, std::size_t part, std::size_t parts);

std::string run_directory(const std::string& dir, const Run& run);

ExecuteResult execute_runs(const Plan& plan, const std::string& dir, const std::vector<Run>& runs,
                           const ExecuteOptions& options);

// "12 / 16 runs (75.0%), 3 skipped, 2.5 runs/s, ETA 2s": exposed for tests.
std::string progress_line(std::size_t done, std::size_t total, std::size_t skipped, std::size_t ran,
                          double elapsed_s);

}  // namespace subnetsim::sweep
