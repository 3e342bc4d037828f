// The kernel's weighted median narrows long columns with a stake histogram over value buckets
// before it resolves exactly (kernel_median.cpp, median_bucketed). These cases are long enough to
// take that path (more than 16 entries) and shaped to stress it: ties, skewed and one-outlier
// columns (a second histogram round), mostly-zero and all-equal columns, value ranges too narrow
// for buckets (subnormal differences), and kappa at 0 and 1. Every answer must equal the chain's
// partition loop (reference_weighted_median) exactly.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "reference_kernel.hpp"
#include "subnetsim/consensus/kernel.hpp"

namespace {

namespace ref = subnetsim::testing;
__extension__ typedef unsigned __int128 U128;

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t below(std::uint64_t n) { return engine_() % n; }
  double unit() { return static_cast<double>(engine_() >> 11) * 0x1p-53; }
  bool chance(double p) { return unit() < p; }

 private:
  std::mt19937_64 engine_;
};

enum class Shape {
  kUniform,
  kFewDistinct,
  kSkewed,
  kOutlier,
  kMostlyZero,
  kAllEqual,
  kTinyRange,
  kUlpApart,
  kClustered,
  kCount
};

std::vector<double> make_values(Rng& rng, Shape shape, std::size_t n) {
  std::vector<double> v(n);
  const double base = rng.unit();
  const std::uint64_t distinct = 1 + rng.below(5);
  const std::size_t hot = rng.below(n);
  for (std::size_t k = 0; k < n; ++k) {
    switch (shape) {
      case Shape::kUniform:
        v[k] = rng.unit();
        break;
      case Shape::kFewDistinct:
        v[k] = static_cast<double>(rng.below(distinct)) / 4.0;
        break;
      case Shape::kSkewed:
        v[k] = std::ldexp(1.0, -static_cast<int>(rng.below(60)));
        break;
      case Shape::kOutlier:
        v[k] = k == hot ? 1.0 : 1e-6 * rng.unit();
        break;
      case Shape::kMostlyZero:
        v[k] = k == hot || rng.chance(0.02) ? rng.unit() : 0.0;
        break;
      case Shape::kAllEqual:
        v[k] = base;
        break;
      case Shape::kTinyRange:
        v[k] = 0x1p-1060 * static_cast<double>(rng.below(4));
        break;
      case Shape::kUlpApart:
        v[k] = std::nextafter(base, 2.0) * static_cast<double>(rng.below(2)) +
               base * static_cast<double>(rng.below(2));
        break;
      case Shape::kClustered:
        // As in a simulated subnet: every validator's weight on a miner near the same value,
        // so that the median's bucket holds many entries in no order.
        v[k] = base + 0.01 * (rng.unit() + rng.unit() + rng.unit() - 1.5);
        break;
      case Shape::kCount:
        break;
    }
  }
  return v;
}

// Stakes on the chain's 2^-32 grid summing to at most 2^32 (zeros allowed, equal stakes often).
std::vector<std::int64_t> make_stakes(Rng& rng, std::size_t n) {
  std::vector<std::int64_t> s(n);
  const bool equal = rng.chance(0.3);
  std::uint64_t raw_sum = 0;
  std::vector<std::uint64_t> raw(n);
  for (auto& x : raw) {
    x = equal ? 1 : (rng.chance(0.2) ? 0 : 1 + rng.below(1000000));
    raw_sum += x;
  }
  for (std::size_t k = 0; k < n; ++k)
    s[k] =
        raw_sum == 0 ? 0 : static_cast<std::int64_t>((static_cast<U128>(raw[k]) << 32) / raw_sum);
  return s;
}

}  // namespace

TEST_CASE("bucketed weighted median equals the chain's partition loop", "[kernel][median]") {
  Rng rng(0x6d65'6469'616eULL);
  static constexpr std::uint16_t kKappas[] = {0, 65535, 32767, 32768, 21845, 43690};
  int trials = 0;
  for (int t = 0; t < 12000; ++t) {
    const auto shape = static_cast<Shape>(t % static_cast<int>(Shape::kCount));
    // One in four below the bucketing threshold (pivot rounds and the final count only).
    const std::size_t n =
        t % 4 == 0 ? 1 + rng.below(16) : 17 + rng.below(rng.chance(0.7) ? 100 : 700);
    const std::vector<double> values = make_values(rng, shape, n);
    const std::vector<std::int64_t> stakes = make_stakes(rng, n);
    std::int64_t total = 0;
    for (auto s : stakes) total += s;
    const std::uint16_t kappa =
        rng.chance(0.7) ? kKappas[rng.below(6)] : static_cast<std::uint16_t>(rng.below(65536));
    const auto kappa_q =
        static_cast<std::int64_t>((static_cast<std::uint64_t>(kappa) << 32) / 65535u);
    std::int64_t minority = total - kappa_q;
    // Now and then a minority exactly at a cumulative stake: a tie on a bucket edge.
    if (rng.chance(0.2)) {
      minority = 0;
      const std::size_t upto = rng.below(n);
      for (std::size_t k = 0; k <= upto; ++k) minority += stakes[k];
    }
    const double want = ref::reference_weighted_median(stakes, values, minority, 0, total);
    const double got =
        subnetsim::consensus::weighted_median_q32(values.data(), stakes.data(), n, minority);
    INFO("trial " << t << " shape " << static_cast<int>(shape) << " n " << n << " kappa " << kappa
                  << " minority " << minority);
    REQUIRE(got == want);
    ++trials;
  }
  CHECK(trials == 12000);
}

