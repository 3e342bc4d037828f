// Agent: one member of an agent group, with its behaviour (a policy chosen by the group's type),
// its private state (a miner's true quality, a copier's memory) and its own RNG stream, seeded
// by hashing (scenario seed, group id, index) so no agent's draws depend on another's. A
// validator's grading noise is keyed by (its seed, the epoch, the miner's identity) rather than
// drawn in turn, so it does not depend on which other miners there are either.
//
// Invariant: the policy alternative matches the config::AgentParams alternative it was built
// from, except after switch_to(), which the script uses to change behaviour mid-run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "subnetsim/agents/observation.hpp"
#include "subnetsim/config/agents.hpp"
#include "subnetsim/core/rng.hpp"

namespace subnetsim::agents {

enum class Role { kMiner, kValidator, kStaker };

class alignas(64) Agent {
 public:
  // The bytes at the start of the record that hold every field a decision reads or writes
  // (checked in agent.cpp): what the simulation fetches ahead of an agent's decision.
  static constexpr std::size_t kHotBytes = 192;

  // `favoured` and `delegate_to`: agent indices of the group a cartel favours / a staker backs,
  // resolved by the simulation.
  Agent(const config::AgentGroup& group, std::uint32_t index_in_group, std::uint64_t seed,
        std::uint64_t blocks_per_day, std::vector<AgentIndex> favoured,
        std::vector<AgentIndex> delegate_to);

  const std::string& group() const { return group_; }
  std::uint32_t index_in_group() const { return index_; }
  // A hash of (group id, index): who it is, the same in any scenario that has it.
  std::uint64_t identity() const { return identity_; }
  Role role() const { return role_; }
  const config::AgentParams& params() const { return params_; }
  const std::vector<AgentIndex>& delegate_to() const { return delegate_to_; }
  double quality() const { return quality_; }

  // Scripted validators: resolves each schedule step's targets to agents, through `members` (a
  // miner group's agents on this agent's subnet, in index order; "group/index" takes the
  // index-th of them). Called by the simulation once the agents exist; a no-op for other types.
  void resolve_schedule(const std::function<std::vector<AgentIndex>(const std::string&)>& members);

  // Called once per epoch of the agent's subnet, in the Decide phase.
  // Appends to out.actions (which the caller clears between decisions).
  void decide(const Observation& obs, Decision& out);
  // Behaviour change from the script; keeps the agent's role-independent state.
  // New behaviour: `params` with the agents its groups name (as at construction); what it
  // remembered of the old behaviour is forgotten, its RNG stream goes on.
  void switch_to(const config::AgentParams& params, std::vector<AgentIndex> favoured,
                 std::vector<AgentIndex> delegate_to);
  // Stops acting for good (take_offline without end) or until `until_block`.
  void set_offline_until(std::uint64_t until_block) { offline_until_ = until_block; }
  bool offline(std::uint64_t block) const { return block < offline_until_; }

 private:
  void decide_miner(const Observation& obs, std::vector<Action>& out);
  void decide_validator(const Observation& obs, Decision& out);
  void decide_staker(const Observation& obs, std::vector<Action>& out);
  double draw(const config::Distribution& d);
  double gaussian(double sd);
  void weights_from_scores(const SubnetView& v, std::int32_t own_uid,
                           const std::vector<double>& score, Decision& out);
  // Scripted validators: the scores of the schedule step in force for the coming epoch; false
  // when no step is (before the first one).
  bool scripted_scores(const Observation& obs, std::vector<double>& score) const;
  static void check_layout();  // a static_assert on the hot fields' place (needs private access)

  // Hot: what every decision reads or writes, first and together in the record's first
  // kHotBytes (checked in agent.cpp), which the simulation prefetches: a network's agents
  // outgrow the L3 cache, and each epoch finds its subnet's agents cold. An honest miner's or
  // validator's decision reads nothing else; copiers, cartels, stakers and scripted validators
  // also read their cold fields below.
  Role role_;
  bool weights_set_ = false;  // whether it has set any (last_set_ means something)
  std::uint64_t offline_until_ = 0;
  std::uint64_t epochs_ = 0;      // decisions taken so far
  std::uint64_t last_block_ = 0;  // block of the previous decision
  std::uint64_t last_set_ = 0;    // block of the last weights this validator set
  double quality_ = 0.0;
  // Keys a validator's per-epoch, per-miner noise (core::keyed_standard_normal): from the
  // scenario seed and its own (group, index), like its stream.
  std::uint64_t noise_seed_;
  std::uint64_t blocks_per_day_;
  core::Rng rng_;
  config::AgentParams params_;
  // Cold.
  std::string group_;
  std::uint32_t index_;
  std::uint64_t identity_;
  std::vector<AgentIndex> favoured_;
  std::vector<AgentIndex> delegate_to_;
  // Copiers: what they saw, newest first, lag + 1 epochs at most. A vector, not a deque: an
  // empty deque holds a 512-byte block, and a network's 30,000 agents mostly remember nothing.
  std::vector<std::vector<double>> memory_;
  std::vector<bool> delegated_to_;  // stakers: which of delegate_to_ hold its delegation
  // Scripted validators: per schedule step, (agent, weight) of every member it names.
  std::vector<std::vector<std::pair<AgentIndex, double>>> schedule_targets_;
};

Role role_of(const config::AgentParams& params);

}  // namespace subnetsim::agents
