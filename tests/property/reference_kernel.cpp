// Nested-loop reference of the epoch kernel; see reference_kernel.hpp.
#include "reference_kernel.hpp"

#include <algorithm>
#include <cmath>

namespace subnetsim::testing {
namespace {

__extension__ typedef __int128 I128;
using consensus::KernelParams;
using consensus::Variant;

void normalize(std::vector<double>& v) {
  double sum = 0.0;
  for (double x : v) sum += x;
  if (sum > 0.0)
    for (double& x : v) x = x / sum;
}

void column_normalize(Matrix& m, std::size_t rows, std::size_t cols) {
  for (std::size_t j = 0; j < cols; ++j) {
    double sum = 0.0;
    for (std::size_t i = 0; i < rows; ++i) sum += m[i][j];
    if (sum > 0.0)
      for (std::size_t i = 0; i < rows; ++i) m[i][j] = m[i][j] / sum;
  }
}

double clamp(double x, double lo, double hi) { return x < lo ? lo : (x > hi ? hi : x); }

// Y3 liquid alpha per entry, from the spec's alpha_sigmoid text.
double ref_alpha(double c, double w, double b, const KernelParams& p) {
  double diff;
  if (w >= b) {
    diff = clamp(w - c, 0.0, 1.0);
  } else {
    diff = clamp(b - w, 0.0, 1.0);
  }
  double x = (p.alpha_sigmoid_steepness / -100.0) * (diff - 0.5);
  x = clamp(x, -20.0, 20.0);
  const double sig = 1.0 / (1.0 + std::exp(x));
  return clamp(p.alpha_low + sig * (p.alpha_high - p.alpha_low), p.alpha_low, p.alpha_high);
}

// Liquid alpha v1 per column (spec §3.8 LEGACY). Empty result = use the fixed alpha.
std::vector<double> ref_v1_alphas(const std::vector<double>& c, const KernelParams& p) {
  bool any = false;
  for (double x : c) any = any || x != 0.0;
  if (!any) return {};
  std::vector<double> s = c;
  std::sort(s.begin(), s.end());
  auto quantile = [&s](double q) {
    const double pos = q * static_cast<double>(s.size() - 1);
    const std::size_t lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = static_cast<std::size_t>(std::ceil(pos));
    if (lo == hi) return s[lo];
    return s[lo] + (s[hi] - s[lo]) * (pos - static_cast<double>(lo));
  };
  const double c_low = quantile(0.25), c_high = quantile(0.75);
  if (c_low == 0.0 && c_high == 0.0) return {};
  const double al = p.alpha_low, ah = p.alpha_high;
  double a = 0.0, b = 0.0;
  if (c_high > c_low && al > 0.0 && ah > 0.0 && al < 1.0 && ah < 1.0) {
    a = (std::log(1.0 / ah - 1.0) - std::log(1.0 / al - 1.0)) / (c_low - c_high);
    b = std::log(1.0 / al - 1.0) + a * c_low;
  }
  std::vector<double> out(c.size());
  for (std::size_t j = 0; j < c.size(); ++j)
    out[j] = clamp(1.0 / (1.0 + std::exp(clamp(b - a * c[j], -20.0, 20.0))), al, ah);
  return out;
}

}  // namespace

double reference_weighted_median(const std::vector<std::int64_t>& stake,
                                 const std::vector<double>& score, std::int64_t minority,
                                 std::int64_t lo, std::int64_t hi) {
  std::vector<std::size_t> part;
  for (std::size_t i = 0; i < score.size(); ++i) part.push_back(i);
  const std::size_t limit = part.size();
  for (std::size_t iter = 0; iter <= limit; ++iter) {
    if (part.empty()) return 0.0;
    if (part.size() == 1) return score[part[0]];
    const double pivot = score[part[part.size() / 2]];
    std::int64_t lo_stake = 0, hi_stake = 0;
    std::vector<std::size_t> lower, upper;
    for (std::size_t idx : part) {
      if (score[idx] == pivot) continue;
      if (score[idx] < pivot) {
        lo_stake += stake[idx];
        lower.push_back(idx);
      } else {
        hi_stake += stake[idx];
        upper.push_back(idx);
      }
    }
    if (minority < lo + lo_stake && !lower.empty()) {
      hi = lo + lo_stake;
      part = lower;
    } else if (hi - hi_stake <= minority && !upper.empty()) {
      lo = hi - hi_stake;
      part = upper;
    } else {
      return pivot;
    }
  }
  return 0.0;
}

ReferenceResult reference_epoch(const KernelParams& p, const std::vector<double>& a,
                                const Matrix& w_raw, const Mask& present, const Matrix& b_in) {
  const std::size_t rows = w_raw.size();
  const std::size_t cols = rows == 0 ? 0 : w_raw[0].size();
  const bool legacy = p.variant == Variant::kLegacySigmoid;
  const bool classic =
      p.variant == Variant::kClassic || p.variant == Variant::kClassicLiquidV1 || legacy;
  ReferenceResult r;

  // Row normalisation.
  r.weights = w_raw;
  for (std::size_t i = 0; i < rows; ++i) {
    double sum = 0.0;
    for (std::size_t j = 0; j < cols; ++j) sum += w_raw[i][j];
    if (sum > 0.0)
      for (std::size_t j = 0; j < cols; ++j) r.weights[i][j] = w_raw[i][j] / sum;
  }
  const Matrix& w = r.weights;

  // Consensus.
  r.consensus.assign(cols, 0.0);
  if (legacy) {
    const double kappa = p.kappa_u16 / 65535.0;
    const double threshold = 0.1 / (static_cast<double>(cols) + 1.0);
    for (std::size_t j = 0; j < cols; ++j) {
      double trust = 0.0;
      for (std::size_t i = 0; i < rows; ++i)
        if (w[i][j] >= threshold) trust += a[i];
      r.consensus[j] = 1.0 / (1.0 + std::exp(clamp(-p.rho * (trust - kappa), -20.0, 20.0)));
    }
  } else {
    // Stakes on the chain's grid: floor(A * 2^32), keep > 0, renormalise by truncation.
    std::vector<std::int64_t> use_stake;
    std::vector<std::size_t> use_rows;
    I128 raw_sum = 0;
    for (std::size_t i = 0; i < rows; ++i) {
      const auto q = static_cast<std::int64_t>(std::floor(a[i] * 4294967296.0));
      if (q > 0) {
        use_stake.push_back(q);
        use_rows.push_back(i);
        raw_sum += q;
      }
    }
    std::int64_t total = 0;
    for (auto& q : use_stake) {
      q = static_cast<std::int64_t>((static_cast<I128>(q) << 32) / raw_sum);
      total += q;
    }
    const std::int64_t kappa = static_cast<std::int64_t>((std::int64_t{p.kappa_u16} << 32) / 65535);
    for (std::size_t j = 0; j < cols; ++j) {
      std::vector<double> score;
      for (std::size_t i : use_rows) score.push_back(w[i][j]);
      r.consensus[j] = reference_weighted_median(use_stake, score, total - kappa, 0, total);
    }
  }
  const std::vector<double>& c = r.consensus;

  // Clipping (none in the legacy era), trust, rank, incentive.
  Matrix clipped = w;
  Mask clipped_present = present;
  if (!legacy) {
    for (std::size_t i = 0; i < rows; ++i)
      for (std::size_t j = 0; j < cols; ++j) {
        if (w[i][j] > c[j] && c[j] == 0.0) clipped_present[i][j] = 0;
        clipped[i][j] = std::min(w[i][j], c[j]);
      }
  }
  r.validator_trust.assign(rows, 0.0);
  r.rank.assign(cols, 0.0);
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) {
      r.validator_trust[i] += clipped[i][j];
      r.rank[j] += a[i] * clipped[i][j];
    }
  r.incentive = r.rank;
  if (legacy)
    for (std::size_t j = 0; j < cols; ++j) r.incentive[j] = r.rank[j] * c[j];
  normalize(r.incentive);

