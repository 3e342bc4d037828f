// Determinism (architecture rule 5): the same scenario and seed give identical events, epoch
// records, samples and RunResult, whatever the thread count; another seed gives another run.
#include <catch2/catch.hpp>

#include "random_scenario.hpp"
#include "sim_test_support.hpp"

using namespace sim_test;

namespace {

// Noise everywhere it can be: beta qualities, drifting miners, noisy validators, an innovator,
// a random grader, a GBM price and a yield chaser, so a seed change must show.
const char* const kNoisy = R"({
  "name": "determinism",
  "seed": 7,
  "horizon_blocks": 1200,
  "emission": { "schedule": "flat", "tao_per_block": 1 },
  "market": { "model": "gbm", "volatility_per_year": 0.8, "update_every_blocks": 50 },
  "subnets": {
    "1": { "tempo": 12, "max_allowed_uids": 24, "weights_rate_limit": 0, "immunity_period": 100 },
    "2": { "tempo": 20, "max_allowed_uids": 16, "weights_rate_limit": 0 }
  },
  "slashing": { "low": { "trigger": "validator_trust_below", "threshold": 0.6, "for_epochs": 2 } },
  "agents": {
    "m": { "type": "honest_miner", "count": 8, "subnet": "all", "drift_per_epoch": 0.02 },
    "inn": { "type": "innovator_miner", "count": 2, "subnet": 1, "jumps_per_day": 20 },
    "late": { "type": "honest_miner", "count": 20, "subnet": 1, "join_block": 300, "balance_tao": 50 },
    "v": { "type": "honest_validator", "count": 3, "subnet": "all", "stake_tao": 1000, "noise": 0.1 },
    "adv": { "type": "adversarial_validator", "count": 1, "subnet": 1, "stake_tao": 800, "mode": "random" },
    "yc": { "type": "yield_chaser_staker", "count": 2, "subnet": 1, "stake_tao": 300, "validator": "v",
            "inertia": 0.2, "check_every_epochs": 2 }
  }
})";

void require_identical(const Run& a, const Run& b) {
  CHECK(same_result(a.result, b.result));
  REQUIRE(a.rec.events.size() == b.rec.events.size());
  for (std::size_t i = 0; i < a.rec.events.size(); ++i) {
    INFO("event " << i << ": " << a.rec.events[i].kind << " at " << a.rec.events[i].block);
    REQUIRE(same_event(a.rec.events[i], b.rec.events[i]));
  }
  REQUIRE(a.rec.epochs.size() == b.rec.epochs.size());
  for (std::size_t i = 0; i < a.rec.epochs.size(); ++i) {
    INFO("epoch record " << i);
    REQUIRE(a.rec.epochs[i] == b.rec.epochs[i]);
  }
  REQUIRE(a.rec.samples.size() == b.rec.samples.size());
  for (std::size_t i = 0; i < a.rec.samples.size(); ++i)
    REQUIRE(same_sample(a.rec.samples[i], b.rec.samples[i]));
}

// The run of `json` on one thread, and the same on two and on three.
void require_identical_on_1_2_3_threads(const std::string& json) {
  INFO("scenario: " << json);
  const auto scenario = load(json);
  subnetsim::sim::RunOptions one, two, three;
  one.threads = 1, two.threads = 2, three.threads = 3;
  const Run a = run(scenario, one);
  require_identical(a, run(scenario, two));
  require_identical(a, run(scenario, three));
}

}  // namespace

TEST_CASE("determinism: two runs of one scenario report identical everything",
          "[sim][determinism]") {
  const auto scenario = load(kNoisy);
  const Run a = run(scenario), b = run(scenario);
  REQUIRE(a.result.status == subnetsim::sim::RunStatus::kCompleted);
  // The scenario exercises what it is meant to: epochs on both subnets, late registrations,
  // price moves.
  CHECK(!a.rec.of_subnet(1).empty());
  CHECK(!a.rec.of_subnet(2).empty());
  CHECK(a.rec.of_kind("register").size() > 30);
  CHECK(a.result.final_price_usd != 300.0);
  require_identical(a, b);
}

TEST_CASE("determinism: threads = 1 and threads = 2 give identical runs", "[sim][determinism]") {
  const auto scenario = load(kNoisy);
  subnetsim::sim::RunOptions one, two;
  one.threads = 1;
  two.threads = 2;
  require_identical(run(scenario, one), run(scenario, two));
}

TEST_CASE("determinism: a freshly loaded copy of the text gives the same run",
          "[sim][determinism]") {
  // Nothing depends on the address or lifetime of the first Scenario object.
  require_identical(run(kNoisy), run(kNoisy));
}

TEST_CASE("determinism: another seed gives another run", "[sim][determinism]") {
  const Run a = run(kNoisy);
  const Run b = run(kNoisy, {"seed=8"});
  REQUIRE(a.rec.epochs.size() > 0);
  REQUIRE(b.rec.epochs.size() > 0);
  // Same schedule (blocks and epoch counts do not depend on the seed)...
  CHECK(a.result.epochs == b.result.epochs);
  CHECK(a.result.issuance_rao == b.result.issuance_rao);  // flat schedule: seed-independent
  // ...but different draws: the price path and the per-uid epoch values differ.
  CHECK(a.result.final_price_usd != b.result.final_price_usd);
  bool incentive_differs = false;
  for (std::size_t i = 0; i < std::min(a.rec.epochs.size(), b.rec.epochs.size()); ++i)
    if (a.rec.epochs[i].incentive != b.rec.epochs[i].incentive) incentive_differs = true;
  CHECK(incentive_differs);
}

