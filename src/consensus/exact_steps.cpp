// Multi-step kernels of the exact backend (see exact_steps.hpp).
#include "exact_steps.hpp"

#include <algorithm>
#include <cmath>

#include "kernel_median.hpp"

namespace subnetsim::consensus::detail {

using fixed::Raw;

std::uint32_t Workspace::next_stamp(std::size_t n) {
  if (stamp.size() < n) stamp.resize(n, 0);
  if (++stamp_gen == 0) {  // wrapped: reset once every 2^32 generations
    std::fill(stamp.begin(), stamp.end(), 0);
    stamp_gen = 1;
  }
  return stamp_gen;
}

void weighted_median_col_sparse(const std::vector<Raw>& A, const SparseFx& W, std::size_t n,
                                Raw kappa, Workspace& ws) {
  // Participants: rows with A_i > 0, in uid order, their stake normalised again.
  const std::size_t rows = std::min(A.size(), W.rows());  // the chain zips stake with W's rows
  ws.use_stake.clear();
  for (Raw a : A)
    if (a > 0) ws.use_stake.push_back(a);
  fixed::normalize(ws.use_stake);
  const std::size_t m = ws.use_stake.size();
  const Raw stake_sum = fixed::sum(ws.use_stake);
  const Raw minority = fixed::sat_sub(stake_sum, kappa);

  // Column-major scores (column c of participant k at c*m + k); missing entries are 0. A column
  // with no entry has only zeros, whose median is 0 without running the partition.
  ws.score.assign(n * m, 0);
  ws.col_has.assign(n, 0);
  std::size_t k = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    if (A[i] <= 0) continue;
    for (const Entry& e : W.row(i)) {
      if (e.col >= n) continue;
      ws.score[e.col * m + k] = e.val;  // a repeated column: the later entry wins
      ws.col_has[e.col] = 1;
    }
    ++k;
  }
  ws.C.assign(n, 0);
  // The chain's partition loop returns the smallest score whose cumulative stake exceeds the
  // minority (else the largest score), whatever its pivots, as long as no stake sum
  // saturates. Normalised stakes sum to at most 1 (2^32 raw), so the float kernel's bucketed
  // median, which finds that score with exact integer sums (tests/property/
  // median_bucket_test.cpp checks it against the partition loop), gives the same Raw as long
  // as the scores are exact as doubles (|score| <= 2^53; normalised weights are <= 2^32). The
  // loop itself serves any other total or column.
  const bool small_sums = stake_sum >= 0 && stake_sum <= fixed::kOne && m < (std::size_t{1} << 16);
  if (small_sums) {
    ws.median_values.resize(m);
    ws.median_tagged.resize(m);
    ws.median_scratch.resize(median_bucketed_scratch(m));
    ws.median_bucket.resize(m);
    for (std::size_t p = 0; p < m; ++p)
      ws.median_tagged[p] = kTag + static_cast<double>(ws.use_stake[p]);
  }
  ws.median_idx.resize(m);
  for (std::size_t p = 0; p < m; ++p) ws.median_idx[p] = p;
  // Column col as doubles into ws.median_values; false if a score is not exact as a double.
  auto as_doubles = [&](const Raw* col) {
    constexpr Raw kExactInDouble = Raw{1} << 53;
    bool exact = true;
    for (std::size_t p = 0; p < m; ++p) {
      exact = exact && col[p] >= -kExactInDouble && col[p] <= kExactInDouble;
      ws.median_values[p] = static_cast<double>(col[p]);
    }
    return exact;
  };
  for (std::size_t c = 0; c < n; ++c) {
    if (!ws.col_has[c]) continue;
    const Raw* col = ws.score.data() + c * m;
    if (small_sums && as_doubles(col)) {
      ws.C[c] = static_cast<Raw>(median_bucketed(ws.median_values.data(), ws.median_tagged.data(),
                                                 m, minority, ws.median_scratch.data(),
                                                 ws.median_bucket.data()));
    } else {
      ws.C[c] = fixed::weighted_median(ws.use_stake, std::span<const Raw>(col, m), ws.median_idx,
                                       minority, 0, stake_sum, ws.median_buf);
    }
  }
}

