// Levenshtein distance between two strings, and the "did you mean" rule built on it: the
// messages that name an unknown key or parameter suggest the nearest known one.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace subnetsim::core {

// Insertions, deletions and substitutions that turn a into b.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The known name nearest to `typed` when it is a near miss (at most a third of its letters
// changed, at least one), else empty. Ties go to the first in `known`.
std::string nearest_name(std::string_view typed, std::span<const std::string> known);

}  // namespace subnetsim::core
