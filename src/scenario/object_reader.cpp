#include "object_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <mutex>

#include "subnetsim/core/json_text.hpp"
#include "subnetsim/core/number_text.hpp"

namespace subnetsim::scenario {

namespace {

std::mutex registry_mutex;
std::set<std::string>& registry() {
  static std::set<std::string> fields;
  return fields;
}

// "[lo, hi]", built by appending: GCC 12 reports a false -Wrestrict on `"[" + a + ...`.
std::string bracket_range(const std::string& lo, const std::string& hi) {
  std::string out;
  out.reserve(lo.size() + hi.size() + 4);
  out.append("[").append(lo).append(", ").append(hi).append("]");
  return out;
}

}  // namespace

void note_field(const std::string& schema_path) {
  std::lock_guard lock(registry_mutex);
  registry().insert(schema_path);
}

std::set<std::string> accepted_fields_snapshot() {
  std::lock_guard lock(registry_mutex);
  return registry();
}

// --- Provenance -------------------------------------------------------------------------------

void Provenance::record(const std::string& pointer, const std::string& file, const json& value) {
  forget(pointer);
  by_pointer_[pointer] = {file, ++writes_};
  // Nested values inherit the file through the longest-prefix lookup; nothing more to store.
  (void)value;
}

void Provenance::erase(const std::string& pointer, const std::string& file) {
  forget(pointer);
  by_pointer_[pointer] = {file, ++writes_};  // what is asked of it now is that input's doing
}

void Provenance::forget(const std::string& pointer) {
  auto it = by_pointer_.lower_bound(pointer);
  while (it != by_pointer_.end() &&
         (it->first == pointer || it->first.rfind(pointer + "/", 0) == 0)) {
    it = by_pointer_.erase(it);
  }
}

std::string Provenance::file_for(const std::string& pointer) const {
  if (auto it = by_pointer_.find(pointer); it != by_pointer_.end()) return it->second.file;
  // Not recorded: the latest writer of the enclosing object itself or of one of its fields.
  if (const auto slash = pointer.rfind('/'); slash != std::string::npos) {
    const std::string parent = pointer.substr(0, slash), prefix = parent + "/";
    const Source* latest = nullptr;
    if (auto it = by_pointer_.find(parent); it != by_pointer_.end()) latest = &it->second;
    // The parent's fields: the keys that start with "parent/" sort together. A --set writes
    // only the field it names, so a field missing beside it is not its doing: it is skipped.
    for (auto it = by_pointer_.lower_bound(prefix);
         it != by_pointer_.end() && it->first.rfind(prefix, 0) == 0; ++it) {
      const bool field = it->first.find('/', prefix.size()) == std::string::npos;
      const bool from_set = it->second.file.rfind(kSetSourcePrefix, 0) == 0;
      if (field && !from_set && (latest == nullptr || it->second.order > latest->order))
        latest = &it->second;
    }
    if (latest != nullptr) return latest->file;
  }
  std::string p = pointer;
  while (true) {
    if (auto it = by_pointer_.find(p); it != by_pointer_.end()) return it->second.file;
    if (p.empty()) return fallback_;
    p.erase(p.rfind('/'));
  }
}

// --- helpers ----------------------------------------------------------------------------------

std::string escape_pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string format_number(double x) { return core::number_text(x); }

std::string describe(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::string: {
      std::string s = v.get<std::string>();
      if (s.size() > 40) s = s.substr(0, 37) + "...";
      return "a string (" + core::dump_json(json(s)) + ")";
    }
    case json::value_t::number_integer: return std::to_string(v.get<std::int64_t>());
    case json::value_t::number_unsigned: return std::to_string(v.get<std::uint64_t>());
    case json::value_t::number_float: return format_number(v.get<double>());
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return "an unsupported value";
  }
}

// --- ObjectReader -----------------------------------------------------------------------------

ObjectReader::ObjectReader(const ReadContext& ctx, const json* node, std::string pointer,
                           std::string schema, json& resolved)
    : ctx_(ctx), node_(node), pointer_(std::move(pointer)), schema_(std::move(schema)),
      resolved_(resolved) {
  if (!resolved_.is_object()) resolved_ = json::object();
}

std::string ObjectReader::pointer_of(std::string_view key) const {
  return pointer_ + "/" + escape_pointer_token(key);
}

