// scenarios/FORMAT.md must list every field the loader accepts, and nothing it does not.
// The loader records each field it asks for; loading the kitchen-sink scenario (every section,
// agent type, distribution and script action) and the shipped scenarios asks for all of them.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>

#include "subnetsim/scenario/loader.hpp"
#include "text_match.hpp"

namespace fs = std::filesystem;

namespace {
// Paths in the first column of the document's tables: "| `/subnets/*/kappa` | ...".
std::set<std::string> documented_fields() {
  std::ifstream in("scenarios/FORMAT.md");
  REQUIRE(in);
  std::set<std::string> out;
  std::string line;
  while (std::getline(in, line))
    for (const auto& row : subnetsim::testing::regex_matches(line, R"(^\| `(/[^`]*)` \|)"))
      out.insert(row[1]);
  return out;
}
}  // namespace

TEST_CASE("the format document lists exactly the accepted fields", "[scenario][format]") {
  REQUIRE(subnetsim::scenario::load_scenario("tests/data/scenarios/kitchen_sink.json").ok());
  for (const auto& e : fs::directory_iterator("scenarios"))
    if (e.path().extension() == ".json") {
      INFO(e.path().string());
      CHECK(subnetsim::scenario::load_scenario(e.path().string()).ok());
    }
  std::set<std::string> accepted;
  for (std::string f : subnetsim::scenario::accepted_fields()) {
    // /subnet_defaults takes the same fields as /subnets/*, documented once.
    const std::string defaults = "/subnet_defaults/";
    if (f.rfind(defaults, 0) == 0) f = "/subnets/*/" + f.substr(defaults.size());
    accepted.insert(f);
  }
  const auto documented = documented_fields();
  for (const auto& f : accepted) {
    INFO("accepted by the loader but not in scenarios/FORMAT.md: " << f);
    CHECK(documented.count(f) == 1);
  }
  for (const auto& f : documented) {
    INFO("documented in scenarios/FORMAT.md but not accepted by the loader: " << f);
    CHECK(accepted.count(f) == 1);
  }
}
