// How an expectation is written for people, the same in the table, JUnit XML and messages:
//   title     "miners.gini < 0.5 at end", "price_usd within 0.5 of 10 at blocks [100, 600]"
//   at        "end", "block 600", "blocks [100, 600]"
//   expected  "< 0.5", "== 3", "== 3 +/- 0.1", "within 0.5 of 10"
// Invariant: plain ASCII, numbers as number_text() writes them.
#pragma once

#include <string>

#include "subnetsim/config/results.hpp"

namespace subnetsim::results {

std::string at_text(const config::Expectation& e);
std::string expected_text(const config::Expectation& e);
std::string expectation_title(const config::Expectation& e);

}  // namespace subnetsim::results
