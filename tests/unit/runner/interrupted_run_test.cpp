// A run cut short gives no verdicts on its expectations (they would judge a run that did not
// happen), and a Ctrl-C after the last block stops what is left (expectations, report) with
// exit 130 rather than being ignored. The stop flag is set by the test: from the start, or by
// an observer when the last sample comes.
#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "subnetsim/metrics/records.hpp"
#include "subnetsim/runner/execute.hpp"
#include "subnetsim/scenario/loader.hpp"

namespace fs = std::filesystem;
using namespace subnetsim;

namespace {

constexpr std::uint64_t kHorizon = 240;

// slashing-demo to `horizon`, with `more` overrides.
scenario::LoadResult demo(std::uint64_t horizon = kHorizon, std::vector<std::string> more = {}) {
  scenario::LoadOptions options;
  options.overrides = std::move(more);
  options.overrides.push_back("horizon_blocks=" + std::to_string(horizon));
  return scenario::load_scenario(
      std::string(SUBNETSIM_SOURCE_DIR) + "/scenarios/slashing-demo.json", options);
}

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::path(SUBNETSIM_BINARY_DIR) / "test-scratch" / "runner" / name;
  fs::remove_all(dir);
  return dir;
}

// Sets the flag at the run's last sample: after the last block, before the expectations.
struct StopAtLastSample : metrics::Observer {
  std::atomic<bool>& flag;
  explicit StopAtLastSample(std::atomic<bool>& f) : flag(f) {}
  void on_sample(const metrics::GlobalSample& s) override {
    if (s.block == kHorizon) flag = true;
  }
};

// Sets the flag when block `at` begins (the run stops before its next block) and keeps the
// samples it sees.
struct StopAtBlock : metrics::Observer {
  std::atomic<bool>& flag;
  std::uint64_t at;
  std::vector<metrics::GlobalSample> samples;
  StopAtBlock(std::atomic<bool>& f, std::uint64_t b) : flag(f), at(b) {}
  void on_block(std::uint64_t block) override {
    if (block >= at) flag = true;
  }
  void on_sample(const metrics::GlobalSample& s) override { samples.push_back(s); }
};

// Runs `loaded` into a scratch directory `name`, with `stop` as its stop flag and `watcher`
// observing it.
runner::RunOutcome run_watched(const scenario::LoadResult& loaded, const std::atomic<bool>& stop,
                               metrics::Observer& watcher, const std::string& name) {
  runner::RunSettings settings;
  settings.sim.stop = &stop;
  settings.observers = {&watcher};
  return runner::execute_run(*loaded.scenario, loaded.resolved_json, scratch(name).string(),
                             settings);
}

}  // namespace

TEST_CASE("an interrupted run ends with a sample of its last block, as a run to that block does") {
  const auto loaded = demo();
  REQUIRE(loaded.ok());
  std::atomic<bool> stop{false};
  StopAtBlock cut(stop, 100);
  const runner::RunOutcome out = run_watched(loaded, stop, cut, "cut");
  REQUIRE(out.code == core::kExitInterrupted);
  const std::uint64_t last = out.summary.at("blocks").get<std::uint64_t>();
  REQUIRE(!cut.samples.empty());
  // Once failed: the last row was the last regular sample before the interrupt.
  CHECK(cut.samples.back().block == last);
  // The same scenario run to that block ends with the same sample.
  const auto shorter = demo(last);
  REQUIRE(shorter.ok());
  std::atomic<bool> never{false};
  StopAtBlock watch(never, UINT64_MAX);
  runner::RunSettings plain;
  plain.observers = {&watch};
  REQUIRE(runner::execute_run(*shorter.scenario, shorter.resolved_json, scratch("to-last").string(),
                              plain)
              .code == core::kExitOk);
  REQUIRE(!watch.samples.empty());
  const auto& a = cut.samples.back();
  const auto& b = watch.samples.back();
  CHECK(a.block == b.block);
  CHECK(a.issuance_rao == b.issuance_rao);
  CHECK(a.total_stake_rao == b.total_stake_rao);
  CHECK(a.total_balances_rao == b.total_balances_rao);
  CHECK(a.burned_rao == b.burned_rao);
  CHECK(a.emitted_validators_rao == b.emitted_validators_rao);
}

TEST_CASE("an interrupted run records its expectations as not checked, and no report") {
  const auto loaded = demo();
  REQUIRE(loaded.ok());
  REQUIRE(!loaded.scenario->expect.empty());
  std::atomic<bool> stop{true};
  runner::RunSettings settings;
  settings.sim.stop = &stop;
  settings.report = true;
  const fs::path dir = scratch("interrupted");
  const runner::RunOutcome out =
      runner::execute_run(*loaded.scenario, loaded.resolved_json, dir.string(), settings);
  CHECK(out.code == core::kExitInterrupted);
  CHECK(out.expectations.empty());
  const auto& e = out.summary.at("expectations");
  CHECK(e.at("total") == loaded.scenario->expect.size());
  CHECK(e.at("checked") == false);
  CHECK_FALSE(e.contains("failed"));  // a sweep's index.csv finds no count to take for a verdict
  CHECK(e.at("reason").get<std::string>().rfind("the run did not complete: ", 0) == 0);
  CHECK(out.message.find("no report was written (subnetsim report ") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "report.html"));
}

TEST_CASE("a Ctrl-C after the last block stops the expectations, and says so") {
  const auto loaded = demo();
  REQUIRE(loaded.ok());
  std::atomic<bool> stop{false};
  StopAtLastSample stopper(stop);
  runner::RunSettings settings;
  settings.sim.stop = &stop;
  settings.observers = {&stopper};
  const fs::path dir = scratch("interrupted-after");
  const runner::RunOutcome out =
      runner::execute_run(*loaded.scenario, loaded.resolved_json, dir.string(), settings);
  CHECK(out.code == core::kExitInterrupted);
  CHECK(out.message ==
        "interrupted after the last block: the outputs are complete, but the expectations were "
        "not checked");
  CHECK(out.summary.at("status") == "completed");
  CHECK(out.summary.at("expectations").at("checked") == false);
  CHECK(out.summary.at("expectations").at("reason") ==
        "interrupted after the last block, before they were checked");
  // Without the stop, the same run checks them.
  const runner::RunOutcome whole =
      runner::execute_run(*loaded.scenario, loaded.resolved_json, scratch("whole").string(), {});
  CHECK(whole.code == core::kExitOk);
  CHECK(whole.expectations.size() == loaded.scenario->expect.size());
}

TEST_CASE("a Ctrl-C after the last block of a run without expectations still says it came") {
  // Nothing left to skip but the exit status: it must say the run was interrupted, the outputs
  // complete. (Once: a stop that came after the evaluation began was ignored, exit 0.)
  const auto loaded = demo(kHorizon, {"expect=[]"});
  REQUIRE(loaded.ok());
  std::atomic<bool> stop{false};
  StopAtLastSample stopper(stop);
  const runner::RunOutcome out = run_watched(loaded, stop, stopper, "no-expect");
  CHECK(out.code == core::kExitInterrupted);
  CHECK(out.message == "interrupted after the last block: the outputs are complete");
  CHECK(out.summary.at("status") == "completed");
}
