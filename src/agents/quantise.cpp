// Scores to a u16 weight submission; see quantise.hpp.
#include "subnetsim/agents/quantise.hpp"

#include <algorithm>
#include <bit>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__AVX__)
#include <immintrin.h>
#define SUBNETSIM_QUANTISE_AVX2 1
#endif

namespace subnetsim::agents {

namespace {

// One entry, the plain way: written at the cursor, which then advances past it if it is kept
// (no per-entry capacity check). Round half up (llround is needlessly slow here). Branch-free:
// min(s, max), masked to +0 unless s > 0, keeps the ones not kept (own, <= 0) within range
// too, without a branch on the sign (which scattered zero scores would mispredict).
// s > 0 is read from the bits (sign clear and not +0), not from a compare: the compiler set a
// byte register from the compare, which merged with the conversion result of the entry
// before and chained every entry to the last (3x slower).
inline void quantise_one(const double* sc, std::size_t u, std::size_t own, double max,
                         double scale, std::uint16_t* uids, std::uint16_t* values,
                         std::size_t& kept) {
  const double s = sc[u];
  uids[kept] = static_cast<std::uint16_t>(u);
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(s);
  const std::uint64_t positive = (~bits & (0 - bits)) >> 63;
  const double c =
      std::bit_cast<double>(std::bit_cast<std::uint64_t>(std::min(s, max)) & (0 - positive));
  values[kept] = static_cast<std::uint16_t>(static_cast<std::int32_t>(c * scale + 0.5));
  kept += positive & static_cast<std::uint64_t>(u != own);
}

#if defined(SUBNETSIM_QUANTISE_AVX2)
// For each set of kept lanes of a group of eight (bit k = lane k), the byte shuffle that packs
// the kept u16 lanes to the front in order (bytes of the others: 0x80, which pshufb zeroes).
struct PackTable {
  alignas(16) std::uint8_t shuffle[256][16];
};
constexpr PackTable make_pack_table() {
  PackTable t{};
  for (unsigned mask = 0; mask < 256; ++mask) {
    unsigned out = 0;
    for (unsigned lane = 0; lane < 8; ++lane) {
      if (!(mask & (1u << lane))) continue;
      t.shuffle[mask][2 * out] = static_cast<std::uint8_t>(2 * lane);
      t.shuffle[mask][2 * out + 1] = static_cast<std::uint8_t>(2 * lane + 1);
      ++out;
    }
    for (unsigned b = 2 * out; b < 16; ++b) t.shuffle[mask][b] = 0x80;
  }
  return t;
}
constexpr PackTable kPack = make_pack_table();

// The same in AVX2, eight entries a step: max is exact in any order (max_pd(s, m) keeps m when
// s is NaN, as the plain scan skips a NaN), and each kept entry goes through the same min, *,
// + and truncation as in quantise_one, so the submission is the same bit for bit.
__attribute__((target("avx2"))) std::size_t quantise_avx2(const double* sc, std::size_t n,
                                                          std::size_t own, std::uint16_t* uids,
                                                          std::uint16_t* values) {
  __m256d m0 = _mm256_setzero_pd(), m1 = m0;
  double max = 0.0;
  const std::size_t from[2] = {0, std::min(own + 1, n)}, to[2] = {own, n};
  for (int part = 0; part < 2; ++part) {
    std::size_t u = from[part];
    for (; u + 8 <= to[part]; u += 8) {
      m0 = _mm256_max_pd(_mm256_loadu_pd(sc + u), m0);
      m1 = _mm256_max_pd(_mm256_loadu_pd(sc + u + 4), m1);
    }
    for (; u < to[part]; ++u) max = max < sc[u] ? sc[u] : max;
  }
  alignas(32) double lanes[4];
  _mm256_store_pd(lanes, _mm256_max_pd(m0, m1));
  for (const double x : lanes) max = max < x ? x : max;
  if (!(max > 0.0)) return 0;
  const double scale = 65535.0 / max;
  std::size_t kept = 0;
  const __m256d vmax = _mm256_set1_pd(max), vscale = _mm256_set1_pd(scale);
  const __m256d half = _mm256_set1_pd(0.5), zero = _mm256_setzero_pd();
  const __m128i steps = _mm_setr_epi16(0, 1, 2, 3, 4, 5, 6, 7);
  std::size_t u = 0;
  for (; u + 8 <= n; u += 8) {
    const __m256d a = _mm256_loadu_pd(sc + u), b = _mm256_loadu_pd(sc + u + 4);
    const int positive = _mm256_movemask_pd(_mm256_cmp_pd(a, zero, _CMP_GT_OQ)) |
                         (_mm256_movemask_pd(_mm256_cmp_pd(b, zero, _CMP_GT_OQ)) << 4);
    if (positive == 0) continue;  // none kept (a run of validators): nothing to write
    // min(max, s) is std::min(s, max); a kept lane's i32 is in [0, 65535], so the unsigned
    // saturating pack is exact (another lane's, NaN's 0x80000000 included, packs to 0, as
    // quantise_one would store it).
    const __m128i ia = _mm256_cvttpd_epi32(_mm256_add_pd(_mm256_mul_pd(_mm256_min_pd(vmax, a), vscale), half));
    const __m128i ib = _mm256_cvttpd_epi32(_mm256_add_pd(_mm256_mul_pd(_mm256_min_pd(vmax, b), vscale), half));
    const __m128i vals = _mm_packus_epi32(ia, ib);
    const __m128i ids = _mm_add_epi16(_mm_set1_epi16(static_cast<short>(u)), steps);
    if (positive == 0xFF && !(u <= own && own < u + 8)) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(values + kept), vals);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(uids + kept), ids);
      kept += 8;
      continue;
    }
    // Some left out (a zero score among miners, own): the kept lanes are packed to the front
    // by a shuffle. Which ones are is quantise_one's rule, read from the bits (sign clear, not
    // +0: a signed 64-bit compare with 0). (A group whose only sign-clear lanes are NaN is
    // skipped above where quantise_one would keep them at 0: scores are finite by contract.)
    const __m256i zi = _mm256_setzero_si256();
    unsigned keep = static_cast<unsigned>(
        _mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpgt_epi64(_mm256_castpd_si256(a), zi))) |
        (_mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpgt_epi64(_mm256_castpd_si256(b), zi)))
         << 4));
    if (u <= own && own < u + 8) keep &= ~(1u << (own - u));
    const __m128i shuffle = _mm_load_si128(reinterpret_cast<const __m128i*>(kPack.shuffle[keep]));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(values + kept), _mm_shuffle_epi8(vals, shuffle));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(uids + kept), _mm_shuffle_epi8(ids, shuffle));
    kept += static_cast<std::size_t>(std::popcount(keep));
  }
  for (; u < n; ++u) quantise_one(sc, u, own, max, scale, uids, values, kept);
  return kept;
}

