// A run's files are read back only when they are regular files of a sane size, and a summary.json
// nested absurdly deep is refused before the parser recurses into it.
#include "subnetsim/metrics/run_file.hpp"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "subnetsim/metrics/csv_table.hpp"
#include "subnetsim/metrics/json_file.hpp"

namespace fs = std::filesystem;
using subnetsim::metrics::read_csv_file;
using subnetsim::metrics::read_json_object;
using subnetsim::metrics::run_file_problem;

namespace {
fs::path fresh(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("subnetsim_run_file_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}
}  // namespace

TEST_CASE("run files: a directory, a FIFO, a device or a file too large is refused, not read") {
  const fs::path dir = fresh("kinds");
  std::ofstream(dir / "ok.csv") << "block,x\n1,2\n";
  CHECK(run_file_problem((dir / "ok.csv").string()).empty());
  CHECK(run_file_problem((dir / "ok.csv").string(), 4) ==
        (dir / "ok.csv").string() + ": is too large (12 bytes, the limit is 4)");
  fs::create_directories(dir / "summary.json");
  nlohmann::json j;
  CHECK(read_json_object((dir / "summary.json").string(), j) ==
        (dir / "summary.json").string() + ": is a directory, not a file of the run");
  // A FIFO with no writer would block a read forever; /dev/zero would be read until memory ran out.
  REQUIRE(::mkfifo((dir / "events.csv").c_str(), 0600) == 0);
  CHECK(read_csv_file((dir / "events.csv").string()).error.find("is not a regular file") !=
        std::string::npos);
  fs::create_symlink("/dev/zero", dir / "globals.csv");
  CHECK(read_csv_file((dir / "globals.csv").string()).error.find("is not a regular file") !=
        std::string::npos);
  CHECK(run_file_problem((dir / "missing.csv").string()).find("cannot be read") !=
        std::string::npos);
}

TEST_CASE(
    "run files: a summary.json nested thousands deep is refused, brackets in strings are not "
    "counted") {
  const fs::path dir = fresh("nesting");
  std::ofstream(dir / "deep.json")
      << "{\"a\":" << std::string(20000, '[') << std::string(20000, ']') << "}";
  nlohmann::json j;
  CHECK(read_json_object((dir / "deep.json").string(), j) ==
        (dir / "deep.json").string() + ": not a run's JSON: nested more than 256 levels");
  std::ofstream(dir / "text.json")
      << "{\"a\": \"" << std::string(1000, '[') << "\\\"\", \"b\": [[1]]}";
  CHECK(read_json_object((dir / "text.json").string(), j).empty());
  CHECK(j["b"][0][0] == 1);
}