void interpolate_sparse(const SparseFx& W, const SparseFx& Wc, std::size_t n, Raw beta,
                        Workspace& ws) {
  // beta 0 or 1 selects a matrix as it is (the chain copies it; aliasing gives the same rows).
  if (beta == 0 || beta == fixed::kOne) {
    ws.Wb = beta == 0 ? &W : &Wc;
    return;
  }
  SparseFx& out = ws.Wb_store;
  out.clear();
  ws.Wb = &out;
  ws.dense_a.assign(n, 0);
  ws.dense_b.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (W.row(i).empty() && Wc.row(i).empty()) {
      out.end_row();
      continue;
    }
    for (const Entry& e : W.row(i)) ws.dense_a[e.col] = e.val;
    for (const Entry& e : Wc.row(i)) ws.dense_b[e.col] = e.val;
    for (std::size_t j = 0; j < n; ++j) {
      const Raw v1 = ws.dense_a[j], v2 = ws.dense_b[j];
      const Raw v = fixed::sat_add(v1, fixed::mul(beta, fixed::sat_sub(v2, v1)));
      if (v > 0) out.push(static_cast<std::uint16_t>(j), v);
    }
    out.end_row();
    for (const Entry& e : W.row(i)) ws.dense_a[e.col] = 0;
    for (const Entry& e : Wc.row(i)) ws.dense_b[e.col] = 0;
  }
}

namespace {

// Stored bonds into ws.B: classic reads the u16 as an integer, Yuma 3 as a fraction of 65535.
void load_bonds(const EpochInput& in, bool as_fraction, Workspace& ws) {
  ws.B.clear();
  for (std::size_t i = 0; i < in.n; ++i) {
    if (i < in.bonds.size())
      for (const auto& [j, v] : in.bonds[i]) {
        if (j >= in.n) continue;  // never read back: every consumer skips columns >= n
        ws.B.push(j, as_fraction ? fixed::u16_proportion_to_fixed(v) : fixed::u16_to_fixed(v));
      }
    ws.B.end_row();
  }
}

// Strictly increasing columns, all < n: rows for which a merge equals the chain's dense pass.
bool increasing(std::span<const Entry> row, std::size_t n) {
  for (std::size_t k = 0; k < row.size(); ++k)
    if (row[k].col >= n || (k > 0 && row[k].col <= row[k - 1].col)) return false;
  return true;
}

// mat_ema_sparse with a per-column alpha (a constant vector for the plain EMA): per row, dense
// accumulation of alpha*new then (1-alpha)*old, emitted in column order keeping values > 0.
void mat_ema_sparse(const SparseFx& fresh, const SparseFx& old, const std::vector<Raw>& alpha,
                    std::size_t n, Workspace& ws, SparseFx& out) {
  out.clear();
  ws.dense_a.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto frow = fresh.row(i);
    const auto orow = i < old.rows() ? old.row(i) : std::span<const Entry>{};
    if (increasing(frow, n) && increasing(orow, n)) {  // the usual case: a linear merge
      std::size_t p = 0, q = 0;
      while (p < frow.size() || q < orow.size()) {
        const std::uint16_t j = q == orow.size() || (p < frow.size() && frow[p].col < orow[q].col)
                                    ? frow[p].col
                                    : orow[q].col;
        Raw v = 0;
        if (p < frow.size() && frow[p].col == j) v = fixed::mul(alpha[j], frow[p++].val);
        if (q < orow.size() && orow[q].col == j)
          v = fixed::sat_add(v, fixed::mul(fixed::sat_sub(fixed::kOne, alpha[j]), orow[q++].val));
        if (v > 0) out.push(j, v);
      }
      out.end_row();
      continue;
    }
    const std::uint32_t gen = ws.next_stamp(n);
    ws.touched.clear();
    auto add = [&](std::uint16_t j, Raw v) {
      if (j >= n) return;
      if (ws.stamp[j] != gen) {
        ws.stamp[j] = gen;
        ws.dense_a[j] = 0;
        ws.touched.push_back(j);
      }
      ws.dense_a[j] = fixed::sat_add(ws.dense_a[j], v);
    };
    for (const Entry& e : fresh.row(i)) add(e.col, fixed::mul(alpha[e.col], e.val));
    if (i < old.rows())
      for (const Entry& e : old.row(i))
        add(e.col, fixed::mul(fixed::sat_sub(fixed::kOne, alpha[e.col]), e.val));
    std::sort(ws.touched.begin(), ws.touched.end());
    for (std::uint16_t j : ws.touched)
      if (ws.dense_a[j] > 0) out.push(j, ws.dense_a[j]);
    out.end_row();
  }
}

