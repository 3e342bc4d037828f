// Slashing rules do what they claim: validator_trust_below slashes after exactly for_epochs
// consecutive low-trust epochs, the amount is the fraction of self-stake, and it goes where the
// destination says (burn, treasury, redistribution by stake); weight_distance_above catches a
// validator far from consensus; a scripted slash applies a rule's penalty when the script says;
// a jail removes the permit.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>

#include "sim_test_support.hpp"

using namespace sim_test;
using E = Epoch;

namespace {

constexpr std::uint64_t kPpb = 1'000'000'000ULL;

// Four honest validators and an inverted grader ("adv") on one subnet of 20 miners; `rules` is
// the slashing object, `extra` more top-level members (each followed by a comma).
std::string scenario(const std::string& rules, std::uint64_t horizon = 600,
                     const std::string& extra = "", const std::string& agents_extra = "") {
  return R"({"name": "slashing", "seed": 11, "horizon_blocks": )" + std::to_string(horizon) + R"(,
    "emission": {"schedule": "flat", "tao_per_block": 1},)" +
         extra + R"(
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0, "max_allowed_uids": 64}},
    "slashing": {)" +
         rules + R"(},
    "agents": {
      "v": {"type": "honest_validator", "count": 4, "stake_tao": 1000, "noise": 0.05, "sharpness": 4},
      "adv": {"type": "adversarial_validator", "count": 1, "stake_tao": 1000, "mode": "inverted", "sharpness": 4},
      "m": {"type": "honest_miner", "count": 20})" +
         agents_extra + "}}";
}

const std::string kLowTrust =
    R"("low": {"trigger": "validator_trust_below", "threshold": 0.5, "for_epochs": 3,
    "self_stake_fraction": 0.1, "destination": "burn"})";

std::uint64_t fraction_of(std::uint64_t rao, double f) {
  return static_cast<std::uint64_t>(static_cast<subnetsim::core::U128>(rao) *
                                    static_cast<std::uint64_t>(f * 1e9 + 0.5) / kPpb);
}

// The epoch record of a subnet at `block`.
const Epoch* at_block(const Recorder& rec, std::uint64_t block) {
  for (const auto* e : rec.of_subnet(1))
    if (e->block == block) return e;
  return nullptr;
}

std::uint64_t sum_amounts(const std::vector<subnetsim::metrics::EventRecord>& events) {
  std::uint64_t s = 0;
  for (const auto& e : events) s += e.amount_rao;
  return s;
}

}  // namespace

TEST_CASE(
    "validator_trust_below: slashes after exactly for_epochs low-trust epochs, 10% of self-stake",
    "[sim][slashing]") {
  const Run r = run_ok(scenario(kLowTrust));
  const auto recs = r.rec.of_subnet(1);
  const auto slashes = r.rec.of_kind("slash");
  REQUIRE(slashes.size() > 5);
  // The grader is judged from the second epoch on (the first stores the permits it grades
  // with); its trust is low in records 1, 2, 3, so the third of them slashes.
  const int adv = recs[0]->uid_of("adv/0");
  for (std::size_t k = 1; k <= 3; ++k)
    CHECK(recs[k]->validator_trust[static_cast<std::size_t>(adv)] < 0.5);
  const auto& first = slashes.front();
  CHECK(first.block == recs[3]->block);
  CHECK(first.netuid == 1);
  CHECK(first.agent == "adv/0");
  CHECK(first.uid == adv);
  CHECK(first.rule == "low");
  CHECK(first.destination == "burn");
  CHECK(first.threshold == 0.5);
  CHECK(first.measured == recs[3]->validator_trust[static_cast<std::size_t>(adv)]);
  // Only the grader is ever slashed, and each slash takes floor(10% x its self-stake as it was
  // after that epoch's payment).
  for (const auto& s : slashes) {
    INFO("slash at block " << s.block);
    CHECK(s.agent == "adv/0");
    const Epoch* e = at_block(r.rec, s.block);
    REQUIRE(e != nullptr);
    const auto u = static_cast<std::size_t>(s.uid);
    CHECK(e->validator_trust[u] < 0.5);
    CHECK(s.amount_rao == fraction_of(e->stake_rao[u] + e->paid_rao[u], 0.1));
  }
  // The condition keeps holding: slashed every epoch from the third on, while it has a permit.
  CHECK(slashes[1].block == recs[4]->block);
  CHECK(r.result.slashed_rao == sum_amounts(slashes));
  // Burned: nothing else burns here (genesis registrations are free).
  CHECK(r.result.burned_rao == r.result.slashed_rao);
  for (const auto& sample : r.rec.samples) {
    std::uint64_t so_far = 0;
    for (const auto& s : slashes)
      if (s.block <= sample.block) so_far += s.amount_rao;
    CHECK(sample.burned_rao == so_far);
    CHECK(sample.slashed_rao == so_far);
  }
  // The honest validators keep their stake; the grader's shrinks.
  CHECK(r.rec.last_stake(1, "adv/0") < 700 * kTao);
  CHECK(r.rec.last_stake(1, "v/0") > 1000 * kTao);
}

