#include "row_block.hpp"

#include <bit>
#include <cstring>

#include "subnetsim/consensus/sparse_row.hpp"

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define SUBNETSIM_ROW_BLOCK_AVX2 1
#endif

namespace subnetsim::consensus {

#if defined(SUBNETSIM_ROW_BLOCK_AVX2)
namespace {

#define SUBNETSIM_TARGET_AVX2 __attribute__((target("avx2")))

bool avx2_available() {
  static const bool ok = __builtin_cpu_supports("avx2");
  return ok;
}

// x[i] (row i of an 8 x 8 block of 32-bit words) becomes column i.
SUBNETSIM_TARGET_AVX2 inline void transpose8(__m256i x[8]) {
  __m256 t[8], u[8];
  for (int i = 0; i < 8; i += 2) {
    const __m256 a = _mm256_castsi256_ps(x[i]), b = _mm256_castsi256_ps(x[i + 1]);
    t[i] = _mm256_unpacklo_ps(a, b);
    t[i + 1] = _mm256_unpackhi_ps(a, b);
  }
  for (int i = 0; i < 8; i += 4) {
    u[i] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
    u[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
    u[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
    u[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int i = 0; i < 4; ++i) {
    x[i] = _mm256_castps_si256(_mm256_permute2f128_ps(u[i], u[i + 4], 0x20));
    x[i + 4] = _mm256_castps_si256(_mm256_permute2f128_ps(u[i], u[i + 4], 0x31));
  }
}

// The stored u16 of four bonds, as 32-bit lanes: floor(x * 65535) clamped to [0, 65535], NaN
// to 0. The same product and bounds as to_u16 in float_backend.cpp.
SUBNETSIM_TARGET_AVX2 inline __m128i stored4(__m256d x) {
  const __m256d top = _mm256_set1_pd(65535.0);
  __m256d y = _mm256_mul_pd(x, top);
  y = _mm256_max_pd(y, _mm256_setzero_pd());  // the second operand when y is NaN: 0
  y = _mm256_min_pd(y, top);
  return _mm256_cvttpd_epi32(y);
}

SUBNETSIM_TARGET_AVX2 std::size_t emit_avx2(const double* bonds, std::ptrdiff_t ld, std::size_t r0,
                                            std::size_t m, const std::uint16_t* col_uid,
                                            EntryU16* out[8]) {
  EntryU16* p[8];
  for (int r = 0; r < 8; ++r) p[r] = out[r];
  const __m256d zero = _mm256_setzero_pd();
  std::size_t c0 = 0;
  for (; c0 + 8 <= m; c0 += 8) {
    __m256i words[8];
    unsigned kept[8];  // bit r: row r keeps this column's entry (x > 0)
    unsigned all = 0xff;
    for (std::size_t k = 0; k < 8; ++k) {
      const double* x = bonds + static_cast<std::ptrdiff_t>(c0 + k) * ld + r0;
      const __m256d lo = _mm256_loadu_pd(x), hi = _mm256_loadu_pd(x + 4);
      const __m256i value = _mm256_set_m128i(stored4(hi), stored4(lo));
      // An entry is (column, value): the column in the low half of the word.
      words[k] = _mm256_or_si256(_mm256_slli_epi32(value, 16), _mm256_set1_epi32(col_uid[c0 + k]));
      kept[k] = static_cast<unsigned>(_mm256_movemask_pd(_mm256_cmp_pd(lo, zero, _CMP_GT_OQ))) |
                static_cast<unsigned>(_mm256_movemask_pd(_mm256_cmp_pd(hi, zero, _CMP_GT_OQ))) << 4;
      all &= kept[k];
    }
    transpose8(words);  // words[r]: row r's entries of columns c0..c0+7
    if (all == 0xff) {
      for (int r = 0; r < 8; ++r) {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(p[r]), words[r]);
        p[r] += 8;
      }
      continue;
    }
    // Some entries are dropped: written one by one, the cursor passing the kept ones.
    for (int r = 0; r < 8; ++r) {
      alignas(32) std::uint32_t w[8];
      _mm256_store_si256(reinterpret_cast<__m256i*>(w), words[r]);
      for (std::size_t k = 0; k < 8; ++k) {
        std::memcpy(static_cast<void*>(p[r]), &w[k], sizeof(EntryU16));
        p[r] += (kept[k] >> r) & 1U;
      }
    }
  }
  for (int r = 0; r < 8; ++r) out[r] = p[r];
  return c0;
}

// Eight rows' words of column c (value in the high half) as doubles times their rows' scales
// (s_lo: rows 0-3, s_hi: rows 4-7), into dst.
SUBNETSIM_TARGET_AVX2 inline void store_column(double* dst, std::ptrdiff_t ld, std::size_t r0,
                                               std::size_t c, __m256i words, __m256d s_lo,
                                               __m256d s_hi) {
  const __m256i value = _mm256_srli_epi32(words, 16);
  double* out = dst + static_cast<std::ptrdiff_t>(c) * ld + static_cast<std::ptrdiff_t>(r0);
  _mm256_storeu_pd(out, _mm256_mul_pd(_mm256_cvtepi32_pd(_mm256_castsi256_si128(value)), s_lo));
  _mm256_storeu_pd(out + 4,
                   _mm256_mul_pd(_mm256_cvtepi32_pd(_mm256_extracti128_si256(value, 1)), s_hi));
}

#define SUBNETSIM_TARGET_AVX512VL __attribute__((target("avx2,avx512f,avx512vl")))

bool avx512vl_available() {
  static const bool ok = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
  return ok;
}

// Row `row` (`left` entries from its cursor) for the eight columns whose uids are `want`
// (ascending, in the low halves of the lanes; the last is `last_uid`) when the row holds only
// some of them: its next entries up to last_uid, if they ascend and each is one of `want`,
// are placed in their columns' lanes by an expand (the other lanes 0: value 0), `taken` of
// them. False when they are not of that form (the caller then goes entry by entry, which
// finds the fault). A few vector steps where entry by entry a branch per column mispredicts:
// rows miss the miners their validator scored 0, at random.
SUBNETSIM_TARGET_AVX512VL inline bool expand_partial(const EntryU16* row, std::size_t left,
                                                     __m256i want, std::uint16_t last_uid,
                                                     __m256i& out, std::size_t& taken) {
  const unsigned avail_count = left < 8 ? static_cast<unsigned>(left) : 8u;
  const auto avail = static_cast<__mmask8>((1u << avail_count) - 1u);
  const __m256i x = _mm256_maskz_loadu_epi32(avail, row);
  const __m256i uids = _mm256_and_si256(x, _mm256_set1_epi32(0xffff));
  const __mmask8 in_block = _mm256_mask_cmple_epu32_mask(avail, uids, _mm256_set1_epi32(last_uid));
  const auto t = static_cast<unsigned>(std::popcount(static_cast<unsigned>(in_block)));
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  // A prefix of the row, strictly ascending: lane i > lane i - 1 for 0 < i < t.
  const auto prefix = static_cast<__mmask8>((1u << t) - 1u);
  const __m256i before =
      _mm256_permutexvar_epi32(_mm256_sub_epi32(lane, _mm256_set1_epi32(1)), uids);
  if (in_block != prefix || _mm256_mask_cmpgt_epu32_mask(static_cast<__mmask8>(prefix & 0xfe), uids,
                                                         before) != (prefix & 0xfe))
    return false;
  // Entry i is the column k = i + shift it equals, for the shift of the columns skipped
  // before it.
  __mmask8 found = 0;
  for (unsigned shift = 0; shift <= 8 - t; ++shift) {
    const auto upper = static_cast<__mmask8>(0xffu << shift);
    const __m256i moved = _mm256_maskz_permutexvar_epi32(
        upper, _mm256_sub_epi32(lane, _mm256_set1_epi32(static_cast<int>(shift))), uids);
    found |= _mm256_mask_cmpeq_epi32_mask(static_cast<__mmask8>(prefix << shift), moved, want);
  }
  if (static_cast<unsigned>(std::popcount(static_cast<unsigned>(found))) != t) return false;
  out = _mm256_maskz_expand_epi32(found, x);
  taken = t;
  return true;
}

// For each set of found lanes of eight (bit k = lane k), the source lane of each: lane k takes
// entry popcount(found below k), the lanes not found entry 0 (masked off after).
struct ExpandTable {
  std::uint8_t from[256][8];
};
constexpr ExpandTable make_expand_table() {
  ExpandTable t{};
  for (unsigned found = 0; found < 256; ++found) {
    std::uint8_t next = 0;
    for (unsigned lane = 0; lane < 8; ++lane)
      t.from[found][lane] = found & (1u << lane) ? next++ : 0;
  }
  return t;
}
constexpr ExpandTable kExpandFrom = make_expand_table();

// Bit k set where lane k of m is all ones.
SUBNETSIM_TARGET_AVX2 inline unsigned lane_bits(__m256i m) {
  return static_cast<unsigned>(_mm256_movemask_ps(_mm256_castsi256_ps(m)));
}

// expand_partial in AVX2 (no masks, no expand): the same contract and the same checks, the
// lanes' tests as vector compares read out by movemask, the uids found by comparing `want`
// with each row entry in turn, the expand by a permute from a table.
SUBNETSIM_TARGET_AVX2 inline bool expand_partial_avx2(const EntryU16* row, std::size_t left,
                                                      __m256i want, std::uint16_t last_uid,
                                                      __m256i& out, std::size_t& taken) {
  const int avail_count = left < 8 ? static_cast<int>(left) : 8;
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i avail = _mm256_cmpgt_epi32(_mm256_set1_epi32(avail_count), lane);
  const __m256i x = _mm256_maskload_epi32(reinterpret_cast<const int*>(row), avail);
  const __m256i uids = _mm256_and_si256(x, _mm256_set1_epi32(0xffff));
  // Lanes holding an entry whose uid is at most last_uid (uids and last_uid + 1 fit 17 bits:
  // the signed compare is the unsigned one).
  const unsigned in_block =
      lane_bits(_mm256_and_si256(avail, _mm256_cmpgt_epi32(_mm256_set1_epi32(last_uid + 1), uids)));
  const auto t = static_cast<unsigned>(std::popcount(in_block));
  const unsigned prefix = (1u << t) - 1u;
  // A prefix of the row, strictly ascending: lane i > lane i - 1 for 0 < i < t.
  const __m256i before =
      _mm256_permutevar8x32_epi32(uids, _mm256_sub_epi32(lane, _mm256_set1_epi32(1)));
  if (in_block != prefix ||
      (lane_bits(_mm256_cmpgt_epi32(uids, before)) & prefix & 0xfeu) != (prefix & 0xfeu))
    return false;
  // Lane k of want is found when one of the t entries has its uid (lanes past t hold a uid no
  // column has).
  const __m256i mine = _mm256_or_si256(
      uids, _mm256_andnot_si256(_mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(t)), lane),
                                _mm256_set1_epi32(-1)));
  __m256i hit = _mm256_setzero_si256();
  for (unsigned i = 0; i < t; ++i)
    hit = _mm256_or_si256(
        hit, _mm256_cmpeq_epi32(
                 want, _mm256_permutevar8x32_epi32(mine, _mm256_set1_epi32(static_cast<int>(i)))));
  const unsigned found = lane_bits(hit);
  if (static_cast<unsigned>(std::popcount(found)) != t) return false;
  std::uint64_t from;
  std::memcpy(&from, kExpandFrom.from[found], sizeof from);
  const __m256i index = _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(static_cast<long long>(from)));
  out = _mm256_and_si256(_mm256_permutevar8x32_epi32(x, index), hit);
  taken = t;
  return true;
}

// The body of both forms; kExpand (AVX-512VL) places partial rows by expand_partial, the AVX2
// form by expand_partial_avx2.
template <bool kExpand>
SUBNETSIM_TARGET_AVX2 [[gnu::always_inline]] inline bool gather_sorted_body(
    const EntryU16* const src[8], const std::size_t size[8], const std::uint16_t* col_uid,
    std::size_t m, const double* scale, double* dst, std::ptrdiff_t ld, std::size_t r0) {
  std::size_t p[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  const __m256d s_lo = _mm256_loadu_pd(scale), s_hi = _mm256_loadu_pd(scale + 4);
  const __m256i low = _mm256_set1_epi32(0xffff);
  // Row r's word for column uid: its next entry if that is the uid's (the cursor moves on),
  // else the uid with value 0.
  auto next_word = [&](int r, std::uint16_t uid) {
    if (p[r] < size[r] && src[r][p[r]].first == uid) {
      std::uint32_t word;
      std::memcpy(&word, &src[r][p[r]++], sizeof word);
      return word;
    }
    return static_cast<std::uint32_t>(uid);
  };
  std::size_t c0 = 0;
  for (; c0 + 8 <= m; c0 += 8) {
    const __m256i want =
        _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(col_uid + c0)));
    __m256i w[8];
    for (int r = 0; r < 8; ++r) {
      if (p[r] + 8 <= size[r]) {  // the common case: the row holds all eight, in order
        const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src[r] + p[r]));
        if (_mm256_movemask_epi8(_mm256_cmpeq_epi32(_mm256_and_si256(x, low), want)) == -1) {
          w[r] = x;
          p[r] += 8;
          continue;
        }
      }
      std::size_t taken = 0;
      bool placed;
      if constexpr (kExpand)
        placed = expand_partial(src[r] + p[r], size[r] - p[r], want, col_uid[c0 + 7], w[r], taken);
      else
        placed =
            expand_partial_avx2(src[r] + p[r], size[r] - p[r], want, col_uid[c0 + 7], w[r], taken);
      if (placed) {
        p[r] += taken;
        continue;
      }
      alignas(32) std::uint32_t words[8];
      for (int k = 0; k < 8; ++k)
        words[k] = next_word(r, col_uid[c0 + static_cast<std::size_t>(k)]);
      w[r] = _mm256_load_si256(reinterpret_cast<const __m256i*>(words));
    }
    transpose8(w);  // w[k]: column c0 + k of rows 0..7
    for (std::size_t k = 0; k < 8; ++k) store_column(dst, ld, r0, c0 + k, w[k], s_lo, s_hi);
  }
  for (; c0 < m; ++c0) {
    alignas(32) std::uint32_t words[8];
    for (int r = 0; r < 8; ++r) words[r] = next_word(r, col_uid[c0]);
    store_column(dst, ld, r0, c0, _mm256_load_si256(reinterpret_cast<const __m256i*>(words)), s_lo,
                 s_hi);
  }
  // Every entry consumed: each row listed only columns, in their order.
  for (int r = 0; r < 8; ++r)
    if (p[r] != size[r]) return false;
  return true;
}

