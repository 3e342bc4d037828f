// The float backend's eight-row conversions (src/consensus/row_block.hpp) against plain
// per-entry references. Bond rows: the same stored u16 values, the same kept entries (x > 0) in
// column order, on random blocks whose values include the edges (0, -0, negatives, NaN,
// exactly 1, above 1, tiny, one ulp around u16 steps). Gathered sorted rows with their own
// gaps: every place of the block written as the scatter into a zeroed block would, or a refusal
// for rows out of order (on a CPU with AVX-512VL, rows with gaps go through its expand). Column
// spans: the smallest and largest column, and with the sum the exact sum of the values.
#include "../../src/consensus/row_block.hpp"

#include <algorithm>
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
    const std::size_t done = sc::emit_bond_rows8(bonds.data(), ld, r0, m, col_uid.data(), out);
    REQUIRE(done % 8 == 0);
    REQUIRE(done <= m);
    for (std::size_t c = done; c < m; ++c) {  // the caller's tail
      for (std::size_t r = 0; r < 8; ++r) {
        const double x = bonds[c * rows + r0 + r];
        *out[r] = {col_uid[c], plain_u16(x)};
        out[r] += x > 0.0;
      }
    }
    for (std::size_t r = 0; r < 8; ++r) {
      std::vector<sc::EntryU16> want;
      for (std::size_t c = 0; c < m; ++c) {
        const double x = bonds[c * rows + r0 + r];
        if (x > 0.0) want.emplace_back(col_uid[c], plain_u16(x));
      }
      got[r].resize(static_cast<std::size_t>(out[r] - got[r].data()));
      INFO("trial " << trial << " row " << r << " m " << m);
      REQUIRE(got[r] == want);
    }
  }
}

TEST_CASE(
    "eight sorted rows with their own gaps equal a zeroed block scattered into, or are refused",
    "[consensus][float][weights]") {
  std::mt19937_64 rng(0x5027edULL);
  for (int trial = 0; trial < 3000; ++trial) {
    const std::size_t m = rng() % 90, rows = 8 + rng() % 5, r0 = rng() % (rows - 7);
    // Kernel columns: m increasing uids with gaps; column c is uid col_uid[c].
    std::vector<std::uint16_t> col_uid(m);
    std::uint16_t uid = static_cast<std::uint16_t>(rng() % 3);
    for (auto& u : col_uid) u = uid += static_cast<std::uint16_t>(1 + rng() % 2);
    // Each row keeps each column with a probability of its own (1, most, half, few), in order.
    std::vector<std::vector<sc::EntryU16>> src(8);
    for (auto& row : src) {
      const unsigned keep =
          trial % 5 == 0 ? 100 : std::vector<unsigned>{100, 97, 50, 10}[rng() % 4];
      for (std::size_t c = 0; c < m; ++c)
        if (rng() % 100 < keep)
          row.emplace_back(col_uid[c], static_cast<std::uint16_t>(rng() % 65536));
    }
    // Some trials break the form: an entry out of order (the first and last swapped, or two
    // neighbours: both within one block of eight columns at times), a uid that is no column
    // (past the last, or in a gap between two columns, mid-row), or an entry repeated.
    const int broken = trial % 11 == 3   ? 1
                       : trial % 11 == 5 ? 2
                       : trial % 11 == 6 ? 3
                       : trial % 11 == 8 ? 4
                       : trial % 11 == 9 ? 5
                                         : 0;
    auto& victim = src[rng() % 8];
    if (broken == 1 && victim.size() >= 2) std::swap(victim[0], victim[victim.size() - 1]);
    if (broken == 2) victim.emplace_back(static_cast<std::uint16_t>(uid + 1), 7);
    if (broken == 3 && victim.size() >= 2) {
      const std::size_t at = rng() % (victim.size() - 1);
      std::swap(victim[at], victim[at + 1]);
    }
    if (broken == 4 && m >= 2) {
      // A uid strictly between two consecutive columns that have one between them.
      for (std::size_t c = rng() % (m - 1), tries = 0; tries < m; c = (c + 1) % (m - 1), ++tries) {
        const auto gap = static_cast<std::uint16_t>(col_uid[c] + 1);
        if (gap == col_uid[c + 1]) continue;
        const auto at = std::find_if(victim.begin(), victim.end(),
                                     [&](const sc::EntryU16& e) { return e.first > gap; });
        victim.insert(at, sc::EntryU16{gap, 9});
        break;
      }
    }
    if (broken == 5 && !victim.empty()) {
      const std::size_t at = rng() % victim.size();
      victim.insert(victim.begin() + static_cast<std::ptrdiff_t>(at), victim[at]);
    }
    const bool in_form = std::all_of(src.begin(), src.end(), [&](const auto& row) {
      std::size_t c = 0;
      for (const auto& e : row) {
        while (c < m && col_uid[c] != e.first) ++c;
        if (c == m) return false;
        ++c;
      }
      return true;
    });
    // One factor a row: the bonds' common scale, or each row's own (the weights' 1 / row sum).
    double scale[8];
    for (std::size_t r = 0; r < 8; ++r)
      scale[r] = trial % 3 == 0   ? 1.0
                 : trial % 3 == 1 ? 1.0 / 65535.0
                                  : 1.0 / (1.0 + 977.0 * static_cast<double>(r));

    std::vector<double> got(rows * m, -1.0), want(rows * m, -1.0);
    for (std::size_t c = 0; c < m; ++c)
      for (std::size_t r = 0; r < 8; ++r) want[c * rows + r0 + r] = 0.0;
    for (std::size_t r = 0; r < 8; ++r)
      for (const auto& [j, v] : src[r]) {
        const auto c = static_cast<std::size_t>(std::find(col_uid.begin(), col_uid.end(), j) -
                                                col_uid.begin());
        if (c < m) want[c * rows + r0 + r] = v * scale[r];
      }
    const sc::EntryU16* rows8[8];
    std::size_t sizes[8];
    for (int r = 0; r < 8; ++r) {
      rows8[r] = src[static_cast<std::size_t>(r)].data();
      sizes[r] = src[static_cast<std::size_t>(r)].size();
    }
    // Both forms: this CPU's (AVX-512's expand where it has it) and AVX2 alone.
    for (const auto gather : {sc::gather_sorted_rows8, sc::gather_sorted_rows8_avx2_only}) {
      std::fill(got.begin(), got.end(), -1.0);
      const bool ok = gather(rows8, sizes, col_uid.data(), m, scale, got.data(),
                             static_cast<std::ptrdiff_t>(rows), r0);
      INFO("trial " << trial << " m " << m << " broken " << broken << " form "
                    << (gather == sc::gather_sorted_rows8 ? "this CPU's" : "AVX2 alone"));
      if (!__builtin_cpu_supports("avx2")) {
        REQUIRE_FALSE(ok);  // the portable form leaves every block to the scatter
        continue;
      }
      REQUIRE(ok == in_form);
      if (ok) REQUIRE(got == want);
    }
  }
}

