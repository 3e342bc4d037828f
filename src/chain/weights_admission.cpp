// The chain's set_weights admission rules (see weights_admission.hpp).
#include "subnetsim/chain/weights_admission.hpp"

#include <algorithm>

namespace subnetsim::chain {

std::string check_set_weights(const SubnetState& state, const WeightLimits& limits,
                              std::uint16_t own, std::span<const std::uint16_t> uids,
                              std::span<const std::uint16_t> values, std::uint64_t stake_rao,
                              bool permit, std::vector<std::uint8_t>& seen) {
  if (uids.size() != values.size()) return "uids and values differ in length";
  const bool self_only = uids.size() == 1 && uids[0] == own;
  if (!self_only && !permit) return "no validator permit";
  if (uids.size() < std::min<std::size_t>(limits.min_allowed_weights, state.n))
    return "fewer than min_allowed_weights (" + std::to_string(limits.min_allowed_weights) +
           ") weights";
  // Plain loops without early exits or short circuits, so that they vectorise.
  std::uint64_t sum = 0;
  std::uint32_t max = 0;
  for (const std::uint16_t v : values) {
    sum += v;
    max = v > max ? v : max;
  }
  std::uint32_t descents = 0;  // none: strictly ascending, so no uid repeats, the last is largest
  for (std::size_t i = 1; i < uids.size(); ++i)
    descents |= static_cast<std::uint32_t>(uids[i] <= uids[i - 1]);
  if (descents != 0 || (!uids.empty() && uids.back() >= state.n)) {
    // Not in uid order (agents submit in order; scripts need not): find the first bad uid.
    seen.assign(state.n, 0);
    for (const std::uint16_t u : uids) {
      if (u >= state.n) return "uid " + std::to_string(u) + " does not exist";
      if (seen[u]++) return "duplicate uid " + std::to_string(u);
    }
  }
  if (sum > 0 && limits.max_weights_limit < 1.0 &&
      static_cast<double>(max) / static_cast<double>(sum) > limits.max_weights_limit)
    return "largest weight exceeds max_weights_limit";
  if (stake_rao < limits.stake_threshold_rao) return "stake below stake_threshold";
  return {};
}

}  // namespace subnetsim::chain
