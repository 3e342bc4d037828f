// Parameters changeable during a run: parsing, range checks and application.
#include <catch2/catch.hpp>

#include "subnetsim/config/param_paths.hpp"

using namespace subnetsim::config;

TEST_CASE("parameter paths parse in pointer and dotted form", "[config]") {
  auto p = parse_param_path("/subnets/3/min_validator_stake_tao");
  REQUIRE(p);
  CHECK(p->scope == ParamPath::Scope::kOneSubnet);
  CHECK(p->netuid == 3);
  CHECK(p->field == "min_validator_stake_tao");
  p = parse_param_path("subnet_defaults.kappa");
  REQUIRE(p);
  CHECK(p->scope == ParamPath::Scope::kEverySubnet);
  p = parse_param_path("/emission/tao_per_block");
  REQUIRE(p);
  CHECK(p->scope == ParamPath::Scope::kChainWide);
  std::string why;
  CHECK_FALSE(parse_param_path("/subnets/1/kapa", &why));
  CHECK(why == "\"kapa\" is not a numeric subnet field");
  CHECK_FALSE(parse_param_path("/subnets/0/kappa", &why));
  CHECK_FALSE(parse_param_path("/name", &why));
}

TEST_CASE("values are range-checked and applied", "[config]") {
  Scenario s;
  s.subnets[1] = s.subnet_defaults;
  s.subnets[2] = s.subnet_defaults;
  const auto one = *parse_param_path("/subnets/2/tempo");
  CHECK(check_param_value(one, 0) == "must be in [1, 50400], got 0");
  CHECK(check_param_value(one, 12.5) == "must be an integer, got 12.5");
  CHECK(check_param_value(one, 360).empty());
  apply_param(s, one, 360);
  CHECK(s.subnets.at(2).tempo == 360);
  CHECK(s.subnets.at(1).tempo == 12);
  const auto all = *parse_param_path("/subnet_defaults/kappa");
  apply_param(s, all, 0.6);
  CHECK(s.subnets.at(1).kappa == 0.6);
  CHECK(s.subnets.at(2).kappa == 0.6);
  CHECK(read_param(s, all) == 0.6);
  const auto cr = *parse_param_path("/subnets/1/commit_reveal");
  apply_param(s, cr, 1);
  CHECK(s.subnets.at(1).commit_reveal);
  const auto em = *parse_param_path("/emission/tao_per_block");
  apply_param(s, em, 0.5);
  CHECK(s.emission.tao_per_block == 0.5);
}
