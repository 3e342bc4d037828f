// run_conform() on the public conformance file, through the API (the CLI wiring is tested by the
// conform_exact / conform_float CTest entries).
#include <catch2/catch.hpp>
#include <cstdint>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "../../src/app/conform_case.hpp"
#include "subnetsim/app/conform.hpp"
#include "subnetsim/core/json_text.hpp"

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
  nlohmann::json doc = subnetsim::core::parse_json(in);
  bool corrupted = false;
  for (auto& c : doc["epoch_cases"]) {
    if (c["id"] != "epoch.test_zero_weights") continue;
    c["steps"][0]["expect"]["emission_rao"][0] = 999999999;  // the chain gives 1000000000
    corrupted = true;
  }
  REQUIRE(corrupted);
  std::string out, err;
  CHECK(conform(write_temp("conform_wrong.json", subnetsim::core::dump_json(doc)),
                subnetsim::consensus::BackendKind::kExact, out, err) == 1);
  CHECK(out.find("FAIL epoch.test_zero_weights: step 0, emission_rao, uid 0, expected 999999999, "
                 "got 1000000000") != std::string::npos);
  CHECK(out.find("7 passed, 1 failed") != std::string::npos);
}

namespace {
// Two validators (uids 0, 1) weighting one miner (uid 2); every expect form of the README.
nlohmann::json synthetic_case() {
  return subnetsim::core::parse_json(R"json({
    "epoch_cases": [{
      "id": "synthetic.every_form",
      "hyperparameters": {
        "tempo": 10, "kappa_u16": 32767, "bonds_penalty_u16": 65535,
        "bonds_moving_average": 900000, "max_allowed_validators": 2,
        "activity_cutoff_factor_milli": 13889, "activity_cutoff_blocks": 138,
        "stake_threshold": 0, "yuma3_enabled": false, "liquid_alpha_enabled": false,
        "alpha_low_high_u16": [45875, 58982], "alpha_sigmoid_steepness": 1000,
        "subnet_owner_uid": null, "commit_reveal_enabled": false, "tao_weight": 0,
        "last_mechanism_step_block": 0, "bonds_reset_enabled": true
      },
      "initial_state": {
        "n": 3, "block": 1, "stake_rao": [100, 100, 0],
        "block_at_registration": [0, 0, 0], "last_update": [1, 1, 1],
        "validator_permit": [true, true, false], "weights_u16": {}, "bonds_u16": {}
      },
      "steps": [
        {"op": "set_weights", "block": 2, "uid": 0, "uids": [2], "values_submitted": [7],
         "stored_u16": [65535]},
        {"op": "set_weights", "block": 2, "uid": 1, "uids": [2], "values_submitted": [65535],
         "stored_u16": [65535]},
        {"op": "epoch", "block": 20, "rao_emission": 1000,
         "expect": {
           "Weights (mask+norm)": "[[(2, 1)], [(2, 1)], []]",
           "ΔB (norm)": "[[(2, 0.5)], [(2, 0.5)], []]",
           "Normalised Stake (prefix)": "[0.5",
           "Consensus": [0, 0, 1],
           "Inactive": "[false, false, false]",
           "new_validator_permits": [true, true, false],
           "incentive_u16": {"2": 65535},
           "dividends_fraction": [0.5, 0.5, 0],
           "Combined Emission (rao)": "[AlphaCurrency(250), AlphaCurrency(250), AlphaCurrency(500)]",
           "Validator Trust": "[I32F32(1), I32F32(1), I32F32(0)]",
           "stored_bonds_u16": {"B[0][2]": 65535, "B[1][2]": 65535}
         },
         "reference_exact": {"stored_bonds_u16": {"0": [[2, 65535]], "1": [[2, 65535]]}}},
        {"op": "reset_bonds_column", "block": 21, "uid": 2},
        {"op": "epoch", "block": 22, "rao_emission": 1000,
         "reference_exact": {"stored_bonds_u16": {"0": [[2, 65535]], "1": [[2, 65535]]}}}
      ],
      "tolerance": "dividends: |u16/65535 - target| <= 1e-3"
    }]
  })json");
}
// Writes `doc` to a file named `name` in the build tree and runs conform on it.
int conform_doc(const nlohmann::json& doc, const std::string& name,
                subnetsim::consensus::BackendKind kind, std::string& out, std::string& err) {
  return conform(write_temp(name, subnetsim::core::dump_json(doc)), kind, out, err);
}
}  // namespace

