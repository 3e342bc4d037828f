#include "subnetsim/metrics/concentration.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

namespace subnetsim::metrics {

double gini(std::vector<double> x) {
  const double total = std::accumulate(x.begin(), x.end(), 0.0);
  if (x.empty() || total <= 0) return 0.0;
  std::sort(x.begin(), x.end());
  // G = sum_i (2i - n - 1) x_(i) / (n sum x), i = 1..n over the ascending order.
  const double n = static_cast<double>(x.size());
  double weighted = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) weighted += (2.0 * static_cast<double>(i + 1) - n - 1.0) * x[i];
  return weighted / (n * total);
}

double top_share(std::vector<double> x, double fraction) {
  const double total = std::accumulate(x.begin(), x.end(), 0.0);
  if (x.empty() || total <= 0) return 0.0;
  const auto k = std::clamp<std::size_t>(static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(x.size()) - 1e-9)),
                                         1, x.size());
  std::partial_sort(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(k), x.end(), std::greater<>());
  return std::accumulate(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(k), 0.0) / total;
}

std::size_t nakamoto(std::vector<double> x) {
  const double total = std::accumulate(x.begin(), x.end(), 0.0);
  if (total <= 0) return 0;
  std::sort(x.begin(), x.end(), std::greater<>());
  double held = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    held += x[i];
    if (held > total / 2) return i + 1;
  }
  return x.size();
}

}  // namespace subnetsim::metrics
