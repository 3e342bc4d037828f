// Name tables for the enumerations of the scenario format: the single place where an enum value
// is spelled, so the loader, the resolved-scenario writer and the documentation agree.
#pragma once

#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace subnetsim::config {

template <class E>
struct EnumName {
  E value;
  const char* name;
};

template <class E>
std::optional<E> enum_from_name(std::span<const EnumName<E>> table, std::string_view name) {
  for (const auto& e : table)
    if (name == e.name) return e.value;
  return std::nullopt;
}

template <class E>
const char* enum_name(std::span<const EnumName<E>> table, E value) {
  for (const auto& e : table)
    if (e.value == value) return e.name;
  return "?";
}

// "\"a\", \"b\" or \"c\"" for messages.
template <class Names>
std::string quoted_choices(const Names& names) {
  std::string out;
  std::size_t i = 0;
  for (const auto& name : names) {
    if (i > 0) out += (i + 1 == std::size(names)) ? " or " : ", ";
    out += '"';
    out += name;
    out += '"';
    ++i;
  }
  return out;
}

template <class E>
std::string enum_choices(std::span<const EnumName<E>> table) {
  std::vector<std::string_view> names;
  for (const auto& e : table) names.push_back(e.name);
  return quoted_choices(names);
}

}  // namespace subnetsim::config
