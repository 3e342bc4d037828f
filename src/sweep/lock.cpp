// DirectoryLock (lock.hpp).
#include "subnetsim/sweep/lock.hpp"

#include <filesystem>

namespace subnetsim::sweep {

std::optional<DirectoryLock> DirectoryLock::acquire(const std::string& dir, std::size_t shard,
                                                    std::size_t shards, std::string& error) {
  namespace fs = std::filesystem;
  using core::FileLock;
  const bool whole = shards <= 1;
  bool busy = false;
  auto directory =
      FileLock::try_lock((fs::path(dir) / ".sweep.lock").string(),
                         whole ? FileLock::Mode::kExclusive : FileLock::Mode::kShared, busy, error);
  if (!directory) {
    if (busy)
      error = dir + ": another sweep is writing to this directory (" +
              (whole ? std::string("a sweep or a shard of one") : "a whole sweep") +
              " still running): wait for it to end, or use another directory";
    return std::nullopt;
  }
  DirectoryLock lock(std::move(*directory));
  if (!whole) {
    const std::string name =
        ".shard-" + std::to_string(shard) + "-of-" + std::to_string(shards) + ".lock";
    auto shard_lock = FileLock::try_lock((fs::path(dir) / name).string(),
                                         FileLock::Mode::kExclusive, busy, error);
    if (shard_lock) lock.shard_.emplace(std::move(*shard_lock));
    if (!lock.shard_) {
      if (busy)
        error = dir + ": shard " + std::to_string(shard) + "/" + std::to_string(shards) +
                " is already running in this directory: wait for it to end";
      return std::nullopt;  // the directory lock goes with `lock`
    }
  }
  return std::optional<DirectoryLock>(std::move(lock));
}

}  // namespace subnetsim::sweep
