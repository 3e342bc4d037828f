// Whole-row arithmetic on the chain's sparse u16 rows (SparseRowU16: (column uid, value)
// entries, any order), shared by the float backend and the simulation.
#pragma once

#include <cstdint>
#include <span>
#include <utility>

namespace subnetsim::consensus {

// The sum of a row's values, exact (64 bits). Vectorised: four to eight entries an instruction.
std::uint64_t row_value_sum(std::span<const std::pair<std::uint16_t, std::uint16_t>> row);

// Whether the row lists its columns strictly ascending (the order the chain's merges assume).
// Vectorised like row_value_sum: a row is read whole, without a branch per entry.
bool columns_ascending(std::span<const std::pair<std::uint16_t, std::uint16_t>> row);

}  // namespace subnetsim::consensus
