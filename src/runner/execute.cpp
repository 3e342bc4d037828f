#include "subnetsim/runner/execute.hpp"

#include <chrono>
#include <filesystem>
#include <iostream>
#include <new>

#include "subnetsim/core/file_lock.hpp"
#include "subnetsim/core/json_text.hpp"
#include "subnetsim/core/rao.hpp"
#include "subnetsim/core/sha256.hpp"
#include "subnetsim/core/version.hpp"
#include "subnetsim/metrics/csv_writer.hpp"
#include "subnetsim/metrics/fanout.hpp"
#include "subnetsim/report/report.hpp"
#include "subnetsim/results/expectation_text.hpp"
#include "subnetsim/results/run_data.hpp"
#include "subnetsim/runner/progress.hpp"
#include "subnetsim/runner/summary.hpp"

namespace subnetsim::runner {

namespace fs = std::filesystem;

namespace {

nlohmann::ordered_json tool_json() { return {{"name", "subnetsim"}, {"version", core::version()}, {"git", core::git_hash()}}; }

// What summary.json says while the run goes: if the process dies, this is what remains.
nlohmann::ordered_json incomplete_summary(const config::Scenario& s) {
  return {{"tool", tool_json()},
          {"scenario", s.name},
          {"seed", s.seed},
          {"status", "incomplete"},
          {"message", "the run started but did not finish: the CSV files ending in .partial hold "
                      "every row up to the last flush"}};
}

nlohmann::ordered_json final_summary(const sim::RunResult& r, const config::Scenario& s, double wall_s) {
  nlohmann::ordered_json j;
  j["tool"] = tool_json();
  j["scenario"] = s.name;
  j["seed"] = s.seed;
  j["status"] = r.status == sim::RunStatus::kCompleted     ? "completed"
                : r.status == sim::RunStatus::kInterrupted ? "interrupted"
                                                           : "invariant_broken";
  if (!r.message.empty()) j["message"] = r.message;
  j["blocks"] = r.blocks;
  j["visited_blocks"] = r.visited_blocks;
  j["epochs"] = r.epochs;
  j["issuance_tao"] = core::rao_to_tao(r.issuance_rao);
  j["total_stake_tao"] = core::rao_to_tao(r.total_stake_rao);
  j["burned_tao"] = core::rao_to_tao(r.burned_rao);
  j["recycled_tao"] = core::rao_to_tao(r.recycled_rao);
  j["slashed_tao"] = core::rao_to_tao(r.slashed_rao);
  j["registrations"] = r.registrations;
  j["prunings"] = r.prunings;
  j["refused_actions"] = r.refused_actions;
  j["liquidations"] = r.liquidations;
  j["conservation_verified"] = r.conservation_verified;
  j["initial_price_usd"] = r.initial_price_usd;
  j["final_price_usd"] = r.final_price_usd;
  j.update(summary_metrics(r, s));
  j["wall_time_s"] = wall_s;
  return j;
}

// manifest.json: where the results came from, how the run went, and what the files are. The
// results are a function of scenario and seed alone (byte-identical for any thread count) except
// for the wall time: summary.json's wall_time_s (so also its size here) and the `run` section.
nlohmann::ordered_json manifest(const config::Scenario& s, const std::string& resolved_json, const std::string& dir,
                                const std::vector<std::string>& files, const RunSettings& settings,
                                double wall_s, std::uint64_t blocks) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& f : files) {
    std::error_code ec;
    const auto bytes = fs::file_size(fs::path(dir) / f, ec);
    list.push_back({{"name", f}, {"bytes", ec ? 0 : bytes}});
  }
  return {{"tool", tool_json()},
          {"scenario", s.name},
          {"seed", s.seed},
          {"scenario_sha256", core::sha256_hex(resolved_json)},
          {"run",
           {{"threads", settings.sim.threads},
            {"wall_time_s", wall_s},
            {"blocks_per_s", wall_s > 0 ? static_cast<double>(blocks) / wall_s : 0.0}}},
          {"files", list}};
}

// Every file a run (or run --report) writes into its directory. A new run into the same
// directory removes them first, so nothing of the earlier run can pass for this one's (its
// report, or an epochs.csv this run does not write); files of other names are left alone.
constexpr const char* kRunFiles[] = {"resolved_scenario.json", "events.csv", "epochs.csv",
                                     "classes.csv", "globals.csv", "agents.csv",
                                     "summary.json", "manifest.json", "report.html"};

}  // namespace

bool is_run_file(std::string_view name) {
  for (const char* file : kRunFiles)
    if (name == file || name == std::string(file) + ".partial") return true;
  return false;
}

