// FileLock (file_lock.hpp).
#include "subnetsim/core/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

FileLock::FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace subnetsim::core