bool avx2_available() {
  static const bool ok = __builtin_cpu_supports("avx2");
  return ok;
}

// The same in AVX-512, sixteen entries a step: the kept lanes are packed by a compress (no
// table), and the u16 narrowing saturates unsigned after a signed max with 0, which gives
// every lane what _mm_packus_epi32 gives it above (NaN's 0x80000000 included: 0).
// GCC 12's AVX-512 intrinsics pass _mm512_undefined_*() through the masked builtins, which
// -W(maybe-)uninitialized reports once inlined (false positives: no lane of it is read).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#define SUBNETSIM_TARGET_AVX512 \
  __attribute__((target("avx2,avx512f,avx512bw,avx512vl,avx512vbmi2")))
SUBNETSIM_TARGET_AVX512 std::size_t quantise_avx512(const double* sc, std::size_t n,
                                                    std::size_t own, std::uint16_t* uids,
                                                    std::uint16_t* values) {
  __m512d m0 = _mm512_setzero_pd(), m1 = m0;
  const std::size_t from[2] = {0, std::min(own + 1, n)}, to[2] = {own, n};
  for (int part = 0; part < 2; ++part) {
    std::size_t u = from[part];
    for (; u + 16 <= to[part]; u += 16) {
      m0 = _mm512_max_pd(_mm512_loadu_pd(sc + u), m0);
      m1 = _mm512_max_pd(_mm512_loadu_pd(sc + u + 8), m1);
    }
    for (; u < to[part]; u += 8) {
      const auto lanes =
          static_cast<__mmask8>(to[part] - u >= 8 ? 0xff : (1u << (to[part] - u)) - 1u);
      m0 = _mm512_max_pd(_mm512_maskz_loadu_pd(lanes, sc + u), m0);
    }
  }
  // max_pd(s, m) keeps m when s is NaN, and a masked-off lane loads +0: the plain scan's max.
  alignas(64) double lanes[8];
  _mm512_store_pd(lanes, _mm512_max_pd(m0, m1));
  double max = 0.0;
  for (const double x : lanes) max = max < x ? x : max;
  if (!(max > 0.0)) return 0;
  const double scale = 65535.0 / max;
  std::size_t kept = 0;
  const __m512d vmax = _mm512_set1_pd(max), vscale = _mm512_set1_pd(scale);
  const __m512d half = _mm512_set1_pd(0.5);
  const __m512i zero = _mm512_setzero_si512();
  const __m256i steps = _mm256_setr_epi16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  for (std::size_t u = 0; u < n; u += 16) {
    const std::size_t left = n - u;
    const auto in_range = static_cast<__mmask16>(left >= 16 ? 0xffffu : (1u << left) - 1u);
    const __m512d a = _mm512_maskz_loadu_pd(static_cast<__mmask8>(in_range), sc + u);
    const __m512d b = _mm512_maskz_loadu_pd(static_cast<__mmask8>(in_range >> 8), sc + u + 8);
    // quantise_one's rule, from the bits: sign clear and not +0 (a signed 64-bit compare).
    auto keep = static_cast<__mmask16>(
        static_cast<unsigned>(_mm512_cmpgt_epi64_mask(_mm512_castpd_si512(a), zero)) |
        static_cast<unsigned>(_mm512_cmpgt_epi64_mask(_mm512_castpd_si512(b), zero)) << 8);
    keep &= in_range;
    if (u <= own && own < u + 16) keep &= static_cast<__mmask16>(~(1u << (own - u)));
    if (keep == 0) continue;  // none kept (a run of validators): nothing to write
    const __m256i qa =
        _mm512_cvttpd_epi32(_mm512_add_pd(_mm512_mul_pd(_mm512_min_pd(vmax, a), vscale), half));
    const __m256i qb =
        _mm512_cvttpd_epi32(_mm512_add_pd(_mm512_mul_pd(_mm512_min_pd(vmax, b), vscale), half));
    const __m512i i32 = _mm512_inserti64x4(_mm512_castsi256_si512(qa), qb, 1);
    const __m256i vals = _mm512_cvtusepi32_epi16(_mm512_max_epi32(i32, zero));
    const __m256i ids = _mm256_add_epi16(_mm256_set1_epi16(static_cast<short>(u)), steps);
    const auto count = static_cast<std::size_t>(std::popcount(static_cast<unsigned>(keep)));
    // kept <= u, so a whole vector's store at kept stays below u + 16: masked to n at the end.
    const auto room = static_cast<__mmask16>(left >= 16 ? 0xffffu : (1u << left) - 1u);
    _mm256_mask_storeu_epi16(values + kept, room, _mm256_maskz_compress_epi16(keep, vals));
    _mm256_mask_storeu_epi16(uids + kept, room, _mm256_maskz_compress_epi16(keep, ids));
    kept += count;
  }
  return kept;
}
#undef SUBNETSIM_TARGET_AVX512
#pragma GCC diagnostic pop

