// Each agent type does what FORMAT.md says it does, shown in a small scenario with an asserted
// outcome: miners (honest, innovator, cloner, sybil, churner) and validators (honest, lazy,
// copier, cartel, adversarial). Stakers are in stakers_test.cpp.
#include <catch2/catch.hpp>

#include "sim_test_support.hpp"

using namespace sim_test;
using E = Epoch;

namespace {

// One subnet, tempo 12, weights every epoch, flat 1 TAO/block; `agents` and `extra` (more
// top-level members, each followed by a comma) spliced in.
std::string scenario(const std::string& agents, std::uint64_t horizon = 600,
                     const std::string& subnet = "", const std::string& extra = "") {
  return R"({"name": "agents", "seed": 3, "horizon_blocks": )" + std::to_string(horizon) + R"(,
    "emission": {"schedule": "flat", "tao_per_block": 1},)" +
         extra + R"(
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0, "max_allowed_uids": 64)" +
         (subnet.empty() ? "" : ", " + subnet) + R"(}},
    "agents": {)" +
         agents + "}}";
}

// Three honest validators with little noise: the graders of the miner tests.
const std::string kGraders =
    R"("v": {"type": "honest_validator", "count": 3, "stake_tao": 1000, "noise": 0.01})";

}  // namespace

TEST_CASE("honest miner: higher quality earns more incentive", "[sim][agents]") {
  const Run r = run_ok(scenario(kGraders + R"(,
    "hi": {"type": "honest_miner", "count": 2, "quality": {"dist": "constant", "value": 0.9}},
    "lo": {"type": "honest_miner", "count": 2, "quality": {"dist": "constant", "value": 0.3}})"));
  const double hi = r.rec.group_mean(1, &E::incentive, "hi", 100);
  const double lo = r.rec.group_mean(1, &E::incentive, "lo", 100);
  CAPTURE(hi, lo);
  CHECK(lo > 0.0);
  // Weights are proportional to quality (sharpness 1): 0.9 / 0.3 = 3.
  CHECK(hi / lo == Approx(3.0).epsilon(0.1));
  CHECK(hi + lo == Approx(1.0).margin(0.01));
  // And in emission actually paid.
  std::uint64_t paid_hi = 0, paid_lo = 0;
  for (const auto* e : r.rec.of_subnet(1))
    for (std::size_t u = 0; u < e->n(); ++u) {
      if (e->agent[u].rfind("hi/", 0) == 0) paid_hi += e->paid_rao[u];
      if (e->agent[u].rfind("lo/", 0) == 0) paid_lo += e->paid_rao[u];
    }
  CHECK(paid_hi > 2 * paid_lo);
}

TEST_CASE("honest miner with drift: its quality wanders, without drift it stays", "[sim][agents]") {
  auto spread = [](const std::string& drift) {
    const Run r = run_ok(scenario(kGraders + R"(,
      "d": {"type": "honest_miner", "count": 1, "quality": {"dist": "constant", "value": 0.5}, "drift_per_epoch": )" +
                                  drift + R"(},
      "m": {"type": "honest_miner", "count": 3, "quality": {"dist": "constant", "value": 0.5}})"));
    double lo = 1.0, hi = 0.0;
    for (const auto* e : r.rec.of_subnet(1)) {
      if (e->epoch < 3) continue;
      const double x = Recorder::value(*e, &E::incentive, "d/0");
      lo = std::min(lo, x), hi = std::max(hi, x);
    }
    return hi - lo;
  };
  const double still = spread("0"), wandering = spread("0.05");
  CAPTURE(still, wandering);
  CHECK(still < 0.03);  // a quarter of the incentive every epoch, up to the graders' noise
  CHECK(wandering > 3 * still + 0.03);  // a random walk of 50 steps of sd 0.05
}

TEST_CASE("a uniform quality of one value (lo == hi) is that value", "[sim][agents]") {
  // Boost's uniform distribution loops for ever when lo == hi: the run hung at setup.
  const Run r = run_ok(scenario(kGraders + R"(,
      "u": {"type": "honest_miner", "count": 2, "quality": {"dist": "uniform", "lo": 0.5, "hi": 0.5}},
      "m": {"type": "honest_miner", "count": 2, "quality": {"dist": "constant", "value": 0.5}})",
                                120));
  const auto recs = r.rec.of_subnet(1);
  REQUIRE(recs.size() > 3);
  // Equal qualities: each of the four miners a quarter of the incentive, up to the noise.
  CHECK(Recorder::value(*recs.back(), &E::incentive, "u/0") == Approx(0.25).margin(0.03));
}

TEST_CASE("innovator miner: quality jumps raise its incentive over time", "[sim][agents]") {
  // 120 blocks a day (block_time 720 s): about one jump a day of +0.15, from 0.05; the honest
  // miners stay at 0.5.
  const Run r = run_ok(scenario(kGraders + R"(,
    "inn": {"type": "innovator_miner", "count": 1, "quality": {"dist": "constant", "value": 0.05},
            "jumps_per_day": 1.5, "jump_size": 0.15},
    "m": {"type": "honest_miner", "count": 3, "quality": {"dist": "constant", "value": 0.5}})",
                                3000, "", R"("chain": {"block_time_s": 720},)"));
  // Its first graded epoch (the first decision never jumps): quality 0.05 against 3 x 0.5.
  double first = 0.0;
  for (const auto* e : r.rec.of_subnet(1))
    if ((first = Recorder::value(*e, &E::incentive, "inn/0")) > 0.0) break;
  const double late = r.rec.mean(1, &E::incentive, "inn/0", 2400);
  const double honest_late = r.rec.mean(1, &E::incentive, "m/0", 2400);
  CAPTURE(first, late, honest_late);
  CHECK(first == Approx(0.05 / 1.55).margin(0.005));
  CHECK(late > 5 * first);
  CHECK(late > honest_late);  // it has overtaken the 0.5 miners
  // Incentive only ever steps up (constant qualities elsewhere), up to noise.
  double best = 0.0;
  for (const auto* e : r.rec.of_subnet(1)) {
    const double x = Recorder::value(*e, &E::incentive, "inn/0");
    if (e->block > 200) CHECK(x > best * 0.9 - 0.01);
    best = std::max(best, x);
  }
}

