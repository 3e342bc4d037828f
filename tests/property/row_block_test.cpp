// The float backend's eight-row bond emitter (src/consensus/row_block.hpp) against a plain
// per-entry reference: the same stored u16 values (classic and Yuma 3 storage), the same kept
// entries (x > 0) in column order, on random blocks whose values include the edges (0, -0,
// negatives, NaN, exactly 1, above 1, tiny, and values one ulp around u16 steps).
#include "../../src/consensus/row_block.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace {

namespace sc = subnetsim::consensus;

std::uint16_t plain_u16(double x) {
  const double y = x * 65535.0;
  if (!(y > 0.0)) return 0;
  if (y >= 65535.0) return 65535;
  return static_cast<std::uint16_t>(std::floor(y));
}

std::uint16_t plain_stored(double x, sc::BondStorage storage) {
  if (storage == sc::BondStorage::kYuma3) return plain_u16(x);
  if (x >= 1.0) return 65535;
  return plain_u16(x * (1.0 - 0x1p-27));
}

double edge_value(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  switch (rng() % 12) {
    case 0:
      return 0.0;
    case 1:
      return -0.0;
    case 2:
      return -unit(rng);
    case 3:
      return std::numeric_limits<double>::quiet_NaN();
    case 4:
      return 1.0;
    case 5:
      return 1.0 + unit(rng);
    case 6:
      return 1e-300 * unit(rng);
    case 7: {  // next to a u16 step
      const double k = static_cast<double>(rng() % 65536) / 65535.0;
      return rng() % 2 ? std::nextafter(k, 2.0) : std::nextafter(k, -1.0);
    }
    default:
      return unit(rng);
  }
}

}  // namespace

TEST_CASE("eight bond rows emitted at once equal the per-entry conversion",
          "[consensus][float][bonds]") {
  std::mt19937_64 rng(0x70b10cULL);
  for (int trial = 0; trial < 2000; ++trial) {
    const std::size_t m = 1 + rng() % 70, rows = 8 + rng() % 5, r0 = rng() % (rows - 7);
    const auto ld = static_cast<std::ptrdiff_t>(rows);
    const auto storage = trial % 2 ? sc::BondStorage::kClassic : sc::BondStorage::kYuma3;
    // Mostly positive blocks (the common, all-kept path), some with many edges.
    const bool edgy = trial % 3 == 0;
    std::vector<double> bonds(rows * m);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (double& x : bonds) x = edgy ? edge_value(rng) : unit(rng) + 1e-9;
    std::vector<std::uint16_t> col_uid(m);
    std::uint16_t uid = static_cast<std::uint16_t>(rng() % 4);
    for (auto& c : col_uid) c = uid += static_cast<std::uint16_t>(1 + rng() % 3);

    std::vector<std::vector<sc::EntryU16>> got(8, std::vector<sc::EntryU16>(m));
    sc::EntryU16* out[8];
    for (int r = 0; r < 8; ++r) out[r] = got[static_cast<std::size_t>(r)].data();
    const std::size_t done =
        sc::emit_bond_rows8(bonds.data(), ld, r0, m, col_uid.data(), storage, out);
    REQUIRE(done % 8 == 0);
    REQUIRE(done <= m);
    for (std::size_t c = done; c < m; ++c) {  // the caller's tail
      for (std::size_t r = 0; r < 8; ++r) {
        const double x = bonds[c * rows + r0 + r];
        *out[r] = {col_uid[c], plain_stored(x, storage)};
        out[r] += x > 0.0;
      }
    }
    for (std::size_t r = 0; r < 8; ++r) {
      std::vector<sc::EntryU16> want;
      for (std::size_t c = 0; c < m; ++c) {
        const double x = bonds[c * rows + r0 + r];
        if (x > 0.0) want.emplace_back(col_uid[c], plain_stored(x, storage));
      }
      got[r].resize(static_cast<std::size_t>(out[r] - got[r].data()));
      INFO("trial " << trial << " row " << r << " m " << m);
      REQUIRE(got[r] == want);
    }
  }
}
