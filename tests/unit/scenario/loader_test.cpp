// The loader's resolution rules: defaults, bases and merge order, --set, the resolved document.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "subnetsim/scenario/loader.hpp"

namespace fs = std::filesystem;
using subnetsim::scenario::LoadOptions;
using subnetsim::scenario::load_scenario;
using subnetsim::scenario::load_scenario_text;

namespace {
// A scratch folder per test case, removed at the end.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() / ("subnetsim-test-" + name)) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& file, const std::string& text) const {
    std::ofstream(path / file) << text;
    return (path / file).string();
  }
};
}  // namespace

TEST_CASE("a minimal scenario gets the documented defaults", "[scenario]") {
  auto r = load_scenario_text(R"({"name": "m", "subnets": {"1": {}}})", "m.json");
  REQUIRE(r.ok());
  const auto& s = *r.scenario;
  CHECK(s.seed == 1);
  CHECK(s.horizon_blocks == 7200);
  REQUIRE(s.subnets.count(1) == 1);
  const auto& p = s.subnets.at(1);
  CHECK(p.tempo == 12);
  CHECK(p.max_allowed_uids == 256);
  const auto ep = p.epoch_params();
  CHECK(ep.kappa_u16 == 32767);  // the chain's own default, not round(0.5 * 65535)
  CHECK(ep.alpha_low_u16 == 45875);
  CHECK(ep.alpha_high_u16 == 58982);
  CHECK(ep.bonds_penalty_u16 == 65535);
  CHECK(ep.bonds_moving_average_ppm == 900000);
  // The chain's u16 ratios: SubnetOwnerCut and the delegate take are 11796/65535 ("18%").
  CHECK(p.emission_split.owner == 11796.0 / 65535.0);
  CHECK(p.emission_split.miners == Approx(0.41).epsilon(1e-4));
  CHECK(subnetsim::config::fraction_to_u16(p.validator_take) == 11796);
}

TEST_CASE("bases merge in order, then the file, then --set", "[scenario]") {
  TempDir dir("bases");
  dir.write("a.json", R"({"subnet_defaults": {"tempo": 10, "kappa": 0.4}, "seed": 5})");
  dir.write("b.json", R"({"base": ["a.json"], "subnet_defaults": {"tempo": 20}})");
  const auto file = dir.write("s.json", R"({"name": "s", "base": ["b.json"], "subnets": {"1": {}, "2": {"tempo": 30}}})");
  auto r = load_scenario(file);
  REQUIRE(r.ok());
  CHECK(r.scenario->seed == 5);
  CHECK(r.scenario->subnets.at(1).tempo == 20);
  CHECK(r.scenario->subnets.at(1).kappa == Approx(0.4));
  CHECK(r.scenario->subnets.at(2).tempo == 30);

  LoadOptions o;
  o.overrides = {"subnets.2.tempo=40", "/subnet_defaults/kappa=0.6", "subnets.1.yuma=classic",
                 "seed=null"};
  r = load_scenario(file, o);
  REQUIRE(r.ok());
  CHECK(r.scenario->subnets.at(2).tempo == 40);
  CHECK(r.scenario->subnets.at(1).kappa == Approx(0.6));
  CHECK(r.scenario->subnets.at(1).yuma == subnetsim::consensus::Variant::kClassic);
  CHECK(r.scenario->seed == 1);  // null deletes the base's value: back to the default
}

TEST_CASE("a dotted --set path finds a key with dots in it", "[scenario]") {
  TempDir dir("dotted_set");
  const auto file = dir.write("s.json", R"({"name": "s", "subnets": {"1": {}}, "agents": {
      "val.big": {"type": "honest_validator", "count": 1, "stake_tao": 100},
      "val": {"type": "honest_validator", "count": 1, "stake_tao": 100},
      "m": {"type": "honest_miner", "count": 2}}})");
  LoadOptions o;
  o.overrides = {"agents.val.big.count=3", "agents.val.stake_tao=50", "agents.m.count=4"};
  const auto r = load_scenario(file, o);
  INFO(r.diagnostics.to_string());
  REQUIRE(r.ok());
  CHECK(r.scenario->agents.at("val.big").count == 3);
  CHECK(r.scenario->agents.at("val").count == 1);
  CHECK(r.scenario->agents.at("val").stake_tao == Approx(50));
  CHECK(r.scenario->agents.at("m").count == 4);

  // A typo in the group's name is named as one, not as a new group missing its type.
  o.overrides = {"agents.honset.count=3"};
  TempDir typo_dir("typo_set");
  const auto typo_file = typo_dir.write("s.json", R"({"name": "s", "subnets": {"1": {}}, "agents": {
      "honest": {"type": "honest_validator", "count": 1, "stake_tao": 100}}})");
  const auto typo = load_scenario(typo_file, o);
  CHECK(typo.diagnostics.to_string() ==
        "--set agents.honset.count=3: /agents/honset: no \"honset\" here (did you mean "
        "\"honest\"?); to add \"honset\", set it whole (/agents/honset={...})\n");
  // A new subnet by number is no typo.
  o.overrides = {"subnets.2.kappa=0.3"};
  CHECK(load_scenario(typo_file, o).ok());
}