TEST_CASE("cloner miner: nothing before its lag, a copy of the best after", "[sim][agents]") {
  const Run r = run_ok(
      scenario(R"("v": {"type": "honest_validator", "count": 3, "stake_tao": 1000, "noise": 0},
    "best": {"type": "honest_miner", "count": 1, "quality": {"dist": "constant", "value": 0.9}},
    "m": {"type": "honest_miner", "count": 3, "quality": {"dist": "constant", "value": 0.3}},
    "c": {"type": "cloner_miner", "count": 1, "lag_epochs": 8})"));
  const auto recs = r.rec.of_subnet(1);
  REQUIRE(recs.size() > 30);
  // Its first `lag` epochs it has nothing to publish but 0: no incentive at all.
  for (std::size_t k = 0; k < 8; ++k) {
    INFO("epoch record " << k);
    CHECK(Recorder::value(*recs[k], &E::incentive, "c/0") == 0.0);
  }
  // Later it publishes what the best miner published lag epochs before and earns as much.
  const double cloner = r.rec.mean(1, &E::incentive, "c/0", recs[20]->block);
  const double best = r.rec.mean(1, &E::incentive, "best/0", recs[20]->block);
  CAPTURE(cloner, best);
  CHECK(cloner > 0.1);
  CHECK(cloner == Approx(best).epsilon(0.05));
}

TEST_CASE("cloner miner: a duplicate penalty scales what it earns", "[sim][agents]") {
  const Run r = run_ok(
      scenario(R"("v": {"type": "honest_validator", "count": 3, "stake_tao": 1000, "noise": 0},
    "best": {"type": "honest_miner", "count": 1, "quality": {"dist": "constant", "value": 0.8}},
    "c": {"type": "cloner_miner", "count": 1, "lag_epochs": 2, "duplicate_penalty": 0.5})"));
  const double cloner = r.rec.mean(1, &E::incentive, "c/0", 200);
  const double best = r.rec.mean(1, &E::incentive, "best/0", 200);
  CAPTURE(cloner, best);
  CHECK(cloner / best == Approx(0.5).epsilon(0.05));
}

TEST_CASE("sybil miners: many low-quality uids earn little", "[sim][agents]") {
  const Run r = run_ok(scenario(kGraders + R"(,
    "m": {"type": "honest_miner", "count": 4, "quality": {"dist": "constant", "value": 0.8}},
    "s": {"type": "sybil_miner", "count": 12})"));
  const double sybils = r.rec.group_mean(1, &E::incentive, "s", 100);
  const double honest = r.rec.group_mean(1, &E::incentive, "m", 100);
  CAPTURE(sybils, honest);
  // Default sybil quality is uniform(0, 0.1): 12 of them weigh at most 1.2 against 3.2.
  CHECK(sybils < 0.3 * honest);
  CHECK(sybils / 12 < 0.1 * honest / 4);
}

TEST_CASE("churner miner: deregisters and registers again, paying the burn", "[sim][agents]") {
  const Run r = run_ok(scenario(kGraders + R"(,
    "m": {"type": "honest_miner", "count": 2},
    "ch": {"type": "churner_miner", "count": 1, "churn_every_epochs": 5, "balance_tao": 100})",
                                600, R"("burn_tao": 1, "burn_half_life_blocks": 100000)"));
  const auto dereg = r.rec.of_kind("deregister", "ch/0");
  const auto reg = r.rec.of_kind("register", "ch/0");
  // 50 epochs, a churn every 5th decision after the first.
  CHECK(dereg.size() == 9);
  REQUIRE(reg.size() == dereg.size() + 1);  // + genesis
  CHECK(reg[0].amount_rao == 0);
  for (std::size_t k = 0; k < dereg.size(); ++k) {
    CHECK(reg[k + 1].block == dereg[k].block);
    CHECK(reg[k + 1].destination == "burn");
    CHECK(reg[k + 1].amount_rao >= 99 * kTao / 100);  // the burn (1 TAO, barely decaying)
    if (k > 0) CHECK(reg[k + 1].amount_rao > reg[k].amount_rao);  // raised at each registration
    CHECK(reg[k + 1].uid != dereg[k].uid);                        // a new hotkey takes a new uid
  }
  CHECK(r.result.burned_rao == [&] {
    std::uint64_t s = 0;
    for (const auto& e : reg) s += e.amount_rao;
    return s;
  }());
}

TEST_CASE("churner miner: leaves with its stake, which pays the next burn", "[sim][agents]") {
  // No free balance at all: only the incentive it earned (staked to its hotkey) can pay.
  const Run r = run_ok(scenario(kGraders + R"(,
    "m": {"type": "honest_miner", "count": 2, "quality": {"dist": "constant", "value": 0.5}},
    "ch": {"type": "churner_miner", "count": 1, "churn_every_epochs": 6, "quality": {"dist": "constant", "value": 0.9}})"));
  const auto dereg = r.rec.of_kind("deregister", "ch/0");
  REQUIRE(dereg.size() >= 5);
  CHECK(r.rec.of_kind("refuse", "ch/0").empty());
  CHECK(r.rec.of_kind("register", "ch/0").size() == dereg.size() + 1);
  // Its uid held a permit while it had stake; the uid it left loses it, and events.csv says so
  // under its name (an ownerless uid's permit changes went unrecorded).
  std::size_t left_permits = 0;
  for (const auto& e : r.rec.of_kind("permit_lost", "ch/0"))
    if (e.detail ==
        "it has no stake (a permit goes only to stake, spec §3.3) (a uid its agent left to "
        "register again)")
      ++left_permits;
  CHECK(left_permits >= 1);
  // The uid it left holds nothing at the next epoch.
  const auto recs = r.rec.of_subnet(1);
  for (const auto& d : dereg)
    for (const auto* e : recs)
      if (e->block >= d.block) {
        CHECK(e->stake_rao[static_cast<std::size_t>(d.uid)] == 0);
        CHECK(e->agent[static_cast<std::size_t>(d.uid)].empty());
        break;
      }
}

TEST_CASE("churner miner: what its abandoned uid is still paid counts as its pay",
          "[sim][agents]") {
  // A rate limit of 100 blocks (longer than the tempo) keeps the validators' old weights on the
  // uid it left, which is paid until a registration replaces it: to the churner's hotkey, so its
  // wealth grows by it. Once failed: that pay was in no paid_tao (wealth and pay disagreed).
  std::string s = scenario(kGraders + R"(,
    "m": {"type": "honest_miner", "count": 3},
    "ch": {"type": "churner_miner", "count": 1, "churn_every_epochs": 5, "balance_tao": 100})",
                           600, R"("burn_tao": 1)");
  s.replace(s.find(R"("weights_rate_limit": 0)"), 23, R"("weights_rate_limit": 100)");
  const Run r = run_ok(s);
  std::uint64_t burned = 0;
  for (const auto& e : r.rec.of_kind("register", "ch/0")) burned += e.amount_rao;
  const auto& ch = outcome(r, "ch/0");
  REQUIRE(!r.rec.of_kind("deregister", "ch/0").empty());
  // Nothing else moves its wealth: no slashes, no shocks, no stake moved.
  CHECK(ch.final_wealth_rao + burned == ch.initial_wealth_rao + ch.paid_rao);
}

TEST_CASE("churner miner: a re-registration put off a block stakes no more than one at once",
          "[sim][agents]") {
  // Two churners leave in the same block and one registration a block is allowed: one is back
  // at once, the other a block later. Neither stakes its stake_tao again (they left with it,
  // to their balance). Once failed: the retried one went through the first join and staked
  // its stake_tao a second time.
  const Run r = run_ok(scenario(kGraders + R"(,
    "ch": {"type": "churner_miner", "count": 2, "churn_every_epochs": 3, "stake_tao": 3,
           "balance_tao": 10, "quality": {"dist": "constant", "value": 0.5}})",
                                100, R"("max_registrations_per_block": 1, "burn_tao": 1)"));
  const auto regs = r.rec.of_kind("register");
  std::vector<std::uint64_t> late;
  for (const auto& e : regs)
    if (e.block > 0) late.push_back(e.block);
  REQUIRE(late.size() >= 2);
  CHECK(late[1] == late[0] + 1);  // the second churner waited a block
  // At the next epoch both new hotkeys hold the same stake: none (or the same emission).
  const auto recs = r.rec.of_subnet(1);
  for (const auto* e : recs) {
    if (e->block <= late[1]) continue;
    const int u0 = e->uid_of("ch/0"), u1 = e->uid_of("ch/1");
    REQUIRE(u0 >= 0);
    REQUIRE(u1 >= 0);
    CHECK(e->stake_rao[static_cast<std::size_t>(u0)] < kTao);
    CHECK(e->stake_rao[static_cast<std::size_t>(u1)] < kTao);
    break;
  }
}

TEST_CASE("honest validators: dividends and high validator trust", "[sim][agents]") {
  const Run r = run_ok(
      scenario(R"("v": {"type": "honest_validator", "count": 4, "stake_tao": 1000, "noise": 0.05},
    "m": {"type": "honest_miner", "count": 10})"));
  const auto recs = r.rec.of_subnet(1);
  for (std::size_t k = 5; k < recs.size(); ++k)
    for (int i = 0; i < 4; ++i) {
      const std::string v = "v/" + std::to_string(i);
      INFO(v << " at block " << recs[k]->block);
      CHECK(Recorder::value(*recs[k], &E::validator_trust, v) > 0.75);
      CHECK(Recorder::value(*recs[k], &E::dividends, v) > 0.15);
      CHECK(recs[k]->paid_rao[static_cast<std::size_t>(recs[k]->uid_of(v))] > 0);
    }
  // The mean over the run is 0.88-0.96 across seeds 1-12 (0.88 at this one).
  CHECK(r.rec.mean(1, &E::validator_trust, "v/0", 60) > 0.85);
  // Their stake grows by what they are paid.
  CHECK(r.rec.last_stake(1, "v/0") > 1000 * kTao);
}

TEST_CASE("lazy validator: sets weights rarely, and earns nothing once inactive", "[sim][agents]") {
  // Activity cutoff of half a tempo: a validator counts as active only in the epoch it set
  // weights, so dividends show when the lazy one updated.
  const Run r = run_ok(
      scenario(R"("v": {"type": "honest_validator", "count": 2, "stake_tao": 1000, "noise": 0.02},
    "lazy": {"type": "lazy_validator", "count": 1, "stake_tao": 1000, "noise": 0.02,
             "update_every_epochs": 4, "inactive_from_block": 600},
    "m": {"type": "honest_miner", "count": 6})",
               1200, R"("activity_cutoff_factor_milli": 500)"));
  const auto recs = r.rec.of_subnet(1);
  std::size_t paid_before = 0, epochs_before = 0, paid_after = 0;
  for (const auto* e : recs) {
    const bool paid = Recorder::value(*e, &E::dividends, "lazy/0") > 0.0;
    if (e->block < 600)
      epochs_before += 1, paid_before += paid;
    else
      paid_after += paid;
  }
  CAPTURE(paid_before, epochs_before);
  // Every 4th decision (the first has no permit yet): about a quarter of the epochs.
  CHECK(paid_before >= epochs_before / 4 - 2);
  CHECK(paid_before <= epochs_before / 4 + 1);
  CHECK(paid_after == 0);
  // The honest ones earn every epoch.
  CHECK(r.rec.mean(1, &E::dividends, "v/0", 100, 600) >
        r.rec.mean(1, &E::dividends, "lazy/0", 100, 600));
}

TEST_CASE("lazy validator: with the default cutoff it keeps dividends until it stops",
          "[sim][agents]") {
  const Run r = run_ok(scenario(R"("v": {"type": "honest_validator", "count": 2, "stake_tao": 1000},
    "lazy": {"type": "lazy_validator", "count": 1, "stake_tao": 1000, "update_every_epochs": 5,
             "inactive_from_block": 600},
    "m": {"type": "honest_miner", "count": 6})",
                                1500));
  // Cutoff 166 blocks: weights every 60 blocks keep it active; after block 600 + 166 its
  // weights are outdated and its dividends stop.
  CHECK(r.rec.mean(1, &E::dividends, "lazy/0", 120, 600) > 0.2);
  CHECK(r.rec.mean(1, &E::dividends, "lazy/0", 800) == 0.0);
  CHECK(r.rec.mean(1, &E::dividends, "v/0", 800) == Approx(0.5).margin(0.05));
}

