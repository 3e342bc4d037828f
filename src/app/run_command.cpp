// subnetsim run SCENARIO [-o DIR] [--seed N] [--horizon BLOCKS] [--set path=value]... [--threads N]
#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "commands.hpp"
#include "flag_and_set.hpp"
#include "output_paths.hpp"
#include "stop_signals.hpp"
#include "subnetsim/core/diagnostics.hpp"
#include "subnetsim/core/logging.hpp"
#include "subnetsim/core/version.hpp"
#include "subnetsim/report/story_printer.hpp"
#include "subnetsim/results/junit.hpp"
#include "subnetsim/results/outcome_table.hpp"
#include "subnetsim/runner/execute.hpp"
#include "subnetsim/runner/prepare.hpp"
#include "subnetsim/scenario/loader.hpp"
#include "whole_number_option.hpp"

namespace subnetsim::app {
namespace {

// The cores this process may run on (its affinity mask: a Slurm job's share, not the node's),
// at least 1.
unsigned available_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
    return static_cast<unsigned>(CPU_COUNT(&set));
  const unsigned n = std::thread::hardware_concurrency();
  return n > 0 ? n : 1;
}

}  // namespace

namespace po = boost::program_options;
namespace fs = std::filesystem;

int run_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "usage: subnetsim run SCENARIO [options]\n\n"
      "Simulates the scenario block by block and writes its output directory:\n"
      "resolved_scenario.json, events.csv, epochs.csv (per uid), classes.csv (per agent\n"
      "group), globals.csv, agents.csv, summary.json (metrics) and manifest.json.\n"
      "Progress goes to stderr. Expectations (the scenario's `expect`, or --set\n"
      "'expect=[...]') are checked at the end and printed as a table.\n"
      "Exit status: 0 ok, 1 an expectation failed, 2 bad scenario (nothing ran),\n"
      "3 invariant broken: conservation, or an amount or price beyond its range (outputs\n"
      "so far kept), 4 outputs could not be written, 130 interrupted (Ctrl-C or SIGTERM:\n"
      "the run stops between blocks and writes everything up to there).\n\n"
      "options");
  std::string out_dir, backend_name;
  std::vector<std::string> sets, files;
  SeedValue seed;
  BlockCount horizon;
  ThreadCount threads{1};
  bool quiet = false, story = false, report = false;
  std::string junit;
  opts.add_options()("help,h", "show this help")(
      "output,o", po::value(&out_dir), "output directory (default: runs/<scenario name>)")(
      "seed", po::value(&seed), "master seed (same as --set seed=N)")(
      "horizon", po::value(&horizon), "blocks to simulate (same as --set horizon_blocks=N)")(
      "set", po::value(&sets)->composing(), "override a field: path=value (see subnetsim validate --help)")(
      "threads", po::value(&threads)->default_value(ThreadCount{1}, "1"), "worker threads, 1 to 1024 (results do not depend on it)")(
      "backend", po::value(&backend_name), "consensus backend: float or exact (default: the scenario's)")(
      "quiet,q", po::bool_switch(&quiet), "no progress line and no closing line (errors are still printed)")(
      "story", po::bool_switch(&story), "print the run's story to stdout as it happens")(
      "report", po::bool_switch(&report), "also write report.html into the output directory")(
      "junit", po::value(&junit), "write the expectations' results as JUnit XML to this file");
  po::variables_map vm;
  try {
    if (parse_command(args, opts, 1, files, vm)) return core::kExitOk;
  } catch (...) {
    // Refused while its options are parsed (a --horizon of 0, an unknown option): no earlier
    // report may pass for this command's.
    remove_stale_junit_named_in(args);
    throw;
  }
  if (files.empty()) {
    std::cerr << "subnetsim run: no scenario file given (see subnetsim run --help)\n";
    return core::kExitBadInput;
  }
  const std::string& file = files.front();
  if (vm.count("junit")) {
    // A symbolic link is checked, written and removed as the file it points at (the link
    // stays): a link to a lock file or into a missing folder is refused here, like the path.
    const std::string given = junit;
    junit = results::report_file(junit);
    if (const std::string problem = junit_target_problem(junit, {file}, given); !problem.empty()) {
      std::cerr << "subnetsim run: " << problem << '\n';
      return core::kExitBadInput;
    }
    remove_stale_junit(junit);
  }
  for (const std::string& conflict :
       {vm.count("seed") ? flag_and_set_conflict(sets, "--seed", std::to_string(seed.value), "seed")
                         : "",
        vm.count("horizon") ? flag_and_set_conflict(sets, "--horizon",
                                                    std::to_string(horizon.value), "horizon_blocks")
                            : "",
        vm.count("backend")
            ? flag_and_set_conflict(sets, "--backend", backend_name, "chain.consensus_backend")
            : ""})
    if (!conflict.empty()) {
      std::cerr << "subnetsim run: " << conflict << '\n';
      return core::kExitBadInput;
    }
  scenario::LoadOptions load;
  load.overrides = sets;
  if (vm.count("seed")) load.overrides.push_back("seed=" + std::to_string(seed.value));
  if (vm.count("horizon")) load.overrides.push_back("horizon_blocks=" + std::to_string(horizon.value));
  sim::RunOptions run_options;
  run_options.threads = static_cast<unsigned>(threads.value);
  if (vm.count("backend")) {
    if (!consensus::backend_from_name(backend_name)) {
      std::cerr << "subnetsim run: --backend: expected \"float\" or \"exact\", got \"" << backend_name << "\"\n";
      return core::kExitBadInput;
    }
    // As a scenario override, so that resolved_scenario.json records it and reruns the same.
    load.overrides.push_back("chain.consensus_backend=\"" + backend_name + "\"");
  }
  runner::PreparedScenario prepared = runner::prepare_scenario(file, load.overrides);
  if (!prepared.ok()) {
    std::cerr << prepared.problems;
    return core::kExitBadInput;
  }
  const config::Scenario& s = *prepared.scenario;
  if (!quiet && core::warnings_shown())
    for (const auto& note : prepared.notes) std::cerr << "note: " << note << '\n';
  // Threads beyond the cores this process may run on only wait for each other (a waiting
  // thread polls before it sleeps): 8 on 2 cores ran slower than 2. The outputs do not depend
  // on the count, so the cores there are is what runs.
  if (const unsigned cores = available_cores(); run_options.threads > cores) {
    if (!quiet && core::warnings_shown())
      std::cerr << "note: --threads " << run_options.threads << ": this process may run on "
                << cores << (cores == 1 ? " core" : " cores") << ", so " << cores
                << (cores == 1 ? " thread runs" : " threads run")
                << " (more would only wait for each other; the outputs are the same)\n";
    run_options.threads = cores;
  }
  if (!vm.count("output")) out_dir = "runs/" + s.name;
  // Where the run will write, checked before it starts.
  std::string path_problem = output_directory_problem("-o", out_dir);
  if (path_problem.empty()) {
    path_problem = runner::foreign_files_problem(out_dir);
    if (!path_problem.empty()) path_problem = "-o: " + path_problem;
  }
  if (path_problem.empty() && !junit.empty())
    path_problem = output_file_problem("--junit", junit, out_dir);
  // In the output directory, the JUnit file must not take the name of one the run writes.
  if (path_problem.empty() && !junit.empty()) {
    std::error_code ec;
    const fs::path j(junit);
    if (runner::is_run_file(j.filename().string()) &&
        fs::weakly_canonical(fs::absolute(j.parent_path().empty() ? fs::path(".") : j.parent_path()), ec) ==
            fs::weakly_canonical(fs::absolute(out_dir), ec))
      path_problem = "--junit: \"" + junit + "\" is one of the files the run writes in " + out_dir +
                     ", expected another name (e.g. junit.xml)";
  }
  if (!path_problem.empty()) {
    std::cerr << "subnetsim run: " << path_problem << '\n';
    return core::kExitBadInput;
  }
  runner::RunSettings settings;
  // SIGINT / SIGTERM: the simulation stops between blocks and the run is written up to there.
  run_options.stop = &install_stop_handlers();
  settings.sim = run_options;
  settings.report = report;
  settings.progress = quiet ? runner::Progress::kNone
                      : isatty(STDERR_FILENO) ? runner::Progress::kLine
                                              : runner::Progress::kLog;
  std::optional<report::StoryPrinter> story_printer;
  if (story) {
    story_printer.emplace(s, std::cout);
    settings.observers.push_back(&*story_printer);
  }
  const runner::RunOutcome outcome = runner::execute_run(s, prepared.resolved_json, out_dir, settings);
  if (story_printer) story_printer->finish();
  auto junit_error = [&] {
    if (junit.empty()) return;
    try {
      results::write_junit_error(junit, s.name, outcome.message);
    } catch (const std::exception& e) {
      std::cerr << "subnetsim run: --junit: " << e.what() << '\n';
    }
  };
  if (outcome.summary.empty()) {
    std::cerr << "subnetsim run: " << outcome.message << '\n';
    junit_error();
    return outcome.code;
  }
  if (!quiet)
    std::cerr << s.name << ": " << outcome.summary["blocks"] << " blocks, " << outcome.summary["epochs"]
              << " epochs, issuance " << outcome.summary["issuance_tao"] << " TAO, slashed "
              << outcome.summary["slashed_tao"] << " TAO, " << outcome.events << " events in " << outcome.wall_s
              << " s -> " << out_dir << "\n";
  // The verdicts as a table on stdout and, with --junit, as the report; false when the report
  // cannot be written (said on stderr).
  auto give_verdicts = [&] {
    results::print_outcomes(std::cout, outcome.expectations);
    if (junit.empty()) return true;
    try {
      results::write_junit(junit, s.name, outcome.expectations);
    } catch (const std::exception& e) {
      std::cerr << "subnetsim run: --junit: " << e.what() << '\n';
      return false;
    }
    return true;
  };
  if (outcome.code != core::kExitOk) {
    std::cerr << "subnetsim run: " << outcome.message << '\n';
    // Stopped by Ctrl-C after the expectations were judged (while the report was made): their
    // verdicts are complete and in summary.json, so the table and the JUnit report give them
    // too. Any other failure (an output not written) is the JUnit report's error.
    if (outcome.code == core::kExitInterrupted && !outcome.expectations.empty())
      give_verdicts();
    else
      junit_error();
    return outcome.code;
  }
  if (!outcome.expectations.empty()) {
    if (!give_verdicts()) return core::kExitInternalError;
  } else if (!junit.empty()) {
    results::write_junit(junit, s.name, {});  // no expectations: an empty suite, still valid
  }
  if (!outcome.report.empty() && !quiet) std::cerr << "report: " << outcome.report << '\n';
  if (results::count_failed(outcome.expectations) > 0) return core::kExitExpectationsFailed;
  return core::kExitOk;
}

}  // namespace subnetsim::app
