// The clock and the money supply: when subnets run epochs (LastEpochBlock staggering, the legacy
// modulo rule, MaxEpochsPerBlock), commit-reveal delays, what each emission schedule and split
// mints, and set_weights refusals recorded with their reasons.
#include <catch2/catch.hpp>
#include <map>

#include "sim_test_support.hpp"

using namespace sim_test;
using E = Epoch;

namespace {

const std::string kAgents = R"("agents": {
    "v": {"type": "honest_validator", "count": 2, "stake_tao": 1000, "subnet": "all"},
    "m": {"type": "honest_miner", "count": 4, "subnet": "all"}})";

std::map<std::uint16_t, std::vector<std::uint64_t>> epoch_blocks(const Recorder& rec) {
  std::map<std::uint16_t, std::vector<std::uint64_t>> out;
  for (const auto& e : rec.epochs) out[e.netuid].push_back(e.block);
  return out;
}

}  // namespace

TEST_CASE("schedule: LastEpochBlock starts at -(netuid mod tempo), then every tempo blocks",
          "[sim][schedule]") {
  const Run r = run_ok(R"({"name": "s", "horizon_blocks": 300,
    "subnets": {"1": {"tempo": 12}, "5": {"tempo": 12}, "30": {"tempo": 7}},)" +
                       kAgents + "}");
  const auto blocks = epoch_blocks(r.rec);
  // netuid 1: 12 - 1 = 11; netuid 5: 12 - 5 = 7; netuid 30: 7 - 30 mod 7 = 5.
  for (const auto& [netuid, first, tempo] :
       {std::tuple{1, 11u, 12u}, std::tuple{5, 7u, 12u}, std::tuple{30, 5u, 7u}}) {
    INFO("netuid " << netuid);
    const auto& b = blocks.at(static_cast<std::uint16_t>(netuid));
    CHECK(b.front() == first);
    for (std::size_t k = 1; k < b.size(); ++k) CHECK(b[k] - b[k - 1] == tempo);
    CHECK(b.back() + tempo > 300);
  }
}

TEST_CASE("schedule: legacy_modulo runs epochs where (block + netuid + 1) % (tempo + 1) == 0",
          "[sim][schedule]") {
  const Run r =
      run_ok(R"({"name": "s", "horizon_blocks": 300, "chain": {"epoch_schedule": "legacy_modulo"},
    "subnets": {"1": {"tempo": 12}, "4": {"tempo": 9}},)" +
             kAgents + "}");
  const auto blocks = epoch_blocks(r.rec);
  for (const auto& [netuid, b] : blocks) {
    const std::uint64_t tempo = netuid == 1 ? 12 : 9;
    std::size_t expected = 0;
    for (std::uint64_t x = 1; x <= 300; ++x) expected += (x + netuid + 1) % (tempo + 1) == 0;
    CHECK(b.size() == expected);
    for (auto x : b) CHECK((x + netuid + 1) % (tempo + 1) == 0);
  }
}

TEST_CASE("schedule: at most max_epochs_per_block epochs a block, the rest wait a block",
          "[sim][schedule]") {
  // Netuids 1, 13 and 25 stagger alike under tempo 12: all due at block 11.
  const Run r = run_ok(R"({"name": "s", "horizon_blocks": 120, "chain": {"max_epochs_per_block": 2},
    "subnets": {"1": {}, "13": {}, "25": {}},)" +
                       kAgents + "}");
  const auto blocks = epoch_blocks(r.rec);
  CHECK(blocks.at(1).front() == 11);
  CHECK(blocks.at(13).front() == 11);
  CHECK(blocks.at(25).front() == 12);
  std::map<std::uint64_t, int> per_block;
  for (const auto& e : r.rec.epochs) ++per_block[e.block];
  for (const auto& [b, count] : per_block) CHECK(count <= 2);
}