SUBNETSIM_TARGET_AVX2 bool gather_sorted_avx2(const EntryU16* const src[8],
                                              const std::size_t size[8],
                                              const std::uint16_t* col_uid, std::size_t m,
                                              const double* scale, double* dst, std::ptrdiff_t ld,
                                              std::size_t r0) {
  return gather_sorted_body<false>(src, size, col_uid, m, scale, dst, ld, r0);
}

SUBNETSIM_TARGET_AVX512VL bool gather_sorted_avx512(const EntryU16* const src[8],
                                                    const std::size_t size[8],
                                                    const std::uint16_t* col_uid, std::size_t m,
                                                    const double* scale, double* dst,
                                                    std::ptrdiff_t ld, std::size_t r0) {
  return gather_sorted_body<true>(src, size, col_uid, m, scale, dst, ld, r0);
}

// Sixteen 16-bit lanes a step, columns and values alike; the values' lanes are set aside at
// the end (columns are the even lanes). With kSum, the values (each entry's high half) summed
// in eight 32-bit lanes too, into `sum` (rows of at most 65,536 entries: no lane can wrap).
// Returns the entries done.
template <bool kSum>
SUBNETSIM_TARGET_AVX2 std::size_t span_avx2(const EntryU16* row, std::size_t size,
                                            std::uint16_t& lo, std::uint16_t& hi,
                                            std::uint64_t& sum) {
  if (size < 8) return 0;
  __m256i mn = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row)), mx = mn;
  __m256i total = _mm256_srli_epi32(mn, 16);
  std::size_t e = 8;
  for (; e + 8 <= size; e += 8) {
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + e));
    mn = _mm256_min_epu16(mn, x);
    mx = _mm256_max_epu16(mx, x);
    if constexpr (kSum) total = _mm256_add_epi32(total, _mm256_srli_epi32(x, 16));
  }
  if constexpr (kSum) {
    alignas(32) std::uint32_t lanes[8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), total);
    for (const std::uint32_t lane : lanes) sum += lane;
  }
  alignas(32) std::uint16_t a[16], b[16];
  _mm256_store_si256(reinterpret_cast<__m256i*>(a), mn);
  _mm256_store_si256(reinterpret_cast<__m256i*>(b), mx);
  for (int k = 0; k < 16; k += 2) {
    lo = a[k] < lo ? a[k] : lo;
    hi = b[k] > hi ? b[k] : hi;
  }
  return e;
}

