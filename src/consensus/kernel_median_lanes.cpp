// The chain's stake-weighted median (spec §3.6) of eight columns at once, one column a lane of
// an AVX-512 vector, or of four in AVX2 lanes; see kernel_median.hpp. Used where the CPU has
// AVX-512F (else AVX2), for columns of up to kLanesMaxRows rows; elsewhere the kernel takes
// median_bucketed column by column. Every form gives the exact answer (the same bits): which
// one runs only changes the time.
//
// Why lanes: the per-column histogram's scatter is a chain of dependent stores, and its bucket
// scan branches where the data says. Eight columns side by side need neither: a pass compares
// every row of eight columns with eight thresholds and sums the stakes of the rows at or below
// them with masked adds, all independent across rows. Measured on 64 rows clustered as in a
// simulated subnet: 67 ns a column against the histogram's 101 (16 rows: 27 against 59; 256
// rows: 275 against 324; beyond that the passes grow and the histogram is kept).
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

// The four-lane (AVX2) forms of the helpers above: the same IEEE operations with the same
// operand order (min(a, b) is a < b ? a : b in both), a mask being a vector of all-ones lanes.

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

// acc + stake where x <= v: adding +0.0 elsewhere leaves acc as it is (acc >= 0). The stake
// comes broadcast already (a row of the stake slab: no broadcast a pass).
SUBNETSIM_TARGET_AVX2 inline __m256d add_if_le(__m256d acc, __m256d x, __m256d v,
                                               const double* stake4) {
  return _mm256_add_pd(acc,
                       _mm256_and_pd(_mm256_cmp_pd(x, v, _CMP_LE_OQ), _mm256_loadu_pd(stake4)));
}

// min(acc, x) where x > v, acc elsewhere.
SUBNETSIM_TARGET_AVX2 inline __m256d min_if_gt(__m256d acc, __m256d x, __m256d v) {
  return _mm256_blendv_pd(acc, _mm256_min_pd(acc, x), _mm256_cmp_pd(x, v, _CMP_GT_OQ));
}

// stake4: row r's stake in four lanes at stake4 + 4r.
SUBNETSIM_TARGET_AVX2 inline __m256d stake_at_or_below4(const double* slab, std::size_t k,
                                                        const double* stake4, __m256d v) {
  __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
  std::size_t r = 0;
  for (; r + 4 <= k; r += 4) {
    const double* x = slab + r * 4;
    const double* s = stake4 + r * 4;
    a0 = add_if_le(a0, _mm256_loadu_pd(x), v, s);
    a1 = add_if_le(a1, _mm256_loadu_pd(x + 4), v, s + 4);
    a2 = add_if_le(a2, _mm256_loadu_pd(x + 8), v, s + 8);
    a3 = add_if_le(a3, _mm256_loadu_pd(x + 12), v, s + 12);
  }
  for (; r < k; ++r) a0 = add_if_le(a0, _mm256_loadu_pd(slab + r * 4), v, stake4 + r * 4);
  return _mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3));
}

#undef SUBNETSIM_TARGET_AVX2

}  // namespace

bool median_lanes_available() {
  static const bool ok = __builtin_cpu_supports("avx512f");
  return ok;
}

