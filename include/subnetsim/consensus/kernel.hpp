// The pure float Yuma epoch kernel: one epoch over dense Eigen arrays, in double precision
// (spec §3, ../shared/spec/yuma-consensus.md). It knows nothing of uids, u16 storage, emission
// or permits: the float backend (float_backend.cpp) adapts the sparse chain state to it.
//
// Letters (as in subtensor's math.rs), V = validator rows, M = miner columns:
//
//   W   V x M  weights; input raw (any non-negative scale), output row-normalised
//   S   -      normalised stake (the backend's business; the kernel only sees A)
//   A   V      active stake: S of active, permitted rows, normalised (sums to 1 or is all 0)
//   C   M      consensus: stake-weighted median of each column of W with kappa
//   W̄   V x M  clipped weights min(W, C_j)  (W-bar)
//   VT  V      validator trust: row sums of W̄
//   R   M      rank: A-weighted column sums of W̄
//   I   M      incentive: normalize(R)  (legacy sigmoid: normalize(R ⊙ C))
//   W̃   V x M  bonds-penalty interpolation W + beta (W̄ - W)  (W-tilde)
//   B   V x M  bonds; input as stored (classic: u16 values as-is; Y3: u16/65535), output new bonds
//   D   V      dividends, normalised (sums to 1 or is all 0)
//
// Storage: all V x M arrays are column-major, so a miner's column is contiguous and every step
// (median, clipping, rank, bonds, dividends) walks columns. Invariants of the inputs: W, the
// presence mask and B are V x M, A has V entries, every value is finite and >= 0.
//
// Presence: the chain's weights are sparse and an explicit zero is not the same as a missing
// entry in two places (spec §3.6, §3.9): clipping deletes entries with W_ij > C_j == 0, and Yuma 3
// liquid alpha emits a bond only for entries present in W̃. Everywhere else a missing entry acts
// as 0, so bonds need no mask (a 0 bond is a missing bond) and output bonds equal to 0 are "not
// emitted".
//
// Median: exact, not a bisection. Values are the doubles of W; stakes are put on the chain's
// 2^-32 grid (A floored to I32F32, renormalised by truncating division, kappa =
// (kappa_u16 << 32) / 65535) and summed as integers, so a tie exactly at minority = total - kappa
// resolves as on chain. The result is the smallest value whose cumulative stake exceeds the
// minority (else the column max), which is what the chain's partition loop returns.
//
// Determinism: no -ffast-math, fixed loop orders, no threads; the same inputs give the same bits.
// The portable (SSE2) build runs AVX2 forms of some column loops when the CPU has AVX2; they do
// the same IEEE operations per element and keep the SSE2 lane layout of every sum, so the bits
// do not depend on the CPU either (tests/property/kernel_columns_test.cpp).
// A reused KernelWorkspace of unchanged sizes makes a call allocation-free.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "subnetsim/consensus/epoch.hpp"
#include "subnetsim/core/simd_form.hpp"

namespace subnetsim::consensus {

// Storage order is part of the name so that a row-major array can never be passed by accident.
using ColMajorArrayXXd = Eigen::Array<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
using ColMajorMaskXX = Eigen::Array<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;

// Hyperparameters as fractions. from_epoch_params converts the chain's storage units.
struct KernelParams {
  Variant variant = Variant::kClassic;
  std::uint16_t kappa_u16 = 32767;  // kept as u16: the median compares on the chain's 2^-32 grid
  double bonds_penalty = 1.0;       // beta in [0, 1]; 0 and 1 are exact copies (spec §3.7)
  double ema_alpha = 0.1;           // fixed EMA factor 1 - BMA/1e6 (weight of the new bond)
  double alpha_low = 0.7;           // liquid alpha bounds (Y3 per entry, legacy v1 per column)
  double alpha_high = 0.9;
  double alpha_sigmoid_steepness = 1000.0;  // Y3 liquid: slope = -steepness/100
  double rho = 10.0;                        // legacy sigmoid consensus only
  // Fill KernelWorkspace::weights (off: it is left empty and the kernel keeps W in private
  // scratch instead). inv_row_sum gives any entry of it anyway (W_ij = W_raw_ij *
  // inv_row_sum_i, same bits).
  bool record_weights = true;
  // The caller passes W already row-normalised, W_ij = W_raw_ij * inv_row_sum_i with
  // KernelWorkspace::inv_row_sum filled by it (1 / Σ_j W_raw_ij, 1 for an empty row, V
  // entries): the kernel reads W in place instead of normalising a copy (one V x M pass and
  // store fewer). The float backend does so while each block of rows is in L1. Requires
  // record_weights off and a variant other than the legacy sigmoid (which reads W_raw).
  bool weights_normalized = false;
  // Fill KernelWorkspace::delta (classic paths). Off saves one V x M store per epoch;
  // delta_scale gives any entry of it anyway.
  bool record_delta = true;

