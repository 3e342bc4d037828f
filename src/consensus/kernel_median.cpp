// The chain's stake-weighted median (spec §3.6) for the float kernel; see kernel_median.hpp.
#include "kernel_median.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <vector>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__GNUC__) && defined(__x86_64__) && defined(__SSE2__) && !defined(__AVX__)
#include <immintrin.h>
#define SUBNETSIM_MEDIAN_AVX2 1
#endif

#include "subnetsim/consensus/kernel.hpp"

namespace subnetsim::consensus {
namespace {

constexpr std::int64_t kTagMask = (std::int64_t{1} << 36) - 1;

// Σ tagged[k] over values[k] < pivot and over values[k] <= pivot.
void tagged_sums(const double* values, const double* tagged, std::size_t n, double pivot,
                 std::int64_t& lt, std::int64_t& le) {
  double s_lt = 0.0, s_le = 0.0;
  std::size_t k = 0;
#if defined(__SSE2__)
  const __m128d p = _mm_set1_pd(pivot);
  __m128d lt0 = _mm_setzero_pd(), le0 = _mm_setzero_pd(), lt1 = lt0, le1 = le0;
  for (; k + 4 <= n; k += 4) {
    const __m128d a = _mm_loadu_pd(values + k), b = _mm_loadu_pd(values + k + 2);
    const __m128d ta = _mm_loadu_pd(tagged + k), tb = _mm_loadu_pd(tagged + k + 2);
    lt0 = _mm_add_pd(lt0, _mm_and_pd(_mm_cmplt_pd(a, p), ta));
    le0 = _mm_add_pd(le0, _mm_and_pd(_mm_cmple_pd(a, p), ta));
    lt1 = _mm_add_pd(lt1, _mm_and_pd(_mm_cmplt_pd(b, p), tb));
    le1 = _mm_add_pd(le1, _mm_and_pd(_mm_cmple_pd(b, p), tb));
  }
  alignas(16) double out[4];
  _mm_store_pd(out, _mm_add_pd(lt0, lt1));
  _mm_store_pd(out + 2, _mm_add_pd(le0, le1));
  s_lt = out[0] + out[1];
  s_le = out[2] + out[3];
#endif
  for (; k < n; ++k) {
    s_lt += values[k] < pivot ? tagged[k] : 0.0;
    s_le += values[k] <= pivot ? tagged[k] : 0.0;
  }
  lt = static_cast<std::int64_t>(s_lt);
  le = static_cast<std::int64_t>(s_le);
}

// Copies the entries with keep(value), in order, to (dv, dt); returns how many. Writing to a
// separate buffer keeps the loop free of store-to-load hazards of an in-place compaction.
template <typename Keep>
std::size_t compact(const double* values, const double* tagged, std::size_t n, double* dv,
                    double* dt, Keep keep) {
  std::size_t out = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double v = values[k];
    dv[out] = v;
    dt[out] = tagged[k];
    out += keep(v);
  }
  return out;
}

constexpr std::size_t kSmall = 8;

// Very few candidates (uniform weights leave about four): insertion-sort them in place and walk
// the cumulative stake; the sort's few branches cost less than the counting below.
double sorted_median(double* values, double* tagged, std::size_t n, std::int64_t below,
                     std::int64_t minority) {
  for (std::size_t k = 1; k < n; ++k) {
    const double v = values[k], t = tagged[k];
    std::size_t m = k;
    for (; m > 0 && values[m - 1] > v; --m) {
      values[m] = values[m - 1];
      tagged[m] = tagged[m - 1];
    }
    values[m] = v;
    tagged[m] = t;
  }
  std::int64_t cum = below;
  for (std::size_t k = 0; k < n; ++k) {
    cum += static_cast<std::int64_t>(tagged[k] - kTag);
    // The stake of values <= v includes all of v's ties: test at the last of them.
    if ((k + 1 == n || values[k + 1] != values[k]) && cum > minority) return values[k];
  }
  return values[n - 1];
}

// Few candidates left (n <= kSmall): for each one, the stake of the candidates <= it (its ties
// included); the smallest whose stake with `below` exceeds the minority wins, the largest if
// none does. The same answer as sorting and walking the cumulative stake, without a sort's
// branches, whose outcomes a column of near-equal weights makes unpredictable: the candidates
// go into kSmall slots padded with +inf of no stake, and only the copy has a variable length.
// A padding slot can win only as +inf, which means no candidate did. The sums are of tagged
// stakes: integers below 2^53, exact in any order.
double counted_median(const double* values, const double* tagged, std::size_t n, std::int64_t below,
                      std::int64_t minority) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  alignas(16) double v[kSmall], t[kSmall];
  for (std::size_t k = 0; k < kSmall; ++k) v[k] = kInf, t[k] = 0.0;
  double largest = values[0];
  for (std::size_t k = 0; k < n; ++k) largest = values[k] > largest ? values[k] : largest;
  std::memcpy(v, values, n * sizeof(double));
  std::memcpy(t, tagged, n * sizeof(double));
  double best = kInf;
  for (std::size_t i = 0; i < kSmall; ++i) {
    double s;
#if defined(__SSE2__)
    const __m128d x = _mm_set1_pd(v[i]);
    __m128d acc = _mm_and_pd(_mm_cmple_pd(_mm_load_pd(v), x), _mm_load_pd(t));
    for (std::size_t k = 2; k < kSmall; k += 2)
      acc = _mm_add_pd(acc, _mm_and_pd(_mm_cmple_pd(_mm_load_pd(v + k), x), _mm_load_pd(t + k)));
    s = _mm_cvtsd_f64(_mm_add_sd(acc, _mm_unpackhi_pd(acc, acc)));
#else
    s = 0.0;
    for (std::size_t k = 0; k < kSmall; ++k) s += v[k] <= v[i] ? t[k] : 0.0;
#endif
    // A winner competes with its value, anyone else with +inf: chosen by masking the bits, so
    // that the compiler has no condition to branch on.
    const std::int64_t stake = static_cast<std::int64_t>(s) & kTagMask;
    const std::uint64_t keep = 0 - static_cast<std::uint64_t>(below + stake > minority);
    const double candidate = std::bit_cast<double>((std::bit_cast<std::uint64_t>(v[i]) & keep) |
                                                   (std::bit_cast<std::uint64_t>(kInf) & ~keep));
    best = candidate < best ? candidate : best;
  }
  return best < kInf ? best : largest;
}

}  // namespace

