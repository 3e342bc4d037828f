// DirectoryLock: a whole sweep excludes everything else on its directory; shards exclude a whole
// sweep and themselves, not each other; a lock goes with its holder.
#include "subnetsim/sweep/lock.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <optional>
#include <string>

using subnetsim::sweep::DirectoryLock;

namespace {
std::string fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("subnetsim_lock_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}
}  // namespace

TEST_CASE("a sweep directory takes one whole sweep, or shards that differ", "[sweep]") {
  const std::string dir = fresh_dir("rules");
  std::string error;
  {
    const auto whole = DirectoryLock::acquire(dir, 1, 1, error);
    REQUIRE(whole);
    CHECK_FALSE(DirectoryLock::acquire(dir, 1, 1, error));
    CHECK(error == dir +
                       ": another sweep is writing to this directory (a sweep or a shard of "
                       "one still running): wait for it to end, or use another directory");
    CHECK_FALSE(DirectoryLock::acquire(dir, 2, 3, error));
    CHECK(error.find("(a whole sweep still running)") != std::string::npos);
  }
  // Released with its holder: shards now, side by side, each once.
  const auto first = DirectoryLock::acquire(dir, 1, 2, error);
  REQUIRE(first);
  const auto second = DirectoryLock::acquire(dir, 2, 2, error);
  CHECK(second);
  CHECK_FALSE(DirectoryLock::acquire(dir, 1, 2, error));
  CHECK(error == dir + ": shard 1/2 is already running in this directory: wait for it to end");
  CHECK_FALSE(DirectoryLock::acquire(dir, 1, 1, error));
}

TEST_CASE("a directory that cannot hold the lock file is an error, not a crash", "[sweep]") {
  std::string error;
  CHECK_FALSE(DirectoryLock::acquire("/nonexistent/subnetsim/sweep", 1, 1, error));
  CHECK(error.find("cannot lock /nonexistent/subnetsim/sweep/.sweep.lock") == 0);
}