bool avx512_available() {
  static const bool ok = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                         __builtin_cpu_supports("avx512vl") &&
                         __builtin_cpu_supports("avx512vbmi2");
  return ok;
}
#endif

}  // namespace

std::size_t quantise_scores(const double* sc, std::size_t n, std::size_t own, std::uint16_t* uids,
                            std::uint16_t* values) {
#if defined(SUBNETSIM_QUANTISE_AVX2)
  if (avx512_available()) return quantise_avx512(sc, n, std::min(own, n), uids, values);
#endif
  return quantise_scores_avx2_only(sc, n, own, uids, values);
}

std::size_t quantise_scores_avx2_only(const double* sc, std::size_t n, std::size_t own,
                                      std::uint16_t* uids, std::uint16_t* values) {
#if defined(SUBNETSIM_QUANTISE_AVX2)
  if (avx2_available()) return quantise_avx2(sc, n, std::min(own, n), uids, values);
#endif
  return quantise_scores_without_avx2(sc, n, own, uids, values);
}

std::size_t quantise_scores_without_avx2(const double* sc, std::size_t n, std::size_t own,
                                         std::uint16_t* uids, std::uint16_t* values) {
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
  auto quantise = [&](std::size_t u) { quantise_one(sc, u, own, max, scale, uids, values, kept); };
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
