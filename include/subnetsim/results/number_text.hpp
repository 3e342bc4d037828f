// number_text: how the results module writes a number for people (tables, JUnit messages, compare
// lines). Invariant: the shortest text that reads back as the same double ("0.1", "12.5",
// "1e+15"); NaN and infinities as "nan", "inf", "-inf".
#pragma once

#include <string>

namespace subnetsim::results {

std::string number_text(double x);

}  // namespace subnetsim::results
