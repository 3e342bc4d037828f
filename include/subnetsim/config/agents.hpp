// Agent groups: "count agents of this type on this subnet, with these parameters".
//
// A group expands into `count` agents, each with its own RNG stream (seeded by hashing the
// scenario seed, the group id and the index). Type-specific parameters live in the variant;
// the loader accepts only the keys of the group's type. Invariant: `subnet` names a subnet of
// the scenario (or is kAllSubnets), and every group id referenced by a parameter exists.
#pragma once

#include <cstdint>
#include <iterator>
#include <string>
#include <variant>
#include <vector>

#include "subnetsim/config/names.hpp"

namespace subnetsim::config {

enum class Dist { kConstant, kUniform, kNormal, kBeta };
inline constexpr EnumName<Dist> kDistNames[] = {
    {Dist::kConstant, "constant"}, {Dist::kUniform, "uniform"}, {Dist::kNormal, "normal"},
    {Dist::kBeta, "beta"}};

// A distribution of a quantity in [0, 1] (normal draws are clamped to [0, 1]).
struct Distribution {
  Dist dist = Dist::kBeta;
  double value = 0.5;          // constant
  double lo = 0.0, hi = 1.0;   // uniform
  double mean = 0.5, sd = 0.1; // normal
  double a = 2.0, b = 5.0;     // beta
};

struct HonestMiner {
  Distribution quality;
  double drift_per_epoch = 0.0;  // sd of a random walk on quality, per epoch
};
struct InnovatorMiner {
  Distribution quality;
  double jumps_per_day = 0.1;  // Poisson rate of quality jumps
  double jump_size = 0.2;      // quality += jump_size (capped at 1)
};
struct ClonerMiner {
  std::uint32_t lag_epochs = 10;     // copies the best visible miner's output after this many epochs
  double duplicate_penalty = 0.0;    // validators that detect duplicates scale its quality by (1 - this)
};
struct SybilMiner {
  Distribution quality{Dist::kUniform, 0.5, 0.0, 0.1};
};
struct ChurnerMiner {
  Distribution quality;
  std::uint32_t churn_every_epochs = 20;
};
struct HonestValidator {
  double noise = 0.05;                // sd of the Gaussian noise on observed quality
  double sharpness = 1.0;             // weights are observed quality ** sharpness
  std::uint64_t weights_every_blocks = 0;  // 0: every epoch (tempo)
  bool winner_takes_all = false;      // all weight on the best observed miner (one-hot row)
};
struct LazyValidator {
  double noise = 0.05;
  double sharpness = 1.0;
  std::uint32_t update_every_epochs = 10;
  std::uint64_t inactive_from_block = 0;  // 0: never stops entirely
};
struct CopierValidator {
  std::uint32_t lag_epochs = 1;  // copies the consensus it saw this many epochs ago
};
struct CartelValidator {
  std::string favours;            // agent group id of the cartel's own miners
  double favour_share = 0.8;      // share of its weight given to them
  double noise = 0.05;
  double sharpness = 1.0;
};
enum class AdversarialMode { kRandom, kInverted };
inline constexpr EnumName<AdversarialMode> kAdversarialModeNames[] = {
    {AdversarialMode::kRandom, "random"}, {AdversarialMode::kInverted, "inverted"}};
struct AdversarialValidator {
  AdversarialMode mode = AdversarialMode::kInverted;
  double sharpness = 1.0;  // inverted: weights are (1 - quality) ** sharpness
};
struct PassiveStaker {
  std::string validator;  // agent group id of the validators it delegates to (spread evenly)
};
struct YieldChaserStaker {
  std::string validator;          // initial delegation
  double inertia = 0.8;           // probability of staying put at each check
  std::uint32_t check_every_epochs = 10;
};
struct LeveragedStaker {
  std::string validator;
  double leverage = 3.0;          // position / own collateral
  double maintenance_margin = 0.25;
  double borrow_rate_per_year = 0.10;
};
// One step of a scripted validator's weights: from epoch `from_epoch` of its subnet (the epoch
// column of the outputs) until the next step. Targets are a miner group (its weight split evenly
// over the group's members on the validator's subnet) or one member "group/index"; weights are
// relative (normalised by the validator).
struct ScheduleTarget {
  std::string group;
  std::int64_t index = -1;  // -1: the whole group
  double weight = 0.0;
};
struct ScheduleStep {
  std::uint64_t from_epoch = 0;
  std::vector<ScheduleTarget> targets;
};
struct ScriptedValidator {
  std::vector<ScheduleStep> schedule;  // not empty, from_epoch strictly increasing; before the
                                       // first step the validator sets no weights
};

using AgentParams =
    std::variant<HonestMiner, InnovatorMiner, ClonerMiner, SybilMiner, ChurnerMiner,
                 HonestValidator, LazyValidator, CopierValidator, CartelValidator,
                 AdversarialValidator, PassiveStaker, YieldChaserStaker, LeveragedStaker,
                 ScriptedValidator>;

// Type names in the same order as the variant's alternatives.
inline constexpr const char* kAgentTypeNames[] = {
    "honest_miner",      "innovator_miner",   "cloner_miner",     "sybil_miner",
    "churner_miner",     "honest_validator",  "lazy_validator",   "copier_validator",
    "cartel_validator",  "adversarial_validator", "passive_staker", "yield_chaser_staker",
    "leveraged_staker",  "scripted_validator"};
static_assert(std::size(kAgentTypeNames) == std::variant_size_v<AgentParams>);

enum class VotePolicy { kAbstain, kYes, kNo, kRandom, kSelfInterest };
inline constexpr EnumName<VotePolicy> kVotePolicyNames[] = {
    {VotePolicy::kAbstain, "abstain"}, {VotePolicy::kYes, "yes"}, {VotePolicy::kNo, "no"},
    {VotePolicy::kRandom, "random"}, {VotePolicy::kSelfInterest, "self_interest"}};

inline constexpr std::uint16_t kAllSubnets = 0;  // `"subnet": "all"`: one copy per subnet

struct AgentGroup {
  std::string id;
  std::uint32_t count = 1;
  std::uint16_t subnet = 1;  // netuid, or kAllSubnets
  double stake_tao = 0.0;    // initial self-stake per agent
  double balance_tao = 0.0;  // initial free balance per agent
  std::uint64_t join_block = 0;  // registers at this block (0: present at genesis)
  VotePolicy vote = VotePolicy::kAbstain;
  AgentParams params;

  const char* type_name() const { return kAgentTypeNames[params.index()]; }
  bool is_miner() const { return params.index() <= 4; }
  bool is_validator() const {
    return (params.index() >= 5 && params.index() <= 9) ||
           std::holds_alternative<ScriptedValidator>(params);
  }
};

}  // namespace subnetsim::config

namespace subnetsim::config {
// The parameters of the agent type at `index` of kAgentTypeNames, all at their defaults.
AgentParams make_default_params(std::size_t index);
}  // namespace subnetsim::config
