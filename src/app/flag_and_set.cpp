// flag_and_set_conflict (flag_and_set.hpp).
#include "flag_and_set.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "subnetsim/core/json_text.hpp"

namespace subnetsim::app {

std::string flag_and_set_conflict(const std::vector<std::string>& sets, const std::string& flag,
                                  const std::string& flag_value, const std::string& field) {
  std::vector<std::string> keys;  // the field's path, key by key
  for (std::size_t at = 0; at <= field.size();) {
    const std::size_t dot = std::min(field.find('.', at), field.size());
    keys.push_back(field.substr(at, dot - at));
    at = dot + 1;
  }
  for (const std::string& set : sets) {
    const std::size_t eq = set.find('=');
    std::string path = set.substr(0, eq);
    if (path.rfind('/', 0) == 0) {
      path.erase(0, 1);
      std::replace(path.begin(), path.end(), '/', '.');
    }
    bool gives = path == field;
    // An object holding the field gives it when its value names it
    // (--set 'chain={"consensus_backend": "float"}').
    if (!gives && !path.empty() && field.rfind(path + ".", 0) == 0 && eq != std::string::npos) {
      const auto value = core::parse_json_or_discarded(set.substr(eq + 1));
      const nlohmann::json* at = &value;
      std::size_t depth = static_cast<std::size_t>(std::count(path.begin(), path.end(), '.')) + 1;
      for (; at != nullptr && depth < keys.size(); ++depth)
        at = at->is_object() && at->contains(keys[depth]) ? &(*at)[keys[depth]] : nullptr;
      gives = at != nullptr;
    }
    if (gives)
      return "--set " + set + " and " + flag + " " + flag_value + " both give " + field +
             " (one would be ignored): drop one";
  }
  return "";
}

}  // namespace subnetsim::app