TEST_CASE("a noisy validator's grade of a miner does not depend on the other miners",
          "[sim][agents]") {
  // One more miner in group "zz" (a later uid) must leave the noise on group m's miners, and so
  // their incentives, exactly as they were. Once failed: the validator drew its noise from one
  // stream in uid order, so another miner shifted every later draw (from epoch 3 on here).
  auto run = [](int zz) {
    return run_ok(R"({"name": "rngv", "seed": 21, "horizon_blocks": 120,
      "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0, "yuma": "classic"}},
      "agents": {
        "m": {"type": "honest_miner", "count": 3, "quality": {"dist": "constant", "value": 0.5}},
        "zz": {"type": "honest_miner", "count": )" +
                  std::to_string(zz) + R"(,
               "quality": {"dist": "constant", "value": 0.5}},
        "val": {"type": "honest_validator", "stake_tao": 1000, "noise": 0.1}}})");
  };
  const Run one = run(1), two = run(2);
  const auto a = one.rec.of_subnet(1), b = two.rec.of_subnet(1);
  REQUIRE(a.size() == b.size());
  REQUIRE(a.size() >= 8);
  for (std::size_t k = 2; k < a.size(); ++k) {
    // Shares of the same total: compare m's incentives relative to each other.
    const double a0 = Recorder::value(*a[k], &E::incentive, "m/0");
    const double b0 = Recorder::value(*b[k], &E::incentive, "m/0");
    REQUIRE(a0 > 0.0);
    REQUIRE(b0 > 0.0);
    for (const char* miner : {"m/1", "m/2"}) {
      INFO("epoch at block " << a[k]->block << ", " << miner);
      CHECK(Recorder::value(*a[k], &E::incentive, miner) / a0 ==
            Approx(Recorder::value(*b[k], &E::incentive, miner) / b0).epsilon(1e-3));
    }
  }
}

