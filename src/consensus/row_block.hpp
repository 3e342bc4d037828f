// Internal to the float backend: moving eight kernel rows at a time between the chain's sparse
// u16 rows and the kernel's column-major doubles. Eight rows of one column are one cache line
// of doubles; eight columns of one row are eight consecutive (column, value) entries. An 8 x 8
// transpose in registers turns one into the other, so both sides are read and written whole.
//
// Every value goes through the same IEEE operations as the backend's scalar conversions
// (float_backend.cpp), so the results are identical bit for bit; the AVX2 forms are chosen at
// run time and each function returns how many columns it did, the caller finishing the rest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

namespace subnetsim::consensus {

// A stored sparse entry, (column uid, value), as the chain's rows hold it.
using EntryU16 = std::pair<std::uint16_t, std::uint16_t>;

// How a bond is stored: classic max-upscaled bonds carry a tiny downward bias (see
// classic_bond_to_u16 in float_backend.cpp); Yuma 3 bonds are plain floor(x * 65535).
enum class BondStorage { kClassic, kYuma3 };

// Columns [0, m) of rows r0..r0+7 of the column-major array `bonds` (leading dimension ld):
// for each row r, the entries (col_uid[c], stored(x)) with x = bonds(r0 + r, c) > 0 are
// appended at out[r], which advances past them. Returns the number of leading columns done
// (a multiple of eight; 0 without AVX2); the caller appends the rest.
std::size_t emit_bond_rows8(const double* bonds, std::ptrdiff_t ld, std::size_t r0, std::size_t m,
                            const std::uint16_t* col_uid, BondStorage storage, EntryU16* out[8]);

}  // namespace subnetsim::consensus
