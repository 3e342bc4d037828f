// quantise_scores against a plain reference of its contract (quantise.hpp): the largest score
// but own's becomes 65535, others round half up, own and scores <= 0 are left out, uids ascend.
// Random score vectors of every length up to 300 mix runs of zeros (validators), negative and
// tiny scores, ties with the maximum and own at every position, so that every group of four
// takes each path of the vector code (all kept, none kept, mixed, own inside), in every form
// (AVX-512 groups of sixteen and AVX2 groups of eight where the CPU has them, SSE2 groups of
// four).
#include "subnetsim/agents/quantise.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace {

using subnetsim::agents::quantise_scores;
using subnetsim::agents::quantise_scores_avx2_only;
using subnetsim::agents::quantise_scores_without_avx2;

struct Submission {
  std::vector<std::uint16_t> uids, values;
};

Submission reference(const std::vector<double>& s, std::size_t own) {
  double max = 0.0;
  for (std::size_t u = 0; u < s.size(); ++u)
    if (u != own && s[u] > max) max = s[u];
  Submission out;
  if (!(max > 0.0)) return out;
  for (std::size_t u = 0; u < s.size(); ++u) {
    if (u == own || !(s[u] > 0.0)) continue;
    const double x = std::min(s[u], max) * (65535.0 / max) + 0.5;
    out.uids.push_back(static_cast<std::uint16_t>(u));
    out.values.push_back(static_cast<std::uint16_t>(std::floor(x)));
  }
  return out;
}

using Quantise = std::size_t (*)(const double*, std::size_t, std::size_t, std::uint16_t*,
                                 std::uint16_t*);

// Every form: the one this CPU runs (AVX-512 or AVX2 where it has them), AVX2 alone, and the one
// without AVX2.
const Quantise kForms[] = {quantise_scores, quantise_scores_avx2_only,
                           quantise_scores_without_avx2};

Submission run(const std::vector<double>& s, std::size_t own, Quantise form = quantise_scores) {
  std::vector<std::uint16_t> uids(s.size() + 1, 0xdead), values(s.size() + 1, 0xbeef);
  const std::size_t kept = form(s.data(), s.size(), own, uids.data(), values.data());
  REQUIRE(kept <= s.size());
  // Nothing written past the n entries the contract gives it (masked vector stores included).
  REQUIRE(uids[s.size()] == 0xdead);
  REQUIRE(values[s.size()] == 0xbeef);
  uids.resize(kept);
  values.resize(kept);
  return {uids, values};
}

}  // namespace

TEST_CASE("quantise_scores matches the plain reference on random scores", "[agents][quantise]") {
  std::mt19937_64 rng(20261126);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int trial = 0; trial < 3000; ++trial) {
    const std::size_t n = static_cast<std::size_t>(rng() % 301);
    std::vector<double> s(n);
    const double p_zero = unit(rng) < 0.3 ? 0.0 : unit(rng) * 0.5;
    std::size_t run_left = 0;
    for (std::size_t u = 0; u < n; ++u) {
      if (run_left == 0 && unit(rng) < 0.05) run_left = 1 + rng() % 70;  // a run of validators
      if (run_left > 0) {
        --run_left;
        s[u] = unit(rng) < 0.5 ? 0.0 : -0.0;
        continue;
      }
      const double r = unit(rng);
      s[u] = r < p_zero          ? 0.0
             : r < p_zero + 0.02 ? -unit(rng)
             : r < p_zero + 0.03 ? 1e-300
                                 : unit(rng);
    }
    if (n > 0 && unit(rng) < 0.3) s[rng() % n] = 2.0;  // own may hold the largest score
    const std::size_t own = unit(rng) < 0.1 ? n + rng() % 3 : (n > 0 ? rng() % n : 0);
    const Submission want = reference(s, own);
    for (std::size_t f = 0; f < std::size(kForms); ++f) {
      const Submission got = run(s, own, kForms[f]);
      static constexpr const char* kNames[] = {"this CPU's", "AVX2 alone", "without AVX2"};
      INFO("trial " << trial << " n " << n << " own " << own << " form " << kNames[f]);
      REQUIRE(got.uids == want.uids);
      REQUIRE(got.values == want.values);
    }
  }
}

TEST_CASE("quantise_scores on small hand-made cases", "[agents][quantise]") {
  // Own (uid 1) holds the largest score: the next largest becomes 65535.
  Submission got = run({0.5, 9.0, 0.25, 0.0, 0.125}, 1);
  CHECK(got.uids == std::vector<std::uint16_t>{0, 2, 4});
  CHECK(got.values == std::vector<std::uint16_t>{65535, 32768, 16384});
  // Round half up: 1/3 of 65535 is 21845 exactly; 0.5/65535 above an integer rounds up.
  got = run({3.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}, 99);
  CHECK(got.uids == std::vector<std::uint16_t>{0, 1});
  CHECK(got.values == std::vector<std::uint16_t>{65535, 21845});
  // Nothing positive but own's: nothing to submit.
  CHECK(run({0.0, 1.0, -1.0, 0.0}, 1).uids.empty());
  CHECK(run({}, 0).uids.empty());
  // A full group of four kept, then one with own inside, then a tail of two.
  got = run({1.0, 0.5, 0.25, 0.75, 0.5, 0.5, 0.5, 0.5, 0.1, 0.2}, 5);
  CHECK(got.uids == std::vector<std::uint16_t>{0, 1, 2, 3, 4, 6, 7, 8, 9});
  CHECK(got.values ==
        std::vector<std::uint16_t>{65535, 32768, 16384, 49151, 32768, 32768, 32768, 6554, 13107});
}
