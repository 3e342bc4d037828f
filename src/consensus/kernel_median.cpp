// The chain's stake-weighted median (spec §3.6) for the float kernel; see kernel_median.hpp.
#include "kernel_median.hpp"

#include <algorithm>
#include <vector>
#if defined(__SSE2__)
#include <emmintrin.h>
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

// Few candidates left: insertion-sort them and walk the cumulative stake.
double small_median(double* values, double* tagged, std::size_t n, std::int64_t below,
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

constexpr std::size_t kSmall = 8;

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
  double* sv = buf[next][0];
  double* st = buf[next][1];
  std::copy(cv, cv + n, sv);
  std::copy(ct, ct + n, st);
  return small_median(sv, st, n, below, minority);
}

double weighted_median_q32(const double* values, const std::int64_t* stakes, std::size_t count,
                           std::int64_t minority) {
  std::vector<double> tagged(count), scratch(4 * count);
  for (std::size_t k = 0; k < count; ++k) tagged[k] = kTag + static_cast<double>(stakes[k]);
  return median_tagged(values, tagged.data(), count, minority, scratch.data());
}

}  // namespace subnetsim::consensus