TEST_CASE("validator_trust_below: no slash before the condition has held for_epochs epochs",
          "[sim][slashing]") {
  // 50 epochs in 600 blocks (11, 23, ..., 599), 49 of them judged: for_epochs 48 slashes at
  // the last two, 49 at the very last, 50 never.
  const Run r48 = run_ok(scenario(
      R"("low": {"trigger": "validator_trust_below", "threshold": 0.5, "for_epochs": 48})"));
  const auto recs = r48.rec.of_subnet(1);
  REQUIRE(recs.size() == 50);
  const auto s48 = r48.rec.of_kind("slash");
  REQUIRE(s48.size() == 2);
  CHECK(s48[0].block == recs[48]->block);
  const Run r49 = run_ok(scenario(
      R"("low": {"trigger": "validator_trust_below", "threshold": 0.5, "for_epochs": 49})"));
  const auto s49 = r49.rec.of_kind("slash");
  REQUIRE(s49.size() == 1);
  CHECK(s49[0].block == recs.back()->block);
  const Run r50 = run_ok(scenario(
      R"("low": {"trigger": "validator_trust_below", "threshold": 0.5, "for_epochs": 50})"));
  CHECK(r50.rec.of_kind("slash").empty());
  CHECK(r50.result.slashed_rao == 0);
}

TEST_CASE("slash destination treasury: the treasury receives exactly what is slashed",
          "[sim][slashing]") {
  // The bittensor split has no treasury part: the treasury's balance is the slashes alone.
  // Everything else is the same as burning (the treasury holds no stake), so the two runs'
  // balances differ by exactly the slashed total.
  const Run burn = run_ok(scenario(kLowTrust));
  std::string treasury_rule = kLowTrust;
  treasury_rule.replace(treasury_rule.find("\"burn\""), 6, "\"treasury\"");
  const Run treasury = run_ok(scenario(treasury_rule));
  const auto slashes = treasury.rec.of_kind("slash");
  REQUIRE(!slashes.empty());
  for (const auto& s : slashes) CHECK(s.destination == "treasury");
  CHECK(treasury.result.slashed_rao == burn.result.slashed_rao);
  CHECK(treasury.result.slashed_rao == sum_amounts(slashes));
  CHECK(treasury.result.burned_rao == 0);
  CHECK(burn.result.burned_rao == burn.result.slashed_rao);
  CHECK(treasury.result.issuance_rao == burn.result.issuance_rao);
  CHECK(treasury.result.total_stake_rao == burn.result.total_stake_rao);
  REQUIRE(treasury.rec.samples.size() == burn.rec.samples.size());
  const auto& t = treasury.rec.samples.back();
  const auto& b = burn.rec.samples.back();
  CHECK(t.total_balances_rao - b.total_balances_rao == treasury.result.slashed_rao);
}