TEST_CASE(
    "schedule: a deferred epoch competes again in netuid order, as the chain walks its subnets",
    "[sim][schedule]") {
  // Tempo 10, one epoch a block: netuids 1 and 11 are due at block 9 (1 runs, 11 waits), 20 at
  // 10. The chain walks the subnets in netuid order at block 10, so 11 (still due) runs there and
  // 20 waits for block 11. Once failed: the deferred 11 went after the newly due 20, twice.
  const Run r = run_ok(R"({"name": "s", "horizon_blocks": 45, "chain": {"max_epochs_per_block": 1},
    "subnets": {"1": {"tempo": 10}, "11": {"tempo": 10}, "20": {"tempo": 10}},)" +
                       kAgents + "}");
  const auto blocks = epoch_blocks(r.rec);
  CHECK(blocks.at(1) == std::vector<std::uint64_t>{9, 19, 29, 39});
  CHECK(blocks.at(11) == std::vector<std::uint64_t>{10, 20, 30, 40});
  CHECK(blocks.at(20) == std::vector<std::uint64_t>{11, 21, 31, 41});
  // Beyond 255 the chain's order is that of the netuids' little-endian bytes: 256 (00 01)
  // before 6 (06 00). Both are due at block 4 (LastEpochBlock -6 under tempo 10).
  const Run wide =
      run_ok(R"({"name": "s", "horizon_blocks": 20, "chain": {"max_epochs_per_block": 1},
    "subnets": {"6": {"tempo": 10}, "256": {"tempo": 10}},)" +
             kAgents + "}");
  const auto order = epoch_blocks(wide.rec);
  CHECK(order.at(256).front() == 4);
  CHECK(order.at(6).front() == 5);
}

TEST_CASE("commit-reveal: weights count at the reveal_period_epochs-th epoch after the commit",
          "[sim][schedule]") {
  // The first weights are set in the second epoch (record 1, once permits exist); without
  // commit-reveal they give the miners incentive at once. On chain a commit is filed under the
  // epoch index it is made in and revealed at the start of the block whose epoch makes that
  // index + period, before that epoch runs: with a period of 1 the weights count in the same
  // epoch (hidden until then), with 2 one epoch later. Once failed: each period counted one
  // epoch late (records 2 and 3).
  auto first_incentive = [](const std::string& subnet) {
    const Run r = run_ok(R"({"name": "cr", "horizon_blocks": 200,
      "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0)" +
                         subnet + R"(}},)" + kAgents + "}");
    const auto recs = r.rec.of_subnet(1);
    for (std::size_t k = 0; k < recs.size(); ++k)
      if (Recorder::value(*recs[k], &E::incentive, "m/0") > 0.0) return k;
    return recs.size();
  };
  CHECK(first_incentive("") == 1);
  CHECK(first_incentive(R"(, "commit_reveal": true, "reveal_period_epochs": 1)") == 1);
  CHECK(first_incentive(R"(, "commit_reveal": true, "reveal_period_epochs": 2)") == 2);
  CHECK(first_incentive(R"(, "commit_reveal": true, "reveal_period_epochs": 3)") == 3);
}

TEST_CASE("commit-reveal: a reveal leaves last_update at the latest commit", "[sim][schedule]") {
  // Tempo 10 and a reveal period of 20 epochs, longer than the activity cutoff (5000 x 10 /
  // 360 = 138 blocks): the first reveal comes at block 209 and the validator commits every
  // epoch, so it stays active. Once failed: each reveal set last_update back to its own commit
  // block, 200 blocks old, and the validator was inactive at every epoch (no incentive ever).
  const Run r = run_ok(R"({"name": "cr20", "horizon_blocks": 300,
    "subnets": {"1": {"tempo": 10, "weights_rate_limit": 0, "commit_reveal": true,
                      "reveal_period_epochs": 20}},
    "agents": {"v": {"type": "honest_validator", "count": 1, "stake_tao": 100, "noise": 0},
               "m": {"type": "honest_miner", "count": 1,
                     "quality": {"dist": "constant", "value": 0.5}}}})");
  const auto recs = r.rec.of_subnet(1);
  REQUIRE(!recs.empty());
  CHECK(recs.back()->block > 209);
  CHECK(Recorder::value(*recs.back(), &E::incentive, "m/0") == 1.0);
}

