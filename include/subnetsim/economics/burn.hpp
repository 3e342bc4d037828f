// RegistrationBurn: a subnet's registration price (spec §6.1), with the chain's integer steps.
//
//   each block      burn = clamp(mul_by_q32(burn, f), min, max),  f^half_life = 1/2 in Q32
//   each register   burn = clamp(floor(burn * mult), min, max),    mult in U64F64 (1.26)
//
// f is the largest Q32 value whose half_life-th power (by squaring, flooring each product) is
// at most 1/2, found by bisection: the chain's `decay_factor_q32`. The chain applies it once per
// block in on_initialize (from block 2 on), before that block's registrations; the caller owns
// the block count, so it calls decay_blocks(n) for the n blocks that passed, then reads
// price() and calls on_registration() for each registration in that block.
//
// decay_blocks(n) equals n single steps exactly (tested against a loop). It is not
// mul_by_q32(burn, f^n): the chain floors after every block, and pow_q32 floors its own
// products, so that closed form differs from the chain by hundreds of rao from 1 TAO and by
// up to ~2,300 rao from 100 TAO over a half-life (measured in the tests).
// Instead it steps, but skips ahead: once the burn reaches its floor `min` (or 0) nothing
// changes any more, and where the per-block decrement ceil(burn * (2^32 - f) / 2^32) stays
// the same for many blocks (small burns) those blocks are taken in one go. The cost is at
// most ~half_life * log2(max / min) steps (and a short tail when min is 0), never more than
// n: 1.4 ms for half-life 36,100 from 100 TAO down to 0.
//
// Invariant: min <= price() <= max after any step (the initial burn is clamped too).
#pragma once

#include <cstdint>
#include <optional>

#include "subnetsim/config/chain.hpp"
#include "subnetsim/core/rao.hpp"

namespace subnetsim::economics {

inline constexpr std::uint64_t kQ32One = 1ULL << 32;

// floor(x * f / 2^32), saturating at 2^64 - 1.
std::uint64_t mul_by_q32(std::uint64_t x, std::uint64_t factor_q32);
// base^exp in Q32 by squaring, each product floored by mul_by_q32.
std::uint64_t pow_q32(std::uint64_t base_q32, std::uint64_t exp);
// The per-block factor for a half-life in blocks (1.0 = kQ32One for half_life 0).
std::uint64_t burn_decay_factor_q32(std::uint64_t half_life_blocks);

// An unsigned 64.64 fixed-point multiplier, as the chain stores BurnIncreaseMult.
struct U64F64 {
  std::uint64_t integer = 1;
  std::uint64_t fraction = 0;  // / 2^64
  // The exact value of a double in [0, 2^64) (a double's bits always fit 64 fraction bits).
  static U64F64 from_double(double x);
};
// floor(x * m), saturating at 2^64 - 1.
std::uint64_t mul_floor(std::uint64_t x, U64F64 m);

class RegistrationBurn {
 public:
  RegistrationBurn(core::Rao burn, core::Rao min_burn, core::Rao max_burn,
                   std::uint64_t half_life_blocks, double increase_mult);
  // From a subnet's burn_tao, min/max_burn_tao, burn_half_life_blocks, burn_increase_mult.
  explicit RegistrationBurn(const config::SubnetParams& params);

  core::Rao price() const { return core::Rao(burn_); }
  std::uint64_t decay_factor_q32() const { return factor_q32_; }

  void decay_one_block();
  void decay_blocks(std::uint64_t blocks);
  // How many blocks of decay, with no registration meanwhile, bring price() to `target` or
  // below: 0 if it is there already; none if it does not within `within` blocks (or ever:
  // target below min, or no decay). Exact: the least n with decay_blocks(n) reaching it, by
  // doubling then bisection, each step at most `within` blocks of decay.
  std::optional<std::uint64_t> blocks_to_fall_to(core::Rao target, std::uint64_t within) const;
  void on_registration();  // burn = clamp(floor(burn * mult))

  // Governance or script changes; the current burn is re-clamped to the new bounds.
  void set_bounds(core::Rao min_burn, core::Rao max_burn);
  void set_half_life(std::uint64_t half_life_blocks);
  void set_increase_mult(double increase_mult);
  void set_price(core::Rao burn);

 private:
  std::uint64_t clamp(std::uint64_t x) const;

  std::uint64_t burn_, min_, max_;
  std::uint64_t factor_q32_;
  U64F64 mult_;
};

}  // namespace subnetsim::economics
