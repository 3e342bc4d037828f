// Bit-exact emulation of the substrate-fixed arithmetic subtensor's epoch uses (spec §1).
//
// Values are plain raw integers, not wrapper classes, so the exact backend can keep them in flat
// vectors: an I32F32 is an `std::int64_t` holding value * 2^32; an I64F64 would be an i128 holding
// value * 2^64 (only stake normalisation needs it, and there it reduces to integer division, see
// stake_share). Every helper reproduces one chain operation exactly:
//   mul        (a*b) >> 32 in i128, arithmetic shift = floor, saturating to the i64 range;
//   safe_div   (a << 32) / b truncating toward zero, 0 when b == 0 or on overflow;
//   sat_div    the same but saturating on overflow (b != 0 required, as on chain);
//   from_f64   round to nearest, ties to even, of the exact binary value;
//   to_u64/16  floor, then clamp (negative -> 0);
//   round      nearest, ties away from zero.
// Sums over vectors are plain sequential additions in index order (wrapping, like the chain's
// release build); column sums use sat_add where the chain does.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace subnetsim::consensus::fixed {

__extension__ typedef __int128 I128;
__extension__ typedef unsigned __int128 U128;

using Raw = std::int64_t;  // an I32F32 value * 2^32

inline constexpr int kFracBits = 32;
inline constexpr Raw kOne = Raw{1} << kFracBits;
inline constexpr Raw kHalf = kOne / 2;
inline constexpr Raw kMax = std::numeric_limits<Raw>::max();
inline constexpr Raw kMin = std::numeric_limits<Raw>::min();
inline constexpr Raw kU16Max = Raw{65535} << kFracBits;  // I32F32::from_num(u16::MAX)

constexpr Raw from_int(std::int64_t k) { return k * kOne; }  // exact for |k| < 2^31
constexpr double to_f64(Raw x) { return static_cast<double>(x) / 4294967296.0; }

constexpr Raw saturate(I128 v) {
  if (v > kMax) return kMax;
  if (v < kMin) return kMin;
  return static_cast<Raw>(v);
}

// The saturating primitives are the exact backend's inner loops: they test the overflow flag
// and the product's top bits rather than compare 128-bit values (the same results as
// saturate() of the exact i128 value; tests/unit/consensus/fixed_point_test.cpp checks them
// against it). An overflowing sum or difference saturates toward a's side, the only one it
// can overflow to.
constexpr Raw sat_add(Raw a, Raw b) {
  Raw r = 0;
  if (__builtin_add_overflow(a, b, &r)) return a < 0 ? kMin : kMax;
  return r;
}
constexpr Raw sat_sub(Raw a, Raw b) {
  Raw r = 0;
  if (__builtin_sub_overflow(a, b, &r)) return a < 0 ? kMin : kMax;
  return r;
}
// Plain '+' of the chain's Sum impl: two's-complement wrap (never reached with fractions <= 1).
constexpr Raw wrap_add(Raw a, Raw b) {
  return static_cast<Raw>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}

// Floor multiplication (arithmetic shift of the i128 product), saturating. p >> 32 fits 64 bits
// exactly when p >> 95, the top 33 bits, are all zeros or all ones: bits 31..63 of the high
// half agree with its sign.
constexpr Raw mul(Raw a, Raw b) {
  const I128 p = I128{a} * b;
  const auto hi = static_cast<std::int64_t>(p >> 64);
  if ((hi >> 31) != (hi >> 63)) return hi < 0 ? kMin : kMax;
  return static_cast<Raw>(p >> kFracBits);
}

// checked_mul: false on overflow.
constexpr bool checked_mul(Raw a, Raw b, Raw& out) {
  const I128 p = (I128{a} * b) >> kFracBits;
  if (p > kMax || p < kMin) return false;
  out = static_cast<Raw>(p);
  return true;
}

// Truncating division; `ok` false on b == 0 or overflow. Uses a 64-bit division whenever the
// shifted dividend fits, which gives the identical quotient (both truncate toward zero).
// 1 / b for b > 1 (raw): 2^64 / b = floor((2^64 - 1) / b) + [(2^64 - 1) mod b == b - 1], all
// in 64 bits. Reciprocals (sigmoids, exp of negative x) are frequent enough to matter.
constexpr std::uint64_t one_over(std::uint64_t b) {
  return UINT64_MAX / b + (UINT64_MAX % b == b - 1 ? 1 : 0);
}

constexpr bool checked_div(Raw a, Raw b, Raw& out) {
  if (b == 0) return false;
  if (a == kOne && b > 1) {
    const std::uint64_t q = one_over(static_cast<std::uint64_t>(b));
    if (q > static_cast<std::uint64_t>(kMax)) return false;
    out = static_cast<Raw>(q);
    return true;
  }
  if (a >= 0 && a < kOne && b > 0) {
    const std::uint64_t q =
        (static_cast<std::uint64_t>(a) << kFracBits) / static_cast<std::uint64_t>(b);
    if (q > static_cast<std::uint64_t>(kMax)) return false;
    out = static_cast<Raw>(q);
    return true;
  }
  const I128 q = (I128{a} * kOne) / b;
  if (q > kMax || q < kMin) return false;
  out = static_cast<Raw>(q);
  return true;
}

