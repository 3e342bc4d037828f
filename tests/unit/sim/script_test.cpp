// Script events change what they name, at their block: set_param (subnet, defaults, chain-wide and
// market parameters), take_offline, stake_shock, price_shock, switch_strategy.
#include <catch2/catch.hpp>
#include <map>

#include "sim_test_support.hpp"
#include "voters_scenario.hpp"

using namespace sim_test;
using E = Epoch;

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
  // The agents of subnet 3 register free when it is created, and events.csv says so (it said
  // "registered at genesis", at block 400).
  std::size_t on_new_subnet = 0;
  for (const auto& e : r.rec.of_kind("register"))
    if (e.netuid == 3) {
      CHECK(e.block == 400);
      CHECK(e.detail == "registered free as the script created the subnet");
      ++on_new_subnet;
    }
  CHECK(on_new_subnet == 5);
}

TEST_CASE("set_param on the market: volatility changed mid-run moves the price process",
          "[sim][script]") {
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
  // Regression: the price process used to keep the volatility it was built with.
  CHECK_FALSE(moved_after);
}

TEST_CASE("set_param burn_tao sets the registration burn from its block on",
          "[sim][script]") {
  // burn_tao is changeable during a run (FORMAT.md); raised to 5 TAO at block 200 (by the
  // script, or by a proposal closing then), a joiner at block 201 pays about 5 TAO (one block of
  // decay), not the old burn decayed over 201 blocks.
  for (
      const std::string change :
      {R"("script": [{"at_block": 200, "do": "set_param", "path": "/subnets/1/burn_tao", "value": 5}],)",
       R"("proposals": {"p": {"at_block": 100, "voting_blocks": 100, "path": "/subnets/1/burn_tao",
                               "value": 5, "quorum": 0}},)"}) {
    INFO(change);
    const Run r = run_ok(R"({"name": "burn", "horizon_blocks": 300,
      "subnets": {"1": {"tempo": 12, "burn_tao": 1, "burn_half_life_blocks": 360}},)" +
                         change + R"(
      "agents": {"v": {"type": "honest_validator", "count": 2, "stake_tao": 1000, "vote": "yes"},
                 "late": {"type": "honest_miner", "count": 1, "join_block": 201, "balance_tao": 10}}})");
    const auto reg = r.rec.of_kind("register", "late/0");
    REQUIRE(reg.size() == 1);
    // Fails at 97e8d4e: nothing reads burn_tao after the subnet is created (setup.cpp builds the
    // economics::RegistrationBurn from it once; register_agent in src/sim/actions.cpp re-reads
    // the bounds, half-life and multiplier but never calls RegistrationBurn::set_price).
    CHECK(static_cast<double>(reg[0].amount_rao) == Approx(5e9).epsilon(0.01));
  }
}

TEST_CASE("set_param tempo: epochs become less frequent after the change",
          "[sim][governance][script]") {
  const Run r = run_ok(voters_scenario(
      "abstain", "abstain",
      R"("script": [{"at_block": 300, "do": "set_param", "path": "/subnets/1/tempo", "value": 24}],)",
      900));
  const auto recs = r.rec.of_subnet(1);
  // Epochs at 11, 23, ..., 299, then, as the chain's sudo_set_tempo restarts the cycle at the
  // change (LastEpochBlock = 300), at 324, 348, ... (not at the 311 queued under the old tempo,
  // nor at 323 counted from the last epoch).
  for (std::size_t k = 1; k < recs.size(); ++k) {
    INFO("epoch at block " << recs[k]->block);
    CHECK(recs[k]->block - recs[k - 1]->block == (recs[k]->block <= 299       ? 12u
                                                  : recs[k - 1]->block == 299 ? 25u
                                                                              : 24u));
  }
  CHECK(recs.back()->block == 900);  // the horizon's block runs its epoch too
  CHECK(recs.size() == 25 + 25);
  const auto script = r.rec.of_kind("script");
  REQUIRE(script.size() == 1);
  CHECK(script[0].block == 300);
  CHECK(script[0].netuid == 1);
  CHECK(script[0].detail == "/subnets/1/tempo 12 -> 24");
}

TEST_CASE("set_param tao_per_block: the new rate applies from its block on",
          "[sim][governance][script]") {
  const Run r = run_ok(voters_scenario(
      "abstain", "abstain",
      R"("script": [{"at_block": 301, "do": "set_param", "path": "/emission/tao_per_block", "value": 2.5}],)",
      600));
  const std::uint64_t genesis = 2300 * kTao;
  // Blocks 1..300 at 1 TAO, 301..600 at 2.5 TAO.
  CHECK(r.result.issuance_rao == genesis + 300 * kTao + 300 * 5 * kTao / 2);
  for (const auto& s : r.rec.samples)
    CHECK(s.issuance_rao ==
          genesis +
              (s.block <= 300 ? s.block * kTao : 300 * kTao + (s.block - 300) * 5 * kTao / 2));
}