namespace {

// Eight (AVX-512F) or four (AVX2) columns of one shape and length with shared stakes, as the
// kernel hands them to its lane forms; each lane must give the partition loop's answer. Lengths
// 1 to 600 cover the row blocks of eight and their tails; minorities as in the bucketed test,
// plus -1 and total.
void check_lanes_against_partition_loop(const subnetsim::core::SimdForm form) {
  double out[8];
  std::vector<std::int64_t> probe(1, 1);
  std::vector<double> one(8, 0.5);
  if (!subnetsim::consensus::weighted_median_q32_lanes(form, one.data(), 1, probe.data(), 1, 0,
                                                       out)) {
    WARN("this CPU cannot run the " << subnetsim::core::simd_form_name(form)
                                    << " median: it is not used here, nor tested");
    return;
  }
  const std::size_t lanes = 8;
  Rng rng(0x6c61'6e65'73ULL);
  static constexpr std::uint16_t kKappas[] = {0, 65535, 32767, 32768, 21845, 43690};
  int lanes_checked = 0, groups_left_over = 0, outlier_groups = 0, outlier_left_over = 0;
  for (int t = 0; t < 3000; ++t) {
    const auto shape = static_cast<Shape>(t % static_cast<int>(Shape::kCount));
    const std::size_t n = 1 + rng.below((t / 9) % 3 == 0 ? 16 : (rng.chance(0.7) ? 100 : 600));
    const std::vector<std::int64_t> stakes = make_stakes(rng, n);
    std::int64_t total = 0;
    for (auto s : stakes) total += s;
    // Columns `ld` apart, as the kernel's store holds them when rows without stake follow the
    // k with stake: the rows past n hold values the median must not read.
    const std::size_t ld = n + (t % 4 == 3 ? 1 + rng.below(9) : 0);
    std::vector<double> columns;
    for (std::size_t l = 0; l < lanes; ++l) {
      const std::vector<double> v = make_values(rng, shape, n);
      columns.insert(columns.end(), v.begin(), v.end());
      for (std::size_t pad = n; pad < ld; ++pad) columns.push_back(rng.chance(0.5) ? -1.0 : 2.0);
    }
    const std::uint16_t kappa =
        rng.chance(0.7) ? kKappas[rng.below(6)] : static_cast<std::uint16_t>(rng.below(65536));
    std::int64_t minority =
        total - static_cast<std::int64_t>((static_cast<std::uint64_t>(kappa) << 32) / 65535u);
    if (rng.chance(0.2)) {
      minority = 0;
      const std::size_t upto = rng.below(n);
      for (std::size_t k = 0; k <= upto; ++k) minority += stakes[k];
    }
    if (t % 50 == 1) minority = -1;
    if (t % 50 == 2) minority = total;
    unsigned left_over = 0;
    REQUIRE(subnetsim::consensus::weighted_median_q32_lanes(form, columns.data(), ld, stakes.data(),
                                                            n, minority, out, &left_over));
    if (left_over != 0) ++groups_left_over;
    if (shape == Shape::kOutlier && n >= 64 && minority >= 0 && minority < total - total / 4)
      ++outlier_groups, outlier_left_over += left_over != 0;
    for (std::size_t l = 0; l < lanes; ++l) {
      const std::vector<double> v(columns.begin() + static_cast<std::ptrdiff_t>(l * ld),
                                  columns.begin() + static_cast<std::ptrdiff_t>(l * ld + n));
      const double want = ref::reference_weighted_median(stakes, v, minority, 0, total);
      INFO("trial " << t << " lane " << l << " shape " << static_cast<int>(shape) << " n " << n
                    << " minority " << minority << " total " << total);
      REQUIRE(out[l] == want);
      ++lanes_checked;
    }
  }
  CHECK(lanes_checked == 3000 * 8);
  // One outlier far above a tight cluster leaves the bisection's bracket full: those groups are
  // finished by the histogram median (and checked all the same); most others are not.
  CHECK(outlier_groups > 10);
  CHECK(outlier_left_over * 2 > outlier_groups);
  CHECK(groups_left_over * 4 < 3000);
}

}  // namespace

TEST_CASE("AVX-512 lanes' weighted median equals the chain's partition loop", "[kernel][median]") {
  check_lanes_against_partition_loop(subnetsim::core::SimdForm::kAvx512);
}

TEST_CASE(
    "AVX2 lanes' weighted median (float bisection, exact steps) equals the chain's "
    "partition loop",
    "[kernel][median]") {
  check_lanes_against_partition_loop(subnetsim::core::SimdForm::kAvx2);
}

TEST_CASE("bucketed weighted median with kappa 0 and 1 picks the column's extremes",
          "[kernel][median]") {
  Rng rng(0x6b61'7070'61ULL);
  for (int t = 0; t < 500; ++t) {
    const std::size_t n = 17 + rng.below(200);
    const std::vector<double> values = make_values(rng, Shape::kUniform, n);
    std::vector<std::int64_t> stakes(n, 0);
    std::int64_t total = 0;
    for (auto& s : stakes) total += s = 1 + static_cast<std::int64_t>(rng.below(1u << 20));
    double lo = values[0], hi = values[0];
    for (double v : values) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    // kappa 1: minority < 0, every value qualifies, the smallest wins. kappa 0: minority =
    // total, no value exceeds it, the largest is returned.
    CHECK(subnetsim::consensus::weighted_median_q32(values.data(), stakes.data(), n, -1) == lo);
    CHECK(subnetsim::consensus::weighted_median_q32(values.data(), stakes.data(), n, total) == hi);
  }
}
