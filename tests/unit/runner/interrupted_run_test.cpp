// A run cut short gives no verdicts on its expectations (they would judge a run that did not
// happen), and a Ctrl-C after the last block stops what is left (expectations, report) with
// exit 130 rather than being ignored. The stop flag is set by the test: from the start, or by
// an observer when the last sample comes.
#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "subnetsim/metrics/records.hpp"
#include "subnetsim/runner/execute.hpp"
#include "subnetsim/scenario/loader.hpp"

namespace fs = std::filesystem;
using namespace subnetsim;

namespace {

constexpr std::uint64_t kHorizon = 240;

scenario::LoadResult demo() {
  scenario::LoadOptions options;
  options.overrides = {"horizon_blocks=" + std::to_string(kHorizon)};
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

}  // namespace

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
