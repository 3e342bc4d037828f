#include "subnetsim/core/json_text.hpp"

#include <istream>
#include <iterator>
#include <nlohmann/json.hpp>

namespace subnetsim::core {

nlohmann::json parse_json(std::string_view text) { return nlohmann::json::parse(text); }

nlohmann::ordered_json parse_ordered_json(std::string_view text) {
  return nlohmann::ordered_json::parse(text);
}

nlohmann::json parse_json_or_discarded(std::string_view text) {
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

nlohmann::ordered_json parse_ordered_json_or_discarded(std::string_view text) {
  return nlohmann::ordered_json::parse(text, nullptr, /*allow_exceptions=*/false);
}

namespace {

std::string rest_of(std::istream& in) {
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

nlohmann::json parse_json(std::istream& in) { return parse_json(rest_of(in)); }

nlohmann::ordered_json parse_ordered_json(std::istream& in) {
  return parse_ordered_json(rest_of(in));
}

nlohmann::json parse_json_or_discarded(std::istream& in) {
  return parse_json_or_discarded(rest_of(in));
}

nlohmann::ordered_json parse_ordered_json_or_discarded(std::istream& in) {
  return parse_ordered_json_or_discarded(rest_of(in));
}

bool is_json(std::string_view text) { return nlohmann::json::accept(text); }

std::string dump_json(const nlohmann::json& value, int indent) { return value.dump(indent); }

std::string dump_json(const nlohmann::ordered_json& value, int indent) {
  return value.dump(indent);
}

}  // namespace subnetsim::core
