// Running every case under every variant: prepare all, then run each into its directory.
#include <algorithm>
#include <filesystem>
#include <ostream>
#include <set>
#include <sstream>

#include "subnetsim/cases/cases.hpp"
#include "subnetsim/config/chain.hpp"
#include "subnetsim/core/diagnostics.hpp"
#include "subnetsim/results/outcome_table.hpp"
#include "subnetsim/results/run_data.hpp"
#include "subnetsim/runner/execute.hpp"
#include "subnetsim/runner/prepare.hpp"

namespace subnetsim::cases {

namespace fs = std::filesystem;

std::vector<std::string> case_files(const std::vector<std::string>& inputs, std::string& error) {
  std::vector<std::string> files;
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (fs::is_directory(input, ec)) {
      std::vector<std::string> found;
      for (const auto& e : fs::directory_iterator(input, ec))
        if (e.is_regular_file() && e.path().extension() == ".json") found.push_back(e.path().string());
      if (found.empty()) {
        error = input + ": no scenario files (*.json) in this directory";
        return {};
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(input, ec)) {
      files.push_back(input);
    } else {
      error = input + ": file not found";
      return {};
    }
  }
  // A case twice (named alone and in its directory, say) would run twice, in one column pair.
  for (std::size_t i = 0; i < files.size(); ++i)
    for (std::size_t k = 0; k < i; ++k) {
      std::error_code ec;
      if (fs::weakly_canonical(files[i], ec) == fs::weakly_canonical(files[k], ec)) {
        error = files[i] + ": given twice (also as " + files[k] + ")";
        return {};
      }
    }
  return files;
}

std::string check_variants(const std::vector<std::string>& variants) {
  for (const std::string& v : variants) {
    if (config::enum_from_name<consensus::Variant>(config::kYumaNames, v)) continue;
    std::string names;
    for (const auto& known : config::kYumaNames) names += (names.empty() ? "" : ", ") + std::string(known.name);
    return "unknown variant \"" + v + "\" (expected one of " + names + ")";
  }
  return "";
}

namespace {

// A case prepared under each variant (all of them valid), ready to run.
struct PreparedCase {
  CaseResult result;
  std::vector<runner::PreparedScenario> prepared;  // one per variant
};

std::vector<std::string> common_overrides(const CasesOptions& o) {
  std::vector<std::string> out = o.sets;
  if (o.horizon) out.push_back("horizon_blocks=" + std::to_string(*o.horizon));
  return out;
}

// Prepares one case file under every variant; problems are appended, one line each.
std::optional<PreparedCase> prepare_case(const std::string& file, const CasesOptions& o,
                                         std::string& problems) {
  const std::vector<std::string> base = common_overrides(o);
  runner::PreparedScenario plain = runner::prepare_scenario(file, base);
  if (!plain.ok()) {
    problems += plain.problems;
    return std::nullopt;
  }
  const config::Scenario& s = *plain.scenario;
  // A case compares one subnet's validators under each variant; several subnets would be put
  // under one variant together and their rows mixed in the tables.
  if (s.subnets.size() != 1) {
    problems += file + ": a case is one subnet, this scenario has " +
                std::to_string(s.subnets.size()) +
                " (compare variants of it with run --set subnets.N.yuma=..., or sweep --param)\n";
    return std::nullopt;
  }
  // (The script is in block order here, not the file's: named by block, not by index.)
  for (const config::ScriptEvent& e : s.script)
    if (e.action == config::ScriptAction::kCreateSubnet) {
      problems +=
          file + ": /script: a case is one subnet, and its script creates subnet " +
          std::to_string(e.netuid) + " at block " + std::to_string(e.at_block) +
          " (compare variants of a network with run --set subnets.N.yuma=..., or sweep --param)\n";
      return std::nullopt;
    }
  PreparedCase c;
  CaseResult& r = c.result;
  r.id = fs::path(file).stem().string();
  r.file = file;
  r.name = s.name;
  r.description = s.description;
  if (!s.subnets.empty())
    r.own_variant = config::enum_name<consensus::Variant>(config::kYumaNames, s.subnets.begin()->second.yuma);
  for (const auto& [id, g] : s.agents) {
    if (g.is_validator()) r.validators.push_back(id);
    if (g.is_miner()) r.miners.push_back(id);
  }
  bool ok = true;
  for (const std::string& variant : o.variants) {
    std::vector<std::string> overrides = base;
    for (const auto& [netuid, p] : s.subnets)
      overrides.push_back("subnets." + std::to_string(netuid) + ".yuma=" + variant);
    runner::PreparedScenario p = runner::prepare_scenario(file, overrides);
    if (!p.ok()) {
      problems += "variant \"" + variant + "\": " + p.problems;
      ok = false;
      continue;
    }
    VariantRun run;
    run.variant = variant;
    run.dir = (fs::path(o.out_dir) / "runs" / r.id / variant).string();
    r.runs.push_back(std::move(run));
    c.prepared.push_back(std::move(p));
  }
  if (!ok) return std::nullopt;
  return c;
}

// Runs one prepared variant and reads its series back; the exit status of the run (reading its
// outputs back failing is an internal error).
int run_variant(const CaseResult& c, VariantRun& run, const runner::PreparedScenario& p,
                 const CasesOptions& o, std::ostream& log) {
  runner::RunSettings settings;
  settings.sim.threads = o.threads;
  settings.sim.stop = o.stop;
  const runner::RunOutcome outcome = runner::execute_run(*p.scenario, p.resolved_json, run.dir, settings);
  if (outcome.code != core::kExitOk) {
    run.message = outcome.message;
    log << c.id << " / " << run.variant << ": FAILED: " << outcome.message << '\n';
    return outcome.code;
  }
  if (std::string error = read_series(run, c.validators, c.miners); !error.empty()) {
    run.message = error;
    log << c.id << " / " << run.variant << ": FAILED: " << error << '\n';
    return core::kExitInternalError;
  }
  run.completed = true;
  if (run.variant == c.own_variant && !p.scenario->expect.empty()) {
    auto opened = results::RunData::open(run.dir);
    if (opened.run) run.expectations = results::evaluate(p.scenario->expect, *opened.run);
    if (results::count_failed(run.expectations) > 0) results::print_outcomes(log, run.expectations);
  }
  if (!o.quiet)
    log << c.id << " / " << run.variant << ": " << run.epochs.size() << " epochs recorded in "
        << static_cast<long long>(outcome.wall_s * 1000) << " ms\n";
  return core::kExitOk;
}

}  // namespace

CasesReport run_cases(const CasesOptions& o, std::ostream& log) {
  CasesReport report;
  if (std::string error = check_variants(o.variants); !error.empty()) {
    report.exit_code = core::kExitBadInput;
    report.problems = "variants: " + error + "\n";
    return report;
  }
  std::string error;
  const std::vector<std::string> files = case_files(o.inputs, error);
  if (files.empty()) {
    report.exit_code = core::kExitBadInput;
    report.problems = (error.empty() ? std::string("no scenario given") : error) + "\n";
    return report;
  }
  // Everything is prepared before anything runs: a typo in the last case costs no run.
  std::vector<PreparedCase> prepared;
  for (const std::string& file : files)
    if (auto c = prepare_case(file, o, report.problems)) prepared.push_back(std::move(*c));
  // Each case writes OUT/runs/<its id>/: two of one id would overwrite each other.
  for (std::size_t i = 0; i < prepared.size(); ++i)
    for (std::size_t k = 0; k < i; ++k)
      if (prepared[i].result.id == prepared[k].result.id)
        report.problems += prepared[i].result.file + ": its case id \"" + prepared[i].result.id +
                           "\" (the file's name) is also that of " + prepared[k].result.file +
                           ": each case writes runs/<id>/, so one would overwrite the other\n";
  if (!report.problems.empty()) {
    // A --set that is wrong for every case is one mistake: said once, not once a case.
    std::string once;
    std::set<std::string> said;
    std::istringstream lines(report.problems);
    for (std::string line; std::getline(lines, line);)
      if (said.insert(line).second) once += line + "\n";
    report.problems = once;
    report.exit_code = core::kExitBadInput;
    return report;
  }
  // Earlier tables no longer describe runs/ once a run is replaced: gone as the first begins,
  // so that a stopped command leaves none beside the runs it replaced (and a command stopped
  // before any run leaves them).
  bool tables_removed = false;
  auto remove_tables = [&] {
    if (tables_removed) return;
    tables_removed = true;
    for (const char* table : {"cases.csv", "cases.md", "cases.html"}) {
      std::error_code ec;
      fs::remove(fs::path(o.out_dir) / table, ec);
    }
  };
  std::string failed_runs, failed_expectations;
  int run_code = core::kExitOk;
  for (PreparedCase& c : prepared) {
    if (o.stop != nullptr && o.stop->load()) {
      report.interrupted = true;
      break;
    }
    for (std::size_t i = 0; i < c.result.runs.size(); ++i) {
      if (o.stop != nullptr && o.stop->load()) break;
      remove_tables();
      VariantRun& run = c.result.runs[i];
      if (const int code = run_variant(c.result, run, c.prepared[i], o, log); code != core::kExitOk) {
        if (run_code == core::kExitOk) run_code = code;
        failed_runs += "  " + c.result.id + " / " + run.variant + ": " + run.message + "\n";
        continue;
      }
      const std::size_t failed = results::count_failed(run.expectations);
      if (failed > 0)
        failed_expectations += "  " + c.result.id + " / " + run.variant + ": " + std::to_string(failed) +
                               " of " + std::to_string(run.expectations.size()) + " expectations failed\n";
    }
    // Expectations are written for the case's own variant; say so when none of the runs was it.
    const bool own_ran =
        std::any_of(c.result.runs.begin(), c.result.runs.end(),
                    [&](const VariantRun& r) { return r.variant == c.result.own_variant; });
    // Said even with -q: a case whose expectations were not checked must not pass for clean.
    if (!own_ran && !c.prepared.empty() && !c.prepared.front().scenario->expect.empty())
      log << "note: " << c.result.id << ": its expectations are checked under its own variant ("
          << c.result.own_variant << "), which --variants leaves out: not checked\n";
    report.cases.push_back(std::move(c.result));
  }
  if (o.stop != nullptr && o.stop->load()) {
    report.interrupted = true;
    report.exit_code = core::kExitInterrupted;
    report.problems =
        "interrupted: the tables are not written (the same command runs the cases again)\n";
  } else if (!failed_runs.empty()) {
    report.exit_code = run_code;
    report.problems = "runs that did not complete:\n" + failed_runs;
  } else if (!failed_expectations.empty()) {
    report.exit_code = core::kExitExpectationsFailed;
    report.problems = "expectations not met (each case's own variant):\n" + failed_expectations;
  }
  return report;
}

}  // namespace subnetsim::cases
