// Strict parsing of the JSON a user writes: scenario files, --set values, and a sweep's
// --param values and --grid file.
//
// nlohmann's parser keeps the last of two equal keys in an object without a word, so a value
// the user wrote would be dropped silently; here a duplicate key is an error, reported with its
// JSON pointer. Nesting deeper than kMaxJsonNesting stops the parse at that level (a scenario
// never needs it, and a runaway document would cost time and memory).
//
// Invariant: the result is discarded (is_discarded()) exactly when a diagnostic was added.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "subnetsim/core/diagnostics.hpp"

namespace subnetsim::scenario {

inline constexpr int kMaxJsonNesting = 64;

// Parses `text` as one JSON value of any type. Problems are reported against `source`, with
// pointers that start with `pointer_prefix` (the place the value goes, e.g. "/agents/v" for
// `--set agents.v={...}`).
nlohmann::json parse_strict_json(std::string_view text, const std::string& source,
                                 core::Diagnostics& diags, const std::string& pointer_prefix = "");

}  // namespace subnetsim::scenario
