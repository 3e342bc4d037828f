#include "subnetsim/core/json_error.hpp"

#include <algorithm>

namespace subnetsim::core {

std::string json_error_message(std::string_view text, const std::string& what) {
  std::string msg = what;
  if (auto p = msg.find("] "); p != std::string::npos && msg.rfind("[json.exception", 0) == 0)
    msg = msg.substr(p + 2);
  for (const char* prefix : {"parse error at ", "parse error: "})
    if (msg.rfind(prefix, 0) == 0) msg = msg.substr(std::string_view(prefix).size());
  if (msg.rfind("line ", 0) == 0) return msg;
  // Out-of-range numbers ("number overflow parsing '1e400'") come without a position: find the
  // token in the text to give one.
  if (auto q = msg.find("parsing '"); q != std::string::npos) {
    const std::string token = msg.substr(q + 9, msg.find('\'', q + 9) - (q + 9));
    if (auto at = text.find(token); !token.empty() && at != std::string_view::npos) {
      const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
      const auto line_start = text.rfind('\n', at);
      const auto column = at - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
      msg = "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + msg;
    }
  }
  return msg;
}

std::string nul_byte_problem(std::string_view text) {
  const auto at = text.find('\0');
  if (at == std::string_view::npos) return "";
  const auto line =
      1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
  const auto line_start = text.rfind('\n', at);
  const auto column = at - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
  return "line " + std::to_string(line) + ", column " + std::to_string(column) +
         ": a NUL byte, expected JSON text (is this a binary file, or text glued to one?)";
}

}  // namespace subnetsim::core
