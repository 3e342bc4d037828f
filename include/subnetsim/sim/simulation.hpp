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

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "subnetsim/config/scenario.hpp"
#include "subnetsim/metrics/records.hpp"

namespace subnetsim::sim {

struct RunOptions {
  unsigned threads = 1;
  // When set and true, the run stops before its next block (Ctrl-C): everything up to the last
  // finished block is reported as usual, with status kInterrupted.
  const std::atomic<bool>* stop = nullptr;
};

enum class RunStatus { kCompleted, kInvariantBroken, kInterrupted };

// One agent at the end of the run: what it started with, what it ended with, what it was paid.
// Wealth is free balance + every stake position its coldkey holds (TAO), before debt.
struct AgentOutcome {
  std::string name;   // "group/index"
  std::string group;
  std::string type;   // agent type name, e.g. honest_validator
  std::string role;   // miner, validator or staker
  std::uint16_t netuid = 0;
  std::int32_t uid = -1;                 // at the end; -1 when it holds none
  std::uint64_t initial_wealth_rao = 0;  // after genesis funding (block 0)
  std::uint64_t final_wealth_rao = 0;
  std::uint64_t paid_rao = 0;            // emission paid to its hotkey over the run (nominators' part included)
  std::uint64_t hotkey_stake_rao = 0;    // stake on its hotkey at the end (all nominators)
  double initial_debt_usd = 0.0, final_debt_usd = 0.0;  // leveraged stakers
  bool liquidated = false;
};

// Emission minted over the run, by the class of recipient it was split to.
struct EmissionTotals {
  std::uint64_t owner_rao = 0, miners_rao = 0, validators_rao = 0, treasury_rao = 0, community_rao = 0;
  std::uint64_t total() const { return owner_rao + miners_rao + validators_rao + treasury_rao + community_rao; }
};

struct ProposalOutcome {
  std::string id;
  std::string path;
  std::uint64_t closed_block = 0;
  bool passed = false;
  bool applied = false;    // passed, and the chain took the change (it refuses one that would
                           // put a pair of bounds out of order, e.g. alpha_low > alpha_high)
  double yes_share = 0.0;  // of the stake that voted
  double turnout = 0.0;    // voting stake / total stake
};

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
  double initial_price_usd = 0.0;
  double final_price_usd = 0.0;
  EmissionTotals emitted;
  std::vector<AgentOutcome> agents;       // in agent order
  std::vector<ProposalOutcome> proposals; // in the order they closed
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