TEST_CASE("commit-reveal: a pruned validator's pending commit is not revealed for its successor",
          "[sim][schedule]") {
  // small/0 commits at block 19; joiner/0, a miner, takes its uid in the same block. On chain
  // the commit is the pruned hotkey's and its reveal fails. Once failed: it was revealed as
  // joiner/0's weights, and a miner that never set weights earned validator trust.
  const Run r = run_ok(R"({"name": "crprune", "horizon_blocks": 40,
    "subnets": {"1": {"tempo": 10, "weights_rate_limit": 0, "commit_reveal": true,
                      "reveal_period_epochs": 1, "max_allowed_uids": 3, "immunity_period": 0,
                      "min_non_immune_uids": 0}},
    "agents": {
      "big": {"type": "honest_validator", "count": 1, "stake_tao": 100, "noise": 0},
      "small": {"type": "honest_validator", "count": 1, "stake_tao": 1, "noise": 0},
      "m": {"type": "honest_miner", "count": 1, "stake_tao": 50,
            "quality": {"dist": "constant", "value": 0.5}},
      "joiner": {"type": "honest_miner", "count": 1, "join_block": 19, "stake_tao": 10,
                 "balance_tao": 5, "quality": {"dist": "constant", "value": 0.5}}}})");
  const auto prunes = r.rec.of_kind("prune");
  REQUIRE(prunes.size() == 1);
  CHECK(prunes[0].agent == "small/0");
  CHECK(prunes[0].block == 19);
  bool seen = false;
  for (const auto* e : r.rec.of_subnet(1)) {
    if (e->uid_of("joiner/0") < 0) continue;
    seen = true;
    CHECK(Recorder::value(*e, &E::validator_trust, "joiner/0") == 0.0);
    CHECK(Recorder::value(*e, &E::dividends, "joiner/0") == 0.0);
    CHECK(Recorder::value(*e, &E::bond_total, "joiner/0") == 0.0);
  }
  CHECK(seen);
}

TEST_CASE("commit-reveal: the weights rules are checked at the reveal, as on chain",
          "[sim][schedule]") {
  // The chain cannot read a timelocked commit: it takes it (last_update moves) and checks the
  // weights rules when the reveal sets the weights. Here min_allowed_weights is 2 of n = 2 and
  // the validator's row holds the miner alone. Once failed: the commit itself was refused, as
  // a "set_weights" refusal at the commit's block.
  const Run r = run_ok(R"({"name": "crrules", "horizon_blocks": 60,
    "subnets": {"1": {"tempo": 10, "weights_rate_limit": 0, "commit_reveal": true,
                      "reveal_period_epochs": 1, "min_allowed_weights": 2}},
    "agents": {"v": {"type": "honest_validator", "count": 1, "stake_tao": 100, "noise": 0},
               "m": {"type": "honest_miner", "count": 1,
                     "quality": {"dist": "constant", "value": 0.5}}}})");
  const auto refused = r.rec.of_kind("refuse");
  REQUIRE(!refused.empty());
  for (const auto& e : refused) {
    CHECK(e.rule == "reveal_weights");
    CHECK(e.agent == "v/0");
    CHECK(e.detail.find("committed at block") != std::string::npos);
  }
  // Never stored: the miner is never paid an incentive.
  for (const auto* e : r.rec.of_subnet(1)) CHECK(Recorder::value(*e, &E::incentive, "m/0") == 0.0);
}