TEST_CASE("set_param tao_per_block under a yearly decay sets the base, and the event says the rate",
          "[sim][governance][script]") {
  // Years of 200 blocks, 50% decay: in year 1 (blocks 200..399) the rate is half the base.
  // Base 1 -> 4 at block 301: 2 TAO a block from there, and the event says so.
  std::string scenario = voters_scenario(
      "abstain", "abstain",
      R"("script": [{"at_block": 301, "do": "set_param", "path": "/emission/tao_per_block", "value": 4}],)",
      400);
  const std::string flat = R"("schedule": "flat")";
  REQUIRE(scenario.find(flat) != std::string::npos);
  scenario.replace(scenario.find(flat), flat.size(),
                   R"("schedule": "yearly_decay", "yearly_decay": 0.5, "blocks_per_year": 200)");
  const Run r = run_ok(scenario);
  const auto changes = r.rec.of_kind("script");
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].detail ==
        "/emission/tao_per_block 1 -> 4 (the schedule's base: with its decay so far, 2 TAO a block "
        "from here)");
  const std::uint64_t genesis = 2300 * kTao;
  // Blocks 1..199 at 1, 200..300 at 0.5, 301..399 at 2, and block 400 (year 2) at 4 x 0.25.
  CHECK(r.result.issuance_rao == genesis + 199 * kTao + 101 * kTao / 2 + 99 * 2 * kTao + kTao);
}

TEST_CASE("set_param max_allowed_uids below the uids a subnet holds is refused, as on chain",
          "[sim][governance][script]") {
  // 3 validators and 8 miners: 11 uids. 5 is refused (MaxAllowedUIdsLessThanCurrentUIds), 11 is
  // taken.
  const Run r = run_ok(voters_scenario("abstain", "abstain", R"("script": [
      {"at_block": 50, "do": "set_param", "path": "/subnets/1/max_allowed_uids", "value": 5},
      {"at_block": 60, "do": "set_param", "path": "/subnet_defaults/max_allowed_uids", "value": 10},
      {"at_block": 70, "do": "set_param", "path": "/subnets/1/max_allowed_uids", "value": 11}],)"));
  const auto refused = r.rec.of_kind("refuse");
  REQUIRE(refused.size() == 2);
  CHECK(refused[0].block == 50);
  CHECK(refused[0].detail ==
        "max_allowed_uids 5 is below the 11 uids subnet 1 holds (the chain refuses it: "
        "MaxAllowedUIdsLessThanCurrentUIds) (/subnets/1/max_allowed_uids stays 256)");
  CHECK(refused[1].block == 60);
  const auto changed = r.rec.of_kind("script");
  REQUIRE(changed.size() == 1);
  CHECK(changed[0].detail == "/subnets/1/max_allowed_uids 256 -> 11");
}

TEST_CASE("unstake and set_take on an \"all\" group skip the members of subnets not created yet",
          "[sim][governance][script]") {
  // Both ran into the member of subnet 2 before the script created it (map::at, exit 4).
  const Run r = run_ok(R"({"name": "t", "horizon_blocks": 60,
    "subnets": {"1": {"tempo": 12}},
    "agents": {"v": {"type": "honest_validator", "count": 1, "stake_tao": 1000, "subnet": "all"}},
    "script": [{"at_block": 0, "do": "unstake", "agent": "v", "fraction": 0.5},
               {"at_block": 0, "do": "set_take", "agent": "v", "take": 0.1},
               {"at_block": 5, "do": "create_subnet", "netuid": 2}]})");
  CHECK(r.result.status == subnetsim::sim::RunStatus::kCompleted);
  CHECK(r.rec.of_kind("unstake").size() == 1);  // the member of subnet 1 only
}

TEST_CASE("a vote opening at the last block there is never closes (no wrap to the run's start)",
          "[sim][governance][script]") {
  // at_block + voting_blocks wrapped past 2^64 to block 9, and the change was applied.
  const Run r = run_ok(voters_scenario("yes", "yes", R"("proposals": {"late": {
      "at_block": 18446744073709551615, "voting_blocks": 10,
      "path": "/subnets/1/tempo", "value": 3, "quorum": 0, "threshold": 0}},)",
                                       100));
  CHECK(r.rec.of_kind("vote_passed").empty());
  CHECK(r.rec.of_kind("vote_failed").empty());
  const auto recs = r.rec.of_subnet(1);
  REQUIRE(recs.size() >= 2);
  CHECK(recs[1]->block - recs[0]->block == 12);  // tempo unchanged
}

TEST_CASE("take_offline: a validator stops setting weights for the duration, then resumes",
          "[sim][governance][script]") {
  // Activity cutoff of half a tempo: dividends show exactly the epochs it set weights.
  const Run r = run_ok(R"({"name": "offline", "horizon_blocks": 600,
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0, "activity_cutoff_factor_milli": 500}},
    "script": [{"at_block": 200, "do": "take_offline", "agent": "off", "blocks": 200}],
    "agents": {
      "v": {"type": "honest_validator", "count": 2, "stake_tao": 1000},
      "off": {"type": "honest_validator", "count": 1, "stake_tao": 1000},
      "m": {"type": "honest_miner", "count": 6}}})");
  for (const auto* e : r.rec.of_subnet(1)) {
    if (e->epoch < 3) continue;
    INFO("epoch at block " << e->block);
    const double d = Recorder::value(*e, &E::dividends, "off/0");
    if (e->block >= 200 && e->block < 400)
      CHECK(d == 0.0);
    else
      CHECK(d > 0.2);
  }
  const auto script = r.rec.of_kind("script");
  REQUIRE(script.size() == 1);
  CHECK(script[0].agent == "off");
}