TEST_CASE(
    "slash destination redistribute: the other validators' stake grows by the amount, by stake",
    "[sim][slashing]") {
  std::string rule = kLowTrust;
  rule.replace(rule.find("\"burn\""), 6, "\"redistribute\"");
  const Run r = run_ok(scenario(rule));
  const auto slashes = r.rec.of_kind("slash");
  REQUIRE(slashes.size() > 5);
  const auto recs = r.rec.of_subnet(1);
  std::uint64_t dust = 0;
  for (const auto& s : slashes) {
    CHECK(s.destination == "redistribute");
    std::size_t k = 0;
    while (recs[k]->block != s.block) ++k;
    if (k + 1 >= recs.size()) continue;
    const Epoch& e = *recs[k];
    const Epoch& next = *recs[k + 1];
    // Recipients: every other permit holder (miners too, once their incentive gave them stake
    // and a permit), by stake after this epoch's payment.
    subnetsim::core::U128 total = 0;
    std::uint64_t recipients = 0;
    for (std::size_t u = 0; u < e.n(); ++u)
      if (static_cast<int>(u) != s.uid && e.permit[u])
        total += e.stake_rao[u] + e.paid_rao[u], ++recipients;
    CHECK(recipients >= 4);
    std::uint64_t given = 0;
    for (std::size_t u = 0; u < e.n(); ++u) {
      if (static_cast<int>(u) == s.uid || !e.permit[u]) continue;
      INFO("slash at " << s.block << ", recipient uid " << u);
      const std::uint64_t share = static_cast<std::uint64_t>(
          s.amount_rao * static_cast<subnetsim::core::U128>(e.stake_rao[u] + e.paid_rao[u]) /
          total);
      CHECK(next.stake_rao[u] == e.stake_rao[u] + e.paid_rao[u] + share);
      given += share;
    }
    CHECK(given <= s.amount_rao);
    CHECK(s.amount_rao - given < recipients);  // flooring dust, burned
    dust += s.amount_rao - given;
  }
  // Only the dust of the last slashes (and of any whose next epoch is past the horizon) burns.
  CHECK(r.result.burned_rao >= dust);
  CHECK(r.result.burned_rao < 25 * slashes.size());
}

TEST_CASE(
    "weight_distance_above: the validator far from consensus is slashed, the honest ones are not",
    "[sim][slashing]") {
  const Run r = run_ok(
      scenario(R"("far": {"trigger": "weight_distance_above", "threshold": 0.35, "for_epochs": 2,
      "self_stake_fraction": 0.05})"));
  const auto slashes = r.rec.of_kind("slash");
  REQUIRE(slashes.size() > 5);
  const auto recs = r.rec.of_subnet(1);
  CHECK(slashes.front().block == recs[2]->block);  // judged in records 1 and 2
  for (const auto& s : slashes) {
    CHECK(s.agent == "adv/0");
    CHECK(s.rule == "far");
    CHECK(s.measured > 0.35);
    CHECK(s.measured <= 1.0);  // a total-variation distance
    CHECK(s.threshold == 0.35);
  }
  // The honest validators' distance, read with a zero-penalty probe rule, stays well below.
  const Run probe = run_ok(
      scenario(R"("probe": {"trigger": "weight_distance_above", "threshold": 0, "for_epochs": 1,
      "self_stake_fraction": 0})"));
  double honest_max = 0.0, adv_min = 1.0;
  for (const auto& s : probe.rec.of_kind("slash")) {
    if (s.block < 100) continue;
    if (s.agent == "adv/0")
      adv_min = std::min(adv_min, s.measured);
    else
      honest_max = std::max(honest_max, s.measured);
  }
  CAPTURE(honest_max, adv_min);
  CHECK(honest_max < 0.35);
  CHECK(adv_min > 0.35);
}