TEST_CASE("commit-reveal: a reveal is refused when the stake fell below the threshold since",
          "[sim][schedule]") {
  // A stake threshold above the validator's stake, set at block 25 after its commit at block
  // 19 (revealed two epochs on, at block 29): at the reveal the chain's set_weights finds too
  // little stake. Once failed: the row committed with enough stake was stored whatever had
  // changed since.
  const Run r = run_ok(R"({"name": "crstake", "horizon_blocks": 45,
    "subnets": {"1": {"tempo": 10, "weights_rate_limit": 0, "commit_reveal": true,
                      "reveal_period_epochs": 2}},
    "agents": {"v": {"type": "honest_validator", "count": 1, "stake_tao": 100, "noise": 0},
               "m": {"type": "honest_miner", "count": 1,
                     "quality": {"dist": "constant", "value": 0.5}}},
    "script": [{"at_block": 25, "do": "set_param", "path": "/subnets/1/stake_threshold_tao",
                "value": 1000}]})");
  std::vector<subnetsim::metrics::EventRecord> reveals, commits;
  for (const auto& e : r.rec.of_kind("refuse"))
    (e.rule == "reveal_weights" ? reveals : commits).push_back(e);
  REQUIRE(reveals.size() == 1);
  CHECK(reveals[0].block == 29);
  CHECK(reveals[0].detail.find("stake below stake_threshold") == 0);
  CHECK(reveals[0].detail.find("(committed at block 19)") != std::string::npos);
  // The next commit, at block 29, is refused at once: the chain's transaction extension checks
  // the stake threshold before it takes a commit (check_weights_min_stake).
  REQUIRE(commits.size() == 1);
  CHECK(commits[0].rule == "set_weights");
  CHECK(commits[0].block == 29);
  CHECK(commits[0].detail.find("stake below stake_threshold") == 0);
}

TEST_CASE("commit-reveal switched off: a pending reveal is an ordinary set_weights",
          "[sim][schedule]") {
  // Commits at blocks 29 and 39 (S1, revealed two epochs on); commit-reveal goes off at block
  // 45; at block 49 the validator sets S2 directly (last_update 49), then the reveal of its
  // block-39 commit comes: the chain's set_weights now applies the rate limit and refuses it,
  // so S2 stands. Once failed: the reveal skipped the rate limit and overwrote S2 with the
  // stale S1 (S1 paid at block 49).
  const Run r = run_ok(R"({"name": "crtoggle", "horizon_blocks": 60,
    "subnets": {"1": {"tempo": 10, "weights_rate_limit": 5, "commit_reveal": true,
                      "reveal_period_epochs": 2}},
    "agents": {
      "s1": {"type": "honest_miner", "quality": {"dist": "constant", "value": 0.5}},
      "s2": {"type": "honest_miner", "quality": {"dist": "constant", "value": 0.5}},
      "a": {"type": "scripted_validator", "stake_tao": 100, "schedule": [
        {"from_epoch": 0, "weights": {"s1": 1}}, {"from_epoch": 4, "weights": {"s2": 1}}]}},
    "script": [{"at_block": 45, "do": "set_param", "path": "/subnets/1/commit_reveal",
                "value": 0}]})");
  const auto refused = r.rec.of_kind("refuse");
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].block == 49);
  CHECK(refused[0].rule == "reveal_weights");
  CHECK(refused[0].detail ==
        "rate limited: 0 blocks since the last weights, limit 5 (committed at block 39)");
  for (const auto* e : r.rec.of_subnet(1)) {
    if (e->block == 39) CHECK(Recorder::value(*e, &E::incentive, "s1/0") == 1.0);
    if (e->block == 49) CHECK(Recorder::value(*e, &E::incentive, "s2/0") == 1.0);
  }
}

TEST_CASE("commit-reveal: the reveal period is read at the reveal, and a passed one expires",
          "[sim][schedule]") {
  // Period 3; the commit of block 19 (filed under epoch 1) is due at the epoch of block 39. At
  // block 25 the period becomes 1: at block 29 the chain reveals the commits filed one epoch
  // back (the one made just before, at block 29) and drops the older one unrevealed. Once
  // failed: the reveal epoch was fixed at the commit, and the block-19 commit was revealed at
  // block 39, over the newer weights.
  const Run r = run_ok(R"({"name": "crperiod", "horizon_blocks": 50,
    "subnets": {"1": {"tempo": 10, "weights_rate_limit": 0, "commit_reveal": true,
                      "reveal_period_epochs": 3}},
    "agents": {"v": {"type": "honest_validator", "count": 1, "stake_tao": 100, "noise": 0},
               "m": {"type": "honest_miner", "count": 1,
                     "quality": {"dist": "constant", "value": 0.5}}},
    "script": [{"at_block": 25, "do": "set_param", "path": "/subnets/1/reveal_period_epochs",
                "value": 1}]})");
  const auto refused = r.rec.of_kind("refuse");
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].block == 29);
  CHECK(refused[0].rule == "reveal_weights");
  CHECK(refused[0].detail ==
        "expired unrevealed: reveal_period_epochs is 1, so its reveal epoch has passed "
        "(committed at block 19)");
  for (const auto* e : r.rec.of_subnet(1))
    CHECK(Recorder::value(*e, &E::incentive, "m/0") == (e->block >= 29 ? 1.0 : 0.0));
}