TEST_CASE("take_offline: an offline miner publishes nothing and earns no incentive",
          "[sim][governance][script]") {
  const Run r = run_ok(R"({"name": "offline-miner", "horizon_blocks": 600,
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0}},
    "script": [{"at_block": 200, "do": "take_offline", "agent": "off", "blocks": 200}],
    "agents": {
      "v": {"type": "honest_validator", "count": 3, "stake_tao": 1000},
      "off": {"type": "honest_miner", "count": 1, "quality": {"dist": "constant", "value": 0.9}},
      "m": {"type": "honest_miner", "count": 4}}})");
  CHECK(r.rec.mean(1, &E::incentive, "off/0", 100, 199) > 0.2);
  CHECK(r.rec.mean(1, &E::incentive, "off/0", 450) > 0.2);
  // (Once failed: outputs were never cleared between epochs, so validators kept grading the
  // offline miner's last output.)
  CHECK(r.rec.mean(1, &E::incentive, "off/0", 212, 399) == 0.0);
}

TEST_CASE("stake_shock: the group's own stake is multiplied, losses burned, gains minted",
          "[sim][governance][script]") {
  const Run r = run_ok(voters_scenario("abstain", "abstain", R"("script": [
      {"at_block": 100, "do": "stake_shock", "agent": "small", "factor": 0.5},
      {"at_block": 300, "do": "stake_shock", "agent": "small", "factor": 3}],)"));
  const auto shocks = r.rec.of_kind("script");
  REQUIRE(shocks.size() == 2);
  const auto recs = r.rec.of_subnet(1);
  auto around = [&](std::uint64_t block) {
    std::size_t k = 0;
    while (recs[k + 1]->block < block) ++k;
    return k;  // recs[k] is the last epoch before `block`
  };
  const auto u = static_cast<std::size_t>(recs[0]->uid_of("small/0"));
  const std::size_t k1 = around(100);
  const std::uint64_t before1 = recs[k1]->stake_rao[u] + recs[k1]->paid_rao[u];
  CHECK(recs[k1 + 1]->stake_rao[u] == before1 - (before1 - before1 / 2));
  CHECK(shocks[0].amount_rao == before1 - before1 / 2);
  const std::size_t k2 = around(300);
  const std::uint64_t before2 = recs[k2]->stake_rao[u] + recs[k2]->paid_rao[u];
  CHECK(recs[k2 + 1]->stake_rao[u] == 3 * before2);
  CHECK(shocks[1].amount_rao == 2 * before2);
  // The loss is burned; the gain is minted (issuance = genesis + emission + gain).
  CHECK(r.result.burned_rao == shocks[0].amount_rao);
  CHECK(r.result.issuance_rao == 2300 * kTao + 600 * kTao + shocks[1].amount_rao);
}

TEST_CASE("stake_shock: a gain that would mint past total_supply_tao is refused whole",
          "[sim][governance][script]") {
  // Supply 4,000 TAO: 2,300 at genesis and ~1 TAO a block. small x3 (~600 TAO) fits; big x10
  // (~18,000 TAO) does not, and neither of big's validators is touched.
  const Run r = run_ok(voters_scenario("abstain", "abstain", R"("chain": {"total_supply_tao": 4000},
    "script": [
      {"at_block": 100, "do": "stake_shock", "agent": "big", "factor": 10},
      {"at_block": 300, "do": "stake_shock", "agent": "small", "factor": 3}],)"));
  const auto refused = r.rec.of_kind("refuse");
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].block == 100);
  CHECK(refused[0].amount_rao == 0);
  CHECK_THAT(refused[0].detail, Catch::StartsWith("stake of group big x10 would mint "));
  CHECK_THAT(refused[0].detail,
             Catch::EndsWith(" left below total_supply_tao: the stakes stay as they are"));
  CHECK(r.result.refused_actions == 1);
  const auto shocks = r.rec.of_kind("script");
  REQUIRE(shocks.size() == 1);
  CHECK(shocks[0].block == 300);
  CHECK(shocks[0].amount_rao > 0);
  CHECK(r.result.issuance_rao <= 4000 * kTao);
  // big's stake moved by emission only: no epoch record shows it x10.
  const auto recs = r.rec.of_subnet(1);
  const auto u = static_cast<std::size_t>(recs[0]->uid_of("big/0"));
  for (const auto* e : recs) CHECK(e->stake_rao[u] < 1100 * kTao);
}