// quantile of math.rs (liquid alpha v1): linear interpolation between the sorted neighbours.
Raw quantile(std::vector<Raw> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = static_cast<std::size_t>(std::ceil(pos));
  if (lo == hi) return v[lo];
  const Raw w = fixed::from_f64(pos - static_cast<double>(lo));
  return fixed::sat_add(v[lo], fixed::mul(fixed::sat_sub(v[hi], v[lo]), w));
}

// Per-column alpha of liquid alpha v1 (spec §3.8 legacy: calculate_logistic_params and
// compute_alpha_values of the 2024 code, with substrate-fixed's ln and exp).
// Returns false when the chain fell back to the plain EMA alpha (both quantiles zero).
bool liquid_v1_alpha(const EpochParams& params, std::size_t n, Workspace& ws) {
  const Raw lo_a = fixed::u16_proportion_to_fixed(params.alpha_low_u16);
  const Raw hi_a = fixed::u16_proportion_to_fixed(params.alpha_high_u16);
  const Raw c_high = quantile(ws.C, 0.75), c_low = quantile(ws.C, 0.25);
  if (!(c_high > c_low || c_high != 0 || c_low < 0)) return false;
  Raw a = 0, b = 0;
  if (c_high > c_low && lo_a != 0 && hi_a != 0) {
    const Raw ln_hi =
        fixed::safe_ln(fixed::sat_sub(fixed::sat_div(fixed::kOne, hi_a), fixed::kOne));
    const Raw ln_lo =
        fixed::safe_ln(fixed::sat_sub(fixed::sat_div(fixed::kOne, lo_a), fixed::kOne));
    a = fixed::sat_div(fixed::sat_sub(ln_hi, ln_lo), fixed::sat_sub(c_low, c_high));
    b = fixed::sat_add(ln_lo, fixed::mul(a, c_low));
  }
  ws.row_alpha.resize(n);
  for (std::size_t j = 0; j < n; ++j) {
    const Raw e = fixed::safe_exp(fixed::sat_sub(b, fixed::mul(a, ws.C[j])));
    Raw alpha = fixed::sat_div(fixed::kOne, fixed::sat_add(fixed::kOne, e));
    alpha = std::max(std::min(alpha, hi_a), lo_a);
    ws.row_alpha[j] = alpha;
  }
  return true;
}

// D = normalize(EMA · I) (matmul_transpose_sparse).
void classic_dividends(const SparseFx& ema, std::size_t n, Workspace& ws) {
  ws.D.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    Raw acc = 0;
    for (const Entry& e : ema.row(i)) acc = fixed::sat_add(acc, fixed::mul(ws.I[e.col], e.val));
    ws.D[i] = acc;
  }
  fixed::normalize(ws.D);
}

}  // namespace

void classic_bonds(const EpochParams& params, const EpochInput& in, Workspace& ws) {
  const std::size_t n = in.n;
  load_bonds(in, false, ws);
  col_normalize(ws.B, ws.col_scratch, n);
  ws.dB.clear();
  for (std::size_t i = 0; i < n; ++i) {
    for (const Entry& e : ws.Wb->row(i)) ws.dB.push(e.col, fixed::mul(e.val, ws.A[i]));
    ws.dB.end_row();
  }
  col_normalize(ws.dB, ws.col_scratch, n);

  const bool any_c = std::any_of(ws.C.begin(), ws.C.end(), [](Raw c) { return c != 0; });
  if (!(params.variant == Variant::kClassicLiquidV1 && n > 0 && any_c &&
        liquid_v1_alpha(params, n, ws))) {
    ws.row_alpha.assign(n, fixed::ema_alpha_from_ppm(params.bonds_moving_average_ppm));
  }
  mat_ema_sparse(ws.dB, ws.B, ws.row_alpha, n, ws, ws.ema);
  col_normalize(ws.ema, ws.col_scratch, n);
  classic_dividends(ws.ema, n, ws);
}

