// Chain-side epoch driver (see epoch_driver.hpp): masks, persistence, set_weights, replacement.
#include "subnetsim/chain/epoch_driver.hpp"

#include <algorithm>
#include <cstdint>
#include <tuple>
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__AVX2__)
#include <immintrin.h>
#define SUBNETSIM_DRIVER_AVX2 1
#endif

#include "subnetsim/consensus/fixed_point.hpp"
#include "subnetsim/consensus/sparse_row.hpp"

namespace subnetsim::chain {

std::uint64_t activity_cutoff_blocks(const ChainEpochParams& params) {
  if (params.legacy_activity_cutoff_blocks) return *params.legacy_activity_cutoff_blocks;
  const std::uint64_t blocks =
      std::uint64_t{params.activity_cutoff_factor_milli} * params.tempo / 1000;
  return std::max<std::uint64_t>(1, blocks);
}

std::uint64_t bond_mask_last_tempo(const SubnetState& state, const ChainEpochParams& params,
                                   std::uint64_t block) {
  if (state.last_mechanism_step_block == 0) return block > params.tempo ? block - params.tempo : 0;
  return state.last_mechanism_step_block + 1;
}

std::vector<std::uint16_t> upscale_weights(std::span<const std::uint16_t> values) {
  std::vector<std::uint16_t> out(values.size());
  consensus::fixed::u16_max_upscale_to_u16(values, out);
  return out;
}

void set_weights(SubnetState& state, std::uint16_t uid, std::span<const std::uint16_t> uids,
                 std::span<const std::uint16_t> values, std::uint64_t block) {
  reveal_weights(state, uid, uids, values);
  state.last_update[uid] = block;
}

void reveal_weights(SubnetState& state, std::uint16_t uid, std::span<const std::uint16_t> uids,
                    std::span<const std::uint16_t> values) {
  const std::size_t count = std::min(uids.size(), values.size());
  auto& row = state.weights[uid];
  row.resize(count);
  // A row whose largest value is 65535 (or all 0) is stored as submitted (the chain's ratio is
  // exactly 1): simulated validators submit rows scaled so, and need no upscaled copy.
  std::uint16_t max = 0;
  for (std::uint16_t v : values) max = v > max ? v : max;
  if (max == 65535 || max == 0) {
    for (std::size_t k = 0; k < count; ++k) row[k] = {uids[k], values[k]};
  } else {
    const std::vector<std::uint16_t> stored = upscale_weights(values);
    for (std::size_t k = 0; k < count; ++k) row[k] = {uids[k], stored[k]};
  }
}

void replace_neuron(SubnetState& state, std::uint16_t uid, std::uint64_t block,
                    std::uint64_t new_stake_rao) {
  state.block_at_registration[uid] = block;
  state.last_update[uid] = block;
  state.weights[uid].clear();
  state.bonds[uid].clear();
  for (std::size_t i = 0; i < state.n; ++i) {
    if (i == uid) continue;
    for (auto& [j, v] : state.weights[i])
      if (j == uid) v = 0;  // the entry survives as an explicit zero
  }
  state.validator_permit[uid] = false;
  state.earliest_commit_block[uid] = kNoCommit;
  state.stake_rao[uid] = new_stake_rao;
  state.consensus_u16[uid] = state.incentive_u16[uid] = state.dividends_u16[uid] = 0;
  state.validator_trust_u16[uid] = state.stake_weight_u16[uid] = 0;
  state.emission_rao[uid] = state.server_emission_rao[uid] = state.validator_emission_rao[uid] = 0;
}

bool reset_bonds_column(SubnetState& state, const ChainEpochParams& params, std::uint16_t uid) {
  if (!params.bonds_reset_enabled) return false;
  for (auto& row : state.bonds) std::erase_if(row, [uid](const auto& e) { return e.first == uid; });
  return true;
}

std::optional<Replacement> choose_uid_to_replace(const SubnetState& state, std::uint64_t block,
                                                 std::uint64_t immunity_period,
                                                   std::size_t min_non_immune_uids,
                                                   std::span<const std::uint16_t> immortal) {
  using Key = std::tuple<std::uint64_t, std::uint64_t, std::uint16_t>;
  std::optional<Key> best_immune, best_free;
  std::size_t free_count = 0;
  for (std::size_t u = 0; u < state.n; ++u) {
    const auto uid = static_cast<std::uint16_t>(u);
    if (std::find(immortal.begin(), immortal.end(), uid) != immortal.end()) continue;
    const std::uint64_t reg = state.block_at_registration[u];
    const bool immune = block - std::min(block, reg) < immunity_period;
    const Key key{state.emission_rao[u], reg, uid};
    auto& best = immune ? best_immune : best_free;
    if (!best || key < *best) best = key;
    if (!immune) ++free_count;
  }
  // At most min_non_immune_uids outside immunity: only an immune uid may go, and with none the
  // registration fails (the chain's best_immune.map(..)), however many non-immune uids there are.
  const std::optional<Key>& pick = free_count > min_non_immune_uids ? best_free : best_immune;
  if (!pick) return std::nullopt;
  return Replacement{std::get<2>(*pick), free_count > min_non_immune_uids, free_count};
}

namespace {
// Whether no entry of `row` has a column >= n or == skip (SIZE_MAX: none). In 32-bit lanes, so
// that the loop vectorises (a column is a u16; 0x10000 matches none).
#if defined(SUBNETSIM_DRIVER_AVX2)
// Eight entries a step (an entry is one 32-bit word, the column in its low half); returns how
// many leading entries it checked, and sets `bad` if one of them is dropped. Compares the same
// columns with the same bounds as the plain loop, so the verdict is the same.
__attribute__((target("avx2"))) std::size_t drops_some_avx2(const consensus::SparseRowU16& row,
                                                            std::uint32_t limit,
                                                            std::uint32_t other, bool& bad) {
  static_assert(sizeof(row[0]) == 4, "an entry is one 32-bit word, column first");
  const __m256i low = _mm256_set1_epi32(0xFFFF),
                last_ok = _mm256_set1_epi32(static_cast<int>(limit) - 1);
  const __m256i skip = _mm256_set1_epi32(static_cast<int>(other));
  __m256i acc = _mm256_setzero_si256();
  std::size_t k = 0;
  for (; k + 8 <= row.size(); k += 8) {
    const __m256i cols =
        _mm256_and_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(row.data() + k)), low);
    acc = _mm256_or_si256(
        acc, _mm256_or_si256(_mm256_cmpgt_epi32(cols, last_ok), _mm256_cmpeq_epi32(cols, skip)));
  }
  bad = !_mm256_testz_si256(acc, acc);
  return k;
}