// The candidates are in (cv, ct)[0, n); `below` is the stake of every value known to be smaller
// than all of them (the chain's lo; its hi is below + their stake). The answer does not depend
// on the pivot, so the median of three candidates serves. Branch-free: on random weights a
// compare-and-branch would mispredict half the time.
double median_tagged(const double* values, const double* tagged, std::size_t n,
                     std::int64_t minority, double* scratch) {
  if (n == 0) return 0.0;
  if (minority < 0) {
    // Every candidate's own stake exceeds the minority: the smallest value wins.
    double m = values[0];
    for (std::size_t k = 1; k < n; ++k) m = std::min(m, values[k]);
    return m;
  }
  const double* cv = values;
  const double* ct = tagged;
  double* buf[2][2] = {{scratch, scratch + n}, {scratch + 2 * n, scratch + 3 * n}};
  int next = 0;
  std::int64_t below = 0;
  while (n > kSmall) {
    const double x = cv[0], y = cv[n / 2], z = cv[n - 1];
    const double pivot = std::max(std::min(x, y), std::min(std::max(x, y), z));
    std::int64_t lt = 0, le = 0;
    tagged_sums(cv, ct, n, pivot, lt, le);
    const std::int64_t n_lt = lt >> 36, n_gt = static_cast<std::int64_t>(n) - (le >> 36);
    const std::int64_t s_lt = lt & kTagMask, s_le = le & kTagMask;
    double* dv = buf[next][0];
    double* dt = buf[next][1];
    if (n_lt > 0 && below + s_lt > minority) {
      // The values strictly below the pivot already hold more than the minority.
      n = compact(cv, ct, n, dv, dt, [pivot](double v) { return v < pivot; });
    } else if (n_gt > 0 && below + s_le <= minority) {
      // Even with the pivot's ties the minority is not exceeded: the answer is above.
      n = compact(cv, ct, n, dv, dt, [pivot](double v) { return v > pivot; });
      below += s_le;
    } else {
      return pivot;
    }
    cv = dv;
    ct = dt;
    next ^= 1;
  }
  return counted_median(cv, ct, n, below, minority);
}