TEST_CASE("scripted slash: the rule's penalty at the script's block, and never on its own",
          "[sim][slashing]") {
  const Run r = run_ok(scenario(
      R"("manual": {"trigger": "scripted", "self_stake_fraction": 0.25, "destination": "treasury"})",
      600, R"("script": [{"at_block": 100, "do": "slash", "agent": "v", "rule": "manual"}],)"));
  const auto slashes = r.rec.of_kind("slash");
  REQUIRE(slashes.size() == 4);  // the four members of group v, once
  // The last epoch before block 100 fixes each self-stake (stake + payment).
  const Epoch* before = nullptr;
  for (const auto* e : r.rec.of_subnet(1))
    if (e->block < 100) before = e;
  REQUIRE(before != nullptr);
  for (const auto& s : slashes) {
    CHECK(s.block == 100);
    CHECK(s.rule == "manual");
    CHECK(s.agent.rfind("v/", 0) == 0);
    CHECK(s.destination == "treasury");
    const auto u = static_cast<std::size_t>(s.uid);
    CHECK(s.amount_rao == fraction_of(before->stake_rao[u] + before->paid_rao[u], 0.25));
  }
  const auto script = r.rec.of_kind("script");
  REQUIRE(script.size() == 1);
  CHECK(script[0].block == 100);
  CHECK(script[0].rule == "slash");
}

TEST_CASE("scripted slash redistributed: the group's members take no share of each other's",
          "[sim][slashing]") {
  // Each member loses 25% of the stake it held before the slash: were the earlier members'
  // slashes shared with the later ones first, those would lose 25% of a grown stake.
  const Run r = run_ok(scenario(
      R"("manual": {"trigger": "scripted", "self_stake_fraction": 0.25, "destination": "redistribute"})",
      600, R"("script": [{"at_block": 100, "do": "slash", "agent": "v", "rule": "manual"}],)"));
  const auto slashes = r.rec.of_kind("slash");
  REQUIRE(slashes.size() == 4);
  const Epoch* before = nullptr;
  for (const auto* e : r.rec.of_subnet(1))
    if (e->block < 100) before = e;
  REQUIRE(before != nullptr);
  for (const auto& s : slashes) {
    const auto u = static_cast<std::size_t>(s.uid);
    CHECK(s.destination == "redistribute");
    CHECK(s.amount_rao == fraction_of(before->stake_rao[u] + before->paid_rao[u], 0.25));
  }
}

TEST_CASE("scripted slash with delegated_stake_fraction takes from nominators pro rata",
          "[sim][slashing]") {
  // No emission: positions stay exactly 1000 (own) + 500 (the staker's) on v/0.
  std::string s = scenario(
      R"("manual": {"trigger": "scripted", "self_stake_fraction": 0.1,
      "delegated_stake_fraction": 0.2, "destination": "burn"})",
      200, R"("script": [{"at_block": 30, "do": "slash", "agent": "v", "rule": "manual"}],)",
      R"(, "st": {"type": "passive_staker", "count": 1, "stake_tao": 2000, "validator": "v"})");
  s.replace(s.find("\"tao_per_block\": 1"), 18, "\"tao_per_block\": 0");
  const Run r = run_ok(s);
  const auto slashes = r.rec.of_kind("slash");
  REQUIRE(slashes.size() == 4);
  // The staker spread 2000 TAO over the four: 500 each. Own 1000 x 10% + nominator 500 x 20%.
  for (const auto& e : slashes) {
    CHECK(e.amount_rao == 200 * kTao);
    // What the nominators lost is in the detail (the story names them only then).
    CHECK(e.detail == "scripted slash; 100 TAO from nominators");
  }
  CHECK(r.result.burned_rao == 800 * kTao);
  const auto recs = r.rec.of_subnet(1);
  const auto u = static_cast<std::size_t>(recs.back()->uid_of("v/0"));
  CHECK(recs.back()->stake_rao[u] == 1300 * kTao);
}

