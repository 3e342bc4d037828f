#include "numbered_name.hpp"

namespace subnetsim::sweep {

std::optional<std::vector<std::string>> numbers_in_name(
    std::string_view name, const std::vector<std::string_view>& literals) {
  std::vector<std::string> numbers;
  std::size_t at = 0;
  for (std::size_t i = 0; i < literals.size(); ++i) {
    if (i > 0) {
      const std::size_t start = at;
      while (at < name.size() && name[at] >= '0' && name[at] <= '9') ++at;
      if (at == start) return std::nullopt;
      numbers.emplace_back(name.substr(start, at - start));
    }
    if (name.substr(at, literals[i].size()) != literals[i]) return std::nullopt;
    at += literals[i].size();
  }
  if (at != name.size()) return std::nullopt;
  return numbers;
}

}  // namespace subnetsim::sweep
