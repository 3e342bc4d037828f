// One run at a time in an output directory: while another process (here, a lock held by the
// test) writes to it, execute_run refuses and touches none of its files.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "subnetsim/core/file_lock.hpp"
#include "subnetsim/runner/execute.hpp"
#include "subnetsim/scenario/loader.hpp"

namespace fs = std::filesystem;
using namespace subnetsim;

TEST_CASE("execute_run refuses a directory another run is writing to, and leaves its files") {
  scenario::LoadOptions options;
  options.overrides = {"horizon_blocks=24"};
  const auto loaded = scenario::load_scenario(
      std::string(SUBNETSIM_SOURCE_DIR) + "/scenarios/slashing-demo.json", options);
  REQUIRE(loaded.ok());
  const fs::path dir = fs::path(SUBNETSIM_BINARY_DIR) / "test-scratch" / "runner" / "locked";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "summary.json") << "{\"status\": \"the other run's\"}";
  bool busy = false;
  std::string error;
  {
    const auto other = core::FileLock::try_lock((dir / ".run.lock").string(),
                                                core::FileLock::Mode::kExclusive, busy, error);
    REQUIRE(other);
    const runner::RunOutcome refused =
        runner::execute_run(*loaded.scenario, loaded.resolved_json, dir.string(), {});
    CHECK(refused.code == core::kExitBadInput);
    CHECK(refused.message == dir.string() +
                                 ": another run is writing to this directory: wait for it to "
                                 "end, or use another directory");
    std::ifstream in(dir / "summary.json");
    const std::string kept((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(kept == "{\"status\": \"the other run's\"}");
    // A second lock on the same file is refused as busy.
    CHECK_FALSE(core::FileLock::try_lock((dir / ".run.lock").string(),
                                         core::FileLock::Mode::kShared, busy, error));
    CHECK(busy);
  }
  // Once the other run is over, the directory is free.
  CHECK(runner::execute_run(*loaded.scenario, loaded.resolved_json, dir.string(), {}).code ==
        core::kExitOk);
}
