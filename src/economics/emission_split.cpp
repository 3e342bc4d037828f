// Integer splits of a block's emission across and within subnets (see the header).
#include "subnetsim/economics/emission_split.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace subnetsim::economics {

using core::Rao;
using core::U128;

namespace {

U128 sum_of(const std::vector<std::uint64_t>& w) {
  U128 total = 0;
  for (std::uint64_t x : w) total += x;
  return total;
}

Rao times_checked(Rao x, std::uint64_t n) {
  const U128 p = static_cast<U128>(x.raw()) * n;
  if (p > std::numeric_limits<std::uint64_t>::max())
    throw std::overflow_error("emission over a run of blocks overflows 64-bit rao");
  return Rao(static_cast<std::uint64_t>(p));
}

std::uint64_t fraction_to_ppb(double f) {
  if (!(f > 0.0)) return 0;
  if (f >= 1.0) return WithinSubnetSplit::kPartsPerUnit;
  return static_cast<std::uint64_t>(
      std::llround(f * static_cast<double>(WithinSubnetSplit::kPartsPerUnit)));
}

}  // namespace

void SubnetShares::set_equal(std::size_t count) {
  weight_.assign(count, 1);
  total_ = count;
}

void SubnetShares::set_weights(const std::map<std::uint16_t, double>& weights,
                               std::span<const std::uint16_t> netuids) {
  double largest = 0.0;
  for (std::uint16_t id : netuids)
    if (auto it = weights.find(id); it != weights.end() && std::isfinite(it->second))
      largest = std::max(largest, it->second);
  weight_.assign(netuids.size(), 0);
  if (largest > 0.0) {
    // Scale by 2^(62 - e) where largest = m * 2^e, m in [0.5, 1): exact for the doubles
    // themselves, so weights 1 and 2 stay exactly 1:2; only the smallest weights lose bits.
    int exponent = 0;
    std::frexp(largest, &exponent);
    for (std::size_t i = 0; i < netuids.size(); ++i) {
      const auto it = weights.find(netuids[i]);
      if (it == weights.end() || !(it->second > 0.0) || !std::isfinite(it->second)) continue;
      weight_[i] = static_cast<std::uint64_t>(std::llround(std::ldexp(it->second, 62 - exponent)));
    }
  }
  total_ = sum_of(weight_);
}

void SubnetShares::set_stake(std::span<const Rao> stake) {
  weight_.resize(stake.size());
  for (std::size_t i = 0; i < stake.size(); ++i) weight_[i] = stake[i].raw();
  total_ = sum_of(weight_);
  if (total_ == 0) set_equal(stake.size());
}

void SubnetShares::set(const config::EmissionConfig& config, std::span<const std::uint16_t> netuids,
                       std::span<const Rao> stake) {
  switch (config.subnet_split) {
    case config::SubnetSplit::kEqual:
      set_equal(netuids.size());
      return;
    case config::SubnetSplit::kWeights:
      set_weights(config.subnet_weights, netuids);
      return;
    case config::SubnetSplit::kStake:
      set_stake(stake);
      return;
  }
}

Rao SubnetShares::split(Rao amount, std::span<Rao> out) const {
  std::uint64_t assigned = 0;
  for (std::size_t i = 0; i < weight_.size(); ++i) {
    // amount * w_i < 2^128 and the share is <= amount, so it fits back in 64 bits.
    const std::uint64_t share = total_ == 0 ? 0 : core::mul_div(amount.raw(), weight_[i], total_);
    out[i] = Rao(share);
    assigned += share;
  }
  return Rao(assigned);
}

Rao SubnetShares::split_blocks(Rao amount, std::uint64_t blocks, std::span<Rao> out) const {
  const Rao per_block = split(amount, out);
  for (Rao& x : out) x = times_checked(x, blocks);
  return times_checked(per_block, blocks);
}

Rao SubnetShares::assigned_total(Rao amount) const {
  if (total_ == 0) return Rao(0);
  std::uint64_t assigned = 0;
  for (std::uint64_t w : weight_) assigned += core::mul_div(amount.raw(), w, total_);
  return Rao(assigned);
}

SubnetEmission SubnetEmission::times(std::uint64_t blocks) const {
  return {times_checked(owner, blocks), times_checked(miners, blocks),
          times_checked(validators, blocks), times_checked(treasury, blocks),
          times_checked(community, blocks)};
}

WithinSubnetSplit::WithinSubnetSplit(const config::EmissionSplit& fractions)
    : owner_ppb_(fraction_to_ppb(fractions.owner)),
      validators_ppb_(fraction_to_ppb(fractions.validators)),
      treasury_ppb_(fraction_to_ppb(fractions.treasury)),
      community_ppb_(fraction_to_ppb(fractions.community)),
      halves_(fractions.miners == fractions.validators && fractions.treasury == 0.0 &&
              fractions.community == 0.0) {
  const std::uint16_t k = config::fraction_to_u16(fractions.owner);
  if (fractions.owner > 0.0 && k / 65535.0 == fractions.owner)
    owner_q32_ = config::u16_ratio_q32(k);
}

SubnetEmission WithinSubnetSplit::split(Rao amount) const {
  // Each floored part is taken from what is left, so rounding of the fractions (their parts per
  // billion may sum to a little over 1e9) can never assign more than the amount.
  std::uint64_t left = amount.raw();
  auto take = [&](std::uint64_t ppb) {
    const auto part = core::mul_div(amount.raw(), ppb, kPartsPerUnit);
    const std::uint64_t given = std::min(part, left);
    left -= given;
    return Rao(given);
  };
  SubnetEmission e;
  if (owner_q32_) {
    e.owner =
        Rao(static_cast<std::uint64_t>((static_cast<U128>(amount.raw()) * *owner_q32_) >> 32));
    left -= e.owner.raw();
  } else {
    e.owner = take(owner_ppb_);
  }
  if (halves_) {
    e.validators = Rao(left / 2);
    e.miners = Rao(left - left / 2);
    return e;
  }
  e.validators = take(validators_ppb_);
  e.treasury = take(treasury_ppb_);
  e.community = take(community_ppb_);
  e.miners = Rao(left);
  return e;
}

}  // namespace subnetsim::economics