bool driver_avx2_available() {
  static const bool ok = __builtin_cpu_supports("avx2");
  return ok;
}
#endif

bool drops_none(const consensus::SparseRowU16& row, std::size_t n, std::size_t skip) {
  const auto limit = static_cast<std::uint32_t>(std::min<std::size_t>(n, 0x10000));
  const auto other = static_cast<std::uint32_t>(std::min<std::size_t>(skip, 0x10000));
  std::size_t k = 0;
  std::uint32_t bad = 0;
#if defined(SUBNETSIM_DRIVER_AVX2)
  // Every row of every epoch passes here (4.7% of a network's time in the SSE2 loop).
  if (limit > 0 && driver_avx2_available()) {
    bool some = false;
    k = drops_some_avx2(row, limit, other, some);
    if (some) return false;
  }
#endif
  for (; k < row.size(); ++k) {
    const std::uint32_t j = row[k].first;
    bad |= static_cast<std::uint32_t>(j >= limit) | static_cast<std::uint32_t>(j == other);
  }
  return bad == 0;
}
}  // namespace

void EpochDriver::build_input(const SubnetState& state, const ChainEpochParams& params,
                              std::uint64_t block, std::uint64_t rao_emission) {
  build_input(state, nullptr, params, block, rao_emission);
}

