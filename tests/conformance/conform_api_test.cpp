// run_conform() on the public conformance file, through the API (the CLI wiring is tested by the
// conform_exact / conform_float CTest entries).
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "subnetsim/app/conform.hpp"

namespace {
const std::string kPublicFile = SUBNETSIM_SHARED_DIR "/conformance/subtensor-public.json";

int conform(const std::string& file, subnetsim::consensus::BackendKind kind, std::string& out,
            std::string& err) {
  std::ostringstream o, e;
  const int rc = subnetsim::app::run_conform(file, kind, o, e);
  out = o.str();
  err = e.str();
  return rc;
}

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = std::string(SUBNETSIM_BINARY_DIR) + "/" + name;
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST_CASE("exact backend passes every public epoch case", "[conform]") {
  std::string out, err;
  const int rc = conform(kPublicFile, subnetsim::consensus::BackendKind::kExact, out, err);
  INFO(out << err);
  CHECK(rc == 0);
  CHECK(out.find("8 passed, 0 failed") != std::string::npos);
}

TEST_CASE("float backend passes every public epoch case within the float bounds", "[conform]") {
  std::string out, err;
  const int rc = conform(kPublicFile, subnetsim::consensus::BackendKind::kFloat, out, err);
  INFO(out << err);
  CHECK(rc == 0);
}

TEST_CASE("a malformed file is reported with its JSON pointer and exit 2", "[conform]") {
  std::string out, err;
  const std::string bad = write_temp(
      "conform_bad.json", R"({"epoch_cases": [{"id": "x", "hyperparameters": {"tempo": -1}}]})");
  CHECK(conform(bad, subnetsim::consensus::BackendKind::kExact, out, err) == 2);
  CHECK(err.find("conform_bad.json: /epoch_cases/0/hyperparameters/tempo") != std::string::npos);

  const std::string not_json = write_temp("conform_not_json.json", "{ nope");
  CHECK(conform(not_json, subnetsim::consensus::BackendKind::kExact, out, err) == 2);
  CHECK(err.find("conform_not_json.json") != std::string::npos);

  CHECK(conform("/nonexistent/file.json", subnetsim::consensus::BackendKind::kExact, out, err) ==
        2);
}

TEST_CASE("a wrong expectation fails with step, quantity, uid, expected and got", "[conform]") {
  std::ifstream in(kPublicFile);
  nlohmann::json doc = nlohmann::json::parse(in);
  bool corrupted = false;
  for (auto& c : doc["epoch_cases"]) {
    if (c["id"] != "epoch.test_zero_weights") continue;
    c["steps"][0]["expect"]["emission_rao"][0] = 999999999;  // the chain gives 1000000000
    corrupted = true;
  }
  REQUIRE(corrupted);
  std::string out, err;
  CHECK(conform(write_temp("conform_wrong.json", doc.dump()),
                subnetsim::consensus::BackendKind::kExact, out, err) == 1);
  CHECK(out.find("FAIL epoch.test_zero_weights: step 0, emission_rao, uid 0, expected 999999999, "
                 "got 1000000000") != std::string::npos);
  CHECK(out.find("7 passed, 1 failed") != std::string::npos);
}