  static KernelParams from_epoch_params(const EpochParams& p);
};

// Outputs (public, read after run_epoch_kernel) and reusable scratch.
struct KernelWorkspace {
  ColMajorArrayXXd weights;    // record_weights: W row-normalised (V x M); explicit zeros stay 0
  Eigen::ArrayXd inv_row_sum;  // 1 / Σ_j W_raw_ij (1 for an empty row): W = W_raw * inv_row_sum
  Eigen::ArrayXd consensus;    // C (M)
  Eigen::ArrayXd trust;  // legacy sigmoid: T_j (M), stake share with W_ij >= 0.1/(M+1); else 0
  Eigen::ArrayXd validator_trust;  // VT (V)
  Eigen::ArrayXd rank;             // R (M)
  Eigen::ArrayXd incentive;        // I (M)
  Eigen::ArrayXd dividends;        // D (V)
  ColMajorArrayXXd delta;          // classic variants with record_delta: colnorm(W̃ ⊙ A) (V x M)
  // Classic variants: 1 / Σ_i A_i W̃_ij per column (0 when the sum is 0), so that
  // ΔB_ij = (A_i * interpolated_weight(W_ij, C_j)) * delta_scale_j without storing ΔB.
  Eigen::ArrayXd delta_scale;
  // New bonds in each variant's storage scale: classic = column-normalised EMA divided by its
  // column max (values in [0,1], the column max is 1); Y3 = the EMA bond itself, in [0,1].
  // Entries equal to 0 are not emitted by the chain.
  ColMajorArrayXXd bonds;
  bool liquid_alpha_applied = false;  // liquid alpha ran (some C_j != 0); false = fixed alpha

  // Scratch, sized by the first call and reused.
  Eigen::ArrayXd col_a_, col_d_, col_e_, col_w_, v1_alpha_;
  ColMajorArrayXXd weights_scratch_;  // row-normalised W between the passes, unrecorded
  std::vector<std::int64_t> median_stake_;
  std::vector<double> median_tagged_, median_tagged_scratch_, median_values_, sorted_consensus_;
  std::vector<double> median_plain_, median_slab_;  // the eight-lane median's stakes and rows
  std::vector<Eigen::Index> median_rows_;
  std::vector<std::int32_t> median_bucket_;
};

// Yuma 3 liquid alpha reads W̃_ij and B_ij through a "peek merge" that assumes sparse rows
// sorted by column (spec §3.9): in an unsorted row some entries read as 0 for the alpha only.
// peek_hidden (V x M, optional) marks them: kHiddenWeight, kHiddenBond or their sum.
inline constexpr int kHiddenWeight = 1;
inline constexpr int kHiddenBond = 2;

// Runs one epoch: A (V), W raw (V x M; row-normalised with params.weights_normalized),
// presence of W (V x M, 1 = stored entry), B (V x M). Only kYuma3Liquid reads the presence mask
// and peek_hidden; other variants accept an empty mask. Overwrites every output of `ws`, except
// inv_row_sum with weights_normalized, where it is an input (throws std::invalid_argument when
// it has not one entry a row, or with record_weights or the legacy sigmoid).
void run_epoch_kernel(const KernelParams& params, const Eigen::ArrayXd& active_stake,
                      const ColMajorArrayXXd& weights_raw, const ColMajorMaskXX& weights_present,
                      const ColMajorArrayXXd& bonds_in, KernelWorkspace& ws,
                      const ColMajorMaskXX* peek_hidden = nullptr);

// The stake-weighted median of the chain (spec §3.6) over `count` values with integer stakes on
// the chain's 2^-32 grid: the smallest value v such that the stake of values <= v exceeds
// `minority`, or the largest value if none does; 0 when count == 0. Equivalent to the chain's
// partition loop with exact integer stake sums. Allocates (the kernel uses an allocation-free
// internal form). Requires Σ stakes < 2^36 and count < 2^16.
double weighted_median_q32(const double* values, const std::int64_t* stakes, std::size_t count,
                           std::int64_t minority);
// The same median of eight columns at once, by the kernel's AVX-512 form (eight double lanes)
// or its AVX2 form (a bisection in eight float lanes, then exact steps in double): column l is
// columns[l * ld + k] for k < count (ld >= count), the stakes shared; out[l] gets its median,
// the lanes that form leaves over (their bits in *left_over) finished as the kernel finishes
// them, by the form above. False, with nothing written, when this CPU cannot run that form (or
// for kBaseline, which has none). For tests; allocates. Requires count >= 1.
bool weighted_median_q32_lanes(core::SimdForm form, const double* columns, std::size_t ld,
                               const std::int64_t* stakes, std::size_t count, std::int64_t minority,
                               double* out, unsigned* left_over = nullptr);

// W̃_ij of one entry from the row-normalised W_ij and C_j (spec §3.7), exactly as the kernel
// computes it. Inline: the float backend calls it once per stored weight.
inline double interpolated_weight(double w, double c, const KernelParams& params) {
  if (params.variant == Variant::kLegacySigmoid) return w;
  const double bar = w < c ? w : c;
  if (params.bonds_penalty == 1.0) return bar;
  if (params.bonds_penalty == 0.0) return w;
  return w + params.bonds_penalty * (bar - w);
}

// The chain's Y3 liquid alpha for one entry (spec §3.9): consensus c, weight w, bond b.
double alpha_sigmoid(double c, double w, double b, const KernelParams& params);

}  // namespace subnetsim::consensus
