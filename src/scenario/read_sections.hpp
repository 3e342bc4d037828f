// One reader per section of the scenario format (internal to `scenario`). Each reads its object
// strictly into the config struct and reports problems; cross-references between sections are
// checked afterwards by check_references.
#pragma once

#include <optional>

#include "object_reader.hpp"
#include "subnetsim/config/scenario.hpp"

namespace subnetsim::scenario {

void read_chain(ObjectReader r, config::ChainConfig& c);
void read_emission(ObjectReader r, config::EmissionConfig& e);
void read_subnet_params(ObjectReader r, config::SubnetParams& p);
void read_market(ObjectReader r, config::MarketConfig& m);
void read_agent_group(ObjectReader& r, config::AgentGroup& g);
// The parameters of agent type `type` under `key` (absent: all defaults, and a required one
// reported missing), read as an agent group's. False when `type` names no agent type.
bool read_agent_params(ObjectReader& r, std::string_view key, std::string_view type,
                       config::AgentParams& out);
void read_slashing_rule(ObjectReader& r, config::SlashingRule& s);
void read_proposal(ObjectReader& r, config::Proposal& p);
void read_script_event(ObjectReader& r, config::ScriptEvent& e);
void read_expectation(ObjectReader& r, config::Expectation& e);
void read_outputs(ObjectReader r, config::OutputsConfig& o);
void read_distribution(ObjectReader r, config::Distribution& d);

// A netuid written as an object key or a string: an integer in [1, 65535].
std::optional<std::uint16_t> parse_netuid(std::string_view text);

// An object {"netuid": number} (e.g. subnet weights).
void read_netuid_numbers(ObjectReader& r, std::string_view key, double lo, double hi,
                         std::map<std::uint16_t, double>& out);

// Dangling references, duplicates across sections, path targets: needs the whole scenario.
void check_references(const config::Scenario& s, const ReadContext& ctx, const json& resolved);

}  // namespace subnetsim::scenario