TEST_CASE("innovator miner: a high jump rate gives that many jumps, several an epoch",
          "[sim][agents]") {
  // 1800 jumps a day of 0.001 each, tempo 12 at 12 s blocks (600 epochs a day): about 0.147 of
  // quality gained over the 0.082 days between the first decision and the last, from 0.1. With
  // one noiseless validator, incentive is proportional to quality: read it against a miner of
  // constant quality 0.5. Once failed: at most one jump an epoch, a gain of about 0.044.
  const Run r = run_ok(R"({"name": "innov", "seed": 3, "horizon_blocks": 600,
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0, "yuma": "classic"}},
    "agents": {
      "val": {"type": "honest_validator", "count": 1, "stake_tao": 1000, "noise": 0},
      "a_fixed": {"type": "honest_miner", "count": 1, "quality": {"dist": "constant", "value": 0.5}},
      "inn": {"type": "innovator_miner", "count": 20, "quality": {"dist": "constant", "value": 0.1},
              "jumps_per_day": 1800, "jump_size": 0.001}}})");
  const auto* last = r.rec.of_subnet(1).back();
  const double ref = Recorder::value(*last, &E::incentive, "a_fixed/0");
  REQUIRE(ref > 0.0);
  double sum = 0.0;
  for (int i = 0; i < 20; ++i)
    sum += Recorder::value(*last, &E::incentive, "inn/" + std::to_string(i)) / ref * 0.5;
  const double gain = sum / 20 - 0.1;
  CAPTURE(gain);
  CHECK(gain > 0.12);
  CHECK(gain < 0.17);
}

