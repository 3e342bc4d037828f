// The simulation's epochs are chain::EpochDriver's epochs (the driver `conform` checks): for a
// small scenario whose weights are known exactly (noise 0, constant qualities), the state is
// rebuilt beside the run from the epoch records (stakes, blocks) and the agents' weight rule,
// driven epoch by epoch through a separate EpochDriver, and every per-uid output agrees: bit for
// bit on the same backend, within 3/65535 between the float and exact backends.
#include <catch2/catch.hpp>
#include <cmath>

#include "sim_test_support.hpp"
#include "subnetsim/chain/epoch_driver.hpp"
#include "subnetsim/consensus/epoch.hpp"

using namespace sim_test;
using subnetsim::consensus::BackendKind;

namespace {

// Miners of three constant qualities (groups a, b, c), honest validators without noise; the
// yuma variant is a parameter.
std::string scenario(const std::string& yuma, const std::string& more_agents = "") {
  return R"({"name": "agreement", "seed": 9, "horizon_blocks": 400,
    "emission": {"schedule": "flat", "tao_per_block": 1},
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0, "yuma": ")" +
         yuma + R"("}},
    "agents": {
      "a": {"type": "honest_miner", "count": 2, "quality": {"dist": "constant", "value": 0.9}},
      "b": {"type": "honest_miner", "count": 3, "quality": {"dist": "constant", "value": 0.55}},
      "c": {"type": "honest_miner", "count": 2, "quality": {"dist": "constant", "value": 0.2}},
      "v": {"type": "honest_validator", "count": 3, "stake_tao": 1000, "noise": 0},
      "w": {"type": "honest_validator", "count": 1, "stake_tao": 400, "noise": 0, "sharpness": 2})" +
         more_agents + "}}";
}

double quality_of(const std::string& agent) {
  if (agent.rfind("a/", 0) == 0) return 0.9;
  if (agent.rfind("b/", 0) == 0) return 0.55;
  if (agent.rfind("c/", 0) == 0) return 0.2;
  if (agent.rfind("ch/", 0) == 0) return 0.7;
  return -1.0;  // validators publish nothing
}

// What Agent::weights_from_scores submits for validator `own` (score = quality^sharpness).
void submit_weights(subnetsim::chain::SubnetState& st, const Epoch& rec, std::uint16_t own,
                    double sharpness) {
  std::vector<double> score(rec.n(), 0.0);
  double max = 0.0;
  for (std::size_t u = 0; u < rec.n(); ++u) {
    const double q = quality_of(rec.agent[u]);
    if (q >= 0.0) score[u] = std::pow(q, sharpness);
    if (u != own) max = std::max(max, score[u]);
  }
  std::vector<std::uint16_t> uids, values;
  for (std::size_t u = 0; u < rec.n(); ++u)
    if (u != own && score[u] > 0.0) {
      uids.push_back(static_cast<std::uint16_t>(u));
      values.push_back(static_cast<std::uint16_t>(std::lround(score[u] / max * 65535.0)));
    }
  subnetsim::chain::set_weights(st, own, uids, values, rec.block);
}

std::uint16_t u16(double x) { return static_cast<std::uint16_t>(std::lround(x * 65535.0)); }

// Replays the run's epochs through a separate driver on `kind` and compares the outputs;
// returns how many epochs were compared. `tolerance` in u16 steps.
std::size_t replay_and_compare(const subnetsim::config::Scenario& s, const Run& r, BackendKind kind,
                               int tolerance) {
  const auto& p = s.subnets.at(1);
  subnetsim::chain::ChainEpochParams cp;
  cp.tempo = p.tempo;
  cp.activity_cutoff_factor_milli = p.activity_cutoff_factor_milli;
  cp.stake_threshold = 0;
  cp.epoch = p.epoch_params();
  auto backend = subnetsim::consensus::make_backend(kind);
  subnetsim::chain::EpochDriver driver;
  subnetsim::chain::SubnetState st;
  const auto recs = r.rec.of_subnet(1);
  REQUIRE(!recs.empty());
  st.resize(recs[0]->n(), 0);
  std::uint64_t last_block = 0;
  std::size_t compared = 0;
  for (const auto* rec : recs) {
    INFO("epoch at block " << rec->block);
    // Uids registered since the last epoch (churners, some retrying a block later) arrive at
    // their registration block, which is also their last update.
    for (const auto& e : r.rec.events)
      if (e.kind == "register" && e.block > last_block && e.block <= rec->block && e.uid >= 0 &&
          static_cast<std::size_t>(e.uid) == st.n)
        st.resize(st.n + 1, e.block);
    last_block = rec->block;
    REQUIRE(rec->n() == st.n);
    // Decide: validators holding a permit (stored by the previous epoch) set weights.
    for (std::size_t u = 0; u < st.n; ++u)
      if (st.validator_permit[u] &&
          (rec->agent[u].rfind("v/", 0) == 0 || rec->agent[u].rfind("w/", 0) == 0))
        submit_weights(st, *rec, static_cast<std::uint16_t>(u),
                       rec->agent[u].rfind("w/", 0) == 0 ? 2.0 : 1.0);
    st.stake_rao = rec->stake_rao;
    const auto& out =
        driver.run(st, cp, rec->block, 1'000'000'000, *backend, /*mark_mechanism_step=*/true);
    for (std::size_t u = 0; u < st.n; ++u) {
      INFO("uid " << u << " (" << rec->agent[u] << ")");
      CHECK(std::abs(u16(rec->consensus[u]) - out.consensus_u16[u]) <= tolerance);
      CHECK(std::abs(u16(rec->incentive[u]) - out.incentive_u16[u]) <= tolerance);
      CHECK(std::abs(u16(rec->dividends[u]) - out.dividends_u16[u]) <= tolerance);
      CHECK(std::abs(u16(rec->validator_trust[u]) - out.validator_trust_u16[u]) <= tolerance);
      if (tolerance == 0) CHECK(rec->permit[u] == (st.validator_permit[u] ? 1 : 0));
    }
    ++compared;
  }
  return compared;
}

}  // namespace

