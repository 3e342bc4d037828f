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

namespace {
// The demo scenario, 24 blocks long.
scenario::LoadResult demo() {
  scenario::LoadOptions options;
  options.overrides = {"horizon_blocks=24"};
  auto loaded = scenario::load_scenario(
      std::string(SUBNETSIM_SOURCE_DIR) + "/scenarios/slashing-demo.json", options);
  REQUIRE(loaded.ok());
  return loaded;
}
}  // namespace

TEST_CASE("execute_run refuses a directory another run is writing to, and leaves its files") {
  const auto loaded = demo();
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
    CHECK(refused.message ==
          dir.string() +
              ": another run is writing to this directory, or a report is reading it: wait "
              "for it to end, or use another directory");
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

TEST_CASE("execute_run leaves a folder's own files of a run's names alone, and says so") {
  // A report.html of one's own in a folder given as -o: a run used to delete it (it removes
  // the files an earlier run wrote, by name). With no sign of an earlier run, it is refused.
  const auto loaded = demo();
  const fs::path dir = fs::path(SUBNETSIM_BINARY_DIR) / "test-scratch" / "runner" / "foreign";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "report.html") << "mine";
  std::ofstream(dir / "notes.txt") << "mine too";
  CHECK(runner::foreign_files_problem(dir.string()) ==
        dir.string() +
            " holds report.html but nothing else of an earlier run (its .run.lock or "
            "resolved_scenario.json): a run would replace them; choose a new or empty "
            "directory, or remove them");
  // Another tool's manifest.json is no sign of a run.
  std::ofstream(dir / "manifest.json") << "{\"name\": \"my app\"}";
  CHECK_FALSE(runner::foreign_files_problem(dir.string()).empty());
  fs::remove(dir / "manifest.json");
  const runner::RunOutcome refused =
      runner::execute_run(*loaded.scenario, loaded.resolved_json, dir.string(), {});
  CHECK(refused.code == core::kExitBadInput);
  CHECK(fs::exists(dir / "report.html"));
  CHECK_FALSE(fs::exists(dir / "summary.json"));
  // A run's directory (here after a run) is taken again, and other names stay.
  fs::remove(dir / "report.html");
  CHECK(runner::foreign_files_problem(dir.string()).empty());
  const runner::RunOutcome first =
      runner::execute_run(*loaded.scenario, loaded.resolved_json, dir.string(), {});
  CHECK(first.code != core::kExitBadInput);
  CHECK(runner::foreign_files_problem(dir.string()).empty());
  const runner::RunOutcome again =
      runner::execute_run(*loaded.scenario, loaded.resolved_json, dir.string(), {});
  CHECK(again.code == first.code);
  CHECK(fs::exists(dir / "notes.txt"));
}