TEST_CASE("every expect form of the README is read and checked", "[conform]") {
  std::string out, err;
  nlohmann::json doc = synthetic_case();
  const std::string ok_file = write_temp("conform_forms.json", subnetsim::core::dump_json(doc));
  CHECK(conform(ok_file, subnetsim::consensus::BackendKind::kExact, out, err) == 0);
  INFO(out << err);
  CHECK(out.find("PASS synthetic.every_form") != std::string::npos);

  // Each altered expectation must fail, naming the quantity.
  const std::vector<std::pair<std::string, nlohmann::json>> wrong{
      {"Weights (mask+norm)", "[[(2, 1)], [(1, 1)], []]"},
      {"ΔB (norm)", "[[(2, 0.6)], [(2, 0.4)], []]"},
      {"Normalised Stake (prefix)", "[0.6"},
      {"Consensus", nlohmann::json::array({0, 0, 0.9})},
      {"new_validator_permits", nlohmann::json::array({true, false, false})},
      {"Inactive", "[false, true, false]"},
      {"Validator Trust", "[I32F32(1), I32F32(0.5), I32F32(0)]"},
      {"incentive_u16", nlohmann::json::object({{"2", 60000}})},  // beyond the case tolerance
      {"dividends_fraction", nlohmann::json::array({0.51, 0.49, 0})},
      {"Combined Emission (rao)", "[250, 251, 500]"},
      {"stored_bonds_u16", nlohmann::json::object({{"B[0][2]", 1}})},
  };
  for (const auto& [key, value] : wrong) {
    nlohmann::json bad = synthetic_case();
    bad["epoch_cases"][0]["steps"][2]["expect"][key] = value;
    INFO("altered " << key);
    CHECK(conform(write_temp("conform_forms_bad.json", subnetsim::core::dump_json(bad)),
                  subnetsim::consensus::BackendKind::kExact, out, err) == 1);
    CHECK(out.find("FAIL synthetic.every_form: step 2, " + key) != std::string::npos);
  }
  // A quantity conform does not know fails its case (it cannot be said to hold), and the other
  // cases of the file still get their verdicts (it stopped the whole file, with none).
  nlohmann::json unknown = synthetic_case();
  unknown["epoch_cases"][0]["steps"][2]["expect"]["no_such_quantity"] = 1;
  nlohmann::json second = unknown["epoch_cases"][0];
  second["id"] = "synthetic.second";
  second["steps"][2]["expect"].erase("no_such_quantity");
  unknown["epoch_cases"].push_back(second);
  CHECK(conform(write_temp("conform_forms_unknown.json", subnetsim::core::dump_json(unknown)),
                subnetsim::consensus::BackendKind::kExact, out, err) == 1);
  CHECK(
      out ==
      "FAIL synthetic.every_form: step 2, no_such_quantity, -, expected a quantity conform "
      "computes, got none: conform does not know it\nPASS synthetic.second\n1 passed, 1 failed\n");
}

TEST_CASE("a tolerance text gives the bound after its comparison, or none", "[conform]") {
  using subnetsim::consensus::BackendKind;
  std::string out, err;
  // Dividends 0.01 off as a fraction, 2 steps off as u16 (the synthetic case is exact: 0.5,
  // 0.5, 0 and 32767, 32767, 0).
  auto with = [](const nlohmann::json& tolerance, const std::string& key, nlohmann::json value) {
    nlohmann::json doc = synthetic_case();
    doc["epoch_cases"][0]["tolerance"] = tolerance;
    doc["epoch_cases"][0]["steps"][2]["expect"][key] = std::move(value);
    return doc;
  };
  const nlohmann::json off_fraction = nlohmann::json::array({0.51, 0.49, 0});
  const nlohmann::json off_steps = nlohmann::json::object({{"0", 32767 + 2}});
  const std::vector<std::tuple<std::string, std::string, nlohmann::json, int>> cases{
      // "<" and "≤" bound as "<=" does (they read 65535 from "u16/65535": anything passed).
      {"|u16/65535 - target| <= 1e-3", "dividends_fraction", off_fraction, 1},
      {"|u16/65535 - target| < 1e-3", "dividends_fraction", off_fraction, 1},
      {"|u16/65535 - target| \u2264 1e-3", "dividends_fraction", off_fraction, 1},
      {"|u16/65535 - target| < 0.02", "dividends_fraction", off_fraction, 0},
      {"\u00b1 0.02", "dividends_fraction", off_fraction, 0},
      {"within 0.02 (assert_approx_eq)", "dividends_fraction", off_fraction, 0},
      {"0.02", "dividends_fraction", off_fraction, 0},
      {"2%", "dividends_fraction", off_fraction, 0},
      // Numbers that are not bounds: equality (they were tolerances of 3 and 1 steps).
      {"assert_eq! (test runs 3 epochs)", "dividends_u16", off_steps, 1},
      {"assert_eq! on u16 values (tempo 1)", "dividends_u16", off_steps, 1},
      {"|diff| <= 2 steps", "dividends_u16", off_steps, 0},
      // A comparison without a number is no bound ("Vec<u16>"); a word that names one is.
      {"assert_eq! on Vec<u16> bond values", "dividends_u16", off_steps, 1},
      {"|diff| <= the printed precision", "dividends_u16", off_steps, 1},
      {"assert_approx_eq with I32F32 epsilon 0.02", "dividends_fraction", off_fraction, 0},
      {"tolerance: 2 steps", "dividends_u16", off_steps, 0},
  };
  for (const auto& [tolerance, key, value, code] : cases) {
    INFO(tolerance);
    CHECK(conform_doc(with(tolerance, key, value), "conform_tolerance_text.json",
                      BackendKind::kExact, out, err) == code);
  }
}

