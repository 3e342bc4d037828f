// subnetsim cases [SCENARIO...|DIR] -o OUT [--variants classic,yuma3,yuma3_liquid] [--horizon N] [--set ...]
#include <algorithm>
#include <boost/algorithm/string/classification.hpp>
#include <boost/algorithm/string/split.hpp>
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>

#include "commands.hpp"
#include "flag_and_set.hpp"
#include "output_paths.hpp"
#include "stop_signals.hpp"
#include "subnetsim/cases/cases.hpp"
#include "subnetsim/core/diagnostics.hpp"
#include "subnetsim/core/file_lock.hpp"
#include "subnetsim/results/junit.hpp"
#include "subnetsim/scenario/loader.hpp"
#include "whole_number_option.hpp"

namespace subnetsim::app {

namespace po = boost::program_options;
namespace fs = std::filesystem;

int cases_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "usage: subnetsim cases [SCENARIO...|DIR] -o OUT [options]\n\n"
      "Runs each case (default: the classic Yuma cases in scenarios/yuma-cases, here or in the\n"
      "source tree this binary was built from) under each Yuma\n"
      "variant, each into OUT/runs/<case>/<variant>/, then writes OUT/cases.csv (per case, "
      "variant,\n"
      "epoch and validator group: stake, dividends, bonds, incentive of each miner group), "
      "OUT/cases.md\n"
      "(total dividends per validator and variant, side by side, with stake shares) and\n"
      "OUT/cases.html (the same with a chart of dividends per epoch for each variant).\n"
      "A case's `expect` list is checked on its run under its own variant; --junit FILE writes "
      "those\n"
      "results as JUnit XML, one test suite per case.\n"
      "Exit status: 0 ok, 1 expectations not met, 2 bad input (nothing ran) or OUT in use by "
      "another\n"
      "cases command, 3/4 a run failed, 130 interrupted (Ctrl-C, SIGTERM: the same command runs "
      "them again).\n\n"
      "options");
  std::string out_dir, variants = "classic,yuma3,yuma3_liquid";
  std::vector<std::string> sets, files;
  BlockCount horizon;
  ThreadCount threads{1};
  bool quiet = false;
  std::string junit;
  opts.add_options()("help,h", "show this help")("output,o", po::value(&out_dir),
                                                 "output directory (required)")(
      "junit", po::value(&junit), "write the cases' expectations as JUnit XML to this file")(
      "variants", po::value(&variants),
      "comma-separated Yuma variants (default: classic,yuma3,yuma3_liquid)")(
      "horizon", po::value(&horizon),
      "blocks to simulate in every case (same as --set horizon_blocks=N)")(
      "set", po::value(&sets)->composing(), "override a field of every case: path=value")(
      "threads", po::value(&threads)->default_value(ThreadCount{1}, "1"),
      "worker threads per run, 1 to 1024 (results do not depend on it)")(
      "quiet,q", po::bool_switch(&quiet),
      "no progress lines and no closing line (errors are still printed)");
  po::variables_map vm;
  try {
    if (parse_command(args, opts, -1, files, vm)) return core::kExitOk;
  } catch (...) {
    // Refused while its options are parsed (a --horizon of 0, an unknown option): no earlier
    // report may pass for this command's.
    remove_stale_junit_named_in(args);
    throw;
  }
  if (!vm.count("output")) {
    std::cerr << "subnetsim cases: no output directory given (-o OUT; see subnetsim cases --help)\n";
    return core::kExitBadInput;
  }
  // The options are checked before OUT is made or locked: a mistake in them leaves nothing behind.
  cases::CasesOptions options;
  if (vm.count("horizon")) {
    if (const std::string conflict = flag_and_set_conflict(
            sets, "--horizon", std::to_string(horizon.value), "horizon_blocks");
        !conflict.empty()) {
      std::cerr << "subnetsim cases: " << conflict << '\n';
      return core::kExitBadInput;
    }
    options.horizon = horizon.value;
  }
  options.variants.clear();
  std::vector<std::string> parts;
  boost::split(parts, variants, boost::is_any_of(","));
  for (const std::string& v : parts)
    if (!v.empty()) options.variants.push_back(v);
  for (std::size_t i = 0; i < options.variants.size(); ++i)
    for (std::size_t k = 0; k < i; ++k)
      if (options.variants[i] == options.variants[k]) {
        std::cerr << "subnetsim cases: --variants: \"" << options.variants[i]
                  << "\" is given twice\n";
        return core::kExitBadInput;
      }
  if (options.variants.empty()) {
    std::cerr << "subnetsim cases: --variants: expected at least one variant, got \"" << variants
              << "\"\n";
    return core::kExitBadInput;
  }
  if (const std::string error = cases::check_variants(options.variants); !error.empty()) {
    std::cerr << "subnetsim cases: --variants: " << error << '\n';
    return core::kExitBadInput;
  }

  // The directories this command makes are taken away again when it ends refused with nothing
  // run, with its lock file (in a directory it did not make, the lock file stays: another cases
  // command may be opening it). They are made here one by one along the path as written, and
  // each is named as it was made, so that symbolic links and ".." resolve on removal exactly as
  // they did on creation.
  std::vector<fs::path> made;
  {
    std::error_code ec;
    fs::path p;
    for (const fs::path& part : fs::path(out_dir)) {
      p /= part;
      if (part.empty() || part == "." || part == ".." || fs::exists(p, ec)) continue;
      if (fs::create_directory(p, ec)) made.push_back(p);
    }
  }
  auto take_away_made = [&] {
    std::error_code ec;
    if (!made.empty() && fs::exists(fs::path(out_dir), ec) &&
        std::any_of(made.begin(), made.end(),
                    [&](const fs::path& m) { return fs::equivalent(m, fs::path(out_dir), ec); }))
      fs::remove(fs::path(out_dir) / ".cases.lock", ec);
    for (auto it = made.rbegin(); it != made.rend(); ++it) fs::remove(*it, ec);  // if empty
  };
  if (const std::string problem = output_directory_problem("-o", out_dir); !problem.empty()) {
    take_away_made();
    std::cerr << "subnetsim cases: " << problem << '\n';
    return core::kExitBadInput;
  }
  // One cases command at a time in a directory (a second replaced the first's finished runs);
  // held to the end.
  bool busy = false;
  std::string lock_error;
  const std::optional<core::FileLock> lock =
      core::FileLock::try_lock((fs::path(out_dir) / ".cases.lock").string(),
                               core::FileLock::Mode::kExclusive, busy, lock_error);
  if (!lock) {
    std::cerr << "subnetsim cases: "
              << (busy ? out_dir +
                             ": another cases command is writing to this directory: wait for it to "
                             "end, or use "
                             "another directory"
                       : lock_error + ": choose a directory this user can write")
              << '\n';
    return core::kExitBadInput;
  }
  auto refused = [&](int code) {
    take_away_made();
    return code;
  };
  if (vm.count("junit")) {
    const std::string given = junit;
    junit = results::report_file(junit);  // a link: the file it points at (as run does)
    std::string ignored;
    std::string problem = junit_target_problem(junit, cases::case_files(files, ignored), given);
    if (problem.empty()) problem = output_file_problem("--junit", junit, out_dir);
    std::error_code ec;
    const fs::path report = fs::weakly_canonical(fs::absolute(junit), ec);
    for (const char* table : {"cases.csv", "cases.md", "cases.html"})
      if (problem.empty() &&
          report == fs::weakly_canonical(fs::absolute(fs::path(out_dir) / table), ec))
        problem = "--junit: \"" + junit +
                  "\" is one of the tables cases writes, expected another name (e.g. junit.xml)";
    if (!problem.empty()) {
      std::cerr << "subnetsim cases: " << problem << '\n';
      return refused(core::kExitBadInput);
    }
    remove_stale_junit(junit);
  }
  // The shipped cases: scenarios/yuma-cases here (a checkout), else the source tree's, found
  // beside its configs/ (as presets are), so that the default works from any directory.
  const fs::path shipped = fs::exists("scenarios/yuma-cases")
                               ? fs::path("scenarios/yuma-cases")
                               : fs::path(scenario::default_config_dir()).parent_path() / "scenarios" / "yuma-cases";
  options.inputs = files.empty() ? std::vector<std::string>{shipped.string()} : files;

  options.out_dir = out_dir;
  options.sets = sets;
  options.threads = static_cast<unsigned>(threads.value);
  options.quiet = quiet;
  options.stop = &install_stop_handlers();
  const cases::CasesReport report = cases::run_cases(options, std::cerr);
  if (report.interrupted) {
    std::cerr << "subnetsim cases: " << report.problems;
    return core::kExitInterrupted;
  }
  if (report.cases.empty()) {
    std::cerr << report.problems;
    return report.exit_code == core::kExitBadInput ? refused(report.exit_code) : report.exit_code;
  }
  if (const std::string error = cases::write_outputs(report.cases, out_dir); !error.empty()) {
    std::cerr << "subnetsim cases: " << error << '\n';
    return core::kExitInternalError;
  }
  if (!junit.empty()) {
    // One suite per case: its expectations on the run under its own variant (none when that
    // variant was not asked for), or an error when that run did not finish.
    std::vector<results::JunitSuite> suites;
    for (const auto& c : report.cases) {
      results::JunitSuite suite{c.id, {}, ""};
      for (const auto& run : c.runs)
        if (run.variant == c.own_variant) {
          suite.outcomes = run.expectations;
          if (!run.completed)
            suite.error = run.message.empty() ? "the run did not finish" : run.message;
        }
      suites.push_back(std::move(suite));
    }
    try {
      results::write_junit_suites(junit, "cases", suites);
    } catch (const std::exception& e) {
      std::cerr << "subnetsim cases: --junit: " << e.what() << '\n';
      return core::kExitInternalError;
    }
  }
  if (!quiet) {
    // Runs of cases an earlier `cases` wrote here stay (they are not this one's to remove), but
    // are not in the tables: say so, rather than let them pass for this comparison's.
    std::set<std::string> ours;  // "case" and "case/variant" of this comparison
    for (const auto& c : report.cases) {
      ours.insert(c.id);
      for (const auto& v : options.variants) ours.insert(c.id + "/" + v);
    }
    std::vector<std::string> stale;
    std::error_code ec;
    const fs::path runs = fs::path(out_dir) / "runs";
    for (fs::directory_iterator it(runs, ec), end; !ec && it != end; it.increment(ec)) {
      if (!it->is_directory(ec)) continue;
      const std::string id = it->path().filename().string();
      if (!ours.count(id)) {
        stale.push_back(id);
        continue;
      }
      std::error_code inner;
      for (fs::directory_iterator v(it->path(), inner), vend; !inner && v != vend;
           v.increment(inner))
        if (v->is_directory(inner) && !ours.count(id + "/" + v->path().filename().string()))
          stale.push_back(id + "/" + v->path().filename().string());
    }
    std::sort(stale.begin(), stale.end());
    if (!stale.empty()) {
      std::cerr << "note: " << out_dir
                << "/runs also holds runs of an earlier comparison, not in its tables:";
      for (const auto& id : stale) std::cerr << ' ' << id;
      std::cerr << '\n';
    }
    std::cerr << report.cases.size() << " cases x " << options.variants.size() << " variants -> "
              << out_dir << "/cases.{csv,md,html}\n";
  }
  if (report.exit_code != core::kExitOk) std::cerr << "subnetsim cases: " << report.problems;
  return report.exit_code;
}

}  // namespace subnetsim::app
