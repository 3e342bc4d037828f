// The float backend: adapts the sparse EpochInput to the dense double-precision kernel
// (kernel.hpp) and maps the result back to per-uid outputs (spec §3.2-3.4, §3.10, §3.11).
//
// Kernel rows are the uids that hold a permit or a non-empty bond row, in uid order (a uid with
// neither has no weights, no bonds and A = 0, so it cannot change any result); columns are the
// uids that some row weights or bonds, in uid order (all n uids for the two legacy variants).
// Agreement with the exact backend is within the conformance tolerances (±3 on u16, rel 1e-5 on
// rao), not bit for bit.
#include "float_backend.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "row_block.hpp"
#include "subnetsim/consensus/epoch.hpp"
#include "subnetsim/consensus/fixed_point.hpp"
#include "subnetsim/consensus/kernel.hpp"
#include "subnetsim/consensus/sparse_row.hpp"

namespace subnetsim::consensus {
namespace {

__extension__ typedef unsigned __int128 U128;

// Kernel rows are filled and read back in blocks of this many (one cache line of doubles).
constexpr Eigen::Index kBlock = 8;

bool is_yuma3(Variant v) { return v == Variant::kYuma3 || v == Variant::kYuma3Liquid; }

// floor(x * 65535) clamped to [0, 65535]. Truncation is floor for positive values and, unlike
// std::floor without SSE4.1, a single instruction. Clamped by selects, not branches (NaN and
// y <= 0 give 0): zeros and values alternate in the outputs (miners have no dividends,
// validators no incentive), which a branch mispredicts, and a loop of it vectorises.
std::uint16_t to_u16(double x) {
  double y = x * 65535.0;
  y = y > 0.0 ? y : 0.0;
  y = y < 65535.0 ? y : 65535.0;
  return static_cast<std::uint16_t>(static_cast<std::int32_t>(y));
}

// floor(share * emission) in u64, saturating; 0 for NaN or below 1. The conversion truncates,
// which is floor for y >= 1 (std::floor is a library call without SSE4.1). Below 2^63 (every
// share of a real emission) a signed conversion, one instruction, after a select for the zeros.
std::uint64_t to_rao(double share, std::uint64_t emission) {
  const double y = share * static_cast<double>(emission);
  const double c = y >= 1.0 ? y : 0.0;
  if (c < 0x1p63) return static_cast<std::uint64_t>(static_cast<std::int64_t>(c));
  return c >= 18446744073709549568.0 ? UINT64_MAX : static_cast<std::uint64_t>(c);
}

// out[i] = to_u16(x[i]) for all i: a loop of its own, which the compiler vectorises.
void to_u16_all(const std::vector<double>& x, std::vector<std::uint16_t>& out) {
  out.resize(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = to_u16(x[i]);
}

// Zeroes rows [r0, r1) of `dst`. Eigen's loop over a block of rows becomes one memset call per
// column, a call for 64 bytes; a full block of kBlock rows is stored with a fixed count
// instead, which the compiler writes as a few vector stores.
void zero_rows(ColMajorArrayXXd& dst, Eigen::Index r0, Eigen::Index r1) {
  if (r1 - r0 != kBlock) {
    dst.middleRows(r0, r1 - r0).setZero();
    return;
  }
  const Eigen::Index ld = dst.rows();
  double* p = dst.data() + r0;
  for (Eigen::Index c = 0; c < dst.cols(); ++c, p += ld)
    for (Eigen::Index k = 0; k < kBlock; ++k) p[k] = 0.0;
}

class FloatBackend final : public EpochBackend {
 public:
  // normalize_in_gather: W row-normalised as its rows are gathered (the default), else by the
  // kernel (float_backend.hpp).
  explicit FloatBackend(bool normalize_in_gather) : normalize_in_gather_(normalize_in_gather) {}
  const char* name() const override { return "float"; }
  void run(const EpochParams& params, const EpochInput& in, EpochOutput& out) override;

 private:
  void stake_and_permits(const EpochParams& params, const EpochInput& in, EpochOutput& out);
  void build_dense(const EpochParams& params, const EpochInput& in, const EpochOutput& out);
  void fill_rows(const SparseRowsU16& rows, Eigen::Index r0, Eigen::Index r1, double scale,
                 bool normalize, ColMajorArrayXXd& dst);
  void normalize_rows(Eigen::Index r0, Eigen::Index r1);
  void per_uid_outputs(const EpochInput& in, EpochOutput& out);
  void sparse_outputs(const KernelParams& kp, const EpochInput& in, EpochOutput& out);
  bool mark_peek_hidden(const KernelParams& kp, const EpochInput& in);
  void exact_decayed_bond_columns(const EpochParams& params, const EpochInput& in);
  void exact_decayed_yuma3_bonds(const EpochParams& params, const KernelParams& kp);

  const bool normalize_in_gather_;
  bool w_normalized_ = false;  // this epoch's w_ is row-normalised (by build_dense)
  KernelWorkspace ws_;
  ColMajorArrayXXd w_, b_;
  ColMajorMaskXX present_;
  Eigen::ArrayXd a_rows_;
  std::vector<std::uint16_t> row_uid_;  // uid of each kernel row
  std::vector<std::uint16_t> col_uid_;  // uid of each kernel column
  std::vector<int> uid_col_;            // kernel column of each uid, -1 if none
  std::vector<std::uint64_t> w_row_sum_;  // sum of each kernel row's stored weights
  std::vector<std::uint64_t> stake_q32_;
  std::vector<std::uint64_t> permit_key_;  // (S << 16 | uid) of each uid, partially sorted
  ColMajorMaskXX peek_hidden_;
  std::vector<std::uint8_t> unsorted_row_;  // per kernel row: W̃ row not ascending (liquid)
  SparseRowU16 w_tilde_row_;
  // sparse_outputs: C and the ΔB column scale by uid.
  std::vector<double> uid_consensus_, uid_delta_scale_;
  // exact_decayed_bond_columns: per kernel column, whether it is one, and its I32F32 sums.
  std::vector<std::uint8_t> decayed_;
  std::vector<fixed::Raw> col_sum_, col_max_;
  struct FixedBond {
    Eigen::Index row, col;
    fixed::Raw value;
  };
  std::vector<FixedBond> fixed_bonds_;
};

// S = stake / Σ stake and A = S on active permitted uids, normalised (§3.2, §3.4), both on the
// chain's 2^-32 grid; next epoch's permits (§3.3) rank that same S, so uids whose stakes differ
// by less than the chain's resolution tie, and ties go to the lower uid as on chain.
void FloatBackend::stake_and_permits(const EpochParams& params, const EpochInput& in,
                                     EpochOutput& out) {
  const std::size_t n = in.n;
  // S and A are taken on the chain's 2^-32 grid (S = floor(stake 2^32 / Σ), A = S masked and
  // renormalised by truncating division), exactly representable in double. The kernel's median
  // then sums the very stakes the chain sums, so ties at minority = total - kappa and the
  // stored stake weights come out as on chain; everything downstream is plain double.
  U128 total = 0;
  for (auto s : in.stake_rao) total += s;
  out.stake.assign(n, 0.0);
  out.active_stake.assign(n, 0.0);
  stake_q32_.assign(n, 0);
  std::uint64_t active_total = 0;
  const fixed::ShareOf share_of_total(total);
  for (std::size_t i = 0; i < n; ++i) {
    if (total == 0) break;
    stake_q32_[i] = static_cast<std::uint64_t>(share_of_total(in.stake_rao[i]));
    out.stake[i] = static_cast<double>(stake_q32_[i]) * 0x1p-32;
    if (in.permit[i] && !in.inactive[i]) active_total += stake_q32_[i];
  }
  const fixed::ShareOf share_of_active(active_total);
  for (std::size_t i = 0; i < n && active_total > 0; ++i) {
    if (!in.permit[i] || in.inactive[i]) continue;
    out.active_stake[i] = static_cast<double>(share_of_active(stake_q32_[i])) * 0x1p-32;
  }

  out.new_permit.assign(n, false);
  std::size_t staked = 0;
  for (std::size_t i = 0; i < n; ++i) {
    out.new_permit[i] = stake_q32_[i] != 0;
    staked += stake_q32_[i] != 0 ? 1 : 0;
  }
  const std::size_t k = params.max_allowed_validators;
  // With at most k uids of nonzero S, the n - k smallest are all of S = 0 (permitless
  // already): no order is needed. A subnet's miners typically hold no stake.
  if (n >= k && staked > k) {
    // Ordered by (S, uid), a total order, the n - k smallest lose their permits. As one 64-bit
    // key (S <= 2^32 shifted past the 16 bits of the uid), the order is the keys' own: a
    // partial sort of the keys (nth_element, linear time) finds the smallest key kept, and
    // every uid below it loses its permit.
    permit_key_.resize(n);
    for (std::size_t i = 0; i < n; ++i) permit_key_[i] = stake_q32_[i] << 16 | i;
    const auto cut = permit_key_.begin() + static_cast<std::ptrdiff_t>(n - k);
    std::nth_element(permit_key_.begin(), cut, permit_key_.end());
    const std::uint64_t smallest_kept = *cut;
    for (std::size_t i = 0; i < n; ++i)
      if ((stake_q32_[i] << 16 | i) < smallest_kept) out.new_permit[i] = false;
  }
  if (in.owner_uid && *in.owner_uid < n) out.new_permit[*in.owner_uid] = true;
}

void FloatBackend::build_dense(const EpochParams& params, const EpochInput& in,
                               const EpochOutput& out) {
  const std::size_t n = in.n;
  row_uid_.clear();
  for (std::size_t i = 0; i < n; ++i) {
    if (in.permit[i] || !in.bonds[i].empty()) {
      row_uid_.push_back(static_cast<std::uint16_t>(i));
    }
  }
  // Columns: the uids some kernel row weights or bonds. Any other column has C = R = I = 0 and
  // no bonds under every variant, so it is left out, except where all of C matters (the
  // quantiles of liquid alpha v1) or n does (the legacy trust threshold).
  const bool all_columns =
      params.variant == Variant::kClassicLiquidV1 || params.variant == Variant::kLegacySigmoid;
  // A column kept that no row uses changes no result either (it adds exact zeros to every
  // sum), so each row contributes the span [lowest, highest] of its columns rather than each
  // column: a min/max pass instead of a store per entry. Spans are counted in a difference
  // array (+1 at the start, -1 past the end); a column is kept where the running count is > 0.
  // The same read of each weight row sums its values, for its normalisation (fill_rows).
  uid_col_.assign(n + 1, all_columns ? 1 : 0);
  w_row_sum_.assign(row_uid_.size(), 0);
  for (std::size_t r = 0; r < row_uid_.size(); ++r) {
    const SparseRowU16& w = in.weights[row_uid_[r]];
    const SparseRowU16& b = in.bonds[row_uid_[r]];
    if (all_columns) {
      w_row_sum_[r] = row_value_sum(w);
      continue;
    }
    std::uint16_t lo, hi;
    if (!w.empty()) {
      column_span_and_sum(w.data(), w.size(), lo, hi, w_row_sum_[r]);
      ++uid_col_[lo];
      --uid_col_[hi + 1u];
    }
    if (!b.empty()) {
      column_span(b.data(), b.size(), lo, hi);
      ++uid_col_[lo];
      --uid_col_[hi + 1u];
    }
  }
  col_uid_.clear();
  int open = 0;  // spans covering column j
  for (std::size_t j = 0; j < n; ++j) {
    open = all_columns ? 1 : open + uid_col_[j];
    if (open == 0) {
      uid_col_[j] = -1;
      continue;
    }
    uid_col_[j] = static_cast<int>(col_uid_.size());
    col_uid_.push_back(static_cast<std::uint16_t>(j));
  }
  uid_col_.resize(n);
  const auto v_rows = static_cast<Eigen::Index>(row_uid_.size());
  const auto m_cols = static_cast<Eigen::Index>(col_uid_.size());
  // Scattering sparse rows into column-major arrays writes with a stride of one column; when
  // that is a multiple of 128 bytes (V a multiple of 16, typical) every column maps onto the
  // same few L1 sets and each write misses. Two padding rows of zero stake, weights and bonds
  // (one packet: columns stay 16-byte aligned) make the stride a quarter line off, which
  // spreads the columns over every set, and change no result (they take no part in any
  // median, sum or EMA). The kernel does 2/V more work instead of 8/V.
  const Eigen::Index v_pad = v_rows >= 16 && v_rows % 16 == 0 ? v_rows + 2 : v_rows;
  const bool need_presence = params.variant == Variant::kYuma3Liquid;
  // Not zeroed as a whole: fill_rows writes every entry of a block (the gather, or zeros and
  // the scatter); the padding rows are zeroed here.
  w_.resize(v_pad, m_cols);
  b_.resize(v_pad, m_cols);
  w_.bottomRows(v_pad - v_rows).setZero();
  b_.bottomRows(v_pad - v_rows).setZero();
  if (need_presence) {
    present_.setZero(v_pad, m_cols);
  } else {
    present_.resize(0, 0);  // only liquid alpha reads it
  }
  a_rows_.setZero(v_pad);
  const double bond_scale = is_yuma3(params.variant) ? 1.0 / 65535.0 : 1.0;
  for (Eigen::Index r = 0; r < v_rows; ++r) a_rows_(r) = out.active_stake[row_uid_[r]];
  // W row-normalised here, a block of rows while it is in L1, for the kernel to read in place
  // (KernelParams::weights_normalized); the legacy sigmoid reads W raw. Padding rows: factor 1.
  const bool normalize = normalize_in_gather_ && params.variant != Variant::kLegacySigmoid;
  w_normalized_ = normalize;
  ws_.inv_row_sum.setOnes(v_pad);
  // Blocks of eight rows, one array at a time: the rows of a block write the same cache line
  // of each column one after the other, and a block's lines of one array fit in L1. Rows that
  // list the same columns (the usual case: validators weight and bond the same miners) are
  // written a column at a time, eight entries to one line.
  for (Eigen::Index r0 = 0; r0 < v_rows; r0 += kBlock) {
    const Eigen::Index r1 = std::min(r0 + kBlock, v_rows);
    fill_rows(in.weights, r0, r1, 1.0, normalize, w_);
    // Y3 divides by 65535 exactly where the chain truncates to I32F32: < 2^-32 apart.
    fill_rows(in.bonds, r0, r1, bond_scale, /*normalize=*/false, b_);
  }
  // The presence mask after the blocks, not with them: its rows' bytes lie a column apart, so
  // every row touches all of its lines, which stay in L1 only while nothing else streams by
  // (with the blocks, the W and B writes evicted them: three times slower).
  if (need_presence) {
    std::uint8_t* present = present_.data();
    const Eigen::Index ld = present_.rows();
    for (Eigen::Index r = 0; r < v_rows; ++r)
      for (const auto& e : in.weights[row_uid_[r]]) present[uid_col_[e.first] * ld + r] = 1;
  }
}

// Rows [r0, r1) of w_ (at most kBlock, as scattered: raw values) divided by their sums, as the
// kernel would: each sum over the columns (integer-valued doubles: exact in any order), the
// factor 1 / sum (1 for an all-zero row) into ws_.inv_row_sum, each entry times it. The same
// bits as the kernel's own normalisation.
void FloatBackend::normalize_rows(Eigen::Index r0, Eigen::Index r1) {
  const Eigen::Index rows = r1 - r0, m_cols = w_.cols(), ld = w_.rows();
  double sum[kBlock] = {}, inv[kBlock];
  double* base = w_.data() + r0;
  for (Eigen::Index c = 0; c < m_cols; ++c) {
    const double* col = base + c * ld;
    for (Eigen::Index r = 0; r < rows; ++r) sum[r] += col[r];
  }
  for (Eigen::Index r = 0; r < rows; ++r) {
    inv[r] = sum[r] > 0.0 ? 1.0 / sum[r] : 1.0;
    ws_.inv_row_sum(r0 + r) = inv[r];
  }
  for (Eigen::Index c = 0; c < m_cols; ++c) {
    double* col = base + c * ld;
    for (Eigen::Index r = 0; r < rows; ++r) col[r] *= inv[r];
  }
}

// Kernel rows [r0, r1) of `dst`, whatever they held, from `rows` (value * scale, zero where a
// row has no entry); with `normalize` (the weights), value / its row's sum instead, each row's
// factor into ws_.inv_row_sum, as the kernel would normalise W (KernelParams::
// weights_normalized). A block of rows listing kernel columns in order, each missing its own
// few (every block of a simulation and of the chain's sorted rows) is written eight columns at
// a time (row_block.hpp), each row times its factor, the sum of its entries being its dense
// row's; any other block is zeroed, then scattered entry by entry and normalised after.
void FloatBackend::fill_rows(const SparseRowsU16& rows, Eigen::Index r0, Eigen::Index r1,
                             double scale, bool normalize, ColMajorArrayXXd& dst) {
  if (r1 - r0 == kBlock) {
    const EntryU16* src[kBlock];
    std::size_t size[kBlock];
    double factor[kBlock];
    for (Eigen::Index r = 0; r < kBlock; ++r) {
      const SparseRowU16& row = rows[row_uid_[r0 + r]];
      src[r] = row.data();
      size[r] = row.size();
      factor[r] = scale;
      if (normalize) {
        const std::uint64_t sum = w_row_sum_[static_cast<std::size_t>(r0 + r)];  // exact
        factor[r] = sum > 0 ? 1.0 / static_cast<double>(sum) : 1.0;
      }
    }
    if (gather_sorted_rows8(src, size, col_uid_.data(), col_uid_.size(), factor, dst.data(),
                            dst.rows(), static_cast<std::size_t>(r0))) {
      if (normalize)
        for (Eigen::Index r = 0; r < kBlock; ++r) ws_.inv_row_sum(r0 + r) = factor[r];
      return;
    }
  }
  // Whatever the gather wrote is zeroed here.
  zero_rows(dst, r0, r1);
  const double entry_scale = normalize ? 1.0 : scale;
  for (Eigen::Index r = r0; r < r1; ++r)
    for (const auto& [j, v] : rows[row_uid_[r]]) dst(r, uid_col_[j]) = v * entry_scale;
  if (normalize) normalize_rows(r0, r1);
}

// Per-uid vectors, emission shares with the zero-sum fallbacks of §3.10, rao and u16 outputs.
void FloatBackend::per_uid_outputs(const EpochInput& in, EpochOutput& out) {
  const std::size_t n = in.n;
  out.consensus.assign(n, 0.0);
  out.incentive.assign(n, 0.0);
  for (std::size_t c = 0; c < col_uid_.size(); ++c) {
    out.consensus[col_uid_[c]] = ws_.consensus(static_cast<Eigen::Index>(c));
    out.incentive[col_uid_[c]] = ws_.incentive(static_cast<Eigen::Index>(c));
  }
  out.validator_trust.assign(n, 0.0);
  out.dividends.assign(n, 0.0);
  for (std::size_t r = 0; r < row_uid_.size(); ++r) {
    out.validator_trust[row_uid_[r]] = ws_.validator_trust(static_cast<Eigen::Index>(r));
    out.dividends[row_uid_[r]] = ws_.dividends(static_cast<Eigen::Index>(r));
  }
  double total = 0.0;
  for (std::size_t i = 0; i < n; ++i) total += out.incentive[i] + out.dividends[i];
  out.server_share.assign(n, 0.0);
  out.validator_share.assign(n, 0.0);
  out.combined_share.assign(n, 0.0);
  if (total > 0.0) {
    for (std::size_t i = 0; i < n; ++i) {
      out.server_share[i] = out.incentive[i] / total;
      out.validator_share[i] = out.dividends[i] / total;
      out.combined_share[i] = (out.incentive[i] + out.dividends[i]) / total;
    }
  } else {
    // No usable weights anywhere: validators are paid by stake (active if any, else all).
    const double active = std::accumulate(out.active_stake.begin(), out.active_stake.end(), 0.0);
    out.validator_share = active == 0.0 ? out.stake : out.active_stake;
    out.combined_share = out.validator_share;
  }
  const std::uint64_t e = in.rao_emission;
  out.emission_rao.resize(n);
  out.server_emission_rao.resize(n);
  out.validator_emission_rao.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    out.emission_rao[i] = to_rao(out.combined_share[i], e);
    out.server_emission_rao[i] = to_rao(out.server_share[i], e);
    out.validator_emission_rao[i] = to_rao(out.validator_share[i], e);
  }
  to_u16_all(out.consensus, out.consensus_u16);
  to_u16_all(out.incentive, out.incentive_u16);
  to_u16_all(out.dividends, out.dividends_u16);
  to_u16_all(out.validator_trust, out.validator_trust_u16);
  to_u16_all(out.stake, out.stake_weight_u16);
}

// New bond rows (new-permit holders only, ascending column, entries > 0), normalised weights in
// stored order, and the classic ΔB rows as the chain's sparse W̃ holds them. W and ΔB are
// recomputed with the kernel's own arithmetic (W = raw * 1/rowsum, ΔB = A W̃ * delta_scale)
// rather than looked up at random in column-major arrays; the bonds are read along each row,
// whose lines the previous row has just brought into L1. Rows are sized once (a no-op when the
// size is unchanged) and written through pointers, then cut to the entries kept: no per-entry
// capacity checks.
void FloatBackend::sparse_outputs(const KernelParams& kp, const EpochInput& in, EpochOutput& out) {
  const std::size_t n = in.n;
  out.new_bonds.resize(n);
  const bool matrices = in.record_matrices;
  out.weights_normalized.resize(matrices ? n : 0);
  out.delta_bonds_normalized.resize(matrices ? n : 0);
  // Rows of uids outside the kernel are empty.
  for (std::size_t uid = 0, r = 0; uid < n; ++uid) {
    if (r < row_uid_.size() && row_uid_[r] == uid) {
      ++r;
      continue;
    }
    out.new_bonds[uid].clear();
    if (!matrices) continue;
    out.weights_normalized[uid].clear();
    out.delta_bonds_normalized[uid].clear();
  }
  const auto v_rows = static_cast<Eigen::Index>(row_uid_.size());
  const auto m_cols = static_cast<Eigen::Index>(col_uid_.size());
  // Row by row, each written straight through: consecutive rows read the same cache line of
  // each column, which stays in L1 from one row to the next.
  const Eigen::Index ld = ws_.bonds.rows();
  const double* bonds = ws_.bonds.data();
  auto fill_row = [&](Eigen::Index r) {
    auto& row = out.new_bonds[row_uid_[r]];
    row.resize(static_cast<std::size_t>(m_cols));
    auto* p = row.data();
    const double* x = bonds + r;
    for (Eigen::Index c = 0; c < m_cols; ++c) {
      const double v = x[c * ld];
      *p = {col_uid_[c], to_u16(v)};
      p += v > 0.0;
    }
    row.resize(static_cast<std::size_t>(p - row.data()));
  };
  // Eight rows at a time when all eight are emitted: each column's eight entries are one cache
  // line, read once; eight columns at a time are transposed in registers (row_block.hpp).
  auto fill_block = [&](Eigen::Index r0) {
    std::pair<std::uint16_t, std::uint16_t>* p[kBlock];
    for (Eigen::Index r = 0; r < kBlock; ++r) {
      auto& row = out.new_bonds[row_uid_[r0 + r]];
      row.resize(static_cast<std::size_t>(m_cols));
      p[r] = row.data();
    }
    const auto done = static_cast<Eigen::Index>(
        emit_bond_rows8(bonds, ld, static_cast<std::size_t>(r0), static_cast<std::size_t>(m_cols),
                        col_uid_.data(), p));
    for (Eigen::Index c = done; c < m_cols; ++c) {
      const double* x = bonds + c * ld + r0;
      const std::uint16_t col = col_uid_[c];
      for (Eigen::Index r = 0; r < kBlock; ++r) {
        const double v = x[r];
        *p[r] = {col, to_u16(v)};
        p[r] += v > 0.0;
      }
    }
    for (Eigen::Index r = 0; r < kBlock; ++r) {
      auto& row = out.new_bonds[row_uid_[r0 + r]];
      row.resize(static_cast<std::size_t>(p[r] - row.data()));
    }
  };
  auto emitted = [&](Eigen::Index r) { return out.new_permit[row_uid_[r]] && !unsorted_row_[r]; };
  for (Eigen::Index r = 0; r < v_rows;) {
    if (r + kBlock <= v_rows) {
      bool all = true;
      for (Eigen::Index k = r; k < r + kBlock; ++k) all = all && emitted(k);
      if (all) {
        fill_block(r);
        r += kBlock;
        continue;
      }
    }
    if (!emitted(r)) {
      out.new_bonds[row_uid_[r]].clear();
    } else {
      fill_row(r);
    }
    ++r;
  }
  // The chain emits a liquid-alpha bond row in W̃'s order; keep it for unsorted rows so that
  // the next epoch's peek merge over the stored bonds sees what the chain's would.
  for (Eigen::Index r = 0; r < v_rows; ++r) {
    const std::uint16_t uid = row_uid_[r];
    if (!unsorted_row_[r] || !out.new_permit[uid]) continue;
    for (const auto& e : in.weights[uid]) {
      const double x = ws_.bonds(r, uid_col_[e.first]);
      if (x > 0.0) out.new_bonds[uid].emplace_back(e.first, to_u16(x));
    }
  }
  if (!matrices) return;
  const bool with_delta = ws_.delta_scale.size() > 0;
  const bool stored_order =
      kp.variant == Variant::kLegacySigmoid || kp.bonds_penalty == 0.0 || kp.bonds_penalty == 1.0;
  // W̃ from W and C as interpolated_weight computes it, by case (spec §3.7); a local copy of
  // the parameters, which the row stores below cannot alias.
  const bool clips = kp.variant != Variant::kLegacySigmoid && kp.bonds_penalty == 1.0;
  const KernelParams kpl = kp;
  if (with_delta) {
    // C and the ΔB column scale by uid: one lookup per entry instead of two dependent ones.
    uid_consensus_.assign(n, 0.0);
    uid_delta_scale_.assign(n, 0.0);
    for (Eigen::Index c = 0; c < m_cols; ++c) {
      uid_consensus_[col_uid_[c]] = ws_.consensus(c);
      uid_delta_scale_[col_uid_[c]] = ws_.delta_scale(c);
    }
  }
  for (Eigen::Index r = 0; r < v_rows; ++r) {
    const std::uint16_t uid = row_uid_[r];
    const double inv = ws_.inv_row_sum(r), a = a_rows_(r);
    const SparseRowU16& src = in.weights[uid];
    const std::size_t size = src.size();
    auto& w_row = out.weights_normalized[uid];
    auto& d_row = out.delta_bonds_normalized[uid];
    w_row.resize(size);
    auto* wp = w_row.data();
    if (!with_delta) {
      d_row.clear();
      for (std::size_t k = 0; k < size; ++k) wp[k] = {src[k].first, src[k].second * inv};
      continue;
    }
    d_row.resize(size);
    auto* dp = d_row.data();
    std::size_t kept = 0;
    if (stored_order && clips) {
      // W̃ = W̄ (beta = 1): stored order, minus the entries clipping deleted (W > C == 0).
      for (std::size_t k = 0; k < size; ++k) {
        const auto [j, v] = src[k];
        const double w = v * inv, c = uid_consensus_[j];
        wp[k] = {j, w};
        if (c == 0.0 && w > c) continue;
        dp[kept++] = {j, (a * (w < c ? w : c)) * uid_delta_scale_[j]};
      }
      d_row.resize(kept);
    } else if (stored_order) {
      // W̃ = W (beta = 0, or no clipping in the legacy era): stored order, every entry.
      for (std::size_t k = 0; k < size; ++k) {
        const auto [j, v] = src[k];
        const double w = v * inv;
        wp[k] = {j, w};
        dp[k] = {j, (a * w) * uid_delta_scale_[j]};
      }
    } else {
      // Rebuilt dense by the chain: ascending columns, entries with W̃ > 0.
      for (std::size_t k = 0; k < size; ++k) {
        const auto [j, v] = src[k];
        const double w = v * inv;
        wp[k] = {j, w};
        const double wt = interpolated_weight(w, uid_consensus_[j], kpl);
        if (wt > 0.0) dp[kept++] = {j, (a * wt) * uid_delta_scale_[j]};
      }
      d_row.resize(kept);
      std::sort(d_row.begin(), d_row.end());
    }
  }
}

// Marks with `flag` the entries of `row` that the chain's peek merge never reads: walking
// j = 0..n-1 it skips entries with a smaller column and reads the next only if it equals j.
void mark_unseen(const SparseRowU16& row, std::size_t n, Eigen::Index r, int flag,
                 const std::vector<int>& uid_col, ColMajorMaskXX& hidden) {
  const auto set = static_cast<std::uint8_t>(flag), keep = static_cast<std::uint8_t>(~flag);
  for (const auto& e : row) hidden(r, uid_col[e.first]) |= set;  // hidden unless read below
  std::size_t p = 0;
  for (std::size_t j = 0; j < n; ++j) {
    while (p < row.size() && row[p].first < j) ++p;
    if (p < row.size() && row[p].first == j) hidden(r, uid_col[j]) &= keep;
  }
}

// Y3 liquid with an unsorted weight or bond row: marks what the chain's alpha cannot see.
// W̃'s rows are the stored weight rows (beta 0), minus the entries clipping deleted (beta 1),
// or rebuilt ascending (other beta: nothing hidden). Returns whether anything is hidden.
bool FloatBackend::mark_peek_hidden(const KernelParams& kp, const EpochInput& in) {
  const bool stored_order = kp.bonds_penalty == 0.0 || kp.bonds_penalty == 1.0;
  const auto v_rows = static_cast<Eigen::Index>(row_uid_.size());
  unsorted_row_.assign(row_uid_.size(), 0);
  bool any = false;
  for (Eigen::Index r = 0; r < v_rows; ++r) {
    const std::uint16_t uid = row_uid_[r];
    const bool w_unsorted = stored_order && !columns_ascending(in.weights[uid]);
    unsorted_row_[r] = w_unsorted;
    any = any || w_unsorted || !columns_ascending(in.bonds[uid]);
  }
  if (!any) return false;
  peek_hidden_.setZero(w_.rows(), w_.cols());
  for (Eigen::Index r = 0; r < v_rows; ++r) {
    const std::uint16_t uid = row_uid_[r];
    if (unsorted_row_[r]) {
      w_tilde_row_.clear();
      const double inv = ws_.inv_row_sum(r);
      for (const auto& e : in.weights[uid]) {
        const double c = ws_.consensus(uid_col_[e.first]);
        if (kp.bonds_penalty == 1.0 && c == 0.0 && e.second * inv > c) continue;  // deleted
        w_tilde_row_.push_back(e);
      }
      mark_unseen(w_tilde_row_, in.n, r, kHiddenWeight, uid_col_, peek_hidden_);
    }
    if (!columns_ascending(in.bonds[uid]))
      mark_unseen(in.bonds[uid], in.n, r, kHiddenBond, uid_col_, peek_hidden_);
  }
  return true;
}

// Classic bonds of a column that no instant bond reaches (Σ_i A_i W̃_ij = 0: no validator with
// active stake weights j after clipping, e.g. C_j = 0) are the stored ones decayed:
// EMA = (1 - alpha) colnorm(B). The chain stores them through truncating I32F32 steps (colnorm,
// EMA, colnorm, max-upscale, u16) that leave an entry at k or k - 1 depending on k and its
// column; doubles cannot follow that, and a bond at k/65535 drifted one unit an epoch where the
// chain's stays (tests/data/conformance/float_classic_bond_drift.json). Such a column depends on
// its stored u16 entries alone, so its stored values are computed here with the chain's
// arithmetic (fixed_point.hpp, as the exact backend does) and put in ws_.bonds as doubles that
// to_u16 maps back to them. Fixed alpha only; rows must list columns ascending
// (the chain's merge; anything else keeps the float values). No such column: one pass over C's
// columns.
void FloatBackend::exact_decayed_bond_columns(const EpochParams& params, const EpochInput& in) {
  const auto m_cols = static_cast<Eigen::Index>(col_uid_.size());
  const auto v_rows = static_cast<Eigen::Index>(row_uid_.size());
  decayed_.assign(static_cast<std::size_t>(m_cols), 0);
  bool any = false;
  for (Eigen::Index c = 0; c < m_cols; ++c) {
    const bool d = ws_.delta_scale(c) == 0.0;
    decayed_[static_cast<std::size_t>(c)] = d;
    any = any || d;
  }
  if (!any) return;
  auto col_of = [&](std::uint16_t j) -> Eigen::Index {
    if (j >= in.n) return -1;
    const int c = uid_col_[j];
    return c >= 0 && decayed_[static_cast<std::size_t>(c)] ? c : -1;
  };
  col_sum_.assign(static_cast<std::size_t>(m_cols), 0);
  for (Eigen::Index r = 0; r < v_rows; ++r) {
    const SparseRowU16& row = in.bonds[row_uid_[r]];
    if (!columns_ascending(row)) return;
    for (const auto& [j, k] : row)
      if (const Eigen::Index c = col_of(j); c >= 0)
        col_sum_[static_cast<std::size_t>(c)] =
            fixed::sat_add(col_sum_[static_cast<std::size_t>(c)], fixed::u16_to_fixed(k));
  }
  const fixed::Raw keep =
      fixed::sat_sub(fixed::kOne, fixed::ema_alpha_from_ppm(params.bonds_moving_average_ppm));
  // A zero divisor leaves the value as it is (the chain's column division skips it).
  auto divide = [](fixed::Raw x, fixed::Raw d) { return d != 0 ? fixed::safe_div(x, d) : x; };
  fixed_bonds_.clear();
  for (Eigen::Index r = 0; r < v_rows; ++r)
    for (const auto& [j, k] : in.bonds[row_uid_[r]])
      if (const Eigen::Index c = col_of(j); c >= 0) {
        const fixed::Raw b = divide(fixed::u16_to_fixed(k), col_sum_[static_cast<std::size_t>(c)]);
        const fixed::Raw ema = fixed::sat_add(0, fixed::mul(keep, b));
        if (ema > 0) fixed_bonds_.push_back({r, c, ema});  // the chain keeps entries > 0
      }
  col_sum_.assign(static_cast<std::size_t>(m_cols), 0);
  col_max_.assign(static_cast<std::size_t>(m_cols), 0);
  for (const FixedBond& e : fixed_bonds_) {
    auto& s = col_sum_[static_cast<std::size_t>(e.col)];
    s = fixed::sat_add(s, e.value);
  }
  for (FixedBond& e : fixed_bonds_) {
    e.value = divide(e.value, col_sum_[static_cast<std::size_t>(e.col)]);
    auto& m = col_max_[static_cast<std::size_t>(e.col)];
    m = std::max(m, e.value);
  }
  for (Eigen::Index c = 0; c < m_cols; ++c)
    if (decayed_[static_cast<std::size_t>(c)]) ws_.bonds.col(c).setZero();
  for (const FixedBond& e : fixed_bonds_) {
    const std::uint16_t stored =
        fixed::fixed_proportion_to_u16(divide(e.value, col_max_[static_cast<std::size_t>(e.col)]));
    // to_u16 of (s + 0.5) / 65535 is s, and of 1 is 65535; an entry stored as 0 stays an entry
    // (> 0), as on chain.
    ws_.bonds(e.row, e.col) = stored == 65535 ? 1.0 : (stored + 0.5) / 65535.0;
  }
}

// Yuma 3 bonds (fixed alpha) that no instant bond reaches (W̃_ij = 0: no weight on j, or C_j = 0
// with beta = 1) are the stored ones decayed, EMA = (1 - alpha) Bd, which the chain computes
// through truncating I32F32 steps (Bd = u16/65535, the product, floor(x * 65535)): 1310 decays
// to 1178 where doubles give 1179, and a bond a unit apart moves the dividends of later epochs
// beyond the conformance bound on rao. Each such entry depends on its stored u16 alone, so its
// stored value is computed with the chain's arithmetic (as the exact backend does) and put in
// ws_.bonds as a double that to_u16 maps back to it. Entries W̃ reaches keep their float value.
// Only with EpochParams::chain_decay_rounding (conform): a simulation's noisy validators leave
// ~10% of entries decaying, and this took 6% of network-year's time.
void FloatBackend::exact_decayed_yuma3_bonds(const EpochParams& params, const KernelParams& kp) {
  const fixed::Raw keep =
      fixed::sat_sub(fixed::kOne, fixed::ema_alpha_from_ppm(params.bonds_moving_average_ppm));
  const bool beta1 = kp.bonds_penalty == 1.0;
  const auto v_rows = static_cast<Eigen::Index>(row_uid_.size());
  for (Eigen::Index c = 0; c < ws_.bonds.cols(); ++c) {
    const bool unreached = beta1 && ws_.consensus(c) == 0.0;
    const double* w = w_.col(c).data();
    const double* b = b_.col(c).data();
    double* out = ws_.bonds.col(c).data();
    for (Eigen::Index r = 0; r < v_rows; ++r) {
      if (!(b[r] > 0.0) || !(unreached || w[r] == 0.0)) continue;
      const auto k = static_cast<std::uint16_t>(b[r] * 65535.0 + 0.5);  // b_ = u16/65535
      const fixed::Raw ema = fixed::sat_add(0, fixed::mul(keep, fixed::u16_proportion_to_fixed(k)));
      const std::uint16_t stored = fixed::fixed_proportion_to_u16(ema);
      // The chain keeps entries > 0 (an entry stored as 0 stays one, as (0 + 0.5) / 65535 does).
      out[r] = ema <= 0 ? 0.0 : stored == 65535 ? 1.0 : (stored + 0.5) / 65535.0;
    }
  }
}

void FloatBackend::run(const EpochParams& params, const EpochInput& in, EpochOutput& out) {
  stake_and_permits(params, in, out);
  build_dense(params, in, out);
  KernelParams kp = KernelParams::from_epoch_params(params);
  kp.record_delta = false;  // sparse_outputs recomputes the entries it needs
  kp.record_weights = false;
  kp.weights_normalized = w_normalized_;  // by build_dense
  run_epoch_kernel(kp, a_rows_, w_, present_, b_, ws_);
  unsorted_row_.assign(row_uid_.size(), 0);
  // Rare: an unsorted row under liquid alpha. The hidden entries depend on C (clipping), so
  // the kernel runs again once they are known.
  if (ws_.liquid_alpha_applied && params.variant == Variant::kYuma3Liquid &&
      mark_peek_hidden(kp, in))
    run_epoch_kernel(kp, a_rows_, w_, present_, b_, ws_, &peek_hidden_);
  if (params.variant == Variant::kClassic) exact_decayed_bond_columns(params, in);
  if (params.chain_decay_rounding && is_yuma3(params.variant) && !ws_.liquid_alpha_applied)
    exact_decayed_yuma3_bonds(params, kp);
  per_uid_outputs(in, out);
  sparse_outputs(kp, in, out);
}

}  // namespace

std::unique_ptr<EpochBackend> make_float_backend() { return std::make_unique<FloatBackend>(true); }

std::unique_ptr<EpochBackend> make_float_backend_normalizing_in_kernel() {
  return std::make_unique<FloatBackend>(false);
}

}  // namespace subnetsim::consensus
