// Internal to the consensus module: the chain's stake-weighted median (spec §3.6) on "tagged"
// stakes, used by the float kernel and, for columns whose sums cannot saturate, by the exact
// backend (exact_steps.cpp).
//
// A tagged stake is kTag + stake as a double, the stake being an integer on the chain's 2^-32
// grid. Stakes of one median sum to at most 2^36 and a column has at most 2^16 entries, so every
// sum of tagged stakes is an integer below 2^53: exact in double, in any order, hence
// deterministic under SIMD. Such a sum carries the entry count (sum >> 36) and the stake
// (sum mod 2^36), so one vectorised pass counts both.
#pragma once

#include <cstddef>
#include <cstdint>

namespace subnetsim::consensus {

inline constexpr double kTag = 68719476736.0;  // 2^36

// The smallest value v such that the stake of values <= v exceeds `minority`, or the largest
// value if none does; 0 when n == 0 (the chain's partition loop with exact stake sums).
// Reads `values` and `tagged` (n entries each); `scratch` holds 4n doubles. Allocates nothing.
double median_tagged(const double* values, const double* tagged, std::size_t n,
                     std::int64_t minority, double* scratch);

// The same median, first narrowed by a stake histogram over value buckets: one pass finds the
// bucket in which the cumulative stake crosses the minority, and median_tagged resolves the
// entries of that bucket exactly (see kernel_median.cpp). Same result as median_tagged, bit for
// bit. `scratch` holds median_bucketed_scratch(n) doubles, `bucket` n ints. Allocates nothing.
double median_bucketed(const double* values, const double* tagged, std::size_t n,
                       std::int64_t minority, double* scratch, std::int32_t* bucket);

inline constexpr std::size_t median_bucketed_scratch(std::size_t n) { return 6 * n; }

// The same median of eight columns at once (kernel_median_lanes.cpp), where the CPU has
// AVX-512F (median_lanes_available): column l is columns[l * ld + r] for rows r < k (k >= 1),
// stake[r] is row r's stake as a double (an integer on the 2^-32 grid), `total` their sum;
// out[l] gets column l's answer, the same bits as median_bucketed's, for each lane l whose bit
// the returned mask does not set; a set bit is a lane left to the caller (median_bucketed):
// one whose values crowd a sliver of their range, which would take more than kLanesMaxSteps
// steps. `slab` holds median_lanes_slab(k) doubles. Allocates nothing. Worth it up to
// kLanesMaxRows rows; longer columns take median_bucketed.
inline constexpr std::size_t kLanesMaxRows = 512;
inline constexpr int kLanesMaxSteps = 4;
inline constexpr std::size_t median_lanes_slab(std::size_t k) { return 13 * k; }
bool median_lanes_available();
unsigned median_lanes8(const double* columns, std::size_t ld, std::size_t k, const double* stake,
                       std::int64_t total, std::int64_t minority, double* slab, double* out);
// The same contract with AVX2 (median_lanes_avx2_available), eight columns too: the bisection
// runs on the values rounded to float, eight lanes a vector (AVX2 has four double lanes, and
// the bisection is most of the work), then its lower end is tested exactly and the values above
// it stepped through in double, four lanes at a time. The same answers; a lane where the
// float stake sums misled the bisection is left over (rare: only a stake sum within rounding of
// the minority), so the lanes left over may differ from median_lanes8's.
bool median_lanes_avx2_available();
unsigned median_lanes8_avx2(const double* columns, std::size_t ld, std::size_t k,
                            const double* stake, std::int64_t total, std::int64_t minority,
                            double* slab, double* out);

// The form this CPU runs: `width` columns a call (8), or width 0 and no form.
struct MedianLanes {
  int width = 0;
  unsigned (*run)(const double*, std::size_t, std::size_t, const double*, std::int64_t,
                  std::int64_t, double*, double*) = nullptr;
};
MedianLanes median_lanes_for_cpu();

}  // namespace subnetsim::consensus
