#include "subnetsim/chain/subnet_state.hpp"

namespace subnetsim::chain {

void SubnetState::resize(std::size_t new_n, std::uint64_t block) {
  const bool shrinks = new_n < n;
  n = new_n;
  stake_rao.resize(n, 0);
  block_at_registration.resize(n, block);
  last_update.resize(n, block);
  validator_permit.resize(n, false);
  earliest_commit_block.resize(n, kNoCommit);
  weights.resize(n);
  bonds.resize(n);
  for (auto* v :
       {&consensus_u16, &incentive_u16, &dividends_u16, &validator_trust_u16, &stake_weight_u16})
    v->resize(n, 0);
  for (auto* v : {&emission_rao, &server_emission_rao, &validator_emission_rao}) v->resize(n, 0);
  active.resize(n, true);
  // Rows may point at uids that no longer exist after shrinking. Growing cannot leave any (a
  // registration grows by one: scanning every row each time made a genesis of n uids take
  // n^2 steps, 5.6 s at 65,000).
  if (shrinks)
    for (auto* rows : {&weights, &bonds})
      for (auto& row : *rows) std::erase_if(row, [this](const auto& e) { return e.first >= n; });
}

bool SubnetState::valid() const {
  const auto sized = [this](const auto& v) { return v.size() == n; };
  if (!sized(stake_rao) || !sized(block_at_registration) || !sized(last_update) ||
      !sized(validator_permit) || !sized(earliest_commit_block) || !sized(weights) ||
      !sized(bonds) || !sized(consensus_u16) || !sized(incentive_u16) || !sized(dividends_u16) ||
      !sized(validator_trust_u16) || !sized(stake_weight_u16) || !sized(emission_rao) ||
      !sized(server_emission_rao) || !sized(validator_emission_rao) || !sized(active))
    return false;
  for (const auto* rows : {&weights, &bonds})
    for (const auto& row : *rows)
      for (const auto& [j, v] : row)
        if (j >= n) return false;
  return true;
}

}  // namespace subnetsim::chain