void EpochDriver::build_input(const SubnetState& state, SubnetState* lender,
                              const ChainEpochParams& params, std::uint64_t block,
                              std::uint64_t rao_emission) {
  lent_weights_.clear();
  lent_bonds_.clear();
  const std::size_t n = state.n;
  consensus::EpochInput& in = input_;
  in.n = n;
  in.rao_emission = rao_emission;
  in.record_matrices = params.record_matrices;
  in.owner_uid = params.subnet_owner_uid;
  // SIZE_MAX when there is no owner: never equal to a uid.
  const std::size_t owner = params.subnet_owner_uid ? *params.subnet_owner_uid : SIZE_MAX;

  // §3.1 activity and §3.2 the stake threshold (owner exempt); stakes are integer rao here.
  const std::uint64_t cutoff = activity_cutoff_blocks(params);
  in.inactive.assign(n, false);
  in.stake_rao.assign(n, 0);
  in.permit.assign(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t lu = state.last_update[i];
    const std::uint64_t reach = lu > UINT64_MAX - cutoff ? UINT64_MAX : lu + cutoff;
    in.inactive[i] = reach < block;
    const bool exempt = owner == i;
    in.stake_rao[i] =
        (!exempt && state.stake_rao[i] < params.stake_threshold) ? 0 : state.stake_rao[i];
    in.permit[i] = state.validator_permit[i] || owner == i;
  }

  // Rows are copied with every entry written and the cursor advanced only for the kept ones:
  // no per-entry capacity check or branch (rows are full-length in a busy subnet). A column
  // index >= n is dropped; it reads the registration block of uid 0 meanwhile, harmlessly.
  const std::uint64_t* reg = state.block_at_registration.data();
  // The newest registration: a row updated after it (and committed before none) has no entry
  // that the outdated or commit masks drop, so it skips those lookups (the common case).
  std::uint64_t newest_reg = 0;
  for (std::size_t j = 0; j < n; ++j) newest_reg = std::max(newest_reg, reg[j]);

  // §3.5 weights: permit rows, diagonal (owner self-weight kept), outdated, commit-reveal.
  in.weights.resize(n);
  // The stored rows are read cold in a network (its other subnets' epochs ran since): each row
  // is fetched kRowsAhead rows before it is read.
  constexpr std::size_t kRowsAhead = 2;
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kRowsAhead < n && in.permit[i + kRowsAhead])
      consensus::prefetch_row(state.weights[i + kRowsAhead]);
    auto& row = in.weights[i];
    if (!in.permit[i]) {
      row.clear();
      continue;
    }
    const auto& src = state.weights[i];
    const std::uint64_t lu = state.last_update[i];
    const std::uint64_t commit = state.earliest_commit_block[i];
    // The commit mask drops j when commit < reg[j]; without commit-reveal (or a commit) no
    // registration block is below this bound.
    const std::uint64_t commit_bound =
        params.commit_reveal_enabled && commit != kNoCommit ? commit : UINT64_MAX;
    // The diagonal is masked unless i is the owner: then no column equals this one.
    const std::size_t diagonal = owner == i ? SIZE_MAX : i;
    if (lu > newest_reg && commit_bound >= newest_reg) {
      // Only the diagonal or a uid >= n could go: when neither is there, borrow the row.
      if (lender != nullptr && drops_none(src, n, diagonal)) {
        row.swap(lender->weights[i]);
        lent_weights_.push_back(i);
        continue;
      }
      // Sized only when copied: a lent row would have been zero-filled for nothing.
      row.resize(src.size());
      auto* out = row.data();
      for (const auto& [j, v] : src) {
        *out = {j, v};
        out += (j < n) & (j != diagonal);
      }
      row.resize(static_cast<std::size_t>(out - row.data()));
    } else {
      row.resize(src.size());
      auto* out = row.data();
      for (const auto& [j, v] : src) {
        const std::uint64_t r = reg[j < n ? j : 0];
        *out = {j, v};
        out += (j < n) & (j != diagonal) & (lu > r) & !(commit_bound < r);
      }
      row.resize(static_cast<std::size_t>(out - row.data()));
    }
  }

  // §3.8 bond mask: drop columns of uids registered at or after last_tempo.
  const std::uint64_t last_tempo = bond_mask_last_tempo(state, params, block);
  in.bonds.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kRowsAhead < n) consensus::prefetch_row(state.bonds[i + kRowsAhead]);
    auto& row = in.bonds[i];
    const auto& src = state.bonds[i];
    const bool masked = !(newest_reg < last_tempo);
    // Nothing is masked (stored columns are < n): borrow the row.
    if (!masked && lender != nullptr && drops_none(src, n, SIZE_MAX)) {
      row.swap(lender->bonds[i]);
      lent_bonds_.push_back(i);
      continue;
    }
    row.resize(src.size());
    auto* out = row.data();
    if (!masked) {
      for (const auto& [j, v] : src) {
        *out = {j, v};
        out += j < n;
      }
    } else {
      for (const auto& [j, v] : src) {
        *out = {j, v};
        out += (j < n) & (reg[j < n ? j : 0] < last_tempo);
      }
    }
    row.resize(static_cast<std::size_t>(out - row.data()));
  }
}