bool median_lanes4_available() {
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

// median_lanes8 in four AVX2 lanes, step for step: the same bisection, the same candidates
// and the same answers (of each lane, whatever the width).
__attribute__((target("avx2"))) unsigned median_lanes4(const double* columns, std::size_t ld,
                                                       std::size_t k, const double* stake,
                                                       std::int64_t total, std::int64_t minority,
                                                       double* slab, double* out) {
  std::size_t r = 0;
  for (; r + 4 <= k; r += 4) transpose4(columns + r, ld, slab + r * 4);
  for (; r < k; ++r)
    for (std::size_t l = 0; l < 4; ++l) slab[r * 4 + l] = columns[l * ld + r];
  __m256d lo = _mm256_loadu_pd(slab), hi = lo;
  for (r = 1; r < k; ++r) {
    const __m256d x = _mm256_loadu_pd(slab + r * 4);
    lo = _mm256_min_pd(lo, x);
    hi = _mm256_max_pd(hi, x);
  }
  if (minority < 0 || total <= minority) {
    _mm256_storeu_pd(out, minority < 0 ? lo : hi);
    return 0;
  }
  // The stakes broadcast once, after the values: row r's at stake4 + 4r.
  double* stake4 = slab + 4 * k;
  for (r = 0; r < k; ++r) _mm256_storeu_pd(stake4 + 4 * r, _mm256_set1_pd(stake[r]));
  const __m256d minority_v = _mm256_set1_pd(static_cast<double>(minority));
  const __m256d abs_lo = _mm256_andnot_pd(_mm256_set1_pd(-0.0), lo);
  __m256d low =
      _mm256_sub_pd(lo, _mm256_add_pd(_mm256_mul_pd(abs_lo, _mm256_set1_pd(0x1p-52)),
                                      _mm256_set1_pd(std::numeric_limits<double>::denorm_min())));
  __m256d high = hi;
  const __m256d half = _mm256_set1_pd(0.5);
  int halvings = 2;
  for (std::size_t span = 1; span < k; span *= 2) ++halvings;
  for (int t = 0; t < halvings; ++t) {
    const __m256d mid = _mm256_add_pd(low, _mm256_mul_pd(_mm256_sub_pd(high, low), half));
    const __m256d p =
        _mm256_cmp_pd(stake_at_or_below4(slab, k, stake4, mid), minority_v, _CMP_GT_OQ);
    high = _mm256_blendv_pd(high, mid, p);
    low = _mm256_blendv_pd(mid, low, p);
  }
  const __m256d inf = _mm256_set1_pd(std::numeric_limits<double>::infinity());
  __m256d candidate = inf;
  for (r = 0; r < k; ++r) candidate = min_if_gt(candidate, _mm256_loadu_pd(slab + r * 4), low);
  unsigned done = 0;
  __m256d answer = candidate;
  for (int step = 0; step < kLanesMaxSteps; ++step) {
    __m256d s0 = _mm256_setzero_pd(), s1 = s0, n0 = inf, n1 = inf;
    for (r = 0; r + 2 <= k; r += 2) {
      const __m256d x0 = _mm256_loadu_pd(slab + r * 4), x1 = _mm256_loadu_pd(slab + r * 4 + 4);
      s0 = add_if_le(s0, x0, candidate, stake4 + r * 4);
      s1 = add_if_le(s1, x1, candidate, stake4 + r * 4 + 4);
      n0 = min_if_gt(n0, x0, candidate);
      n1 = min_if_gt(n1, x1, candidate);
    }
    if (r < k) {
      const __m256d x0 = _mm256_loadu_pd(slab + r * 4);
      s0 = add_if_le(s0, x0, candidate, stake4 + r * 4);
      n0 = min_if_gt(n0, x0, candidate);
    }
    const unsigned found = static_cast<unsigned>(_mm256_movemask_pd(
                               _mm256_cmp_pd(_mm256_add_pd(s0, s1), minority_v, _CMP_GT_OQ))) &
                           ~done & 0xFu;
    const __m256d found_v = lane_mask4(found);
    answer = _mm256_blendv_pd(answer, candidate, found_v);
    done |= found;
    if (done == 0xFu) break;
    candidate = _mm256_blendv_pd(_mm256_min_pd(n0, n1), candidate, lane_mask4(done));
  }
  _mm256_storeu_pd(out, answer);
  return ~done & 0xFu;
}

#else

bool median_lanes_available() { return false; }
bool median_lanes4_available() { return false; }

unsigned median_lanes4(const double*, std::size_t, std::size_t, const double*, std::int64_t,
                       std::int64_t, double*, double*) {
  return 0xF;
}

unsigned median_lanes8(const double*, std::size_t, std::size_t, const double*, std::int64_t,
                       std::int64_t, double*, double*) {
  return 0xFF;
}

#endif

MedianLanes median_lanes_for_cpu() {
  if (median_lanes_available()) return {8, &median_lanes8};
  if (median_lanes4_available()) return {4, &median_lanes4};
  return {0, nullptr};
}

bool weighted_median_q32_lanes(int lanes, const double* columns, std::size_t ld,
                               const std::int64_t* stakes, std::size_t count, std::int64_t minority,
                               double* out, unsigned* left_over) {
  const bool runs = lanes == 8 ? median_lanes_available() : lanes == 4 && median_lanes4_available();
  if (!runs || count == 0) return false;
  const auto width = static_cast<std::size_t>(lanes);
  std::vector<double> plain(count), slab(8 * count);
  std::int64_t total = 0;
  for (std::size_t k = 0; k < count; ++k) {
    plain[k] = static_cast<double>(stakes[k]);
    total += stakes[k];
  }
  const unsigned left = (lanes == 8 ? median_lanes8 : median_lanes4)(
      columns, ld, count, plain.data(), total, minority, slab.data(), out);
  for (std::size_t l = 0; l < width; ++l)
    if (left & (1u << l)) out[l] = weighted_median_q32(columns + l * ld, stakes, count, minority);
  if (left_over != nullptr) *left_over = left;
  return true;
}

}  // namespace subnetsim::consensus