TEST_CASE("price_shock: the price is multiplied at its block", "[sim][governance][script]") {
  const Run r = run_ok(
      voters_scenario("abstain", "abstain", R"("market": {"model": "constant", "initial_usd": 400},
    "script": [{"at_block": 100, "do": "price_shock", "factor": 0.25}, {"at_block": 200, "do": "price_shock", "factor": 3}],)"));
  CHECK(r.result.final_price_usd == Approx(300.0));
  for (const auto& s : r.rec.samples)
    CHECK(s.price_usd == Approx(s.block < 100 ? 400.0 : s.block < 200 ? 100.0 : 300.0));
}

TEST_CASE("switch_strategy: a group changes behaviour at its block", "[sim][governance][script]") {
  // An honest validator turns inverted grader (default sharpness 1) at block 300: its
  // validator trust falls.
  const Run r = run_ok(voters_scenario("abstain", "abstain", R"("script": [
      {"at_block": 300, "do": "switch_strategy", "agent": "small", "to_type": "adversarial_validator"}],)"));
  const double trust_before = r.rec.mean(1, &E::validator_trust, "small/0", 100, 299);
  const double trust_after = r.rec.mean(1, &E::validator_trust, "small/0", 330);
  CAPTURE(trust_before, trust_after);
  CHECK(trust_before > 0.9);
  CHECK(trust_after < trust_before - 0.1);
  const auto script = r.rec.of_kind("script");
  REQUIRE(script.size() == 1);
  CHECK(script[0].detail == "group small now behaves as adversarial_validator");
  // The outcomes (agents.csv, summary classes) give the type it ended the run with.
  bool seen = false;
  for (const auto& a : r.result.agents) {
    if (a.group != "small") continue;
    CHECK(a.type == "adversarial_validator");
    seen = true;
  }
  CHECK(seen);
}

TEST_CASE("switch_strategy with params: a group turns cartel for the miners its params name",
          "[sim][governance][script]") {
  // "c" (three quarters of the stake) grades honestly until block 300, then favours "fav", a
  // poor miner, with 90% of its weight: the cartel decides consensus, so fav's incentive jumps.
  // Before params were read, a switched cartel had no favoured group and stayed honest.
  const Run r = run_ok(R"({"name": "cartel_switch", "seed": 4, "horizon_blocks": 700,
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0}},
    "agents": {
      "v": {"type": "honest_validator", "count": 1, "stake_tao": 1000},
      "c": {"type": "honest_validator", "count": 2, "stake_tao": 1500},
      "m": {"type": "honest_miner", "count": 4, "quality": {"dist": "constant", "value": 0.8}},
      "fav": {"type": "honest_miner", "count": 1, "quality": {"dist": "constant", "value": 0.1}}},
    "script": [{"at_block": 300, "do": "switch_strategy", "agent": "c", "to_type": "cartel_validator",
                "params": {"favours": "fav", "favour_share": 0.9}}]})");
  const double before = r.rec.mean(1, &E::incentive, "fav/0", 100, 299);
  const double after = r.rec.mean(1, &E::incentive, "fav/0", 400);
  CAPTURE(before, after);
  CHECK(before < 0.05);
  CHECK(after > 0.6);
  const auto script = r.rec.of_kind("script");
  REQUIRE(script.size() == 1);
  CHECK(script[0].detail == "group c now behaves as cartel_validator");
}

TEST_CASE("a passed vote that would put alpha_low above alpha_high is refused, as on chain",
          "[sim][governance][script]") {
  // The script's own changes are checked at load (bad_scenarios/45); a vote's outcome is only
  // known in the run, which records the refusal and leaves the parameter as it was.
  const Run r = run_ok(voters_scenario("yes", "yes", R"("proposals": {"p": {"at_block": 100,
      "voting_blocks": 100, "path": "/subnets/1/alpha_low", "value": 0.8, "quorum": 0.1,
      "threshold": 0.5}},)"), {"subnets.1.alpha_low=0.5", "subnets.1.alpha_high=0.7"});
  const auto votes = r.rec.of_kind("vote_passed");
  REQUIRE(votes.size() == 1);
  CHECK(votes[0].detail.find("passed, but /subnets/1/alpha_low stays 0.5: refused, alpha_low 0.8 "
                             "would exceed alpha_high (0.7) of subnet 1") != std::string::npos);
  REQUIRE(r.result.proposals.size() == 1);
  CHECK(r.result.proposals[0].passed);
  CHECK_FALSE(r.result.proposals[0].applied);
}

TEST_CASE("a script change refused at run time leaves the parameter and says why",
          "[sim][governance][script]") {
  // A vote raises min_burn_tao to 5 first; the script then lowers max_burn_tao to 2, which the
  // loader cannot judge (a vote touches the pair) and the run refuses.
  const Run r = run_ok(voters_scenario("yes", "yes", R"("proposals": {"p": {"at_block": 50,
      "voting_blocks": 50, "path": "/subnets/1/min_burn_tao", "value": 5, "quorum": 0.1,
      "threshold": 0.5}},
      "script": [{"at_block": 200, "do": "set_param", "path": "/subnets/1/max_burn_tao", "value": 2}],)"),
                       {"subnets.1.min_burn_tao=1", "subnets.1.max_burn_tao=100"});
  // A refusal like an agent's: kind refuse, rule set_param, counted. (Once recorded as a script
  // event, which the story told as "the script changed ...", and not counted.)
  CHECK(r.rec.of_kind("script").empty());
  const auto refused = r.rec.of_kind("refuse");
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].rule == "set_param");
  CHECK(refused[0].agent.empty());
  CHECK(refused[0].detail ==
        "max_burn_tao 2 would fall below min_burn_tao (5) of subnet 1 (/subnets/1/max_burn_tao "
        "stays 100)");
  CHECK(r.result.refused_actions == 1);
}

TEST_CASE("stake_shock on a staker group multiplies the stake it delegated",
          "[sim][governance][script]") {
  // A passive staker delegates 500 TAO to "small"; a 0.5 shock on the staker group at block 100
  // should take half of that position (burned), as it does for a validator's own stake.
  const Run r = run_ok(voters_scenario(
      "abstain", "abstain",
      R"("script": [{"at_block": 100, "do": "stake_shock", "agent": "st", "factor": 0.5}],)", 600,
      R"(, "st": {"type": "passive_staker", "count": 1, "stake_tao": 500, "validator": "small"})"));
  const auto shocks = r.rec.of_kind("script");
  REQUIRE(shocks.size() == 1);
  // Regression: stake_shock used to scale only agents' own hotkeys, leaving stakers untouched.
  CHECK(shocks[0].amount_rao > 250 * kTao);
  CHECK(r.result.burned_rao == shocks[0].amount_rao);
}