TEST_CASE("the script's slash under a trust rule measures nothing and says it was the script's",
          "[sim][slashing]") {
  // The rule's trigger would need three low-trust epochs; the script slashes the honest v at
  // block 60 all the same. The event must not claim the trigger fired (it said "validator trust
  // below threshold for 3 epochs", measured 0), nor name nominators v has none of.
  std::string rule = kLowTrust;
  rule.replace(rule.find("\"destination\""), 0, "\"delegated_stake_fraction\": 0.5, ");
  const Run r = run_ok(scenario(
      rule, 120, R"("script": [{"at_block": 60, "do": "slash", "agent": "v", "rule": "low"}],)"));
  const auto slashes = r.rec.of_kind("slash", "v/0");
  REQUIRE(slashes.size() == 1);
  CHECK(slashes[0].block == 60);
  CHECK(slashes[0].detail == "scripted slash");
  CHECK(std::isnan(slashes[0].measured));
  CHECK(std::isnan(slashes[0].threshold));
  CHECK(slashes[0].amount_rao > 0);
}

TEST_CASE("scripted slash with a jail records the permit it takes, between epochs",
          "[sim][slashing]") {
  // The permit goes at the script's block, outside any epoch, so no epoch's record of permit
  // changes saw it: only the permit_gained at the end of the jail was recorded.
  const Run r = run_ok(scenario(
      R"("manual": {"trigger": "scripted", "self_stake_fraction": 0.1, "jail_epochs": 3})", 400,
      R"("script": [{"at_block": 100, "do": "slash", "agent": "adv", "rule": "manual"}],)"));
  const auto lost = r.rec.of_kind("permit_lost", "adv/0");
  REQUIRE(lost.size() == 1);
  CHECK(lost[0].block == 100);
  CHECK_THAT(lost[0].detail, Catch::StartsWith("it is jailed through epoch "));
  // The stake it tells is the one left after the slash: the last epoch's stake and payment,
  // less the slash (it told the epoch's stake, from before that payment).
  const Epoch* before = nullptr;
  for (const auto* e : r.rec.of_subnet(1))
    if (e->block < 100) before = e;
  REQUIRE(before != nullptr);
  const auto u = static_cast<std::size_t>(lost[0].uid);
  const auto slashed = r.rec.of_kind("slash", "adv/0");
  REQUIRE(slashed.size() == 1);
  CHECK(lost[0].amount_rao == before->stake_rao[u] + before->paid_rao[u] - slashed[0].amount_rao);
  CHECK_THAT(lost[0].detail, Catch::EndsWith(" (scripted slash under rule manual)"));
  const auto gained = r.rec.of_kind("permit_gained", "adv/0");
  REQUIRE(gained.size() == 1);
  CHECK(gained[0].block > 100);
}