#undef SUBNETSIM_TARGET_AVX2
#undef SUBNETSIM_TARGET_AVX512VL

}  // namespace
#endif

std::size_t emit_bond_rows8(const double* bonds, std::ptrdiff_t ld, std::size_t r0, std::size_t m,
                            const std::uint16_t* col_uid, EntryU16* out[8]) {
  static_assert(sizeof(EntryU16) == 4, "an entry is one 32-bit word, column first");
#if defined(SUBNETSIM_ROW_BLOCK_AVX2)
  if (avx2_available()) return emit_avx2(bonds, ld, r0, m, col_uid, out);
#endif
  (void)bonds, (void)ld, (void)r0, (void)m, (void)col_uid, (void)out;
  return 0;
}

bool gather_sorted_rows8(const EntryU16* const src[8], const std::size_t size[8],
                         const std::uint16_t* col_uid, std::size_t m, const double* scale,
                         double* dst, std::ptrdiff_t ld, std::size_t r0) {
#if defined(SUBNETSIM_ROW_BLOCK_AVX2)
  if (avx512vl_available()) return gather_sorted_avx512(src, size, col_uid, m, scale, dst, ld, r0);
#endif
  return gather_sorted_rows8_avx2_only(src, size, col_uid, m, scale, dst, ld, r0);
}