namespace {

// Columns this short go straight to median_tagged; the histogram would not pay for itself.
constexpr std::size_t kBucketMin = 16;
constexpr std::size_t kMaxBuckets = 256;

// Power-of-two bucket count: about one entry a bucket up to 64 buckets, then about four.
// Columns of a simulated subnet cluster around consensus, so the bucket holding the median is
// several times fuller than the average: at four entries a bucket, a column of 64 usually left
// more than counted_median takes, and a round of median_tagged followed. One a bucket costs a
// longer stake scan and less than that round (64 values clustered as in network-year: 230 ->
// 177 ns a column; uniform: 190 -> 156 ns). Longer columns gain nothing from more buckets.
std::size_t bucket_count(std::size_t n) {
  std::size_t b = 8;
  while (b < kMaxBuckets && b < n && (b < 64 || 4 * b < n)) b *= 2;
  return b;
}

#if defined(SUBNETSIM_MEDIAN_AVX2)
// AVX2 forms of the bucket passes, chosen at run time in the portable build: min and max are
// exact in any order and the bucket index is element-wise, so the results are the same.
// Each returns how many leading entries it did.
namespace avx2 {

#define SUBNETSIM_TARGET_AVX2 __attribute__((target("avx2")))

bool available() {
  static const bool ok = __builtin_cpu_supports("avx2");
  return ok;
}

SUBNETSIM_TARGET_AVX2 std::size_t min_max(const double* v, std::size_t n, double& lo, double& hi) {
  __m256d l0 = _mm256_loadu_pd(v), h0 = l0, l1 = l0, h1 = l0;
  std::size_t k = 0;
  for (; k + 8 <= n; k += 8) {
    const __m256d a = _mm256_loadu_pd(v + k), b = _mm256_loadu_pd(v + k + 4);
    l0 = _mm256_min_pd(l0, a);
    h0 = _mm256_max_pd(h0, a);
    l1 = _mm256_min_pd(l1, b);
    h1 = _mm256_max_pd(h1, b);
  }
  alignas(32) double out[8];
  _mm256_store_pd(out, _mm256_min_pd(l0, l1));
  _mm256_store_pd(out + 4, _mm256_max_pd(h0, h1));
  lo = std::min(std::min(out[0], out[1]), std::min(out[2], out[3]));
  hi = std::max(std::max(out[4], out[5]), std::max(out[6], out[7]));
  return k;
}

SUBNETSIM_TARGET_AVX2 std::size_t bucket_index(const double* v, std::size_t n, double lo,
                                               double scale, double top, std::int32_t* bucket) {
  const __m256d plo = _mm256_set1_pd(lo), ps = _mm256_set1_pd(scale), pt = _mm256_set1_pd(top);
  std::size_t k = 0;
  for (; k + 4 <= n; k += 4) {
    const __m256d a =
        _mm256_min_pd(_mm256_mul_pd(_mm256_sub_pd(_mm256_loadu_pd(v + k), plo), ps), pt);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(bucket + k), _mm256_cvttpd_epi32(a));
  }
  return k;
}

SUBNETSIM_TARGET_AVX2 std::size_t take_bucket_sparse(const double* v, const double* t,
                                                     const std::int32_t* bucket, std::size_t n,
                                                     std::int32_t b, double* dv, double* dt,
                                                     std::size_t& out) {
  const __m256i pb = _mm256_set1_epi32(b);
  std::size_t k = 0;
  for (; k + 8 <= n; k += 8) {
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bucket + k));
    unsigned mask =
        static_cast<unsigned>(_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(x, pb))));
    while (mask != 0) {
      const auto bit = static_cast<std::size_t>(__builtin_ctz(mask));
      dv[out] = v[k + bit];
      dt[out] = t[k + bit];
      ++out;
      mask &= mask - 1;
    }
  }
  return k;
}

#undef SUBNETSIM_TARGET_AVX2
}  // namespace avx2
#endif

