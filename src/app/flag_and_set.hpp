// A command-line flag that is shorthand for a scenario field (--seed for seed, --horizon for
// horizon_blocks, --backend for chain.consensus_backend) given together with a --set of that
// field: one of the two values would be ignored whatever their order, so the pair is refused.
#pragma once

#include <string>
#include <vector>

namespace subnetsim::app {

// "" when no --set in `sets` names `field` (dotted, e.g. "chain.consensus_backend"; its JSON
// pointer form counts too), else the message: "--set X and --flag V both give FIELD: drop one".
std::string flag_and_set_conflict(const std::vector<std::string>& sets, const std::string& flag,
                                  const std::string& flag_value, const std::string& field);

}  // namespace subnetsim::app
