// The parameters a scenario's script (set_param) and governance proposals may change during a
// run, named by JSON pointer: "/subnets/<netuid>/<field>" for any numeric or boolean subnet
// field (e.g. "/subnets/1/min_validator_stake_tao"), "/subnet_defaults/<field>" for every
// subnet at once, and a few chain-wide ones ("/emission/tao_per_block", "/emission/yearly_decay",
// "/market/drift_per_year", "/market/volatility_per_year"). The loader rejects any other path,
// and checks each value against the field's range, so a change during a run cannot fail.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "subnetsim/config/scenario.hpp"

namespace subnetsim::config {

struct ParamPath {
  enum class Scope { kOneSubnet, kEverySubnet, kChainWide } scope = Scope::kOneSubnet;
  std::uint16_t netuid = 0;  // kOneSubnet only
  std::string field;         // subnet field name, or the chain-wide pointer
};

// Parses a pointer or dotted path; nullopt (with `why` filled) when it names nothing settable.
std::optional<ParamPath> parse_param_path(std::string_view path, std::string* why = nullptr);

// Checks `value` against the field's range; empty string when acceptable, else "must be ...".
std::string check_param_value(const ParamPath& p, double value);

// The fields that bound each other (alpha_low <= alpha_high, min_burn_tao <= max_burn_tao, and a
// new burn_tao within them): empty when setting p to `value` keeps every subnet it reaches in
// order, else why not (e.g. "alpha_low 0.9 would exceed alpha_high (0.7) of subnet 1"). The
// chain refuses such a change, and so does a run; the loader reports a script that makes one.
std::string check_param_pairs(const Scenario& s, const ParamPath& p, double value);
// Applies `value` to the scenario's parameters (the running copy owned by the simulation).
// Requires parse_param_path and check_param_value to have accepted it.
void apply_param(Scenario& s, const ParamPath& p, double value);

// The current value, for tallies and stories.
double read_param(const Scenario& s, const ParamPath& p);

}  // namespace subnetsim::config