TEST_CASE("price_shock persists under a moving price model", "[sim][governance][script]") {
  SECTION("path: every later value of the path is scaled") {
    const Run r = run_ok(voters_scenario("abstain", "abstain",
                                         R"("market": {"model": "path", "update_every_blocks": 50,
        "path": [{"block": 0, "usd": 100}, {"block": 600, "usd": 200}]},
      "script": [{"at_block": 300, "do": "price_shock", "factor": 0.5}],)"));
    CHECK(r.result.final_price_usd == Approx(100.0));  // 200 x 0.5 at block 600
    for (const auto& s : r.rec.samples) {
      // The price moves every 50 blocks (and at the shock): the last update at or before s.block.
      const std::uint64_t at = std::max<std::uint64_t>(s.block / 50 * 50, s.block >= 300 ? 300 : 0);
      const double path = 100.0 + static_cast<double>(at) / 6.0;
      INFO("block " << s.block);
      CHECK(s.price_usd == Approx(s.block < 300 ? path : 0.5 * path));
    }
  }
  SECTION("gbm without volatility: the level stays shocked") {
    const Run r = run_ok(voters_scenario(
        "abstain", "abstain",
        R"("market": {"model": "gbm", "volatility_per_year": 0, "update_every_blocks": 25},
      "script": [{"at_block": 100, "do": "price_shock", "factor": 0.5}],)"));
    CHECK(r.result.final_price_usd == Approx(150.0));
  }
}

TEST_CASE("set_param tempo: the next epoch follows the new tempo, not the one queued",
          "[sim][governance][script]") {
  auto epoch_blocks = [](const std::string& script, int tempo) {
    const Run r = run_ok(R"({"name": "t", "horizon_blocks": 130,
      "emission": {"schedule": "flat", "tao_per_block": 1},
      "subnets": {"1": {"tempo": )" +
                         std::to_string(tempo) + R"(, "weights_rate_limit": 0}},
      "agents": {"v": {"type": "honest_validator", "count": 1, "stake_tao": 1000, "noise": 0},
                 "m": {"type": "honest_miner", "count": 1, "quality": {"dist": "constant", "value": 0.5}}},
      "script": [)" + script +
                         "]}");
    std::vector<std::uint64_t> blocks;
    for (const auto* e : r.rec.of_subnet(1)) blocks.push_back(e->block);
    return blocks;
  };
  // The change restarts the cycle (LastEpochBlock = the change's block, as sudo_set_tempo
  // does): 100 -> 10 at block 5 gives 15, 25, 35 (the epoch queued at 99 ran instead, paying
  // 99 blocks at once).
  auto faster = epoch_blocks(
      R"({"at_block": 5, "do": "set_param", "path": "subnets.1.tempo", "value": 10})", 100);
  REQUIRE(faster.size() >= 3);
  CHECK(std::vector<std::uint64_t>(faster.begin(), faster.begin() + 3) ==
        std::vector<std::uint64_t>{15, 25, 35});
  // 10 -> 100 at block 5: the epoch queued at 9 does not run; the next is due at 105.
  auto slower = epoch_blocks(
      R"({"at_block": 5, "do": "set_param", "path": "subnets.1.tempo", "value": 100})", 10);
  REQUIRE_FALSE(slower.empty());
  CHECK(slower.front() == 105);
  // A change at an epoch's block lets that epoch run (it ran on chain before the extrinsic),
  // and the next follows the new tempo from it: 10 -> 30 at block 19 gives 9, 19, 49, 79.
  auto at_epoch = epoch_blocks(
      R"({"at_block": 19, "do": "set_param", "path": "subnets.1.tempo", "value": 30})", 10);
  CHECK(at_epoch == std::vector<std::uint64_t>{9, 19, 49, 79, 109});
}

TEST_CASE("set_param tempo: an epoch deferred from the change's block does not run after it",
          "[sim][governance][script]") {
  // Subnets 1 and 13 (13 mod 12 = 1) are both due at block 11; max_epochs_per_block 1 runs
  // subnet 1 there and puts 13 off. Subnet 13's tempo changes to 20 at block 11: on chain the
  // change came after its epoch was put off and restarted the cycle, so its next epoch is at 31,
  // not 12. Without the change, 13 runs at 12.
  auto blocks_of_13 = [](const std::string& script) {
    const Run r = run_ok(R"({"name": "t", "horizon_blocks": 60,
      "chain": {"max_epochs_per_block": 1},
      "emission": {"schedule": "flat", "tao_per_block": 1},
      "subnets": {"1": {"tempo": 12}, "13": {"tempo": 12}},
      "agents": {"v": {"type": "honest_validator", "count": 1, "stake_tao": 1000, "subnet": "all"}},
      "script": [)" + script +
                         "]}");
    std::vector<std::uint64_t> blocks;
    for (const auto* e : r.rec.of_subnet(13)) blocks.push_back(e->block);
    return blocks;
  };
  CHECK(blocks_of_13("")[0] == 12);
  CHECK(blocks_of_13(
            R"({"at_block": 11, "do": "set_param", "path": "subnets.13.tempo", "value": 20})") ==
        std::vector<std::uint64_t>{31, 51});
}

TEST_CASE("set_param burn_half_life_blocks: the burn decays at each half-life while it is in force",
          "[sim][governance][script]") {
  // 299 blocks at the default half-life (blocks 2..300: the chain does not decay in block 1),
  // then 10 at a half-life of 10: j1's burn at block 310 is 0.281156270 TAO. (The new
  // half-life was applied to all 310 blocks: the 0.0005 minimum.)
  const Run r = run_ok(R"({"name": "t", "horizon_blocks": 320,
    "emission": {"schedule": "flat", "tao_per_block": 0},
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0}},
    "agents": {"v": {"type": "honest_validator", "count": 1, "stake_tao": 1000, "noise": 0},
               "m": {"type": "honest_miner", "count": 1, "quality": {"dist": "constant", "value": 0.5}},
               "j1": {"type": "honest_miner", "count": 1, "balance_tao": 10, "join_block": 310}},
    "script": [{"at_block": 300, "do": "set_param", "path": "subnets.1.burn_half_life_blocks", "value": 10}]})");
  std::uint64_t burned = 0;
  for (const auto& e : r.rec.of_kind("register"))
    if (e.agent == "j1/0") burned = e.amount_rao;
  CHECK(burned == 281156270);
  // The change is told with the path as a pointer, however the script wrote it.
  const auto changes = r.rec.of_kind("script");
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].detail == "/subnets/1/burn_half_life_blocks 360 -> 10");
}