void min_max(const double* v, std::size_t n, double& lo, double& hi) {
  std::size_t k = 0;
  double l = v[0], h = v[0];
#if defined(SUBNETSIM_MEDIAN_AVX2)
  const bool wide = n >= 8 && avx2::available();
  if (wide) k = avx2::min_max(v, n, l, h);
#else
  const bool wide = false;
#endif
#if defined(__SSE2__)
  if (!wide && n >= 4) {
    __m128d l0 = _mm_loadu_pd(v), h0 = l0, l1 = l0, h1 = l0;
    for (; k + 4 <= n; k += 4) {
      const __m128d a = _mm_loadu_pd(v + k), b = _mm_loadu_pd(v + k + 2);
      l0 = _mm_min_pd(l0, a);
      h0 = _mm_max_pd(h0, a);
      l1 = _mm_min_pd(l1, b);
      h1 = _mm_max_pd(h1, b);
    }
    alignas(16) double out[4];
    _mm_store_pd(out, _mm_min_pd(l0, l1));
    _mm_store_pd(out + 2, _mm_max_pd(h0, h1));
    l = std::min(out[0], out[1]);
    h = std::max(out[2], out[3]);
  }
#endif
  for (; k < n; ++k) {
    l = std::min(l, v[k]);
    h = std::max(h, v[k]);
  }
  lo = l;
  hi = h;
}

// Bucket of each value (into `bucket`) and the tagged stake of each bucket (into `hist`).
void fill_buckets(const double* v, const double* t, std::size_t n, double lo, double scale,
                  std::size_t nb, std::int32_t* bucket, std::int64_t* hist) {
  const double top = static_cast<double>(nb - 1);
  std::size_t k = 0;
  // nb is a power of two >= 8. Explicit stores: a memset of so few words costs more.
#if defined(__SSE2__)
  for (std::size_t b = 0; b < nb; b += 2)
    _mm_store_si128(reinterpret_cast<__m128i*>(hist + b), _mm_setzero_si128());
#else
  std::fill(hist, hist + nb, std::int64_t{0});
#endif
#if defined(SUBNETSIM_MEDIAN_AVX2)
  if (avx2::available()) k = avx2::bucket_index(v, n, lo, scale, top, bucket);
#endif
#if defined(__SSE2__)
  const __m128d plo = _mm_set1_pd(lo), ps = _mm_set1_pd(scale), pt = _mm_set1_pd(top);
  for (; k + 4 <= n; k += 4) {
    const __m128d a = _mm_min_pd(_mm_mul_pd(_mm_sub_pd(_mm_loadu_pd(v + k), plo), ps), pt);
    const __m128d b = _mm_min_pd(_mm_mul_pd(_mm_sub_pd(_mm_loadu_pd(v + k + 2), plo), ps), pt);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(bucket + k),
                     _mm_unpacklo_epi64(_mm_cvttpd_epi32(a), _mm_cvttpd_epi32(b)));
  }
#endif
  for (; k < n; ++k) bucket[k] = static_cast<std::int32_t>(std::min((v[k] - lo) * scale, top));
  for (k = 0; k < n; ++k) hist[bucket[k]] += static_cast<std::int64_t>(t[k]);
}

// Copies the entries of bucket `b`, in order, to (dv, dt); returns how many. For a bucket of
// few entries: blocks without one cost a compare, a block with some a loop over them.
std::size_t take_bucket_sparse(const double* v, const double* t, const std::int32_t* bucket,
                               std::size_t n, std::int32_t b, double* dv, double* dt) {
  std::size_t out = 0, k = 0;
#if defined(SUBNETSIM_MEDIAN_AVX2)
  if (avx2::available()) k = avx2::take_bucket_sparse(v, t, bucket, n, b, dv, dt, out);
#endif
#if defined(__SSE2__)
  const __m128i pb = _mm_set1_epi32(b);
  for (; k + 4 <= n; k += 4) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bucket + k));
    unsigned mask =
        static_cast<unsigned>(_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(x, pb))));
    while (mask != 0) {
      const auto bit = static_cast<std::size_t>(__builtin_ctz(mask));
      dv[out] = v[k + bit];
      dt[out] = t[k + bit];
      ++out;
      mask &= mask - 1;
    }
  }
