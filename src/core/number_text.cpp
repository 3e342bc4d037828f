#include "subnetsim/core/number_text.hpp"

#include <charconv>
#include <cmath>

namespace subnetsim::core {

std::string number_text(double x) {
  if (std::isnan(x)) return "nan";
  char buf[400];  // a fixed-form double can take over 300 digits; the range below keeps it short
  const double a = std::fabs(x);
  const bool plain = a == 0.0 || (a >= 1e-4 && a < 1e15);
  const auto res = plain ? std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed)
                         : std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, res.ptr);
}

}  // namespace subnetsim::core
