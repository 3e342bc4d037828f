// The float epoch kernel (see kernel.hpp). Two passes over the columns:
//   A: row-normalise each column of W and take its stake-weighted median C_j;
//   B: knowing every C_j (liquid alpha needs them all first), clip, accumulate VT and R, build
//      W̃, update the bonds and accumulate dividends, one contiguous column at a time.
// Fusing pass B keeps a column in L1 while ~10 steps of the spec touch it.
#include "subnetsim/consensus/kernel.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace subnetsim::consensus {
namespace {

using Eigen::ArrayXd;
using Eigen::Index;

__extension__ typedef unsigned __int128 U128;

constexpr double kTwo32 = 4294967296.0;
// Legacy (pre-2023) trust counted a vote for j when w_ij exceeded this share of i's weight.
constexpr double kLegacyTrustThreshold = 0.01;

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

// The weighted median works on "tagged" stakes: kTag + stake as a double. Stakes are integers
// on the 2^-32 grid summing to at most 2^36 and a column has at most 2^16 entries, so every sum
// of tagged stakes is an integer below 2^53: exact in double, in any order. Such a sum holds the
// entry count (sum >> 36) and the stake (sum mod 2^36), which lets one SIMD pass count both.
constexpr double kTag = 68719476736.0;  // 2^36
constexpr std::int64_t kTagMask = (std::int64_t{1} << 36) - 1;

// Σ tagged[k] over values[k] < pivot and over values[k] <= pivot.
void tagged_sums(const double* values, const double* tagged, std::size_t n, double pivot,
                 std::int64_t& lt, std::int64_t& le) {
  double s_lt = 0.0, s_le = 0.0;
  std::size_t k = 0;
#if defined(__SSE2__)
  const __m128d p = _mm_set1_pd(pivot);
  __m128d lt0 = _mm_setzero_pd(), le0 = _mm_setzero_pd(), lt1 = lt0, le1 = le0;
  for (; k + 4 <= n; k += 4) {
    const __m128d a = _mm_loadu_pd(values + k), b = _mm_loadu_pd(values + k + 2);
    const __m128d ta = _mm_loadu_pd(tagged + k), tb = _mm_loadu_pd(tagged + k + 2);
    lt0 = _mm_add_pd(lt0, _mm_and_pd(_mm_cmplt_pd(a, p), ta));
    le0 = _mm_add_pd(le0, _mm_and_pd(_mm_cmple_pd(a, p), ta));
    lt1 = _mm_add_pd(lt1, _mm_and_pd(_mm_cmplt_pd(b, p), tb));
    le1 = _mm_add_pd(le1, _mm_and_pd(_mm_cmple_pd(b, p), tb));
  }
  alignas(16) double out[4];
  _mm_store_pd(out, _mm_add_pd(lt0, lt1));
  _mm_store_pd(out + 2, _mm_add_pd(le0, le1));
  s_lt = out[0] + out[1];
  s_le = out[2] + out[3];
#endif
  for (; k < n; ++k) {
    s_lt += values[k] < pivot ? tagged[k] : 0.0;
    s_le += values[k] <= pivot ? tagged[k] : 0.0;
  }
  lt = static_cast<std::int64_t>(s_lt);
  le = static_cast<std::int64_t>(s_le);
}

// Keeps the entries with keep(value) at the front, in order; returns how many.
template <typename Keep>
std::size_t compact(double* values, double* tagged, std::size_t n, Keep keep) {
  std::size_t out = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double v = values[k];
    values[out] = v;
    tagged[out] = tagged[k];
    out += keep(v);
  }
  return out;
}

