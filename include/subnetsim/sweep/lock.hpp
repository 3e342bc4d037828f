// DirectoryLock: keeps two sweeps from writing the same runs of one directory at once (a job
// resubmitted while it still runs, a shard started twice). Runs written by two processes at once
// end up with empty series under a completed summary, which a resume then trusts.
//
// An advisory flock(2) on DIR/.sweep.lock: a whole sweep (or the lead rank of an MPI sweep)
// holds it exclusively; a shard holds it shared, and DIR/.shard-I-of-N.lock exclusively, so
// different shards run side by side but neither the same shard twice nor a shard beside a whole
// sweep. The locks go with the process (closed descriptors, a killed process included): nothing
// is left to clean up. Invariant: a held DirectoryLock owns open descriptors; moved-from ones own
// none.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace subnetsim::sweep {

class DirectoryLock {
 public:
  // Takes the locks for shard `shard` of `shards` (1 of 1: the whole sweep) of DIR, which must
  // exist. nullopt and `error` set when another process holds them (or they cannot be taken).
  static std::optional<DirectoryLock> acquire(const std::string& dir, std::size_t shard,
                                              std::size_t shards, std::string& error);
  DirectoryLock(DirectoryLock&& other) noexcept;
  DirectoryLock& operator=(DirectoryLock&&) = delete;
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;
  ~DirectoryLock();

 private:
  DirectoryLock() = default;
  int directory_fd_ = -1;
  int shard_fd_ = -1;
};

}  // namespace subnetsim::sweep
