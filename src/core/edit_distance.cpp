#include "subnetsim/core/edit_distance.hpp"

#include <algorithm>
#include <vector>

namespace subnetsim::core {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string nearest_name(std::string_view typed, std::span<const std::string> known) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(1, typed.size() / 3) + 1;
  for (const auto& k : known) {
    const std::size_t d = edit_distance(typed, k);
    if (d < best_d && d < typed.size()) best_d = d, best = k;
  }
  return best;
}

}  // namespace subnetsim::core
