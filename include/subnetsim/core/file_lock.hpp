// FileLock: an advisory flock(2) on a lock file, held while the object lives. It keeps two
// processes from writing the same output directory at once (two runs into one -o, a sweep
// started twice); the lock goes with its process however it ends (a killed one included), so
// nothing is left to clean up. Invariant: a FileLock owns an open descriptor holding the lock;
// a moved-from one owns none.
#pragma once

#include <optional>
#include <string>

namespace subnetsim::core {

class FileLock {
 public:
  enum class Mode { kShared, kExclusive };
  // Opens `path` (created if need be) and locks it without waiting. nullopt when it cannot:
  // `busy` says another process holds it; otherwise `error` says why (naming the file).
  static std::optional<FileLock> try_lock(const std::string& path, Mode mode, bool& busy,
                                          std::string& error);
  // try_lock, tried again twice 20 ms apart while busy: for a shared lock, which another
  // process's probe (held_by_another) can hold exclusively for an instant.
  static std::optional<FileLock> try_lock_patiently(const std::string& path, Mode mode, bool& busy,
                                                    std::string& error);
  // A shared lock on an existing file, opened read-only (a reader may not be allowed to write
  // it): nullopt when there is no such file, or with `busy` when another process holds it
  // exclusively.
  static std::optional<FileLock> try_lock_shared_existing(const std::string& path, bool& busy);
  // Whether another process holds a lock, shared or exclusive, on `path` now (false when there
  // is no such file: nothing is created). The probe takes an exclusive lock for an instant, so
  // it tries three times, 20 ms apart: two probes meeting do not take each other for a holder.
  // (A lock taken while another process probes can fail the same way: see try_lock_patiently.) A
  // run and a sweep lock different files; each asks this of the other's after taking its own, so
  // that two started together on one directory cannot both go.
  static bool held_by_another(const std::string& path);
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace subnetsim::core
