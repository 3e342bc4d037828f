// Expectations checked against a finished run (the scenario's `expect` list, for CI).
//
// Metric names: a dotted path into summary.json (booleans count as 1/0, array elements by index),
// or a series: a globals.csv column, or GROUP.COLUMN of classes.csv (summed over subnets per block).
// When: at end, the summary value if the path exists, else the series' last sample; at block B,
// the series sample at the last sample block <= B; over [from, to], every sample in the range
// must hold (none is a failure) and the worst one is reported.
//
// Invariants: evaluate() never throws on bad run data or names; an unknown metric, a missing or
// malformed file or a non-numeric value is a failed outcome whose reason says why (with close
// names for unknown metrics); one outcome per expectation, in order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "subnetsim/config/results.hpp"
#include "subnetsim/results/run_data.hpp"

namespace subnetsim::results {

struct ExpectationOutcome {
  config::Expectation expectation;
  bool passed = false;
  std::optional<double> actual;         // the value compared; for a range, the worst sample
  std::optional<std::uint64_t> block;   // the block of that sample (series only)
  std::string reason;                   // failed: why; passed: where the value comes from
};

ExpectationOutcome evaluate(const config::Expectation& expectation, const RunData& run);
std::vector<ExpectationOutcome> evaluate(const std::vector<config::Expectation>& expectations,
                                         const RunData& run);

std::size_t count_failed(const std::vector<ExpectationOutcome>& outcomes);

// Whether x satisfies the expectation's comparison (NaN never does).
bool holds(const config::Expectation& expectation, double x);

}  // namespace subnetsim::results
