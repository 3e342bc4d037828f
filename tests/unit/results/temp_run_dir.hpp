// TempRunDir: a scratch run directory under the system temp folder for the results tests, removed
// at the end. Invariant: the path is unique to the process and the name given.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

struct TempRunDir {
  std::filesystem::path path;
  explicit TempRunDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() /
             ("subnetsim-results-" + std::to_string(::getpid()) + "-" + name)) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempRunDir() { std::filesystem::remove_all(path); }
  TempRunDir(const TempRunDir&) = delete;
  TempRunDir& operator=(const TempRunDir&) = delete;

  void write(const std::string& file, const std::string& text) const {
    std::ofstream(path / file, std::ios::binary) << text;
  }
  std::string read(const std::string& file) const {
    std::ifstream f(path / file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
  }
  std::string str() const { return path.string(); }
};