void EpochDriver::begin(SubnetState& state, const ChainEpochParams& params, std::uint64_t block,
                        std::uint64_t rao_emission) {
  // Rows that no mask touches are lent to the input instead of copied, for the backend's call
  // only: finish() (or abandon()) gives them back.
  build_input(state, &state, params, block, rao_emission);
  epoch_params_ = params.epoch;
  block_ = block;
  min_permit_stake_ = params.min_permit_stake;
  owner_uid_ = params.subnet_owner_uid;
}

void EpochDriver::compute(consensus::EpochBackend& backend) {
  backend.run(epoch_params_, input_, output_);
}

void EpochDriver::give_back(SubnetState& state) {
  auto swap_back = [](std::vector<std::size_t>& lent, consensus::SparseRowsU16& from,
                      consensus::SparseRowsU16& to) {
    for (const std::size_t i : lent) {
      from[i].swap(to[i]);
      from[i].clear();
    }
    lent.clear();
  };
  swap_back(lent_weights_, input_.weights, state.weights);
  swap_back(lent_bonds_, input_.bonds, state.bonds);
}

void EpochDriver::abandon(SubnetState& state) { give_back(state); }

const consensus::EpochOutput& EpochDriver::run(SubnetState& state, const ChainEpochParams& params,
                                               std::uint64_t block, std::uint64_t rao_emission,
                                               consensus::EpochBackend& backend,
                                               bool mark_mechanism_step) {
  begin(state, params, block, rao_emission);
  try {
    compute(backend);
  } catch (...) {
    abandon(state);
    throw;
  }
  return finish(state, mark_mechanism_step);
}

const consensus::EpochOutput& EpochDriver::finish(SubnetState& state, bool mark_mechanism_step) {
  give_back(state);
  const std::uint64_t block = block_;
  const consensus::EpochOutput& out = output_;
  if (min_permit_stake_ > 0)
    for (std::size_t i = 0; i < state.n && i < output_.new_permit.size(); ++i)
      if (state.stake_rao[i] < min_permit_stake_ && !(owner_uid_ && *owner_uid_ == i))
        output_.new_permit[i] = false;

  // §3.11: a new permit holder stores its EMA row and every other uid's row is cleared. (The
  // pre-mechanism code left rows of uids without an old permit untouched; since the epoch
  // returns per-uid terms that persist writes for every uid, all of them are overwritten.)
  // Rows are swapped in, not copied: the state's old row becomes the backend's storage for the
  // next epoch, cleared so that the output says plainly that its rows moved.
  for (std::size_t i = 0; i < state.n; ++i) {
    if (out.new_permit[i]) {
      state.bonds[i].swap(output_.new_bonds[i]);
      output_.new_bonds[i].clear();
    } else {
      state.bonds[i].clear();
    }
  }
  state.validator_permit = out.new_permit;
  state.consensus_u16 = out.consensus_u16;
  state.incentive_u16 = out.incentive_u16;
  state.dividends_u16 = out.dividends_u16;
  state.validator_trust_u16 = out.validator_trust_u16;
  state.stake_weight_u16 = out.stake_weight_u16;
  state.emission_rao = out.emission_rao;
  state.server_emission_rao = out.server_emission_rao;
  state.validator_emission_rao = out.validator_emission_rao;
  state.active.resize(state.n);
  for (std::size_t i = 0; i < state.n; ++i) state.active[i] = !input_.inactive[i];
  if (mark_mechanism_step) state.last_mechanism_step_block = block;
  return out;
}

consensus::EpochOutput run_epoch(SubnetState& state, const ChainEpochParams& params,
                                 std::uint64_t block, std::uint64_t rao_emission,
                                 consensus::EpochBackend& backend) {
  EpochDriver driver;
  return driver.run(state, params, block, rao_emission, backend);
}

}  // namespace subnetsim::chain
