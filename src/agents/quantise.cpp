// Scores to a u16 weight submission; see quantise.hpp.
#include "subnetsim/agents/quantise.hpp"

#include <algorithm>
#include <bit>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace subnetsim::agents {

std::size_t quantise_scores(const double* sc, std::size_t n, std::size_t own, std::uint16_t* uids,
                            std::uint16_t* values) {
  own = std::min(own, n);
  // The largest score but the validator's own, in two plain loops around it. Four running
  // maxima, so that each step does not wait on the last (a max is exact in any order; a NaN
  // is skipped either way).
  double m[4] = {0.0, 0.0, 0.0, 0.0};
  auto scan = [&](std::size_t from, std::size_t to) {
    std::size_t u = from;
    for (; u + 4 <= to; u += 4)
      for (std::size_t k = 0; k < 4; ++k) m[k] = m[k] < sc[u + k] ? sc[u + k] : m[k];
    for (; u < to; ++u) m[0] = m[0] < sc[u] ? sc[u] : m[0];
  };
  scan(0, own);
  scan(std::min(own + 1, n), n);
  const double max = std::max(std::max(m[0], m[1]), std::max(m[2], m[3]));
  if (!(max > 0.0)) return 0;
  const double scale = 65535.0 / max;
  std::size_t kept = 0;
  // One entry: it is written at the cursor, which then advances past it if it is kept (no
  // per-entry capacity check). Round half up (llround is needlessly slow here). Branch-free:
  // min(s, max), masked to +0 unless s > 0, keeps the ones not kept (own, <= 0) within range
  // too, without a branch on the sign (which scattered zero scores would mispredict).
  // s > 0 is read from the bits (sign clear and not +0), not from a compare: the compiler set a
  // byte register from the compare, which merged with the conversion result of the entry
  // before and chained every entry to the last (3x slower).
  auto quantise = [&](std::size_t u) {
    const double s = sc[u];
    uids[kept] = static_cast<std::uint16_t>(u);
    const std::uint64_t bits = std::bit_cast<std::uint64_t>(s);
    const std::uint64_t positive = (~bits & (0 - bits)) >> 63;
    const double c =
        std::bit_cast<double>(std::bit_cast<std::uint64_t>(std::min(s, max)) & (0 - positive));
    values[kept] = static_cast<std::uint16_t>(static_cast<std::int32_t>(c * scale + 0.5));
    kept += positive & static_cast<std::uint64_t>(u != own);
  };
  std::size_t u = 0;
#if defined(__SSE2__)
  // Four entries at once when all four are kept (runs of miners with positive scores, the
  // usual case): the same operations two lanes at a time (min, *, +, truncation), each entry's
  // low 16 bits gathered into four u16, and no cursor to wait on. A group with none kept is
  // skipped; any other goes one entry at a time (own uid, some score <= 0).
  const __m128d vmax = _mm_set1_pd(max), vscale = _mm_set1_pd(scale), half = _mm_set1_pd(0.5);
  const __m128d zero = _mm_setzero_pd();
  const __m128i steps = _mm_setr_epi16(0, 1, 2, 3, 0, 0, 0, 0);
  for (; u + 4 <= n; u += 4) {
    const __m128d a = _mm_loadu_pd(sc + u), b = _mm_loadu_pd(sc + u + 2);
    const int positive =
        _mm_movemask_pd(_mm_cmpgt_pd(a, zero)) | (_mm_movemask_pd(_mm_cmpgt_pd(b, zero)) << 2);
    if (positive == 0) continue;  // none kept (a run of validators): nothing to write
    if (positive != 0xF || (u <= own && own < u + 4)) {
      for (std::size_t k = u; k < u + 4; ++k) quantise(k);
      continue;
    }
    // min(max, s) is std::min(s, max): max when max < s, else s.
    const __m128i ia = _mm_cvttpd_epi32(_mm_add_pd(_mm_mul_pd(_mm_min_pd(vmax, a), vscale), half));
    const __m128i ib = _mm_cvttpd_epi32(_mm_add_pd(_mm_mul_pd(_mm_min_pd(vmax, b), vscale), half));
    // Four i32 -> their low halves, in order, in the low 64 bits.
    __m128i x = _mm_unpacklo_epi64(ia, ib);
    x = _mm_shufflelo_epi16(x, _MM_SHUFFLE(3, 3, 2, 0));
    x = _mm_shufflehi_epi16(x, _MM_SHUFFLE(3, 3, 2, 0));
    x = _mm_shuffle_epi32(x, _MM_SHUFFLE(3, 3, 2, 0));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(values + kept), x);
    const __m128i ids = _mm_add_epi16(_mm_set1_epi16(static_cast<short>(u)), steps);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(uids + kept), ids);
    kept += 4;
  }
#endif
  for (; u < n; ++u) quantise(u);
  return kept;
}

}  // namespace subnetsim::agents
