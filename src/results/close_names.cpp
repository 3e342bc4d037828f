#include "subnetsim/results/close_names.hpp"

#include <algorithm>

namespace subnetsim::results {

namespace {

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbouring characters each cost one.
std::size_t typo_distance(const std::string& a, const std::string& b) {
  const std::size_t w = b.size() + 1;
  std::vector<std::size_t> d((a.size() + 1) * w);
  for (std::size_t i = 0; i <= a.size(); ++i) d[i * w] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      std::size_t best = std::min({d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        best = std::min(best, d[(i - 2) * w + j - 2] + 1);
      d[i * w + j] = best;
    }
  }
  return d[a.size() * w + b.size()];
}

std::string last_component(const std::string& name) {
  const auto dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::vector<std::string> close_names(const std::string& wanted, const std::vector<std::string>& candidates,
                                     std::size_t most) {
  const std::size_t allowed = std::max<std::size_t>(2, wanted.size() / 4);
  const std::string tail = last_component(wanted);
  struct Scored {
    std::size_t distance, order;
    const std::string* name;
  };
  std::vector<Scored> scored;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const std::string& c = candidates[i];
    if (c == wanted) continue;
    std::size_t d = typo_distance(wanted, c);
    if (d > allowed && tail.size() > 2 && last_component(c) == tail) d = allowed;  // same leaf
    if (ends_with(wanted, "." + c) || ends_with(c, "." + wanted)) d = std::min<std::size_t>(d, 1);  // a prefix more or less
    if (d <= allowed) scored.push_back({d, i, &c});
  }
  std::sort(scored.begin(), scored.end(), [](const Scored& x, const Scored& y) {
    return x.distance != y.distance ? x.distance < y.distance : x.order < y.order;
  });
  std::vector<std::string> out;
  for (const auto& s : scored) {
    if (out.size() == most) break;
    if (std::find(out.begin(), out.end(), *s.name) == out.end()) out.push_back(*s.name);
  }
  return out;
}

}  // namespace subnetsim::results
