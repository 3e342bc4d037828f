// read_file_text and read_file_head (see file_text.hpp).
#include "subnetsim/core/file_text.hpp"

#include <fstream>

namespace subnetsim::core {

FileRead read_file_text(const std::filesystem::path& path, std::string& text,
                        std::size_t max_bytes) {
  text.clear();
  std::ifstream in(path, std::ios::binary);
  if (!in) return FileRead::kCannotOpen;
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes) {
      text.clear();
      return FileRead::kTooLarge;
    }
  }
  if (in.bad()) {
    text.clear();
    return FileRead::kReadError;
  }
  return FileRead::kOk;
}

std::string file_read_problem(FileRead status, std::size_t max_bytes) {
  switch (status) {
    case FileRead::kOk:
      return "";
    case FileRead::kCannotOpen:
      return "cannot be read";
    case FileRead::kTooLarge:
      return "file is too large (more than the limit of " + std::to_string(max_bytes) + " bytes)";
    case FileRead::kReadError:
      return "cannot be read (a read error)";
  }
  return "cannot be read";
}

std::string read_file_head(const std::filesystem::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  std::string head(max_bytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(in.bad() ? 0 : static_cast<std::size_t>(in.gcount()));
  return head;
}

}  // namespace subnetsim::core
