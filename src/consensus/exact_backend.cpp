// The exact backend: subtensor's sparse epoch_mechanism (spec §3.2-§3.11, §9) in I32F32 raw
// integers, step for step, so that every stored u16 and rao amount matches the chain bit for bit.
// Each step names the math.rs helper it reproduces; their rounding and saturation rules are what
// make the results exact, so the order of operations below is deliberate.
#include <algorithm>
#include <utility>

#include "exact_steps.hpp"
#include "subnetsim/consensus/epoch.hpp"

namespace subnetsim::consensus {
namespace {

using detail::Entry;
using detail::SparseFx;
using fixed::Raw;

void to_f64(const std::vector<Raw>& in, std::vector<double>& out) {
  out.resize(in.size());
  for (std::size_t k = 0; k < in.size(); ++k) out[k] = fixed::to_f64(in[k]);
}

void to_f64_rows(const SparseFx& m, std::size_t n, SparseRowsF64& out) {
  out.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    out[i].clear();
    if (i >= m.rows()) continue;
    for (const Entry& e : m.row(i)) out[i].emplace_back(e.col, fixed::to_f64(e.val));
  }
}

void to_u16(const std::vector<Raw>& in, std::vector<std::uint16_t>& out) {
  out.resize(in.size());
  for (std::size_t k = 0; k < in.size(); ++k) out[k] = fixed::fixed_proportion_to_u16(in[k]);
}

// I96F32(share) * I96F32(rao) floored to u64: the raw product share_raw * rao, >> 32.
std::uint64_t rao_of(Raw share, std::uint64_t rao) {
  if (share <= 0) return 0;
  const fixed::U128 p = static_cast<fixed::U128>(share) * rao;
  const fixed::U128 q = p >> fixed::kFracBits;
  return q > UINT64_MAX ? UINT64_MAX : static_cast<std::uint64_t>(q);
}

class ExactBackend final : public EpochBackend {
 public:
  const char* name() const override { return "exact"; }
  void run(const EpochParams& params, const EpochInput& in, EpochOutput& out) override;

 private:
  void stake_and_permits(const EpochParams& params, const EpochInput& in, EpochOutput& out);
  void weights_consensus_incentive(const EpochParams& params, const EpochInput& in);
  void emission(const EpochInput& in, EpochOutput& out);
  void store(const EpochParams& params, const EpochInput& in, EpochOutput& out);

  detail::Workspace ws_;
};

void ExactBackend::run(const EpochParams& params, const EpochInput& in, EpochOutput& out) {
  stake_and_permits(params, in, out);
  weights_consensus_incentive(params, in);
  // Yuma 3 has no instant-bond matrix: its rows are left empty (cleared, capacity kept).
  for (auto& row : out.delta_bonds_normalized) row.clear();
  if (!in.record_matrices) out.delta_bonds_normalized.clear();
  switch (params.variant) {
    case Variant::kClassic:
    case Variant::kClassicLiquidV1:
      detail::classic_bonds(params, in, ws_);
      if (in.record_matrices) to_f64_rows(ws_.dB, in.n, out.delta_bonds_normalized);
      break;
    case Variant::kYuma3:
    case Variant::kYuma3Liquid:
      detail::yuma3_bonds(params, in, ws_);
      break;
    case Variant::kLegacySigmoid:
      detail::legacy_sigmoid_bonds(params, in, ws_);
      if (in.record_matrices) to_f64_rows(ws_.dB, in.n, out.delta_bonds_normalized);
      break;
  }
  emission(in, out);
  store(params, in, out);
}

// §3.2-§3.4: S (I64F64 normalisation of integer stake, narrowed), top-k permits, A.
void ExactBackend::stake_and_permits(const EpochParams& params, const EpochInput& in,
                                     EpochOutput& out) {
  const std::size_t n = in.n;
  fixed::U128 total = 0;
  for (std::size_t i = 0; i < n; ++i) total += in.stake_rao[i];
  ws_.S.resize(n);
  const fixed::ShareOf share_of(total);
  for (std::size_t i = 0; i < n; ++i) ws_.S[i] = share_of(in.stake_rao[i]);

  // is_topk_nonzero: ascending stable sort by S; sorting (S, uid) pairs gives the same order
  // without the temporary buffer std::stable_sort would allocate.
  out.new_permit.assign(n, false);
  for (std::size_t i = 0; i < n; ++i) out.new_permit[i] = ws_.S[i] != 0;
  const std::size_t k = params.max_allowed_validators;
  if (n >= k) {
    ws_.order.resize(n);
    for (std::size_t i = 0; i < n; ++i) ws_.order[i] = {ws_.S[i], static_cast<std::uint32_t>(i)};
    std::sort(ws_.order.begin(), ws_.order.end());
    for (std::size_t r = 0; r < n - k; ++r) out.new_permit[ws_.order[r].second] = false;
  }
  if (in.owner_uid && *in.owner_uid < n) out.new_permit[*in.owner_uid] = true;

  ws_.A = ws_.S;
  for (std::size_t i = 0; i < n; ++i)
    if (in.inactive[i] || !in.permit[i]) ws_.A[i] = 0;
  fixed::normalize(ws_.A);
}

// §3.5-§3.7: row-normalised W, weighted-median consensus, clipping, trust, incentive, W̃.
void ExactBackend::weights_consensus_incentive(const EpochParams& params, const EpochInput& in) {
  const std::size_t n = in.n;
  SparseFx& W = ws_.W;
  W.clear();
  for (std::size_t i = 0; i < n; ++i) {
    Raw row_sum = 0;
    if (i < in.weights.size()) {
      for (const auto& [j, v] : in.weights[i]) {
        if (j >= n) continue;  // get_weights_sparse drops columns >= n
        W.push(j, fixed::u16_to_fixed(v));
        row_sum = fixed::wrap_add(row_sum, fixed::u16_to_fixed(v));
      }
    }
    W.end_row();
    if (row_sum > 0) {
      const fixed::Divider div(row_sum);
      for (Entry& e : W.row(i)) e.val = div(e.val);
    }
  }

  const Raw kappa = fixed::safe_div(fixed::u16_to_fixed(params.kappa_u16), fixed::kU16Max);
  detail::weighted_median_col_sparse(ws_.A, W, n, kappa, ws_);

  // col_clip_sparse: clip to C_j; entries above a zero (or negative) C_j are deleted.
  SparseFx& Wc = ws_.Wc;
  Wc.clear();
  ws_.VT.assign(n, 0);
  ws_.R.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (const Entry& e : W.row(i)) {
      const Raw th = ws_.C[e.col];
      // th <= 0 first: it depends on the column only, so it predicts well and short-circuits
      // the data-dependent test, which otherwise the branch would be on.
      if (th <= 0 && th < e.val) continue;
      Wc.push(e.col, std::min(th, e.val));  // a select, not a branch
    }
    Wc.end_row();
    Raw vt = 0;
    for (const Entry& e : Wc.row(i)) {
      vt = fixed::wrap_add(vt, e.val);                                           // row_sum_sparse
      ws_.R[e.col] = fixed::sat_add(ws_.R[e.col], fixed::mul(ws_.A[i], e.val));  // matmul_sparse
    }
    ws_.VT[i] = vt;
  }
  ws_.I = ws_.R;
  fixed::normalize(ws_.I);

