// Change take and unstake: agents ask through script events, the chain's rules admit or refuse.
#include <catch2/catch.hpp>

#include "sim_test_support.hpp"

using namespace sim_test;

namespace {

// Two validators with nominators, flat 1 TAO a block; `script` is the script array's content.
std::string scenario(const std::string& script, std::uint64_t horizon = 600) {
  return R"({"name": "take", "seed": 4, "horizon_blocks": )" + std::to_string(horizon) + R"(,
    "emission": {"schedule": "flat", "tao_per_block": 1},
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0, "validator_take": 0.18}},
    "agents": {
      "low": {"type": "honest_validator", "count": 1, "stake_tao": 1000, "noise": 0},
      "high": {"type": "honest_validator", "count": 1, "stake_tao": 1000, "noise": 0},
      "m": {"type": "honest_miner", "count": 4, "quality": {"dist": "constant", "value": 0.5}},
      "n_low": {"type": "passive_staker", "count": 1, "stake_tao": 1000, "validator": "low"},
      "n_high": {"type": "passive_staker", "count": 1, "stake_tao": 1000, "validator": "high"}},
    "script": [)" + script + "]}";
}

}  // namespace

TEST_CASE("set_take: a lower take is accepted and its nominators earn more", "[sim][take]") {
  const Run r = run_ok(scenario(R"({"at_block": 1, "do": "set_take", "agent": "low", "take": 0})"));
  const auto taken = r.rec.of_kind("take");
  REQUIRE(taken.size() == 1);
  CHECK(taken[0].agent == "low/0");
  CHECK(taken[0].measured == 0.0);
  CHECK(taken[0].threshold == Approx(0.18));
  CHECK(r.rec.of_kind("refuse").empty());
  // Same stakes, same weights, same dividends: the nominator of the 0% validator gains more.
  const auto& n_low = outcome(r, "n_low/0");
  const auto& n_high = outcome(r, "n_high/0");
  const double gain_low = static_cast<double>(n_low.final_wealth_rao - n_low.initial_wealth_rao);
  const double gain_high = static_cast<double>(n_high.final_wealth_rao - n_high.initial_wealth_rao);
  CAPTURE(gain_low, gain_high);
  CHECK(gain_high > 0);
  // Half the dividends go to the nominator at take 0; 0.82 x half at take 18%.
  CHECK(gain_low / gain_high == Approx(1.0 / 0.82).epsilon(0.02));
}

