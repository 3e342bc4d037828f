// Regular-expression matches for the tests, compiled once (text_match.cpp, in the library of
// Catch2's main that every test links): std::regex's templates cost ~11 s of compile time in
// each test file that used them under the sanitizers. ECMAScript syntax, as std::regex.
#pragma once

#include <string>
#include <vector>

namespace subnetsim::testing {

// Whether `pattern` matches somewhere in `text`.
bool regex_search(const std::string& text, const std::string& pattern);

// Every non-overlapping match of `pattern` in `text`, left to right, each as its groups:
// [0] the whole match, then one string per group ("" for a group that took no part).
std::vector<std::vector<std::string>> regex_matches(const std::string& text,
                                                    const std::string& pattern);

}  // namespace subnetsim::testing
