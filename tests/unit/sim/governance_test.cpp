// Governance and script: a stake-weighted proposal passes or fails as its quorum and threshold
// say, and a passed one applies its change; script events (set_param, create_subnet,
// take_offline, stake_shock, price_shock, switch_strategy) change what they name, at their block.
#include <catch2/catch.hpp>
#include <cmath>

#include "sim_test_support.hpp"

using namespace sim_test;
using E = Epoch;

namespace {

// Two big validators (1000 TAO) and a small one (300 TAO) with the given vote policies, eight
// miners; `extra` adds top-level members (each followed by a comma).
std::string scenario(const std::string& big_vote, const std::string& small_vote,
                     const std::string& extra, std::uint64_t horizon = 600,
                     const std::string& more_agents = "") {
  return R"({"name": "governance", "seed": 2, "horizon_blocks": )" + std::to_string(horizon) + R"(,
    "emission": {"schedule": "flat", "tao_per_block": 1},)" +
         extra + R"(
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0}},
    "agents": {
      "big": {"type": "honest_validator", "count": 2, "stake_tao": 1000, "vote": ")" +
         big_vote + R"("},
      "small": {"type": "honest_validator", "count": 1, "stake_tao": 300, "vote": ")" +
         small_vote + R"("},
      "m": {"type": "honest_miner", "count": 8})" +
         more_agents + "}}";
}

const std::string kRaiseMinStake = R"("proposals": {"raise": {"at_block": 100, "voting_blocks": 100,
    "path": "/subnets/1/min_validator_stake_tao", "value": 800, "quorum": 0.5, "threshold": 0.5}},)";

std::vector<std::uint8_t> permits_of(const Recorder& rec, const std::string& agent) {
  std::vector<std::uint8_t> out;
  for (const auto* e : rec.of_subnet(1))
    out.push_back(e->permit[static_cast<std::size_t>(e->uid_of(agent))]);
  return out;
}

}  // namespace

TEST_CASE(
    "proposal: enough yes stake passes it, and validators below the new minimum lose their permit",
    "[sim][governance]") {
  const Run r = run_ok(scenario("yes", "abstain", kRaiseMinStake));
  const auto opened = r.rec.of_kind("proposal");
  REQUIRE(opened.size() == 1);
  CHECK(opened[0].block == 100);
  CHECK(opened[0].measured == 0.0);     // the current value
  CHECK(opened[0].threshold == 800.0);  // the proposed one
  const auto passed = r.rec.of_kind("vote_passed");
  REQUIRE(passed.size() == 1);
  CHECK(r.rec.of_kind("vote_failed").empty());
  CHECK(passed[0].block == 200);
  CHECK(passed[0].rule == "raise");
  CHECK(passed[0].measured == 1.0);  // yes share of the voting stake
  CHECK(passed[0].amount_rao > 2000 * kTao);
  CHECK(passed[0].amount_rao < 2100 * kTao);
  // Permits: everyone's up to the change; after it the small validator's goes, the big ones stay.
  for (const auto* e : r.rec.of_subnet(1)) {
    if (e->epoch < 2) continue;
    INFO("epoch at block " << e->block);
    const auto small = static_cast<std::size_t>(e->uid_of("small/0"));
    CHECK(e->permit[small] == (e->block < 200 ? 1 : 0));
    CHECK(e->permit[static_cast<std::size_t>(e->uid_of("big/0"))] == 1);
    CHECK(e->permit[static_cast<std::size_t>(e->uid_of("big/1"))] == 1);
  }
  // Without a permit it earns no more dividends.
  CHECK(r.rec.mean(1, &E::dividends, "small/0", 240) == 0.0);
  CHECK(r.rec.mean(1, &E::dividends, "small/0", 24, 190) > 0.05);
}

TEST_CASE("proposal: fails without quorum, and nothing changes", "[sim][governance]") {
  // Only the small validator votes: 300 of about 2400 TAO staked.
  const Run r = run_ok(scenario("abstain", "yes", kRaiseMinStake));
  const auto failed = r.rec.of_kind("vote_failed");
  REQUIRE(failed.size() == 1);
  CHECK(r.rec.of_kind("vote_passed").empty());
  CHECK(failed[0].block == 200);
  CHECK(failed[0].measured == 1.0);                                // all who voted said yes...
  CHECK(failed[0].detail.find("no quorum") != std::string::npos);  // ...but too few voted
  const auto p = permits_of(r.rec, "small/0");
  for (std::size_t k = 1; k < p.size(); ++k) CHECK(p[k] == 1);
}

