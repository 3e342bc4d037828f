// subnetsim sweep SCENARIO [-o DIR] [--param PATH=V1,V2]... [--sample PATH=LO:HI]... [--grid FILE] ...
// subnetsim merge DIR [--shards N]
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "commands.hpp"
#include "flag_and_set.hpp"
#include "output_paths.hpp"
#include "stop_signals.hpp"
#include "subnetsim/core/diagnostics.hpp"
#include "subnetsim/core/file_lock.hpp"
#include "subnetsim/core/json_text.hpp"
#include "subnetsim/core/logging.hpp"
#include "subnetsim/core/sha256.hpp"
#include "subnetsim/runner/prepare.hpp"
#include "subnetsim/sweep/design.hpp"
#include "subnetsim/sweep/execute.hpp"
#include "subnetsim/sweep/files.hpp"
#include "subnetsim/sweep/lock.hpp"
#include "subnetsim/sweep/mpi.hpp"
#include "subnetsim/sweep/table.hpp"
#include "whole_number_option.hpp"

namespace subnetsim::app {

namespace po = boost::program_options;

namespace {

constexpr int kExitRunsFailed = 1;  // some runs failed; the others' results are written

int bad_input(const std::string& command, const std::string& message) {
  std::cerr << "subnetsim " << command << ": " << message << '\n';
  return core::kExitBadInput;
}

// "I/N" with 1 <= I <= N.
bool parse_shard(const std::string& text, std::size_t& shard, std::size_t& shards) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return false;
  try {
    std::size_t used = 0;
    shard = std::stoul(text.substr(0, slash), &used);
    if (used != slash) return false;
    shards = std::stoul(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1) return false;
  } catch (const std::exception&) {
    return false;
  }
  return shard >= 1 && shard <= shards;
}

// `table`: the index file written (a shard writes its own, index.shard-I-of-N.csv).
void report_failures(const std::string& command, std::size_t failed, std::size_t total,
                     const std::string& table) {
  std::cerr << "subnetsim " << command << ": " << failed << " of " << total
            << " runs failed (see the status and error columns of " << table << ")\n";
}

}  // namespace

