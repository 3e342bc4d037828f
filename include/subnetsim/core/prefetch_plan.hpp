// PrefetchPlan: memory that a coming phase will touch, listed ahead and fetched in shares while
// other work runs, so that the wait for it overlaps that work.
//
// Why: a network's subnets outgrow the last-level cache, and each epoch finds its subnet's
// state cold (127 other subnets ran since). Fetched on demand, every row and per-uid array
// stalls the phase that reads it first; listed while the agents decide (compute-bound work of
// tens of microseconds), it arrives meanwhile.
//
// A plan holds address ranges, each rounded out to whole 64-byte lines, and a running count of
// lines. issue_share(i, n) prefetches the i-th of n equal shares of those lines: calling it for
// i = 0..n-1 fetches every line once, a few at a time (a burst of hundreds would fill the
// CPU's miss buffers and stall as long as the demand misses it replaces). Prefetching is only a
// hint: it never changes what a program computes, and a plan may list memory that is freed or
// reallocated before its share is issued (a prefetch of any address is harmless).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace subnetsim::core {

class PrefetchPlan {
 public:
  void clear() {
    ranges_.clear();
    lines_ = 0;
  }
  // Lists [p, p + bytes); `for_write` when the phase will write it (fetched for ownership).
  void add(const void* p, std::size_t bytes, bool for_write = false);
  template <class Container>
  void add_all(const Container& c, bool for_write = false) {
    add(c.data(), c.size() * sizeof(*c.data()), for_write);
  }
  std::size_t lines() const { return lines_; }
  // Prefetches lines [i * L / n, (i + 1) * L / n) of the L listed; nothing when i >= n.
  // Reads the plan only: shares may be issued from several threads at once.
  void issue_share(std::size_t i, std::size_t n) const;
  // What issue_share(i, n) fetches: f(line address, for_write) for each line of the share, in
  // the order listed (tests check the shares against the ranges).
  template <class F>
  void for_each_line(std::size_t i, std::size_t n, F&& f) const;

 private:
  struct Range {
    std::uintptr_t first_line;  // address of the range's first line
    std::size_t start;          // lines listed before this range
    std::size_t count;
    bool for_write;
  };
  static constexpr std::uintptr_t kLine = 64;
  // The range holding listed line `line` (< lines()).
  std::vector<Range>::const_iterator range_of(std::size_t line) const;

  std::vector<Range> ranges_;
  std::size_t lines_ = 0;
};

template <class F>
void PrefetchPlan::for_each_line(std::size_t i, std::size_t n, F&& f) const {
  if (i >= n || lines_ == 0) return;
  std::size_t lo = i * lines_ / n;
  const std::size_t hi = (i + 1) * lines_ / n;
  if (lo >= hi) return;
  for (auto it = range_of(lo); lo < hi; ++it) {
    const std::size_t end = hi < it->start + it->count ? hi : it->start + it->count;
    for (std::size_t line = lo; line < end; ++line)
      f(it->first_line + (line - it->start) * kLine, it->for_write);
    lo = end;
  }
}

}  // namespace subnetsim::core
