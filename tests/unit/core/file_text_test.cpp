// core::file_text: the one reader of whole input files; what each status means, and that a
// failed or oversized read leaves no text behind.
#include "subnetsim/core/file_text.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

using namespace subnetsim::core;
namespace fs = std::filesystem;

namespace {
fs::path write_temp(const std::string& name, const std::string& bytes) {
  const fs::path path = fs::temp_directory_path() / name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}
}  // namespace

TEST_CASE("read_file_text reads a file whole, bytes as they are", "[core][file]") {
  // Longer than one read chunk (64 kB), with a NUL byte and CR LF kept as written.
  std::string bytes(200000, 'x');
  bytes[5] = '\0';
  bytes.replace(100, 2, "\r\n");
  const fs::path path = write_temp("subnetsim_file_text_whole.bin", bytes);
  std::string text = "left over";
  CHECK(read_file_text(path, text) == FileRead::kOk);
  CHECK(text == bytes);
  CHECK(read_file_text(path, text, bytes.size()) == FileRead::kOk);  // the limit itself is allowed
  CHECK(text.size() == bytes.size());
  fs::remove(path);
}

TEST_CASE("read_file_text says why it read nothing, and leaves no text", "[core][file]") {
  const fs::path path = write_temp("subnetsim_file_text_limit.txt", "0123456789");
  std::string text = "left over";
  CHECK(read_file_text(path, text, 9) == FileRead::kTooLarge);
  CHECK(text.empty());
  fs::remove(path);
  text = "left over";
  CHECK(read_file_text(path, text) == FileRead::kCannotOpen);  // gone
  CHECK(text.empty());
  // A device without an end stops at the limit rather than filling memory.
  CHECK(read_file_text("/dev/zero", text, 100000) == FileRead::kTooLarge);
  CHECK(text.empty());
  // Opened, then a read fails (reading unmapped memory): not an empty file.
  text = "left over";
  CHECK(read_file_text("/proc/self/mem", text) == FileRead::kReadError);
  CHECK(text.empty());
}

TEST_CASE("read_file_head gives at most its bytes from the start, or nothing", "[core][file]") {
  const fs::path path = write_temp("subnetsim_file_text_head.txt", "<!DOCTYPE html>\nrest");
  CHECK(read_file_head(path, 9) == "<!DOCTYPE");
  CHECK(read_file_head(path, 1000) == "<!DOCTYPE html>\nrest");
  fs::remove(path);
  CHECK(read_file_head(path, 1000).empty());
  CHECK(read_file_head("/proc/self/mem", 16).empty());
}