TEST_CASE("bad --set overrides are reported against --set", "[scenario]") {
  LoadOptions o;
  o.overrides = {"novalue", "subnets.1.kappa=[1,", "script.0.path=/subnets/1/kappa"};
  auto r = load_scenario_text(R"({"name": "m", "subnets": {"1": {}}})", "m.json", o);
  REQUIRE_FALSE(r.ok());
  // A value that is no JSON structure was meant as a string: the message says how to quote it.
  CHECK(r.diagnostics.to_string() ==
        "--set: \"novalue\": expected path=value (e.g. subnets.1.kappa=0.6)\n"
        "--set: \"subnets.1.kappa=[1,\": the value is not valid JSON\n"
        "--set: \"script.0.path=/subnets/1/kappa\": the value is not valid JSON, nor a bare word "
        "(one that starts with a letter): write a string in JSON quotes, e.g. "
        "script.0.path='\"/subnets/1/kappa\"'\n");
  o.overrides = {"subnets.1.kappa=2"};
  r = load_scenario_text(R"({"name": "m", "subnets": {"1": {}}})", "m.json", o);
  CHECK(r.diagnostics.to_string() == "--set subnets.1.kappa=2: /subnets/1/kappa: must be in [0, 1], got 2\n");
  // An element of an array the scenario does not have: the object the path made is explained.
  o.overrides = {"script.0.at_block=3"};
  r = load_scenario_text(R"({"name": "m", "subnets": {"1": {}}})", "m.json", o);
  CHECK(r.diagnostics.to_string() ==
        "--set script.0.at_block=3: /script: expected an array of objects, got an object keyed by "
        "element numbers (a path's number sets an element of an array that exists; to make the "
        "array, set it whole: --set 'script=[...]')\n");
}

TEST_CASE("the resolved document loads again to itself", "[scenario]") {
  auto first = load_scenario("tests/data/scenarios/kitchen_sink.json");
  REQUIRE(first.ok());
  auto second = load_scenario_text(first.resolved_json, "resolved.json");
  INFO(second.diagnostics.to_string());
  REQUIRE(second.ok());
  CHECK(second.resolved_json == first.resolved_json);
}

TEST_CASE("subnet_count, \"all\" groups and the script order", "[scenario]") {
  auto r = load_scenario_text(R"({"name": "m", "chain": {"subnet_count": 3},
    "subnet_defaults": {"tempo": 7}, "subnets": {"2": {"tempo": 9}},
    "agents": {"v": {"type": "honest_validator", "subnet": "all", "count": 2}},
    "script": [{"at_block": 20, "do": "price_shock", "factor": 0.5},
               {"at_block": 10, "do": "price_shock", "factor": 0.9},
               {"at_block": 20, "do": "price_shock", "factor": 0.7}]})",
                              "m.json");
  INFO(r.diagnostics.to_string());
  REQUIRE(r.ok());
  const auto& s = *r.scenario;
  REQUIRE(s.subnets.size() == 3);
  CHECK(s.subnets.at(1).tempo == 7);
  CHECK(s.subnets.at(2).tempo == 9);
  CHECK(s.agents.at("v").subnet == subnetsim::config::kAllSubnets);
  REQUIRE(s.script.size() == 3);
  CHECK(s.script[0].factor == Approx(0.9));
  CHECK(s.script[1].factor == Approx(0.5));  // same block: file order kept
  CHECK(s.script[2].factor == Approx(0.7));
}

TEST_CASE("presets combine with a scenario", "[scenario]") {
  auto r = load_scenario_text(R"({"name": "m", "base": ["mainnet.json"], "subnets": {"1": {}}})",
                              "m.json");
  INFO(r.diagnostics.to_string());
  REQUIRE(r.ok());
  CHECK(r.scenario->subnets.at(1).tempo == 360);
  CHECK(r.scenario->subnets.at(1).immunity_period == 5000);
  CHECK(r.scenario->subnets.at(1).commit_reveal);
}

TEST_CASE("a custom split that misses 1 says by how much", "[scenario]") {
  // miners and validators keep the bittensor preset's 0.4100023: 0.18 + 2 * 0.4100023 is
  // 1.0000046, which six significant digits would print as 1; the sum gets seven.
  auto r = load_scenario_text(
      R"({"name": "m", "subnets": {"1": {"emission_split": {"preset": "custom", "owner": 0.18}}}})",
      "m.json");
  REQUIRE_FALSE(r.ok());
  const std::string text = r.diagnostics.to_string();
  INFO(text);
  CHECK(text.find("the fractions must sum to 1, got 1.000005 (owner 0.18 + miners 0.410002") !=
        std::string::npos);
}
