// Simulation: owns the clock, the event queue, the chain (ledger + subnets) and the agents, and
// runs a scenario block by block (architecture: "One block").
//
// At each visited block the phases run in a fixed order: Script (scenario events, proposals)
// -> Decide (agents of subnets whose epoch is due, in agent order) -> Apply (their actions
// through the chain's rules; refusals are recorded) -> Emit (emission accrued in closed form
// since the last visited block) -> Epoch (due subnets: epoch driver, distribution, slashing,
// conservation audit) -> Record. Blocks where nothing is scheduled are skipped.
//
// Invariants: the ledger's conservation holds after every epoch (run() stops with
// kInvariantBroken otherwise); outputs depend only on the scenario (seed included), never on
// thread count or wall time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "subnetsim/config/scenario.hpp"
#include "subnetsim/consensus/epoch.hpp"
#include "subnetsim/metrics/records.hpp"

namespace subnetsim::sim {

struct RunOptions {
  unsigned threads = 1;
  std::optional<consensus::BackendKind> backend;  // overrides /chain/consensus_backend
};

enum class RunStatus { kCompleted, kInvariantBroken };

struct RunResult {
  RunStatus status = RunStatus::kCompleted;
  std::string message;              // why it stopped, when it did not complete
  std::uint64_t blocks = 0;         // blocks simulated
  std::uint64_t visited_blocks = 0;
  std::uint64_t epochs = 0;
  std::uint64_t issuance_rao = 0;
  std::uint64_t total_stake_rao = 0;
  std::uint64_t burned_rao = 0;
  std::uint64_t recycled_rao = 0;
  std::uint64_t slashed_rao = 0;
  std::uint64_t refused_actions = 0;
  std::uint64_t registrations = 0;
  std::uint64_t prunings = 0;
  std::uint64_t liquidations = 0;
  bool conservation_verified = false;  // every epoch's audit passed
  double final_price_usd = 0.0;
};

class Simulation {
 public:
  Simulation(config::Scenario scenario, RunOptions options, metrics::Observer& observer);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  RunResult run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace subnetsim::sim