TEST_CASE("set_param yearly_decay: the years gone by keep the decay they had",
          "[sim][governance][script]") {
  // 1 TAO a block, years of 10 blocks, no decay until block 25, then 0.5: the rate is 1 through
  // year 2 (blocks 1-29), 0.5 in year 3 and 0.25 in year 4 (it read 0.25 from block 25: the new
  // decay applied to years 1 and 2 too). Issuance at 40: 1,000 staked + 29 + 5 + 0.25.
  const Run r = run_ok(R"({"name": "t", "horizon_blocks": 40,
    "chain": {"total_supply_tao": 21000000},
    "emission": {"schedule": "yearly_decay", "tao_per_block": 1, "yearly_decay": 0, "blocks_per_year": 10},
    "subnets": {"1": {"tempo": 5, "weights_rate_limit": 0}},
    "agents": {"v": {"type": "honest_validator", "count": 1, "stake_tao": 1000, "noise": 0},
               "m": {"type": "honest_miner", "count": 1, "quality": {"dist": "constant", "value": 0.5}}},
    "script": [{"at_block": 25, "do": "set_param", "path": "emission.yearly_decay", "value": 0.5}]})");
  CHECK(r.result.issuance_rao == 1034250000000ULL);
}

namespace {
// Validators A (3,000 TAO) and B (10,000 TAO) and two miners, no emission: stakes move only as
// the script (`script`, the array's content) says.
std::string two_validators_without_emission(const std::string& script) {
  return R"({"name": "s11", "seed": 1, "horizon_blocks": 30,
    "emission": {"schedule": "flat", "tao_per_block": 0},
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0}},
    "agents": {"A": {"type": "honest_validator", "stake_tao": 3000},
               "B": {"type": "honest_validator", "stake_tao": 10000},
               "m": {"type": "honest_miner", "count": 2}},
    "script": [)" +
         script + "]}";
}
}  // namespace

TEST_CASE("script amounts are the scenario's decimals to the rao", "[sim][script]") {
  // 3,000 TAO x 0.7 leaves 2,100 TAO: 900 burned, not 900.000000001 (the factor was multiplied
  // as the double 0.69999999999999996 and floored).
  const Run r = run_ok(two_validators_without_emission(
      R"({"at_block": 5, "do": "stake_shock", "agent": "A", "factor": 0.7},
               {"at_block": 6, "do": "move_stake", "from": "B", "to": "A", "fraction": 0.29})"));
  const auto script = r.rec.of_kind("script");
  REQUIRE(script.size() == 2);
  CHECK(script[0].amount_rao == 900 * kTao);
  CHECK(r.result.burned_rao == 900 * kTao);
  CHECK(script[1].amount_rao == 2900 * kTao);
}

TEST_CASE("the script's move_stake refuses parts below the chain's MinStake, as an agent's move is",
          "[sim][script]") {
  // 10,000 TAO x 1e-7 is 0.001 TAO: below 0.002, refused with why, nothing moves. Once failed:
  // moved without a word, where the same amount as an unstake was refused.
  const Run r = run_ok(two_validators_without_emission(
      R"({"at_block": 6, "do": "move_stake", "from": "B", "to": "A", "fraction": 1e-7})"));
  const auto refused = r.rec.of_kind("refuse", "B/0");
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].rule == "move_stake");
  CHECK(refused[0].detail ==
        "amount 0.001 TAO is below the chain's minimum of 0.002 TAO for a stake operation");
  const auto script = r.rec.of_kind("script");
  REQUIRE(script.size() == 1);
  CHECK(script[0].amount_rao == 0);
}

TEST_CASE("a new burn_tao outside the burn's bounds is refused at run time", "[sim][script]") {
  // A vote lowers max_burn_tao to 50 first; the script's burn of 80 then lies outside, which
  // the loader cannot judge (a vote touches the bounds) and the run refuses. Once: set, and
  // clamped by the chain's burn without a word.
  const Run r = run_ok(voters_scenario("yes", "yes", R"("proposals": {"p": {"at_block": 50,
      "voting_blocks": 50, "path": "/subnets/1/max_burn_tao", "value": 50, "quorum": 0.1,
      "threshold": 0.5}},
      "script": [{"at_block": 200, "do": "set_param", "path": "/subnets/1/burn_tao", "value": 80}],)"));
  const auto refused = r.rec.of_kind("refuse");
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].rule == "set_param");
  CHECK(refused[0].detail ==
        "burn_tao 80 would lie outside [min_burn_tao, max_burn_tao] = [0.0005, 50] of subnet 1 "
        "(/subnets/1/burn_tao stays 1)");
}