std::string foreign_files_problem(const std::string& dir) {
  std::error_code ec;
  const fs::path d(dir);
  // A sweep's own directory: its tables and a run's files would mix.
  if (fs::exists(d / "sweep.json", ec))
    return dir +
           " is a sweep's directory (it holds sweep.json): a run would mix its files with the "
           "sweep's tables; choose a new or empty directory";
  // A run's lock file is made before anything else is written, and resolved_scenario.json
  // right after: a run has been here. (Not manifest.json: a common name for files of other
  // tools, which would have let a folder's own report.html be deleted.)
  for (const char* marker : {".run.lock", "resolved_scenario.json"})
    if (fs::exists(d / marker, ec)) return "";
  std::vector<std::string> found;
  for (const char* name : kRunFiles)
    for (const std::string& file : {std::string(name), std::string(name) + ".partial"})
      if (fs::exists(d / file, ec)) found.push_back(file);
  if (found.empty()) return "";
  std::string list;
  for (std::size_t i = 0; i < found.size(); ++i) list += (i == 0 ? "" : ", ") + found[i];
  return dir + " holds " + list +
         " but nothing else of an earlier run (its .run.lock or resolved_scenario.json): a run "
         "would replace them; choose a new or empty directory, or remove them";
}

namespace {

void remove_previous_run(const std::string& dir) {
  // What says the run completed goes first: should a removal fail below (a directory in a run
  // file's place), no "completed" summary is left beside this run's files.
  for (const char* name : {"summary.json", "manifest.json", "report.html"})
    fs::remove(fs::path(dir) / name);
  for (const char* name : kRunFiles) {
    fs::remove(fs::path(dir) / name);
    fs::remove(fs::path(dir) / (std::string(name) + ".partial"));
  }
}

nlohmann::ordered_json expectations_json(const std::vector<results::ExpectationOutcome>& outcomes) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& o : outcomes) {
    nlohmann::ordered_json e = {{"expectation", results::expectation_title(o.expectation)},
                                {"passed", o.passed}};
    e["actual"] = o.actual ? nlohmann::ordered_json(*o.actual) : nlohmann::ordered_json();
    if (o.block) e["block"] = *o.block;
    e["reason"] = o.reason;
    list.push_back(std::move(e));
  }
  const std::size_t failed = results::count_failed(outcomes);
  return {{"total", outcomes.size()}, {"passed", outcomes.size() - failed}, {"failed", failed}, {"results", list}};
}

}  // namespace