TEST_CASE("fields a step or a case does not have are warned about, with the near miss",
          "[conform]") {
  using subnetsim::consensus::BackendKind;
  std::string out, err;
  nlohmann::json doc = synthetic_case();
  auto& epoch = doc["epoch_cases"][0]["steps"][2];
  epoch["expected"] = epoch["expect"];
  epoch.erase("expect");
  doc["epoch_cases"][0]["referenced"] = 1;
  CHECK(conform_doc(doc, "conform_misspelled.json", BackendKind::kExact, out, err) == 0);
  CHECK(err.find("/epoch_cases/0/steps/2/expected: unknown field of this epoch step, not modelled "
                 "(ignored); did you mean \"expect\"?") != std::string::npos);
  CHECK(err.find("/epoch_cases/0/referenced: unknown case field, not modelled (ignored)") !=
        std::string::npos);
}

TEST_CASE("odd values in a conformance file are reported, not crashed on", "[conform]") {
  using subnetsim::consensus::BackendKind;
  std::string out, err;
  auto run = [&](const nlohmann::json& doc, const std::string& name) {
    return conform_doc(doc, name, BackendKind::kExact, out, err);
  };
  auto expect_at_epoch = [](nlohmann::json doc, const std::string& key, nlohmann::json value) {
    doc["epoch_cases"][0]["steps"][2]["expect"][key] = std::move(value);
    return doc;
  };

  // An expect uid too large for any integer: the file is malformed, not an internal error.
  CHECK(run(expect_at_epoch(synthetic_case(), "incentive_u16",
                            nlohmann::json::object({{"99999999999999999999999", 1}})),
            "conform_huge_uid.json") == 2);
  CHECK(err.find("/epoch_cases/0/steps/2/expect/incentive_u16: uid 99999999999999999999999: "
                 "expected a uid below n = 3") != std::string::npos);
  CHECK(out.find("internal error") == std::string::npos);
  CHECK(out.find("passed") == std::string::npos);  // no verdicts on a malformed file

  // A malformed expectation is a format error (exit 2) with its pointer, not a failed case: a
  // text for a number, a list of the wrong length. (An unknown quantity fails its case.)
  CHECK(run(expect_at_epoch(synthetic_case(), "incentive_u16", nlohmann::json::array({"1", 2, 3})),
            "conform_text_number.json") == 2);
  CHECK(err.find("/epoch_cases/0/steps/2/expect/incentive_u16: uid 0: expected an integer from 0 "
                 "to 65535, got \"1\"") != std::string::npos);
  CHECK(run(expect_at_epoch(synthetic_case(), "incentive_u17", nlohmann::json::array({1, 2, 3})),
            "conform_unknown_quantity.json") == 1);
  CHECK(out.find("incentive_u17, -, expected a quantity conform computes, got none: conform does "
                 "not know it (did you mean incentive_u16?)") != std::string::npos);
  CHECK(run(expect_at_epoch(synthetic_case(), "incentive_u16", nlohmann::json::array({1, 2})),
            "conform_short_list.json") == 2);
  CHECK(err.find("/epoch_cases/0/steps/2/expect/incentive_u16: length: expected a list of n = 3 "
                 "values, got 2 values") != std::string::npos);

  // A number beyond double range inside a logged string: read as infinity, and it fails.
  CHECK(run(expect_at_epoch(synthetic_case(), "Weights (mask+norm)",
                            "[[(2, 1e999999)], [(2, 1)], []]"),
            "conform_huge_number.json") == 1);
  CHECK(out.find("FAIL synthetic.every_form: step 2, Weights (mask+norm)") != std::string::npos);
  CHECK(out.find("internal error") == std::string::npos);

  // 2^64 does not fit a rao amount (the JSON reader keeps it as a double).
  nlohmann::json big = synthetic_case();
  big["epoch_cases"][0]["initial_state"]["stake_rao"][0] =
      subnetsim::core::parse_json("18446744073709551616");
  CHECK(run(big, "conform_2p64.json") == 2);
  CHECK(err.find("/epoch_cases/0/initial_state/stake_rao/0: must be at most") != std::string::npos);

  // An id with a line break would forge a result line.
  nlohmann::json forged = synthetic_case();
  forged["epoch_cases"][0]["id"] = "a\nPASS b";
  CHECK(run(forged, "conform_forged_id.json") == 2);
  CHECK(err.find("/epoch_cases/0/id") != std::string::npos);

  // A negative tolerance is an error; a tolerance of 1 or more counts u16 steps, not fractions.
  nlohmann::json negative = synthetic_case();
  negative["epoch_cases"][0]["tolerance"] = -1;
  CHECK(run(negative, "conform_negative_tolerance.json") == 2);
  nlohmann::json steps = expect_at_epoch(synthetic_case(), "incentive_u16",
                                         nlohmann::json::object({{"2", 65535 - 70}}));
  steps["epoch_cases"][0]["tolerance"] = 1;
  CHECK(run(steps, "conform_tolerance_steps.json") == 1);  // 70 steps off, 1 allowed
  steps["epoch_cases"][0]["tolerance"] = 100;
  CHECK(run(steps, "conform_tolerance_steps.json") == 0);
  // The same steps for fractions: 100 steps are 0.0015, and 0.01 off fails.
  nlohmann::json fractions = expect_at_epoch(synthetic_case(), "dividends_fraction",
                                             nlohmann::json::array({0.51, 0.49, 0}));
  fractions["epoch_cases"][0]["tolerance"] = 100;
  CHECK(run(fractions, "conform_tolerance_fraction_steps.json") == 1);

  // An unknown hyperparameter is run without, with a warning naming it.
  nlohmann::json unknown = synthetic_case();
  unknown["epoch_cases"][0]["hyperparameters"]["kappa"] = 0.5;
  CHECK(run(unknown, "conform_unknown_hp.json") == 0);
  CHECK(err.find("/epoch_cases/0/hyperparameters/kappa: unknown hyperparameter") !=
        std::string::npos);
  nlohmann::json unknown_state = synthetic_case();
  unknown_state["epoch_cases"][0]["initial_state"]["stake"] = 1;
  CHECK(run(unknown_state, "conform_unknown_state.json") == 0);
  CHECK(err.find("/epoch_cases/0/initial_state/stake: unknown initial_state field") !=
        std::string::npos);

  // A directory is not a file.
  CHECK(conform(SUBNETSIM_BINARY_DIR, BackendKind::kExact, out, err) == 2);
  CHECK(err.find("is a directory") != std::string::npos);
}

