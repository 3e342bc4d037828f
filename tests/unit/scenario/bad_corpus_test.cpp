// Every file of tests/data/bad_scenarios/ must be rejected with exactly the lines of its
// .expected file (the configs folder is written "<configs>" there, as it differs per checkout).
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "subnetsim/scenario/loader.hpp"

namespace fs = std::filesystem;
using subnetsim::scenario::load_scenario;

namespace {
std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}
}  // namespace

TEST_CASE("every bad scenario gives exactly its expected error lines", "[scenario][corpus]") {
  const fs::path dir = "tests/data/bad_scenarios";  // tests run from the source root
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 25);
  const std::string configs = subnetsim::scenario::default_config_dir();
  for (const auto& f : files) {
    const fs::path expected_path = fs::path(f).replace_extension(".expected");
    INFO("scenario: " << f.string());
    REQUIRE(fs::exists(expected_path));
    const auto result = load_scenario(f.string());
    CHECK_FALSE(result.ok());
    const std::string got =
        replace_all(result.diagnostics.to_string(), "\"" + configs + "\"", "\"<configs>\"");
    CHECK(got == read_all(expected_path));
  }
}
