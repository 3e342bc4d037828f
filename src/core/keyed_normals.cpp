// keyed_standard_normals (normal.hpp): a batch of keyed draws, eight lanes at a time with
// AVX-512 where the CPU has it, giving the bits of keyed_standard_normal exactly.
//
// Why this form: the draw's fast path is a hash (two 64-bit multiplies), two table reads and a
// product. The hash vectorises well, but AVX-512 gathers of the table entries are slow on the
// CPUs this runs on (as slow as the scalar loop, measured); so the eight table indices go
// through memory and the entries are read by scalar loads into the vectors. The ~1.5% of lanes
// that miss the fast path are marked in a bitset and drawn after the vector loop, where their
// branch mispredictions do not interrupt it.
#include <bit>
#include <vector>

#include "subnetsim/core/normal.hpp"

#if defined(__GNUC__) && defined(__x86_64__)
// GCC 12 builds _mm512_set_epi64 and _mm512_set_pd up from an undefined vector, which
// -Wmaybe-uninitialized reports once inlined (a false positive: every lane is written).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#define SUBNETSIM_KEYED_NORMALS_AVX512 1
#endif

namespace subnetsim::core {
namespace {

void keyed_normals_plain(std::uint64_t base, const std::uint64_t* ids, const double* gate,
                         std::size_t n, double* out) {
  for (std::size_t k = 0; k < n; ++k)
    out[k] = !gate || gate[k] >= 0.0 ? keyed_standard_normal(base + ids[k]) : 0.0;
}

#if defined(SUBNETSIM_KEYED_NORMALS_AVX512)
// Draws out[0, n8) for n8 a multiple of 8, gated as keyed_standard_normals; the gated lanes
// that miss the fast path are left to the caller, as the set bits of the bitset `missed`
// (lane k is bit k % 8 of byte k / 8; n8 / 8 bytes). Eight lanes all gated off are zeros, not drawn
// (a subnet's validators, who publish no output, sit together at its low uids).
__attribute__((target("avx512f,avx512dq"))) void keyed_normals_avx512(std::uint64_t base,
                                                                      const std::uint64_t* ids,
                                                                      const double* gate,
                                                                      std::size_t n8, double* out,
                                                                      std::uint8_t* missed) {
  // mix64(base + id) as in rng.hpp, lane by lane.
  const __m512i start = _mm512_set1_epi64(static_cast<long long>(base + 0x9e3779b97f4a7c15ULL));
  const __m512i m1 = _mm512_set1_epi64(static_cast<long long>(0xbf58476d1ce4e5b9ULL));
  const __m512i m2 = _mm512_set1_epi64(static_cast<long long>(0x94d049bb133111ebULL));
  const __m512i layer_bits = _mm512_set1_epi64(0x1ff);
  const std::uint64_t* inner = detail::kZiggurat.inner;
  const double* width = detail::kZiggurat.w;
  const __m512d zero = _mm512_setzero_pd();
  for (std::size_t k = 0; k < n8; k += 8) {
    const __mmask8 wanted =
        gate ? _mm512_cmp_pd_mask(_mm512_loadu_pd(gate + k), zero, _CMP_GE_OQ) : 0xff;
    if (wanted == 0) {
      _mm512_storeu_pd(out + k, zero);
      missed[k / 8] = 0;
      continue;
    }
    __m512i x = _mm512_add_epi64(_mm512_loadu_si512(ids + k), start);
    x = _mm512_mullo_epi64(_mm512_xor_si512(x, _mm512_srli_epi64(x, 30)), m1);
    x = _mm512_mullo_epi64(_mm512_xor_si512(x, _mm512_srli_epi64(x, 27)), m2);
    x = _mm512_xor_si512(x, _mm512_srli_epi64(x, 31));
    alignas(64) std::uint64_t i[8];
    _mm512_store_si512(i, _mm512_and_si512(x, layer_bits));
    const __m512i bound =
        _mm512_set_epi64(static_cast<long long>(inner[i[7]]), static_cast<long long>(inner[i[6]]),
                         static_cast<long long>(inner[i[5]]), static_cast<long long>(inner[i[4]]),
                         static_cast<long long>(inner[i[3]]), static_cast<long long>(inner[i[2]]),
                         static_cast<long long>(inner[i[1]]), static_cast<long long>(inner[i[0]]));
    const __m512d w = _mm512_set_pd(width[i[7]], width[i[6]], width[i[5]], width[i[4]], width[i[3]],
                                    width[i[2]], width[i[1]], width[i[0]]);
    const __m512i j = _mm512_srli_epi64(x, 11);
    // j < 2^53: the conversion is exact, and the product the fast path's.
    _mm512_storeu_pd(out + k, _mm512_mul_pd(_mm512_cvtepu64_pd(j), w));
    missed[k / 8] = _mm512_mask_cmpge_epu64_mask(wanted, j, bound);
  }
}

bool have_avx512() {
  static const bool ok = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
  return ok;
}
#endif

}  // namespace

bool keyed_standard_normals_in_lanes() {
#if defined(SUBNETSIM_KEYED_NORMALS_AVX512)
  return have_avx512();
#else
  return false;
#endif
}

void keyed_standard_normals(std::uint64_t base, const std::uint64_t* ids, const double* gate,
                            std::size_t n, double* out) {
#if defined(SUBNETSIM_KEYED_NORMALS_AVX512)
  if (n >= 8 && have_avx512()) {
    const std::size_t n8 = n - n % 8;
    // The misses as a bitset, read a word at a time: a branch per miss and per word, none
    // per vector (most vectors have no miss; a branch on each would mispredict now and then).
    thread_local std::vector<std::uint64_t> missed;
    missed.assign((n8 / 8 + 7) / 8, 0);
    keyed_normals_avx512(base, ids, gate, n8, out, reinterpret_cast<std::uint8_t*>(missed.data()));
    for (std::size_t word = 0; word < missed.size(); ++word) {
      for (std::uint64_t bits = missed[word]; bits != 0; bits &= bits - 1) {
        const std::size_t k = word * 64 + static_cast<std::size_t>(std::countr_zero(bits));
        const std::uint64_t key = base + ids[k];
        out[k] = detail::keyed_normal_slow(key, mix64(key));
      }
    }
    keyed_normals_plain(base, ids + n8, gate ? gate + n8 : nullptr, n - n8, out + n8);
    return;
  }
#endif
  keyed_normals_plain(base, ids, gate, n, out);
}

}  // namespace subnetsim::core
