#include <algorithm>
#include <cmath>

#include "compare_parts.hpp"
#include "subnetsim/results/number_text.hpp"

namespace subnetsim::results::detail {

double tolerance_for(const CompareOptions& options, const std::string& name) {
  if (auto it = options.tolerance.find(name); it != options.tolerance.end()) return it->second;
  if (const auto dot = name.rfind('.'); dot != std::string::npos)
    if (auto it = options.tolerance.find(name.substr(dot + 1)); it != options.tolerance.end()) return it->second;
  return options.default_tolerance;
}

bool numbers_match(double a, double b, double rel, double floor, double& relative) {
  relative = 0.0;
  if (std::isnan(a) || std::isnan(b)) {
    const bool both = std::isnan(a) && std::isnan(b);
    if (!both) relative = std::nan("");
    return both;
  }
  if (a == b) return true;  // also equal infinities
  const double diff = std::abs(a - b), scale = std::max(std::abs(a), std::abs(b));
  relative = diff / scale;
  return diff <= std::max(rel * scale, floor);
}

bool fields_match(const std::string& a, const std::string& b, double rel, double floor, double& relative,
                  bool& numeric) {
  const auto x = metrics::CsvTable::number(a), y = metrics::CsvTable::number(b);
  numeric = x && y;
  relative = 0.0;
  if (!numeric) return a == b;
  return numbers_match(*x, *y, rel, floor, relative);
}

std::string both_values(const std::string& a, const std::string& b, bool numeric, double relative) {
  if (!numeric) return "run \"" + a + "\", golden \"" + b + "\"";
  // None for an infinity or NaN on one side: "relative difference nan" says nothing.
  if (!std::isfinite(relative)) return "run " + a + ", golden " + b;
  return "run " + a + ", golden " + b + " (relative difference " + number_text(relative) + ")";
}

}  // namespace subnetsim::results::detail
