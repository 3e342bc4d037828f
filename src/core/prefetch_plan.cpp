// PrefetchPlan (see prefetch_plan.hpp).
#include "subnetsim/core/prefetch_plan.hpp"

#include <algorithm>

namespace subnetsim::core {

void PrefetchPlan::add(const void* p, std::size_t bytes, bool for_write) {
  if (p == nullptr || bytes == 0) return;
  const auto begin = reinterpret_cast<std::uintptr_t>(p) & ~(kLine - 1);
  const auto end = reinterpret_cast<std::uintptr_t>(p) + bytes;
  const std::size_t count = (end - begin + kLine - 1) / kLine;
  ranges_.push_back({begin, lines_, count, for_write});
  lines_ += count;
}

std::vector<PrefetchPlan::Range>::const_iterator PrefetchPlan::range_of(std::size_t line) const {
  // The last range starting at or before `line`.
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), line,
                             [](std::size_t l, const Range& r) { return l < r.start; });
  return std::prev(it);
}

void PrefetchPlan::issue_share(std::size_t i, std::size_t n) const {
  for_each_line(i, n, [](std::uintptr_t line, bool for_write) {
    const auto* addr = reinterpret_cast<const char*>(line);
    if (for_write)
      __builtin_prefetch(addr, 1, 3);
    else
      __builtin_prefetch(addr, 0, 3);
  });
}

}  // namespace subnetsim::core
