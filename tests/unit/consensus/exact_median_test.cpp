// The exact backend takes each column's consensus from the float kernel's bucketed median
// (weighted_median_q32's algorithm) instead of running the chain's partition loop
// (fixed::weighted_median), whenever the normalised stakes sum to at most 1. This checks that
// substitution directly: on random columns of I32F32 scores (ties, zeros, many equal values)
// and stakes normalised as the epoch normalises them (zeros among them), with kappa anywhere in
// [0, 1], both give the same Raw.
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <vector>

#include "subnetsim/consensus/fixed_point.hpp"
#include "subnetsim/consensus/kernel.hpp"

namespace {
namespace fx = subnetsim::consensus::fixed;
using fx::Raw;
}  // namespace

TEST_CASE("the bucketed median equals the chain's partition loop on I32F32 columns",
          "[consensus][exact][median]") {
  std::mt19937_64 rng(0x3ed1a4ULL);
  auto below = [&rng](std::uint64_t n) { return rng() % n; };
  std::vector<std::size_t> idx, buf;
  for (int trial = 0; trial < 4000; ++trial) {
    const std::size_t m = 1 + below(trial % 10 == 0 ? 600 : 80);
    std::vector<Raw> stake(m), score(m);
    for (auto& s : stake) s = below(6) == 0 ? 1 : static_cast<Raw>(1 + below(1ULL << 40));
    fx::normalize(stake);  // sums to at most 1; tiny stakes become 0
    const int shape = static_cast<int>(below(4));
    for (auto& v : score) {
      if (shape == 0) v = static_cast<Raw>(below(fx::kOne + 1));        // anywhere in [0, 1]
      if (shape == 1) v = static_cast<Raw>(below(8)) * (fx::kOne / 7);  // few distinct values
      if (shape == 2) v = below(3) == 0 ? 0 : static_cast<Raw>(fx::kOne / 300 + below(1000));
      if (shape == 3) v = static_cast<Raw>(below(65536)) << 16;  // u16-like
    }
    const Raw total = fx::sum(stake);
    const Raw kappa = static_cast<Raw>(below(fx::kOne + 1));
    const Raw minority = fx::sat_sub(total, kappa);
    idx.resize(m);
    for (std::size_t p = 0; p < m; ++p) idx[p] = p;
    const Raw want = fx::weighted_median(stake, score, idx, minority, 0, total, buf);
    std::vector<double> values(m);
    std::vector<std::int64_t> stakes(m);
    for (std::size_t p = 0; p < m; ++p) {
      values[p] = static_cast<double>(score[p]);
      stakes[p] = stake[p];
    }
    const auto got = static_cast<Raw>(
        subnetsim::consensus::weighted_median_q32(values.data(), stakes.data(), m, minority));
    INFO("trial " << trial << " m " << m << " shape " << shape << " minority " << minority);
    REQUIRE(got == want);
  }
}
