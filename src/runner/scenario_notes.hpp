// Internal to `runner`: the `note:` lines of a prepared scenario (PreparedScenario::notes): what
// is valid but probably not what was meant. Each is "FILE (resolved): /pointer: what" or
// "--set: /pointer: what".
#pragma once

#include <string>
#include <vector>

#include "subnetsim/config/scenario.hpp"

namespace subnetsim::runner {

// `resolved_json` is the scenario as resolved (arrays in the file's order, so that pointers are
// the user's); `s` the same, typed; `overrides` the --set list it was resolved with.
std::vector<std::string> scenario_notes(const std::string& file, const std::string& resolved_json,
                                        const config::Scenario& s,
                                        const std::vector<std::string>& overrides);

}  // namespace subnetsim::runner