// subtensor's safe_div: 0 when dividing by zero or on overflow.
constexpr Raw safe_div(Raw a, Raw b) {
  Raw out = 0;
  return checked_div(a, b, out) ? out : 0;
}

// safe_div(a, b) for many `a` and one `b`, bit-identical to safe_div but without a hardware
// division per call: the quotient is estimated with a precomputed 64-bit reciprocal and then
// corrected to the exact truncated quotient. Two shapes are fast: b a whole number (then
// safe_div(a, b) = a / (b >> 32) for a >= 0) and 0 <= a < 1 (dividend a << 32 fits 64 bits).
class Divider {
 public:
  explicit constexpr Divider(Raw b) : b_(b) {
    if (b_ > 0 && (b_ & (kOne - 1)) == 0) {
      whole_ = true;
      d_ = static_cast<std::uint64_t>(b_) >> kFracBits;
    } else if (b_ > 0) {
      d_ = static_cast<std::uint64_t>(b_);
    }
    if (d_ != 0) m_ = UINT64_MAX / d_;
  }
  constexpr Raw operator()(Raw a) const {
    if (d_ == 0 || a < 0) return safe_div(a, b_);
    std::uint64_t n = 0;
    if (whole_) {
      n = static_cast<std::uint64_t>(a);
    } else if (a < kOne) {
      n = static_cast<std::uint64_t>(a) << kFracBits;
    } else {
      return safe_div(a, b_);
    }
    // m = floor((2^64 - 1) / d) puts the estimate at most 2 below the quotient: two branch-free
    // corrections, then a loop that never runs but keeps the result exact by construction.
    std::uint64_t q = static_cast<std::uint64_t>((U128{n} * m_) >> 64);
    std::uint64_t r = n - q * d_;
    for (int step = 0; step < 2; ++step) {
      const bool up = r >= d_;
      q += up;
      r -= up ? d_ : 0;
    }
    while (r >= d_) {
      ++q;
      r -= d_;
    }
    return q > static_cast<std::uint64_t>(kMax) ? 0 : static_cast<Raw>(q);
  }

 private:
  Raw b_;
  bool whole_ = false;
  std::uint64_t d_ = 0, m_ = 0;
};

// saturating_div (b must be non-zero).
constexpr Raw sat_div(Raw a, Raw b) {
  if (b == 0) return 0;
  if (a == kOne && b > 1) {
    const std::uint64_t q = one_over(static_cast<std::uint64_t>(b));
    return q > static_cast<std::uint64_t>(kMax) ? kMax : static_cast<Raw>(q);
  }
  return saturate((I128{a} * kOne) / b);
}

// I32F32::saturating_from_num(f64): nearest, ties to even (std::nearbyint in the default rounding
// mode), on the exact binary value; scaling by 2^32 is exact.
inline Raw from_f64(double v) {
  const double scaled = std::nearbyint(std::ldexp(v, kFracBits));
  if (!(scaled < 9223372036854775808.0)) return kMax;
  if (scaled < -9223372036854775808.0) return kMin;
  return static_cast<Raw>(scaled);
}
// An f32 literal is first an f32, then converted exactly the same way.
inline Raw from_f32(float v) { return from_f64(static_cast<double>(v)); }

constexpr std::uint64_t to_u64(Raw x) {
  return x <= 0 ? 0 : static_cast<std::uint64_t>(x >> kFracBits);
}
constexpr std::uint16_t to_u16(Raw x) {
  const std::uint64_t v = to_u64(x);
  return v > 65535 ? std::uint16_t{65535} : static_cast<std::uint16_t>(v);
}

// round(): nearest integer, ties away from zero (saturating at the range ends).
constexpr Raw round(Raw x) {
  if (x >= 0) return saturate((I128{x} + kHalf) & ~I128{kOne - 1});
  return saturate(-((-I128{x} + kHalf) & ~I128{kOne - 1}));
}

// floor(x * 65535) clamped to u16: how every per-uid output is stored.
constexpr std::uint16_t fixed_proportion_to_u16(Raw x) { return to_u16(mul(x, kU16Max)); }
// v / 65535 truncating: (v << 32) / 65535.
constexpr Raw u16_proportion_to_fixed(std::uint16_t v) {
  return static_cast<Raw>((static_cast<std::uint64_t>(v) << kFracBits) / 65535u);
}
constexpr Raw u16_to_fixed(std::uint16_t v) { return Raw{v} << kFracBits; }

// alpha = 1 - I32F32(I64F64(ppm) / 1e6): the I64F64 quotient floors, the narrowing floors again,
// and nested floors of integer divisions equal one floor.
constexpr Raw ema_alpha_from_ppm(std::uint64_t ppm) {
  const U128 q = (U128{ppm} << kFracBits) / 1000000u;
  return sat_sub(kOne, saturate(static_cast<I128>(q)));
}

// S_i = I32F32(normalize_64(stake))_i for integer stakes: floor(s_i * 2^64 / T) then >> 32,
// which equals floor(s_i * 2^32 / T).
constexpr Raw stake_share(std::uint64_t s, U128 total) {
  if (total == 0) return 0;
  return static_cast<Raw>((U128{s} << kFracBits) / total);
}

