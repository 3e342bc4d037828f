// The chain's stake-weighted median (spec §3.6) of eight columns at once, one column a lane of
// an AVX-512 vector, or with AVX2 a lane of a float vector for the bisection and of one of two
// double vectors for the exact steps; see kernel_median.hpp. Used where the CPU has AVX-512F
// (else AVX2), for columns of up to kLanesMaxRows rows; elsewhere the kernel takes
// median_bucketed column by column. Every form gives the exact answer (the same bits): which
// one runs only changes the time.
//
// Why lanes: the per-column histogram's scatter is a chain of dependent stores, and its bucket
// scan branches where the data says. Eight columns side by side need neither: a pass compares
// every row of eight columns with eight thresholds and sums the stakes of the rows at or below
// them with masked adds, all independent across rows. Measured on 64 rows clustered as in a
// simulated subnet: 67 ns a column against the histogram's 101 (16 rows: 27 against 59; 256
// rows: 275 against 324; beyond that the passes grow and the histogram is kept). Why floats for
// the AVX2 bisection: its passes are most of the work, and a float vector holds eight lanes
// where a double vector holds four; on a Zen 3 the kernel took 12-14% less time at 64 x 256
// than with the bisection in four double lanes.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "kernel_median.hpp"
#include "subnetsim/consensus/kernel.hpp"
#if defined(__GNUC__) && defined(__x86_64__)
// GCC 12's AVX-512 shuffles start from _mm512_undefined_pd(), which -Wmaybe-uninitialized
// reports once inlined (a false positive: every lane is written).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#define SUBNETSIM_MEDIAN_LANES 1
#endif