int sweep_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "usage: subnetsim sweep SCENARIO [-o DIR] [options]\n\n"
      "Runs the scenario at every point of a parameter design, each point --replicates times, "
      "each\n"
      "run into DIR/runs/<run id>/ (as subnetsim run writes it), then writes DIR/index.csv (one "
      "row per\n"
      "run: parameters, seed, status, the metrics of summary.json), DIR/aggregates.csv (per point "
      "and\n"
      "metric: n, mean, sd, 95% interval) and DIR/sweep.json (the design). Paths are those of "
      "--set.\n"
      "A run's seed is a hash of the master seed, the point and the replicate. Rerunning the same\n"
      "command resumes: finished runs are skipped. Grid file (--grid), every key optional:\n"
      "  {\"params\": {\"subnets.1.kappa\": [0.3, 0.5]}, \"zip\": false,\n"
      "   \"sample\": {\"subnets.1.tempo\": [10, 20]}, \"samples\": 8, \"method\": \"lhs\", "
      "\"replicates\": 3}\n"
      "Failed expectations of a run do not make it fail: index.csv has expectations.failed.\n"
      "Exit status: 0 all runs ok, 1 some runs failed (recorded in index.csv), 2 bad input "
      "(nothing ran),\n"
      "4 internal error, 130 interrupted (Ctrl-C, SIGTERM: the same command resumes).\n\n"
      "options");
  std::string out_dir, grid, method_text, shard_text;
  std::vector<std::string> files, params, samples, sets;
  SeedValue seed;
  BlockCount horizon;
  PositiveCount sample_count, replicates;
  ThreadCount jobs{1};
  bool zip = false, quiet = false, use_mpi = false;
  opts.add_options()("help,h", "show this help")(
      "output,o", po::value(&out_dir), "sweep directory (default: sweeps/<scenario name>)")(
      "param", po::value(&params)->composing(),
      "PATH=V1,V2,...: values of one field (repeatable; JSON values)")(
      "zip", po::bool_switch(&zip),
      "pair the --param lists element by element instead of their product")(
      "sample", po::value(&samples)->composing(),
      "PATH=LO:HI: a range to sample (integers when LO and HI are and the field holds integers)")(
      "samples", po::value(&sample_count), "number of sampled points")(
      "method", po::value(&method_text), "sampling: lhs (Latin hypercube, default) or random")(
      "grid", po::value(&grid), "the design from a JSON file (format above); flags add to it")(
      "replicates", po::value(&replicates),
      "runs per point, each with its own seed (default 1; a sweep holds at most 10,000,000 runs)")(
      "seed", po::value(&seed), "master seed (default: the scenario's)")(
      "horizon", po::value(&horizon), "blocks to simulate (same as --set horizon_blocks=N)")(
      "set", po::value(&sets)->composing(), "override a field of every run: path=value")(
      "jobs,j", po::value(&jobs)->default_value(ThreadCount{1}, "1"),
      "worker threads, 1 to 1024, each running whole runs (results do not depend on it)")(
      "shard", po::value(&shard_text),
      "I/N: only the runs whose index mod N is I-1; writes DIR/index.shard-I-of-N.csv")(
      "mpi", po::bool_switch(&use_mpi),
      "under mpirun: rank r runs the runs whose index mod size is r; rank 0 writes the tables")(
      "quiet,q", po::bool_switch(&quiet),
      "no progress and no closing line (errors are still printed)");
  po::variables_map vm;
  if (parse_command(args, opts, 1, files, vm)) return core::kExitOk;
  if (files.empty()) return bad_input("sweep", "no scenario file given (see subnetsim sweep --help)");
  std::size_t shard = 1, shards = 1;
  if (vm.count("shard") && !parse_shard(shard_text, shard, shards))
    return bad_input("sweep", "--shard: expected I/N with 1 <= I <= N, got \"" + shard_text + "\"");
  if (use_mpi && vm.count("shard")) return bad_input("sweep", "--mpi and --shard cannot be combined");
  if (use_mpi && !sweep::mpi::available())
    return bad_input("sweep", "--mpi: this build has no MPI support (install libopenmpi-dev and openmpi-bin, then "
                              "rebuild with -DSUBNETSIM_MPI=ON)");

  // The design: the grid file first, then the flags.
  sweep::Design design;
  if (vm.count("grid"))
    if (const std::string problems = sweep::read_grid(grid, design); !problems.empty()) {
      std::cerr << problems;
      return core::kExitBadInput;
    }
  for (const auto& spec : params) {
    sweep::Param p;
    if (auto e = sweep::parse_param(spec, p); !e.empty()) return bad_input("sweep", e);
    design.params.push_back(std::move(p));
  }
  for (const auto& spec : samples) {
    sweep::SampleRange r;
    if (auto e = sweep::parse_sample(spec, r); !e.empty()) return bad_input("sweep", e);
    design.samples.push_back(std::move(r));
  }
  design.zip = design.zip || zip;
  if (vm.count("method") && !sweep::method_from_name(method_text))
    return bad_input("sweep",
                     "--method: expected \"lhs\" or \"random\", got \"" + method_text + "\"");
  // A flag and the grid file giving one setting two values: one would be ignored.
  auto given_twice = [&](const char* key, const std::string& flag_value,
                         const std::string& file_value) {
    const bool in_file =
        std::find(design.from_file.begin(), design.from_file.end(), key) != design.from_file.end();
    if (!vm.count(key) || !in_file || flag_value == file_value) return std::string();
    return "--" + std::string(key) + " " + flag_value + " and " + design.file + " /" + key + " (" +
           file_value + ") disagree, and one would be ignored: drop one";
  };
  for (const std::string& e :
       {given_twice("samples", std::to_string(sample_count.value),
                    std::to_string(design.sample_count)),
        given_twice("replicates", std::to_string(replicates.value),
                    std::to_string(design.replicates)),
        given_twice("method", method_text, sweep::method_name(design.method))})
    if (!e.empty()) return bad_input("sweep", e);
  if (vm.count("samples")) design.sample_count = sample_count.value;
  if (vm.count("replicates")) design.replicates = replicates.value;
  if (vm.count("method")) {
    const auto m = sweep::method_from_name(method_text);
    if (!m) return bad_input("sweep", "--method: expected \"lhs\" or \"random\", got \"" + method_text + "\"");
    // Given alone it would change nothing: say so rather than run a grid as if sampled.
    if (design.samples.empty())
      return bad_input(
          "sweep",
          "--method chooses how --sample points are drawn, and there is no --sample PATH=LO:HI");
    design.method = *m;
  }

  // Each run's seed derives from the master seed: given twice, one would be ignored; so would
  // one of two horizons.
  for (const std::string& conflict :
       {vm.count("seed") ? flag_and_set_conflict(sets, "--seed", std::to_string(seed.value), "seed")
                         : "",
        vm.count("horizon") ? flag_and_set_conflict(sets, "--horizon",
                                                    std::to_string(horizon.value), "horizon_blocks")
                            : ""})
    if (!conflict.empty()) return bad_input("sweep", conflict);
  // The base scenario (every run's --set), its master seed, and the plan.
  sweep::Plan plan;
  plan.scenario = files.front();
  plan.overrides = sets;
  if (vm.count("horizon")) plan.overrides.push_back("horizon_blocks=" + std::to_string(horizon.value));
  runner::PreparedScenario base = runner::prepare_scenario(plan.scenario, plan.overrides);
  if (!base.ok() && (!design.params.empty() || !design.samples.empty())) {
    // The shared overrides alone need not make a valid scenario: each point completes it
    // (--set alpha_low=0.95 with alpha_high swept above it; --set market.model=path with the
    // path_csv swept). The first value of each parameter stands in for the base then (its
    // name, seed and content hash); every point is checked below.
    std::vector<std::string> first = plan.overrides;
    for (const auto& p : design.params)
      if (!p.values.empty()) first.push_back(p.path + "=" + core::dump_json(p.values.front()));
    for (const auto& r : design.samples)
      first.push_back(r.path + "=" + core::dump_json(sweep::json(r.lo)));
    runner::PreparedScenario completed = runner::prepare_scenario(plan.scenario, first);
    if (completed.ok()) base = std::move(completed);
  }
  if (!base.ok()) {
    std::cerr << base.problems;
    return core::kExitBadInput;
  }
  // The resolved scenario holds a CSV price path's points too (prepare_scenario inlines them):
  // its hash is the content's, as each run's manifest records it.
  plan.scenario_sha256 = core::sha256_hex(base.resolved_json);
  const nlohmann::json resolved = core::parse_json_or_discarded(base.resolved_json);
  sweep::type_samples_by_field(resolved, design);
  if (auto e = sweep::expand(design, vm.count("seed") ? seed.value : base.scenario->seed, plan,
                             resolved.is_discarded() ? nullptr : &resolved);
      !e.empty())
    return bad_input("sweep", e);

  std::unique_ptr<sweep::mpi::Session> session;
  if (use_mpi) {
    try {
      session = std::make_unique<sweep::mpi::Session>();
    } catch (const std::exception& e) {
      return bad_input("sweep", std::string("--mpi: ") + e.what());
    }
  }
  const bool lead = !session || session->rank() == 0;  // the process that speaks and writes the tables
  // Ctrl-C / SIGTERM (a job's time limit): the runs under way stop between blocks, no more
  // start, and the tables list what finished. Under MPI the launcher handles the signals.
  const std::atomic<bool>* stop = session ? nullptr : &install_stop_handlers();
  // Every point's scenario is checked before any run starts.
  std::vector<std::string> notes;
  if (const std::string repeated = sweep::repeated_points_note(plan); !repeated.empty())
    notes.push_back(repeated);
  if (const std::string problems = sweep::validate_points(plan, &notes, stop); !problems.empty()) {
    if (lead) std::cerr << problems;
    return core::kExitBadInput;
  }
  if (lead && !quiet && core::warnings_shown())
    for (const auto& note : notes) std::cerr << "note: " << note << '\n';
  if (stop != nullptr && stop->load()) {
    std::cerr << "subnetsim sweep: interrupted while checking the points: nothing ran\n";
    return core::kExitInterrupted;
  }
  // After the points: a sweep refused for one of them leaves no directory behind (this check
  // makes the directory, to learn that it can).
  if (!vm.count("output")) out_dir = "sweeps/" + base.scenario->name;
  if (const std::string problem = output_directory_problem("-o", out_dir); !problem.empty()) {
    // Every rank finds the same problem; the lead says it.
    if (lead) std::cerr << "subnetsim sweep: " << problem << '\n';
    return core::kExitBadInput;
  }
  // The lead speaks for every rank: the others learn that it refused (it says why, they stay
  // silent).
  auto refused_by_lead = [&](std::string problem) {
    if (session && session->broadcast(problem.empty() ? 0 : 1) != 0 && !lead)
      problem = "see rank 0";
    if (!problem.empty() && lead) std::cerr << "subnetsim sweep: " << problem << '\n';
    return !problem.empty();
  };
  // A directory that is not a sweep's is refused before a lock file is made in it.
  if (refused_by_lead(lead ? sweep::unclaimed_directory_problem(out_dir) : ""))
    return core::kExitBadInput;
  // The lock comes before sweep.json is written: a sweep refused for the lock must leave the
  // directory as it found it (a second sweep of another design started at the same time wrote
  // its own sweep.json over the first's, which then could not be resumed or merged). Held until
  // the process ends; under MPI the lead holds it for every rank (one sweep).
  std::string lock_error;
  const std::optional<sweep::DirectoryLock> lock =
      lead ? sweep::DirectoryLock::acquire(out_dir, shard, shards, lock_error) : std::nullopt;
  if (refused_by_lead(lead && !lock ? lock_error : "")) return core::kExitBadInput;
  // A run that took this directory at the same moment (it checked for a sweep before this lock
  // was taken): one of the two must give way.
  if (refused_by_lead(
          lead && core::FileLock::held_by_another(
                      (std::filesystem::path(out_dir) / ".run.lock").string())
              ? out_dir + ": a run is writing to this directory: choose a new or empty directory"
              : ""))
    return core::kExitBadInput;
  if (refused_by_lead(lead ? sweep::claim_directory(plan, out_dir) : ""))
    return core::kExitBadInput;

  const std::vector<sweep::Run> all = sweep::plan_runs(plan);
  const std::vector<sweep::Run> mine =
      session ? sweep::select_runs(all, static_cast<std::size_t>(session->rank()), static_cast<std::size_t>(session->size()))
              : sweep::select_runs(all, shard - 1, shards);
  sweep::ExecuteOptions options;
  options.jobs = static_cast<unsigned>(jobs.value);
  options.progress = quiet || !lead ? sweep::ProgressStyle::kNone
                     : isatty(STDERR_FILENO) ? sweep::ProgressStyle::kLine
                                             : sweep::ProgressStyle::kLog;
  options.stop = stop;
  const sweep::ExecuteResult result = sweep::execute_runs(plan, out_dir, mine, options);
  const bool interrupted = options.stop != nullptr && options.stop->load();

  std::vector<sweep::RunRow> rows = result.rows;
  std::string where = out_dir + "/index.csv";
  int code = core::kExitOk;
  try {
    if (session) {
      session->barrier();  // every rank's runs are on disk
      if (lead) {
        rows.clear();
        for (const sweep::Run& r : all)
          rows.push_back(sweep::row_from_directory(plan, r, sweep::run_directory(out_dir, r)));
        sweep::write_tables(plan, out_dir, rows);
      }
    } else if (vm.count("shard")) {
      sweep::write_shard_index(plan, out_dir, rows, shard, shards);
      where = out_dir + "/" + sweep::shard_file_name(shard, shards);
    } else {
      sweep::write_tables(plan, out_dir, rows);
    }
  } catch (const std::exception& e) {
    std::cerr << "subnetsim sweep: cannot write the tables: " << e.what() << '\n';
    code = core::kExitInternalError;
  }
  if (interrupted) {
    std::cerr << "subnetsim sweep: interrupted: " << result.ran - result.failed << " runs finished, "
              << result.failed << " stopped or failed, " << result.not_started
              << " not started (" << where << " lists those begun); the same command resumes\n";
    return code == core::kExitOk ? core::kExitInterrupted : code;
  }
  const std::size_t failed = sweep::failed_count(rows);
  if (code == core::kExitOk && failed > 0) code = kExitRunsFailed;
  if (session) code = session->broadcast(code);
  if (!quiet && lead) {
    std::cerr << "sweep: " << mine.size() << " runs";
    if (session) std::cerr << " on rank 0 of " << session->size() << " (" << all.size() << " in all)";
    else if (vm.count("shard")) std::cerr << " of shard " << shard << "/" << shards << " (" << all.size() << " in all)";
    char timing[64];
    std::snprintf(timing, sizeof timing, "%.2f s (%.2f runs/s)", result.wall_s,
                  result.wall_s > 0 ? static_cast<double>(result.ran) / result.wall_s : 0.0);
    std::cerr << ": " << result.ran << " ran, " << result.skipped << " skipped, " << result.failed << " failed in "
              << timing << " -> " << where << '\n';
  }
  if (lead && failed > 0) report_failures("sweep", failed, rows.size(), where);
  return code;
}

