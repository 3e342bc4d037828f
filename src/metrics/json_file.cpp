#include "subnetsim/metrics/json_file.hpp"

#include <fstream>
#include <sstream>

#include "subnetsim/scenario/loader.hpp"

namespace subnetsim::metrics {

namespace {

// Where and why `text` is not JSON, in the scenario reader's words ("line L, column C: ...").
// The reader stops at the syntax error, so it is its last diagnostic (a duplicate key seen
// before it may come first).
std::string syntax_error(const std::string& text, const std::string& path) {
  const core::Diagnostics diags = scenario::load_scenario_text(text, path).diagnostics;
  return diags.empty() ? "" : ": " + diags.items().back().message;
}

template <class Json>
std::string read_object(const std::string& path, Json& out) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) return path + ": cannot be read";
  out = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (out.is_discarded()) return path + ": not valid JSON" + syntax_error(text.str(), path);
  if (!out.is_object()) return path + ": not a JSON object";
  return "";
}

}  // namespace

std::string read_json_object(const std::string& path, nlohmann::json& out) { return read_object(path, out); }

std::string read_json_object(const std::string& path, nlohmann::ordered_json& out) {
  return read_object(path, out);
}

}  // namespace subnetsim::metrics
