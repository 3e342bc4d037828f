// A validator's noisy scores: every form (the default, and each of baseline, AVX2 and AVX-512
// that this CPU runs) gives the same bits as the rule, entry by entry, on every length.
#include "subnetsim/agents/noisy_scores.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace {

// The rule: max(0, output + noise * z) where output >= 0, else 0; NaN scores 0.
double rule(double output, double z, double noise) {
  const double x = output + noise * z;
  return output >= 0.0 && x > 0.0 ? x : 0.0;
}

bool same_bits(const std::vector<double>& x, const std::vector<double>& y) {
  return x.size() == y.size() &&
         (x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0);
}

}  // namespace

TEST_CASE("noisy scores: every form gives the rule's bits", "[agents]") {
  using subnetsim::core::SimdForm;
  int forms_checked[3] = {0, 0, 0};
  std::mt19937_64 rng(0x6e6f697379ULL);
  std::normal_distribution<double> normal;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t n = 0; n <= 300; ++n) {
    std::vector<double> output(n), z(n), want(n);
    for (std::size_t u = 0; u < n; ++u) {
      // Published outputs near 0 (the sign of x varies), no output (-1), and the odd NaN,
      // -0.0 or infinite draw.
      const auto kind = rng() % 16;
      output[u] = kind == 0   ? -1.0
                  : kind == 1 ? -0.0
                  : kind == 2 ? nan
                              : 0.05 * static_cast<double>(rng() % 20);
      z[u] = kind == 3 ? nan : kind == 4 ? -0.0 : kind == 5 ? -INFINITY : normal(rng);
    }
    const double noise = n % 3 == 0 ? 0.05 : 1.0 / (1.0 + static_cast<double>(n));
    for (std::size_t u = 0; u < n; ++u) want[u] = rule(output[u], z[u], noise);
    std::vector<double> got(n + 3, 7.0);
    subnetsim::agents::noisy_scores(output.data(), z.data(), noise, n, got.data());
    INFO("n " << n);
    // Nothing written past n.
    CHECK(got[n] == 7.0);
    got.resize(n);
    CHECK(same_bits(got, want));
    for (const SimdForm form : {SimdForm::kBaseline, SimdForm::kAvx2, SimdForm::kAvx512}) {
      if (!subnetsim::agents::noisy_scores_runs(form)) continue;
      ++forms_checked[static_cast<int>(form)];
      std::vector<double> in_form(n + 3, 7.0);
      subnetsim::agents::noisy_scores_in(form, output.data(), z.data(), noise, n, in_form.data());
      INFO(subnetsim::core::simd_form_name(form) << " form");
      CHECK(in_form[n] == 7.0);
      in_form.resize(n);
      CHECK(same_bits(in_form, want));
    }
  }
  for (const SimdForm form : {SimdForm::kAvx2, SimdForm::kAvx512})
    if (forms_checked[static_cast<int>(form)] == 0)
      WARN("this CPU cannot run the " << subnetsim::core::simd_form_name(form)
                                      << " form of noisy_scores: not checked");
  CHECK(forms_checked[0] == 301);
}
