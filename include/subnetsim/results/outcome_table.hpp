// print_outcomes: expectation outcomes as an aligned plain-text table for a terminal or CI log:
//   result  metric       at   expected  actual  reason
//   PASS    slashed_tao  end  > 0       12.5    summary.json
//   FAIL    miners.gini  end  < 0.5     0.62    summary.json: 0.62 is not < 0.5
//   2 expectations: 1 passed, 1 failed
// Invariants: one row per outcome in order, columns padded to their widest cell, the last line
// always the count line (also for no outcomes); an outcome without a value shows "-".
#pragma once

#include <iosfwd>
#include <vector>

#include "subnetsim/results/expectation.hpp"

namespace subnetsim::results {

void print_outcomes(std::ostream& out, const std::vector<ExpectationOutcome>& outcomes);

}  // namespace subnetsim::results
