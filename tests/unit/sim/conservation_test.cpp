// Conservation: randomly generated scenarios (every agent type, slashing trigger and destination,
// script action, proposal, price model, emission schedule and split) all run to the end with
// the ledger's audit passing at every epoch, and what the run reports is self-consistent. Also
// that issuance grows by exactly what the emission schedule mints.
#include <catch2/catch.hpp>
#include <cstdio>
#include <sstream>

#include "random_scenario.hpp"
#include "sim_test_support.hpp"
#include "subnetsim/consensus/epoch.hpp"

using namespace sim_test;

namespace {

std::uint64_t sum_events(const Recorder& rec, const std::string& kind) {
  std::uint64_t total = 0;
  for (const auto& e : rec.events)
    if (e.kind == kind) total += e.amount_rao;
  return total;
}

}  // namespace

TEST_CASE("conservation: 64 random scenarios run to the end with the audit passing",
          "[sim][conservation]") {
  Gen g{20261125};
  std::size_t slashes = 0, prunes = 0, liquidations = 0, votes = 0, refusals = 0;
  for (int i = 0; i < 64; ++i) {
    const std::string json = random_scenario(g, i);
    INFO("scenario " << i << ": " << json);
    const Run r = run(json);
    INFO(r.result.message);
    REQUIRE(r.result.status == subnetsim::sim::RunStatus::kCompleted);
    REQUIRE(r.result.conservation_verified);
    // What the run reports agrees with itself.
    CHECK(r.result.slashed_rao == sum_events(r.rec, "slash"));
    CHECK(r.result.registrations == r.rec.of_kind("register").size());
    CHECK(r.result.prunings == r.rec.of_kind("prune").size());
    CHECK(r.result.liquidations == r.rec.of_kind("liquidate").size());
    CHECK(r.result.refused_actions == r.rec.of_kind("refuse").size());
    CHECK(r.result.epochs == r.rec.epochs.size());
    CHECK(r.result.epochs > 0);
    // Cumulative totals never go down (nothing in the simulation recycles).
    for (std::size_t k = 1; k < r.rec.samples.size(); ++k) {
      const auto &a = r.rec.samples[k - 1], &b = r.rec.samples[k];
      CHECK(a.block < b.block);
      CHECK(a.issuance_rao <= b.issuance_rao);
      CHECK(a.burned_rao <= b.burned_rao);
      CHECK(a.slashed_rao <= b.slashed_rao);
      CHECK(b.total_stake_rao + b.total_balances_rao + b.burned_rao <= b.issuance_rao);
    }
    REQUIRE(!r.rec.samples.empty());
    CHECK(r.rec.samples.back().block == r.result.blocks);
    CHECK(r.rec.samples.back().issuance_rao == r.result.issuance_rao);
    CHECK(r.result.recycled_rao == 0);
    slashes += r.rec.of_kind("slash").size();
    prunes += r.rec.of_kind("prune").size();
    liquidations += r.rec.of_kind("liquidate").size();
    votes += r.rec.of_kind("vote_passed").size() + r.rec.of_kind("vote_failed").size();
    refusals += r.rec.of_kind("refuse").size();
  }
  // The generated runs did exercise the machinery they are meant to.
  CHECK(slashes > 0);
  CHECK(prunes > 0);
  CHECK(liquidations > 0);
  CHECK(votes > 0);
  CHECK(refusals > 0);
}

TEST_CASE("conservation: larger random scenarios (x4 horizon, capacity and groups)",
          "[sim][conservation]") {
  Gen g{99};
  for (int i = 0; i < 8; ++i) {
    const std::string json = random_scenario(g, i, 4);
    INFO("scenario " << i << ": " << json);
    const Run r = run(load(json));
    INFO(r.result.message);
    REQUIRE(r.result.status == subnetsim::sim::RunStatus::kCompleted);
    REQUIRE(r.result.conservation_verified);
    CHECK(r.result.slashed_rao == sum_events(r.rec, "slash"));
    CHECK(r.result.registrations == r.rec.of_kind("register").size());
  }
}

TEST_CASE("conservation: random scenarios on the exact backend", "[sim][conservation]") {
  Gen g{424242};
  for (int i = 0; i < 16; ++i) {
    const std::string json = random_scenario(g, i);
    INFO("scenario " << i << ": " << json);
    const Run r = run(on_backend(load(json), subnetsim::consensus::BackendKind::kExact));
    INFO(r.result.message);
    REQUIRE(r.result.status == subnetsim::sim::RunStatus::kCompleted);
    REQUIRE(r.result.conservation_verified);
    CHECK(r.result.slashed_rao == sum_events(r.rec, "slash"));
  }
}