TEST_CASE("an expected value must be of its quantity's kind, not cut or coerced to it",
          "[conform]") {
  using subnetsim::consensus::BackendKind;
  std::string out, err;
  auto at_epoch = [](const char* block, const std::string& key, nlohmann::json value) {
    nlohmann::json doc = synthetic_case();
    doc["epoch_cases"][0]["steps"][2][block][key] = std::move(value);
    return doc;
  };
  struct Bad {
    const char* block;
    const char* key;
    nlohmann::json value;
    const char* message;
  };
  const std::vector<Bad> bad = {
      // u16 quantities: integers from 0 to 65535 (70000 and 32767.4 were compared as numbers)
      {"expect", "incentive_u16", {{"2", 70000}}, "uid 2: expected an integer from 0 to 65535"},
      {"expect", "incentive_u16", {{"2", 32767.4}}, "uid 2: expected an integer from 0 to 65535"},
      {"expect", "dividends_u16", {true, true, false}, "uid 0: expected an integer from 0 to"},
      // flags: true or false (2 was read as true)
      {"expect", "new_validator_permits", {2, 2, 2}, "uid 0: expected true or false, got 2"},
      {"reference_exact", "new_validator_permit", {1, 1, 0}, "uid 0: expected true or false"},
      // rao: whole numbers
      {"expect", "emission_rao", {{"2", -5}}, "uid 2: expected a whole number of rao"},
      // a uid is written without leading zeros ("01" was uid 1)
      {"expect", "incentive_u16", {{"02", 65535}}, "uid 02: expected a uid below n = 3"},
      // bond rows: columns below n and u16 values (65538 was read as column 2, 131071 as 65535)
      {"reference_exact",
       "stored_bonds_u16",
       {{"0", {{65538, 65535}}}, {"1", {{2, 65535}}}},
       "row 0: expected [[j, v], ...] with each column j a uid below n = 3"},
      {"reference_exact",
       "stored_bonds_u16",
       {{"0", {{2, 131071}}}, {"1", {{2, 65535}}}},
       "row 0: expected [[j, v], ...]"},
      {"expect", "stored_bonds_u16", {{"0", {{2, 65535.9}}}}, "row 0: expected [[j, v], ...]"},
      {"expect", "stored_bonds_u16", {{"0", {{9, 9}}}}, "row 0: expected [[j, v], ...]"},
      {"expect",
       "stored_bonds_u16",
       {{"9", {{0, 9}}}},
       "9: expected \"B[i][j]\" or a uid row (a uid below n = 3"},
      // a logged string with no number to compare would pass whatever it says
      {"expect", "Normalised Stake (prefix)", "garbage",
       "value: expected a logged string holding the numbers"},
      {"expect", "Consensus", "", "value: expected a logged string holding the numbers"},
  };
  for (const Bad& b : bad) {
    INFO(b.key << " = " << subnetsim::core::dump_json(b.value));
    CHECK(conform_doc(at_epoch(b.block, b.key, b.value), "conform_kind.json", BackendKind::kExact,
                      out, err) == 2);
    CHECK(err.find(std::string("/epoch_cases/0/steps/2/") + b.block + "/" + b.key + ": " +
                   b.message) != std::string::npos);
    CHECK(out.find("passed") == std::string::npos);
  }
  // The same values written right pass.
  CHECK(conform_doc(at_epoch("expect", "incentive_u16", {{"2", 65535.0}}), "conform_kind.json",
                    BackendKind::kExact, out, err) == 0);
}

