// The parameters a scenario's script (set_param) and governance proposals may change during a
// run, named by JSON pointer: "/subnets/<netuid>/<field>" for any numeric or boolean subnet
// field (e.g. "/subnets/1/min_validator_stake_tao"), its Yuma variant ("yuma") and its emission
// split ("emission_split", by preset); "/subnet_defaults/<field>" for every subnet at once; and
// the chain-wide settings that can change ("/chain/consensus_backend", "/chain/epoch_schedule",
// "/chain/max_epochs_per_block", "/emission/tao_per_block", "/emission/yearly_decay",
// "/emission/subnet_split", "/market/drift_per_year", "/market/volatility_per_year"). The rest
// of /chain, /emission and /market is fixed for a run, and a path to it is refused with why.
// The loader checks each value against the field's range, so a change during a run cannot fail.
//
// Values are doubles. A named field (an enumeration: yuma, emission_split, consensus_backend,
// epoch_schedule, subnet_split) takes the index of its name in param_choices(path); the scenario
// writes the name, and param_value_text gives it back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "subnetsim/config/scenario.hpp"

namespace subnetsim::config {

struct ParamPath {
  enum class Scope { kOneSubnet, kEverySubnet, kChainWide } scope = Scope::kOneSubnet;
  std::uint16_t netuid = 0;  // kOneSubnet only
  std::string field;         // subnet field name, or the chain-wide pointer
};

// Parses a pointer or dotted path; nullopt (with `why` filled) when it names nothing settable.
std::optional<ParamPath> parse_param_path(std::string_view path, std::string* why = nullptr);

// The path as a JSON pointer, however it was written ("subnets.4.kappa" -> "/subnets/4/kappa"):
// how events and messages name it.
std::string param_pointer(const ParamPath& p);

// The names of a named field, in index order; empty for a number.
const std::vector<std::string>& param_choices(const ParamPath& p);
// The value of a name of a named field; nullopt if it is not one of its names.
std::optional<double> param_choice(const ParamPath& p, std::string_view name);
// A value as a scenario writes it: the name of a named field, true or false for a boolean one
// (its value 1 or 0), else the number.
std::string param_value_text(const ParamPath& p, double value);
// Whether p is a boolean field (commit_reveal, ...): set as true or false (or 1 or 0).
bool param_is_boolean(const ParamPath& p);

// What a value of p must be, for messages: "an integer in [1, 50400]", "a number in [0, 1]", or
// for a named field "one of \"classic\", \"yuma3\", ..." (the names it may be set to).
std::string param_expected(const ParamPath& p);

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