TEST_CASE("set_take: above 18%, or an increase within the rate limit, is refused with why", "[sim][take]") {
  // The decrease to 5% leaves the clock at 0, which the chain reads as no limit
  // (exceeds_tx_delegate_take_rate_limit with prev_tx_block == 0): the first increase, to 10%,
  // is accepted at once and starts the clock; the next, 10 blocks later, is refused. (Once
  // failed: the first increase was refused, counted from block 0.)
  const Run r = run_ok(scenario(R"({"at_block": 1, "do": "set_take", "agent": "low", "take": 0.25},
                                   {"at_block": 2, "do": "set_take", "agent": "high", "take": 0.05},
                                   {"at_block": 30, "do": "set_take", "agent": "high", "take": 0.10},
                                   {"at_block": 40, "do": "set_take", "agent": "high", "take": 0.12})"));
  const auto refused = r.rec.of_kind("refuse");
  REQUIRE(refused.size() == 2);
  CHECK(refused[0].agent == "low/0");
  CHECK(refused[0].rule == "set_take");
  CHECK(refused[0].detail == "take 25% above the chain's maximum 17.9995% (11796/65535)");
  CHECK(refused[1].agent == "high/0");
  CHECK(refused[1].block == 40);
  CHECK(refused[1].detail ==
        "increases are rate limited: 10 blocks since the last increase, limit 216000");
  const auto taken = r.rec.of_kind("take");
  REQUIRE(taken.size() == 2);
  CHECK(taken[1].block == 30);
  CHECK(taken[1].measured == 0.10);
}

TEST_CASE("set_take: takes compare as the chain's u16 ratios", "[sim][take]") {
  // 0.18 is round(0.18 * 65535) = 11796/65535, the default itself: the chain's increase_take
  // and decrease_take both refuse an unchanged take. 0.1801 is 11803, above the maximum.
  const Run r = run_ok(scenario(R"({"at_block": 1, "do": "set_take", "agent": "low", "take": 0.18},
                                   {"at_block": 2, "do": "set_take", "agent": "high", "take": 0.1801})"));
  CHECK(r.rec.of_kind("take").empty());
  const auto refused = r.rec.of_kind("refuse");
  REQUIRE(refused.size() == 2);
  CHECK(refused[0].agent == "low/0");
  CHECK(refused[0].detail ==
        "the take is already 18% (11796/65535): the chain takes only a higher or a lower one");
  CHECK(refused[1].agent == "high/0");
  CHECK(refused[1].detail.find("above the chain's maximum") != std::string::npos);
}

TEST_CASE("set_take: a decrease does not restart the clock of increases", "[sim][take]") {
  // Decreases at 216,000 (any time), then an increase at 216,050: there was no increase
  // before, so it is accepted, as on chain (decrease_take does not set
  // LastTxBlockDelegateTake).
  const Run r =
      run_ok(scenario(R"({"at_block": 216000, "do": "set_take", "agent": "low", "take": 0.05},
                  {"at_block": 216050, "do": "set_take", "agent": "low", "take": 0.10},
                  {"at_block": 216060, "do": "set_take", "agent": "low", "take": 0.12})",
                      216100));
  const auto taken = r.rec.of_kind("take");
  REQUIRE(taken.size() == 2);
  CHECK(taken[0].block == 216000);
  CHECK(taken[1].block == 216050);
  CHECK(taken[1].measured == 0.10);
  // The increase at 216,050 restarted the clock: 10 blocks later another is refused.
  const auto refused = r.rec.of_kind("refuse");
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].block == 216060);
  CHECK(refused[0].detail ==
        "increases are rate limited: 10 blocks since the last increase, limit 216000");
}

TEST_CASE("unstake: a staker takes its delegation back to its balance", "[sim][unstake]") {
  const Run r = run_ok(scenario(R"({"at_block": 100, "do": "unstake", "agent": "n_low", "fraction": 0.5})"));
  const auto un = r.rec.of_kind("unstake");
  REQUIRE(un.size() == 1);
  CHECK(un[0].agent == "n_low/0");
  CHECK(un[0].amount_rao > 500 * kTao);  // half of 1000 TAO plus half of what it earned by then
  CHECK(un[0].amount_rao < 510 * kTao);
  CHECK(un[0].measured == 0.5);
  CHECK(r.rec.of_kind("refuse").empty());
  // What it took back is in its free balance: it earns on half as much afterwards.
  const auto& n_low = outcome(r, "n_low/0");
  const auto& n_high = outcome(r, "n_high/0");
  CHECK(n_low.final_wealth_rao - n_low.initial_wealth_rao < n_high.final_wealth_rao - n_high.initial_wealth_rao);
}

TEST_CASE("stake operations below the chain's MinStake (0.002 TAO) are refused with why",
          "[sim][take]") {
  // A staker with 0.001 TAO to delegate: on chain, AmountTooLow. Once failed: accepted, the
  // validator's stake grew by 1,000,000 rao.
  std::string s = scenario("", 30);
  s.replace(
      s.find(R"("n_high": {)"), 0,
      R"("dust": {"type": "passive_staker", "count": 1, "balance_tao": 0.001, "validator": "low"}, )");
  const Run r = run_ok(s);
  const auto refused = r.rec.of_kind("refuse", "dust/0");
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].rule == "delegate");
  CHECK(refused[0].detail ==
        "amount 0.001 TAO is below the chain's minimum of 0.002 TAO for a stake operation");
  const auto& dust = outcome(r, "dust/0");
  CHECK(dust.final_wealth_rao == 1'000'000);  // still its balance
}