TEST_CASE("jail: no permit after the slash and while jailed, its stake still recorded, permit back afterwards",
          "[sim][slashing]") {
  const Run r = run_ok(
      scenario(R"("low": {"trigger": "validator_trust_below", "threshold": 0.5, "for_epochs": 1,
      "self_stake_fraction": 0.01, "jail_epochs": 3})"));
  const auto recs = r.rec.of_subnet(1);
  const auto slashes = r.rec.of_kind("slash");
  REQUIRE(slashes.size() >= 2);
  const int adv = recs[0]->uid_of("adv/0");
  const auto u = static_cast<std::size_t>(adv);
  std::size_t k = 0;
  while (recs[k]->block != slashes[0].block) ++k;
  CHECK(k == 1);                          // first judged epoch
  CHECK(recs[k]->permit[u] == 0);         // cleared by the slash
  // Jailed: its stake counts 0 in the epoch (hence no permit), but the records show the stake it
  // holds (they showed 0, as if it had lost it all).
  CHECK(recs[k + 1]->stake_rao[u] > 980 * kTao);
  CHECK(recs[k + 1]->stake_rao[u] <= recs[k]->stake_rao[u] + recs[k]->paid_rao[u]);
  CHECK(recs[k + 1]->permit[u] == 0);
  CHECK(recs[k + 2]->permit[u] == 0);
  // Its bond row goes with its permit (the chain keeps none without one: spec §3.11), so the
  // next epoch does not read it; the slash's own epoch record shows the row gone.
  CHECK(recs[k]->bond_total[u] == 0.0);
  // Jailed, it earns nothing: its stake counts 0, so the first epoch of the jail pays it no
  // dividends, and stores no row.
  CHECK(recs[k + 1]->dividends[u] == 0.0);
  CHECK(recs[k + 1]->bond_total[u] == 0.0);
  // No slash while jailed (no permit, not judged); back with a permit within jail + 1 epochs.
  CHECK(slashes[1].block > recs[k + 3]->block);
  bool back = false;
  for (std::size_t j = k + 1; j <= k + 4; ++j) back = back || recs[j]->permit[u] == 1;
  CHECK(back);
  // The honest validators are never jailed.
  for (const auto* e : recs)
    for (int i = 0; i < 4; ++i) {
      const int v = e->uid_of("v/" + std::to_string(i));
      if (e->epoch > 1) CHECK(e->permit[static_cast<std::size_t>(v)] == 1);
    }
}

TEST_CASE("jail: jail_epochs = N means exactly N epochs without a permit", "[sim][slashing]") {
  // Slashed (and jailed 3) in record 1: the permit records 1, 2, 3 say 0, so epochs 2, 3, 4 run
  // without the permit; record 4 should store the permit again for epoch 5.
  const Run r = run_ok(
      scenario(R"("low": {"trigger": "validator_trust_below", "threshold": 0.5, "for_epochs": 1,
      "self_stake_fraction": 0.01, "jail_epochs": 3})"));
  const auto recs = r.rec.of_subnet(1);
  const auto u = static_cast<std::size_t>(recs[0]->uid_of("adv/0"));
  REQUIRE(r.rec.of_kind("slash").front().block == recs[1]->block);
  std::size_t without = 0;
  for (std::size_t k = 1; k < recs.size() && recs[k]->permit[u] == 0; ++k) ++without;
  // (Once 4: the stake counted 0 one epoch too long, so the permit came back an epoch late.)
  CHECK(without == 3);
}

namespace {

// Epochs of subnet 1 that ran without adv/0's permit after a slash at `slash_block`: those up to
// the one that stored its permit again (its permit_gained), the first after the slash.
std::size_t jailed_epochs(const Run& r, std::uint64_t slash_block) {
  std::uint64_t gained = UINT64_MAX;
  for (const auto& e : r.rec.of_kind("permit_gained", "adv/0"))
    if (e.block > slash_block) {
      gained = e.block;
      break;
    }
  REQUIRE(gained != UINT64_MAX);
  std::size_t n = 0;
  for (const auto* e : r.rec.of_subnet(1)) n += e->block > slash_block && e->block <= gained;
  return n;
}

}  // namespace

TEST_CASE("jail: a scripted slash jails jail_epochs epochs too", "[sim][slashing]") {
  // Between epochs (block 100; epochs at 95 and 107). Once failed: J + 1 epochs, as the jail
  // was counted from the epoch index already moved on.
  for (const int j : {1, 2, 3}) {
    const Run r = run_ok(scenario(
        R"("manual": {"trigger": "scripted", "self_stake_fraction": 0.1, "jail_epochs": )" +
            std::to_string(j) + "}",
        400, R"("script": [{"at_block": 100, "do": "slash", "agent": "adv", "rule": "manual"}],)"));
    INFO("jail_epochs " << j);
    CHECK(jailed_epochs(r, 100) == static_cast<std::size_t>(j));
    // "jailed through epoch X": X is the epochs.csv number of the last epoch without it.
    const auto lost = r.rec.of_kind("permit_lost", "adv/0");
    REQUIRE(!lost.empty());
    std::uint64_t last = 0;
    for (const auto* e : r.rec.of_subnet(1))
      if (e->block > 100 && last == 0) last = e->epoch + static_cast<std::uint64_t>(j) - 1;
    CHECK_THAT(lost[0].detail,
               Catch::StartsWith("it is jailed through epoch " + std::to_string(last) + " "));
  }
}