TEST_CASE("rao amounts above 2^53 are compared exactly", "[conform]") {
  using subnetsim::consensus::BackendKind;
  std::string out, err;
  // The whole u64 range as emission: uid 2's half share is about 2^63, where doubles are 2048
  // apart and 2^63 - 1 read as 2^63.
  auto with = [](nlohmann::json expected) {
    nlohmann::json doc = synthetic_case();
    auto& epoch = doc["epoch_cases"][0]["steps"][2];
    epoch["rao_emission"] = std::numeric_limits<std::uint64_t>::max();
    epoch["expect"] = {{"emission_rao", {{"2", std::move(expected)}}}};
    doc["epoch_cases"][0]["tolerance"] = "exact";
    return doc;
  };
  REQUIRE(conform_doc(with(std::uint64_t{0}), "conform_rao_big.json", BackendKind::kExact, out,
                      err) == 1);
  const std::string marker = "expected 0, got ";
  const auto at = out.find(marker);
  REQUIRE(at != std::string::npos);
  const std::uint64_t got = std::stoull(out.substr(at + marker.size()));
  INFO(out);
  REQUIRE(got > (std::uint64_t{1} << 62));
  CHECK(conform_doc(with(got), "conform_rao_big.json", BackendKind::kExact, out, err) == 0);
  CHECK(conform_doc(with(got - 1), "conform_rao_big.json", BackendKind::kExact, out, err) == 1);
  CHECK(out.find("expected " + std::to_string(got - 1) + ", got " + std::to_string(got)) !=
        std::string::npos);
  CHECK(conform_doc(with(got + 1), "conform_rao_big.json", BackendKind::kExact, out, err) == 1);
}

