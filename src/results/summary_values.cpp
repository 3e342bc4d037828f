#include "subnetsim/results/summary_values.hpp"

#include <charconv>
#include <string_view>

#include "subnetsim/core/json_text.hpp"

namespace subnetsim::results {

using nlohmann::json;

namespace {

const json* child(const json& node, const std::string& key) {
  if (node.is_object()) {
    const auto it = node.find(key);
    return it == node.end() ? nullptr : &*it;
  }
  if (node.is_array()) {
    std::size_t index = 0;
    const auto r = std::from_chars(key.data(), key.data() + key.size(), index);
    if (key.empty() || r.ec != std::errc() || r.ptr != key.data() + key.size() || index >= node.size())
      return nullptr;
    return &node[index];
  }
  return nullptr;
}

std::string describe(const json& node) {
  if (node.is_object()) {
    std::string keys;
    for (const auto& item : node.items()) keys += (keys.empty() ? "" : ", ") + item.key();
    return keys.empty() ? "an empty object" : "an object with keys " + keys;
  }
  if (node.is_array()) return "an array of " + std::to_string(node.size());
  if (node.is_string()) return "a string (" + core::dump_json(node) + ")";
  return "null";
}

void collect(const json& node, const std::string& path, std::vector<std::pair<std::string, double>>& out) {
  if (node.is_boolean()) {
    out.emplace_back(path, node.get<bool>() ? 1.0 : 0.0);
  } else if (node.is_number()) {
    out.emplace_back(path, node.get<double>());
  } else if (node.is_object()) {
    for (const auto& item : node.items())
      collect(item.value(), path.empty() ? item.key() : path + "." + item.key(), out);
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      collect(node[i], path.empty() ? std::to_string(i) : path + "." + std::to_string(i), out);
  }
}

// The node at dotted `path` under `node`. A key may itself hold dots (a group "val.big" gives
// classes.val.big.apy_tao): at each object every key that the path starts with is tried,
// longest first, so the path reads as summary_leaves wrote it.
const json* resolve(const json& node, std::string_view path) {
  if (node.is_object()) {
    const json* best = nullptr;
    std::size_t best_size = 0;
    for (const auto& item : node.items()) {
      const std::string& key = item.key();
      if (key.size() < best_size || path.substr(0, key.size()) != key) continue;
      if (path.size() == key.size()) {
        best = &item.value();
        best_size = key.size();
      } else if (path[key.size()] == '.') {
        if (const json* r = resolve(item.value(), path.substr(key.size() + 1))) {
          best = r;
          best_size = key.size();
        }
      }
    }
    return best;
  }
  const auto dot = path.find('.');
  const json* next = child(node, std::string(path.substr(0, dot)));
  if (next == nullptr || dot == std::string_view::npos) return next;
  return resolve(*next, path.substr(dot + 1));
}

}  // namespace

SummaryValue summary_value(const json& summary, const std::string& path) {
  SummaryValue out;
  const json* node = resolve(summary, path);
  if (node == nullptr) return out;
  if (node->is_boolean() || node->is_number()) {
    out.status = SummaryValue::Status::kNumber;
    out.value = node->is_boolean() ? (node->get<bool>() ? 1.0 : 0.0) : node->get<double>();
  } else {
    out.status = SummaryValue::Status::kNotNumber;
    out.found = describe(*node);
  }
  return out;
}

std::vector<std::pair<std::string, double>> summary_leaves(const json& summary) {
  std::vector<std::pair<std::string, double>> out;
  collect(summary, "", out);
  return out;
}

}  // namespace subnetsim::results