  const Raw beta = fixed::safe_div(fixed::u16_to_fixed(params.bonds_penalty_u16), fixed::kU16Max);
  detail::interpolate_sparse(W, Wc, n, beta, ws_);
}

// §3.10: emission shares with the zero-sum fallbacks, then rao amounts.
void ExactBackend::emission(const EpochInput& in, EpochOutput& out) {
  const std::size_t n = in.n;
  std::vector<Raw>& comb = ws_.combined;
  comb.resize(n);
  for (std::size_t i = 0; i < n; ++i) comb[i] = fixed::sat_add(ws_.I[i], ws_.D[i]);
  const Raw total = fixed::sum(comb);
  ws_.server_share = ws_.I;
  ws_.validator_share = ws_.D;
  fixed::normalize_using_sum(ws_.server_share, total);
  fixed::normalize_using_sum(ws_.validator_share, total);
  fixed::normalize(comb);
  if (total == 0) {
    const std::vector<Raw>& src = fixed::sum(ws_.A) == 0 ? ws_.S : ws_.A;
    ws_.validator_share = src;
    comb = src;
  }
  out.emission_rao.resize(n);
  out.server_emission_rao.resize(n);
  out.validator_emission_rao.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    out.server_emission_rao[i] = rao_of(ws_.server_share[i], in.rao_emission);
    out.validator_emission_rao[i] = rao_of(ws_.validator_share[i], in.rao_emission);
    out.emission_rao[i] = rao_of(comb[i], in.rao_emission);
  }
}

// §3.11: quantised outputs, bond rows of new permit holders, and the double intermediates.
void ExactBackend::store(const EpochParams& params, const EpochInput& in, EpochOutput& out) {
  const std::size_t n = in.n;
  to_u16(ws_.C, out.consensus_u16);
  to_u16(ws_.I, out.incentive_u16);
  to_u16(ws_.D, out.dividends_u16);
  to_u16(ws_.VT, out.validator_trust_u16);
  to_u16(ws_.S, out.stake_weight_u16);

  const bool classic = params.variant == Variant::kClassic ||
                       params.variant == Variant::kClassicLiquidV1 ||
                       params.variant == Variant::kLegacySigmoid;
  if (classic) detail::col_max_upscale(ws_.ema, ws_.col_scratch, n);
  out.new_bonds.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    out.new_bonds[i].clear();
    if (!out.new_permit[i] || i >= ws_.ema.rows()) continue;
    for (const Entry& e : ws_.ema.row(i))
      out.new_bonds[i].emplace_back(e.col, fixed::fixed_proportion_to_u16(e.val));
  }

  to_f64(ws_.S, out.stake);
  to_f64(ws_.A, out.active_stake);
  to_f64(ws_.C, out.consensus);
  to_f64(ws_.VT, out.validator_trust);
  to_f64(ws_.I, out.incentive);
  to_f64(ws_.D, out.dividends);
  to_f64(ws_.validator_share, out.validator_share);
  to_f64(ws_.server_share, out.server_share);
  to_f64(ws_.combined, out.combined_share);
  if (in.record_matrices) {
    to_f64_rows(ws_.W, n, out.weights_normalized);
  } else {
    out.weights_normalized.clear();
  }
}

}  // namespace

std::unique_ptr<EpochBackend> make_exact_backend() { return std::make_unique<ExactBackend>(); }

}  // namespace subnetsim::consensus