TEST_CASE("jail: a shorter jail does not cut a longer one short", "[sim][slashing]") {
  // Both rules fire in the same epoch; "b_short" (1 epoch) is applied after "a_long" (5).
  // Once failed: the shorter jail replaced the longer one.
  const Run r = run_ok(scenario(
      R"("a_long": {"trigger": "validator_trust_below", "threshold": 0.5, "for_epochs": 1,
                    "self_stake_fraction": 0.01, "jail_epochs": 5},
         "b_short": {"trigger": "validator_trust_below", "threshold": 0.5, "for_epochs": 1,
                     "self_stake_fraction": 0.01, "jail_epochs": 1})"));
  const auto slashes = r.rec.of_kind("slash", "adv/0");
  REQUIRE(slashes.size() >= 2);
  CHECK(slashes[0].block == slashes[1].block);
  CHECK(jailed_epochs(r, slashes[0].block) == 5);
}

TEST_CASE("strikes belong to the validator: a newcomer at a pruned uid starts from zero",
          "[sim][slashing]") {
  // A full subnet of 7; the grader adv/0 (inverted grades: trust about 0.68 < 0.8, while the
  // noiseless honest validators stay at 1) collects four strikes of five (epochs at 23, 35, 47,
  // 59) and is pruned at block 60 (lowest emission) for another such grader, newadv/0. The
  // newcomer must itself be below the threshold five judged epochs in a row. Nothing here rests
  // on a lucky draw: only the miners' fixed qualities are random.
  const Run r = run_ok(R"({"name": "strikes", "horizon_blocks": 300,
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0, "max_allowed_uids": 7, "immunity_period": 0, "min_non_immune_uids": 0}},
    "slashing": {"low": {"trigger": "validator_trust_below", "threshold": 0.8, "for_epochs": 5, "self_stake_fraction": 0.1}},
    "agents": {
      "v": {"type": "honest_validator", "count": 3, "stake_tao": 1000, "noise": 0},
      "adv": {"type": "adversarial_validator", "count": 1, "stake_tao": 1000, "mode": "inverted", "sharpness": 4},
      "m": {"type": "honest_miner", "count": 3, "quality": {"dist": "uniform", "lo": 0.1, "hi": 0.9}},
      "newadv": {"type": "adversarial_validator", "count": 1, "stake_tao": 1000, "mode": "inverted", "sharpness": 4,
                 "join_block": 60, "balance_tao": 10}}})");
  const auto prunes = r.rec.of_kind("prune");
  REQUIRE(prunes.size() == 1);
  REQUIRE(prunes[0].agent == "adv/0");
  CHECK(r.rec.of_kind("slash", "adv/0").empty());
  // The newcomer's judged epochs: it held the permit stored by the previous epoch.
  const auto recs = r.rec.of_subnet(1);
  std::vector<std::uint64_t> judged;
  for (std::size_t k = 1; k < recs.size(); ++k) {
    const int u = recs[k]->uid_of("newadv/0");
    if (u >= 0 && recs[k - 1]->uid_of("newadv/0") == u &&
        recs[k - 1]->permit[static_cast<std::size_t>(u)])
      judged.push_back(recs[k]->block);
  }
  REQUIRE(judged.size() >= 5);
  const auto slashes = r.rec.of_kind("slash", "newadv/0");
  REQUIRE(!slashes.empty());
  // Regression: strikes are kept per (rule, uid); the newcomer used to inherit the pruned
  // validator's four and be slashed at its first judged epoch (block 83).
  CHECK(slashes.front().block == judged[4]);
}

