#include "subnetsim/metrics/json_file.hpp"

#include <algorithm>
#include <type_traits>

#include "subnetsim/core/file_text.hpp"
#include "subnetsim/core/json_error.hpp"
#include "subnetsim/core/json_text.hpp"
#include "subnetsim/metrics/run_file.hpp"

namespace subnetsim::metrics {

namespace {

// Deeper than any summary.json (a few levels): the parser and the value's destructor recurse
// once per level, and a corrupt file 20,000 levels deep crashed them.
constexpr std::size_t kMaxNesting = 256;

// The deepest nesting of arrays and objects in `text`, brackets in strings left out.
std::size_t nesting(const std::string& text) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

template <class Json>
std::string read_object(const std::string& path, Json& out) {
  if (const std::string problem = run_file_problem(path); !problem.empty()) return problem;
  std::string content;
  if (core::read_file_text(path, content) != core::FileRead::kOk) return path + ": cannot be read";
  if (content.find_first_not_of(" \t\r\n") == std::string::npos)
    return path + ": not valid JSON: the file is empty, expected a JSON object";
  if (nesting(content) > kMaxNesting)
    return path + ": not a run's JSON: nested more than " + std::to_string(kMaxNesting) + " levels";
  try {
    if constexpr (std::is_same_v<Json, nlohmann::ordered_json>)
      out = core::parse_ordered_json(content);
    else
      out = core::parse_json(content);
  } catch (const nlohmann::json::exception& e) {
    return path + ": not valid JSON: " + core::json_error_message(content, e.what());
  }
  if (!out.is_object()) return path + ": not a JSON object";
  return "";
}

}  // namespace

std::string read_json_object(const std::string& path, nlohmann::json& out) { return read_object(path, out); }

std::string read_json_object(const std::string& path, nlohmann::ordered_json& out) {
  return read_object(path, out);
}

}  // namespace subnetsim::metrics