TEST_CASE("determinism: random scenarios give identical runs with 1, 2 and 3 threads",
          "[sim][determinism]") {
  // Every agent type decides in parallel within its role; the results must not notice.
  Gen g{777};
  for (int i = 0; i < 12; ++i) require_identical_on_1_2_3_threads(random_scenario(g, i));
}

TEST_CASE("determinism: epochs computing beside other subnets' decisions change nothing",
          "[sim][determinism]") {
  // Without stakers, on two threads or more, an epoch computes on a thread of its own while
  // the main thread goes on with other subnets' decisions, and its outputs are held back behind
  // the epoch's: every event, record and sample must still come out as on one thread. Random
  // scenarios of one to four subnets with every other agent type, the script, governance,
  // slashing, late joiners and both epoch schedules.
  Gen g{4242};
  for (int i = 0; i < 16; ++i)
    require_identical_on_1_2_3_threads(random_scenario(g, i, 1, /*with_stakers=*/false));
}

TEST_CASE("determinism: many subnets of honest agents, one thread against two",
          "[sim][determinism]") {
  // network-year in small: every epoch but the last of a block overlaps the next subnet's
  // decisions, with churners registering (and pruning) meanwhile, and slashing.
  const char* const kNetwork = R"({
    "name": "network", "seed": 99, "horizon_blocks": 900,
    "chain": { "subnet_count": 12 },
    "subnet_defaults": { "tempo": 30, "max_allowed_uids": 20, "weights_rate_limit": 0,
                         "immunity_period": 40, "commit_reveal": false },
    "slashing": { "low": { "trigger": "validator_trust_below", "threshold": 0.5, "for_epochs": 2,
                           "self_stake_fraction": 0.1, "destination": "treasury" } },
    "agents": {
      "v": { "type": "honest_validator", "count": 4, "subnet": "all", "stake_tao": 1000,
             "noise": 0.05, "sharpness": 4 },
      "bad": { "type": "adversarial_validator", "count": 1, "subnet": "all", "stake_tao": 900,
               "mode": "inverted", "sharpness": 4 },
      "m": { "type": "honest_miner", "count": 10, "subnet": "all", "drift_per_epoch": 0.01 },
      "c": { "type": "churner_miner", "count": 8, "subnet": "all", "churn_every_epochs": 2,
             "balance_tao": 100 }
    }
  })";
  const auto scenario = load(kNetwork);
  subnetsim::sim::RunOptions one, two;
  one.threads = 1;
  two.threads = 2;
  const Run a = run(scenario, one);
  REQUIRE(a.result.status == subnetsim::sim::RunStatus::kCompleted);
  CHECK(a.rec.of_kind("register").size() > 100);
  CHECK(!a.rec.of_kind("slash").empty());
  CHECK(a.rec.epochs.size() > 300);
  require_identical(a, run(scenario, two));
}

TEST_CASE("determinism: RNG streams are per purpose, adding a group leaves the price path alone",
          "[sim][determinism]") {
  // The market's stream is derived from (seed, "market"), not drawn after the agents': a new
  // group of noisy agents changes the economy but not one price.
  const Run a = run(kNoisy);
  const Run b = run(kNoisy, {R"(agents.extra={"type": "honest_validator", "count": 2, "subnet": 1,
                                  "stake_tao": 700, "noise": 0.3})"});
  REQUIRE(a.rec.samples.size() == b.rec.samples.size());
  for (std::size_t k = 0; k < a.rec.samples.size(); ++k)
    CHECK(a.rec.samples[k].price_usd == b.rec.samples[k].price_usd);
  CHECK(a.result.total_stake_rao != b.result.total_stake_rao);  // the economy did change
}

TEST_CASE("determinism: each agent draws from its own stream, another group changes no draw",
          "[sim][determinism]") {
  // Noise-free graders weight miners by their drawn quality, so the ratio of two miners'
  // incentives is the ratio of their draws, whoever else is on the subnet.
  const std::string base = R"({"name": "streams", "seed": 21, "horizon_blocks": 300,
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0}},
    "agents": {"v": {"type": "honest_validator", "count": 2, "stake_tao": 1000, "noise": 0},
               "m": {"type": "honest_miner", "count": 4}}})";
  const Run a = run(base);
  const Run b = run(base, {R"(agents.x={"type": "honest_miner", "count": 3})"});
  auto ratio = [](const Run& r, const char* x, const char* y) {
    return r.rec.mean(1, &Epoch::incentive, x, 100) / r.rec.mean(1, &Epoch::incentive, y, 100);
  };
  CHECK(ratio(a, "m/0", "m/1") == Approx(ratio(b, "m/0", "m/1")).epsilon(1e-3));
  CHECK(ratio(a, "m/2", "m/3") == Approx(ratio(b, "m/2", "m/3")).epsilon(1e-3));
  // ...while their shares did change (three more miners).
  CHECK(a.rec.mean(1, &Epoch::incentive, "m/0", 100) >
        b.rec.mean(1, &Epoch::incentive, "m/0", 100));
}
