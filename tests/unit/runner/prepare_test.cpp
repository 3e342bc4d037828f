// prepare_scenario refuses a scenario whose resolved form (every default, and the price path's
// points written in) would be larger than a scenario file may be: the run's
// resolved_scenario.json could not be read back by rerun, report or compare.
#include "subnetsim/runner/prepare.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "subnetsim/scenario/loader.hpp"

namespace fs = std::filesystem;
using namespace subnetsim;

TEST_CASE("a price path too long to be read back in resolved_scenario.json is refused") {
  const fs::path dir = fs::path(SUBNETSIM_BINARY_DIR) / "test-scratch" / "runner" / "long-path";
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto write_scenario = [&](std::size_t points) {
    std::ofstream csv(dir / "path.csv");
    csv.precision(17);
    for (std::size_t k = 0; k < points; ++k)
      csv << 100000000000000000ULL + k * 12345678901ULL << ','
          << 123456789.12345679 + static_cast<double>(k) / 7.0 << '\n';
    std::ofstream(dir / "s.json") << R"({"name": "long", "horizon_blocks": 24,
      "subnets": {"1": {}}, "market": {"model": "path", "path_csv": "path.csv"}})";
  };
  const std::string file = (dir / "s.json").string();
  // 200,000 points (the price path's limit) of long numbers: about 17.6 MB resolved.
  write_scenario(200000);
  const runner::PreparedScenario big = runner::prepare_scenario(file, {});
  CHECK_FALSE(big.ok());
  CHECK_THAT(big.problems,
             Catch::StartsWith(
                 file + ": resolved with every default, and the price path's points written in, "
                        "this scenario takes ") &&
                 Catch::EndsWith(
                     " bytes, over the 16777216 a scenario file may have: its run's "
                     "resolved_scenario.json could not be read back; expected a shorter price path "
                     "or description\n"));
  // A tenth of them fits, and its resolved form loads again.
  write_scenario(20000);
  const runner::PreparedScenario small = runner::prepare_scenario(file, {});
  REQUIRE(small.ok());
  CHECK(small.resolved_json.size() < scenario::kMaxScenarioFileBytes);
  std::ofstream(dir / "resolved.json") << small.resolved_json;
  CHECK(scenario::load_scenario((dir / "resolved.json").string()).ok());
  fs::remove_all(dir);
}
