// A small scenario for governance and script tests: two big validators (1000 TAO) and a small
// one (300 TAO) with given vote policies, eight miners, flat 1 TAO a block, tempo 12.
#pragma once

#include <cstdint>
#include <string>

namespace sim_test {

// Two big validators (1000 TAO) and a small one (300 TAO) with the given vote policies, eight
// miners; `extra` adds top-level members (each followed by a comma).
inline std::string voters_scenario(const std::string& big_vote, const std::string& small_vote,
                                   const std::string& extra, std::uint64_t horizon = 600,
                                   const std::string& more_agents = "") {
  return R"({"name": "governance", "seed": 2, "horizon_blocks": )" + std::to_string(horizon) + R"(,
    "emission": {"schedule": "flat", "tao_per_block": 1},)" +
         extra + R"(
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0}},
    "agents": {
      "big": {"type": "honest_validator", "count": 2, "stake_tao": 1000, "vote": ")" +
         big_vote + R"("},
      "small": {"type": "honest_validator", "count": 1, "stake_tao": 300, "vote": ")" +
         small_vote + R"("},
      "m": {"type": "honest_miner", "count": 8})" +
         more_agents + "}}";
}

}  // namespace sim_test
