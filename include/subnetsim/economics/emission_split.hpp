// Splitting a block's emission, first across subnets, then within a subnet.
//
// SubnetShares: one integer weight per subnet (equal, the scenario's fixed weights, or total
// stake). Subnet i receives floor(amount * w_i / W). Flooring each share on its own (instead of
// handing the remainder to someone) keeps every subnet's per-block amount a pure function of the
// block's amount, which the closed-form accrual over idle blocks needs. The few rao of
// remainder are simply not minted; `split` returns what was assigned, which is what issuance
// grows by. If W is 0 (all weights zero) nothing is assigned.
//
// WithinSubnetSplit: a subnet's amount into owner / miners / validators / treasury / community.
// Fractions are held as integer parts per billion (round(f * 1e9)), so 0.41 is exactly 41%
// instead of the binary double just below it. Owner, validators, treasury and community each get
// floor(amount * ppb / 1e9); miners get the rest, so the five always sum to the amount.
//
// Accruing a run of n blocks at one rate: split the per-block amount, then multiply each part
// by n (`split_blocks`, `SubnetEmission::times`). Splitting n * amount in one go floors once
// instead of n times and would not match the block-by-block simulation.
//
// Invariants: sum(out) <= amount for SubnetShares; sum == amount for WithinSubnetSplit.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "subnetsim/config/chain.hpp"
#include "subnetsim/core/rao.hpp"

namespace subnetsim::economics {

class SubnetShares {
 public:
  // Each of `count` subnets weighs 1.
  void set_equal(std::size_t count);
  // weights[netuid] for each netuid listed (missing ones weigh 0), in the order of `netuids`.
  // Doubles become integers by an exact power-of-two scaling of the largest to below 2^62.
  void set_weights(const std::map<std::uint16_t, double>& weights,
                   std::span<const std::uint16_t> netuids);
  // Each subnet's total stake in rao. If every stake is 0 (before anyone staked) the subnets
  // share equally, so emission does not stop for want of stake.
  void set_stake(std::span<const core::Rao> stake);
  // Convenience: the mode of `config.subnet_split`; `stake` is used only in kStake mode.
  void set(const config::EmissionConfig& config, std::span<const std::uint16_t> netuids,
           std::span<const core::Rao> stake);

  std::size_t size() const { return weight_.size(); }
  std::span<const std::uint64_t> weights() const { return weight_; }

  // out[i] = floor(amount * w_i / W); out.size() must equal size(). Returns sum(out).
  core::Rao split(core::Rao amount, std::span<core::Rao> out) const;
  // n blocks of `amount` each: out[i] = n * floor(amount * w_i / W). Returns sum(out).
  // Throws std::overflow_error if a total does not fit 64 bits.
  core::Rao split_blocks(core::Rao amount, std::uint64_t blocks, std::span<core::Rao> out) const;
  // sum_i floor(amount * w_i / W) without writing the shares: minted_per_block for the accrual.
  core::Rao assigned_total(core::Rao amount) const;

 private:
  std::vector<std::uint64_t> weight_;
  core::U128 total_ = 0;
};

struct SubnetEmission {
  core::Rao owner, miners, validators, treasury, community;
  core::Rao total() const { return owner + miners + validators + treasury + community; }
  // Each part times n (n blocks of the same amount); throws std::overflow_error on overflow.
  SubnetEmission times(std::uint64_t blocks) const;
};

// A subnet's emission in integer parts. Fractions are parts per billion, floored, taken in the
// order owner, validators, treasury, community; miners get what is left, so the parts always sum
// to the amount. Two rules follow the chain's coinbase (spec §5.3) where the split is the
// chain's: an owner fraction that is a u16 ratio k/65535 (the bittensor preset's 11796/65535)
// is taken as the chain's U96F32 product floor(amount * floor(k 2^32 / 65535) / 2^32); and
// equal miner and validator fractions with no treasury or community part ("the rest in halves")
// give validators floor(rest / 2) of the rest after the owner, the miners the other half (and
// the odd rao the chain leaves unminted).
class WithinSubnetSplit {
 public:
  static constexpr std::uint64_t kPartsPerUnit = 1'000'000'000;

  explicit WithinSubnetSplit(const config::EmissionSplit& fractions);
  SubnetEmission split(core::Rao amount) const;

 private:
  std::uint64_t owner_ppb_, validators_ppb_, treasury_ppb_, community_ppb_;
  std::optional<std::uint64_t> owner_q32_;  // the owner fraction as a chain u16 ratio
  bool halves_ = false;                     // miners and validators share the rest equally
};

}  // namespace subnetsim::economics