TEST_CASE("a listed field left out is run with its obvious reading and named on stderr",
          "[conform]") {
  using subnetsim::consensus::BackendKind;
  std::string out, err;
  nlohmann::json doc = synthetic_case();
  auto& c = doc["epoch_cases"][0];
  for (const char* key :
       {"activity_cutoff_blocks", "subnet_owner_uid", "tao_weight", "last_mechanism_step_block"})
    c["hyperparameters"].erase(key);
  c.erase("tolerance");  // "exact": the fractions of the dividends go too
  c["steps"][2]["expect"].erase("dividends_fraction");
  c["hyperparameters"]["alpha_low_high_u16"] = {50000, 100};
  CHECK(conform_doc(doc, "conform_left_out.json", BackendKind::kExact, out, err) == 0);
  for (const char* warning :
       {"/epoch_cases/0/hyperparameters/activity_cutoff_blocks: missing; the factor rule",
        "/epoch_cases/0/hyperparameters/subnet_owner_uid: missing; no owner",
        "/epoch_cases/0/hyperparameters/tao_weight: missing; 0 assumed",
        "/epoch_cases/0/hyperparameters/last_mechanism_step_block: missing; 0 assumed",
        "/epoch_cases/0/tolerance: missing; \"exact\" assumed",
        "/epoch_cases/0/hyperparameters/alpha_low_high_u16: low 50000 is above high 100"}) {
    INFO(warning);
    CHECK(err.find(warning) != std::string::npos);
  }
  // Written out, nothing is said.
  CHECK(conform_doc(synthetic_case(), "conform_left_out.json", BackendKind::kExact, out, err) == 0);
  CHECK(err.find("missing") == std::string::npos);
}

TEST_CASE("bond rows in expect are compared by column within the tolerance", "[conform]") {
  using subnetsim::consensus::BackendKind;
  std::string out, err;
  // The synthetic case stores B[0][2] = B[1][2] = 65535 after its first epoch. Its two-column
  // form below differs by 5 u16 steps: within 1e-3 of full scale (65 steps), not exactly.
  auto with_rows = [](nlohmann::json tolerance, nlohmann::json rows) {
    nlohmann::json doc = synthetic_case();
    doc["epoch_cases"][0]["tolerance"] = std::move(tolerance);
    doc["epoch_cases"][0]["steps"][2]["expect"]["stored_bonds_u16"] = std::move(rows);
    return doc;
  };
  const nlohmann::json near =
      subnetsim::core::parse_json(R"({"0": [[2, 65530]], "1": [[2, 65535]]})");
  for (const auto kind : {BackendKind::kExact, BackendKind::kFloat}) {
    INFO("backend " << (kind == BackendKind::kExact ? "exact" : "float"));
    CHECK(conform_doc(with_rows(1e-3, near), "conform_rows_tol.json", kind, out, err) == 0);
    CHECK(conform(write_temp("conform_rows_far.json",
                             subnetsim::core::dump_json(with_rows(
                                 1e-3, subnetsim::core::parse_json(R"({"0": [[2, 60000]]})")))),
                  kind, out, err) == 1);
    CHECK(out.find("stored_bonds_u16, B[0][2], expected 60000, got 65535") != std::string::npos);
  }
  // Exactly, the exact backend's rows must match; 5 steps off fails there.
  CHECK(conform_doc(with_rows("exact", near), "conform_rows_exact.json", BackendKind::kExact, out,
                    err) == 1);

  // reference_exact given as B[i][j] keys asserts those entries, not that other rows are empty.
  nlohmann::json ref = synthetic_case();
  ref["epoch_cases"][0]["steps"][2]["reference_exact"]["stored_bonds_u16"] =
      subnetsim::core::parse_json(R"({"B[0][2]": 65535})");
  CHECK(conform_doc(ref, "conform_ref_bij.json", BackendKind::kExact, out, err) == 0);
  INFO(out);
  ref["epoch_cases"][0]["steps"][2]["reference_exact"]["stored_bonds_u16"] =
      subnetsim::core::parse_json(R"({"B[0][2]": 65534})");
  CHECK(conform_doc(ref, "conform_ref_bij.json", BackendKind::kExact, out, err) == 1);
}

