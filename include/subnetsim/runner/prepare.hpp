// Preparing a run: a scenario file plus overrides becomes a typed Scenario with every input it
// names already read (the price-path CSV), or the complete list of problems. Nothing is written.
//
// Invariant: when `scenario` is set, `problems` is empty and the scenario can run as is.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "subnetsim/config/scenario.hpp"

namespace subnetsim::runner {

struct PreparedScenario {
  std::optional<config::Scenario> scenario;
  std::string resolved_json;  // the scenario with every default (written as resolved_scenario.json)
  std::string problems;       // one "FILE: /pointer: what" per line when scenario is empty
  // Not problems, but worth a word: what the scenario schedules after its last block (a script
  // event, a vote, a group's join), which will not happen. "FILE: /pointer: what" each.
  std::vector<std::string> notes;
  bool ok() const { return scenario.has_value(); }
};

PreparedScenario prepare_scenario(const std::string& file, const std::vector<std::string>& overrides);

}  // namespace subnetsim::runner