RunOutcome execute_run(const config::Scenario& s, const std::string& resolved_json, const std::string& out_dir,
                       const RunSettings& settings) {
  RunOutcome out;
  const auto start = std::chrono::steady_clock::now();
  try {
    // Before the lock, whose file would mark the folder as a run's.
    if (std::string problem = foreign_files_problem(out_dir); !problem.empty()) {
      out.code = core::kExitBadInput;
      out.message = std::move(problem);
      return out;
    }
    fs::create_directories(out_dir);
    // One run at a time in a directory: a second would remove the first one's files and
    // interleave its own with them (a "completed" summary over empty or mixed series). Held to
    // the end of this function, which writes the last file.
    bool busy = false;
    std::string lock_error;
    std::error_code ec;
    const bool had_lock_file = fs::exists(fs::path(out_dir) / ".run.lock", ec);
    const auto lock = core::FileLock::try_lock((fs::path(out_dir) / ".run.lock").string(),
                                               core::FileLock::Mode::kExclusive, busy, lock_error);
    // A sweep that took this directory at the same moment (it checked for a run before this
    // lock was taken): one of the two must give way, and this one leaves no lock file of its
    // own behind (the directory would pass for a run's, and be refused to the sweep).
    if (lock && core::FileLock::held_by_another((fs::path(out_dir) / ".sweep.lock").string())) {
      if (!had_lock_file) fs::remove(fs::path(out_dir) / ".run.lock", ec);
      out.code = core::kExitBadInput;
      out.message =
          out_dir + ": a sweep is writing to this directory: choose a new or empty directory";
      return out;
    }
    if (!lock) {
      // Busy, or a directory this user cannot write (read-only, another's): both are found
      // before any work, as bad input.
      out.code = core::kExitBadInput;
      out.message = busy ? out_dir +
                               ": another run is writing to this directory, or a report is reading "
                               "it: wait for it "
                               "to end, or use another directory"
                         : lock_error + ": choose a directory this user can write";
      return out;
    }
    remove_previous_run(out_dir);
    metrics::write_file_atomically(out_dir, "summary.json",
                                   core::dump_json(incomplete_summary(s), 2) + "\n");
    metrics::write_file_atomically(out_dir, "resolved_scenario.json", resolved_json);

    metrics::CsvRunWriter writer(out_dir, s.outputs.every_epochs, s.outputs.per_uid);
    metrics::ObserverFanout observers;
    observers.add(writer);
    for (metrics::Observer* o : settings.observers) observers.add(*o);
    std::unique_ptr<ProgressReporter> progress;
    if (settings.progress != Progress::kNone) {
      progress = std::make_unique<ProgressReporter>(
          s.horizon_blocks,
          settings.progress == Progress::kLine ? ProgressReporter::Style::kTerminalLine
                                               : ProgressReporter::Style::kLogLine,
          std::cerr);
      observers.add(*progress);
    }
    sim::Simulation simulation(s, settings.sim, observers);
    const sim::RunResult result = simulation.run();
    if (progress) progress->finish();

    std::vector<std::string> written = writer.finish();
    metrics::write_file_atomically(out_dir, "agents.csv", agents_csv(result, s));
    written.insert(written.begin(), "resolved_scenario.json");
    written.push_back("agents.csv");
    out.events = writer.events_written();
    out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.summary = final_summary(result, s, out.wall_s);
    // A Ctrl-C after the last block (while the expectations or the report are made) stops what
    // is left: the outputs are complete, and the exit status says it was interrupted.
    const auto stop_requested = [&] {
      return settings.sim.stop != nullptr && settings.sim.stop->load();
    };
    const bool completed = result.status == sim::RunStatus::kCompleted;
    bool interrupted_after = false;
    if (!s.expect.empty()) {
      if (completed && !stop_requested()) {
        // Checked against the finished CSV files and this summary, before it is written, so
        // summary.json records the verdicts too.
        const results::RunData data(out_dir, core::parse_json(core::dump_json(out.summary)));
        out.expectations = results::evaluate(s.expect, data);
        out.summary["expectations"] = expectations_json(out.expectations);
      } else {
        // Verdicts on a run cut short would judge the wrong run: none are given, and a reader
        // (a sweep's index.csv) finds no passed or failed count.
        interrupted_after = completed;
        out.summary["expectations"] = {
            {"total", s.expect.size()},
            {"checked", false},
            {"reason", completed ? "interrupted after the last block, before they were checked"
                                 : "the run did not complete: " + result.message}};
      }
    }
    written.push_back("summary.json");
    written.push_back("manifest.json");
    out.summary["files"] = written;
    metrics::write_file_atomically(out_dir, "summary.json", core::dump_json(out.summary, 2) + "\n");
    written.pop_back();
    metrics::write_file_atomically(
        out_dir, "manifest.json",
        core::dump_json(
            manifest(s, resolved_json, out_dir, written, settings, out.wall_s, result.blocks), 2) +
            "\n");
    if (result.status != sim::RunStatus::kCompleted) {
      out.code = result.status == sim::RunStatus::kInterrupted ? core::kExitInterrupted : core::kExitInvariantBroken;
      out.message = result.message;
      if (settings.report || s.outputs.report)
        out.message += "; no report was written (subnetsim report " + out_dir +
                       " makes one from what the run wrote)";
    } else if (interrupted_after || stop_requested()) {
      // Stopped after the last block: before the expectations, while they were checked (their
      // verdicts are complete and recorded), or while the files were written.
      out.code = core::kExitInterrupted;
      out.message =
          "interrupted after the last block: the outputs are complete" +
          std::string(interrupted_after ? ", but the expectations were not checked"
                      : settings.report || s.outputs.report ? ", but no report was written"
                                                            : "");
    } else if (settings.report || s.outputs.report) {
      if (const std::string error = report::write_report(out_dir); !error.empty()) {
        out.code = core::kExitInternalError;
        out.message = "report: " + error;
      } else {
        out.report = (fs::path(out_dir) / "report.html").string();
        // Stopped while it was written: it is whole all the same, and the status says so.
        if (stop_requested()) {
          out.code = core::kExitInterrupted;
          out.message = "interrupted after the last block: the outputs and the report are complete";
        }
      }
    }
  } catch (const fs::filesystem_error& e) {
    // The output directory cannot be made or used: say which and why, in words.
    out.code = core::kExitInternalError;
    out.message = "cannot create or write " + e.path1().string() + ": " + e.code().message();
  } catch (const std::bad_alloc&) {
    out.code = core::kExitInternalError;
    out.message = core::kOutOfMemoryText;
  } catch (const std::exception& e) {
    // Cannot write the outputs (disk full, permissions): what is complete stays as it is.
    out.code = core::kExitInternalError;
    out.message = e.what();
  }
  return out;
}

}  // namespace subnetsim::runner