TEST_CASE("epoch agreement: the simulation's epochs equal chain::EpochDriver's on the same inputs",
          "[sim][epoch]") {
  for (const std::string yuma :
       {"yuma3", "classic", "yuma3_liquid", "classic_liquid_v1", "legacy_sigmoid"}) {
    for (BackendKind kind : {BackendKind::kFloat, BackendKind::kExact}) {
      INFO("yuma " << yuma << ", backend " << (kind == BackendKind::kFloat ? "float" : "exact"));
      const auto s = on_backend(load(scenario(yuma)), kind);
      const Run r = run(s);
      REQUIRE(r.result.conservation_verified);
      // Not a trivial run: validators earn dividends, the best miners the most incentive.
      CHECK(r.rec.mean(1, &Epoch::dividends, "v/0", 100) > 0.1);
      CHECK(r.rec.mean(1, &Epoch::incentive, "a/0", 100) >
            r.rec.mean(1, &Epoch::incentive, "c/0", 100));
      CHECK(replay_and_compare(s, r, kind, 0) == 33);
    }
  }
}

TEST_CASE("epoch agreement: float and exact backends agree within 3/65535 on the same scenario",
          "[sim][epoch]") {
  // Each backend's run replayed through the other backend's driver: every output within 3
  // u16 steps, epoch after epoch (bonds carried over); and the two runs side by side.
  for (const std::string yuma :
       {"yuma3", "classic", "yuma3_liquid", "classic_liquid_v1", "legacy_sigmoid"}) {
    INFO("yuma " << yuma);
    const auto s = load(scenario(yuma));
    const Run rf = run(on_backend(s, BackendKind::kFloat)),
              re = run(on_backend(s, BackendKind::kExact));
    CHECK(replay_and_compare(s, rf, BackendKind::kExact, 3) == 33);
    CHECK(replay_and_compare(s, re, BackendKind::kFloat, 3) == 33);
    const auto a = rf.rec.of_subnet(1), b = re.rec.of_subnet(1);
    REQUIRE(a.size() == b.size());
    for (std::size_t k = 0; k < a.size(); ++k)
      for (std::size_t u = 0; u < a[k]->n(); ++u) {
        INFO("epoch " << k << ", uid " << u);
        CHECK(std::abs(u16(a[k]->incentive[u]) - u16(b[k]->incentive[u])) <= 3);
        CHECK(std::abs(u16(a[k]->dividends[u]) - u16(b[k]->dividends[u])) <= 3);
        CHECK(std::abs(u16(a[k]->consensus[u]) - u16(b[k]->consensus[u])) <= 3);
        CHECK(std::abs(u16(a[k]->validator_trust[u]) - u16(b[k]->validator_trust[u])) <= 3);
      }
  }
}

TEST_CASE("epoch agreement: the scenario's consensus_backend selects the backend", "[sim][epoch]") {
  // Set through an override of the file (as run --backend does) or on the typed scenario.
  const auto exact = load(scenario("yuma3"), {"chain.consensus_backend=exact"});
  const auto fl = load(scenario("yuma3"));
  const Run by_scenario = run(exact), by_option = run(on_backend(fl, BackendKind::kExact));
  REQUIRE(by_scenario.rec.epochs.size() == by_option.rec.epochs.size());
  for (std::size_t k = 0; k < by_scenario.rec.epochs.size(); ++k)
    CHECK(by_scenario.rec.epochs[k] == by_option.rec.epochs[k]);
  CHECK(same_result(by_scenario.result, by_option.result));
}

TEST_CASE("epoch agreement holds through re-registrations (churners: new uids, bond masks)",
          "[sim][epoch]") {
  for (const std::string yuma : {"yuma3", "classic"}) {
    for (BackendKind kind : {BackendKind::kFloat, BackendKind::kExact}) {
      INFO("yuma " << yuma << ", backend " << (kind == BackendKind::kFloat ? "float" : "exact"));
      const auto s = load(
          scenario(yuma, R"(, "ch": {"type": "churner_miner", "count": 2, "churn_every_epochs": 4,
          "balance_tao": 50, "quality": {"dist": "constant", "value": 0.7}})"));
      const Run r = run(on_backend(s, kind));
      REQUIRE(r.result.conservation_verified);
      REQUIRE(r.rec.of_kind("deregister").size() >= 10);
      CHECK(replay_and_compare(s, r, kind, 0) == 33);
    }
  }
}
