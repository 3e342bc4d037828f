// Internal to the exact backend: its reusable workspace and the multi-step kernels (median,
// interpolation, the bonds/dividends paths of each variant). Split from exact_backend.cpp to keep
// files short; every function mirrors the math.rs / run_epoch.rs helper it names.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "sparse_fixed.hpp"
#include "subnetsim/consensus/epoch.hpp"
#include "subnetsim/consensus/fixed_point.hpp"

namespace subnetsim::consensus::detail {

// A direct-mapped memo of exp_safe: liquid alpha evaluates exp once per weight entry, and many
// entries share an exponent (every weight at or below consensus with no larger bond has diff 0).
// Where few exponents repeat (random weights: a benchmark's, or an adversary's), a probe is a
// cache miss for nothing, so an epoch whose first kTrial probes found under one in eight stops
// probing and filling (useful() false) until the next epoch (new_epoch()). Only the time
// depends on it: a hit returns exp_safe's own value.
class ExpCache {
 public:
  void new_epoch() { probes_ = hits_ = 0; }
  bool useful() const { return probes_ < kTrial || hits_ * 8 >= probes_; }
  bool find(fixed::Raw x, fixed::Raw& e) {
    if (slots_.empty()) slots_.assign(kSize, Slot{});
    ++probes_;
    const Slot& s = slots_[slot(x)];
    if (s.value == 0 || s.key != x) return false;
    ++hits_;
    e = s.value;
    return true;
  }
  void put(fixed::Raw x, fixed::Raw e) { slots_[slot(x)] = Slot{x, e}; }

 private:
  static constexpr std::size_t kTrial = 2048;
  std::size_t probes_ = 0, hits_ = 0;
  // Key and value side by side: a probe reads one cache line. exp_safe is never 0 (its least
  // value, e^-20, is 8 raw units), so a 0 value marks an empty slot.
  struct Slot {
    fixed::Raw key = 0, value = 0;
  };
  static constexpr std::size_t kSize = 4096;  // 2^12: the hash keeps the top 12 bits
  static std::size_t slot(fixed::Raw x) {
    return static_cast<std::size_t>((static_cast<std::uint64_t>(x) * 0x9E3779B97F4A7C15ull) >> 52);
  }
  std::vector<Slot> slots_;
};

// Everything one epoch needs, kept between calls so a steady-state epoch allocates nothing.
struct Workspace {
  using Raw = fixed::Raw;
  Workspace() = default;
  Workspace(const Workspace&) = delete;  // Wb may point into the workspace itself
  Workspace& operator=(const Workspace&) = delete;
  // Per-uid vectors, named as in math.rs.
  std::vector<Raw> S, A, C, R, I, VT, D, combined, server_share, validator_share;
  std::vector<std::pair<Raw, std::uint32_t>> order;  // top-k sort keys
  // Sparse matrices: W (masked + row-normalised), Wc (clipped), B (stored bonds as fixed), dB
  // (classic instant bonds), ema (new bonds). Wb is W̃ (for bonds): W or Wc themselves when
  // beta is 0 or 1, else the interpolation held in Wb_store.
  SparseFx W, Wc, Wb_store, B, dB, ema;
  const SparseFx* Wb = &Wb_store;
  // Scratch.
  std::vector<fixed::Divider> col_dividers;  // Y3 dividends: one per column sum
  std::vector<Raw> col_scratch, dense_a, dense_b, w_at, b_at, row_alpha;
  std::vector<std::uint32_t> stamp;
  std::uint32_t stamp_gen = 0;
  std::vector<std::uint16_t> touched;
  // Weighted median.
  std::vector<Raw> use_stake, score;
  std::vector<std::size_t> median_idx, median_buf;
  // The bucketed median's inputs (kernel_median.hpp): a column as doubles, tagged stakes.
  std::vector<double> median_values, median_tagged, median_scratch;
  std::vector<std::int32_t> median_bucket;
  std::vector<char> col_has;
  ExpCache exp_cache;  // pure function memo: valid across epochs and parameters
  std::vector<fixed::Raw> row_x, row_e, miss_x, miss_e;  // liquid alpha, per row
  std::vector<std::uint32_t> miss_at;

  // Starts a new "generation" of the stamp array (sized n), so membership tests need no clear.
  std::uint32_t next_stamp(std::size_t n);
};

// weighted_median_col_sparse: fills ws.C (n columns) from stake A (one per row of W) and the
// row-normalised W.
void weighted_median_col_sparse(const std::vector<fixed::Raw>& A, const SparseFx& W, std::size_t n,
                                fixed::Raw kappa, Workspace& ws);

// interpolate_sparse(W, Wc, beta) as ws.Wb (W or Wc at beta == 0 or 1, else dense per row,
// keeping entries > 0 in column order).
void interpolate_sparse(const SparseFx& W, const SparseFx& Wc, std::size_t n, fixed::Raw beta,
                        Workspace& ws);

// [CLASSIC] (and liquid alpha v1): column-normalised bonds EMA, dividends; fills ws.dB, ws.ema
// (column-normalised, not yet upscaled) and ws.D.
void classic_bonds(const EpochParams& params, const EpochInput& in, Workspace& ws);

// [Y3] with fixed or liquid alpha: fills ws.ema (raw EMA) and ws.D.
void yuma3_bonds(const EpochParams& params, const EpochInput& in, Workspace& ws);

// [LEGACY <= 2023-03]: sigmoid-of-trust consensus. Recomputes ws.C, ws.Wc, ws.VT, ws.I and
// fills the classic bonds and dividends.
void legacy_sigmoid_bonds(const EpochParams& params, const EpochInput& in, Workspace& ws);

}  // namespace subnetsim::consensus::detail