// The chain's weighted median (see weighted_median_q32 in the header) on tagged stakes.
// [0, n) holds the candidates; `below` is the stake of every value known to be smaller than all
// of them (the chain's lo; its hi is below + their stake). The answer does not depend on the
// pivot, so the median of three candidates serves. Branch-free: on random weights a
// compare-and-branch would mispredict half the time.
double median_tagged(double* values, double* tagged, std::size_t n, std::int64_t minority) {
  if (n == 0) return 0.0;
  std::int64_t below = 0;
  while (n > 1) {
    const double x = values[0], y = values[n / 2], z = values[n - 1];
    const double pivot = std::max(std::min(x, y), std::min(std::max(x, y), z));
    std::int64_t lt = 0, le = 0;
    tagged_sums(values, tagged, n, pivot, lt, le);
    const std::int64_t n_lt = lt >> 36, n_gt = static_cast<std::int64_t>(n) - (le >> 36);
    const std::int64_t s_lt = lt & kTagMask, s_le = le & kTagMask;
    if (n_lt > 0 && below + s_lt > minority) {
      // The values strictly below the pivot already hold more than the minority.
      n = compact(values, tagged, n, [pivot](double v) { return v < pivot; });
    } else if (n_gt > 0 && below + s_le <= minority) {
      // Even with the pivot's ties the minority is not exceeded: the answer is above.
      n = compact(values, tagged, n, [pivot](double v) { return v > pivot; });
      below += s_le;
    } else {
      return pivot;
    }
  }
  return values[0];
}

