#include "subnetsim/metrics/json_file.hpp"

#include <fstream>
#include <sstream>

#include "subnetsim/core/json_error.hpp"

namespace subnetsim::metrics {

namespace {

template <class Json>
std::string read_object(const std::string& path, Json& out) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) return path + ": cannot be read";
  const std::string content = text.str();
  if (content.find_first_not_of(" \t\r\n") == std::string::npos)
    return path + ": not valid JSON: the file is empty, expected a JSON object";
  try {
    out = Json::parse(content);
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
