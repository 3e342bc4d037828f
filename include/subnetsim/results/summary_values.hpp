// Values of a run's summary.json addressed by dotted path ("slashed_tao", "miners.gini",
// "proposals.double_stake.passed", "top_validators.0.stake_tao").
//
// Invariants: a path component names an object key, or an array element by its decimal index;
// only numbers and booleans are values (true = 1, false = 0); anything else found at a path is
// reported as what it is, never converted.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace subnetsim::results {

struct SummaryValue {
  enum class Status { kNumber, kMissing, kNotNumber };
  Status status = Status::kMissing;
  double value = 0.0;  // kNumber
  std::string found;   // kNotNumber: what the path holds ("an object with keys a, b", "a string")
};

SummaryValue summary_value(const nlohmann::json& summary, const std::string& path);

// Every number or boolean leaf, as (dotted path, value), keys in sorted order at each level.
std::vector<std::pair<std::string, double>> summary_leaves(const nlohmann::json& summary);

}  // namespace subnetsim::results