// Pass A. Row-normalises W into ws.weights and fills ws.consensus with the chain's weighted
// median. The median's stakes live on the chain's 2^-32 grid (A floored to I32F32, renormalised
// by truncating division, kappa = (kappa_u16 << 32) / 65535) so that a tie exactly at
// minority = total - kappa resolves as on chain instead of by double rounding.
void normalize_and_median(const KernelParams& p, const ArrayXd& a, const ColMajorArrayXXd& w_raw,
                          KernelWorkspace& ws) {
  const Index v_rows = w_raw.rows(), m_cols = w_raw.cols();
  ws.inv_row_sum_.setZero(v_rows);
  for (Index j = 0; j < m_cols; ++j) ws.inv_row_sum_ += w_raw.col(j);
  for (Index i = 0; i < v_rows; ++i) {
    const double s = ws.inv_row_sum_(i);
    ws.inv_row_sum_(i) = s > 0.0 ? 1.0 / s : 1.0;
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
  for (std::size_t r = 0; r < ws.median_stake_.size(); ++r) {
    const auto q = static_cast<std::int64_t>((static_cast<U128>(ws.median_stake_[r]) << 32) /
                                             static_cast<U128>(raw_sum));
    ws.median_tagged_[r] = kTag + static_cast<double>(q);
    total += q;
  }
  const auto kappa_q =
      static_cast<std::int64_t>((static_cast<std::uint64_t>(p.kappa_u16) << 32) / 65535u);
  const std::int64_t minority = total - kappa_q;
  const std::size_t k = ws.median_rows_.size();
  const bool all_rows = k == static_cast<std::size_t>(v_rows);
  ws.median_values_.resize(k);
  ws.median_tagged_scratch_.resize(k);

  ws.weights.resize(v_rows, m_cols);
  ws.consensus.resize(m_cols);
  for (Index j = 0; j < m_cols; ++j) {
    auto col = ws.weights.col(j);
    col = w_raw.col(j) * ws.inv_row_sum_;
    if (p.variant == Variant::kLegacySigmoid) continue;  // consensus comes from trust instead
    if (k == 0) {
      ws.consensus(j) = 0.0;
      continue;
    }
    if (all_rows) {
      std::memcpy(ws.median_values_.data(), col.data(), k * sizeof(double));
    } else {
      for (std::size_t r = 0; r < k; ++r) ws.median_values_[r] = col(ws.median_rows_[r]);
    }
    std::memcpy(ws.median_tagged_scratch_.data(), ws.median_tagged_.data(), k * sizeof(double));
    ws.consensus(j) =
        median_tagged(ws.median_values_.data(), ws.median_tagged_scratch_.data(), k, minority);
  }
}

// Legacy sigmoid consensus: T_j = Σ_i A_i [W_ij > 1%], C_j = 1 / (1 + exp(-rho (T_j - kappa))).
// Reading of the pre-2023 code: trust was the stake share of validators whose (row-normalised)
// weight on j passed a 1% threshold (clip_sparse to 0/1), not the rank/prerank ratio of later
// years; the sigmoid then turned that share into a soft majority vote.
void legacy_sigmoid_consensus(const KernelParams& p, const ArrayXd& a, KernelWorkspace& ws) {
  const Index m_cols = ws.weights.cols();
  const double kappa = static_cast<double>(p.kappa_u16) / 65535.0;
  ws.trust.resize(m_cols);
  for (Index j = 0; j < m_cols; ++j) {
    const double t = (ws.weights.col(j) > kLegacyTrustThreshold).select(a, 0.0).sum();
    ws.trust(j) = t;
    ws.consensus(j) = 1.0 / (1.0 + std::exp(-p.rho * (t - kappa)));
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
  const double lo = p.alpha_low, hi = p.alpha_high;
  if (!(c_high > c_low) || lo <= 0.0 || hi <= 0.0 || lo >= 1.0 || hi >= 1.0) return false;
  const double slope = (std::log(1.0 / hi - 1.0) - std::log(1.0 / lo - 1.0)) / (c_low - c_high);
  const double offset = std::log(1.0 / lo - 1.0) + slope * c_low;
  ws.col_d_.resize(c.size());
  for (Index j = 0; j < c.size(); ++j) {
    const double alpha = 1.0 / (1.0 + std::exp(offset - slope * c(j)));
    ws.col_d_(j) = std::min(std::max(alpha, lo), hi);
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

double weighted_median_q32(double* values, const std::int64_t* stakes, std::size_t count,
                           std::int64_t minority) {
  std::vector<double> tagged(count);
  for (std::size_t k = 0; k < count; ++k) tagged[k] = kTag + static_cast<double>(stakes[k]);
  return median_tagged(values, tagged.data(), count, minority);
}

double alpha_sigmoid(double c, double w, double b, const KernelParams& p) {
  const double diff = w >= b ? clamp01(w - c) : clamp01(b - w);
  const double x = std::min(std::max(p.alpha_sigmoid_steepness / -100.0 * (diff - 0.5), -20.0), 20.0);
  const double sig = 1.0 / (1.0 + std::exp(x));
  const double a = p.alpha_low + sig * (p.alpha_high - p.alpha_low);
  return std::min(std::max(a, p.alpha_low), p.alpha_high);
}

void run_epoch_kernel(const KernelParams& p, const ArrayXd& a, const ColMajorArrayXXd& w_raw,
                      const ColMajorMaskXX& present, const ColMajorArrayXXd& b_in,
                      KernelWorkspace& ws) {
  const Index v_rows = w_raw.rows(), m_cols = w_raw.cols();
  const Variant variant = p.variant;
  const bool classic = is_classic_family(variant);
  const bool legacy = variant == Variant::kLegacySigmoid;

  normalize_and_median(p, a, w_raw, ws);
  if (legacy) {
    legacy_sigmoid_consensus(p, a, ws);
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
  ArrayXd& w_tilde = ws.col_a_;
  ArrayXd& tmp = ws.col_b_;
  ArrayXd& alpha = ws.col_c_;
  w_tilde.resize(v_rows);
  tmp.resize(v_rows);
  alpha.resize(v_rows);
  const double beta = p.bonds_penalty;
  const double slope = p.alpha_sigmoid_steepness / -100.0;

  for (Index j = 0; j < m_cols; ++j) {
    const double c = ws.consensus(j);
    const auto w = ws.weights.col(j);
    const auto b = b_in.col(j);
    auto out = ws.bonds.col(j);
    // Clipping (none before 2023: W̄ = W), trust and rank.
    if (legacy) {
      ws.validator_trust += w;
      ws.rank(j) = (a * w).sum();
      w_tilde = w;
    } else {
      if (beta == 1.0) {
        w_tilde = w.min(c);
      } else if (beta == 0.0) {
        w_tilde = w;
      } else {
        w_tilde = w + beta * (w.min(c) - w);
      }
      // W̄ written into tmp only when W̃ is not W̄ itself.
      if (beta == 1.0) {
        ws.validator_trust += w_tilde;
        ws.rank(j) = (a * w_tilde).sum();
      } else {
        tmp = w.min(c);
        ws.validator_trust += tmp;
        ws.rank(j) = (a * tmp).sum();
      }
    }
    // Dividends weight column j by I_j; R_j (or R_j C_j) is I_j up to a common factor that the
    // final normalisation removes.
    const double inc_weight = legacy ? ws.rank(j) * c : ws.rank(j);

    if (classic) {
      tmp = a * w_tilde;  // Δ before column normalisation
      const double s_delta = tmp.sum(), s_bond = b.sum();
      const double ema = v1_liquid ? ws.col_d_(j) : p.ema_alpha;
      // colnorm(ema colnorm(Δ) + (1-ema) colnorm(B)): the inner sums are 1 or 0, so the outer
      // column sum is known without another pass.
      double c_delta = s_delta > 0.0 ? ema / s_delta : 0.0;
      double c_bond = s_bond > 0.0 ? (1.0 - ema) / s_bond : 0.0;
      const double outer = (s_delta > 0.0 ? ema : 0.0) + (s_bond > 0.0 ? 1.0 - ema : 0.0);
      if (outer > 0.0) {
        c_delta /= outer;
        c_bond /= outer;
      }
      if (p.record_delta) {
        if (s_delta > 0.0) {
          ws.delta.col(j) = tmp * (1.0 / s_delta);
        } else {
          ws.delta.col(j).setZero();
        }
      }
      out = c_delta * tmp + c_bond * b;
      if (inc_weight != 0.0) ws.dividends += inc_weight * out;
      const double mx = v_rows > 0 ? out.maxCoeff() : 0.0;
      // x / max by a reciprocal, but the max itself must come out exactly 1 (stored 65535).
      if (mx > 0.0) out = (out >= mx).select(1.0, out * (1.0 / mx));
      continue;
    }

    // Yuma 3: the EMA bond itself is stored; dividends read its column-normalised form.
    if (ws.liquid_alpha_applied) {
      // alpha_sigmoid over the whole column (the chain computes it for every (i, j)).
      tmp = (w_tilde >= b).select((w_tilde - c).max(0.0).min(1.0), (b - w_tilde).max(0.0).min(1.0));
      tmp = (slope * (tmp - 0.5)).max(-20.0).min(20.0).exp();
      alpha = (p.alpha_low + (p.alpha_high - p.alpha_low) / (1.0 + tmp))
                  .max(p.alpha_low)
                  .min(p.alpha_high);
      out = ((1.0 - alpha) * b + (alpha * w_tilde).max(0.0)).min(1.0);
      // Only entries present in W̃ emit a bond (spec §3.9 sparse-only quirk).
      const auto pres = present.col(j);
      if (beta == 0.0) {
        out = (pres != 0).select(out, 0.0);
      } else if (beta == 1.0) {
        out = (pres != 0).select(out, 0.0);
        // Clipping deleted the entries with W > C when C == 0.
        if (c == 0.0) out = (w > 0.0).select(0.0, out);
      } else {
        out = (w_tilde > 0.0).select(out, 0.0);
      }
    } else {
      out = p.ema_alpha * w_tilde + (1.0 - p.ema_alpha) * b;
    }
    const double s_ema = out.sum();
    if (s_ema > 0.0 && inc_weight != 0.0) ws.dividends += (inc_weight / s_ema) * out;
  }

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
