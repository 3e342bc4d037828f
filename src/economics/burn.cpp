// Registration burn: Q32 decay per block, U64F64 increase per registration (see the header).
#include "subnetsim/economics/burn.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace subnetsim::economics {

using core::Rao;
using core::U128;

namespace {
constexpr std::uint64_t kU64Max = std::numeric_limits<std::uint64_t>::max();

std::uint64_t saturate(U128 x) { return x > kU64Max ? kU64Max : static_cast<std::uint64_t>(x); }
}  // namespace

std::uint64_t mul_by_q32(std::uint64_t x, std::uint64_t factor_q32) {
  return saturate((static_cast<U128>(x) * factor_q32) >> 32);
}

std::uint64_t pow_q32(std::uint64_t base_q32, std::uint64_t exp) {
  std::uint64_t result = kQ32One;
  while (exp > 0) {
    if (exp & 1) result = mul_by_q32(result, base_q32);
    exp >>= 1;
    if (exp > 0) base_q32 = mul_by_q32(base_q32, base_q32);
  }
  return result;
}

std::uint64_t burn_decay_factor_q32(std::uint64_t half_life_blocks) {
  if (half_life_blocks == 0) return kQ32One;
  // Invariant: pow(lo) <= 1/2 < pow(hi); pow is non-decreasing in the base, so this converges
  // on the largest base whose power is still at most a half.
  std::uint64_t lo = 0, hi = kQ32One;
  while (lo + 1 < hi) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    if (pow_q32(mid, half_life_blocks) > kQ32One / 2)
      hi = mid;
    else
      lo = mid;
  }
  return lo;
}

U64F64 U64F64::from_double(double x) {
  if (!(x > 0.0)) return {0, 0};
  if (x >= 18446744073709551616.0) return {kU64Max, kU64Max};
  const double whole = std::floor(x);
  const double frac = x - whole;  // exact: x and its integer part share the exponent range
  const double scaled = std::nearbyint(std::ldexp(frac, 64));  // ties to even, as from_num
  U64F64 m;
  m.integer = static_cast<std::uint64_t>(whole);
  m.fraction = scaled >= 18446744073709551616.0 ? kU64Max : static_cast<std::uint64_t>(scaled);
  return m;
}

std::uint64_t mul_floor(std::uint64_t x, U64F64 m) {
  // x * (I + F/2^64) = x*I + floor(x*F / 2^64) exactly, since x*I is an integer.
  const U128 whole = static_cast<U128>(x) * m.integer;
  const U128 part = (static_cast<U128>(x) * m.fraction) >> 64;
  return whole > kU64Max - part ? kU64Max : saturate(whole + part);
}

RegistrationBurn::RegistrationBurn(Rao burn, Rao min_burn, Rao max_burn,
                                   std::uint64_t half_life_blocks, double increase_mult)
    : burn_(burn.raw()),
      min_(min_burn.raw()),
      max_(max_burn.raw()),
      factor_q32_(burn_decay_factor_q32(half_life_blocks)),
      mult_(U64F64::from_double(increase_mult)) {
  burn_ = clamp(burn_);
}

RegistrationBurn::RegistrationBurn(const config::SubnetParams& p)
    : RegistrationBurn(Rao::from_tao(p.burn_tao), Rao::from_tao(p.min_burn_tao),
                       Rao::from_tao(p.max_burn_tao), p.burn_half_life_blocks,
                       p.burn_increase_mult) {}

std::uint64_t RegistrationBurn::clamp(std::uint64_t x) const {
  // The chain's order: raise to the floor, then cap (min <= max is validated by the loader).
  if (x < min_) x = min_;
  if (x > max_) x = max_;
  return x;
}

void RegistrationBurn::decay_one_block() { burn_ = clamp(mul_by_q32(burn_, factor_q32_)); }

std::optional<std::uint64_t> RegistrationBurn::blocks_to_fall_to(core::Rao target,
                                                                 std::uint64_t within) const {
  const std::uint64_t t = target.raw();
  if (burn_ <= t) return 0;
  if (within == 0) return std::nullopt;
  auto reaches = [&](std::uint64_t blocks) {
    RegistrationBurn later = *this;
    later.decay_blocks(blocks);
    return later.burn_ <= t;
  };
  // The first step also brings a burn above max down to max, which may be enough.
  if (reaches(1)) return 1;
  // Below: the burn falls by at least one rao a block until it reaches min, then stays there.
  if (min_ > t || factor_q32_ >= kQ32One || !reaches(within)) return std::nullopt;
  std::uint64_t lo = 1, hi = 2;  // not reached at lo; is it at hi? (it is at `within`)
  while (hi < within && !reaches(hi)) lo = hi, hi *= 2;
  hi = std::min(hi, within);
  while (hi - lo > 1) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    (reaches(mid) ? hi : lo) = mid;
  }
  return hi;
}

void RegistrationBurn::decay_blocks(std::uint64_t blocks) {
  if (blocks == 0) return;
  // One real step first: it also brings a burn above max (after set_bounds) down to max.
  decay_one_block();
  --blocks;
  if (factor_q32_ >= kQ32One) return;  // no decay: every further step is the identity
  const std::uint64_t shave = kQ32One - factor_q32_;  // f = 2^32 - shave
  while (blocks > 0) {
    // At the floor (or 0) the burn is a fixed point: mul_by_q32 can only lower it, and the
    // clamp raises it back to min.
    if (burn_ <= min_) return;
    // One step is x -> floor(x*f/2^32) = x - ceil(x*shave/2^32) = x - d.
    const U128 scaled = static_cast<U128>(burn_) * shave;
    const std::uint64_t d = static_cast<std::uint64_t>((scaled + (kQ32One - 1)) >> 32);
    std::uint64_t run = 1;
    if (static_cast<U128>(d) * shave < kQ32One) {
      // d is the decrement for every x in (lo - 1, d*2^32/shave]; each block lowers x by d and
      // the band is wider than d, so the next (x - lo)/d + 1 blocks all subtract exactly d.
      const std::uint64_t lo =
          static_cast<std::uint64_t>((static_cast<U128>(d - 1) << 32) / shave) + 1;
      run = (burn_ - lo) / d + 1;
    }
    run = std::min(run, blocks);
    // Each x in the run satisfies x >= d (x - d is a floor of a non-negative value).
    const U128 drop = static_cast<U128>(run) * d;
    if (drop > burn_ - min_) {  // reaches the floor inside the run; it stays there
      burn_ = min_;
      return;
    }
    burn_ -= static_cast<std::uint64_t>(drop);
    blocks -= run;
  }
}

void RegistrationBurn::on_registration() { burn_ = clamp(mul_floor(burn_, mult_)); }

void RegistrationBurn::set_bounds(Rao min_burn, Rao max_burn) {
  min_ = min_burn.raw();
  max_ = max_burn.raw();
  burn_ = clamp(burn_);
}

void RegistrationBurn::set_half_life(std::uint64_t half_life_blocks) {
  factor_q32_ = burn_decay_factor_q32(half_life_blocks);
}

void RegistrationBurn::set_increase_mult(double increase_mult) {
  mult_ = U64F64::from_double(increase_mult);
}

void RegistrationBurn::set_price(Rao burn) { burn_ = clamp(burn.raw()); }

}  // namespace subnetsim::economics
