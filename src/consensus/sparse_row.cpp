// row_value_sum and columns_ascending (see sparse_row.hpp).
#include "subnetsim/consensus/sparse_row.hpp"

#include <algorithm>
#include <cstring>

namespace subnetsim::consensus {

std::uint64_t row_value_sum(std::span<const std::pair<std::uint16_t, std::uint16_t>> row) {
  static_assert(sizeof(row[0]) == 4, "an entry is one 32-bit word, the value in its high half");
  const std::size_t size = row.size();
  // In 32-bit lanes (the value is an entry's high half), which vectorise: 65,536 entries of at
  // most 65,535 sum below 2^32. Longer rows (only with repeated columns) a chunk at a time.
  std::uint64_t total = 0;
  for (std::size_t start = 0; start < size; start += 65536) {
    const std::size_t end = std::min(size, start + 65536);
    std::uint32_t sum = 0;
    for (std::size_t k = start; k < end; ++k) {
      std::uint32_t word;
      std::memcpy(&word, &row[k], sizeof word);
      sum += word >> 16;
    }
    total += sum;
  }
  return total;
}

bool columns_ascending(std::span<const std::pair<std::uint16_t, std::uint16_t>> row) {
  const std::size_t size = row.size();
  if (size < 2) return true;
  // The column is an entry's low half: compared as 32-bit integers, in lanes; the count of
  // entries not above their predecessor, with no early exit (rows are ascending as a rule).
  std::uint32_t out_of_order = 0;
  const auto* words = reinterpret_cast<const unsigned char*>(row.data());
  for (std::size_t k = 1; k < size; ++k) {
    std::uint32_t prev, cur;
    std::memcpy(&prev, words + 4 * (k - 1), sizeof prev);
    std::memcpy(&cur, words + 4 * k, sizeof cur);
    out_of_order += (cur & 0xffffU) <= (prev & 0xffffU);
  }
  return out_of_order == 0;
}

}  // namespace subnetsim::consensus
