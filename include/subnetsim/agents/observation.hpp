// What an agent sees when it decides, and what it may ask for.
//
// Agents hold no money (architecture rule 1): they read an Observation, a read-only view of the
// chain as of this block, and append Actions; the simulation applies those in agent order
// through the chain's rules, and refuses what the chain would refuse. Miner "work" is modelled as
// a published output quality per epoch that validators grade.
#pragma once

#include <cstdint>
#include <span>
#include <variant>
#include <vector>

#include "subnetsim/config/chain.hpp"

namespace subnetsim::agents {

using AgentIndex = std::uint32_t;
inline constexpr std::int32_t kNoUid = -1;

// One subnet as of the current block; per-uid spans have n entries.
struct SubnetView {
  std::uint16_t netuid = 0;
  std::uint64_t block = 0;
  std::uint64_t epoch = 0;  // epochs this subnet has run
  std::size_t n = 0;
  std::span<const double> output;  // quality each uid's miner published this epoch (-1: none)
  std::span<const double> last_output;  // ... and the epoch before (what miners can see)
  std::span<const double> consensus, incentive, dividends, validator_trust;  // last epoch
  std::span<const std::int64_t> agent_of_uid;  // -1: no agent (or a departed one)
  // Each uid's agent's identity (Agent::identity), 0 for none: what keys a validator's noise on
  // a miner, so that no other agent's presence changes it.
  std::span<const std::uint64_t> identity;
};

// A validator agent as stakers see it: stake and the dividends it earned last epoch.
struct ValidatorInfo {
  AgentIndex agent = 0;
  double stake_tao = 0.0;
  double dividends_tao = 0.0;  // paid to its hotkey (all nominators) at the last epoch
  double take = 0.0;           // its take: the share of those dividends it keeps before sharing
};

struct Observation {
  const SubnetView* subnet = nullptr;
  std::int32_t own_uid = kNoUid;
  double price_usd = 0.0;
  bool may_set_weights = false;  // registered, holding a validator permit, and the rate limit allows it
  std::span<const std::int32_t> uid_of_agent;  // every agent's uid on its subnet, or kNoUid
  std::span<const ValidatorInfo> validators;   // validator agents of this subnet, by agent index
};

// The row points into the Decision that holds the action (see Decision).
struct SetWeights {
  std::span<const std::uint16_t> uids;
  std::span<const std::uint16_t> values;
};
struct PublishOutput {
  double quality = 0.0;
};
struct Reregister {};  // leave the subnet and register again with a fresh hotkey (pays the burn)
// Delegates balance / parts (integer division: a balance spread over k validators in turn,
// 1/k, then 1/(k-1) of what is left, ..., splits to the rao).
struct Delegate {
  AgentIndex validator = 0;
  std::uint32_t parts = 1;
};
struct MoveStake {
  AgentIndex from = 0, to = 0;
  double fraction = 1.0;
};
// Takes `fraction` of every stake position the agent's coldkey holds back to its free balance.
struct Unstake {
  double fraction = 1.0;
};
// A validator sets the take it keeps from its dividends before its nominators share the rest.
struct ChangeTake {
  double take = config::kChainEighteenPercent;
};
using Action = std::variant<SetWeights, PublishOutput, Reregister, Delegate, MoveStake, Unstake, ChangeTake>;

// What one decision produces: its actions, and the storage a SetWeights row points into. The
// simulation keeps one per decision slot and reuses it (no allocation per decision, and the
// buffers stay in cache from one subnet's decisions to the next); a row is valid until its
// Decision is cleared, after the actions are applied.
struct Decision {
  std::vector<Action> actions;
  std::vector<std::uint16_t> weight_uids, weight_values;
};

}  // namespace subnetsim::agents
