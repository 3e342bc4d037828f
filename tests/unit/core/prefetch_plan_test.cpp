// PrefetchPlan: its shares, issued for i = 0..n-1, cover every listed line exactly once, in the
// order listed, with the write flag of the range each line came from.
#include "subnetsim/core/prefetch_plan.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <utility>
#include <vector>

using subnetsim::core::PrefetchPlan;

namespace {

using Line = std::pair<std::uintptr_t, bool>;

// The lines of ranges [address, address + bytes) rounded out to 64-byte lines, in order.
std::vector<Line> expected_lines(const std::vector<std::pair<std::uintptr_t, std::size_t>>& ranges,
                                 const std::vector<bool>& write) {
  std::vector<Line> out;
  for (std::size_t r = 0; r < ranges.size(); ++r) {
    const auto [p, bytes] = ranges[r];
    if (bytes == 0) continue;
    for (std::uintptr_t line = p & ~std::uintptr_t{63}; line < p + bytes; line += 64)
      out.emplace_back(line, write[r]);
  }
  return out;
}

std::vector<Line> all_shares(const PrefetchPlan& plan, std::size_t n) {
  std::vector<Line> out;
  for (std::size_t i = 0; i < n; ++i)
    plan.for_each_line(i, n, [&](std::uintptr_t line, bool w) { out.emplace_back(line, w); });
  return out;
}

}  // namespace

TEST_CASE("PrefetchPlan rounds each range out to whole lines") {
  PrefetchPlan plan;
  plan.add(reinterpret_cast<const void*>(0x1000), 64);  // one line exactly
  plan.add(reinterpret_cast<const void*>(0x2010), 64);  // straddles two lines
  plan.add(reinterpret_cast<const void*>(0x303F), 2);   // straddles two lines by one byte
  plan.add(reinterpret_cast<const void*>(0x4000), 0);   // nothing
  plan.add(nullptr, 128);                               // nothing
  CHECK(plan.lines() == 5);
  const std::vector<Line> got = all_shares(plan, 1);
  CHECK(got ==
        std::vector<Line>{
            {0x1000, false}, {0x2000, false}, {0x2040, false}, {0x3000, false}, {0x3040, false}});
  plan.clear();
  CHECK(plan.lines() == 0);
  CHECK(all_shares(plan, 3).empty());
}

TEST_CASE("PrefetchPlan shares cover every line once, whatever the number of shares") {
  const std::vector<std::pair<std::uintptr_t, std::size_t>> ranges = {
      {0x10000, 1024}, {0x20008, 8}, {0x30000, 0}, {0x40020, 4000}, {0x50000, 64}, {0x60001, 130}};
  const std::vector<bool> write = {true, false, true, false, true, false};
  PrefetchPlan plan;
  for (std::size_t r = 0; r < ranges.size(); ++r)
    plan.add(reinterpret_cast<const void*>(ranges[r].first), ranges[r].second, write[r]);
  const std::vector<Line> expected = expected_lines(ranges, write);
  REQUIRE(plan.lines() == expected.size());
  for (std::size_t n : {1u, 2u, 3u, 7u, 16u, 97u, 256u, 1000u}) {
    INFO("shares: " << n);
    CHECK(all_shares(plan, n) == expected);
    // Shares differ in size by at most one line.
    std::size_t smallest = SIZE_MAX, largest = 0;
    for (std::size_t i = 0; i < n; ++i) {
      std::size_t count = 0;
      plan.for_each_line(i, n, [&](std::uintptr_t, bool) { ++count; });
      smallest = std::min(smallest, count);
      largest = std::max(largest, count);
    }
    CHECK(largest - smallest <= 1);
  }
  // Shares past the last fetch nothing.
  std::size_t extra = 0;
  plan.for_each_line(5, 5, [&](std::uintptr_t, bool) { ++extra; });
  plan.for_each_line(9, 5, [&](std::uintptr_t, bool) { ++extra; });
  CHECK(extra == 0);
  plan.issue_share(0, 1);  // prefetching an address never faults
}
