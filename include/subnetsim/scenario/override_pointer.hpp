// override_pointer: the JSON pointer a --set path names in a scenario document.
//
// A path is written as a JSON pointer ("/agents/val.big/noise") or dotted
// ("agents.val.big.noise"); dotted parts that together name an existing key with dots in it (an
// agent group "val.big") are joined back into that key, exactly as --set reads them, so that
// whatever names a field for --set names the same field here.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace subnetsim::scenario {

// The pointer ("/agents/val.big/noise"), or "" when the path is malformed.
std::string override_pointer(const nlohmann::json& document, const std::string& path);

}  // namespace subnetsim::scenario