TEST_CASE("emission: halving at half the supply", "[sim][schedule]") {
  // Genesis 2 x 1000 TAO staked of a 4000 TAO supply: 1 TAO a block until issuance reaches 2000
  // TAO... it already has; so 0.5 TAO a block until 3000 TAO (block 2000 is past the horizon).
  const Run r = run_ok(R"({"name": "h", "horizon_blocks": 1000, "chain": {"total_supply_tao": 4000},
    "emission": {"schedule": "halving", "tao_per_block": 1},
    "subnets": {"1": {}},)" +
                       kAgents + "}");
  CHECK(r.result.issuance_rao == 2000 * kTao + 1000 * kTao / 2);
  // From 1000 TAO at genesis the rate halves at the block issuance reaches 2000.
  const Run r2 =
      run_ok(R"({"name": "h", "horizon_blocks": 1500, "chain": {"total_supply_tao": 4000},
    "emission": {"schedule": "halving", "tao_per_block": 1},
    "subnets": {"1": {}},
    "agents": {"v": {"type": "honest_validator", "count": 1, "stake_tao": 1000}, "m": {"type": "honest_miner", "count": 2}}})");
  CHECK(r2.result.issuance_rao == 2000 * kTao + 500 * kTao / 2);
}

TEST_CASE("emission: yearly decay steps once a year, table steps at its blocks",
          "[sim][schedule]") {
  const Run decay = run_ok(R"({"name": "y", "horizon_blocks": 600,
    "emission": {"schedule": "yearly_decay", "tao_per_block": 1, "yearly_decay": 0.5, "blocks_per_year": 200},
    "subnets": {"1": {}},)" +
                           kAgents + "}");
  // Rate 1 for blocks 1..199 (year 0), 0.5 for 200..399, 0.25 for 400..599, 0.125 at 600.
  CHECK(decay.result.issuance_rao ==
        2000 * kTao + 199 * kTao + 200 * kTao / 2 + 200 * kTao / 4 + kTao / 8);
  const Run table = run_ok(R"({"name": "t", "horizon_blocks": 600,
    "emission": {"schedule": "table", "table": [{"from_block": 100, "tao_per_block": 2}, {"from_block": 401, "tao_per_block": 0.5}]},
    "subnets": {"1": {}},)" +
                           kAgents + "}");
  // 0 before block 100, 2 for 100..400, 0.5 for 401..600.
  CHECK(table.result.issuance_rao == 2000 * kTao + 301 * 2 * kTao + 200 * kTao / 2);
}

TEST_CASE("emission split: the owner's 18% lands in its balance, subnets by weight",
          "[sim][schedule]") {
  // Nobody else holds a free balance: balances are exactly the owners' cuts.
  const Run r = run_ok(R"({"name": "w", "horizon_blocks": 600,
    "emission": {"schedule": "flat", "tao_per_block": 1, "subnet_split": "weights", "subnet_weights": {"1": 3, "2": 1}},
    "subnets": {"1": {"tempo": 10, "weights_rate_limit": 0}, "2": {"tempo": 10, "weights_rate_limit": 0}},)" +
                       kAgents + "}");
  // Per block: subnet 1 gets 0.75 TAO, subnet 2 0.25; the owner floor(x * 11796/65535) of each
  // (the chain's "18%").
  CHECK(r.rec.samples.back().total_balances_rao == 600ULL * (134'996'566 + 44'998'855));
  std::uint64_t paid1 = 0, paid2 = 0;
  for (const auto& e : r.rec.epochs)
    for (auto p : e.paid_rao) (e.netuid == 1 ? paid1 : paid2) += p;
  CHECK(static_cast<double>(paid1) / static_cast<double>(paid2) == Approx(3.0).epsilon(0.02));
  CHECK(paid1 <= 600 * 615'000'000ULL);  // at most the miners' and validators' 82%
}