TEST_CASE("proposal: fails when the yes share does not exceed the threshold", "[sim][governance]") {
  // Big validators vote no, the small one yes: quorum met, yes share about 300 / 2300.
  const Run r = run_ok(scenario("no", "yes", kRaiseMinStake));
  const auto failed = r.rec.of_kind("vote_failed");
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].measured < 0.2);
  CHECK(failed[0].measured > 0.1);
  CHECK(failed[0].detail.find("no quorum") == std::string::npos);
  CHECK(permits_of(r.rec, "small/0").back() == 1);
}

TEST_CASE("proposal: self_interest voters vote yes only when their stake meets the new minimum",
          "[sim][governance]") {
  const Run r = run_ok(scenario("self_interest", "self_interest", kRaiseMinStake));
  const auto passed = r.rec.of_kind("vote_passed");
  REQUIRE(passed.size() == 1);
  // Big ones yes (about 2000 TAO), the small one no (about 300 TAO).
  CHECK(passed[0].measured > 0.8);
  CHECK(passed[0].measured < 0.9);
  CHECK(permits_of(r.rec, "small/0").back() == 0);
}

TEST_CASE("set_param tempo: epochs become less frequent after the change",
          "[sim][governance][script]") {
  const Run r = run_ok(scenario(
      "abstain", "abstain",
      R"("script": [{"at_block": 300, "do": "set_param", "path": "/subnets/1/tempo", "value": 24}],)",
      900));
  const auto recs = r.rec.of_subnet(1);
  // Epochs at 11, 23, ..., 299, then the one already scheduled at 311, then every 24 blocks.
  for (std::size_t k = 1; k < recs.size(); ++k) {
    INFO("epoch at block " << recs[k]->block);
    CHECK(recs[k]->block - recs[k - 1]->block == (recs[k]->block <= 311 ? 12u : 24u));
  }
  CHECK(recs.back()->block == 887);
  CHECK(recs.size() == 25 + 1 + 24);
  const auto script = r.rec.of_kind("script");
  REQUIRE(script.size() == 1);
  CHECK(script[0].block == 300);
  CHECK(script[0].netuid == 1);
  CHECK(script[0].detail == "/subnets/1/tempo 12 -> 24");
}

