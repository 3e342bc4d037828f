// Internal to the float backend: moving eight kernel rows at a time between the chain's sparse
// u16 rows and the kernel's column-major doubles, both ways. Eight rows of one column are one cache
// line of doubles; eight columns of one row are eight consecutive (column, value) entries. An 8 x 8
// transpose in registers turns one into the other, so both sides are read and written whole.
//
// Every value goes through the same IEEE operations as the backend's scalar conversions
// (float_backend.cpp), so the results are identical bit for bit; the AVX2 forms are chosen at
// run time (emit_bond_rows8 returns how many columns it did, the caller finishing the rest;
// gather_sorted_rows8 does all or refuses).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

namespace subnetsim::consensus {

// A stored sparse entry, (column uid, value), as the chain's rows hold it.
using EntryU16 = std::pair<std::uint16_t, std::uint16_t>;

// Columns [0, m) of rows r0..r0+7 of the column-major array `bonds` (leading dimension ld):
// for each row r, the entries (col_uid[c], floor(x * 65535) clamped to [0, 65535]) with
// x = bonds(r0 + r, c) > 0 are
// appended at out[r], which advances past them. Returns the number of leading columns done
// (a multiple of eight; 0 without AVX2); the caller appends the rest.
std::size_t emit_bond_rows8(const double* bonds, std::ptrdiff_t ld, std::size_t r0, std::size_t m,
                            const std::uint16_t* col_uid, EntryU16* out[8]);

// Rows r0..r0+7 of the column-major dst (leading dimension ld), columns [0, m), from eight
// sparse rows src[r] (size[r] entries each) that list kernel columns in their order: column c
// is uid col_uid[c], and dst(r0 + r, c) becomes double(value) * scale[r] of row r's entry for
// that uid, or 0 where the row has none (scale: one factor a row, eight). Rows may miss different
// columns (validators drop miners they score 0): each row keeps its own cursor, and eight columns
// whose entries all eight rows hold in order are transposed in registers. Returns false, having
// written some of the block, when a row is not in that form (an entry out of order or for a uid
// that is not a column); false without AVX2. Same values as the per-entry scatter.
bool gather_sorted_rows8(const EntryU16* const src[8], const std::size_t size[8],
                         const std::uint16_t* col_uid, std::size_t m, const double* scale,
                         double* dst, std::ptrdiff_t ld, std::size_t r0);
// The same without AVX-512 (gather_sorted_rows8 places partial rows by an AVX-512 expand where
// the CPU has it, this form by its own AVX2 one): for the tests, which check both forms.
bool gather_sorted_rows8_avx2_only(const EntryU16* const src[8], const std::size_t size[8],
                                   const std::uint16_t* col_uid, std::size_t m, const double* scale,
                                   double* dst, std::ptrdiff_t ld, std::size_t r0);

// The smallest and the largest column of a sparse row (size > 0).
void column_span(const EntryU16* row, std::size_t size, std::uint16_t& lo, std::uint16_t& hi);
// The same and the sum of its values (exact: row_value_sum's), in one read of the row.
void column_span_and_sum(const EntryU16* row, std::size_t size, std::uint16_t& lo,
                         std::uint16_t& hi, std::uint64_t& sum);

}  // namespace subnetsim::consensus
