// The behaviours the classic Yuma cases need: scripted validators (weights from a schedule),
// winner-takes-all graders, and the move_stake script action.
#include <catch2/catch.hpp>

#include "sim_test_support.hpp"

using namespace sim_test;
using E = Epoch;

namespace {

// One subnet, tempo 10, weights every epoch, flat 1 TAO/block, 20 epochs; `agents` and `extra`
// (more top-level members, each followed by a comma) spliced in.
std::string scenario(const std::string& agents, const std::string& extra = "") {
  return R"({"name": "cases-agents", "seed": 5, "horizon_blocks": 200,
    "emission": {"schedule": "flat", "tao_per_block": 1},)" +
         extra + R"(
    "subnets": {"1": {"tempo": 10, "weights_rate_limit": 0, "max_allowed_validators": 3,
                      "min_validator_stake_tao": 100}},
    "agents": {)" +
         agents + "}}";
}

const std::string kMiners = R"(
    "S1": {"type": "honest_miner", "quality": {"dist": "constant", "value": 0.5}},
    "S2": {"type": "honest_miner", "count": 2, "quality": {"dist": "constant", "value": 0.5}})";

// Incentive of a group in the record of epoch `epoch` of subnet 1.
double incentive_at(const Run& r, const std::string& group, std::uint64_t epoch) {
  for (const auto* e : r.rec.of_subnet(1))
    if (e->epoch == epoch) {
      double sum = 0.0;
      for (std::size_t u = 0; u < e->n(); ++u)
        if (e->agent[u].rfind(group + "/", 0) == 0) sum += e->incentive[u];
      return sum;
    }
  FAIL("no record of epoch " << epoch);
  return 0.0;
}

}  // namespace

TEST_CASE("scripted validator: weights follow the schedule, from the epoch each step names",
          "[sim][agents][cases]") {
  const Run r = run_ok(scenario(kMiners + R"(,
    "A": {"type": "scripted_validator", "stake_tao": 1000,
          "schedule": [{"from_epoch": 0, "weights": {"S1": 1}}, {"from_epoch": 6, "weights": {"S2": 1}}]},
    "B": {"type": "scripted_validator", "stake_tao": 1000,
          "schedule": [{"from_epoch": 2, "weights": {"S1": 3, "S2/1": 1}}, {"from_epoch": 6, "weights": {"S2": 1}}]})"));
  // Epoch 1: nobody holds a permit yet, so no weights count.
  CHECK(incentive_at(r, "S1", 1) == 0.0);
  CHECK(incentive_at(r, "S2", 1) == 0.0);
  // Epochs 2-5: A all on S1, B 3:1 on S1 and S2/1 (its other member gets nothing). Each of the
  // two equal stakes holds at least kappa (0.49999), so consensus is the larger weight and
  // nothing is clipped: incentive is the mean of the rows, S1 (1 + 0.75) / 2, S2/1 0.25 / 2.
  for (std::uint64_t e = 2; e <= 5; ++e) {
    CAPTURE(e);
    CHECK(incentive_at(r, "S1", e) == Approx(0.875).margin(1e-4));
    CHECK(incentive_at(r, "S2", e) == Approx(0.125).margin(1e-4));
  }
  for (const auto* e : r.rec.of_subnet(1))
    if (e->epoch >= 2 && e->epoch <= 5) CHECK(Recorder::value(*e, &E::incentive, "S2/0") == 0.0);
  // From epoch 6 both weight S2, split evenly over its two members.
  for (std::uint64_t e = 6; e <= 20; ++e) {
    CAPTURE(e);
    CHECK(incentive_at(r, "S1", e) == 0.0);
    CHECK(incentive_at(r, "S2", e) == Approx(1.0).margin(1e-4));
  }
  const E& last = *r.rec.of_subnet(1).back();
  CHECK(Recorder::value(last, &E::incentive, "S2/0") == Approx(0.5).margin(1e-4));
  CHECK(Recorder::value(last, &E::consensus, "S2/1") == Approx(0.5).margin(1e-4));
  // Validator trust: both validators' rows are at consensus after the switch.
  CHECK(Recorder::value(last, &E::validator_trust, "B/0") == Approx(1.0).margin(1e-4));
}

TEST_CASE("scripted validator: a single-member target gets the whole step weight",
          "[sim][agents][cases]") {
  // One validator alone is the consensus: its weights are the incentive, 3:1.
  const Run r = run_ok(scenario(kMiners + R"(,
    "A": {"type": "scripted_validator", "stake_tao": 1000,
          "schedule": [{"from_epoch": 0, "weights": {"S1": 3, "S2/1": 1}}]})"));
  const E& last = *r.rec.of_subnet(1).back();
  CHECK(Recorder::value(last, &E::incentive, "S1/0") == Approx(0.75).margin(1e-4));
  CHECK(Recorder::value(last, &E::incentive, "S2/1") == Approx(0.25).margin(1e-4));
  CHECK(Recorder::value(last, &E::incentive, "S2/0") == 0.0);
}

TEST_CASE("honest validator with winner_takes_all: one-hot rows at its best observation",
          "[sim][agents][cases]") {
  const std::string miners = R"(
    "hi": {"type": "honest_miner", "quality": {"dist": "constant", "value": 0.6}},
    "lo": {"type": "honest_miner", "count": 2, "quality": {"dist": "constant", "value": 0.4}})";
  auto graders = [](const std::string& wta) {
    return R"(, "v": {"type": "honest_validator", "count": 3, "stake_tao": 1000, "noise": 0.01,
                     "winner_takes_all": )" + wta + "}";
  };
  const Run one_hot = run_ok(scenario(miners + graders("true")));
  const Run proportional = run_ok(scenario(miners + graders("false")));
  // Noise 0.01 never swaps 0.6 and 0.4: every row is all on "hi".
  CHECK(one_hot.rec.group_mean(1, &E::incentive, "hi", 20) == Approx(1.0).margin(1e-4));
  CHECK(one_hot.rec.group_mean(1, &E::incentive, "lo", 20) == 0.0);
  // Without it, weights are proportional to quality: 0.6 / (0.6 + 2 x 0.4).
  CHECK(proportional.rec.group_mean(1, &E::incentive, "hi", 20) == Approx(0.6 / 1.4).margin(0.01));

  // With noise that often swaps them, a validator still gives each row a single miner.
  const Run noisy = run_ok(scenario(miners + R"(, "v": {"type": "honest_validator", "count": 1,
      "stake_tao": 1000, "noise": 0.3, "winner_takes_all": true})"));
  std::size_t epochs = 0, lo_wins = 0;
  for (const auto* e : noisy.rec.of_subnet(1)) {
    if (e->epoch < 2) continue;
    ++epochs;
    std::size_t winners = 0;
    for (std::size_t u = 0; u < e->n(); ++u) winners += e->incentive[u] > 0.999 ? 1 : 0;
    CHECK(winners == 1);
    lo_wins += Recorder::value(*e, &E::incentive, "hi/0") < 0.5 ? 1 : 0;
  }
  CHECK(epochs == 19);
  CHECK(lo_wins > 0);  // the noise does pick a worse miner sometimes
}

