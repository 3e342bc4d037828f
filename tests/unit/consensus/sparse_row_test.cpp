// row_value_sum: the exact sum of a sparse row's values, whatever its length; columns_ascending:
// whether its columns are strictly ascending.
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

TEST_CASE("columns_ascending: strictly ascending columns, whatever the values",
          "[consensus][float]") {
  using Row = std::vector<std::pair<std::uint16_t, std::uint16_t>>;
  using subnetsim::consensus::columns_ascending;
  CHECK(columns_ascending(Row{}));
  CHECK(columns_ascending(Row{{7, 1}}));
  CHECK(columns_ascending(Row{{0, 65535}, {65535, 0}}));
  CHECK_FALSE(columns_ascending(Row{{3, 1}, {3, 2}}));  // a repeated column
  CHECK_FALSE(columns_ascending(Row{{65535, 0}, {0, 65535}}));
  std::mt19937_64 rng(0x617363ULL);
  for (int trial = 0; trial < 300; ++trial) {
    // Ascending columns with gaps and any values (the value's bits must not count), then one
    // entry at a random place made not above its predecessor, or left alone.
    Row row;
    std::uint32_t col = static_cast<std::uint32_t>(rng() % 4);
    const std::size_t size = 2 + rng() % 400;
    for (std::size_t k = 0; k < size && col < 65536;
         ++k, col += 1 + static_cast<std::uint32_t>(rng() % 3))
      row.push_back({static_cast<std::uint16_t>(col), static_cast<std::uint16_t>(rng())});
    INFO("trial " << trial << " size " << row.size());
    REQUIRE(columns_ascending(row));
    const std::size_t at = 1 + rng() % (row.size() - 1);
    row[at].first =
        trial % 2 ? row[at - 1].first : static_cast<std::uint16_t>(row[at - 1].first - rng() % 3);
    INFO("made out of order at " << at);
    REQUIRE_FALSE(columns_ascending(row));
  }
}
