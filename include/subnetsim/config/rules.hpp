// Slashing rules, governance proposals and the timed script of a scenario.
//
// Invariants after loading: thresholds and fractions in range; every referenced subnet, agent
// group and rule exists; script events sorted by at_block (file order kept within a block).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "subnetsim/config/agents.hpp"
#include "subnetsim/config/chain.hpp"
#include "subnetsim/config/names.hpp"

namespace subnetsim::config {

enum class SlashTrigger { kValidatorTrustBelow, kWeightDistanceAbove, kScripted };
inline constexpr EnumName<SlashTrigger> kSlashTriggerNames[] = {
    {SlashTrigger::kValidatorTrustBelow, "validator_trust_below"},
    {SlashTrigger::kWeightDistanceAbove, "weight_distance_above"},
    {SlashTrigger::kScripted, "scripted"}};

enum class SlashDestination { kBurn, kTreasury, kRedistribute };
inline constexpr EnumName<SlashDestination> kSlashDestinationNames[] = {
    {SlashDestination::kBurn, "burn"},
    {SlashDestination::kTreasury, "treasury"},
    {SlashDestination::kRedistribute, "redistribute"}};

struct SlashingRule {
  std::string id;
  SlashTrigger trigger = SlashTrigger::kValidatorTrustBelow;
  double threshold = 0.5;              // trust below / L1 distance to consensus above
  std::uint32_t for_epochs = 3;        // consecutive epochs the condition must hold
  double self_stake_fraction = 0.10;   // penalty on the validator's own stake
  double delegated_stake_fraction = 0.0;  // penalty on nominators' stake, pro rata
  SlashDestination destination = SlashDestination::kBurn;
  std::uint32_t jail_epochs = 0;       // no permit for this many epochs after a slash
  std::vector<std::uint16_t> subnets;  // empty: every subnet
};

struct Proposal {
  std::string id;
  std::uint64_t at_block = 0;          // voting opens
  std::uint64_t voting_blocks = 7200;  // voting closes at at_block + voting_blocks
  std::string path;                    // JSON pointer of the scenario parameter to change
  double value = 0.0;                  // the proposed value
  double quorum = 0.5;                 // share of total stake that must vote
  double threshold = 0.5;              // share of voting stake that must vote yes (strictly more)
};

enum class ScriptAction { kSetParam, kSwitchStrategy, kPriceShock, kStakeShock, kCreateSubnet,
                          kTakeOffline, kSlash, kMoveStake, kUnstake, kSetTake };
inline constexpr EnumName<ScriptAction> kScriptActionNames[] = {
    {ScriptAction::kSetParam, "set_param"},
    {ScriptAction::kSwitchStrategy, "switch_strategy"},
    {ScriptAction::kPriceShock, "price_shock"},
    {ScriptAction::kStakeShock, "stake_shock"},
    {ScriptAction::kCreateSubnet, "create_subnet"},
    {ScriptAction::kTakeOffline, "take_offline"},
    {ScriptAction::kSlash, "slash"},
    {ScriptAction::kMoveStake, "move_stake"},
    {ScriptAction::kUnstake, "unstake"},
    {ScriptAction::kSetTake, "set_take"}};

struct ScriptEvent {
  std::uint64_t at_block = 0;
  ScriptAction action = ScriptAction::kSetParam;
  std::string path;          // set_param: JSON pointer of the parameter
  double value = 0.0;        // set_param: new value
  std::string agent;         // switch_strategy / stake_shock / take_offline / slash: group id
  std::string to_type;       // switch_strategy: the new agent type
  AgentParams to_params;     // switch_strategy: its parameters (defaults unless given)
  double factor = 1.0;       // price_shock / stake_shock: multiply by this
  std::uint16_t netuid = 0;  // create_subnet
  std::uint64_t blocks = 0;  // take_offline: duration (0 = for good)
  std::string rule;          // slash: slashing rule id
  std::string from, to;      // move_stake: validator group ids
  double fraction = 1.0;     // move_stake: share of each `from` agent's self-stake moved; unstake: share of each position
  double take = kChainEighteenPercent;  // set_take: the take the group's validators ask for
};

}  // namespace subnetsim::config