void yuma3_bonds(const EpochParams& params, const EpochInput& in, Workspace& ws) {
  const std::size_t n = in.n;
  load_bonds(in, true, ws);
  const bool any_c = std::any_of(ws.C.begin(), ws.C.end(), [](Raw c) { return c != 0; });
  if (params.variant == Variant::kYuma3Liquid && n > 0 && any_c) {
    const Raw lo_a = fixed::u16_proportion_to_fixed(params.alpha_low_u16);
    const Raw hi_a = fixed::u16_proportion_to_fixed(params.alpha_high_u16);
    const Raw slope = fixed::alpha_sigmoid_slope(fixed::from_int(params.alpha_sigmoid_steepness));
    ws.w_at.assign(n, 0);
    ws.b_at.assign(n, 0);
    ws.dense_b.assign(n, 0);
    ws.ema.clear();
    ws.exp_cache.new_epoch();
    for (std::size_t i = 0; i < n; ++i) {
      const auto wrow = ws.Wb->row(i);
      if (wrow.empty()) {  // mat_ema_alpha_sparse emits only columns present in W̃'s row
        ws.ema.end_row();
        continue;
      }
      // The chain's peek merge, which assumes rows sorted by column: for each j it skips
      // entries with a smaller column and reads the next one only if its column equals j.
      const auto brow = ws.B.row(i);
      std::size_t wp = 0, bp = 0;
      for (std::size_t j = 0; j < n; ++j) {
        while (wp < wrow.size() && wrow[wp].col < j) ++wp;
        ws.w_at[j] = (wp < wrow.size() && wrow[wp].col == j) ? wrow[wp].val : 0;
        while (bp < brow.size() && brow[bp].col < j) ++bp;
        ws.b_at[j] = (bp < brow.size() && brow[bp].col == j) ? brow[bp].val : 0;
      }
      const std::uint32_t gen = ws.next_stamp(n);
      for (const Entry& e : brow) {  // decayed_values: assignment, so the last entry wins
        ws.stamp[e.col] = gen;
        ws.dense_b[e.col] = e.val;
      }
      // exp(x) of every entry: from the memo, or computed in one batch for the row's misses.
      ws.row_x.resize(wrow.size());
      ws.row_e.resize(wrow.size());
      ws.miss_x.clear();
      ws.miss_at.clear();
      const bool memo = ws.exp_cache.useful();
      for (std::size_t t = 0; t < wrow.size(); ++t) {
        const std::uint16_t j = wrow[t].col;
        if (j >= n) continue;
        ws.row_x[t] = fixed::alpha_sigmoid_exponent(ws.C[j], ws.w_at[j], ws.b_at[j], slope);
        if (!memo || !ws.exp_cache.find(ws.row_x[t], ws.row_e[t])) {
          ws.miss_x.push_back(ws.row_x[t]);
          ws.miss_at.push_back(static_cast<std::uint32_t>(t));
        }
      }
      ws.miss_e.resize(ws.miss_x.size());
      fixed::exp_safe_batch(ws.miss_x, ws.miss_e);
      for (std::size_t k = 0; k < ws.miss_x.size(); ++k) {
        ws.row_e[ws.miss_at[k]] = ws.miss_e[k];
        if (memo) ws.exp_cache.put(ws.miss_x[k], ws.miss_e[k]);
      }
      for (std::size_t t = 0; t < wrow.size(); ++t) {
        const Entry& e = wrow[t];
        if (e.col >= n) continue;
        const Raw a = fixed::alpha_from_exp(ws.row_e[t], lo_a, hi_a);
        const Raw old = ws.stamp[e.col] == gen ? ws.dense_b[e.col] : 0;  // (1-a)*0 = 0
        const Raw v = fixed::ema_alpha_entry(old, e.val, a);
        if (v > 0) ws.ema.push(e.col, v);
      }
      ws.ema.end_row();
    }
  } else {
    ws.row_alpha.assign(n, fixed::ema_alpha_from_ppm(params.bonds_moving_average_ppm));
    mat_ema_sparse(*ws.Wb, ws.B, ws.row_alpha, n, ws, ws.ema);
  }

  // D from the column-normalised EMA (col_normalize's sums and divisions), each entry divided
  // as it is read rather than a normalised copy of the matrix made first: that copy was 3% of
  // a liquid-alpha epoch at 256 x 256.
  std::vector<Raw>& col_sum = ws.col_scratch;
  col_sum.assign(n, 0);
  for (const Entry& e : ws.ema.all())
    if (e.col < n) col_sum[e.col] = fixed::sat_add(col_sum[e.col], e.val);
  ws.col_dividers.clear();
  for (std::size_t j = 0; j < n; ++j) ws.col_dividers.emplace_back(col_sum[j]);
  ws.D.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    Raw t = 0;  // row_sum_sparse(mat_vec_mul_sparse(EMAn, I)): zero products dropped, plain sum
    for (const Entry& e : ws.ema.row(i)) {
      const Raw normalized =
          e.col < n && col_sum[e.col] != 0 ? ws.col_dividers[e.col](e.val) : e.val;
      t = fixed::wrap_add(t, fixed::mul(normalized, ws.I[e.col]));
    }
    Raw d = 0;
    ws.D[i] = fixed::checked_mul(t, ws.A[i], d) ? d : 0;  // vec_mul: checked, 0 on overflow
  }
  fixed::normalize(ws.D);
}

