// noisy_scores (see noisy_scores.hpp): masks rather than branches (GCC leaves the plain loop
// scalar, and its branches on the sign of x mispredict on miners of quality near 0).
#include "subnetsim/agents/noisy_scores.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define SUBNETSIM_NOISY_X86 1
#endif

namespace subnetsim::agents {
namespace {

// Entries [from, n) one at a time.
void plain_tail(const double* output, const double* z, double noise, std::size_t from,
                std::size_t n, double* score) {
  for (std::size_t u = from; u < n; ++u) {
    const double x = output[u] + noise * z[u];
    score[u] = output[u] >= 0.0 && x > 0.0 ? x : 0.0;
  }
}

#if defined(SUBNETSIM_NOISY_X86)
bool avx512_available() {
  static const bool ok = __builtin_cpu_supports("avx512f");
  return ok;
}

// Eight entries a step: max(x, 0) gives 0 for a NaN x (maxpd returns its second operand), and
// the ordered >= compare drops a NaN or negative output. GCC 12's _mm512_max_pd starts from
// _mm512_undefined_pd(), which -Wmaybe-uninitialized reports (a false positive).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
__attribute__((target("avx512f"))) void noisy_avx512(const double* output, const double* z,
                                                     double noise, std::size_t n, double* score) {
  const __m512d zero = _mm512_setzero_pd(), scale = _mm512_set1_pd(noise);
  std::size_t u = 0;
  for (; u + 8 <= n; u += 8) {
    const __m512d o = _mm512_loadu_pd(output + u);
    const __m512d x = _mm512_add_pd(o, _mm512_mul_pd(scale, _mm512_loadu_pd(z + u)));
    const __mmask8 published = _mm512_cmp_pd_mask(o, zero, _CMP_GE_OQ);
    _mm512_storeu_pd(score + u, _mm512_mask_mov_pd(zero, published, _mm512_max_pd(x, zero)));
  }
  plain_tail(output, z, noise, u, n, score);
}
#pragma GCC diagnostic pop

bool avx2_available() {
  static const bool ok = __builtin_cpu_supports("avx2");
  return ok;
}

// Four entries a step, as the SSE2 form does two.
__attribute__((target("avx2"))) void noisy_avx2(const double* output, const double* z, double noise,
                                                std::size_t n, double* score) {
  const __m256d zero = _mm256_setzero_pd(), scale = _mm256_set1_pd(noise);
  std::size_t u = 0;
  for (; u + 4 <= n; u += 4) {
    const __m256d o = _mm256_loadu_pd(output + u);
    const __m256d x = _mm256_add_pd(o, _mm256_mul_pd(scale, _mm256_loadu_pd(z + u)));
    _mm256_storeu_pd(score + u,
                     _mm256_and_pd(_mm256_max_pd(x, zero), _mm256_cmp_pd(o, zero, _CMP_GE_OQ)));
  }
  plain_tail(output, z, noise, u, n, score);
}
#endif

void noisy_baseline(const double* output, const double* z, double noise, std::size_t n,
                    double* score) {
  std::size_t u = 0;
#if defined(__SSE2__)
  const __m128d zero = _mm_setzero_pd(), scale = _mm_set1_pd(noise);
  for (; u + 2 <= n; u += 2) {
    const __m128d o = _mm_loadu_pd(output + u);
    const __m128d x = _mm_add_pd(o, _mm_mul_pd(scale, _mm_loadu_pd(z + u)));
    _mm_storeu_pd(score + u, _mm_and_pd(_mm_max_pd(x, zero), _mm_cmpge_pd(o, zero)));
  }
#endif
  plain_tail(output, z, noise, u, n, score);
}

}  // namespace

bool noisy_scores_runs(core::SimdForm form) {
#if defined(SUBNETSIM_NOISY_X86)
  if (form == core::SimdForm::kAvx512) return avx512_available();
  if (form == core::SimdForm::kAvx2) return avx2_available();
#endif
  return form == core::SimdForm::kBaseline;
}

void noisy_scores_in(core::SimdForm form, const double* output, const double* z, double noise,
                     std::size_t n, double* score) {
#if defined(SUBNETSIM_NOISY_X86)
  if (form == core::SimdForm::kAvx512 && avx512_available())
    return noisy_avx512(output, z, noise, n, score);
  if (form == core::SimdForm::kAvx2 && avx2_available())
    return noisy_avx2(output, z, noise, n, score);
#else
  (void)form;
#endif
  noisy_baseline(output, z, noise, n, score);
}

void noisy_scores(const double* output, const double* z, double noise, std::size_t n,
                  double* score) {
  static const core::SimdForm widest =
      noisy_scores_runs(core::SimdForm::kAvx512) ? core::SimdForm::kAvx512
      : noisy_scores_runs(core::SimdForm::kAvx2) ? core::SimdForm::kAvx2
                                                 : core::SimdForm::kBaseline;
  noisy_scores_in(widest, output, z, noise, n, score);
}

}  // namespace subnetsim::agents