const json* ObjectReader::take(std::string_view key, Need need, std::string_view expected) {
  asked_.insert(std::string(key));
  note_field(schema_ + "/" + std::string(key));
  if (node_ == nullptr || !node_->is_object()) {
    if (need == Need::kRequired && node_ != nullptr)
      ;  // the parent already reported that it is not an object
    else if (need == Need::kRequired)
      ctx_.error(pointer_of(key), "required field is missing (expected " + std::string(expected) + ")");
    return nullptr;
  }
  auto it = node_->find(std::string(key));
  if (it == node_->end()) {
    if (need == Need::kRequired)
      ctx_.error(pointer_of(key), "required field is missing (expected " + std::string(expected) + ")");
    return nullptr;
  }
  return &*it;
}

void ObjectReader::boolean(std::string_view key, bool& out, Need need) {
  if (const json* v = take(key, need, "true or false")) {
    if (v->is_boolean()) out = v->get<bool>();
    else ctx_.error(pointer_of(key), "expected true or false, got " + describe(*v));
  }
  resolved_[std::string(key)] = out;
}

void ObjectReader::string(std::string_view key, std::string& out, Need need) {
  if (const json* v = take(key, need, "a string")) {
    if (v->is_string()) out = v->get<std::string>();
    else ctx_.error(pointer_of(key), "expected a string, got " + describe(*v));
  }
  resolved_[std::string(key)] = out;
}

void ObjectReader::real(std::string_view key, double& out, double lo, double hi, Need need) {
  const std::string range = bracket_range(format_number(lo), format_number(hi));
  if (const json* v = take(key, need, "a number in " + range)) {
    if (!v->is_number()) {
      ctx_.error(pointer_of(key), "expected a number in " + range + ", got " + describe(*v));
    } else {
      double x = v->get<double>();
      if (!(x >= lo && x <= hi))
        ctx_.error(pointer_of(key), "must be in " + range + ", got " + describe(*v));
      else
        out = x;
    }
  }
  resolved_[std::string(key)] = out;
}

bool ObjectReader::read_integer(std::string_view key, std::int64_t lo, std::uint64_t hi, Need need,
                                std::uint64_t& out_unsigned, std::int64_t& out_signed) {
  const std::string range = bracket_range(std::to_string(lo), std::to_string(hi));
  const json* v = take(key, need, "an integer in " + range);
  if (v == nullptr) return false;
  auto bad = [&](const char* what) {
    ctx_.error(pointer_of(key), std::string(what) + range + ", got " + describe(*v));
    return false;
  };
  if (v->is_number_unsigned()) {
    std::uint64_t x = v->get<std::uint64_t>();
    if (x > hi || (lo > 0 && x < static_cast<std::uint64_t>(lo))) return bad("must be an integer in ");
    out_unsigned = x;
    out_signed = static_cast<std::int64_t>(x);
    return true;
  }
  if (v->is_number_integer()) {
    std::int64_t x = v->get<std::int64_t>();
    if (x < lo || (x >= 0 && static_cast<std::uint64_t>(x) > hi)) return bad("must be an integer in ");
    out_signed = x;
    out_unsigned = static_cast<std::uint64_t>(x);
    return true;
  }
  if (v->is_number_float()) {
    double x = v->get<double>();
    if (std::trunc(x) != x) return bad("expected an integer in ");
    // 2^63 bounds what a double-written integer may be: beyond it the conversion is not exact.
    // (hi as a double can round up to 2^64, past every u64.)
    if (x < static_cast<double>(lo) || x > static_cast<double>(hi) || x >= 0x1p64)
      return bad("must be an integer in ");
    if (x >= 0x1p63) {
      char digits[32];
      std::snprintf(digits, sizeof digits, "%.0f", x);
      ctx_.error(pointer_of(key),
                 std::string("a whole number from 2^63 on must be written with digits only (") +
                     digits + ", if that is the one meant), not as " + describe(*v) +
                     ": a number with a point or an exponent is a double, which holds it only "
                     "approximately");
      return false;
    }
    // Within [lo, hi] as a double; exact for every integer a double can hold.
    out_signed = static_cast<std::int64_t>(x);
    out_unsigned = x < 0 ? 0 : static_cast<std::uint64_t>(x);
    return true;
  }
  return bad("expected an integer in ");
}