TEST_CASE("conservation: 1,024 subnets from subnet_count, every epoch on time",
          "[sim][conservation]") {
  // Tempo 12, 24 blocks: each subnet's two epochs (staggered by netuid mod 12), all run when
  // max_epochs_per_block allows it.
  const Run r = run_ok(R"({"name": "many", "horizon_blocks": 24,
    "chain": {"subnet_count": 1024, "max_epochs_per_block": 1024},
    "emission": {"schedule": "flat", "tao_per_block": 1},
    "agents": {"v": {"type": "honest_validator", "count": 1, "subnet": "all", "stake_tao": 10},
               "m": {"type": "honest_miner", "count": 1, "subnet": "all"}}})");
  CHECK(r.result.epochs == 2048);
  CHECK(r.result.registrations == 2048);
  std::vector<int> per_subnet(1025, 0);
  for (const auto& e : r.rec.epochs) ++per_subnet.at(e.netuid);
  for (int n = 1; n <= 1024; ++n) CHECK(per_subnet[static_cast<std::size_t>(n)] == 2);
  // 1 TAO a block split 1024 ways: 976562 rao each, the remainder not minted.
  CHECK(r.result.issuance_rao == 1024 * 10 * kTao + 24 * 1024 * (kTao / 1024));
}

namespace {
// Flat 1 TAO per block, `subnets` subnets split equally, genesis stakes known.
std::string flat_scenario(int subnets, std::uint64_t horizon) {
  std::string s = R"({"name": "flat", "horizon_blocks": )" + std::to_string(horizon) + R"(,
    "emission": {"schedule": "flat", "tao_per_block": 1, "subnet_split": "equal"},
    "chain": {"initial_issuance_tao": 250},
    "subnets": {)";
  for (int n = 1; n <= subnets; ++n)
    s += (n > 1 ? ", " : "") + std::string("\"") + std::to_string(n) +
         R"(": {"tempo": 10, "weights_rate_limit": 0})";
  s += R"(},
    "agents": {
      "v": {"type": "honest_validator", "count": 2, "subnet": "all", "stake_tao": 1000},
      "m": {"type": "honest_miner", "count": 3, "subnet": "all", "balance_tao": 5},
      "st": {"type": "passive_staker", "count": 1, "subnet": 1, "stake_tao": 40, "validator": "v"}
    }})";
  return s;
}
}  // namespace

TEST_CASE("conservation: issuance = genesis + what a flat schedule mints per block x horizon",
          "[sim][conservation]") {
  // Genesis: 250 (other holders) + per subnet 2 x 1000 (validators) + 3 x 5 (miners' balances),
  // + 40 staker balance on subnet 1.
  SECTION("2 subnets: 1 TAO splits into two exact halves") {
    const Run r = run_ok(flat_scenario(2, 1000));
    const std::uint64_t genesis = (250 + 2 * (2000 + 15) + 40) * kTao;
    CHECK(r.result.issuance_rao == genesis + 1000 * kTao);
    CHECK(r.result.blocks == 1000);
  }
  SECTION("3 subnets: each gets floor(1e9 / 3) rao a block, the remainder is not minted") {
    const Run r = run_ok(flat_scenario(3, 999));
    const std::uint64_t genesis = (250 + 3 * (2000 + 15) + 40) * kTao;
    CHECK(r.result.issuance_rao == genesis + 999 * 3 * (kTao / 3));
  }
  SECTION("the samples grow by exactly the per-block amount times the blocks between them") {
    const Run r = run_ok(flat_scenario(2, 600));
    const std::uint64_t genesis = (250 + 2 * (2000 + 15) + 40) * kTao;
    REQUIRE(r.rec.samples.size() > 10);
    for (const auto& s : r.rec.samples) CHECK(s.issuance_rao == genesis + s.block * kTao);
  }
}

TEST_CASE("conservation: edge horizons and empty subnets", "[sim][conservation]") {
  SECTION("one block, before any epoch") {
    const Run r = run_ok(flat_scenario(2, 1));
    CHECK(r.result.epochs == 0);
    CHECK(r.result.blocks == 1);
    CHECK(r.result.issuance_rao == (250 + 2 * (2000 + 15) + 40) * kTao + kTao);
    REQUIRE(r.rec.samples.size() == 1);
    CHECK(r.rec.samples[0].block == 1);
  }
  SECTION("subnets without agents still run epochs; emission waits in their pools") {
    const Run r = run_ok(
        R"({"name": "empty", "horizon_blocks": 100, "emission": {"schedule": "flat", "tao_per_block": 1},
      "subnets": {"1": {"tempo": 10}, "2": {"tempo": 25}}})");
    CHECK(r.result.epochs == 10 + 4);
    CHECK(r.result.issuance_rao == 100 * kTao);
    CHECK(r.result.total_stake_rao == 0);
    // The owners' cut: floor(0.5 TAO * 11796/65535) a block and subnet, the chain's "18%".
    CHECK(r.rec.samples.back().total_balances_rao == 2 * 100 * 89'997'711ULL);
  }
}