  // Bonds-penalty interpolation W̃ and which of its entries are stored.
  Matrix wt = w;
  Mask wt_present = present;
  if (!legacy && p.bonds_penalty == 1.0) {
    wt = clipped;
    wt_present = clipped_present;
  } else if (!legacy && p.bonds_penalty != 0.0) {
    for (std::size_t i = 0; i < rows; ++i)
      for (std::size_t j = 0; j < cols; ++j) {
        wt[i][j] = w[i][j] + p.bonds_penalty * (clipped[i][j] - w[i][j]);
        wt_present[i][j] = wt[i][j] > 0.0 ? 1 : 0;
      }
  }

  Matrix ema(rows, std::vector<double>(cols, 0.0));
  r.dividends.assign(rows, 0.0);
  if (classic) {
    Matrix bn = b_in;
    column_normalize(bn, rows, cols);
    r.delta.assign(rows, std::vector<double>(cols, 0.0));
    for (std::size_t i = 0; i < rows; ++i)
      for (std::size_t j = 0; j < cols; ++j) r.delta[i][j] = wt[i][j] * a[i];
    column_normalize(r.delta, rows, cols);
    std::vector<double> alphas;
    if (p.variant == Variant::kClassicLiquidV1) alphas = ref_v1_alphas(c, p);
    for (std::size_t i = 0; i < rows; ++i)
      for (std::size_t j = 0; j < cols; ++j) {
        const double alpha = alphas.empty() ? p.ema_alpha : alphas[j];
        ema[i][j] = alpha * r.delta[i][j] + (1.0 - alpha) * bn[i][j];
      }
    column_normalize(ema, rows, cols);
    for (std::size_t i = 0; i < rows; ++i)
      for (std::size_t j = 0; j < cols; ++j) r.dividends[i] += ema[i][j] * r.incentive[j];
    normalize(r.dividends);
    r.bonds = ema;
    for (std::size_t j = 0; j < cols; ++j) {
      double mx = 0.0;
      for (std::size_t i = 0; i < rows; ++i) mx = std::max(mx, ema[i][j]);
      if (mx > 0.0)
        for (std::size_t i = 0; i < rows; ++i) r.bonds[i][j] = ema[i][j] / mx;
    }
    return r;
  }

  bool liquid = false;
  if (p.variant == Variant::kYuma3Liquid)
    for (double x : c) liquid = liquid || x != 0.0;
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) {
      if (liquid) {
        const double al = ref_alpha(c[j], wt[i][j], b_in[i][j], p);
        const double v = std::min((1.0 - al) * b_in[i][j] + std::max(al * wt[i][j], 0.0), 1.0);
        ema[i][j] = wt_present[i][j] ? v : 0.0;
      } else {
        ema[i][j] = p.ema_alpha * wt[i][j] + (1.0 - p.ema_alpha) * b_in[i][j];
      }
    }
  r.bonds = ema;
  Matrix emn = ema;
  column_normalize(emn, rows, cols);
  for (std::size_t i = 0; i < rows; ++i) {
    double t = 0.0;
    for (std::size_t j = 0; j < cols; ++j) t += emn[i][j] * r.incentive[j];
    r.dividends[i] = t * a[i];
  }
  normalize(r.dividends);
  return r;
}

}  // namespace subnetsim::testing