bool gather_sorted_rows8_avx2_only(const EntryU16* const src[8], const std::size_t size[8],
                                   const std::uint16_t* col_uid, std::size_t m, const double* scale,
                                   double* dst, std::ptrdiff_t ld, std::size_t r0) {
#if defined(SUBNETSIM_ROW_BLOCK_AVX2)
  if (avx2_available()) return gather_sorted_avx2(src, size, col_uid, m, scale, dst, ld, r0);
#endif
  (void)src, (void)size, (void)col_uid, (void)m, (void)scale, (void)dst, (void)ld, (void)r0;
  return false;
}

void column_span(const EntryU16* row, std::size_t size, std::uint16_t& lo, std::uint16_t& hi) {
  lo = row[0].first;
  hi = row[0].first;
  std::size_t e = 0;
#if defined(SUBNETSIM_ROW_BLOCK_AVX2)
  std::uint64_t unused = 0;
  if (avx2_available()) e = span_avx2<false>(row, size, lo, hi, unused);
#endif
  for (; e < size; ++e) {
    lo = row[e].first < lo ? row[e].first : lo;
    hi = row[e].first > hi ? row[e].first : hi;
  }
}

void column_span_and_sum(const EntryU16* row, std::size_t size, std::uint16_t& lo,
                         std::uint16_t& hi, std::uint64_t& sum) {
  if (size > 65536) {  // the lanes could wrap (a row with repeated columns): two passes
    column_span(row, size, lo, hi);
    sum = row_value_sum({row, size});
    return;
  }
  lo = row[0].first;
  hi = row[0].first;
  sum = 0;
  std::size_t e = 0;
#if defined(SUBNETSIM_ROW_BLOCK_AVX2)
  if (avx2_available()) e = span_avx2<true>(row, size, lo, hi, sum);
#endif
  for (; e < size; ++e) {
    lo = row[e].first < lo ? row[e].first : lo;
    hi = row[e].first > hi ? row[e].first : hi;
    sum += row[e].second;
  }
}

}  // namespace subnetsim::consensus
