// keyed_standard_normals (normal.hpp): a batch of keyed draws, eight lanes at a time with
// AVX-512 where the CPU has it (else four at a time with AVX2), giving the bits of
// keyed_standard_normal exactly.
//
// Why this form: the draw's fast path is a hash (two 64-bit multiplies), two table reads and a
// product. The hash vectorises well, but AVX-512 gathers of the table entries are slow on the
// CPUs this runs on (as slow as the scalar loop, measured); so the eight table indices go
// through memory and the entries are read by scalar loads into the vectors. The ~1.5% of lanes
// that miss the fast path are marked in a bitset and drawn after the vector loop, where their
// branch mispredictions do not interrupt it. The AVX2 form builds the 64-bit multiplies from
// 32-bit ones and reads the tables by half-vector loads: on a Zen 3, a validator's 192 draws
// took ~0.7 of the plain loop's time (its gathers ~0.85).
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

#define SUBNETSIM_TARGET_AVX2 __attribute__((target("avx2"), always_inline))

// x * c mod 2^64 in four lanes (AVX2 has no 64-bit multiply): the low halves' full product
// plus the two cross products shifted up; c_hi = c >> 32 in every lane.
SUBNETSIM_TARGET_AVX2 inline __m256i mul64(__m256i x, __m256i c, __m256i c_hi) {
  const __m256i cross =
      _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(x, 32), c), _mm256_mul_epu32(x, c_hi));
  return _mm256_add_epi64(_mm256_mul_epu32(x, c), _mm256_slli_epi64(cross, 32));
}

// mix64(base + id) of four ids, as in rng.hpp; start = base + mix64's increment.
SUBNETSIM_TARGET_AVX2 inline __m256i mix64_4(const std::uint64_t* ids, __m256i start) {
  const __m256i m1 = _mm256_set1_epi64x(static_cast<long long>(0xbf58476d1ce4e5b9ULL));
  const __m256i m1_hi = _mm256_set1_epi64x(static_cast<long long>(0xbf58476d1ce4e5b9ULL >> 32));
  const __m256i m2 = _mm256_set1_epi64x(static_cast<long long>(0x94d049bb133111ebULL));
  const __m256i m2_hi = _mm256_set1_epi64x(static_cast<long long>(0x94d049bb133111ebULL >> 32));
  __m256i x = _mm256_add_epi64(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(ids)), start);
  x = mul64(_mm256_xor_si256(x, _mm256_srli_epi64(x, 30)), m1, m1_hi);
  x = mul64(_mm256_xor_si256(x, _mm256_srli_epi64(x, 27)), m2, m2_hi);
  return _mm256_xor_si256(x, _mm256_srli_epi64(x, 31));
}

// j as a double, exactly, for j < 2^53 (AVX2 converts no 64-bit integers): its high and low
// 32 bits placed in the mantissas of 2^84 and 2^52, the offsets taken off, the halves added
// (one rounding, of an exact result).
SUBNETSIM_TARGET_AVX2 inline __m256d to_double_53(__m256i j) {
  const __m256i lo = _mm256_or_si256(_mm256_and_si256(j, _mm256_set1_epi64x(0xffffffffLL)),
                                     _mm256_set1_epi64x(0x4330000000000000LL));
  const __m256i hi =
      _mm256_or_si256(_mm256_srli_epi64(j, 32), _mm256_set1_epi64x(0x4530000000000000LL));
  const __m256d high = _mm256_sub_pd(_mm256_castsi256_pd(hi), _mm256_set1_pd(0x1p84 + 0x1p52));
  return _mm256_add_pd(high, _mm256_castsi256_pd(lo));
}

// table[idx[l]] in lane l: each pair of entries by a low and a high half load (faster than
// AVX2's gathers and than inserting 64-bit integers, on the Zen 3 measured).
SUBNETSIM_TARGET_AVX2 inline __m256d load4(const double* table, const std::uint64_t* idx) {
  const __m128d low = _mm_loadh_pd(_mm_load_sd(table + idx[0]), table + idx[1]);
  const __m128d high = _mm_loadh_pd(_mm_load_sd(table + idx[2]), table + idx[3]);
  return _mm256_insertf128_pd(_mm256_castpd128_pd256(low), high, 1);
}

