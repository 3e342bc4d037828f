// flag_and_set_conflict (flag_and_set.hpp).
#include "flag_and_set.hpp"

#include <algorithm>

namespace subnetsim::app {

std::string flag_and_set_conflict(const std::vector<std::string>& sets, const std::string& flag,
                                  const std::string& flag_value, const std::string& field) {
  std::string pointer = "/" + field;
  std::replace(pointer.begin(), pointer.end(), '.', '/');
  for (const std::string& set : sets) {
    const std::string path = set.substr(0, set.find('='));
    if (path == field || path == pointer)
      return "--set " + set + " and " + flag + " " + flag_value + " both give " + field +
             " (one would be ignored): drop one";
  }
  return "";
}

}  // namespace subnetsim::app
