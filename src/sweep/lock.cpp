// DirectoryLock (lock.hpp): flock(2) on lock files in the sweep directory.
#include "subnetsim/sweep/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace subnetsim::sweep {

namespace {

// Opens `path` (created if need be) and locks it without waiting: the descriptor, or -1 with
// errno (EWOULDBLOCK: someone holds it).
int lock_file(const std::string& path, int operation) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  if (::flock(fd, operation | LOCK_NB) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

}  // namespace

std::optional<DirectoryLock> DirectoryLock::acquire(const std::string& dir, std::size_t shard,
                                                    std::size_t shards, std::string& error) {
  namespace fs = std::filesystem;
  DirectoryLock lock;
  const bool whole = shards <= 1;
  const std::string dir_path = (fs::path(dir) / ".sweep.lock").string();
  lock.directory_fd_ = lock_file(dir_path, whole ? LOCK_EX : LOCK_SH);
  if (lock.directory_fd_ < 0) {
    error = errno == EWOULDBLOCK
                ? dir + ": another sweep is writing to this directory (" +
                      (whole ? std::string("a sweep or a shard of one") : "a whole sweep") +
                      " still running): wait for it to end, or use another directory"
                : "cannot lock " + dir_path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  if (!whole) {
    const std::string name =
        ".shard-" + std::to_string(shard) + "-of-" + std::to_string(shards) + ".lock";
    const std::string shard_path = (fs::path(dir) / name).string();
    lock.shard_fd_ = lock_file(shard_path, LOCK_EX);
    if (lock.shard_fd_ < 0) {
      error = errno == EWOULDBLOCK
                  ? dir + ": shard " + std::to_string(shard) + "/" + std::to_string(shards) +
                        " is already running in this directory: wait for it to end"
                  : "cannot lock " + shard_path + ": " + std::strerror(errno);
      return std::nullopt;  // the destructor releases the directory lock
    }
  }
  return std::optional<DirectoryLock>(std::move(lock));
}

DirectoryLock::DirectoryLock(DirectoryLock&& other) noexcept
    : directory_fd_(other.directory_fd_), shard_fd_(other.shard_fd_) {
  other.directory_fd_ = other.shard_fd_ = -1;
}

DirectoryLock::~DirectoryLock() {
  if (shard_fd_ >= 0) ::close(shard_fd_);
  if (directory_fd_ >= 0) ::close(directory_fd_);
}

}  // namespace subnetsim::sweep
