// The float epoch kernel (see kernel.hpp). Two passes over the columns:
//   A: row-normalise each column of W and take its stake-weighted median C_j;
//   B: knowing every C_j (liquid alpha needs them all first), clip, accumulate VT and R, build
//      W̃, update the bonds and accumulate dividends, one contiguous column at a time.
// Fusing pass B keeps a column in L1 while ~10 steps of the spec touch it.
#include "subnetsim/consensus/kernel.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "kernel_columns.hpp"
#include "kernel_median.hpp"
#include "subnetsim/consensus/fixed_point.hpp"

namespace subnetsim::consensus {
namespace {

using columns::Clip;
using columns::ClipSums;
using Eigen::ArrayXd;
using Eigen::Index;

__extension__ typedef unsigned __int128 U128;

constexpr double kTwo32 = 4294967296.0;
// Legacy (pre-2023) trust counted a vote for j when w_ij >= kLegacyTrustShare / (n + 1).
constexpr double kLegacyTrustShare = 0.1;

bool is_classic_family(Variant v) {
  return v == Variant::kClassic || v == Variant::kClassicLiquidV1 || v == Variant::kLegacySigmoid;
}

double clamp01(double x) { return std::min(std::max(x, 0.0), 1.0); }

void normalize_in_place(ArrayXd& v) {
  const double s = v.sum();
  if (s > 0.0) v /= s;
}

// Quantile with linear interpolation between order statistics, as the v1 liquid alpha did.
double quantile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0.0;
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto low = static_cast<std::size_t>(std::floor(pos));
  const auto high = static_cast<std::size_t>(std::ceil(pos));
  if (low == high) return sorted[low];
  return sorted[low] + (sorted[high] - sorted[low]) * (pos - static_cast<double>(low));
}

// Where pass A keeps the row-normalised W for pass B: the public ws.weights when recorded,
// else private scratch. Reading it back in pass B is cheaper than recomputing it.
ColMajorArrayXXd& normalized_store(const KernelParams& p, KernelWorkspace& ws) {
  return p.record_weights ? ws.weights : ws.weights_scratch_;
}

// Column j of the row-normalised W: stored in `store` when it has W's shape, else computed
// into a scratch column (the same product, so the same bits).
const double* normalized_column(const ColMajorArrayXXd& w_raw, Index j, ColMajorArrayXXd* store,
                                KernelWorkspace& ws) {
  const Index n = w_raw.rows();
  double* out;
  if (store != nullptr && store->cols() > j && store->rows() == n) {
    out = store->col(j).data();
  } else {
    ws.col_w_.resize(n);
    out = ws.col_w_.data();
  }
  columns::mul_column(w_raw.col(j).data(), ws.inv_row_sum.data(), out, n);
  return out;
}

// Pass A. Row-normalises W into ws.weights and fills ws.consensus with the chain's weighted
// median. The median's stakes live on the chain's 2^-32 grid (A floored to I32F32, renormalised
// by truncating division, kappa = (kappa_u16 << 32) / 65535) so that a tie exactly at
// minority = total - kappa resolves as on chain instead of by double rounding.
void normalize_and_median(const KernelParams& p, const ArrayXd& a, const ColMajorArrayXXd& w_raw,
                          KernelWorkspace& ws) {
  const Index v_rows = w_raw.rows(), m_cols = w_raw.cols();
  // Normalised by the caller: the median reads W in place (see KernelParams).
  const bool in_place = p.weights_normalized;
  if (!in_place) {
    ws.inv_row_sum.setZero(v_rows);
    for (Index j = 0; j < m_cols; ++j)
      columns::add_column(ws.inv_row_sum.data(), w_raw.col(j).data(), v_rows);
    for (Index i = 0; i < v_rows; ++i) {
      const double s = ws.inv_row_sum(i);
      ws.inv_row_sum(i) = s > 0.0 ? 1.0 / s : 1.0;
    }
  }

  ws.median_rows_.clear();
  ws.median_stake_.clear();
  std::int64_t raw_sum = 0;
  for (Index i = 0; i < v_rows; ++i) {
    const auto q = static_cast<std::int64_t>(std::floor(a(i) * kTwo32));
    if (q > 0) {
      ws.median_rows_.push_back(i);
      ws.median_stake_.push_back(q);
      raw_sum += q;
    }
  }
  std::int64_t total = 0;
  ws.median_tagged_.resize(ws.median_stake_.size());
  ws.median_plain_.resize(ws.median_stake_.size());
  const fixed::ShareOf share_of(static_cast<U128>(raw_sum));
  for (std::size_t r = 0; r < ws.median_stake_.size(); ++r) {
    const auto q =
        static_cast<std::int64_t>(share_of(static_cast<std::uint64_t>(ws.median_stake_[r])));
    ws.median_tagged_[r] = kTag + static_cast<double>(q);
    ws.median_plain_[r] = static_cast<double>(q);
    total += q;
  }
  const auto kappa_q =
      static_cast<std::int64_t>((static_cast<std::uint64_t>(p.kappa_u16) << 32) / 65535u);
  const std::int64_t minority = total - kappa_q;
  const std::size_t k = ws.median_rows_.size();
  // Rows with stake are increasing, so they are the first k rows iff the last is k - 1; the
  // median then reads the column in place (trailing zero-stake rows, e.g. padding, are ignored).
  const bool prefix_rows = k == 0 || ws.median_rows_[k - 1] == static_cast<Index>(k - 1);
  ws.median_values_.resize(k);
  ws.median_tagged_scratch_.resize(median_bucketed_scratch(k));
  ws.median_bucket_.resize(k);

  if (!p.record_weights) ws.weights.resize(0, 0);
  ColMajorArrayXXd& store = normalized_store(p, ws);
  store.resize(in_place ? 0 : v_rows, in_place ? 0 : m_cols);
  // Column c of W, row-normalised: in place, or normalised into the store now.
  auto column = [&](Index c) {
    return in_place ? w_raw.col(c).data() : normalized_column(w_raw, c, &store, ws);
  };
  const double* w_first = in_place ? w_raw.data() : store.data();  // columns v_rows apart
  ws.consensus.resize(m_cols);
  ws.col_w_.resize(v_rows);
  Index j = 0;
  // Eight columns at a time where the CPU allows (kernel_median_lanes.cpp): read in
  // place, or normalised into the store first; either way the columns lie v_rows apart, stake
  // rows first.
  static const MedianLanes lanes = median_lanes_for_cpu();
  if (p.variant != Variant::kLegacySigmoid && k > 0 && prefix_rows && k <= kLanesMaxRows &&
      lanes.width > 0) {
    ws.median_slab_.resize(median_lanes_slab(k));  // either form's slab
    for (; j + lanes.width <= m_cols; j += lanes.width) {
      if (!in_place)
        for (Index c = j; c < j + lanes.width; ++c) normalized_column(w_raw, c, &store, ws);
      const double* block = w_first + j * v_rows;
      const unsigned left =
          lanes.run(block, static_cast<std::size_t>(v_rows), k, ws.median_plain_.data(), total,
                    minority, ws.median_slab_.data(), ws.consensus.data() + j);
      for (Index l = 0; l < lanes.width; ++l)
        if (left & (1u << l))
          ws.consensus(j + l) =
              median_bucketed(block + l * v_rows, ws.median_tagged_.data(), k, minority,
                              ws.median_tagged_scratch_.data(), ws.median_bucket_.data());
    }
  }
  for (; j < m_cols; ++j) {
    const double* col = column(j);
    if (p.variant == Variant::kLegacySigmoid) continue;  // consensus comes from trust instead
    if (k == 0) {
      ws.consensus(j) = 0.0;
      continue;
    }
    const double* values = col;  // all rows have stake: the column itself
    if (!prefix_rows) {
      for (std::size_t r = 0; r < k; ++r) ws.median_values_[r] = col[ws.median_rows_[r]];
      values = ws.median_values_.data();
    }
    ws.consensus(j) = median_bucketed(values, ws.median_tagged_.data(), k, minority,
                                      ws.median_tagged_scratch_.data(), ws.median_bucket_.data());
  }
}

// Legacy sigmoid consensus (pre-2023, removed by "BIT-631"). My reading of that era's epoch,
// shared with the exact backend: trust T_j = Σ_i A_i [W_ij >= 0.1/(n+1)], the stake share of
// validators whose row-normalised weight on j passes a threshold (math.rs `clip` to 1/0 and a
// matmul with the stake), not the rank/prerank ratio of later years; n counts all uids (the
// columns). C_j = sigmoid_safe = 1 / (1 + exp(clamp(-rho (T_j - kappa), -20, 20))), a soft
// kappa-majority vote; incentive is normalize(R ⊙ C) on the unclipped W (done by the caller).
void legacy_sigmoid_consensus(const KernelParams& p, const ArrayXd& a,
                              const ColMajorArrayXXd& w_raw, KernelWorkspace& ws) {
  const Index m_cols = w_raw.cols();
  const double kappa = static_cast<double>(p.kappa_u16) / 65535.0;
  const double threshold = kLegacyTrustShare / (static_cast<double>(m_cols) + 1.0);
  ws.trust.resize(m_cols);
  for (Index j = 0; j < m_cols; ++j) {
    const Eigen::Map<const ArrayXd> w(normalized_column(w_raw, j, nullptr, ws), w_raw.rows());
    const double t = (w >= threshold).select(a, 0.0).sum();
    ws.trust(j) = t;
    const double x = std::min(std::max(-p.rho * (t - kappa), -20.0), 20.0);
    ws.consensus(j) = 1.0 / (1.0 + std::exp(x));
  }
}

// Per-column EMA factor of liquid alpha v1 (classic path, 2024-07..2025-03): a logistic curve
// through (c_low, alpha_low) and (c_high, alpha_high) at the 0.25/0.75 quantiles of C.
// Returns false (use the fixed alpha) when the curve is undefined.
bool liquid_v1_alphas(const KernelParams& p, KernelWorkspace& ws) {
  const ArrayXd& c = ws.consensus;
  if (!(c != 0.0).any()) return false;
  ws.sorted_consensus_.assign(c.data(), c.data() + c.size());
  std::sort(ws.sorted_consensus_.begin(), ws.sorted_consensus_.end());
  const double c_low = quantile_sorted(ws.sorted_consensus_, 0.25);
  const double c_high = quantile_sorted(ws.sorted_consensus_, 0.75);
  if (c_high == 0.0 && c_low == 0.0) return false;  // the chain kept the plain EMA then
  const double lo = p.alpha_low, hi = p.alpha_high;
  // Without a usable curve (equal quantiles, a zero or unit bound) a = b = 0: alpha = 1/2,
  // clamped to the bounds, as the 2024 code computed it.
  double slope = 0.0, offset = 0.0;
  if (c_high > c_low && lo > 0.0 && hi > 0.0 && lo < 1.0 && hi < 1.0) {
    slope = (std::log(1.0 / hi - 1.0) - std::log(1.0 / lo - 1.0)) / (c_low - c_high);
    offset = std::log(1.0 / lo - 1.0) + slope * c_low;
  }
  ws.v1_alpha_.resize(c.size());
  for (Index j = 0; j < c.size(); ++j) {
    const double x = std::min(std::max(offset - slope * c(j), -20.0), 20.0);
    ws.v1_alpha_(j) = std::min(std::max(1.0 / (1.0 + std::exp(x)), lo), hi);
  }
  return true;
}

}  // namespace

