// Expectations given on the command line: --set 'expect=[...]' goes through the scenario loader.
#include <catch2/catch.hpp>

#include "subnetsim/scenario/loader.hpp"

using subnetsim::config::AtKind;
using subnetsim::config::CompareOp;
using subnetsim::scenario::LoadOptions;
using subnetsim::scenario::load_scenario_text;

TEST_CASE("expectations given on the command line with --set replace the scenario's", "[results]") {
  const char* scenario = R"({"name": "m", "subnets": {"1": {}},
                             "expect": [{"metric": "old", "op": "<", "value": 1}]})";
  LoadOptions o;
  o.overrides = {R"(expect=[{"metric":"slashed_tao","op":">","value":0},)"
                 R"({"metric":"price_usd","at":[10,20],"op":"within","value":5,"tolerance":0.5}])"};
  auto r = load_scenario_text(scenario, "m.json", o);
  INFO(r.diagnostics.to_string());
  REQUIRE(r.ok());
  const auto& e = r.scenario->expect;
  REQUIRE(e.size() == 2);
  CHECK(e[0].metric == "slashed_tao");
  CHECK(e[0].op == CompareOp::kGreater);
  CHECK(e[0].value == 0);
  CHECK(e[0].at == AtKind::kEnd);
  CHECK(e[1].at == AtKind::kRange);
  CHECK(e[1].from_block == 10);
  CHECK(e[1].to_block == 20);
  CHECK(e[1].tolerance == 0.5);

  o.overrides = {R"(/expect=[{"metric":"x","op":"<<","value":0}])"};
  r = load_scenario_text(scenario, "m.json", o);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.diagnostics.to_string(), Catch::Contains("/expect/0/op"));
}