TEST_CASE("a tolerance in percent, a duplicate uid and a replacement without its stake",
          "[conform]") {
  using subnetsim::consensus::BackendKind;
  std::string out, err;
  // An incentive `off` u16 steps from ours under each tolerance text. 70 steps are 0.107% of
  // full scale: within "0.2%" and "0.2 percent", not "0.1%". 300 steps are 0.46%: within "100%"
  // (a fraction, not 100 steps) and ".5%", not "0.4%" nor 100 steps.
  struct Trial {
    int off;
    const char* text;
    int rc;
  };
  for (const Trial& t :
       {Trial{70, "within 0.2%", 0}, Trial{70, "0.2 percent", 0}, Trial{70, "within 0.1%", 1},
        Trial{70, "within 0.1 %", 1}, Trial{300, "100%", 0}, Trial{300, "within .5%", 0},
        Trial{300, "0.4%", 1}, Trial{300, "100", 1}}) {
    nlohmann::json doc = synthetic_case();
    doc["epoch_cases"][0]["steps"][2]["expect"]["incentive_u16"] =
        nlohmann::json::object({{"2", 65535 - t.off}});
    doc["epoch_cases"][0]["tolerance"] = t.text;
    INFO("tolerance " << t.text << ", " << t.off << " steps off");
    CHECK(conform_doc(doc, "conform_percent.json", BackendKind::kExact, out, err) == t.rc);
  }

  nlohmann::json dup = synthetic_case();
  dup["epoch_cases"][0]["steps"][0]["uids"] = nlohmann::json::array({2, 2});
  dup["epoch_cases"][0]["steps"][0]["values_submitted"] = nlohmann::json::array({7, 7});
  dup["epoch_cases"][0]["steps"][0]["stored_u16"] = nlohmann::json::array({65535, 65535});
  CHECK(conform_doc(dup, "conform_dup.json", BackendKind::kFloat, out, err) == 2);
  CHECK(err.find("/epoch_cases/0/steps/0/uids/1: uid 2 is listed twice") != std::string::npos);

  nlohmann::json replace = synthetic_case();
  replace["epoch_cases"][0]["steps"][3] = subnetsim::core::parse_json(
      R"({"op": "replace_neuron", "block": 21, "uid": 1, "effects": ""})");
  CHECK(conform_doc(replace, "conform_replace.json", BackendKind::kExact, out, err) == 2);
  CHECK(err.find("/epoch_cases/0/steps/3") != std::string::npos);
  CHECK(err.find("new_stake_rao") != std::string::npos);
}

TEST_CASE("hyperparameters the replay cannot honour as stated are named on stderr", "[conform]") {
  using subnetsim::consensus::BackendKind;
  std::string out, err;
  auto run = [&](const nlohmann::json& doc, const std::string& name) {
    return conform_doc(doc, name, BackendKind::kExact, out, err);
  };
  // A stated cutoff other than the factor rule's (13889 * 10 / 1000 = 138) is the legacy one.
  nlohmann::json cutoff = synthetic_case();
  cutoff["epoch_cases"][0]["hyperparameters"]["activity_cutoff_blocks"] = 5;
  run(cutoff, "conform_cutoff.json");
  CHECK(err.find("/epoch_cases/0/hyperparameters/activity_cutoff_blocks: 5 is not the factor "
                 "rule's max(1, factor * tempo / 1000) = 138") != std::string::npos);
  // The synthetic case states 138, the factor rule's own: no warning.
  CHECK(run(synthetic_case(), "conform_cutoff_ok.json") == 0);
  CHECK(err.find("activity_cutoff_blocks") == std::string::npos);

  nlohmann::json tao = synthetic_case();
  tao["epoch_cases"][0]["hyperparameters"]["tao_weight"] = 0.18;
  CHECK(run(tao, "conform_tao_weight.json") == 0);
  CHECK(err.find("/epoch_cases/0/hyperparameters/tao_weight: 0.18: stake_rao is taken") !=
        std::string::npos);
  tao["epoch_cases"][0]["hyperparameters"]["tao_weight"] = -5;
  CHECK(run(tao, "conform_tao_weight.json") == 2);
  CHECK(err.find("tao_weight: expected a number >= 0, got -5") != std::string::npos);

  nlohmann::json cr = synthetic_case();
  cr["epoch_cases"][0]["hyperparameters"]["commit_reveal_enabled"] = true;
  run(cr, "conform_cr.json");
  CHECK(err.find("/epoch_cases/0/hyperparameters/commit_reveal_enabled: true: the commit mask") !=
        std::string::npos);

  // Our `variant` extension decides over the flags, and says so when they differ; liquid
  // alpha v1 without LiquidAlphaOn is the plain classic EMA.
  nlohmann::json variant = synthetic_case();
  variant["epoch_cases"][0]["hyperparameters"]["variant"] = "yuma3";
  run(variant, "conform_variant.json");
  CHECK(err.find("/epoch_cases/0/hyperparameters/variant: \"yuma3\" decides the algorithm; "
                 "yuma3_enabled false") != std::string::npos);
  variant["epoch_cases"][0]["hyperparameters"]["variant"] = "classic_liquid_v1";
  CHECK(run(variant, "conform_variant.json") == 0);
  CHECK(err.find("classic_liquid_v1 with liquid_alpha_enabled false: the plain EMA") !=
        std::string::npos);
}