TEST_CASE("set_param tao_per_block: the new rate applies from its block on",
          "[sim][governance][script]") {
  const Run r = run_ok(scenario(
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

TEST_CASE("create_subnet: a new subnet starts running epochs and takes its share of emission",
          "[sim][governance][script]") {
  const Run r = run_ok(scenario("abstain", "abstain",
                                R"("subnet_defaults": {"tempo": 10},
    "script": [{"at_block": 300, "do": "create_subnet", "netuid": 7}],)",
                                600));
  const auto recs = r.rec.of_subnet(7);
  REQUIRE(!recs.empty());
  CHECK(recs.front()->block > 300);
  CHECK(recs.front()->block <= 310);
  for (std::size_t k = 1; k < recs.size(); ++k) CHECK(recs[k]->block - recs[k - 1]->block == 10);
  CHECK(recs.size() >= 29);
  // Subnet 1 keeps running, now with half the emission: what it pays out per epoch halves.
  auto paid = [&](std::uint64_t from, std::uint64_t to) {
    std::uint64_t total = 0;
    std::size_t n = 0;
    for (const auto* e : r.rec.of_subnet(1))
      if (e->block >= from && e->block < to) {
        for (auto p : e->paid_rao) total += p;
        ++n;
      }
    return static_cast<double>(total) / static_cast<double>(n);
  };
  CHECK(paid(400, 600) / paid(100, 300) == Approx(0.5).epsilon(0.01));
  CHECK(r.result.issuance_rao == 2300 * kTao + 600 * kTao);  // flat 1 TAO/block all along
}

TEST_CASE("create_subnet: agents of a group on the new subnet register there when they join",
          "[sim][governance][script]") {
  // The loader accepts a group on a subnet the script creates ("subnets created by the script
  // count as existing"); its miners joining at block 400 should register on subnet 7.
  const Run r = run_ok(scenario(
      "abstain", "abstain", R"("script": [{"at_block": 300, "do": "create_subnet", "netuid": 7}],)",
      600,
      R"(, "late": {"type": "honest_miner", "count": 3, "subnet": 7, "join_block": 400, "balance_tao": 10})"));
  std::size_t on_7 = 0;
  for (const auto& e : r.rec.of_kind("register")) on_7 += e.netuid == 7;
  // (Once dropped silently: agents were planned only on the subnets that existed at genesis.)
  CHECK(on_7 == 3);
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
  const Run r = run_ok(scenario("abstain", "abstain", R"("script": [
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

TEST_CASE("price_shock: the price is multiplied at its block", "[sim][governance][script]") {
  const Run r =
      run_ok(scenario("abstain", "abstain", R"("market": {"model": "constant", "initial_usd": 400},
    "script": [{"at_block": 100, "do": "price_shock", "factor": 0.25}, {"at_block": 200, "do": "price_shock", "factor": 3}],)"));
  CHECK(r.result.final_price_usd == Approx(300.0));
  for (const auto& s : r.rec.samples)
    CHECK(s.price_usd == Approx(s.block < 100 ? 400.0 : s.block < 200 ? 100.0 : 300.0));
}

TEST_CASE("switch_strategy: a group changes behaviour at its block", "[sim][governance][script]") {
  // An honest validator turns inverted grader (default sharpness 1) at block 300: its
  // validator trust falls.
  const Run r = run_ok(scenario("abstain", "abstain", R"("script": [
      {"at_block": 300, "do": "switch_strategy", "agent": "small", "to_type": "adversarial_validator"}],)"));
  const double trust_before = r.rec.mean(1, &E::validator_trust, "small/0", 100, 299);
  const double trust_after = r.rec.mean(1, &E::validator_trust, "small/0", 330);
  CAPTURE(trust_before, trust_after);
  CHECK(trust_before > 0.9);
  CHECK(trust_after < trust_before - 0.1);
  const auto script = r.rec.of_kind("script");
  REQUIRE(script.size() == 1);
  CHECK(script[0].detail == "group small now behaves as adversarial_validator");
}

TEST_CASE("set_param on a subnet created by the script applies once it exists",
          "[sim][governance][script]") {
  const Run r = run_ok(scenario("abstain", "abstain", R"("script": [
      {"at_block": 100, "do": "create_subnet", "netuid": 7},
      {"at_block": 200, "do": "set_param", "path": "/subnets/7/tempo", "value": 30}],)"));
  const auto recs = r.rec.of_subnet(7);
  REQUIRE(recs.size() > 5);
  for (std::size_t k = 1; k < recs.size(); ++k)
    if (recs[k - 1]->block > 230) CHECK(recs[k]->block - recs[k - 1]->block == 30);
}

TEST_CASE("a change aimed at a subnet before the script creates it is refused at load or harmless",
          "[sim][governance][script]") {
  // The loader accepts /subnets/7/... because the script creates subnet 7, but here the change
  // comes first (a set_param at 100, a proposal opening at 150; the subnet appears at 300).
  for (
      const std::string extra :
      {R"("script": [{"at_block": 100, "do": "set_param", "path": "/subnets/7/kappa", "value": 0.6},
                      {"at_block": 300, "do": "create_subnet", "netuid": 7}],)",
       R"("proposals": {"p": {"at_block": 150, "voting_blocks": 10, "path": "/subnets/7/kappa", "value": 0.6}},
           "script": [{"at_block": 300, "do": "create_subnet", "netuid": 7}],)"}) {
    INFO(extra);
    auto loaded =
        subnetsim::scenario::load_scenario_text(scenario("yes", "yes", extra), "test.json");
    if (!loaded.ok()) {
      CHECK(loaded.diagnostics.to_string().find("/subnets/7") != std::string::npos);
      continue;
    }
    // (Once threw std::out_of_range "map::at" from config::apply_param / read_param.)
    Recorder rec;
    subnetsim::sim::Simulation sim(*loaded.scenario, {}, rec);
    subnetsim::sim::RunResult result;
    try {
      result = sim.run();
      CHECK(result.status == subnetsim::sim::RunStatus::kCompleted);
    } catch (const std::exception& e) {
      FAIL_CHECK("the run threw: " << e.what());
    }
  }
}

TEST_CASE("stake_shock on a staker group multiplies the stake it delegated",
          "[sim][governance][script][!mayfail]") {
  // A passive staker delegates 500 TAO to "small"; a 0.5 shock on the staker group at block 100
  // should take half of that position (burned), as it does for a validator's own stake.
  const Run r = run_ok(scenario(
      "abstain", "abstain",
      R"("script": [{"at_block": 100, "do": "stake_shock", "agent": "st", "factor": 0.5}],)", 600,
      R"(, "st": {"type": "passive_staker", "count": 1, "stake_tao": 500, "validator": "small"})"));
  const auto shocks = r.rec.of_kind("script");
  REQUIRE(shocks.size() == 1);
  // Fails today: Simulation::Impl::run_script's kStakeShock (src/sim/script.cpp) only scales
  // ledger.self_stake(rt.hotkey) and skips agents without a hotkey, so a staker group is untouched
  // (amount 0, nothing burned).
  CHECK(shocks[0].amount_rao > 250 * kTao);
  CHECK(r.result.burned_rao == shocks[0].amount_rao);
}

TEST_CASE("price_shock persists under a moving price model", "[sim][governance][script]") {
  SECTION("path: every later value of the path is scaled") {
    const Run r = run_ok(
        scenario("abstain", "abstain", R"("market": {"model": "path", "update_every_blocks": 50,
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
    const Run r = run_ok(
        scenario("abstain", "abstain",
                 R"("market": {"model": "gbm", "volatility_per_year": 0, "update_every_blocks": 25},
      "script": [{"at_block": 100, "do": "price_shock", "factor": 0.5}],)"));
    CHECK(r.result.final_price_usd == Approx(150.0));
  }
}

TEST_CASE("create_subnet: groups present from the start arrive with the subnet and run it",
          "[sim][governance][script]") {
  // Validators, miners and a staker of subnet 7 "at genesis": they register (free) and stake
  // when the subnet appears at block 300, then the subnet's epochs grade and pay them.
  const Run r = run_ok(
      scenario("abstain", "abstain",
               R"("script": [{"at_block": 300, "do": "create_subnet", "netuid": 7}],)", 700,
               R"(, "v7": {"type": "honest_validator", "count": 2, "subnet": 7, "stake_tao": 500},
                                    "m7": {"type": "honest_miner", "count": 3, "subnet": 7},
                                    "s7": {"type": "passive_staker", "count": 1, "subnet": 7, "stake_tao": 100, "validator": "v7"})"));
  std::size_t on_7 = 0;
  for (const auto& e : r.rec.of_kind("register"))
    if (e.netuid == 7) {
      ++on_7;
      CHECK(e.block == 300);
      CHECK(e.amount_rao == 0);
    }
  CHECK(on_7 == 5);
  const auto recs = r.rec.of_subnet(7);
  REQUIRE(recs.size() > 20);
  const auto& first = *recs.front();
  // Own stake from the first epoch; the staker's 100 TAO split over the two from its first
  // decision (the same block).
  CHECK(first.stake_rao[static_cast<std::size_t>(first.uid_of("v7/0"))] == 550 * kTao);
  CHECK(r.rec.mean(7, &E::incentive, "m7/0", 400) > 0.2);
  CHECK(r.rec.mean(7, &E::dividends, "v7/0", 400) == Approx(0.5).margin(0.02));
}

TEST_CASE(
    "proposal boundaries: the yes share must exceed the threshold, turnout must reach the quorum",
    "[sim][governance]") {
  // Closes at block 5, before any epoch: stakes are exactly 1000 TAO each.
  auto outcome = [](const std::string& y_vote, const std::string& n_vote, const std::string& quorum,
                    const std::string& threshold) {
    const Run r = run_ok(R"({"name": "b", "horizon_blocks": 50,
      "subnets": {"1": {}},
      "proposals": {"p": {"at_block": 0, "voting_blocks": 5, "path": "/subnets/1/kappa", "value": 0.6,
                          "quorum": )" +
                         quorum + R"(, "threshold": )" + threshold + R"(}},
      "agents": {"y": {"type": "honest_validator", "count": 1, "stake_tao": 1000, "vote": ")" +
                         y_vote + R"("},
                 "n": {"type": "honest_validator", "count": 1, "stake_tao": 1000, "vote": ")" +
                         n_vote + R"("}}})");
    const auto passed = r.rec.of_kind("vote_passed");
    return passed.size() == 1 && r.rec.of_kind("vote_failed").empty();
  };
  CHECK_FALSE(outcome("yes", "no", "0.5", "0.5"));  // yes share exactly 0.5: not more
  CHECK(outcome("yes", "no", "0.5", "0.49"));
  CHECK(outcome("yes", "abstain", "0.5", "0.5"));  // turnout exactly 0.5: enough
  CHECK_FALSE(outcome("yes", "abstain", "0.51", "0.5"));
}

TEST_CASE("create_subnet under a weights split: the new subnet can be given a weight",
          "[sim][governance][script][!mayfail]") {
  const std::string json = R"({"name": "w7", "horizon_blocks": 400,
    "emission": {"schedule": "flat", "tao_per_block": 1, "subnet_split": "weights", "subnet_weights": {"1": 1, "7": 1}},
    "subnets": {"1": {"tempo": 12}},
    "script": [{"at_block": 100, "do": "create_subnet", "netuid": 7}],
    "agents": {"v": {"type": "honest_validator", "count": 2, "stake_tao": 1000}}})";
  auto loaded = subnetsim::scenario::load_scenario_text(json, "test.json");
  // Fails today: check_references (src/scenario/check_references.cpp) requires every
  // /emission/subnet_weights netuid to exist at genesis, although script-created subnets count
  // as existing everywhere else; so under "weights" a created subnet can never get emission.
  INFO(loaded.diagnostics.to_string());
  REQUIRE(loaded.ok());
  const Run r = run(*loaded.scenario);
  CHECK(r.result.conservation_verified);
  // Owner cuts (18%): subnet 1 alone for blocks 1..99, then half each (the new owner's too).
  CHECK(r.rec.samples.back().total_balances_rao == 400 * 180'000'000ULL);
  CHECK(!r.rec.of_subnet(7).empty());
}
