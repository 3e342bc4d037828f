// JSON text in and out: nlohmann_json's parse and dump, compiled once for the whole program.
//
// Why a module of its own: parse and dump are templates that every translation unit calling
// them compiles anew, parser, lexer and number printer included. Measured with GCC 12: one
// json::parse of a std::string costs ~16 s of compile time under the sanitizers and ~4 s at
// -O3, one dump ~3.5 s and ~1.5 s; some thirty sources called them. Everything else of
// nlohmann_json (building values, get, at, iteration) stays in the callers: it is cheap.
//
// The behaviour is nlohmann_json's own: the same exceptions (nlohmann::json::parse_error,
// out_of_range for a number beyond a double), the same text, and a NUL byte taken for the end
// of the input, whatever the input's kind: readers check core::nul_byte_problem first.
#pragma once

#include <iosfwd>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace subnetsim::core {

// json::parse(text): throws on text that is not one JSON value.
nlohmann::json parse_json(std::string_view text);
nlohmann::ordered_json parse_ordered_json(std::string_view text);

// json::parse(text, nullptr, false): no exception; a value whose is_discarded() is true when
// `text` is not one JSON value.
nlohmann::json parse_json_or_discarded(std::string_view text);
nlohmann::ordered_json parse_ordered_json_or_discarded(std::string_view text);

// The same for the rest of `in`, read whole first (an open file, most often).
nlohmann::json parse_json(std::istream& in);
nlohmann::ordered_json parse_ordered_json(std::istream& in);
nlohmann::json parse_json_or_discarded(std::istream& in);
nlohmann::ordered_json parse_ordered_json_or_discarded(std::istream& in);

// json::accept(text): whether `text` is one JSON value.
bool is_json(std::string_view text);

// value.dump(indent): one line with indent -1, else one member or element a line, indented.
std::string dump_json(const nlohmann::json& value, int indent = -1);
std::string dump_json(const nlohmann::ordered_json& value, int indent = -1);

}  // namespace subnetsim::core
