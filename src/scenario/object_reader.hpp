// ObjectReader: strict, typed reading of one JSON object of a scenario (internal to `scenario`).
//
// Each accessor reads one key, checks type and range, stores the typed value, writes the value
// actually used (given or default) into the resolved document at the same pointer, and records
// the field's schema path (ids and indices as `*`) in the registry behind accepted_fields().
// finish() reports every key no accessor asked for as unknown, with a "did you mean" hint.
// Problems go to ReadContext::error with the file that supplied the value (Provenance).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "subnetsim/config/names.hpp"
#include "subnetsim/core/diagnostics.hpp"
#include "subnetsim/core/edit_distance.hpp"

namespace subnetsim::scenario {

using nlohmann::json;

// How a --set override is named as a source ("--set path=value").
inline constexpr const char* kSetSourcePrefix = "--set ";

// Which input supplied each JSON pointer of the merged document.
class Provenance {
 public:
  explicit Provenance(std::string fallback = {}) : fallback_(std::move(fallback)) {}
  // Records `file` for `pointer` and for everything nested under it in `value`.
  void record(const std::string& pointer, const std::string& file, const json& value);
  // A merge patch from `file` deleted `pointer` (and what was under it).
  void erase(const std::string& pointer, const std::string& file);
  // The file that supplied `pointer`: its own record, else (a field that is not there) the
  // input that last wrote its object or one of its fields, else the longest recorded prefix's,
  // else the fallback. A field missing from a section that a base and the scenario both write
  // is then blamed on the scenario, which wrote last.
  std::string file_for(const std::string& pointer) const;
  void set_fallback(std::string file) { fallback_ = std::move(file); }

 private:
  struct Source {
    std::string file;
    std::uint64_t order = 0;  // when it was written: later inputs override earlier ones
  };
  void forget(const std::string& pointer);
  std::map<std::string, Source> by_pointer_;
  std::uint64_t writes_ = 0;
  std::string fallback_;
};

struct ReadContext {
  const Provenance* provenance = nullptr;
  core::Diagnostics* diagnostics = nullptr;
  void error(const std::string& pointer, const std::string& message) const {
    diagnostics->add(provenance->file_for(pointer), pointer, message);
  }
  // Whether a problem at `pointer` was reported already (so a later check does not add a
  // second line about the same value).
  bool reported(const std::string& pointer) const {
    for (const auto& d : diagnostics->items())
      if (d.pointer == pointer) return true;
    return false;
  }
};

std::string escape_pointer_token(std::string_view key);
std::string describe(const json& value);  // "a string (\"x\")", "1.5", "an array", ...
using core::edit_distance;                // for "did you mean" hints
std::string format_number(
    double x);  // shortest round-trip digits: 0.0005, 1e+18 beyond [1e-4, 1e15)
void note_field(const std::string& schema_path);

enum class Need { kOptional, kRequired };

class ObjectReader {
 public:
  // `node` may be null (key absent): every field takes its default. `resolved` must be an object.
  ObjectReader(const ReadContext& ctx, const json* node, std::string pointer, std::string schema,
               json& resolved);

  bool present() const { return node_ != nullptr && node_->is_object(); }
  const std::string& pointer() const { return pointer_; }
  const ReadContext& context() const { return ctx_; }
  std::string pointer_of(std::string_view key) const;

  void boolean(std::string_view key, bool& out, Need need = Need::kOptional);
  void string(std::string_view key, std::string& out, Need need = Need::kOptional);
  void real(std::string_view key, double& out, double lo, double hi, Need need = Need::kOptional);
  template <class Int>
  void integer(std::string_view key, Int& out, Int lo = std::numeric_limits<Int>::min(),
               Int hi = std::numeric_limits<Int>::max(), Need need = Need::kOptional) {
    std::int64_t lo64 = static_cast<std::int64_t>(lo);
    std::uint64_t hi64 = static_cast<std::uint64_t>(hi);
    std::uint64_t v = 0;
    std::int64_t sv = 0;
    if (read_integer(key, lo64, hi64, need, v, sv)) {
      if constexpr (std::numeric_limits<Int>::is_signed) {
        out = static_cast<Int>(sv);
      } else {
        out = static_cast<Int>(v);
      }
    }
    if constexpr (std::numeric_limits<Int>::is_signed)
      resolved_[std::string(key)] = static_cast<std::int64_t>(out);
    else
      resolved_[std::string(key)] = static_cast<std::uint64_t>(out);
  }
  template <class E>
  void enumeration(std::string_view key, E& out, std::span<const config::EnumName<E>> names,
                   Need need = Need::kOptional) {
    std::string name = config::enum_name(names, out);
    const json* v = take(key, need, "one of " + config::enum_choices(names));
    if (v != nullptr) {
      if (!v->is_string()) {
        ctx_.error(pointer_of(key), "expected one of " + config::enum_choices(names) + ", got " +
                                        describe(*v));
      } else if (auto e = config::enum_from_name(names, v->get<std::string>())) {
        out = *e;
        name = v->get<std::string>();
      } else {
        ctx_.error(pointer_of(key), "expected one of " + config::enum_choices(names) + ", got " +
                                        describe(*v));
      }
    }
    resolved_[std::string(key)] = name;
  }

  // A nested object; absent means "all defaults". Reports a non-object value.
  ObjectReader object(std::string_view key, Need need = Need::kOptional);
  // An object keyed by id: `entry(id, reader)` for each key in order. Absent = empty.
  void map(std::string_view key, const std::function<void(const std::string&, ObjectReader&)>& entry);
  // An array; `item(index, value, pointer)` for each element. Absent = empty.
  void array(std::string_view key,
             const std::function<void(std::size_t, const json&, const std::string&)>& item,
             std::string_view expected);
  // An array of objects read with an ObjectReader each (schema index `*`).
  void object_array(std::string_view key,
                    const std::function<void(std::size_t, ObjectReader&)>& item);
  // The raw value (any type) of a key, noted as accepted; null when absent.
  const json* raw(std::string_view key, Need need = Need::kOptional, std::string_view expected = "a value");
  void set_resolved(std::string_view key, json value) { resolved_[std::string(key)] = std::move(value); }

  // Reports keys that no accessor asked for. `what` names the object in the message, e.g.
  // "for agent type \"honest_miner\"".
  void finish(std::string_view what = {});

 private:
  const json* take(std::string_view key, Need need, std::string_view expected);
  bool read_integer(std::string_view key, std::int64_t lo, std::uint64_t hi, Need need,
                    std::uint64_t& out_unsigned, std::int64_t& out_signed);

  const ReadContext& ctx_;
  const json* node_;
  std::string pointer_;
  std::string schema_;
  json& resolved_;
  std::set<std::string, std::less<>> asked_;
};

}  // namespace subnetsim::scenario
