// Reading the numbers out of the sweep's numbered file names ("index.shard-3-of-8.csv",
// ".shards-of-8.lock"): literal parts with a run of ASCII digits between each two. A few lines
// of plain matching in place of std::regex, whose templates cost ~11 s of compile time in each
// file that used it under the sanitizers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace subnetsim::sweep {

// The digit runs of `name` when it is exactly literals[0] digits literals[1] digits ...
// literals.back() (one digit run between each two literals, at least one digit each), else
// nothing. The runs are returned as written (leading zeros kept): the caller decides what a
// number too large for an integer means.
std::optional<std::vector<std::string>> numbers_in_name(
    std::string_view name, const std::vector<std::string_view>& literals);

}  // namespace subnetsim::sweep
