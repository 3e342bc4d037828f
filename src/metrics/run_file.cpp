// run_file_problem (run_file.hpp).
#include "subnetsim/metrics/run_file.hpp"

#include <filesystem>
#include <system_error>

namespace subnetsim::metrics {

std::string run_file_problem(const std::string& path, std::uintmax_t max_bytes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st))
    return path + ": cannot be read (" + (ec ? ec.message() : "not found") + ")";
  if (fs::is_directory(st)) return path + ": is a directory, not a file of the run";
  if (!fs::is_regular_file(st))
    return path + ": is not a regular file (a FIFO, a device, ...): not a file this tool wrote";
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return path + ": cannot be read (" + ec.message() + ")";
  if (size > max_bytes)
    return path + ": is too large (" + std::to_string(size) + " bytes, the limit is " +
           std::to_string(max_bytes) + ")";
  return "";
}

}  // namespace subnetsim::metrics
