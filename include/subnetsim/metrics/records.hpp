// What a run reports while it goes: events (registrations, pruning, slashes, votes, refusals,
// liquidations, script actions), one record per subnet epoch with per-uid values, and periodic
// global samples. Observers receive these as const references (architecture rule 6: observers
// don't mutate) and decide what to keep.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace subnetsim::metrics {

// events.csv details of the free registrations: at block 0, and when the script creates the
// agent's subnet (the story groups both as "registered ... for free").
inline constexpr const char* kRegisteredAtGenesis = "registered at genesis";
inline constexpr const char* kRegisteredWithNewSubnet = "registered free as the script created the subnet";
// events.csv details of a prune (§6.2), which the story retells: the victim came from outside
// immunity, or, with at most min_non_immune_uids uids outside it, from the immune ones.
inline constexpr const char* kPrunedOutsideImmunity = "lowest emission outside immunity";
inline constexpr const char* kPrunedAmongImmune = "lowest emission among the immune uids";

inline constexpr double kNothingMeasured = std::numeric_limits<double>::quiet_NaN();

struct EventRecord {
  std::uint64_t block = 0;
  std::uint16_t netuid = 0;        // 0: chain-wide
  std::string kind;                // register, prune, slash, refuse, vote, proposal, liquidate, ...
  std::string agent;               // "group/index", or "" when none
  std::int32_t uid = -1;
  std::string rule;                // slashing rule / proposal id / refused action
  // The value a rule measured (trust, distance, yes share) and what it was compared with;
  // kNothingMeasured (NaN, an empty cell in events.csv) for an event that measures nothing,
  // so that a real 0 can be told from it.
  double measured = kNothingMeasured;
  double threshold = kNothingMeasured;
  std::uint64_t amount_rao = 0;
  std::string destination;         // where the amount went (burn, treasury, ...)
  std::string detail;              // a readable reason
};

// Per-uid values of one subnet epoch; spans have n entries.
struct EpochRecord {
  std::uint64_t block = 0;
  std::uint16_t netuid = 0;
  std::uint64_t epoch = 0;
  std::size_t n = 0;
  std::span<const std::string> agent;  // "group/index" or ""
  std::span<const std::uint64_t> stake_rao;
  std::span<const double> consensus, incentive, dividends, validator_trust;
  std::span<const std::uint64_t> paid_rao;  // emission paid to each uid's hotkey this epoch
  std::span<const std::uint8_t> permit;     // permits stored for the next epoch
  std::span<const double> bond_total;       // sum of the uid's stored bond row, in units of u16 max
};

struct GlobalSample {
  std::uint64_t block = 0;
  std::uint64_t issuance_rao = 0;
  std::uint64_t total_stake_rao = 0;
  std::uint64_t total_balances_rao = 0;
  std::uint64_t burned_rao = 0;
  std::uint64_t slashed_rao = 0;  // cumulative
  double price_usd = 0.0;
  // Emission minted so far, cumulative, by class of recipient.
  std::uint64_t emitted_owner_rao = 0, emitted_miners_rao = 0, emitted_validators_rao = 0,
                emitted_treasury_rao = 0, emitted_community_rao = 0;
};

class Observer {
 public:
  virtual ~Observer() = default;
  virtual void on_event(const EventRecord&) {}
  virtual void on_epoch(const EpochRecord&) {}
  virtual void on_sample(const GlobalSample&) {}
  // Called once for each block the simulation visits, before its work (progress reporting).
  virtual void on_block(std::uint64_t /*block*/) {}
};

}  // namespace subnetsim::metrics