// Pre-2023 epoch (removed by "BIT-631"), as read from the 2022 history of run_epoch.rs:
// ranks R = normalize(W·A) on the unclipped W; trust T_j = Σ_i A_i over validators whose weight
// on j is >= 0.1/(n+1) (math.rs `clip` to 1/0, then matmul); C_j = sigmoid_safe(T_j, rho, kappa);
// I = normalize(R ⊙ C); VT_i = Σ_j W_ij; bonds as the classic path on the unclipped W.
// Simplifications, documented rather than emulated: the masks (permits, outdated, bond mask)
// are the current driver's; the era's fixed EMA alpha 0.1 is taken from BondsMovingAverage
// (equal at the default 900000); the short-lived "weight cuts" variant is not modelled.
void legacy_sigmoid_bonds(const EpochParams& params, const EpochInput& in, Workspace& ws) {
  const std::size_t n = in.n;
  const Raw rho = fixed::from_int(params.rho);
  const Raw kappa = fixed::safe_div(fixed::u16_to_fixed(params.kappa_u16), fixed::kU16Max);
  const Raw threshold =
      fixed::safe_div(fixed::from_f64(0.1), fixed::from_int(static_cast<std::int64_t>(n) + 1));
  ws.R.assign(n, 0);
  ws.dense_a.assign(n, 0);  // trust
  ws.VT.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    Raw vt = 0;
    for (const Entry& e : ws.W.row(i)) {
      vt = fixed::wrap_add(vt, e.val);
      ws.R[e.col] = fixed::sat_add(ws.R[e.col], fixed::mul(ws.A[i], e.val));
      if (e.val >= threshold) ws.dense_a[e.col] = fixed::sat_add(ws.dense_a[e.col], ws.A[i]);
    }
    ws.VT[i] = vt;
  }
  fixed::normalize(ws.R);
  ws.I.resize(n);
  for (std::size_t j = 0; j < n; ++j) {
    ws.C[j] = fixed::sigmoid_safe(ws.dense_a[j], rho, kappa);
    ws.I[j] = fixed::mul(ws.R[j], ws.C[j]);
  }
  fixed::normalize(ws.I);
  ws.Wb = &ws.W;
  classic_bonds(params, in, ws);
}

}  // namespace subnetsim::consensus::detail
