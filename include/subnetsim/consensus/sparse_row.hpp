// Whole-row arithmetic on the chain's sparse u16 rows (SparseRowU16: (column uid, value)
// entries, any order), shared by the float backend and the simulation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

namespace subnetsim::consensus {

// The sum of a row's values, exact (64 bits). Vectorised: four to eight entries an instruction.
std::uint64_t row_value_sum(std::span<const std::pair<std::uint16_t, std::uint16_t>> row);

// Whether the row lists its columns strictly ascending (the order the chain's merges assume).
// Vectorised like row_value_sum: a row is read whole, without a branch per entry.
bool columns_ascending(std::span<const std::pair<std::uint16_t, std::uint16_t>> row);

// Asks the CPU to start fetching a row's cache lines, to read them (prefetch_row) or overwrite
// them (prefetch_row_for_write); a hint, which changes no result. For rows used a moment later
// that were last touched long ago: in a network of many subnets, a subnet's rows leave the
// caches between its epochs, and a row read or written cold waits on each of its lines in turn.
inline void prefetch_row(std::span<const std::pair<std::uint16_t, std::uint16_t>> row) {
  const auto* bytes = reinterpret_cast<const char*>(row.data());
  for (std::size_t at = 0; at < row.size_bytes(); at += 64) __builtin_prefetch(bytes + at, 0);
}
inline void prefetch_row_for_write(std::span<const std::pair<std::uint16_t, std::uint16_t>> row) {
  const auto* bytes = reinterpret_cast<const char*>(row.data());
  for (std::size_t at = 0; at < row.size_bytes(); at += 64) __builtin_prefetch(bytes + at, 1);
}

}  // namespace subnetsim::consensus