KernelParams KernelParams::from_epoch_params(const EpochParams& e) {
  KernelParams p;
  p.variant = e.variant;
  p.kappa_u16 = e.kappa_u16;
  p.bonds_penalty = static_cast<double>(e.bonds_penalty_u16) / 65535.0;
  p.ema_alpha = 1.0 - static_cast<double>(e.bonds_moving_average_ppm) / 1e6;
  p.alpha_low = static_cast<double>(e.alpha_low_u16) / 65535.0;
  p.alpha_high = static_cast<double>(e.alpha_high_u16) / 65535.0;
  p.alpha_sigmoid_steepness = static_cast<double>(e.alpha_sigmoid_steepness);
  p.rho = static_cast<double>(e.rho);
  return p;
}

double alpha_sigmoid(double c, double w, double b, const KernelParams& p) {
  const double diff = w >= b ? clamp01(w - c) : clamp01(b - w);
  const double x =
      std::min(std::max(p.alpha_sigmoid_steepness / -100.0 * (diff - 0.5), -20.0), 20.0);
  const double sig = 1.0 / (1.0 + std::exp(x));
  const double a = p.alpha_low + sig * (p.alpha_high - p.alpha_low);
  return std::min(std::max(a, p.alpha_low), p.alpha_high);
}

void run_epoch_kernel(const KernelParams& p, const ArrayXd& a, const ColMajorArrayXXd& w_raw,
                      const ColMajorMaskXX& present, const ColMajorArrayXXd& b_in,
                      KernelWorkspace& ws, const ColMajorMaskXX* peek_hidden) {
  const Index v_rows = w_raw.rows(), m_cols = w_raw.cols();
  const Variant variant = p.variant;
  const bool classic = is_classic_family(variant);
  const bool legacy = variant == Variant::kLegacySigmoid;
  if (p.weights_normalized && (legacy || p.record_weights || ws.inv_row_sum.size() != v_rows))
    throw std::invalid_argument(
        "run_epoch_kernel: weights_normalized needs record_weights off, a variant other than "
        "the legacy sigmoid, and inv_row_sum of one entry a row");

  normalize_and_median(p, a, w_raw, ws);
  if (legacy) {
    legacy_sigmoid_consensus(p, a, w_raw, ws);
  } else {
    ws.trust.setZero(m_cols);
  }
  const bool v1_liquid = variant == Variant::kClassicLiquidV1 && liquid_v1_alphas(p, ws);
  ws.liquid_alpha_applied =
      v1_liquid || (variant == Variant::kYuma3Liquid && (ws.consensus != 0.0).any());

  ws.validator_trust.setZero(v_rows);
  ws.rank.resize(m_cols);
  ws.dividends.setZero(v_rows);  // accumulates Σ_j EMAn_ij * (I_j up to a common factor)
  ws.bonds.resize(v_rows, m_cols);
  if (classic && p.record_delta) {
    ws.delta.resize(v_rows, m_cols);
  } else {
    ws.delta.resize(0, 0);
  }
  ws.delta_scale.setZero(classic ? m_cols : 0);
  ArrayXd& w_tilde = ws.col_a_;
  w_tilde.resize(v_rows);
  ws.col_d_.resize(v_rows);  // W̃ as the peek merge reads it (peek_hidden)
  if (peek_hidden != nullptr) ws.col_e_.resize(v_rows);
  const double beta = p.bonds_penalty;
  const Clip mode = legacy        ? Clip::kNone
                    : beta == 1.0 ? Clip::kBeta1
                    : beta == 0.0 ? Clip::kBeta0
                                  : Clip::kMix;
  const double slope = p.alpha_sigmoid_steepness / -100.0;
  double* vt = ws.validator_trust.data();
  double* d = ws.dividends.data();
  double* wt = w_tilde.data();

  Index pending_col = -1;  // liquid alpha: column whose dividends are not added yet
  double pending_scale = 0.0;
  for (Index j = 0; j < m_cols; ++j) {
    const double c = ws.consensus(j);
    // W as pass A left it (or as the caller normalised it).
    const double* w =
        p.weights_normalized ? w_raw.col(j).data() : normalized_store(p, ws).col(j).data();
    ClipSums sums;
    switch (mode) {
      case Clip::kNone:
        sums = columns::clip_column<Clip::kNone>(w, c, beta, a.data(), vt, wt, v_rows);
        break;
      case Clip::kBeta1:
        sums = columns::clip_column<Clip::kBeta1>(w, c, beta, a.data(), vt, wt, v_rows);
        break;
      case Clip::kBeta0:
        sums = columns::clip_column<Clip::kBeta0>(w, c, beta, a.data(), vt, wt, v_rows);
        break;
      case Clip::kMix:
        sums = columns::clip_column<Clip::kMix>(w, c, beta, a.data(), vt, wt, v_rows);
        break;
    }
    ws.rank(j) = sums.rank;
    // Dividends weight column j by I_j; R_j (legacy: R_j C_j) is I_j up to a common factor
    // that the final normalisation removes.
    const double inc = legacy ? sums.rank * c : sums.rank;
    double* out = ws.bonds.col(j).data();
    const double* b = b_in.col(j).data();

    if (classic) {
      const double ema = v1_liquid ? ws.v1_alpha_(j) : p.ema_alpha;
      if (p.record_delta) {
        columns::classic_column<true>(a.data(), wt, b, sums.a_tilde, ema, inc, out,
                                      ws.delta.col(j).data(), d, v_rows);
      } else {
        columns::classic_column<false>(a.data(), wt, b, sums.a_tilde, ema, inc, out, nullptr, d,
                                       v_rows);
      }
      ws.delta_scale(j) = sums.a_tilde > 0.0 ? 1.0 / sums.a_tilde : 0.0;
      continue;
    }
    if (!ws.liquid_alpha_applied) {
      columns::yuma3_fixed_column(wt, b, sums.tilde, p.ema_alpha, inc, out, d, v_rows);
      continue;
    }
    // Yuma 3 liquid alpha: alpha_sigmoid over the whole column (the chain computes it for
    // every (i, j)) with Eigen's packet exp.
    const auto bcol = b_in.col(j);
    auto ocol = ws.bonds.col(j);
    // The alpha reads W̃ and B as the chain's peek merge sees them (hidden entries read 0).
    const double* wa_data = w_tilde.data();
    const double* ba_data = b;
    if (peek_hidden != nullptr) {
      const auto h = peek_hidden->col(j).cast<int>();
      ws.col_d_ = ((h == kHiddenWeight) || (h == kHiddenWeight + kHiddenBond)).select(0.0, w_tilde);
      ws.col_e_ = ((h == kHiddenBond) || (h == kHiddenWeight + kHiddenBond)).select(0.0, bcol);
      wa_data = ws.col_d_.data();
      ba_data = ws.col_e_.data();
    }
    // Only entries present in W̃ emit a bond (spec §3.9 sparse-only quirk). With beta = 1
    // clipping deleted the entries with W > C when C == 0.
    const std::uint8_t* pres = present.col(j).data();
    const double lo = p.alpha_low, hi = p.alpha_high;
    if (mode == Clip::kMix) {
      columns::yuma3_liquid_column<columns::Emit::kTildePositive>(wt, b, wa_data, ba_data, c, slope,
                                                                  lo, hi, w, pres, out, v_rows);
    } else if (mode == Clip::kBeta1 && c == 0.0) {
      columns::yuma3_liquid_column<columns::Emit::kPresentUnclipped>(
          wt, b, wa_data, ba_data, c, slope, lo, hi, w, pres, out, v_rows);
    } else {
      columns::yuma3_liquid_column<columns::Emit::kPresent>(wt, b, wa_data, ba_data, c, slope, lo,
                                                            hi, w, pres, out, v_rows);
    }
    // Dividends of the previous column, then this column's scale, to be added after the next
    // column: the sum and division wait on this column's last entries, and meanwhile the next
    // column's independent work runs. The columns are still added in order.
    if (pending_col >= 0) ws.dividends += pending_scale * ws.bonds.col(pending_col);
    pending_col = -1;
    const double s_ema = ocol.sum();
    if (s_ema > 0.0 && inc != 0.0) {
      pending_scale = inc / s_ema;
      pending_col = j;
    }
  }
  if (pending_col >= 0) ws.dividends += pending_scale * ws.bonds.col(pending_col);

  if (legacy) {
    ws.incentive = ws.rank * ws.consensus;
  } else {
    ws.incentive = ws.rank;
  }
  normalize_in_place(ws.incentive);
  if (!classic) ws.dividends *= a;
  normalize_in_place(ws.dividends);
}

}  // namespace subnetsim::consensus
