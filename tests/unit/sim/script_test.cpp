// More script and governance changes: /subnet_defaults changes every subnet (and the ones created
// afterwards), chain-wide parameters change what they name from their block on.
#include <catch2/catch.hpp>
#include <map>

#include "sim_test_support.hpp"

using namespace sim_test;

namespace {

const std::string kAgents = R"("agents": {
    "v": {"type": "honest_validator", "count": 2, "stake_tao": 1000, "subnet": "all"},
    "m": {"type": "honest_miner", "count": 3, "subnet": "all"}})";

}  // namespace

TEST_CASE("set_param /subnet_defaults/tempo: every subnet, and subnets created later",
          "[sim][script]") {
  const Run r = run_ok(R"({"name": "defaults", "horizon_blocks": 800,
    "subnets": {"1": {"tempo": 12}, "2": {"tempo": 12}},
    "script": [{"at_block": 200, "do": "set_param", "path": "/subnet_defaults/tempo", "value": 30},
               {"at_block": 400, "do": "create_subnet", "netuid": 3}],)" +
                       kAgents + "}");
  std::map<std::uint16_t, std::vector<std::uint64_t>> blocks;
  for (const auto& e : r.rec.epochs) blocks[e.netuid].push_back(e.block);
  REQUIRE(blocks.size() == 3);
  for (const auto& [netuid, b] : blocks) {
    INFO("netuid " << netuid);
    REQUIRE(b.size() > 5);
    for (std::size_t k = 1; k < b.size(); ++k)
      if (b[k - 1] > 230) CHECK(b[k] - b[k - 1] == 30);
  }
  CHECK(blocks.at(3).front() > 400);
}

TEST_CASE("set_param on the market: volatility changed mid-run moves the price process",
          "[sim][script][!mayfail]") {
  // GBM at 80%/year until block 300, then no volatility and no drift: the price must stop
  // moving after the change.
  const Run r = run_ok(R"({"name": "market", "horizon_blocks": 900,
    "market": {"model": "gbm", "volatility_per_year": 0.8, "update_every_blocks": 25},
    "subnets": {"1": {"tempo": 12}},
    "script": [{"at_block": 300, "do": "set_param", "path": "/market/volatility_per_year", "value": 0}],)" +
                       kAgents + "}");
  double before_change = 0.0, first_after = -1.0;
  bool moved_before = false, moved_after = false;
  for (const auto& s : r.rec.samples) {
    if (s.block < 300) {
      moved_before = moved_before || (before_change != 0.0 && s.price_usd != before_change);
      before_change = s.price_usd;
    } else if (s.block >= 325) {
      if (first_after < 0) first_after = s.price_usd;
      moved_after = moved_after || s.price_usd != first_after;
    }
  }
  CHECK(moved_before);
  // Fails today: Simulation::Impl::run_script's kSetParam (src/sim/script.cpp) writes
  // scenario.market, but the economics::PriceProcess built in setup.cpp copied drift and
  // volatility into its own step constants, so the GBM keeps its old volatility.
  CHECK_FALSE(moved_after);
}

TEST_CASE("set_param burn_tao sets the registration burn from its block on",
          "[sim][script][!mayfail]") {
  // burn_tao is changeable during a run (FORMAT.md); raised to 5 TAO at block 200, a joiner at
  // block 201 pays about 5 TAO (one block of decay), not the old burn decayed over 201 blocks.
  const Run r = run_ok(R"({"name": "burn", "horizon_blocks": 300,
    "subnets": {"1": {"tempo": 12, "burn_tao": 1, "burn_half_life_blocks": 360}},
    "script": [{"at_block": 200, "do": "set_param", "path": "/subnets/1/burn_tao", "value": 5}],
    "agents": {"v": {"type": "honest_validator", "count": 2, "stake_tao": 1000},
               "late": {"type": "honest_miner", "count": 1, "join_block": 201, "balance_tao": 10}}})");
  const auto reg = r.rec.of_kind("register", "late/0");
  REQUIRE(reg.size() == 1);
  // Fails today: nothing reads burn_tao after the subnet is created (setup.cpp builds the
  // economics::RegistrationBurn from it once; register_agent in src/sim/actions.cpp re-reads the
  // bounds, half-life and multiplier but never calls RegistrationBurn::set_price).
  CHECK(static_cast<double>(reg[0].amount_rao) == Approx(5e9).epsilon(0.01));
}
