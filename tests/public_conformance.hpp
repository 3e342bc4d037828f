// The public conformance file (../shared/conformance/subtensor-public.json), read once, for the
// unit tests that use its `math_cases` and `coinbase_cases`.
#pragma once

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "subnetsim/core/json_text.hpp"

namespace subnetsim::testing {

// The entry of the file's `section` (e.g. "math_cases") whose id is `id`; fails the test when
// there is none.
inline const nlohmann::json& public_case(const std::string& section, const std::string& id) {
  static const nlohmann::json doc = [] {
    std::ifstream in(SUBNETSIM_SHARED_DIR "/conformance/subtensor-public.json");
    return subnetsim::core::parse_json(in);
  }();
  for (const auto& c : doc.at(section))
    if (c.at("id") == id) return c;
  FAIL("no " << section << " entry " << id << " in the public conformance file");
  static const nlohmann::json none;
  return none;
}

}  // namespace subnetsim::testing