namespace {

// A subnet whose epochs run every 12 blocks, and the same with a script event at block 300.
std::string switching(const std::string& subnet, const std::string& event,
                      const std::string& extra = "") {
  return R"({"name": "switch", "horizon_blocks": 600, )" + extra + R"("subnets": {"1": )" + subnet +
         R"(}, "script": [)" + event + "]," + kAgents + "}";
}

// The records of the epochs at or after `block` (before: `before` true).
std::vector<Epoch> epochs_from(const Run& r, std::uint64_t block, bool before = false) {
  std::vector<Epoch> out;
  for (const auto& e : r.rec.epochs)
    if ((e.block < block) == before) out.push_back(e);
  return out;
}

}  // namespace

TEST_CASE("set_param yuma switches a subnet's Yuma variant from its block on", "[sim][script]") {
  // Classic throughout, and classic switched to Yuma 3 at block 300: the same epochs before the
  // switch, different bonds after it (Y3 stores the EMA bond itself, classic its column-max
  // upscaled form), and events.csv names both variants.
  const Run classic = run_ok(switching(R"({"yuma": "classic"})", ""));
  const Run switched = run_ok(switching(
      R"({"yuma": "classic"})",
      R"({"at_block": 300, "do": "set_param", "path": "/subnets/1/yuma", "value": "yuma3"})"));
  CHECK(epochs_from(classic, 300, true) == epochs_from(switched, 300, true));
  const auto after_classic = epochs_from(classic, 300), after_switch = epochs_from(switched, 300);
  REQUIRE(after_switch.size() == after_classic.size());
  REQUIRE_FALSE(after_switch.empty());
  // The validators' bond rows: classic keeps the column max at u16 max, so each validator's
  // row sums to about its share of 3 miners' columns; Y3's EMA bonds shrink toward W̃.
  const auto& last_classic = after_classic.back();
  const auto& last_switch = after_switch.back();
  const int v0 = last_switch.uid_of("v/0");
  REQUIRE(v0 >= 0);
  CHECK(last_switch.bond_total[static_cast<std::size_t>(v0)] <
        0.5 * last_classic.bond_total[static_cast<std::size_t>(v0)]);
  const auto scripts = switched.rec.of_kind("script");
  REQUIRE(scripts.size() == 1);
  CHECK(scripts[0].block == 300);
  CHECK(scripts[0].detail == "/subnets/1/yuma classic -> yuma3");
}

TEST_CASE("set_param emission_split switches a subnet to a preset from its block on",
          "[sim][script]") {
  // bittensor (18% owner) until block 300, then guide (no owner cut; 20% treasury, 6%
  // community): the owner earns what it earned in the first 299 blocks, no more.
  const Run until =
      run_ok(R"({"name": "until", "horizon_blocks": 299, "subnets": {"1": {}},)" + kAgents + "}");
  const Run r = run_ok(switching(
      "{}",
      R"({"at_block": 300, "do": "set_param", "path": "/subnets/1/emission_split", "value": "guide"})"));
  REQUIRE_FALSE(r.rec.samples.empty());
  const auto& last = r.rec.samples.back();
  CHECK(last.emitted_owner_rao == until.rec.samples.back().emitted_owner_rao);
  CHECK(last.emitted_owner_rao > 0);
  CHECK(until.rec.samples.back().emitted_treasury_rao == 0);
  // 301 blocks (300..600) under guide: 20% and 6% of 1 TAO a block, to the rao.
  CHECK(last.emitted_treasury_rao == 301 * 200'000'000ULL);
  CHECK(last.emitted_community_rao == 301 * 60'000'000ULL);
  CHECK(r.rec.of_kind("script")[0].detail == "/subnets/1/emission_split bittensor -> guide");
}

TEST_CASE("set_param /chain/epoch_schedule moves every subnet to the other rule", "[sim][script]") {
  const Run r = run_ok(switching(
      "{}",
      R"({"at_block": 300, "do": "set_param", "path": "/chain/epoch_schedule", "value": "legacy_modulo"})"));
  std::size_t after = 0;
  std::uint64_t previous = 0;
  for (const auto& e : r.rec.epochs) {
    if (e.block < 300) {
      if (previous > 0) CHECK(e.block - previous == 12);  // LastEpochBlock: every tempo
      previous = e.block;
      continue;
    }
    // Legacy: (block + netuid + 1) % (tempo + 1) == 0.
    CHECK((e.block + 1 + 1) % 13 == 0);
    ++after;
  }
  CHECK(after == 23);  // 310, 323, ..., 596
}

TEST_CASE("set_param /chain/consensus_backend: later epochs run on the exact backend",
          "[sim][script]") {
  // Float until block 300, then exact: the float run's epochs before the switch, and after it
  // epochs that differ from the float run's where float and exact differ.
  const std::string to_exact =
      R"({"at_block": 300, "do": "set_param", "path": "/chain/consensus_backend", "value": "exact"})";
  const Run r = run_ok(switching("{}", to_exact));
  const Run exact = run_ok(switching("{}", ""), {"chain.consensus_backend=\"exact\""});
  const Run floating = run_ok(switching("{}", ""));
  CHECK(epochs_from(r, 300, true) == epochs_from(floating, 300, true));
  const auto after = epochs_from(r, 300), after_float = epochs_from(floating, 300),
             after_exact = epochs_from(exact, 300);
  REQUIRE(after.size() == after_float.size());
  // Validator trust shows the backend: fixed point gives other last bits than double.
  for (std::size_t k = 0; k < after.size(); ++k) {
    REQUIRE(after_exact[k].validator_trust != after_float[k].validator_trust);
    CHECK(after[k].validator_trust == after_exact[k].validator_trust);
  }
  CHECK(r.rec.of_kind("script")[0].detail == "/chain/consensus_backend float -> exact");
}

