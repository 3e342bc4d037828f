#include "subnetsim/sweep/execute.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include "subnetsim/core/sha256.hpp"
#include "subnetsim/metrics/csv_writer.hpp"
#include "subnetsim/runner/execute.hpp"
#include "subnetsim/runner/prepare.hpp"
#include "subnetsim/runner/progress.hpp"

namespace subnetsim::sweep {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

// Runs done out of the total, at most every 250 ms on a terminal or every 10 s in a log.
class SweepProgress {
 public:
  SweepProgress(std::size_t total, ProgressStyle style) : total_(total), style_(style) {}

  void update(std::size_t done, std::size_t skipped, std::size_t ran) {
    if (style_ == ProgressStyle::kNone) return;
    const auto now = Clock::now();
    const auto every = style_ == ProgressStyle::kLine ? Clock::duration(std::chrono::milliseconds(250))
                                                      : Clock::duration(std::chrono::seconds(10));
    if (now - last_ < every && done < total_) return;
    last_ = now;
    const std::string text = progress_line(done, total_, skipped, ran, std::chrono::duration<double>(now - start_).count());
    if (style_ == ProgressStyle::kLine) {
      std::cerr << "\r\033[K" << text << std::flush;
      printed_ = true;
    } else {
      // Written directly, not through the logger: its default level (warnings) would hide it.
      std::cerr << "progress: " << text << '\n' << std::flush;
    }
  }

  void finish() {
    if (printed_) std::cerr << "\r\033[K" << std::flush;
  }

 private:
  std::size_t total_;
  ProgressStyle style_;
  Clock::time_point start_ = Clock::now(), last_ = start_;
  bool printed_ = false;
};

// A failed run's row; the error is also left in the run directory, for a later merge.
RunRow failed_row(const Plan& plan, const Run& run, const std::string& run_dir, const std::string& error) {
  try {
    fs::create_directories(run_dir);
    metrics::write_file_atomically(run_dir, "error.txt", error + "\n");
  } catch (const std::exception&) {
    // The row still carries the error.
  }
  return row_from_summary(plan, run, nlohmann::ordered_json(), error);
}

RunRow one_run(const Plan& plan, const std::string& dir, const Run& run,
               const std::atomic<bool>* stop, bool& skipped) {
  const std::string run_dir = run_directory(dir, run);
  try {
    std::vector<std::string> overrides = plan.overrides;
    for (auto& o : point_overrides(plan, run.point)) overrides.push_back(std::move(o));
    overrides.push_back("seed=" + std::to_string(run.seed));
    const runner::PreparedScenario prepared = runner::prepare_scenario(plan.scenario, overrides);
    // Resumed: a finished run of this very content is kept (an edited price CSV that this
    // point names is other content, and runs again).
    skipped = prepared.ok() &&
              run_is_complete(run_dir, run.seed, core::sha256_hex(prepared.resolved_json));
    if (skipped) return row_from_directory(plan, run, run_dir);
    std::error_code ec;
    fs::remove(fs::path(run_dir) / "error.txt", ec);
    if (!prepared.ok()) return failed_row(plan, run, run_dir, prepared.problems);
    runner::RunSettings settings;
    settings.sim.threads = 1;
    settings.sim.stop = stop;
    settings.progress = runner::Progress::kNone;
    const runner::RunOutcome outcome = runner::execute_run(*prepared.scenario, prepared.resolved_json, run_dir, settings);
    if (outcome.summary.empty()) return failed_row(plan, run, run_dir, outcome.message);
    return row_from_summary(plan, run, outcome.summary, outcome.message);
  } catch (const std::exception& e) {
    return failed_row(plan, run, run_dir, e.what());
  }
}

}  // namespace

