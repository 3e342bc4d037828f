// json_error_message: nlohmann_json's exception text for a document that does not parse, in
// the words every subnetsim reader prints ("line L, column C: syntax error while parsing ...").
// One formatter for scenario files (subnetsim validate) and a run's summary.json alike.
#pragma once

#include <string>
#include <string_view>

namespace subnetsim::core {

// `what` is the exception's what() for `text`. Drops the "[json.exception...] parse error at "
// prefix, and gives errors that come without a position (a number out of range, "1e400") the
// line and column of the offending token.
std::string json_error_message(std::string_view text, const std::string& what);

// "line L, column C: a NUL byte, ..." for the first NUL byte of `text`, "" if there is none.
// nlohmann_json's reader takes a NUL for the end of the input, so that anything after one
// (a file glued to binary junk) would be accepted unread: every JSON input is checked first.
std::string nul_byte_problem(std::string_view text);

}  // namespace subnetsim::core
