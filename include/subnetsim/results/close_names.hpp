// close_names: the "did you mean" hint for a metric name that names nothing.
//
// Invariants: at most `most` candidates, closest first (ties in candidate order), each within a
// few typing mistakes of `wanted` (a character added, dropped, changed, or two swapped; more
// allowed for longer names), or one dotted prefix more or less ("agents.grader.stake_tao" finds
// "grader.stake_tao" first), or sharing its last dotted component ("stake.gini" finds
// "miners.gini"); never `wanted` itself.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace subnetsim::results {

std::vector<std::string> close_names(const std::string& wanted, const std::vector<std::string>& candidates,
                                     std::size_t most = 3);

}  // namespace subnetsim::results