TEST_CASE("a rule's subnets list limits where it applies", "[sim][slashing]") {
  const Run r = run_ok(R"({"name": "where", "horizon_blocks": 300,
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0}, "2": {"tempo": 12, "weights_rate_limit": 0}},
    "slashing": {"low": {"trigger": "validator_trust_below", "threshold": 0.5, "for_epochs": 2, "subnets": [2]}},
    "agents": {
      "v": {"type": "honest_validator", "count": 3, "stake_tao": 1000, "subnet": "all", "sharpness": 4},
      "adv": {"type": "adversarial_validator", "count": 1, "stake_tao": 1000, "subnet": "all", "sharpness": 4},
      "m": {"type": "honest_miner", "count": 12, "subnet": "all"}}})");
  const auto slashes = r.rec.of_kind("slash");
  REQUIRE(!slashes.empty());
  for (const auto& s : slashes) CHECK(s.netuid == 2);
  // The grader of subnet 1 is just as bad there.
  CHECK(r.rec.mean(1, &Epoch::validator_trust, "adv/0", 50) < 0.5);
}

TEST_CASE(
    "redistribute: validators slashed in one epoch lose alike and take no share of each other's",
    "[sim][slashing]") {
  // Three identical inverted graders are slashed at the same epochs. Were the first one's slash
  // shared with the other two before they are slashed, each later one would lose more (10% of
  // a stake grown by its share).
  std::string rule = kLowTrust;
  rule.replace(rule.find("\"burn\""), 6, "\"redistribute\"");
  std::string s = scenario(rule);
  s.replace(s.find("\"count\": 1, \"stake_tao\": 1000, \"mode\""), 11, "\"count\": 3,");
  const Run r = run_ok(s);
  std::map<std::uint64_t, std::vector<std::uint64_t>> by_block;
  for (const auto& e : r.rec.of_kind("slash")) by_block[e.block].push_back(e.amount_rao);
  REQUIRE(by_block.size() >= 3);
  for (const auto& [block, amounts] : by_block) {
    INFO("slashes at block " << block);
    REQUIRE(amounts.size() == 3);
    CHECK(amounts[1] == amounts[0]);
    CHECK(amounts[2] == amounts[0]);
  }
}

TEST_CASE(
    "slash destination redistribute: other permit holders with no stake take nothing, it is burned",
    "[sim][slashing]") {
  // b holds a permit from its last epoch but has unstaked everything: the 120 TAO slashed from a
  // (10% of its 1,000, 20% of the 100 delegated) has nobody to go to (this divided by zero).
  const Run r = run_ok(R"({"name": "t", "horizon_blocks": 30,
    "emission": {"schedule": "flat", "tao_per_block": 0},
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0}},
    "agents": {
      "a": {"type": "honest_validator", "count": 1, "stake_tao": 1000, "noise": 0},
      "b": {"type": "honest_validator", "count": 1, "stake_tao": 3000, "noise": 0},
      "m": {"type": "honest_miner", "count": 1, "quality": {"dist": "constant", "value": 0.5}},
      "s": {"type": "passive_staker", "count": 1, "stake_tao": 100, "validator": "a"}},
    "slashing": {"pen": {"trigger": "scripted", "self_stake_fraction": 0.1,
                         "delegated_stake_fraction": 0.2, "destination": "redistribute"}},
    "script": [{"at_block": 15, "do": "unstake", "agent": "b", "fraction": 1},
               {"at_block": 20, "do": "slash", "agent": "a", "rule": "pen"}]})");
  const auto slashes = r.rec.of_kind("slash");
  REQUIRE(slashes.size() == 1);
  CHECK(slashes[0].amount_rao == 120 * kPpb);
  CHECK(r.result.slashed_rao == 120 * kPpb);
  CHECK(r.result.burned_rao >= 120 * kPpb);
}
