// DirectoryLock: keeps two sweeps from writing the same runs of one directory at once (a job
// resubmitted while it still runs, a shard started twice). Runs written by two processes at once
// end up with empty series under a completed summary, which a resume then trusts.
//
// core::FileLock on DIR/.sweep.lock: a whole sweep (or the lead rank of an MPI sweep) holds it
// exclusively; a shard holds it shared, and DIR/.shard-I-of-N.lock exclusively, so different
// shards run side by side but neither the same shard twice nor a shard beside a whole sweep.
// Each run's own directory is locked as well, by runner::execute_run.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "subnetsim/core/file_lock.hpp"

namespace subnetsim::sweep {

class DirectoryLock {
 public:
  // Takes the locks for shard `shard` of `shards` (1 of 1: the whole sweep) of DIR, which must
  // exist. nullopt and `error` set when another process holds them (or they cannot be taken).
  static std::optional<DirectoryLock> acquire(const std::string& dir, std::size_t shard,
                                              std::size_t shards, std::string& error);

 private:
  explicit DirectoryLock(core::FileLock directory) : directory_(std::move(directory)) {}
  core::FileLock directory_;
  std::optional<core::FileLock> shard_;
  std::optional<core::FileLock> count_;  // shared by the shards of one count N
};

}  // namespace subnetsim::sweep
