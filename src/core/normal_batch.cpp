// Four-lane batch normals; see normal_batch.hpp.
#include "subnetsim/core/normal_batch.hpp"

#include <array>
#include <bit>
#include <cstring>

#include "subnetsim/core/normal.hpp"
#include "subnetsim/core/rng.hpp"

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define SUBNETSIM_NORMAL_BATCH_SIMD 1
#endif

namespace subnetsim::core {
namespace {

// s[w][l]: word w of lane l's state, as in NormalBatch.
using State = std::uint64_t[4][4];

// Lane l's engine, and back: an Xoshiro256pp is its four state words and nothing else.
Rng lane_engine(const State& s, int l) {
  return std::bit_cast<Rng>(std::array<std::uint64_t, 4>{s[0][l], s[1][l], s[2][l], s[3][l]});
}
void store_lane(State& s, int l, const Rng& rng) {
  const auto words = std::bit_cast<std::array<std::uint64_t, 4>>(rng);
  for (int w = 0; w < 4; ++w) s[w][l] = words[w];
}

// The portable path, one lane after the other: lane l's slots out[l], out[l + 4], ... below n,
// then the discarded draw when the last group is short of lane l. The engine is a local, kept
// in registers, as in standard_normals.
void fill_lane(State& s, int l, double* out, std::size_t n) {
  Rng local = lane_engine(s, l);
  const auto next = [&local] {
    const std::uint64_t r = local();
    double x;
    if (detail::fast_path(r, x)) [[likely]]
      return x;
    Rng spill = local;
    x = detail::standard_normal_slow(spill, r);
    local = spill;
    return x;
  };
  std::size_t draws = 0;
  for (auto k = static_cast<std::size_t>(l); k < n; k += 4, ++draws) out[k] = next();
  if (draws < (n + 3) / 4) next();
  store_lane(s, l, local);
}

void fill_portable(State& s, double* out, std::size_t n) {
  for (int l = 0; l < 4; ++l) fill_lane(s, l, out, n);
}

#if defined(SUBNETSIM_NORMAL_BATCH_SIMD)
// The vector path: one body, written for AVX2 and compiled twice, as AVX2 and with AVX-512VL
// (where the compiler makes each rotation one instruction, and the conversion below is one).
namespace simd {

#define SUBNETSIM_AVX2 __attribute__((target("avx2")))
#define SUBNETSIM_AVX512 __attribute__((target("avx2,avx512f,avx512vl,avx512dq")))
#define SUBNETSIM_INLINE_AVX2 [[gnu::always_inline]] SUBNETSIM_AVX2 inline

using U64x4 = std::uint64_t __attribute__((vector_size(32)));
using I64x4 = long long __attribute__((vector_size(32)));
using F64x4 = double __attribute__((vector_size(32)));

// The fast path's table, an entry (inner bound, w) of 16 bytes for each r & 511: one load a
// lane, which costs less here than two gathers. (Were it read before its initialisation, all
// zero, every lane would go to the slow path, which retests the fast path on the real table:
// the draws would be slower, not different.)
struct alignas(16) Entry {
  std::uint64_t inner;
  double w;
};
const std::array<Entry, 512> kEntries = [] {
  std::array<Entry, 512> t{};
  for (std::size_t i = 0; i < t.size(); ++i)
    t[i] = {detail::kZiggurat.inner[i], detail::kZiggurat.w[i]};
  return t;
}();

// The four engines: word w of each in one vector.
struct Lanes {
  U64x4 s0, s1, s2, s3;
};

SUBNETSIM_INLINE_AVX2 Lanes load(const State& s) {
  Lanes v;
  std::memcpy(&v.s0, s[0], sizeof v.s0);
  std::memcpy(&v.s1, s[1], sizeof v.s1);
  std::memcpy(&v.s2, s[2], sizeof v.s2);
  std::memcpy(&v.s3, s[3], sizeof v.s3);
  return v;
}

SUBNETSIM_INLINE_AVX2 void store(State& s, const Lanes& v) {
  std::memcpy(s[0], &v.s0, sizeof v.s0);
  std::memcpy(s[1], &v.s1, sizeof v.s1);
  std::memcpy(s[2], &v.s2, sizeof v.s2);
  std::memcpy(s[3], &v.s3, sizeof v.s3);
}

SUBNETSIM_INLINE_AVX2 U64x4 rotl(U64x4 x, int k) { return (x << k) | (x >> (64 - k)); }

// xoshiro256++ on the four lanes at once: their next outputs.
SUBNETSIM_INLINE_AVX2 U64x4 next(Lanes& v) {
  const U64x4 r = rotl(v.s0 + v.s3, 23) + v.s0;
  const U64x4 t = v.s1 << 17;
  v.s2 ^= v.s0;
  v.s3 ^= v.s1;
  v.s1 ^= v.s2;
  v.s0 ^= v.s3;
  v.s2 ^= t;
  v.s3 = rotl(v.s3, 45);
  return r;
}

// j < 2^53 to double, exactly. AVX2 has no 64-bit integer conversion: the high 21 bits are
// put in the mantissa of 2^84 + hi 2^32, the low 32 in that of 2^52 + lo; the first minus
// 2^84 + 2^52 is exact (a multiple of 2^32 below 2^53 in size), and adding the second rounds
// nothing, the sum, j, being a double. With AVX-512DQ the conversion is one instruction.
template <bool kAvx512>
SUBNETSIM_INLINE_AVX2 F64x4 to_double(U64x4 j) {
  if constexpr (kAvx512) {
    return __builtin_convertvector((I64x4)j, F64x4);
  } else {
    // (2^84 + hi 2^32) and (2^52 + lo) as bits, then their (hi 2^32 - 2^52) + (2^52 + lo).
    const U64x4 hi = (j >> 32) | 0x4530000000000000ULL;
    const auto lo = _mm256_blend_epi32((__m256i)j, _mm256_set1_epi64x(0x4330000000000000LL), 0xaa);
    return ((F64x4)hi - (0x1p84 + 0x1p52)) + (F64x4)lo;
  }
}

// The entries of the four outputs: their inner bounds and w.
SUBNETSIM_INLINE_AVX2 void lookup(__m256i r, __m256i& inner, __m256d& w) {
  const __m128i lo = _mm256_castsi256_si128(r), hi = _mm256_extracti128_si256(r, 1);
  const auto entry = [](long long x) {
    return _mm_load_si128(
        reinterpret_cast<const __m128i*>(&kEntries[static_cast<std::size_t>(x) & 0x1ffU]));
  };
  const __m128i e0 = entry(_mm_cvtsi128_si64(lo)), e1 = entry(_mm_extract_epi64(lo, 1));
  const __m128i e2 = entry(_mm_cvtsi128_si64(hi)), e3 = entry(_mm_extract_epi64(hi, 1));
  const __m256i a = _mm256_inserti128_si256(_mm256_castsi128_si256(e0), e2, 1);  // lanes 0, 2
  const __m256i b = _mm256_inserti128_si256(_mm256_castsi128_si256(e1), e3, 1);  // lanes 1, 3
  inner = _mm256_unpacklo_epi64(a, b);
  w = _mm256_castsi256_pd(_mm256_unpackhi_epi64(a, b));
}

// The lanes in `bad` (bit l for lane l) missed the fast path with their outputs r: their draws
// by the scalar slow path on each lane's engine alone, whose state then goes back in its lane.
SUBNETSIM_INLINE_AVX2 void settle(Lanes& v, U64x4 r, unsigned bad, double* out) {
  do {
    const int l = __builtin_ctz(bad);
    Rng rng = std::bit_cast<Rng>(std::array<std::uint64_t, 4>{v.s0[l], v.s1[l], v.s2[l], v.s3[l]});
    out[l] = detail::standard_normal_slow(rng, r[l]);
    const auto words = std::bit_cast<std::array<std::uint64_t, 4>>(rng);
    const U64x4 lane = -U64x4{l == 0, l == 1, l == 2, l == 3};  // all ones in lane l
    v.s0 = (v.s0 & ~lane) | (words[0] & lane);
    v.s1 = (v.s1 & ~lane) | (words[1] & lane);
    v.s2 = (v.s2 & ~lane) | (words[2] & lane);
    v.s3 = (v.s3 & ~lane) | (words[3] & lane);
    bad &= bad - 1;
  } while (bad != 0);
}

// The four lanes' next draws into out[0..4): the fast path on all four outputs at once, then
// settle() for the lanes that miss it (about 6% of groups have one). The test compares
// signed: r >> 11 < 2^53 and the bounds are at most 2^53 (the tests check), so signed and
// unsigned agree.
template <bool kAvx512>
SUBNETSIM_INLINE_AVX2 void group(Lanes& v, double* out) {
  const U64x4 r = next(v);
  __m256i inner;
  __m256d w;
  lookup((__m256i)r, inner, w);
  const U64x4 j = r >> 11;
  _mm256_storeu_pd(out, (__m256d)(to_double<kAvx512>(j) * (F64x4)w));
  const __m256i fast = _mm256_cmpgt_epi64(inner, (__m256i)j);
  const auto bad = static_cast<unsigned>(_mm256_movemask_pd(_mm256_castsi256_pd(fast))) ^ 0xfU;
  if (bad != 0) [[unlikely]]
    settle(v, r, bad, out);
}

template <bool kAvx512>
SUBNETSIM_INLINE_AVX2 void fill_lanes(State& s, double* out, std::size_t n) {
  Lanes v = load(s);
  std::size_t k = 0;
  for (; k + 4 <= n; k += 4) group<kAvx512>(v, out + k);
  if (k < n) {
    double last[4];
    group<kAvx512>(v, last);
    std::memcpy(out + k, last, (n - k) * sizeof(double));
  }
  store(s, v);
}

SUBNETSIM_AVX2 void fill_avx2(State& s, double* out, std::size_t n) {
  fill_lanes<false>(s, out, n);
}
SUBNETSIM_AVX512 void fill_avx512(State& s, double* out, std::size_t n) {
  fill_lanes<true>(s, out, n);
}

#undef SUBNETSIM_INLINE_AVX2
#undef SUBNETSIM_AVX512
#undef SUBNETSIM_AVX2
}  // namespace simd
#endif

using detail::NormalBatchPath;

bool supports(NormalBatchPath path) {
#if defined(SUBNETSIM_NORMAL_BATCH_SIMD)
  static const bool avx2 = [] {
    __builtin_cpu_init();  // in case the first call comes from a static initialiser
    return __builtin_cpu_supports("avx2") != 0;
  }();
  static const bool avx512 = avx2 && __builtin_cpu_supports("avx512f") &&
                             __builtin_cpu_supports("avx512vl") &&
                             __builtin_cpu_supports("avx512dq");
  if (path == NormalBatchPath::avx2) return avx2;
  if (path == NormalBatchPath::avx512) return avx512;
#endif
  return path == NormalBatchPath::portable;
}

void fill_state(State& s, double* out, std::size_t n, NormalBatchPath path) {
  switch (path) {
#if defined(SUBNETSIM_NORMAL_BATCH_SIMD)
    case NormalBatchPath::avx512:
      simd::fill_avx512(s, out, n);
      return;
    case NormalBatchPath::avx2:
      simd::fill_avx2(s, out, n);
      return;
#endif
    default:
      fill_portable(s, out, n);
  }
}

}  // namespace

NormalBatch::NormalBatch(std::uint64_t seed) : s_{} {
  for (int l = 0; l < 4; ++l)
    store_lane(s_, l, Rng(mix64(seed ^ (static_cast<std::uint64_t>(l) * 0x9e3779b97f4a7c15ULL))));
}

void NormalBatch::fill(double* out, std::size_t n) {
  static const NormalBatchPath path = detail::normal_batch_path();
  fill_state(s_, out, n, path);
}

namespace detail {

bool normal_batch_supports(NormalBatchPath path) { return supports(path); }

NormalBatchPath normal_batch_path() {
  if (supports(NormalBatchPath::avx512)) return NormalBatchPath::avx512;
  if (supports(NormalBatchPath::avx2)) return NormalBatchPath::avx2;
  return NormalBatchPath::portable;
}

void fill_by(NormalBatch& batch, double* out, std::size_t n, NormalBatchPath path) {
  fill_state(batch.s_, out, n, supports(path) ? path : NormalBatchPath::portable);
}

}  // namespace detail
}  // namespace subnetsim::core