// stake_share(s, total) for many s and one total, without a 128-bit division per call (a
// subnet's stakes are shared out at every epoch). For s <= total (a share of a sum it is part
// of; any other s takes the division) the quotient is at most 2^32, and its double estimate,
// four roundings of 2^-53 away, is within 2^-19 of it: its floor is off by at most one, which
// one exact 128-bit product then corrects. A total of 2^95 or more (never a sum of u16-indexed
// u64 stakes, < 2^80) also takes the division, so that the product cannot overflow.
class ShareOf {
 public:
  explicit ShareOf(U128 total)
      : total_(total),
        scale_(total == 0 ? 0.0 : 4294967296.0 / static_cast<double>(total)),
        fast_((total >> 95) == 0) {}
  Raw operator()(std::uint64_t s) const {
    if (total_ == 0) return 0;
    if (s > total_ || !fast_) return stake_share(s, total_);
    const U128 x = U128{s} << kFracBits;
    auto q = static_cast<std::uint64_t>(static_cast<double>(s) * scale_);
    const U128 p = U128{q} * total_;  // q <= 2^32 + 1, total < 2^95: p < 2^128
    if (p > x) {
      --q;
    } else if (x - p >= total_) {
      ++q;
    }
    return static_cast<Raw>(q);
  }

 private:
  U128 total_;
  double scale_;
  bool fast_;
};

// substrate_fixed::transcendental::exp for I32F32; false on overflow.
bool exp(Raw x, Raw& out);
// exp_safe: input clamped to [-20, 20]; error -> 0 (x <= 0) or kMax.
Raw exp_safe(Raw x);
// safe_exp: exp with error -> 0 (liquid alpha v1's logistic; no clamp).
Raw safe_exp(Raw x);
// safe_exp of many inputs at once: independent series advance in lockstep, four at a time, so
// the processor overlaps their multiply chains. Bit-identical to safe_exp per element.
void safe_exp_batch(std::span<const Raw> x, std::span<Raw> out);
// exp_safe of many inputs at once (clamp, then the batched series). Bit-identical to exp_safe.
void exp_safe_batch(std::span<const Raw> x, std::span<Raw> out);
// substrate_fixed::transcendental::ln for I32F32 (log2 by repeated squaring, divided by log2(e)
// at 23 bits); false for x <= 0. safe_ln maps that error to 0.
bool ln(Raw x, Raw& out);
Raw safe_ln(Raw x);
// 1 / (1 + exp_safe(-rho * (x - kappa))).
Raw sigmoid_safe(Raw x, Raw rho, Raw kappa);

// inplace_normalize: s = Σ x (wrapping); if s != 0, x_i = safe_div(x_i, s).
void normalize(std::span<Raw> x);
// inplace_normalize_using_sum.
void normalize_using_sum(std::span<Raw> x, Raw sum);
Raw sum(std::span<const Raw> x);

// weighted_median of math.rs with the deterministic mid pivot and the partition rules exactly.
// `idx` is the initial partition (indices into stake/score); lo/hi the partition's stake edges.
// `buf` is scratch of at least 3 * idx.size() entries (no allocation here).
Raw weighted_median(std::span<const Raw> stake, std::span<const Raw> score,
                    std::span<const std::size_t> idx, Raw minority, Raw lo, Raw hi,
                    std::vector<std::size_t>& buf);

// vec_max_upscale_to_u16 (I32F32 input) and vec_u16_max_upscale_to_u16 (what set_weights stores).
void max_upscale_to_u16(std::span<const Raw> in, std::span<std::uint16_t> out);
void u16_max_upscale_to_u16(std::span<const std::uint16_t> in, std::span<std::uint16_t> out);

// One entry of mat_ema_alpha(_sparse): min((1 - a) * old + max(a * fresh, 0), 1).
constexpr Raw ema_alpha_entry(Raw old, Raw fresh, Raw a) {
  const Raw decayed = mul(sat_sub(kOne, a), old);
  const Raw inc = mul(a, fresh);
  const Raw v = sat_add(decayed, inc > 0 ? inc : 0);
  return v < kOne ? v : kOne;
}

// alpha_sigmoid of Yuma 3 liquid alpha (spec §3.9), and its two halves: the exponent
// x = slope * (diff - 0.5) with slope = steepness / -100, and alpha = clamp(low + (high - low) /
// (1 + e)) for e = exp_safe(x). Split so that callers can cache exp_safe(x) across entries, and
// the slope taken once for them all (a 128-bit division, 3% of an epoch when made per entry).
Raw alpha_sigmoid_slope(Raw steepness);
Raw alpha_sigmoid_exponent(Raw consensus, Raw weight, Raw bond, Raw slope);
Raw alpha_from_exp(Raw e, Raw alpha_low, Raw alpha_high);
Raw alpha_sigmoid(Raw consensus, Raw weight, Raw bond, Raw alpha_low, Raw alpha_high,
                  Raw steepness);

}  // namespace subnetsim::consensus::fixed