namespace subnetsim::consensus {

#if defined(SUBNETSIM_MEDIAN_LANES)
namespace {

#define SUBNETSIM_TARGET_AVX512 __attribute__((target("avx512f"), always_inline))

// Rows [0, 8) of eight columns (stride ld) into eight row vectors of eight lanes (slab rows).
SUBNETSIM_TARGET_AVX512 inline void transpose8(const double* src, std::size_t ld, double* dst) {
  const __m512d r0 = _mm512_loadu_pd(src), r1 = _mm512_loadu_pd(src + ld),
                r2 = _mm512_loadu_pd(src + 2 * ld), r3 = _mm512_loadu_pd(src + 3 * ld),
                r4 = _mm512_loadu_pd(src + 4 * ld), r5 = _mm512_loadu_pd(src + 5 * ld),
                r6 = _mm512_loadu_pd(src + 6 * ld), r7 = _mm512_loadu_pd(src + 7 * ld);
  // Pairs of columns interleaved, then 128-bit blocks gathered twice: lane l of output row r
  // is element r of column l.
  const __m512d t0 = _mm512_shuffle_pd(r0, r1, 0x00), t1 = _mm512_shuffle_pd(r0, r1, 0xFF),
                t2 = _mm512_shuffle_pd(r2, r3, 0x00), t3 = _mm512_shuffle_pd(r2, r3, 0xFF),
                t4 = _mm512_shuffle_pd(r4, r5, 0x00), t5 = _mm512_shuffle_pd(r4, r5, 0xFF),
                t6 = _mm512_shuffle_pd(r6, r7, 0x00), t7 = _mm512_shuffle_pd(r6, r7, 0xFF);
  const __m512d u0 = _mm512_shuffle_f64x2(t0, t2, 0x88), u1 = _mm512_shuffle_f64x2(t1, t3, 0x88),
                u2 = _mm512_shuffle_f64x2(t0, t2, 0xDD), u3 = _mm512_shuffle_f64x2(t1, t3, 0xDD),
                u4 = _mm512_shuffle_f64x2(t4, t6, 0x88), u5 = _mm512_shuffle_f64x2(t5, t7, 0x88),
                u6 = _mm512_shuffle_f64x2(t4, t6, 0xDD), u7 = _mm512_shuffle_f64x2(t5, t7, 0xDD);
  _mm512_storeu_pd(dst, _mm512_shuffle_f64x2(u0, u4, 0x88));
  _mm512_storeu_pd(dst + 8, _mm512_shuffle_f64x2(u1, u5, 0x88));
  _mm512_storeu_pd(dst + 16, _mm512_shuffle_f64x2(u2, u6, 0x88));
  _mm512_storeu_pd(dst + 24, _mm512_shuffle_f64x2(u3, u7, 0x88));
  _mm512_storeu_pd(dst + 32, _mm512_shuffle_f64x2(u0, u4, 0xDD));
  _mm512_storeu_pd(dst + 40, _mm512_shuffle_f64x2(u1, u5, 0xDD));
  _mm512_storeu_pd(dst + 48, _mm512_shuffle_f64x2(u2, u6, 0xDD));
  _mm512_storeu_pd(dst + 56, _mm512_shuffle_f64x2(u3, u7, 0xDD));
}

// Per lane, the stake of the rows whose value is <= v. Stakes are integers below 2^53 and so
// are their sums: exact in any order. Four accumulators keep the adds independent.
SUBNETSIM_TARGET_AVX512 inline __m512d stake_at_or_below(const double* slab, std::size_t k,
                                                         const double* stake, __m512d v) {
  __m512d a0 = _mm512_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
  std::size_t r = 0;
  for (; r + 4 <= k; r += 4) {
    const double* x = slab + r * 8;
    a0 = _mm512_mask_add_pd(a0, _mm512_cmp_pd_mask(_mm512_loadu_pd(x), v, _CMP_LE_OQ), a0,
                            _mm512_set1_pd(stake[r]));
    a1 = _mm512_mask_add_pd(a1, _mm512_cmp_pd_mask(_mm512_loadu_pd(x + 8), v, _CMP_LE_OQ), a1,
                            _mm512_set1_pd(stake[r + 1]));
    a2 = _mm512_mask_add_pd(a2, _mm512_cmp_pd_mask(_mm512_loadu_pd(x + 16), v, _CMP_LE_OQ), a2,
                            _mm512_set1_pd(stake[r + 2]));
    a3 = _mm512_mask_add_pd(a3, _mm512_cmp_pd_mask(_mm512_loadu_pd(x + 24), v, _CMP_LE_OQ), a3,
                            _mm512_set1_pd(stake[r + 3]));
  }
  for (; r < k; ++r)
    a0 = _mm512_mask_add_pd(a0, _mm512_cmp_pd_mask(_mm512_loadu_pd(slab + r * 8), v, _CMP_LE_OQ),
                            a0, _mm512_set1_pd(stake[r]));
  return _mm512_add_pd(_mm512_add_pd(a0, a1), _mm512_add_pd(a2, a3));
}

#undef SUBNETSIM_TARGET_AVX512

#define SUBNETSIM_TARGET_AVX2 __attribute__((target("avx2"), always_inline))

// The AVX2 helpers: four double lanes for the exact passes, eight float lanes for the
// bisection; a mask is a vector of all-ones lanes.

// Rows [0, 4) of four columns (stride ld) into four row vectors of four lanes (slab rows).
SUBNETSIM_TARGET_AVX2 inline void transpose4(const double* src, std::size_t ld, double* dst) {
  const __m256d c0 = _mm256_loadu_pd(src), c1 = _mm256_loadu_pd(src + ld),
                c2 = _mm256_loadu_pd(src + 2 * ld), c3 = _mm256_loadu_pd(src + 3 * ld);
  const __m256d t0 = _mm256_unpacklo_pd(c0, c1), t1 = _mm256_unpackhi_pd(c0, c1),
                t2 = _mm256_unpacklo_pd(c2, c3), t3 = _mm256_unpackhi_pd(c2, c3);
  _mm256_storeu_pd(dst, _mm256_permute2f128_pd(t0, t2, 0x20));
  _mm256_storeu_pd(dst + 4, _mm256_permute2f128_pd(t1, t3, 0x20));
  _mm256_storeu_pd(dst + 8, _mm256_permute2f128_pd(t0, t2, 0x31));
  _mm256_storeu_pd(dst + 12, _mm256_permute2f128_pd(t1, t3, 0x31));
}

// Lane l all ones where bit l of `bits` is set, else zero.
SUBNETSIM_TARGET_AVX2 inline __m256d lane_mask4(unsigned bits) {
  const __m256i bit = _mm256_set_epi64x(8, 4, 2, 1);
  return _mm256_castsi256_pd(_mm256_cmpeq_epi64(
      _mm256_and_si256(_mm256_set1_epi64x(static_cast<long long>(bits)), bit), bit));
}

// acc + stake where x <= v: adding +0.0 elsewhere leaves acc as it is (acc >= 0).
SUBNETSIM_TARGET_AVX2 inline __m256d add_if_le(__m256d acc, __m256d x, __m256d v,
                                               const double* stake) {
  return _mm256_add_pd(acc,
                       _mm256_and_pd(_mm256_cmp_pd(x, v, _CMP_LE_OQ), _mm256_broadcast_sd(stake)));
}

// min(acc, x) where x > v, acc elsewhere.
SUBNETSIM_TARGET_AVX2 inline __m256d min_if_gt(__m256d acc, __m256d x, __m256d v) {
  return _mm256_blendv_pd(acc, _mm256_min_pd(acc, x), _mm256_cmp_pd(x, v, _CMP_GT_OQ));
}

// One exact pass over four lanes' rows (slab rows of four doubles): the stake at or below v
// (integers below 2^53: exact in any order) and the smallest value above v (inf if none).
SUBNETSIM_TARGET_AVX2 inline void stake_and_next4(const double* slab, std::size_t k,
                                                  const double* stake, __m256d v,
                                                  __m256d& at_or_below, __m256d& next) {
  const __m256d inf = _mm256_set1_pd(std::numeric_limits<double>::infinity());
  __m256d s0 = _mm256_setzero_pd(), s1 = s0, n0 = inf, n1 = inf;
  std::size_t r = 0;
  for (; r + 2 <= k; r += 2) {
    const __m256d x0 = _mm256_loadu_pd(slab + r * 4), x1 = _mm256_loadu_pd(slab + r * 4 + 4);
    s0 = add_if_le(s0, x0, v, stake + r);
    s1 = add_if_le(s1, x1, v, stake + r + 1);
    n0 = min_if_gt(n0, x0, v);
    n1 = min_if_gt(n1, x1, v);
  }
  if (r < k) {
    const __m256d x0 = _mm256_loadu_pd(slab + r * 4);
    s0 = add_if_le(s0, x0, v, stake + r);
    n0 = min_if_gt(n0, x0, v);
  }
  at_or_below = _mm256_add_pd(s0, s1);
  next = _mm256_min_pd(n0, n1);
}

// add_if_le in eight float lanes.
SUBNETSIM_TARGET_AVX2 inline __m256 add_if_le8f(__m256 acc, __m256 x, __m256 v, const float* s) {
  return _mm256_add_ps(acc, _mm256_and_ps(_mm256_cmp_ps(x, v, _CMP_LE_OQ), _mm256_broadcast_ss(s)));
}

// Per lane, the stake of the rows whose float value is <= v, in float: approximate, but the
// same sums in the same order for any v, and a sum of more non-negative terms is never
// smaller after rounding, so the test `> minority` stays monotone in v (what a bisection needs).
SUBNETSIM_TARGET_AVX2 inline __m256 stake_at_or_below8f(const float* slab, std::size_t k,
                                                        const float* stake, __m256 v) {
  __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
  std::size_t r = 0;
  for (; r + 4 <= k; r += 4) {
    const float* x = slab + r * 8;
    a0 = add_if_le8f(a0, _mm256_loadu_ps(x), v, stake + r);
    a1 = add_if_le8f(a1, _mm256_loadu_ps(x + 8), v, stake + r + 1);
    a2 = add_if_le8f(a2, _mm256_loadu_ps(x + 16), v, stake + r + 2);
    a3 = add_if_le8f(a3, _mm256_loadu_ps(x + 24), v, stake + r + 3);
  }
  for (; r < k; ++r) a0 = add_if_le8f(a0, _mm256_loadu_ps(slab + r * 8), v, stake + r);
  return _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
}

#undef SUBNETSIM_TARGET_AVX2

}  // namespace

bool median_lanes_available() {
  static const bool ok = __builtin_cpu_supports("avx512f");
  return ok;
}

bool median_lanes_avx2_available() {
  static const bool ok = __builtin_cpu_supports("avx2");
  return ok;
}

// The answer is the smallest value x of a column with P(x): stake(<= x) > minority, which is
// monotone in x. Bisection keeps, per lane, L with P(L) false (first just below the column's
// smallest value) and H with P(H) true (its largest value: the caller has checked that the
// whole stake exceeds the minority); then the column's values in (L, H] are stepped through
// from the smallest, each step one pass that tests a candidate and finds the next, until every
// lane has its answer. About log2(k) + 2 halvings leave one or two candidates a column where
// the values spread over their range; where most sit in a sliver of it (one outlier far above
// a tight cluster) the bracket keeps many, so the stepping stops after kLanesMaxSteps passes
// and the lanes left are the caller's to finish (median_bucketed), not k passes for all eight.
__attribute__((target("avx512f"))) unsigned median_lanes8(const double* columns, std::size_t ld,
                                                          std::size_t k, const double* stake,
                                                          std::int64_t total, std::int64_t minority,
                                                          double* slab, double* out) {
  std::size_t r = 0;
  for (; r + 8 <= k; r += 8) transpose8(columns + r, ld, slab + r * 8);
  for (; r < k; ++r)
    for (std::size_t l = 0; l < 8; ++l) slab[r * 8 + l] = columns[l * ld + r];
  __m512d lo = _mm512_loadu_pd(slab), hi = lo;
  for (r = 1; r < k; ++r) {
    const __m512d x = _mm512_loadu_pd(slab + r * 8);
    lo = _mm512_min_pd(lo, x);
    hi = _mm512_max_pd(hi, x);
  }
  // Every value's own stake exceeds a negative minority: the smallest wins. The whole stake
  // not exceeding it: the largest (the chain's partition loop ends on it).
  if (minority < 0 || total <= minority) {
    _mm512_storeu_pd(out, minority < 0 ? lo : hi);
    return 0;
  }
  const __m512d minority_v = _mm512_set1_pd(static_cast<double>(minority));
  // Strictly below the smallest value (by at least its ulp; by the least subnormal at 0):
  // nothing is at or below it.
  __m512d low =
      _mm512_sub_pd(lo, _mm512_add_pd(_mm512_mul_pd(_mm512_abs_pd(lo), _mm512_set1_pd(0x1p-52)),
                                      _mm512_set1_pd(std::numeric_limits<double>::denorm_min())));
  __m512d high = hi;
  const __m512d half = _mm512_set1_pd(0.5);
  int halvings = 2;
  for (std::size_t span = 1; span < k; span *= 2) ++halvings;
  for (int t = 0; t < halvings; ++t) {
    const __m512d mid = _mm512_add_pd(low, _mm512_mul_pd(_mm512_sub_pd(high, low), half));
    const __mmask8 p =
        _mm512_cmp_pd_mask(stake_at_or_below(slab, k, stake, mid), minority_v, _CMP_GT_OQ);
    high = _mm512_mask_mov_pd(high, p, mid);
    low = _mm512_mask_mov_pd(low, static_cast<__mmask8>(~p), mid);
  }
  const __m512d inf = _mm512_set1_pd(std::numeric_limits<double>::infinity());
  __m512d candidate = inf;
  for (r = 0; r < k; ++r) {
    const __m512d x = _mm512_loadu_pd(slab + r * 8);
    candidate = _mm512_mask_min_pd(candidate, _mm512_cmp_pd_mask(x, low, _CMP_GT_OQ), candidate, x);
  }
  __mmask8 done = 0;
  __m512d answer = candidate;
  for (int step = 0; step < kLanesMaxSteps; ++step) {
    // One pass: the stake at or below each candidate, and the next value above it.
    __m512d s0 = _mm512_setzero_pd(), s1 = s0, n0 = inf, n1 = inf;
    for (r = 0; r + 2 <= k; r += 2) {
      const __m512d x0 = _mm512_loadu_pd(slab + r * 8), x1 = _mm512_loadu_pd(slab + r * 8 + 8);
      s0 = _mm512_mask_add_pd(s0, _mm512_cmp_pd_mask(x0, candidate, _CMP_LE_OQ), s0,
                              _mm512_set1_pd(stake[r]));
      s1 = _mm512_mask_add_pd(s1, _mm512_cmp_pd_mask(x1, candidate, _CMP_LE_OQ), s1,
                              _mm512_set1_pd(stake[r + 1]));
      n0 = _mm512_mask_min_pd(n0, _mm512_cmp_pd_mask(x0, candidate, _CMP_GT_OQ), n0, x0);
      n1 = _mm512_mask_min_pd(n1, _mm512_cmp_pd_mask(x1, candidate, _CMP_GT_OQ), n1, x1);
    }
    if (r < k) {
      const __m512d x0 = _mm512_loadu_pd(slab + r * 8);
      s0 = _mm512_mask_add_pd(s0, _mm512_cmp_pd_mask(x0, candidate, _CMP_LE_OQ), s0,
                              _mm512_set1_pd(stake[r]));
      n0 = _mm512_mask_min_pd(n0, _mm512_cmp_pd_mask(x0, candidate, _CMP_GT_OQ), n0, x0);
    }
    const __mmask8 found = _mm512_cmp_pd_mask(_mm512_add_pd(s0, s1), minority_v, _CMP_GT_OQ) &
                           static_cast<__mmask8>(~done);
    answer = _mm512_mask_mov_pd(answer, found, candidate);
    done = static_cast<__mmask8>(done | found);
    if (done == 0xFF) break;
    candidate = _mm512_mask_mov_pd(candidate, static_cast<__mmask8>(~done), _mm512_min_pd(n0, n1));
  }
  _mm512_storeu_pd(out, answer);
  return static_cast<unsigned>(static_cast<__mmask8>(~done));
}

// Eight columns in AVX2: the bisection on the values rounded to float, eight lanes a vector,
// then, four lanes at a time in double, the exact test of its lower end and the values above it
// stepped through (see median_lanes8_avx2 in kernel_median.hpp).
__attribute__((target("avx2"))) unsigned median_lanes8_avx2(const double* columns, std::size_t ld,
                                                            std::size_t k, const double* stake,
                                                            std::int64_t total,
                                                            std::int64_t minority, double* slab,
                                                            double* out) {
  // The slab: columns 0-3 and 4-7 as rows of four doubles, then all eight as rows of eight
  // floats, then the stakes as floats.
  double* const half[2] = {slab, slab + 4 * k};
  auto* const values_f = reinterpret_cast<float*>(slab + 8 * k);
  float* const stake_f = values_f + 8 * k;
  std::size_t r = 0;
  for (; r + 4 <= k; r += 4) {
    transpose4(columns + r, ld, half[0] + r * 4);
    transpose4(columns + 4 * ld + r, ld, half[1] + r * 4);
  }
  for (; r < k; ++r)
    for (std::size_t l = 0; l < 4; ++l) {
      half[0][r * 4 + l] = columns[l * ld + r];
      half[1][r * 4 + l] = columns[(l + 4) * ld + r];
    }
  if (minority < 0 || total <= minority) {
    // Every value's own stake exceeds a negative minority: the smallest wins. The whole stake
    // not exceeding it: the largest (the chain's partition loop ends on it).
    for (int h = 0; h < 2; ++h) {
      __m256d lo = _mm256_loadu_pd(half[h]), hi = lo;
      for (r = 1; r < k; ++r) {
        const __m256d x = _mm256_loadu_pd(half[h] + r * 4);
        lo = _mm256_min_pd(lo, x);
        hi = _mm256_max_pd(hi, x);
      }
      _mm256_storeu_pd(out + 4 * h, minority < 0 ? lo : hi);
    }
    return 0;
  }
  __m256 lo_f = _mm256_set1_ps(std::numeric_limits<float>::infinity());
  __m256 hi_f = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
  for (r = 0; r < k; ++r) {
    const __m256 x = _mm256_set_m128(_mm256_cvtpd_ps(_mm256_loadu_pd(half[1] + r * 4)),
                                     _mm256_cvtpd_ps(_mm256_loadu_pd(half[0] + r * 4)));
    _mm256_storeu_ps(values_f + r * 8, x);
    lo_f = _mm256_min_ps(x, lo_f);  // NaN (no weight is) would give the second operand
    hi_f = _mm256_max_ps(x, hi_f);
    stake_f[r] = static_cast<float>(stake[r]);
  }
  // The bisection in float: L below every value, H at the largest; it keeps P~(L) false and
  // P~(H) true for the rounded stakes' test P~, which may differ from the exact one by a value
  // or two where the stake at or below a value is within rounding of the minority. Nothing
  // below rests on it being right: the exact pass tests L itself.
  const __m256 minority_f = _mm256_set1_ps(static_cast<float>(minority));
  const __m256 abs_lo = _mm256_andnot_ps(_mm256_set1_ps(-0.0F), lo_f);
  __m256 low =
      _mm256_sub_ps(lo_f, _mm256_add_ps(_mm256_mul_ps(abs_lo, _mm256_set1_ps(0x1p-22F)),
                                        _mm256_set1_ps(std::numeric_limits<float>::denorm_min())));
  __m256 high = hi_f;
  int halvings = 2;
  for (std::size_t span = 1; span < k; span *= 2) ++halvings;
  for (int t = 0; t < halvings; ++t) {
    const __m256 mid =
        _mm256_add_ps(low, _mm256_mul_ps(_mm256_sub_ps(high, low), _mm256_set1_ps(0.5F)));
    const __m256 p =
        _mm256_cmp_ps(stake_at_or_below8f(values_f, k, stake_f, mid), minority_f, _CMP_GT_OQ);
    high = _mm256_blendv_ps(high, mid, p);
    low = _mm256_blendv_ps(mid, low, p);
  }
  // Exact, four lanes at a time: the stake at or below L must not exceed the minority (else the
  // lane is left over); then the values above L are stepped through from the smallest, each
  // step a pass that tests a candidate and finds the next, as in median_lanes8.
  const __m256d minority_v = _mm256_set1_pd(static_cast<double>(minority));
  unsigned left = 0;
  for (int h = 0; h < 2; ++h) {
    const __m256d low_d =
        _mm256_cvtps_pd(h == 0 ? _mm256_castps256_ps128(low) : _mm256_extractf128_ps(low, 1));
    __m256d at_or_below, candidate;
    stake_and_next4(half[h], k, stake, low_d, at_or_below, candidate);
    // Lanes whose L is not below the answer (P(L) true): left over, and out of the steps.
    const auto missed = static_cast<unsigned>(
        _mm256_movemask_pd(_mm256_cmp_pd(at_or_below, minority_v, _CMP_GT_OQ)));
    unsigned done = missed;
    __m256d answer = candidate;
    for (int step = 0; step < kLanesMaxSteps && done != 0xFu; ++step) {
      __m256d next;
      stake_and_next4(half[h], k, stake, candidate, at_or_below, next);
      const unsigned found = static_cast<unsigned>(_mm256_movemask_pd(
                                 _mm256_cmp_pd(at_or_below, minority_v, _CMP_GT_OQ))) &
                             ~done & 0xFu;
      answer = _mm256_blendv_pd(answer, candidate, lane_mask4(found));
      done |= found;
      candidate = _mm256_blendv_pd(next, candidate, lane_mask4(done));
    }
    _mm256_storeu_pd(out + 4 * h, answer);
    left |= ((~done & 0xFu) | missed) << (4 * h);
  }
  return left;
}

#else

bool median_lanes_available() { return false; }
bool median_lanes_avx2_available() { return false; }

unsigned median_lanes8_avx2(const double*, std::size_t, std::size_t, const double*, std::int64_t,
                            std::int64_t, double*, double*) {
  return 0xFF;
}

unsigned median_lanes8(const double*, std::size_t, std::size_t, const double*, std::int64_t,
                       std::int64_t, double*, double*) {
  return 0xFF;
}

#endif

MedianLanes median_lanes_for_cpu() {
  if (median_lanes_available()) return {8, &median_lanes8};
  if (median_lanes_avx2_available()) return {8, &median_lanes8_avx2};
  return {0, nullptr};
}

bool weighted_median_q32_lanes(core::SimdForm form, const double* columns, std::size_t ld,
                               const std::int64_t* stakes, std::size_t count, std::int64_t minority,
                               double* out, unsigned* left_over) {
  const bool avx512 = form == core::SimdForm::kAvx512;
  const bool runs = avx512 ? median_lanes_available()
                           : form == core::SimdForm::kAvx2 && median_lanes_avx2_available();
  if (!runs || count == 0) return false;
  std::vector<double> plain(count), slab(median_lanes_slab(count));
  std::int64_t total = 0;
  for (std::size_t k = 0; k < count; ++k) {
    plain[k] = static_cast<double>(stakes[k]);
    total += stakes[k];
  }
  const unsigned left = (avx512 ? median_lanes8 : median_lanes8_avx2)(
      columns, ld, count, plain.data(), total, minority, slab.data(), out);
  for (std::size_t l = 0; l < 8; ++l)
    if (left & (1u << l)) out[l] = weighted_median_q32(columns + l * ld, stakes, count, minority);
  if (left_over != nullptr) *left_over = left;
  return true;
}

}  // namespace subnetsim::consensus
