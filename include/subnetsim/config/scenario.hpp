// Scenario: the typed, validated description of one simulation run.
//
// Plain data with documented defaults (the units and ranges are in scenarios/FORMAT.md, which a
// test keeps in step with the loader). Produced only by scenario::load_scenario after every check
// has passed; nothing downstream reads JSON. Invariants after loading: every id referenced
// (subnet, agent group, slashing rule) exists; every fraction is in [0, 1]; emission split
// fractions sum to 1; script events are sorted by block (stable).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "subnetsim/config/agents.hpp"
#include "subnetsim/config/chain.hpp"
#include "subnetsim/config/results.hpp"
#include "subnetsim/config/rules.hpp"

namespace subnetsim::config {

struct Scenario {
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  std::uint64_t horizon_blocks = 7200;  // one day of 12 s blocks
  ChainConfig chain;
  EmissionConfig emission;
  SubnetParams subnet_defaults;
  std::map<std::uint16_t, SubnetParams> subnets;  // netuid -> parameters (defaults applied)
  MarketConfig market;
  std::map<std::string, AgentGroup> agents;       // group id -> group
  std::map<std::string, SlashingRule> slashing;   // rule id -> rule
  std::map<std::string, Proposal> proposals;      // proposal id -> proposal
  std::vector<ScriptEvent> script;                // sorted by at_block, file order within a block
  std::vector<Expectation> expect;
  OutputsConfig outputs;
};

}  // namespace subnetsim::config
