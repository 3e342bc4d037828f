// row_value_sum: the exact sum of a sparse row's values, whatever its length.
#include "subnetsim/consensus/sparse_row.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

TEST_CASE("the value sum of a sparse row is exact, past 2^32 too", "[consensus][float]") {
  std::mt19937_64 rng(0x73756dULL);
  for (int trial = 0; trial < 200; ++trial) {
    // Lengths up to a few entries past a 65,536-entry chunk (rows that long repeat columns).
    const std::size_t size = trial < 190 ? rng() % 300 : 65536 + rng() % 70000;
    std::vector<std::pair<std::uint16_t, std::uint16_t>> row(size);
    for (auto& e : row)
      e = {static_cast<std::uint16_t>(rng()),
           static_cast<std::uint16_t>(trial % 2 ? 65535 : rng() % 65536)};
    std::uint64_t want = 0;
    for (const auto& e : row) want += e.second;
    INFO("trial " << trial << " size " << size);
    REQUIRE(subnetsim::consensus::row_value_sum(row) == want);
  }
}
