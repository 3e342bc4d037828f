// One subnet's chain-side state as the epoch sees it, structure-of-arrays by uid (spec §3, §6.2),
// plus the subnet's epoch hyperparameters in the chain's storage units (spec §7).
//
// Invariants of a SubnetState (checked by `valid()`): every per-uid vector has n entries;
// weights and bonds have n rows; every column index is < n. Weight rows are stored exactly as the
// chain stores them after set_weights: max-upscaled u16, in the order submitted, zero values kept.
// Bond rows hold the u16 the last epoch stored (classic: column max-upscaled; Yuma 3: raw EMA).
// The `last_*` outputs are those of the last epoch run on this state (zeros before the first).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "subnetsim/consensus/epoch.hpp"

namespace subnetsim::chain {

inline constexpr std::uint64_t kNoCommit = std::numeric_limits<std::uint64_t>::max();

// Hyperparameters the chain-side driver applies before and after the backend's arithmetic.
struct ChainEpochParams {
  std::uint16_t tempo = 360;                           // blocks; 0 allowed (cutoff 1 block)
  std::uint32_t activity_cutoff_factor_milli = 13889;  // cutoff = max(1, f * tempo / 1000)
  // [LEGACY, before 2026-05] the absolute ActivityCutoff in blocks; when set it replaces the
  // factor-of-tempo cutoff (spec §3.1).
  std::optional<std::uint64_t> legacy_activity_cutoff_blocks;
  std::uint64_t stake_threshold = 0;              // rao; the owner is exempt
  // Not the chain's: subnetsim's minimum validator stake (min_validator_stake_tao), in rao. A uid
  // below it gets no new permit from this epoch, so it stores no bond row (§3.11), as if the
  // backend had not chosen it; its weights still count this epoch (it held the old permit).
  std::uint64_t min_permit_stake = 0;
  std::optional<std::uint16_t> subnet_owner_uid;  // keeps its self-weight and a permit
  bool commit_reveal_enabled = false;             // enables the commit-block mask (§3.5)
  bool bonds_reset_enabled = false;               // BondsResetOn: reset_bonds_column acts
  bool record_matrices = false;  // the backend fills W and ΔB rows (EpochInput::record_matrices)
  consensus::EpochParams epoch;                   // the backend's hyperparameters
};

struct SubnetState {
  std::size_t n = 0;
  std::vector<std::uint64_t> stake_rao;  // epoch stake per uid (alpha + tao_weight*root)
  std::vector<std::uint64_t> block_at_registration;
  std::vector<std::uint64_t> last_update;  // block of the last set_weights / commit
  std::vector<bool> validator_permit;      // stored by the last epoch, used by the next
  // Commit-reveal: block of each validator's earliest non-expired commit (kNoCommit = none). Kept
  // per uid here rather than in the params because it follows the uid through replacement.
  std::vector<std::uint64_t> earliest_commit_block;
  consensus::SparseRowsU16 weights;
  consensus::SparseRowsU16 bonds;

  // Outputs of the last epoch, as stored by the chain.
  std::vector<std::uint16_t> consensus_u16, incentive_u16, dividends_u16, validator_trust_u16,
      stake_weight_u16;
  std::vector<std::uint64_t> emission_rao, server_emission_rao, validator_emission_rao;
  std::vector<bool> active;
  std::uint64_t last_mechanism_step_block = 0;  // LastMechansimStepBlock (0 = never)

  // Grows or shrinks every per-uid vector to n, new uids registered at `block` with nothing
  // stored (no permit, no weights, no bonds, zero outputs).
  void resize(std::size_t new_n, std::uint64_t block = 0);
  bool valid() const;
};

}  // namespace subnetsim::chain
