// DirectoryLock (lock.hpp).
#include "subnetsim/sweep/lock.hpp"

#include <filesystem>

#include "numbered_name.hpp"

namespace subnetsim::sweep {

std::optional<DirectoryLock> DirectoryLock::acquire(const std::string& dir, std::size_t shard,
                                                    std::size_t shards, std::string& error) {
  namespace fs = std::filesystem;
  using core::FileLock;
  const bool whole = shards <= 1;
  bool busy = false;
  // A shard's shared lock is taken patiently: a run's probe may hold it for an instant.
  auto directory = whole ? FileLock::try_lock((fs::path(dir) / ".sweep.lock").string(),
                                              FileLock::Mode::kExclusive, busy, error)
                         : FileLock::try_lock_patiently((fs::path(dir) / ".sweep.lock").string(),
                                                        FileLock::Mode::kShared, busy, error);
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
    // Shards of another count N would run some of the same runs at once (1/2 and 1/3 share
    // run 0): each count holds its own shared lock, and a shard gives way to another count's.
    auto count_lock = FileLock::try_lock_patiently(
        (fs::path(dir) / (".shards-of-" + std::to_string(shards) + ".lock")).string(),
        FileLock::Mode::kShared, busy, error);
    if (!count_lock) {
      if (busy)
        error = dir +
                ": shards of another count are starting in this directory: every shard of a sweep "
                "gives the "
                "same N; wait for them to end";
      return std::nullopt;
    }
    lock.count_.emplace(std::move(*count_lock));
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      const auto other =
          numbers_in_name(entry.path().filename().string(), {".shards-of-", ".lock"});
      if (other && other->front() != std::to_string(shards) &&
          FileLock::held_by_another(entry.path().string())) {
        error = dir + ": shards of this sweep split " + other->front() +
                " ways are running in this directory: every shard "
                "of a sweep gives the same N (--shard I/" +
                other->front() + "), or wait for them to end";
        return std::nullopt;
      }
    }
  }
  return std::optional<DirectoryLock>(std::move(lock));
}

}  // namespace subnetsim::sweep
