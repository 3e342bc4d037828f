#include "text_match.hpp"

#include <regex>

namespace subnetsim::testing {

bool regex_search(const std::string& text, const std::string& pattern) {
  return std::regex_search(text, std::regex(pattern));
}

std::vector<std::vector<std::string>> regex_matches(const std::string& text,
                                                    const std::string& pattern) {
  const std::regex re(pattern);
  std::vector<std::vector<std::string>> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it) {
    std::vector<std::string> groups;
    for (const auto& group : *it) groups.push_back(group.str());
    out.push_back(std::move(groups));
  }
  return out;
}

}  // namespace subnetsim::testing
