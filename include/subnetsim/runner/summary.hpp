// The contents of a run's summary.json and agents.csv, computed from the simulation's result.
//
// Yields are simple annualised rates over the whole run: (final - initial) / initial x
// (blocks per year / blocks simulated), on net wealth (free balance + stake positions - debt).
// In TAO, debt is converted at the price of the moment; in USD, wealth is valued at the start
// and end price. A class's yield is that of the sum of its members' wealth. A yield is null
// where the initial wealth is not positive (e.g. miners that start with nothing).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "subnetsim/config/scenario.hpp"
#include "subnetsim/sim/simulation.hpp"

namespace subnetsim::runner {

// 365.25 days of blocks at the scenario's block time.
double blocks_per_year(const config::Scenario& s);

// Metric sections: emission, miners, validators, stakers, stake, classes, governance.
nlohmann::ordered_json summary_metrics(const sim::RunResult& r, const config::Scenario& s);

// agents.csv: one row per agent with its start, end, pay and yields.
std::string agents_csv(const sim::RunResult& r, const config::Scenario& s);

}  // namespace subnetsim::runner