int merge_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "usage: subnetsim merge DIR [--shards N]\n\n"
      "Combines the shard indexes of a sweep run with --shard I/N (DIR/index.shard-I-of-N.csv) "
      "into\n"
      "DIR/index.csv and DIR/aggregates.csv, exactly as a sweep on one machine writes them. Checks "
      "that\n"
      "every shard is there and that each holds its runs of DIR/sweep.json.\n"
      "Exit status: 0 all runs ok, 1 some runs failed, 2 missing, interrupted or foreign shards "
      "(nothing\n"
      "written), 4 internal error (the tables cannot be written).\n\n"
      "options");
  PositiveCount shards_given;
  bool quiet = false;
  std::vector<std::string> files;
  opts.add_options()("help,h", "show this help")(
      "shards", po::value(&shards_given), "the number of shards (default: found from the files)")(
      "quiet,q", po::bool_switch(&quiet), "no closing line");
  po::variables_map vm;
  if (parse_command(args, opts, 1, files, vm)) return core::kExitOk;
  if (files.empty()) return bad_input("merge", "no sweep directory given (see subnetsim merge --help)");
  std::size_t shards = vm.count("shards") ? shards_given.value : 0;  // 0: found from the files
  const std::string& dir = files.front();
  if (dir.empty()) return bad_input("merge", "expected a sweep directory, got an empty path");
  sweep::Plan plan;
  if (auto e = sweep::read_plan(dir, plan); !e.empty()) return bad_input("merge", e);
  // Not while a shard (or a whole sweep) still writes here: its index would be merged half done.
  std::string lock_error;
  const auto lock = sweep::DirectoryLock::acquire(dir, 1, 1, lock_error);
  if (!lock) return bad_input("merge", lock_error);
  std::vector<sweep::RunRow> rows;
  if (auto e = sweep::read_shards(plan, dir, shards, rows); !e.empty()) return bad_input("merge", e);
  try {
    sweep::write_tables(plan, dir, rows);
  } catch (const std::exception& e) {
    std::cerr << "subnetsim merge: cannot write the tables: " << e.what() << '\n';
    return core::kExitInternalError;
  }
  const std::size_t failed = sweep::failed_count(rows);
  if (!quiet) std::cerr << "merge: " << rows.size() << " runs, " << failed << " failed -> " << dir << "/index.csv\n";
  if (failed > 0) {
    report_failures("merge", failed, rows.size(), dir + "/index.csv");
    return kExitRunsFailed;
  }
  return core::kExitOk;
}

}  // namespace subnetsim::app