TEST_CASE("copier validator joining late waits until it has seen the consensus it copies",
          "[sim][agents]") {
  // Lag 3: the weights entering an epoch are the consensus of four epochs before, which a
  // copier that joined at block 100 has seen only from its fourth decision on (epoch at 143).
  // Once failed: it copied the freshest consensus it had, and graded from the epoch at 119.
  const Run r = run_ok(R"({"name": "copier-late", "seed": 11, "horizon_blocks": 300,
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0, "yuma": "classic"}},
    "agents": {
      "md": {"type": "honest_miner", "count": 4, "quality": {"dist": "constant", "value": 0.5},
             "drift_per_epoch": 0.15},
      "hon": {"type": "honest_validator", "stake_tao": 10000, "noise": 0},
      "cp": {"type": "copier_validator", "stake_tao": 1, "balance_tao": 10, "lag_epochs": 3,
             "join_block": 100}}})");
  std::uint64_t first = 0;
  for (const auto* e : r.rec.of_subnet(1))
    if (e->uid_of("cp/0") >= 0 && first == 0 &&
        Recorder::value(*e, &E::validator_trust, "cp/0") > 0.0)
      first = e->block;
  CHECK(first == 143);
}

TEST_CASE("copier validator: its weights follow consensus", "[sim][agents]") {
  // A zero-penalty "probe" rule reports every validator's weight distance to consensus each
  // epoch (a slash of 0 rao is still an event with the measured value).
  const Run r = run_ok(
      scenario(R"("v": {"type": "honest_validator", "count": 3, "stake_tao": 1000, "noise": 0.1},
    "cp": {"type": "copier_validator", "count": 1, "stake_tao": 1000, "lag_epochs": 1},
    "adv": {"type": "adversarial_validator", "count": 1, "stake_tao": 100, "mode": "random"},
    "m": {"type": "honest_miner", "count": 8})",
               600, "",
               R"("slashing": {"probe": {"trigger": "weight_distance_above", "threshold": 0,
                                    "for_epochs": 1, "self_stake_fraction": 0}},)"));
  auto mean_distance = [&](const std::string& agent) {
    double sum = 0;
    std::size_t k = 0;
    for (const auto& e : r.rec.of_kind("slash", agent))
      if (e.block > 100) sum += e.measured, ++k;
    REQUIRE(k > 20);
    return sum / static_cast<double>(k);
  };
  const double copier = mean_distance("cp/0"), honest = mean_distance("v/0"),
               random = mean_distance("adv/0");
  CAPTURE(copier, honest, random);
  // Copying consensus (one epoch late) keeps closer to it than grading with noise, and a random
  // grader is far from it: the order copier < honest < random, with room between.
  CHECK(copier < 0.15);
  CHECK(copier < 0.75 * honest);
  CHECK(random > 1.5 * honest);
  CHECK(random > 2.5 * copier);
  CHECK(r.result.slashed_rao == 0);
  CHECK(r.rec.mean(1, &E::validator_trust, "cp/0", 100) > 0.85);
}

