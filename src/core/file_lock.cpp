// FileLock (file_lock.hpp).
#include "subnetsim/core/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace subnetsim::core {

std::optional<FileLock> FileLock::try_lock(const std::string& path, Mode mode, bool& busy,
                                           std::string& error) {
  busy = false;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = "cannot lock " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  if (::flock(fd, (mode == Mode::kExclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
    busy = errno == EWOULDBLOCK;
    error = "cannot lock " + path + ": " + std::strerror(errno);
    ::close(fd);
    return std::nullopt;
  }
  return FileLock(fd);
}

std::optional<FileLock> FileLock::try_lock_patiently(const std::string& path, Mode mode, bool& busy,
                                                     std::string& error) {
  for (int attempt = 0;; ++attempt) {
    auto lock = try_lock(path, mode, busy, error);
    if (lock || !busy || attempt == 2) return lock;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::optional<FileLock> FileLock::try_lock_shared_existing(const std::string& path, bool& busy) {
  busy = false;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  if (::flock(fd, LOCK_SH | LOCK_NB) != 0) {
    busy = errno == EWOULDBLOCK;
    ::close(fd);
    return std::nullopt;
  }
  return FileLock(fd);
}

bool FileLock::held_by_another(const std::string& path) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    // Read-write where allowed: over NFS an exclusive flock needs a file open for writing.
    int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);  // releases the probe's own lock, if it took one
    if (!held) return false;
  }
  return true;
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace subnetsim::core