TEST_CASE("a file that could only pass vacuously, or would report two cases as one, is refused",
          "[conform]") {
  using subnetsim::consensus::BackendKind;
  std::string out, err;
  auto run = [&](const nlohmann::json& doc, const std::string& name) {
    return conform_doc(doc, name, BackendKind::kExact, out, err);
  };
  CHECK(run(subnetsim::core::parse_json(R"({"epoch_cases": []})"), "conform_no_cases.json") == 2);
  CHECK(err.find("/epoch_cases: expected at least one case, got an empty array") !=
        std::string::npos);

  nlohmann::json twice = synthetic_case();
  twice["epoch_cases"].push_back(twice["epoch_cases"][0]);
  CHECK(run(twice, "conform_twice.json") == 2);
  CHECK(err.find("/epoch_cases/1/id: id \"synthetic.every_form\" is also case /epoch_cases/0's") !=
        std::string::npos);

  nlohmann::json no_epoch = synthetic_case();
  auto& steps = no_epoch["epoch_cases"][0]["steps"];
  steps = nlohmann::json::array({steps[0], steps[1]});
  CHECK(run(no_epoch, "conform_no_epoch.json") == 2);
  CHECK(err.find("/epoch_cases/0/steps: expected at least one \"epoch\" step") !=
        std::string::npos);

  nlohmann::json no_block = synthetic_case();
  no_block["epoch_cases"][0]["initial_state"].erase("block");
  CHECK(run(no_block, "conform_no_block.json") == 2);
  CHECK(err.find("/epoch_cases/0/initial_state/block: missing required field") !=
        std::string::npos);

  // What was found is part of the message.
  nlohmann::json rows = synthetic_case();
  rows["epoch_cases"][0]["initial_state"]["bonds_u16"] = subnetsim::core::parse_json(R"({"0": 5})");
  CHECK(run(rows, "conform_rows.json") == 2);
  CHECK(err.find("/epoch_cases/0/initial_state/bonds_u16/0: expected an array of [j, value] pairs, "
                 "got 5") != std::string::npos);
}

TEST_CASE("a column twice in a stored or an expected row is refused", "[conform]") {
  using subnetsim::consensus::BackendKind;
  std::string out, err;

  nlohmann::json twice = synthetic_case();
  twice["epoch_cases"][0]["initial_state"]["weights_u16"] =
      subnetsim::core::parse_json(R"({"0": [[2, 5], [2, 7]]})");
  CHECK(conform_doc(twice, "conform_col_twice.json", BackendKind::kExact, out, err) == 2);
  CHECK(err.find("/epoch_cases/0/initial_state/weights_u16/0/1/0: column 2 is listed twice") !=
        std::string::npos);

  nlohmann::json expect_twice = synthetic_case();
  expect_twice["epoch_cases"][0]["steps"][2]["expect"]["stored_bonds_u16"] =
      subnetsim::core::parse_json(R"({"0": [[2, 65535], [2, 0]]})");
  CHECK(conform_doc(expect_twice, "conform_expect_twice.json", BackendKind::kExact, out, err) == 2);
  CHECK(err.find("/epoch_cases/0/steps/2/expect/stored_bonds_u16: row 0: expected each column "
                 "once, as a stored row has it, got column 2 twice") != std::string::npos);
}

TEST_CASE("first_repeat names the earliest repeat and its first occurrence", "[conform]") {
  using subnetsim::app::conform::first_repeat;
  using V = std::vector<std::uint16_t>;
  CHECK_FALSE(first_repeat(V{}));
  CHECK_FALSE(first_repeat(V{3, 1, 2}));
  CHECK(first_repeat(V{5, 7, 5, 7}) == std::pair<std::size_t, std::size_t>{0, 2});
  CHECK(first_repeat(V{9, 4, 4, 9, 4}) == std::pair<std::size_t, std::size_t>{1, 2});
  // A run of three: the repeat is the second occurrence.
  CHECK(first_repeat(V{1, 8, 8, 8}) == std::pair<std::size_t, std::size_t>{1, 2});
  // 65,535 uids with one repeat at the end: found without comparing every pair.
  V many(65535);
  for (std::size_t k = 0; k + 1 < many.size(); ++k) many[k] = static_cast<std::uint16_t>(k + 1);
  many.back() = 12345;
  CHECK(first_repeat(many) == std::pair<std::size_t, std::size_t>{12344, 65534});
}
