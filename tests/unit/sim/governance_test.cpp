// Governance: a stake-weighted proposal passes or fails as its quorum and threshold say, and a
// passed one applies its change at its close (script events: script_test.cpp,
// create_subnet_test.cpp).
#include <catch2/catch.hpp>
#include <cmath>

#include "sim_test_support.hpp"
#include "voters_scenario.hpp"

using namespace sim_test;
using E = Epoch;

namespace {

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
  const Run r = run_ok(voters_scenario("yes", "abstain", kRaiseMinStake));
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
  // The loss is an event that says why, once (the miners, with little stake, lose theirs too);
  // the big validators keep theirs: no news.
  const auto lost = r.rec.of_kind("permit_lost", "small/0");
  REQUIRE(lost.size() == 1);
  CHECK(r.rec.of_kind("permit_lost", "big/0").empty());
  CHECK(r.rec.of_kind("permit_lost").size() == 9);
  CHECK(lost[0].agent == "small/0");
  CHECK(lost[0].block >= 200);
  CHECK(lost[0].threshold == 800.0);
  CHECK(lost[0].detail.find("below the minimum validator stake 800") != std::string::npos);
  // Without a permit it earns no more dividends.
  CHECK(r.rec.mean(1, &E::dividends, "small/0", 240) == 0.0);
  CHECK(r.rec.mean(1, &E::dividends, "small/0", 24, 190) > 0.05);
}

TEST_CASE("a permit lost to the stake threshold says so", "[sim][governance]") {
  // Raised to 50 TAO at block 25: b's 10 TAO counts as 0 in the epoch (spec §3.2), and a uid
  // without stake gets no permit, though b is well within the top 64. Once failed: the event
  // said its stake "is not among the top 64 of the subnet" (of 3 uids).
  const Run r = run_ok(R"({"name": "thr", "horizon_blocks": 40,
    "subnets": {"1": {"tempo": 10, "weights_rate_limit": 0}},
    "agents": {"a": {"type": "honest_validator", "count": 1, "stake_tao": 100, "noise": 0},
               "b": {"type": "honest_validator", "count": 1, "stake_tao": 10, "noise": 0},
               "m": {"type": "honest_miner", "count": 1,
                     "quality": {"dist": "constant", "value": 0.5}}},
    "script": [{"at_block": 25, "do": "set_param", "path": "subnets.1.stake_threshold_tao",
                "value": 50}]})");
  const auto lost = r.rec.of_kind("permit_lost", "b/0");
  REQUIRE(lost.size() == 1);
  CHECK(lost[0].block == 29);
  CHECK(lost[0].detail.find("is below the stake threshold 50 TAO, so it counts as 0") !=
        std::string::npos);
  CHECK(r.rec.of_kind("permit_lost", "a/0").empty());
}

TEST_CASE("proposal: fails without quorum, and nothing changes", "[sim][governance]") {
  // Only the small validator votes: 300 of about 2400 TAO staked.
  const Run r = run_ok(voters_scenario("abstain", "yes", kRaiseMinStake));
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
  const Run r = run_ok(voters_scenario("no", "yes", kRaiseMinStake));
  const auto failed = r.rec.of_kind("vote_failed");
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].measured < 0.2);
  CHECK(failed[0].measured > 0.1);
  CHECK(failed[0].detail.find("no quorum") == std::string::npos);
  CHECK(permits_of(r.rec, "small/0").back() == 1);
}

TEST_CASE("proposal: self_interest voters vote yes only when their stake meets the new minimum",
          "[sim][governance]") {
  const Run r = run_ok(voters_scenario("self_interest", "self_interest", kRaiseMinStake));
  const auto passed = r.rec.of_kind("vote_passed");
  REQUIRE(passed.size() == 1);
  // Big ones yes (about 2000 TAO), the small one no (about 300 TAO).
  CHECK(passed[0].measured > 0.8);
  CHECK(passed[0].measured < 0.9);
  CHECK(permits_of(r.rec, "small/0").back() == 0);
}

