#include "subnetsim/results/number_text.hpp"

#include <charconv>
#include <cmath>

namespace subnetsim::results {

std::string number_text(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[40];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

}  // namespace subnetsim::results