TEST_CASE("move_stake: a group's self-stake moves onto another group's hotkeys, nothing is lost",
          "[sim][script][cases]") {
  const Run r = run_ok(scenario(kMiners + R"(,
    "A": {"type": "scripted_validator", "stake_tao": 8000, "schedule": [{"from_epoch": 0, "weights": {"S1": 1}}]},
    "B": {"type": "scripted_validator", "stake_tao": 1000, "schedule": [{"from_epoch": 0, "weights": {"S1": 1}}]},
    "C": {"type": "scripted_validator", "count": 2, "stake_tao": 500, "schedule": [{"from_epoch": 0, "weights": {"S1": 1}}]})",
                                R"("script": [{"at_block": 105, "do": "move_stake", "from": "C", "to": "B", "fraction": 1}],)"));
  const auto moves = r.rec.of_kind("script", "C");
  REQUIRE(moves.size() == 1);
  CHECK(moves[0].block == 105);
  CHECK(moves[0].rule == "move_stake");
  CHECK(moves[0].destination == "B");
  // Both C agents' own stake, grown by their dividends over 10 epochs.
  CHECK(moves[0].amount_rao > 1000 * kTao);
  CHECK(moves[0].amount_rao < 1010 * kTao);
  // Before the move: 80/10/10%; after: C's hotkeys hold nothing, B's holds what C moved.
  const auto recs = r.rec.of_subnet(1);
  const E* before = nullptr;
  const E* after = nullptr;
  for (const auto* e : recs) {
    if (e->block < 105) before = e;
    if (e->block > 105 && after == nullptr) after = e;
  }
  REQUIRE(before != nullptr);
  REQUIRE(after != nullptr);
  auto stake = [](const E& e, const std::string& agent) {
    const int u = e.uid_of(agent);
    REQUIRE(u >= 0);
    return e.stake_rao[static_cast<std::size_t>(u)];
  };
  CHECK(stake(*after, "C/0") == 0);
  CHECK(stake(*after, "C/1") == 0);
  const std::uint64_t b_before = stake(*before, "B/0");
  CHECK(stake(*after, "B/0") >= b_before + moves[0].amount_rao);
  CHECK(stake(*after, "B/0") < b_before + moves[0].amount_rao + 10 * kTao);  // + one epoch's dividends at most
  // Total stake is what was minted into it: the move neither creates nor destroys any.
  std::uint64_t total_before = 0, total_after = 0;
  for (std::size_t u = 0; u < before->n(); ++u) total_before += before->stake_rao[u];
  for (std::size_t u = 0; u < after->n(); ++u) total_after += after->stake_rao[u];
  CHECK(total_after >= total_before);
  CHECK(total_after - total_before <= 10 * kTao);  // one epoch's emission (1 TAO/block)
  // The moved stake still belongs to C's coldkeys: their wealth did not drop at the move.
  for (const auto& a : r.result.agents)
    if (a.group == "C") CHECK(a.final_wealth_rao >= a.initial_wealth_rao);
  // From then on C (no stake, no permit) earns no dividends and B earns about A's eighth x 2.
  CHECK(r.rec.group_mean(1, &E::dividends, "C", 150) == 0.0);
  CHECK(r.rec.group_mean(1, &E::dividends, "B", 150) > 0.15);
}