TEST_CASE("cartel validators: their miners earn more than without the cartel", "[sim][agents]") {
  const std::string miners = R"(,
    "m": {"type": "honest_miner", "count": 6, "quality": {"dist": "constant", "value": 0.6}},
    "mine": {"type": "honest_miner", "count": 2, "quality": {"dist": "constant", "value": 0.2}})";
  // The cartel holds 60% of the stake and gives 80% of its weight to its own two miners.
  const Run cartel =
      run_ok(scenario(R"("v": {"type": "honest_validator", "count": 2, "stake_tao": 1000},
    "cartel": {"type": "cartel_validator", "count": 3, "stake_tao": 1000, "favours": "mine", "favour_share": 0.8})" +
                      miners));
  const Run honest =
      run_ok(scenario(R"("v": {"type": "honest_validator", "count": 2, "stake_tao": 1000},
    "cartel": {"type": "honest_validator", "count": 3, "stake_tao": 1000})" +
                      miners));
  const double with = cartel.rec.group_mean(1, &E::incentive, "mine", 100);
  const double without = honest.rec.group_mean(1, &E::incentive, "mine", 100);
  CAPTURE(with, without);
  CHECK(without == Approx(0.4 / 4.0).epsilon(0.15));  // 2 x 0.2 of 6 x 0.6 + 2 x 0.2
  CHECK(with > 0.6);
  CHECK(with > 5 * without);
}