TEST_CASE(
    "emission split by stake: a subnet with three times the stake gets three times the emission",
    "[sim][schedule]") {
  const Run r = run_ok(R"({"name": "st", "horizon_blocks": 600,
    "emission": {"schedule": "flat", "tao_per_block": 1, "subnet_split": "stake"},
    "subnets": {"1": {"tempo": 10, "weights_rate_limit": 0}, "2": {"tempo": 10, "weights_rate_limit": 0}},
    "agents": {
      "a": {"type": "honest_validator", "count": 3, "stake_tao": 1000, "subnet": 1},
      "b": {"type": "honest_validator", "count": 1, "stake_tao": 1000, "subnet": 2},
      "m": {"type": "honest_miner", "count": 4, "subnet": "all"}}})");
  std::uint64_t paid1 = 0, paid2 = 0;
  for (const auto& e : r.rec.epochs)
    for (auto p : e.paid_rao) (e.netuid == 1 ? paid1 : paid2) += p;
  // Both grow in proportion to what they receive, so the 3:1 ratio holds all along.
  CHECK(static_cast<double>(paid1) / static_cast<double>(paid2) == Approx(3.0).epsilon(0.02));
}

TEST_CASE("honest validator with weights_every_blocks sets weights that often", "[sim][schedule]") {
  // Every 36 blocks = every third epoch; with a cutoff of half a tempo its dividends show when.
  const Run r = run_ok(R"({"name": "every", "horizon_blocks": 600,
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0, "activity_cutoff_factor_milli": 500}},
    "agents": {
      "v": {"type": "honest_validator", "count": 2, "stake_tao": 1000},
      "slow": {"type": "honest_validator", "count": 1, "stake_tao": 1000, "weights_every_blocks": 36},
      "m": {"type": "honest_miner", "count": 4}}})");
  std::size_t paid = 0, epochs = 0;
  for (const auto* e : r.rec.of_subnet(1)) {
    if (e->epoch < 3) continue;
    ++epochs;
    paid += Recorder::value(*e, &E::dividends, "slow/0") > 0.0;
  }
  CAPTURE(paid, epochs);
  CHECK(paid >= epochs / 3 - 1);
  CHECK(paid <= epochs / 3 + 1);
}

TEST_CASE("weights_every_blocks counts from a validator's last weights, not from block 0",
          "[sim][schedule]") {
  // Every 100 blocks on a tempo of 12: the first weights go in at the first epoch with a permit,
  // as the others' do (they waited until block 100 before).
  const Run r = run_ok(R"({"name": "every", "horizon_blocks": 240,
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0}},
    "agents": {
      "v": {"type": "honest_validator", "count": 2, "stake_tao": 1000},
      "slow": {"type": "honest_validator", "count": 1, "stake_tao": 1000, "weights_every_blocks": 100},
      "m": {"type": "honest_miner", "count": 4}}})");
  auto first_paid = [&](const std::string& agent) {
    for (const auto* e : r.rec.of_subnet(1))
      if (Recorder::value(*e, &E::dividends, agent) > 0.0) return e->epoch;
    return std::uint64_t{0};
  };
  REQUIRE(first_paid("v/0") > 0);
  CHECK(first_paid("slow/0") == first_paid("v/0"));
}

TEST_CASE("emission split: guide sends 20% to the treasury and 6% to the community",
          "[sim][schedule]") {
  const Run r = run_ok(R"({"name": "g", "horizon_blocks": 600,
    "emission": {"schedule": "flat", "tao_per_block": 1},
    "subnets": {"1": {"emission_split": {"preset": "guide"}}},)" +
                       kAgents + "}");
  CHECK(r.rec.samples.back().total_balances_rao == 600 * 260'000'000ULL);
}

