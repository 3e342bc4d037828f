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
  CHECK(why ==
        "\"kapa\" is not a subnet field that can change during a run (numbers, booleans, "
        "\"yuma\" and \"emission_split\" can); did you mean \"kappa\"?");
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

TEST_CASE("named parameters take a name, kept as its index", "[config]") {
  Scenario s;
  s.subnets[1] = s.subnet_defaults;
  s.subnets[1].yuma = subnetsim::consensus::Variant::kClassic;
  const auto yuma = *parse_param_path("/subnets/1/yuma");
  REQUIRE(param_choices(yuma).size() == 5);
  CHECK(param_choices(yuma).front() == "classic");
  CHECK(param_value_text(yuma, read_param(s, yuma)) == "classic");
  const auto y3 = param_choice(yuma, "yuma3_liquid");
  REQUIRE(y3);
  CHECK(check_param_value(yuma, *y3).empty());
  apply_param(s, yuma, *y3);
  CHECK(s.subnets.at(1).yuma == subnetsim::consensus::Variant::kYuma3Liquid);
  CHECK(param_value_text(yuma, read_param(s, yuma)) == "yuma3_liquid");
  CHECK_FALSE(param_choice(yuma, "yuma4"));
  // A number keeps its own text; a numeric field has no names.
  const auto kappa = *parse_param_path("/subnets/1/kappa");
  CHECK(param_choices(kappa).empty());
  CHECK(param_value_text(kappa, 0.25) == "0.25");

  // The emission split by preset: every fraction follows the preset.
  const auto split = *parse_param_path("subnet_defaults.emission_split");
  CHECK(param_value_text(split, read_param(s, split)) == "bittensor");
  apply_param(s, split, *param_choice(split, "guide"));
  CHECK(s.subnets.at(1).emission_split.preset == "guide");
  CHECK(s.subnets.at(1).emission_split.owner == 0.0);
  CHECK(s.subnets.at(1).emission_split.miners == 0.41);
  CHECK(s.subnets.at(1).emission_split.community == 0.06);
  CHECK(s.subnet_defaults.emission_split.treasury == 0.20);
  // A custom split reads as such but cannot be chosen.
  s.subnets[1].emission_split.preset = "custom";
  const auto one_split = *parse_param_path("/subnets/1/emission_split");
  CHECK(param_value_text(one_split, read_param(s, one_split)) == "custom");
  CHECK(check_param_value(one_split, *param_choice(one_split, "custom")) ==
        "must be a preset (\"bittensor\", \"guide\", \"ocean\" or \"gensyn\"): a custom split "
        "cannot be chosen during a run, got \"custom\"");
  std::string why;
  CHECK_FALSE(parse_param_path("/subnets/1/emission_split/owner", &why));
  CHECK(why.find("cannot change alone") != std::string::npos);
}

TEST_CASE("boolean parameters are true or false, as the scenario writes them", "[config]") {
  // Once refused `true` in a script (a researcher had to write 1; found by a review).
  const auto p = parse_param_path("/subnets/1/commit_reveal");
  REQUIRE(p);
  CHECK(param_is_boolean(*p));
  CHECK(param_expected(*p) == "true or false");
  CHECK(param_value_text(*p, 1.0) == "true");
  CHECK(param_value_text(*p, 0.0) == "false");
  const auto kappa = parse_param_path("/subnets/1/kappa");
  REQUIRE(kappa);
  CHECK_FALSE(param_is_boolean(*kappa));
  CHECK(param_value_text(*kappa, 1.0) == "1");
}

TEST_CASE("chain settings: some change during a run, the rest say why not", "[config]") {
  Scenario s;
  const auto backend = *parse_param_path("/chain/consensus_backend");
  CHECK(backend.scope == ParamPath::Scope::kChainWide);
  apply_param(s, backend, *param_choice(backend, "exact"));
  CHECK(s.chain.consensus_backend == subnetsim::consensus::BackendKind::kExact);
  const auto schedule = *parse_param_path("chain.epoch_schedule");
  apply_param(s, schedule, *param_choice(schedule, "legacy_modulo"));
  CHECK(s.chain.epoch_schedule == EpochSchedule::kLegacyModulo);
  const auto per_block = *parse_param_path("/chain/max_epochs_per_block");
  CHECK(check_param_value(per_block, 0) == "must be in [1, 1024], got 0");
  apply_param(s, per_block, 7);
  CHECK(s.chain.max_epochs_per_block == 7);
  CHECK(read_param(s, per_block) == 7);

  // subnet_split "weights" needs the weights in the scenario.
  const auto split = *parse_param_path("/emission/subnet_split");
  const double weights = *param_choice(split, "weights");
  CHECK(check_param_pairs(s, split, weights) ==
        "subnet_split \"weights\" needs /emission/subnet_weights, and the scenario gives none");
  s.emission.subnet_weights[1] = 2.0;
  CHECK(check_param_pairs(s, split, weights).empty());
  apply_param(s, split, weights);
  CHECK(s.emission.subnet_split == SubnetSplit::kWeights);

  std::string why;
  CHECK_FALSE(parse_param_path("/chain/block_time_s", &why));
  CHECK(why.rfind("/chain/block_time_s is fixed for a run: it sets how long a block lasts", 0) ==
        0);
  CHECK_FALSE(parse_param_path("/emission/schedule", &why));
  CHECK(why ==
        "/emission/schedule is fixed for a run: only /emission/tao_per_block, yearly_decay "
        "and subnet_split change during a run");
  CHECK_FALSE(parse_param_path("/emission/table/0", &why));
  CHECK(why.rfind("/emission/table is fixed for a run", 0) == 0);
  // A typo in a section is not "fixed": it names nothing, and the nearest setting is offered.
  CHECK_FALSE(parse_param_path("chain.epoch_schedules", &why));
  CHECK(why == "no setting /chain/epoch_schedules in /chain (did you mean /chain/epoch_schedule?)");
  CHECK_FALSE(parse_param_path("/market/bogus", &why));
  CHECK(why == "no setting /market/bogus in /market");
  // What a value must be, for messages: names that may be chosen ("custom" is only read).
  CHECK(param_expected(*parse_param_path("/subnets/1/emission_split")) ==
        "one of \"bittensor\", \"guide\", \"ocean\" or \"gensyn\"");
  CHECK(param_expected(*parse_param_path("/subnets/1/tempo")) == "an integer in [1, 50400]");
  CHECK(param_expected(*parse_param_path("/subnets/1/kappa")) == "a number in [0, 1]");
  CHECK_FALSE(parse_param_path("/market/model", &why));
  CHECK(why.rfind("/market/model is fixed for a run", 0) == 0);
}