std::string validate_points(const Plan& plan, std::vector<std::string>* notes,
                            const std::atomic<bool>* stop) {
  std::string out;
  std::set<std::string> seen, noted;
  for (std::size_t p = 0; p < plan.points.size(); ++p) {
    if (stop != nullptr && stop->load()) break;
    const std::vector<std::string> own = point_overrides(plan, p);
    std::vector<std::string> overrides = plan.overrides;
    overrides.insert(overrides.end(), own.begin(), own.end());
    const runner::PreparedScenario prepared = runner::prepare_scenario(plan.scenario, overrides);
    if (notes != nullptr)
      for (std::string note : prepared.notes) {
        // "--set: /subnets/9: ..." from a swept path names its --param instead.
        for (std::size_t k = 0; k < plan.columns.size() && note.rfind("--set: /", 0) == 0; ++k) {
          const std::string at = note.substr(7, note.find(':', 7) - 7);
          const std::string column = normalized_path(plan.columns[k]);
          if (column == at || column.rfind(at + "/", 0) == 0) {
            note = plan.sources[k] + note.substr(5);
            break;
          }
        }
        if (noted.insert(note).second) notes->push_back(note);
      }
    if (prepared.ok()) continue;
    std::size_t start = 0;
    while (start < prepared.problems.size()) {
      std::size_t end = prepared.problems.find('\n', start);
      if (end == std::string::npos) end = prepared.problems.size();
      std::string line = prepared.problems.substr(start, end - start);
      start = end + 1;
      // "--set path=value: ..." from this point's own override names the parameter instead.
      for (std::size_t k = 0; k < own.size(); ++k) {
        const std::string prefix = "--set " + own[k] + ":";
        if (line.rfind(prefix, 0) == 0) {
          line = plan.sources[k] + ":" + line.substr(prefix.size());
          break;
        }
      }
      if (!line.empty() && seen.insert(line).second) out += line + "\n";
    }
  }
  return out;
}

std::vector<Run> select_runs(const std::vector<Run>& runs, std::size_t part, std::size_t parts) {
  std::vector<Run> out;
  for (const Run& r : runs)
    if (parts > 0 && r.index % parts == part) out.push_back(r);
  return out;
}

std::string run_directory(const std::string& dir, const Run& run) {
  return (fs::path(dir) / "runs" / run.id).string();
}

std::string progress_line(std::size_t done, std::size_t total, std::size_t skipped, std::size_t ran,
                          double elapsed_s) {
  char head[96];
  std::snprintf(head, sizeof head, "%zu / %zu runs (%.1f%%)", done, total,
                total > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0);
  std::string out = head;
  if (skipped > 0) out += ", " + std::to_string(skipped) + " skipped";
  const double rate = elapsed_s > 0 ? static_cast<double>(ran) / elapsed_s : 0.0;
  if (rate > 0) {
    char r[48];
    std::snprintf(r, sizeof r, ", %.2f runs/s", rate);
    out += r;
    if (done < total) out += ", ETA " + runner::duration_text(static_cast<double>(total - done) / rate);
  }
  return out;
}

ExecuteResult execute_runs(const Plan& plan, const std::string& dir, const std::vector<Run>& runs,
                           const ExecuteOptions& options) {
  ExecuteResult result;
  const auto start = Clock::now();
  result.rows.resize(runs.size());
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::size_t done = 0;
  SweepProgress progress(runs.size(), options.progress);
  std::vector<std::uint8_t> started(runs.size(), 0);
  auto worker = [&] {
    for (std::size_t i = next++; i < runs.size(); i = next++) {
      if (options.stop != nullptr && options.stop->load()) break;
      started[i] = 1;
      bool skipped = false;
      RunRow row = one_run(plan, dir, runs[i], options.stop, skipped);
      std::lock_guard lock(mutex);
      // A run stopped by Ctrl-C is not done: the progress line must not reach 100% for it.
      const bool stopped = row.status == "interrupted";
      if (skipped) ++result.skipped;
      else ++result.ran;
      if (row.status != "ok") ++result.failed;
      result.rows[i] = std::move(row);
      if (!stopped) progress.update(++done, result.skipped, result.ran);
    }
  };
  const std::size_t threads = std::max<std::size_t>(1, std::min<std::size_t>(options.jobs, runs.size()));
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  progress.finish();
  // A stop leaves runs that never started: no rows for them (the same command runs them).
  std::vector<RunRow> rows;
  for (std::size_t i = 0; i < runs.size(); ++i)
    if (started[i]) rows.push_back(std::move(result.rows[i]));
  result.not_started = runs.size() - rows.size();
  result.rows = std::move(rows);
  result.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace subnetsim::sweep
