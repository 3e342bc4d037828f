// How messages write a number a user gave: the shortest digits that read back as the same
// double, written out (0.0005, 21000000) between 1e-4 and 1e15 and in exponent form (1e-05,
// 1e+18) beyond; "nan" for NaN.
#pragma once

#include <string>

namespace subnetsim::core {

std::string number_text(double x);

}  // namespace subnetsim::core