// Four lanes of the fast path: the draws into out, the lanes that miss it as the low four
// bits of the result (gated lanes only).
SUBNETSIM_TARGET_AVX2 inline unsigned keyed_normals4(const std::uint64_t* ids, const double* gate,
                                                     __m256i start, double* out) {
  const __m256i x = mix64_4(ids, start);
  const __m256i i = _mm256_and_si256(x, _mm256_set1_epi64x(0x1ff));
  alignas(32) std::uint64_t idx[4];
  _mm256_store_si256(reinterpret_cast<__m256i*>(idx), i);
  const __m256i bound =
      _mm256_castpd_si256(load4(reinterpret_cast<const double*>(detail::kZiggurat.inner), idx));
  const __m256d w = load4(detail::kZiggurat.w, idx);
  const __m256i j = _mm256_srli_epi64(x, 11);
  _mm256_storeu_pd(out, _mm256_mul_pd(to_double_53(j), w));
  // j and the bounds are below 2^53: the signed compare is the unsigned one.
  auto miss = static_cast<unsigned>(
      _mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpgt_epi64(bound, j))) ^ 0xF);
  if (gate)
    miss &= static_cast<unsigned>(
        _mm256_movemask_pd(_mm256_cmp_pd(_mm256_loadu_pd(gate), _mm256_setzero_pd(), _CMP_GE_OQ)));
  return miss;
}

// keyed_normals_avx512 in AVX2: eight keys a step as two halves of four, the same contract.
__attribute__((target("avx2"))) void keyed_normals_avx2(std::uint64_t base,
                                                        const std::uint64_t* ids,
                                                        const double* gate, std::size_t n8,
                                                        double* out, std::uint8_t* missed) {
  const __m256i start = _mm256_set1_epi64x(static_cast<long long>(base + 0x9e3779b97f4a7c15ULL));
  const __m256d zero = _mm256_setzero_pd();
  for (std::size_t k = 0; k < n8; k += 8) {
    if (gate && _mm256_movemask_pd(_mm256_or_pd(
                    _mm256_cmp_pd(_mm256_loadu_pd(gate + k), zero, _CMP_GE_OQ),
                    _mm256_cmp_pd(_mm256_loadu_pd(gate + k + 4), zero, _CMP_GE_OQ))) == 0) {
      _mm256_storeu_pd(out + k, zero);
      _mm256_storeu_pd(out + k + 4, zero);
      missed[k / 8] = 0;
      continue;
    }
    const unsigned low = keyed_normals4(ids + k, gate ? gate + k : nullptr, start, out + k);
    const unsigned high =
        keyed_normals4(ids + k + 4, gate ? gate + k + 4 : nullptr, start, out + k + 4);
    missed[k / 8] = static_cast<std::uint8_t>(low | high << 4);
  }
}

#undef SUBNETSIM_TARGET_AVX2

bool have_avx512() {
  static const bool ok = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
  return ok;
}

bool have_avx2() {
  static const bool ok = __builtin_cpu_supports("avx2");
  return ok;
}
#endif

// The lane forms: draws out[0, n8) for n8 a multiple of 8, misses as a bitset (see above).
using LaneForm = void (*)(std::uint64_t, const std::uint64_t*, const double*, std::size_t, double*,
                          std::uint8_t*);

LaneForm lane_form(SimdForm form) {
#if defined(SUBNETSIM_KEYED_NORMALS_AVX512)
  if (form == SimdForm::kAvx512 && have_avx512()) return &keyed_normals_avx512;
  if (form == SimdForm::kAvx2 && have_avx2()) return &keyed_normals_avx2;
#else
  (void)form;
#endif
  return nullptr;
}

void keyed_normals_in(LaneForm lanes, std::uint64_t base, const std::uint64_t* ids,
                      const double* gate, std::size_t n, double* out) {
  if (n >= 8 && lanes != nullptr) {
    const std::size_t n8 = n - n % 8;
    // The misses as a bitset, read a word at a time: a branch per miss and per word, none
    // per vector (most vectors have no miss; a branch on each would mispredict now and then).
    thread_local std::vector<std::uint64_t> missed;
    missed.assign((n8 / 8 + 7) / 8, 0);
    lanes(base, ids, gate, n8, out, reinterpret_cast<std::uint8_t*>(missed.data()));
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
  keyed_normals_plain(base, ids, gate, n, out);
}

}  // namespace

bool keyed_standard_normals_runs(SimdForm form) {
  return form == SimdForm::kBaseline || lane_form(form) != nullptr;
}

void keyed_standard_normals_in(SimdForm form, std::uint64_t base, const std::uint64_t* ids,
                               const double* gate, std::size_t n, double* out) {
  keyed_normals_in(lane_form(form), base, ids, gate, n, out);
}

void keyed_standard_normals(std::uint64_t base, const std::uint64_t* ids, const double* gate,
                            std::size_t n, double* out) {
  static const LaneForm widest = [] {
    const LaneForm avx512 = lane_form(SimdForm::kAvx512);
    return avx512 != nullptr ? avx512 : lane_form(SimdForm::kAvx2);
  }();
  keyed_normals_in(widest, base, ids, gate, n, out);
}

}  // namespace subnetsim::core