TEST_CASE("adversarial validator (inverted): low validator trust", "[sim][agents]") {
  const Run r = run_ok(
      scenario(R"("v": {"type": "honest_validator", "count": 4, "stake_tao": 1000, "sharpness": 4},
    "adv": {"type": "adversarial_validator", "count": 1, "stake_tao": 1000, "mode": "inverted", "sharpness": 4},
    "m": {"type": "honest_miner", "count": 20})"));
  const double adv = r.rec.mean(1, &E::validator_trust, "adv/0", 100);
  const double honest = r.rec.mean(1, &E::validator_trust, "v/0", 100);
  CAPTURE(adv, honest);
  CHECK(adv < 0.4);
  CHECK(honest > 0.7);
  CHECK(adv < 0.5 * honest);
  CHECK(r.rec.mean(1, &E::dividends, "adv/0", 100) <
        0.5 * r.rec.mean(1, &E::dividends, "v/0", 100));
}

TEST_CASE("adversarial validator (random): weights far from consensus, lower trust than honest",
          "[sim][agents]") {
  const Run r = run_ok(
      scenario(R"("v": {"type": "honest_validator", "count": 4, "stake_tao": 1000, "sharpness": 2},
    "adv": {"type": "adversarial_validator", "count": 1, "stake_tao": 1000, "mode": "random"},
    "m": {"type": "honest_miner", "count": 12, "quality": {"dist": "uniform", "lo": 0, "hi": 1}})"));
  const double adv = r.rec.mean(1, &E::validator_trust, "adv/0", 100);
  const double honest = r.rec.mean(1, &E::validator_trust, "v/0", 100);
  CAPTURE(adv, honest);
  CHECK(adv < honest - 0.1);
  CHECK(r.rec.mean(1, &E::dividends, "adv/0", 100) < r.rec.mean(1, &E::dividends, "v/0", 100));
}
