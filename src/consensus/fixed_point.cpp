// Non-inline parts of the fixed-point emulation (see fixed_point.hpp).
#include "subnetsim/consensus/fixed_point.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace subnetsim::consensus::fixed {

namespace {
// substrate-fixed's exp sums the Taylor series up to this power (pinned by the sigmoid_safe
// vectors of math.rs, see tests/unit/consensus).
constexpr int kExpLastTerm = 31;
// I32F32::from_num(E) as substrate-fixed stores it: e to 23 fractional bits.
constexpr Raw kExpOne = Raw{22802600} << 9;
// |x| up to 20 (raw): exp's series cannot overflow (see safe_exp_lanes).
constexpr Raw kNoOverflowAx = Raw{20} << 32;
}  // namespace

bool exp(Raw x, Raw& out) {
  if (x == 0) {
    out = kOne;
    return true;
  }
  if (x == kOne) {
    out = kExpOne;
    return true;
  }
  if (x == kMin) return false;  // |x| overflows
  const Raw ax = x < 0 ? -x : x;
  Raw result = 0;
  if (__builtin_add_overflow(ax, kOne, &result)) return false;
  Raw term = ax;
#pragma GCC unroll 32  // constant divisors once unrolled: no hardware division per term
  for (int i = 2; i <= kExpLastTerm; ++i) {
    if (!checked_mul(term, ax, term)) return false;
    term /= i;  // fixed / from_num(i): truncating, identical to integer division of the raw
    if (term == 0) break;  // 0 * |x| / i stays 0: the remaining terms add nothing
    if (__builtin_add_overflow(result, term, &result)) return false;
  }
  if (x < 0) return checked_div(kOne, result, out);
  out = result;
  return true;
}

namespace {
// substrate-fixed's rs(): halve, rounding the dropped bit up.
constexpr Raw halve_round(Raw x) { return (x >> 1) + (x & 1); }

// log2 of x >= 1: integer part by halving, then one fraction bit per squaring. The integer
// part is counted in raw units and shifted up with the fraction bits, as substrate-fixed does.
Raw log2_at_least_one(Raw x) {
  const Raw two = from_int(2);
  Raw result = 0;
  while (x >= two) {
    ++result;
    x = halve_round(x);
  }
  if (x == kOne) return from_int(result);
  for (int i = 0; i < kFracBits; ++i) {
    x = mul(x, x);
    result = static_cast<Raw>(static_cast<std::uint64_t>(result) << 1);
    if (x >= two) {
      result |= 1;
      x = halve_round(x);
    }
  }
  return result;
}

// log2(e) as substrate-fixed's I9F23 constant, widened to I32F32.
constexpr Raw kLog2E = Raw{12102203} << 9;
}  // namespace

bool ln(Raw x, Raw& out) {
  if (x <= 0) return false;
  Raw log2x = 0;
  if (x < kOne) {
    Raw inverse = 0;
    if (!checked_div(kOne, x, inverse)) return false;  // the chain would panic here
    log2x = -log2_at_least_one(inverse);
  } else {
    log2x = log2_at_least_one(x);
  }
  return checked_div(log2x, kLog2E, out);
}

Raw safe_ln(Raw x) {
  Raw out = 0;
  return ln(x, out) ? out : 0;
}

Raw exp_safe(Raw x) {
  const Raw lo = from_int(-20), hi = from_int(20);
  const Raw safe = x < lo ? lo : (x > hi ? hi : x);
  Raw out = 0;
  if (exp(safe, out)) return out;
  return safe <= 0 ? 0 : kMax;
}

Raw safe_exp(Raw x) {
  Raw out = 0;
  return exp(x, out) ? out : 0;
}