TEST_CASE("refused set_weights are recorded with the chain's reason", "[sim][schedule]") {
  SECTION("fewer than min_allowed_weights") {
    const Run r = run_ok(R"({"name": "r", "horizon_blocks": 100,
      "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0, "min_allowed_weights": 6}},)" +
                         kAgents + "}");
    const auto refused = r.rec.of_kind("refuse");
    REQUIRE(!refused.empty());
    for (const auto& e : refused) {
      CHECK(e.rule == "set_weights");
      CHECK(e.detail == "fewer than min_allowed_weights: 4 weights, the minimum is 6");
      CHECK(e.agent.rfind("v/", 0) == 0);
    }
    CHECK(r.result.refused_actions == refused.size());
    CHECK(r.rec.mean(1, &E::incentive, "m/0") == 0.0);  // no weights, no incentive
  }
  SECTION("a weight above max_weights_limit") {
    const Run r = run_ok(R"({"name": "r", "horizon_blocks": 100,
      "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0, "max_weights_limit": 0.1}},)" +
                         kAgents + "}");
    const auto refused = r.rec.of_kind("refuse");
    REQUIRE(!refused.empty());
    for (const auto& e : refused)
      CHECK(e.detail.rfind("largest weight exceeds max_weights_limit: ", 0) == 0);
  }
  SECTION("max_weights_limit compares as the chain's u16 ratio, in I32F32") {
    // 0.5 is stored as 32768/65535; the row (65535, 65534) has a largest share of
    // 65535/131069, above 0.5 but within that ratio, so the chain takes it. (Once refused: the
    // share was compared in double against 0.5.)
    const Run r = run_ok(R"({"name": "r", "horizon_blocks": 40,
      "subnets": {"1": {"tempo": 10, "weights_rate_limit": 0, "max_weights_limit": 0.5}},
      "agents": {
        "v": {"type": "scripted_validator", "count": 1, "stake_tao": 100,
              "schedule": [{"from_epoch": 0, "weights": {"a": 65535, "b": 65534}}]},
        "a": {"type": "honest_miner", "count": 1, "quality": {"dist": "constant", "value": 0.5}},
        "b": {"type": "honest_miner", "count": 1, "quality": {"dist": "constant", "value": 0.5}}}})");
    CHECK(r.rec.of_kind("refuse").empty());
    CHECK(r.rec.mean(1, &E::incentive, "a/0") > 0.3);  // 0.5 in every epoch after the first
  }
}

TEST_CASE("global samples every outputs.every_epochs epochs of the fastest subnet, and at the end",
          "[sim][schedule]") {
  const Run r = run_ok(R"({"name": "samples", "horizon_blocks": 250, "outputs": {"every_epochs": 5},
    "subnets": {"1": {"tempo": 12}, "2": {"tempo": 20}},)" +
                       kAgents + "}");
  std::vector<std::uint64_t> blocks;
  for (const auto& s : r.rec.samples) blocks.push_back(s.block);
  CHECK(blocks == std::vector<std::uint64_t>{60, 120, 180, 240, 250});
}

TEST_CASE("emission goes on above 2^63 rao of issuance, up to a supply of 1.8e10 TAO",
          "[sim][schedule]") {
  // Issued 1e10 TAO at block 0 (about 1.08 x 2^63 rao): the issuance read 2^63 rao and the run
  // emitted nothing, with conservation "verified".
  const Run r = run_ok(R"({"name": "big", "horizon_blocks": 24,
    "emission": {"schedule": "flat", "tao_per_block": 1},
    "chain": {"total_supply_tao": 18000000000, "initial_issuance_tao": 10000000000},
    "subnets": {"1": {}},)" +
                       kAgents + "}");
  // 1e10 TAO, the agents' 2 x 1,000 TAO of stake, and 24 blocks of 1 TAO.
  CHECK(r.result.issuance_rao ==
        10'000'000'000'000'000'000ULL + 2000 * 1'000'000'000ULL + 24 * 1'000'000'000ULL);
}