TEST_CASE("set_param /emission/subnet_split to weights splits by the scenario's weights",
          "[sim][script]") {
  // Two subnets, equal shares until block 300, then 3:1 by /emission/subnet_weights (given
  // although the split starts "equal": the script switches to it).
  const Run r = run_ok(R"({"name": "split", "horizon_blocks": 600,
    "emission": {"subnet_split": "equal", "subnet_weights": {"1": 3, "2": 1}},
    "subnets": {"1": {}, "2": {}},
    "script": [{"at_block": 300, "do": "set_param", "path": "/emission/subnet_split", "value": "weights"}],)" +
                       kAgents + "}");
  std::map<std::uint16_t, std::uint64_t> before, after;
  for (const auto& e : r.rec.epochs) {
    if (e.block < 60 || e.block > 540) continue;  // whole tempos away from the start and end
    auto& sum = e.block < 300 ? before : after;
    for (auto p : e.paid_rao) sum[e.netuid] += p;
  }
  REQUIRE(before[2] > 0);
  REQUIRE(after[2] > 0);
  CHECK(static_cast<double>(before[1]) / static_cast<double>(before[2]) ==
        Approx(1.0).epsilon(0.02));
  CHECK(static_cast<double>(after[1]) / static_cast<double>(after[2]) == Approx(3.0).epsilon(0.02));
}

TEST_CASE("set_param to the value a parameter has leaves the epochs where they are",
          "[sim][script]") {
  // Block 299 is an epoch block (every 12 from 11). Setting tempo or the epoch schedule to what
  // it is must not skip that epoch (it used to: the change rescheduled from the next block).
  const Run plain = run_ok(switching("{}", ""));
  for (
      const std::string event :
      {R"({"at_block": 299, "do": "set_param", "path": "/subnets/1/tempo", "value": 12})",
       R"({"at_block": 299, "do": "set_param", "path": "/chain/epoch_schedule", "value": "last_epoch_block"})"}) {
    INFO(event);
    const Run r = run_ok(switching("{}", event));
    std::vector<std::uint64_t> blocks, plain_blocks;
    for (const auto& e : r.rec.epochs) blocks.push_back(e.block);
    for (const auto& e : plain.rec.epochs) plain_blocks.push_back(e.block);
    CHECK(std::count(plain_blocks.begin(), plain_blocks.end(), 299) == 1);
    CHECK(blocks == plain_blocks);
  }
}

TEST_CASE("set_param /subnet_defaults/tempo judges each subnet by its own tempo", "[sim][script]") {
  // Subnet 1 runs at tempo 20, the defaults say 12: setting the defaults to 12 changes subnet 1
  // (its next epoch moves), and subnet 2, already at 12, keeps its epochs. The change was judged
  // by the defaults' value alone: "12 -> 12", nothing moved.
  const Run r = run_ok(R"({"name": "defaults-tempo", "horizon_blocks": 200,
    "subnets": {"1": {"tempo": 20}, "2": {"tempo": 12}},
    "script": [{"at_block": 50, "do": "set_param", "path": "/subnet_defaults/tempo", "value": 12}],)" +
                       kAgents + "}");
  const Run plain = run_ok(R"({"name": "defaults-tempo", "horizon_blocks": 200,
    "subnets": {"1": {"tempo": 20}, "2": {"tempo": 12}},)" +
                           kAgents + "}");
  std::map<std::uint16_t, std::vector<std::uint64_t>> blocks, plain_blocks;
  for (const auto& e : r.rec.epochs) blocks[e.netuid].push_back(e.block);
  for (const auto& e : plain.rec.epochs) plain_blocks[e.netuid].push_back(e.block);
  CHECK(blocks.at(2) == plain_blocks.at(2));
  std::vector<std::uint64_t> after;
  for (auto b : blocks.at(1))
    if (b > 50) after.push_back(b);
  REQUIRE(after.size() >= 3);
  for (std::size_t k = 1; k < after.size(); ++k) CHECK(after[k] - after[k - 1] == 12);
  CHECK(r.rec.of_kind("script")[0].detail ==
        "/subnet_defaults/tempo 20 on subnet 1, 12 elsewhere -> 12");
}

TEST_CASE("a vote on a named parameter opens with both names in its detail", "[sim][script]") {
  const Run r = run_ok(R"({"name": "vote-yuma", "horizon_blocks": 100,
    "subnets": {"1": {"yuma": "classic"}},
    "proposals": {"p": {"at_block": 10, "voting_blocks": 20, "path": "/subnets/1/yuma", "value": "yuma3"}},)" +
                       kAgents + "}");
  const auto opened = r.rec.of_kind("proposal");
  REQUIRE(opened.size() == 1);
  CHECK(opened[0].detail == "vote opens: set /subnets/1/yuma to yuma3 (now classic)");
  CHECK(opened[0].measured == 0);   // "classic", first of the variants' names
  CHECK(opened[0].threshold == 1);  // "yuma3"
}
