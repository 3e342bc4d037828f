// Internal to the exact backend: a reusable sparse row matrix of I32F32 raws, stored as one flat
// array of entries plus row offsets (CSR). Rows keep the order the chain's Vec<Vec<(u16, I32F32)>>
// would have; clearing keeps capacity, so a steady-state epoch allocates nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "subnetsim/consensus/fixed_point.hpp"

namespace subnetsim::consensus::detail {

struct Entry {
  std::uint16_t col;
  fixed::Raw val;
};

class SparseFx {
 public:
  void clear() {
    start_.clear();
    entries_.clear();
    start_.push_back(0);
  }
  // Rows are appended in order: push entries, then end_row().
  void push(std::uint16_t j, fixed::Raw v) { entries_.push_back({j, v}); }
  void end_row() { start_.push_back(static_cast<std::uint32_t>(entries_.size())); }
  void append_empty_rows(std::size_t count) {
    for (std::size_t k = 0; k < count; ++k) end_row();
  }
  std::size_t rows() const { return start_.empty() ? 0 : start_.size() - 1; }
  std::span<Entry> row(std::size_t i) {
    return {entries_.data() + start_[i], entries_.data() + start_[i + 1]};
  }
  std::span<const Entry> row(std::size_t i) const {
    return {entries_.data() + start_[i], entries_.data() + start_[i + 1]};
  }
  std::span<Entry> all() { return entries_; }
  std::span<const Entry> all() const { return entries_; }

 private:
  std::vector<std::uint32_t> start_{0};
  std::vector<Entry> entries_;
};

// Each entry safe_div by its column's divisor, where that is non-zero. Dividers are built per
// column on first use and cached in `dividers` (its size n, reused between calls).
inline void divide_by_column(SparseFx& m, const std::vector<fixed::Raw>& divisor, std::size_t n) {
  thread_local std::vector<fixed::Divider> dividers;
  dividers.clear();
  for (std::size_t j = 0; j < n; ++j) dividers.emplace_back(divisor[j]);
  for (Entry& e : m.all())
    if (e.col < n && divisor[e.col] != 0) e.val = dividers[e.col](e.val);
}

// inplace_col_normalize_sparse: column sums with saturating adds, divide where the sum != 0.
inline void col_normalize(SparseFx& m, std::vector<fixed::Raw>& col_sum, std::size_t n) {
  col_sum.assign(n, 0);
  for (const Entry& e : m.all())
    if (e.col < n) col_sum[e.col] = fixed::sat_add(col_sum[e.col], e.val);
  divide_by_column(m, col_sum, n);
}

// inplace_col_max_upscale_sparse: divide each entry by its column's max (max starts at 0).
inline void col_max_upscale(SparseFx& m, std::vector<fixed::Raw>& col_max, std::size_t n) {
  col_max.assign(n, 0);
  for (const Entry& e : m.all())
    if (e.col < n && col_max[e.col] < e.val) col_max[e.col] = e.val;
  divide_by_column(m, col_max, n);
}

}  // namespace subnetsim::consensus::detail
