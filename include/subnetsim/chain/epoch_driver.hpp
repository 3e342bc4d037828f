// The chain-side epoch driver: the one place the chain's *boolean* rules live (spec §3.1-§3.5,
// §3.8's bond mask, §3.11 persistence, §1 weight upscaling, §6.2 replacement). It turns a
// SubnetState into a consensus::EpochInput (masks applied), calls a backend for the arithmetic,
// and persists the results the way subtensor's epoch does. The simulation and `conform` both use
// it, so a rule fixed here is fixed everywhere.
//
// Invariant: every function keeps SubnetState::valid() true if it held on entry.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "subnetsim/chain/subnet_state.hpp"
#include "subnetsim/consensus/epoch.hpp"

namespace subnetsim::chain {

// max(1, floor(factor_milli * tempo / 1000)) blocks (tempo 0 gives 1 block), or the legacy
// absolute cutoff when the params carry one.
std::uint64_t activity_cutoff_blocks(const ChainEpochParams& params);

// The block the bond mask compares registrations against (§3.8):
// LastMechansimStepBlock == 0 ? max(B - tempo, 0) : LastMechansimStepBlock + 1.
std::uint64_t bond_mask_last_tempo(const SubnetState& state, const ChainEpochParams& params,
                                   std::uint64_t block);

// vec_u16_max_upscale_to_u16: what set_weights stores for submitted values (§1).
std::vector<std::uint16_t> upscale_weights(std::span<const std::uint16_t> values);

// Stores row `uid` as (uids[k], upscaled values[k]) in the order given, zeros kept, and sets
// last_update[uid] = block; the stored u16 values are state.weights[uid][k].second. The caller
// has already applied the set_weights admission rules of §4 (length, duplicates, rate limit,
// permit). Reuses the row's storage: no allocation when the row does not grow.
void set_weights(SubnetState& state, std::uint16_t uid, std::span<const std::uint16_t> uids,
                 std::span<const std::uint16_t> values, std::uint64_t block);

// The same row stored by a reveal under commit-reveal: last_update is left alone, as it was set
// at the commit (spec §4; a later commit may have moved it on since).
void reveal_weights(SubnetState& state, std::uint16_t uid, std::span<const std::uint16_t> uids,
                    std::span<const std::uint16_t> values);

// A new hotkey takes `uid` (§6.2): registration and last update at `block`, its weights and
// bonds rows and outputs cleared, every other weight row's entry for uid set to 0 (kept), no
// permit, no commit, stake `new_stake_rao`.
void replace_neuron(SubnetState& state, std::uint16_t uid, std::uint64_t block,
                    std::uint64_t new_stake_rao);

// do_reset_bonds: removes column `uid` from every stored bonds row when BondsResetOn; returns
// whether anything was done.
bool reset_bonds_column(SubnetState& state, const ChainEpochParams& params, std::uint16_t uid);

// Which uid a registration into a full subnet replaces (§6.2, current rule): among all uids but
// the `immortal` ones (owner hotkey + the owner coldkey's first ImmuneOwnerUidsLimit hotkeys,
// which the caller knows), the lexicographic minimum of (Emission, block_at_registration, uid)
// over non-immune uids if there are more than `min_non_immune_uids` of them, else over the immune
// ones. nullopt when that set is empty: then the registration fails, even with non-immune uids
// (at most min_non_immune_uids of them), as on chain.
struct Replacement {
  std::uint16_t uid;
  bool outside_immunity;        // chosen among the non-immune uids
  std::size_t non_immune_count;  // candidates outside immunity
};
std::optional<Replacement> choose_uid_to_replace(const SubnetState& state, std::uint64_t block,
                                                 std::uint64_t immunity_period,
                                                   std::size_t min_non_immune_uids,
                                                   std::span<const std::uint16_t> immortal);

// Runs epochs on subnets, reusing its input/output storage between calls.
class EpochDriver {
 public:
  // Builds the masked input, runs `backend`, persists into `state` (§3.11: new permits, bond
  // rows of new permit holders, every other bond row cleared, outputs, Active).
  // With `mark_mechanism_step` the call also records LastMechansimStepBlock = block, as the
  // chain's block step does after distributing; subtensor's unit tests call `epoch` directly
  // and leave it untouched (the conformance cases). The returned output's new_bonds rows have
  // been moved into state.bonds (read them there): they are left empty.
  const consensus::EpochOutput& run(SubnetState& state, const ChainEpochParams& params,
                                    std::uint64_t block, std::uint64_t rao_emission,
                                    consensus::EpochBackend& backend,
                                    bool mark_mechanism_step = false);
  // run() in three steps, for callers that run the backend elsewhere (the simulation runs it on
  // another thread while it goes on with other subnets): begin() builds the input, lending
  // `state`'s unmasked weight and bond rows to it (they are empty in `state` until finish());
  // compute() runs the backend on that input, touching nothing but the driver and the backend;
  // finish() gives the rows back and persists as run() does. Every begin() must be followed,
  // on the same state, by compute() and finish(), or by abandon() (which only gives the rows
  // back: the epoch did not happen).
  void begin(SubnetState& state, const ChainEpochParams& params, std::uint64_t block,
             std::uint64_t rao_emission);
  void compute(consensus::EpochBackend& backend);
  const consensus::EpochOutput& finish(SubnetState& state, bool mark_mechanism_step = false);
  void abandon(SubnetState& state);

  // The masked input of the last build_input or run (for diagnostics and tests). After run(),
  // the weight and bond rows that no mask changed are empty: run() lends the state's own rows
  // to the backend instead of copying them, and gives them back.
  const consensus::EpochInput& last_input() const { return input_; }
  // The output of the last finish() or run() (new_bonds moved into the state: empty rows).
  const consensus::EpochOutput& last_output() const { return output_; }

  // Applies §3.1-§3.5 and the bond mask to `state` at `block`, without running anything.
  void build_input(const SubnetState& state, const ChainEpochParams& params, std::uint64_t block,
                   std::uint64_t rao_emission);

 private:
  // The same, taking the rows that need no mask from `lender` (== &state) by swapping; their
  // uids are listed in lent_weights_ and lent_bonds_ until finish() swaps them back.
  void build_input(const SubnetState& state, SubnetState* lender, const ChainEpochParams& params,
                   std::uint64_t block, std::uint64_t rao_emission);

  // Swaps the lent rows back into `state`.
  void give_back(SubnetState& state);

  consensus::EpochInput input_;
  consensus::EpochOutput output_;
  consensus::EpochParams epoch_params_;  // begin()'s, for compute()
  std::uint64_t block_ = 0;              // begin()'s, for finish()
  std::uint64_t min_permit_stake_ = 0;   // begin()'s, for finish()
  std::optional<std::uint16_t> owner_uid_;
  std::vector<std::size_t> lent_weights_, lent_bonds_;
};

// Convenience for one-off calls: a fresh driver per call (allocates).
consensus::EpochOutput run_epoch(SubnetState& state, const ChainEpochParams& params,
                                 std::uint64_t block, std::uint64_t rao_emission,
                                 consensus::EpochBackend& backend);

}  // namespace subnetsim::chain