namespace {
// kLanes lanes of exp's series in lockstep. A lane that overflows is flagged and finishes with 0
// (safe_exp's error value); lanes whose terms reached 0 keep adding 0, which changes nothing.
// A lane's term waits on two multiplications a step (the product, then the division by the
// constant i); eight lanes keep the multiplier busy meanwhile, four leave it idle half the time.
template <int kLanes>
void safe_exp_lanes(const Raw* x, Raw* out) {
  Raw ax[kLanes]{}, result[kLanes]{}, term[kLanes]{};
  bool ok[kLanes];
  bool small = true;
  for (int l = 0; l < kLanes; ++l) {
    ax[l] = x[l] == kMin ? 0 : (x[l] < 0 ? -x[l] : x[l]);  // |kMin| overflows: flagged below
    ok[l] = x[l] != kMin && !__builtin_add_overflow(ax[l], kOne, &result[l]);
    term[l] = ax[l];
    small = small && x[l] != kMin && ax[l] <= kNoOverflowAx;
  }
  // |x| and every term are >= 0, so unsigned arithmetic gives the same floors and quotients
  // (and constant unsigned division is the cheaper one).
  if (small) {
    // |x| <= 20 in every lane (liquid alpha's usual range): nothing can overflow, so the
    // checks of the general loop below would never fire and the results are the same. In real
    // terms (raw = real * 2^32, truncation only lowers them): each term is at most
    // |x|^i / i! <= e^20 < 2^29 and so is their sum; the product before the division by i is
    // |x|^i / (i-1)! <= 8.7e8 < 2^30. Raw: < 2^62, below I32F32's maximum.
#pragma GCC unroll 32
    for (int i = 2; i <= kExpLastTerm; ++i) {
      std::uint64_t any = 0;
      for (int l = 0; l < kLanes; ++l) {
        const auto p = static_cast<std::uint64_t>(
            (U128{static_cast<std::uint64_t>(term[l])} * static_cast<std::uint64_t>(ax[l])) >>
            kFracBits);
        const std::uint64_t t = p / static_cast<unsigned>(i);
        term[l] = static_cast<Raw>(t);
        result[l] += static_cast<Raw>(t);
        any |= t;
      }
      if (any == 0) break;
    }
  } else {
#pragma GCC unroll 32
  for (int i = 2; i <= kExpLastTerm; ++i) {
    Raw any = 0;
    for (int l = 0; l < kLanes; ++l) {
      const U128 p =
          (U128{static_cast<std::uint64_t>(term[l])} * static_cast<std::uint64_t>(ax[l])) >>
          kFracBits;
      ok[l] = ok[l] && p <= static_cast<U128>(kMax);
      term[l] = static_cast<Raw>(static_cast<std::uint64_t>(p) / static_cast<unsigned>(i));
      ok[l] = ok[l] && !__builtin_add_overflow(result[l], term[l], &result[l]);
      any |= term[l];
    }
    if (any == 0) break;  // every lane's remaining terms are 0
  }
  }
  for (int l = 0; l < kLanes; ++l) {
    if (x[l] == 0) {
      out[l] = kOne;
    } else if (x[l] == kOne) {
      out[l] = kExpOne;
    } else if (!ok[l]) {
      out[l] = 0;
    } else if (x[l] < 0) {
      Raw inv = 0;
      out[l] = checked_div(kOne, result[l], inv) ? inv : 0;
    } else {
      out[l] = result[l];
    }
  }
}
}  // namespace

void safe_exp_batch(std::span<const Raw> x, std::span<Raw> out) {
  std::size_t k = 0;
  for (; k + 8 <= x.size(); k += 8) safe_exp_lanes<8>(x.data() + k, out.data() + k);
  for (; k + 4 <= x.size(); k += 4) safe_exp_lanes<4>(x.data() + k, out.data() + k);
  for (; k < x.size(); ++k) out[k] = safe_exp(x[k]);
}