#endif
  for (; k < n; ++k) {
    if (bucket[k] != b) continue;
    dv[out] = v[k];
    dt[out] = t[k];
    ++out;
  }
  return out;
}

// The same for a bucket of many entries, branch-free: every entry is written and the cursor
// advances past the ones in the bucket (which ones are is what a branch would mispredict). dv
// may be v itself: the cursor never passes the reader.
std::size_t take_bucket_dense(const double* v, const double* t, const std::int32_t* bucket,
                              std::size_t n, std::int32_t b, double* dv, double* dt) {
  std::size_t out = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double x = v[k], y = t[k];
    dv[out] = x;
    dt[out] = y;
    out += static_cast<std::size_t>(bucket[k] == b);
  }
  return out;
}

}  // namespace

// Bucket b of value v is floor((v - lo) * B / (hi - lo)), clamped to B - 1: a non-decreasing
// function of v (each rounded step is monotone), so every value of a lower bucket is smaller
// than every value of a higher one and equal values share a bucket. With `below` the stake of
// the buckets under the first bucket whose cumulative stake exceeds the minority, the answer is
// the answer over that bucket's entries with minority - below (>= 0): the values below it never
// exceed the minority, and that bucket's largest value does. Two rounds at most (a skewed
// column can leave many entries in one bucket); each round removes the bucket of lo or of hi.
double median_bucketed(const double* values, const double* tagged, std::size_t n,
                       std::int64_t minority, double* scratch, std::int32_t* bucket) {
  if (n <= kBucketMin) return median_tagged(values, tagged, n, minority, scratch);
  const std::size_t n0 = n;
  const double* cv = values;
  const double* ct = tagged;
  double* ov = scratch;
  double* ot = scratch + n0;
  alignas(16) std::int64_t hist[kMaxBuckets];
  for (int round = 0; round < 2 && n > kBucketMin; ++round) {
    double lo, hi;
    min_max(cv, n, lo, hi);
    if (lo == hi || minority < 0) return lo;
    const std::size_t nb = bucket_count(n);
    const double scale = static_cast<double>(nb) / (hi - lo);
    if (!(scale <= 1.0e300)) break;  // hi - lo subnormal: no usable buckets
    fill_buckets(cv, ct, n, lo, scale, nb, bucket, hist);
    std::int64_t below = 0;
    std::size_t found = nb;
    for (std::size_t b = 0; b < nb; ++b) {
      const std::int64_t s = hist[b] & kTagMask;
      if (below + s > minority) {
        found = b;
        break;
      }
      below += s;
    }
    if (found == nb) return hi;  // the whole stake does not exceed the minority
    // In place in the second round: entries only move down.
    // The bucket's entry count is in its tagged sum. Few (uniform weights): the SIMD scan
    // skips the blocks without one; many (weights clustered around consensus, as in a
    // simulated subnet): which ones are would make that scan's branches unpredictable.
    const auto count = static_cast<std::size_t>(hist[found] >> 36);
    const auto b = static_cast<std::int32_t>(found);
    n = 8 * count <= n ? take_bucket_sparse(cv, ct, bucket, n, b, ov, ot)
                       : take_bucket_dense(cv, ct, bucket, n, b, ov, ot);
    minority -= below;
    cv = ov;
    ct = ot;
    // Few candidates (the usual case), minority >= 0 here: up to four are sorted where they
    // are, up to kSmall counted.
    if (n <= 4) return sorted_median(ov, ot, n, 0, minority);
    if (n <= kSmall) return counted_median(ov, ot, n, 0, minority);
  }
  return median_tagged(cv, ct, n, minority, scratch + 2 * n0);
}

double weighted_median_q32(const double* values, const std::int64_t* stakes, std::size_t count,
                           std::int64_t minority) {
  std::vector<double> tagged(count), scratch(median_bucketed_scratch(count));
  std::vector<std::int32_t> bucket(count);
  for (std::size_t k = 0; k < count; ++k) tagged[k] = kTag + static_cast<double>(stakes[k]);
  return median_bucketed(values, tagged.data(), count, minority, scratch.data(), bucket.data());
}

}  // namespace subnetsim::consensus