ObjectReader ObjectReader::object(std::string_view key, Need need) {
  const json* v = take(key, need, "an object");
  if (v != nullptr && !v->is_object()) {
    ctx_.error(pointer_of(key), "expected an object, got " + describe(*v));
    v = nullptr;
  }
  json& slot = resolved_[std::string(key)];
  return ObjectReader(ctx_, v, pointer_of(key), schema_ + "/" + std::string(key), slot);
}

void ObjectReader::map(std::string_view key,
                       const std::function<void(const std::string&, ObjectReader&)>& entry) {
  const json* v = take(key, Need::kOptional, "an object");
  json& slot = resolved_[std::string(key)];
  slot = json::object();
  if (v == nullptr) return;
  if (!v->is_object()) {
    ctx_.error(pointer_of(key), "expected an object keyed by id, got " + describe(*v));
    return;
  }
  const std::string schema = schema_ + "/" + std::string(key) + "/*";
  for (auto it = v->begin(); it != v->end(); ++it) {
    const std::string ptr = pointer_of(key) + "/" + escape_pointer_token(it.key());
    if (!it->is_object()) {
      ctx_.error(ptr, "expected an object, got " + describe(*it));
      continue;
    }
    ObjectReader child(ctx_, &*it, ptr, schema, slot[it.key()]);
    entry(it.key(), child);
  }
}

void ObjectReader::array(std::string_view key,
                         const std::function<void(std::size_t, const json&, const std::string&)>& item,
                         std::string_view expected) {
  const json* v = take(key, Need::kOptional, expected);
  if (v == nullptr) return;
  if (!v->is_array()) {
    // An object keyed by element numbers is what a dotted --set (script.0.at_block=3) makes
    // where there was no array to set an element of.
    const bool numbered = v->is_object() && !v->empty() &&
                          std::all_of(v->items().begin(), v->items().end(), [](const auto& entry) {
                            const std::string& k = entry.key();
                            return std::all_of(k.begin(), k.end(), [](unsigned char ch) {
                              return std::isdigit(ch) != 0;
                            });
                          });
    ctx_.error(pointer_of(key),
               "expected " + std::string(expected) + ", got " + describe(*v) +
                   (numbered ? " keyed by element numbers (a path's number sets an element of an "
                               "array that exists; to make the array, set it whole: --set '" +
                                   std::string(key) + "=[...]')"
                             : ""));
    return;
  }
  for (std::size_t i = 0; i < v->size(); ++i)
    item(i, (*v)[i], pointer_of(key) + "/" + std::to_string(i));
}

void ObjectReader::object_array(std::string_view key,
                                const std::function<void(std::size_t, ObjectReader&)>& item) {
  json& slot = resolved_[std::string(key)];
  slot = json::array();
  const std::string schema = schema_ + "/" + std::string(key) + "/*";
  array(
      key,
      [&](std::size_t i, const json& value, const std::string& ptr) {
        if (!value.is_object()) {
          ctx_.error(ptr, "expected an object, got " + describe(value));
          return;
        }
        slot.push_back(json::object());
        ObjectReader child(ctx_, &value, ptr, schema, slot.back());
        item(i, child);
      },
      "an array of objects");
}

const json* ObjectReader::raw(std::string_view key, Need need, std::string_view expected) {
  return take(key, need, expected);
}

void ObjectReader::finish(std::string_view what) {
  if (node_ == nullptr || !node_->is_object()) return;
  for (auto it = node_->begin(); it != node_->end(); ++it) {
    if (asked_.count(it.key())) continue;
    std::string best;
    // Suggest only near misses: at most a third of the key's letters (at least one) changed.
    std::size_t best_d = std::max<std::size_t>(1, it.key().size() / 3) + 1;
    for (const auto& k : asked_) {
      std::size_t d = edit_distance(it.key(), k);
      if (d < best_d && d < it.key().size()) best_d = d, best = k;
    }
    std::string msg = "unknown field";
    if (!what.empty()) msg += " " + std::string(what);
    if (!best.empty()) msg += " (did you mean \"" + best + "\"?)";
    ctx_.error(pointer_of(it.key()), msg);
  }
}

}  // namespace subnetsim::scenario