void exp_safe_batch(std::span<const Raw> x, std::span<Raw> out) {
  const Raw lo = from_int(-20), hi = from_int(20);
  const std::size_t n = x.size();
  // The lanes of a batch run until the largest |x| among them has no term left (about 14 steps
  // at |x| = 1, 28 at 5), so the clamped inputs go in order of |x| in half units (a counting
  // sort), and each batch holds similar magnitudes; the results go back to their places.
  constexpr std::size_t kClasses = 41;  // |x| <= 20 after the clamp
  thread_local std::vector<Raw> sorted_x, sorted_e;
  thread_local std::vector<std::uint32_t> order;
  std::size_t start[kClasses + 1] = {};
  auto class_of = [](Raw v) {
    return static_cast<std::size_t>(static_cast<std::uint64_t>(v < 0 ? -v : v) >> 31);
  };
  sorted_x.resize(n);
  sorted_e.resize(n);
  order.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    out[k] = x[k] < lo ? lo : (x[k] > hi ? hi : x[k]);
    ++start[class_of(out[k]) + 1];
  }
  for (std::size_t c = 0; c < kClasses; ++c) start[c + 1] += start[c];
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t at = start[class_of(out[k])]++;
    sorted_x[at] = out[k];
    order[at] = static_cast<std::uint32_t>(k);
  }
  safe_exp_batch(sorted_x, sorted_e);
  for (std::size_t k = 0; k < n; ++k) out[order[k]] = sorted_e[k];
  // exp cannot fail on [-20, 20] (e^20 < 2^31), so safe_exp's error value never appears; were it
  // to, exp_safe would give 0 for x <= 0 and the maximum otherwise.
  for (std::size_t k = 0; k < x.size(); ++k)
    if (out[k] == 0 && x[k] > 0) out[k] = kMax;
}

Raw sigmoid_safe(Raw x, Raw rho, Raw kappa) {
  const Raw offset = sat_sub(x, kappa);
  const Raw neg_rho = mul(rho, -kOne);
  const Raw e = exp_safe(mul(neg_rho, offset));
  return safe_div(kOne, sat_add(e, kOne));
}

Raw sum(std::span<const Raw> x) {
  Raw s = 0;
  for (Raw v : x) s = wrap_add(s, v);
  return s;
}

void normalize_using_sum(std::span<Raw> x, Raw s) {
  if (s == 0) return;
  const Divider div(s);
  for (Raw& v : x) v = div(v);
}

void normalize(std::span<Raw> x) { normalize_using_sum(x, sum(x)); }

Raw weighted_median(std::span<const Raw> stake, std::span<const Raw> score,
                    std::span<const std::size_t> idx, Raw minority, Raw lo, Raw hi,
                    std::vector<std::size_t>& buf) {
  const std::size_t m = idx.size();
  if (buf.size() < 3 * m) buf.resize(3 * m);
  // Three buffers rotate roles (current partition, lower, upper) instead of copying.
  std::size_t* part = buf.data();
  std::size_t* lower = part + m;
  std::size_t* upper = lower + m;
  std::size_t n = m;
  I128 total = 0;
  for (std::size_t k = 0; k < m; ++k) {
    part[k] = idx[k];
    total += stake[idx[k]];
  }
  const bool small_total = total <= kMax;
  std::size_t iterations = 0;
  for (;;) {
    if (n == 0) return 0;
    if (n == 1) return part[0] < score.size() ? score[part[0]] : 0;
    const Raw pivot = score[part[n / 2]];
    // Stakes are non-negative (the epoch passes positive normalised stakes), so saturating each
    // partial sum, as the chain does, equals saturating the exact total; when the total of all
    // stakes fits 64 bits no partial sum can overflow and plain adds suffice.
    std::size_t nl = 0, nu = 0;
    const auto classify = [&](auto& lo_sum, auto& hi_sum) {
      for (std::size_t k = 0; k < n; ++k) {  // branch-free, order preserved
        const std::size_t i = part[k];
        const Raw s = score[i];
        const bool lt = s < pivot;
        const bool gt = pivot < s;
        lower[nl] = i;
        upper[nu] = i;
        lo_sum += lt ? stake[i] : 0;
        hi_sum += gt ? stake[i] : 0;
        nl += lt;
        nu += gt;
      }
    };
    Raw lo_stake = 0, hi_stake = 0;
    if (small_total) {
      classify(lo_stake, hi_stake);
    } else {
      I128 lo_sum = 0, hi_sum = 0;
      classify(lo_sum, hi_sum);
      lo_stake = saturate(lo_sum);
      hi_stake = saturate(hi_sum);
    }
    if (minority < sat_add(lo, lo_stake) && nl > 0) {
      std::swap(part, lower);
      n = nl;
      hi = sat_add(lo, lo_stake);
    } else if (sat_sub(hi, hi_stake) <= minority && nu > 0) {
      std::swap(part, upper);
      n = nu;
      lo = sat_sub(hi, hi_stake);
    } else {
      return pivot;
    }
    if (++iterations > m) return 0;
  }
}