TEST_CASE(
    "the column span of a sparse row is its smallest and largest column, and its sum "
    "the sum of its values",
    "[consensus][float]") {
  std::mt19937_64 rng(0x5fa9ULL);
  for (int trial = 0; trial < 2010; ++trial) {
    // The last rows are long enough for a 32-bit lane of sums to wrap if it kept them all
    // (repeated columns): the sum must stay exact.
    const std::size_t size =
        trial < 2000 ? 1 + rng() % 80 : 65530 + rng() % 20 + (trial % 2) * 70000;
    std::vector<sc::EntryU16> row(size);
    // Values of all sizes (the largest often, so that sums are large), columns anywhere in u16
    // (the vector form reads both halves).
    for (auto& e : row)
      e = {static_cast<std::uint16_t>(rng() % (trial % 2 ? 65536 : 300)),
           static_cast<std::uint16_t>(rng() % 4 == 0 ? 65535 : rng() % 65536)};
    std::uint16_t lo = 0, hi = 0, lo2 = 0, hi2 = 0;
    std::uint64_t sum = 0;
    sc::column_span(row.data(), row.size(), lo, hi);
    sc::column_span_and_sum(row.data(), row.size(), lo2, hi2, sum);
    std::uint16_t want_lo = 65535, want_hi = 0;
    std::uint64_t want_sum = 0;
    for (const auto& e : row) {
      want_lo = std::min(want_lo, e.first);
      want_hi = std::max(want_hi, e.first);
      want_sum += e.second;
    }
    INFO("trial " << trial << " size " << size);
    REQUIRE(lo == want_lo);
    REQUIRE(hi == want_hi);
    REQUIRE(lo2 == want_lo);
    REQUIRE(hi2 == want_hi);
    REQUIRE(sum == want_sum);
  }
}