TEST_CASE(
    "proposal: self_interest judges the stake its permit rests on, and a change that cannot hurt "
    "it",
    "[sim][governance]") {
  // X holds 20,000 TAO and a nominator adds 10,000 on its hotkey: a minimum raised to 25,000
  // leaves it standing, so it votes yes (all of Y's and X's coldkey stake: 60,000 yes, the
  // nominator abstains). Once failed: its coldkey's own 20,000 was compared, and it voted no.
  auto run = [](const std::string& proposal, const std::string& initial) {
    return run_ok(R"({"name": "si", "seed": 1, "horizon_blocks": 60,
      "emission": {"schedule": "flat", "tao_per_block": 0},
      "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0, "min_validator_stake_tao": )" +
                  initial + R"(}},
      "agents": {"X": {"type": "honest_validator", "stake_tao": 20000, "vote": "self_interest"},
                 "Y": {"type": "honest_validator", "stake_tao": 40000, "vote": "yes"},
                 "N": {"type": "passive_staker", "count": 1, "balance_tao": 10000, "validator": "X"},
                 "m": {"type": "honest_miner", "count": 2}},
      "proposals": {"p": {"at_block": 15, "voting_blocks": 10,
                          "path": "/subnets/1/min_validator_stake_tao", "value": )" +
                  proposal + R"(, "quorum": 0.1, "threshold": 0.5}}})");
  };
  const Run raised = run("25000", "0");
  auto passed = raised.rec.of_kind("vote_passed");
  REQUIRE(passed.size() == 1);
  CHECK(passed[0].measured == 1.0);  // no "no" votes
  CHECK(passed[0].amount_rao == 60000 * kTao);
  // Raised to 35,000: now it would lose its standing, and votes no with its 20,000.
  const Run too_high = run("35000", "0");
  passed = too_high.rec.of_kind("vote_passed");
  REQUIRE(passed.size() == 1);
  CHECK(passed[0].measured == Approx(40000.0 / 60000.0));
  // A cut from 40,000 to 35,000 cannot cost X (30,000) a standing it does not have: yes.
  const Run cut = run("35000", "40000");
  passed = cut.rec.of_kind("vote_passed");
  REQUIRE(passed.size() == 1);
  CHECK(passed[0].measured == 1.0);
}

TEST_CASE(
    "proposal: self_interest abstains on another subnet's threshold, judges its own under defaults",
    "[sim][governance]") {
  // v1 (subnet 1, 100 TAO each) on subnet 2's minimum: nothing of theirs at stake, they abstain
  // and v2's yes carries it. Once failed: they voted no on a threshold that could not touch them.
  const std::string agents = R"("agents": {
      "v1": {"type": "honest_validator", "count": 2, "subnet": 1, "stake_tao": 100, "vote": "self_interest"},
      "m1": {"type": "honest_miner", "count": 3, "subnet": 1},
      "v2": {"type": "honest_validator", "count": 1, "subnet": 2, "stake_tao": 150, "vote": "yes"},
      "m2": {"type": "honest_miner", "count": 3, "subnet": 2}})";
  const Run other = run_ok(R"({"name": "si", "horizon_blocks": 300,
    "emission": {"schedule": "flat", "tao_per_block": 0},
    "subnets": {"1": {}, "2": {}},)" +
                           agents + R"(,
    "proposals": {"p": {"at_block": 50, "voting_blocks": 100, "path": "/subnets/2/min_validator_stake_tao",
                        "value": 120, "quorum": 0.1}}})");
  auto passed = other.rec.of_kind("vote_passed");
  REQUIRE(passed.size() == 1);
  CHECK(passed[0].measured == 1.0);
  // Set for every subnet while subnet 1 already asks 150: v1, below it, has no standing there to
  // lose, and votes yes. Once failed: judged against the defaults' 0, it voted no.
  const Run defaults = run_ok(R"({"name": "si2", "horizon_blocks": 300,
    "emission": {"schedule": "flat", "tao_per_block": 0},
    "subnets": {"1": {"min_validator_stake_tao": 150}, "2": {}},)" +
                              agents + R"(,
    "proposals": {"p": {"at_block": 50, "voting_blocks": 100, "path": "/subnet_defaults/min_validator_stake_tao",
                        "value": 200, "quorum": 0.1}}})");
  passed = defaults.rec.of_kind("vote_passed");
  REQUIRE(passed.size() == 1);
  CHECK(passed[0].measured == 1.0);
}

TEST_CASE("proposals closing in the same block apply in the order they opened",
          "[sim][governance]") {
  // "zeta" opens at block 5, "alpha" at 10; both close at 25 on the same parameter. The later
  // one's value stands. Once failed: they were applied by id, alpha first, and zeta's stood.
  const Run r = run_ok(voters_scenario("yes", "yes", R"("proposals": {
      "zeta": {"at_block": 5, "voting_blocks": 20, "path": "/subnets/1/min_validator_stake_tao", "value": 100, "quorum": 0.1},
      "alpha": {"at_block": 10, "voting_blocks": 15, "path": "/subnets/1/min_validator_stake_tao", "value": 200, "quorum": 0.1}},)",
                                       60));
  const auto passed = r.rec.of_kind("vote_passed");
  REQUIRE(passed.size() == 2);
  CHECK(passed[0].rule == "zeta");
  CHECK(passed[1].rule == "alpha");
  CHECK_THAT(passed[1].detail, Catch::EndsWith("min_validator_stake_tao 100 -> 200"));
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
