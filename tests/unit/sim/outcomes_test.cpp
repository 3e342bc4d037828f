// What a run reports about each agent and about emission: the numbers summary.json's yields and
// concentration metrics are computed from.
#include <catch2/catch.hpp>

#include <map>

#include "sim_test_support.hpp"

using namespace sim_test;

namespace {

const std::string kScenario = R"({"name": "outcomes", "seed": 5, "horizon_blocks": 600,
  "emission": {"schedule": "flat", "tao_per_block": 1},
  "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0, "max_allowed_uids": 64,
                    "emission_split": {"preset": "guide"}}},
  "agents": {
    "v": {"type": "honest_validator", "count": 3, "stake_tao": 1000, "balance_tao": 5, "noise": 0.01},
    "m": {"type": "honest_miner", "count": 6, "balance_tao": 2},
    "s": {"type": "passive_staker", "count": 2, "stake_tao": 100, "validator": "v"}}})";

}  // namespace

TEST_CASE("outcomes: emission minted by class adds up to the schedule, split as configured", "[sim][outcomes]") {
  const Run r = run_ok(kScenario);
  const auto& e = r.result.emitted;
  CHECK(e.total() == 600'000'000'000ULL);  // 600 blocks x 1 TAO
  // guide: 41% miners, 33% validators, 20% team and treasury, 6% community
  CHECK(e.miners_rao == 246'000'000'000ULL);
  CHECK(e.validators_rao == 198'000'000'000ULL);
  CHECK(e.community_rao == 36'000'000'000ULL);
  CHECK(e.treasury_rao == 120'000'000'000ULL);
  CHECK(e.owner_rao == 0);
  // The last global sample carries the same cumulative totals.
  const auto& last = r.rec.samples.back();
  CHECK(last.block == 600);
  CHECK(last.emitted_miners_rao == e.miners_rao);
  CHECK(last.emitted_community_rao == e.community_rao);
}

TEST_CASE("outcomes: each agent's pay is the sum of its uid's payments over every epoch", "[sim][outcomes]") {
  const Run r = run_ok(kScenario);
  std::map<std::string, std::uint64_t> paid;
  for (const auto& ep : r.rec.epochs)
    for (std::size_t u = 0; u < ep.n(); ++u)
      if (!ep.agent[u].empty()) paid[ep.agent[u]] += ep.paid_rao[u];
  REQUIRE(r.result.agents.size() == 11);
  for (const auto& a : r.result.agents) {
    CAPTURE(a.name);
    CHECK(a.paid_rao == paid[a.name]);
    if (a.role != "staker") CHECK(a.paid_rao > 0);
  }
}

TEST_CASE("outcomes: initial wealth is the genesis funding, roles and types are named", "[sim][outcomes]") {
  const Run r = run_ok(kScenario);
  const auto& v = outcome(r, "v/0");
  CHECK(v.initial_wealth_rao == 1'005'000'000'000ULL);
  CHECK(v.role == "validator");
  CHECK(v.type == "honest_validator");
  CHECK(v.group == "v");
  CHECK(v.uid >= 0);
  const auto& m = outcome(r, "m/3");
  CHECK(m.initial_wealth_rao == 2'000'000'000ULL);
  CHECK(m.role == "miner");
  const auto& s = outcome(r, "s/1");
  CHECK(s.initial_wealth_rao == 100'000'000'000ULL);
  CHECK(s.role == "staker");
  CHECK(s.uid == -1);
  // Nothing is burned or slashed here: a miner ends with its funding plus its pay.
  CHECK(m.final_wealth_rao == m.initial_wealth_rao + m.paid_rao);
  // A validator's hotkey holds its own stake and its nominators'.
  CHECK(v.hotkey_stake_rao > v.final_wealth_rao - 5'000'000'000ULL);
  // Stakers earned through their validators' take: their wealth grew.
  CHECK(s.final_wealth_rao > s.initial_wealth_rao);
}

TEST_CASE("outcomes: epoch records carry each validator's bond row total, miners hold no bonds", "[sim][outcomes]") {
  const Run r = run_ok(kScenario);
  const Epoch& last = r.rec.epochs.back();
  REQUIRE(last.bond_total.size() == last.n());
  double validators = 0;
  for (std::size_t u = 0; u < last.n(); ++u) {
    CAPTURE(last.agent[u]);
    if (last.agent[u].rfind("m/", 0) == 0) CHECK(last.bond_total[u] == 0.0);
    if (last.agent[u].rfind("v/", 0) == 0) {
      // Six miners, each column's bonds max-upscaled: a row sums to at most 6.
      CHECK(last.bond_total[u] > 0.0);
      CHECK(last.bond_total[u] <= 6.0);
      validators += last.bond_total[u];
    }
  }
  CHECK(validators > 0.5);
}
