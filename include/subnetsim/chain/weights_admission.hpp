// The chain's admission rules for set_weights (spec §4): what a submitted row must satisfy
// before it is stored. The rate limit is the caller's (it depends on the block); everything
// else is here, so the rules have one home and their own tests.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "subnetsim/chain/subnet_state.hpp"

namespace subnetsim::chain {

// A subnet's limits on submitted weights.
struct WeightLimits {
  std::size_t min_allowed_weights = 1;  // at least this many entries (or n, if smaller)
  // The largest value's share of the row's sum, as the chain's u16 ratio (65535: no limit).
  std::uint16_t max_weight_limit_u16 = 65535;
  std::uint64_t stake_threshold_rao = 0;
};

// Why the row (uids[k], values[k]) submitted by `own` is refused, or "" when it is admitted.
// Rules in the chain's order: equal lengths; a validator permit unless the row is only a
// self-weight; at least min(min_allowed_weights, n) entries unless it is a self-weight; every
// uid exists and appears once (the first offending uid is named); unless it is a self-weight,
// the largest value's share within the limit, compared as the chain does in I32F32 (the
// submitted values normalised by truncating division, against limit_u16 / 65535 truncated);
// stake at least the threshold. A refusal names the measured value and the limit. `seen` is
// scratch space (any content).
std::string check_set_weights(const SubnetState& state, const WeightLimits& limits,
                              std::uint16_t own, std::span<const std::uint16_t> uids,
                              std::span<const std::uint16_t> values, std::uint64_t stake_rao,
                              bool permit, std::vector<std::uint8_t>& seen);

// Why the chain refuses weights from a hotkey of `stake_rao` under `threshold_rao`, or "": the
// last rule of check_set_weights, and the one the chain's transaction extension applies to a
// commit before it is taken (check_weights_min_stake), as a commit's weights cannot be read.
std::string stake_refusal(std::uint64_t stake_rao, std::uint64_t threshold_rao);

}  // namespace subnetsim::chain