void max_upscale_to_u16(std::span<const Raw> in, std::span<std::uint16_t> out) {
  if (in.empty()) return;
  Raw max = in[0];
  for (Raw v : in) max = v > max ? v : max;
  if (max == 0) {
    for (std::size_t k = 0; k < in.size(); ++k) out[k] = to_u16(mul(in[k], kU16Max));
    return;
  }
  if (max > from_int(32768)) {
    const Raw ratio = safe_div(kU16Max, max);
    for (std::size_t k = 0; k < in.size(); ++k) out[k] = to_u16(round(mul(in[k], ratio)));
    return;
  }
  for (std::size_t k = 0; k < in.size(); ++k)
    out[k] = to_u16(round(safe_div(mul(in[k], kU16Max), max)));
}

void u16_max_upscale_to_u16(std::span<const std::uint16_t> in, std::span<std::uint16_t> out) {
  // Fast path, exact: when the largest value is already 65535 (or all are 0) the chain's ratio
  // 65535/max is exactly 1 (or nothing is scaled), so every value is stored as submitted.
  // Simulated validators submit rows scaled this way, so this is the common case.
  std::uint16_t max = 0;
  for (std::uint16_t v : in) max = v > max ? v : max;
  if (max == 65535 || max == 0) {
    std::copy(in.begin(), in.end(), out.begin());
    return;
  }
  std::vector<Raw> raw(in.size());
  for (std::size_t k = 0; k < in.size(); ++k) raw[k] = u16_to_fixed(in[k]);
  max_upscale_to_u16(raw, out);
}

Raw alpha_sigmoid_slope(Raw steepness) { return sat_div(steepness, from_int(-100)); }

Raw alpha_sigmoid_exponent(Raw consensus, Raw weight, Raw bond, Raw slope) {
  auto clamp01 = [](Raw v) {
    v = v < kOne ? v : kOne;  // min(high) then max(low), in the chain's order
    return v > 0 ? v : 0;
  };
  const Raw diff_buy = clamp01(sat_sub(weight, consensus));
  const Raw diff_sell = clamp01(sat_sub(bond, weight));
  const Raw diff = weight >= bond ? diff_buy : diff_sell;
  return mul(slope, sat_sub(diff, kHalf));
}

Raw alpha_from_exp(Raw e, Raw alpha_low, Raw alpha_high) {
  const Raw sig = sat_div(kOne, sat_add(kOne, e));
  const Raw alpha = sat_add(alpha_low, mul(sig, sat_sub(alpha_high, alpha_low)));
  const Raw capped = alpha < alpha_high ? alpha : alpha_high;
  return capped > alpha_low ? capped : alpha_low;
}

// liquid_alpha_sigmoid calls exp_safe (clamped to [-20, 20]); an earlier revision called
// safe_exp (no clamp), which differs only for |steepness| above ~4290.
Raw alpha_sigmoid(Raw consensus, Raw weight, Raw bond, Raw alpha_low, Raw alpha_high,
                  Raw steepness) {
  const Raw x = alpha_sigmoid_exponent(consensus, weight, bond, alpha_sigmoid_slope(steepness));
  return alpha_from_exp(exp_safe(x), alpha_low, alpha_high);
}

}  // namespace subnetsim::consensus::fixed
