#include "document.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <set>
#include <vector>

#include "subnetsim/core/file_text.hpp"
#include "subnetsim/core/json_error.hpp"
#include "subnetsim/core/json_text.hpp"
#include "subnetsim/scenario/override_pointer.hpp"
#include "subnetsim/scenario/strict_json.hpp"

namespace subnetsim::scenario {

namespace fs = std::filesystem;

namespace {

bool read_file(const std::string& path, std::string& out, std::string& error) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    // A name too long, a file where a folder should be (a.json/b.json): not "not found".
    error = ec && ec != std::errc::no_such_file_or_directory
                ? "cannot be read (" + ec.message() + ")"
                : "file not found";
    for (fs::path p = fs::path(path).parent_path(); !p.empty() && p != p.parent_path();
         p = p.parent_path())
      if (fs::exists(p, ec) && !fs::is_directory(p, ec)) {
        error = "file not found: \"" + p.string() + "\" is a file, not a folder";
        break;
      }
    return false;
  }
  if (fs::is_directory(path, ec)) {
    error = "is a directory, expected a JSON file";
    return false;
  }
  auto size = fs::file_size(path, ec);
  if (!ec && size > kMaxFileBytes) {
    error = "file is too large (" + std::to_string(size) + " bytes, the limit is " +
            std::to_string(kMaxFileBytes) + ")";
    return false;
  }
  // The limit again as it is read: a device or a pipe has no size to check first.
  error = core::file_read_problem(core::read_file_text(path, out, kMaxFileBytes), kMaxFileBytes);
  return error.empty();
}

// Thrown by the SAX handler to stop at the first level nested too deep.
struct TooDeep {};

// Builds the document with nlohmann's plain DOM builder while it tracks the key path, to report
// duplicate keys and runaway nesting by pointer. (Not json::parse with a callback: its builder
// scans the enclosing object's members at the end of every nested object, looking for one to
// discard, which made 16,000 proposals take 2 s to read instead of 0.1.)
class StrictSax {
 public:
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  StrictSax(json& result, const std::string& file, core::Diagnostics& diags,
            const std::string& pointer_prefix)
      : dom_(result, /*allow_exceptions=*/true),
        file_(file),
        diags_(diags),
        pointer_prefix_(pointer_prefix) {}

  bool null() { return value(dom_.null()); }
  bool boolean(bool v) { return value(dom_.boolean(v)); }
  bool number_integer(number_integer_t v) { return value(dom_.number_integer(v)); }
  bool number_unsigned(number_unsigned_t v) { return value(dom_.number_unsigned(v)); }
  bool number_float(number_float_t v, const string_t& s) { return value(dom_.number_float(v, s)); }
  bool string(string_t& v) { return value(dom_.string(v)); }
  bool binary(binary_t& v) { return value(dom_.binary(v)); }
  bool start_object(std::size_t n) {
    open(/*is_object=*/true);
    return dom_.start_object(n);
  }
  bool start_array(std::size_t n) {
    open(/*is_object=*/false);
    return dom_.start_array(n);
  }
  bool key(string_t& k) {
    pending_key_ = k;
    Frame& top = stack_.back();
    if (!top.keys.insert(pending_key_).second)
      diags_.add(
          file_, top.pointer + "/" + escape_pointer_token(pending_key_),
          "duplicate key \"" + pending_key_ + "\" (each key, and so each id, may appear once)");
    return dom_.key(k);
  }
  bool end_object() { return close(dom_.end_object()); }
  bool end_array() { return close(dom_.end_array()); }
  bool parse_error(std::size_t position, const std::string& token,
                   const nlohmann::detail::exception& e) {
    return dom_.parse_error(position, token, e);  // throws: allow_exceptions
  }

 private:
  struct Frame {
    bool is_object;
    std::set<std::string> keys;
    std::string pointer;
    std::size_t next_index = 0;
  };

  std::string child_pointer() const {
    if (stack_.empty()) return pointer_prefix_;
    const Frame& top = stack_.back();
    if (top.is_object) return top.pointer + "/" + escape_pointer_token(pending_key_);
    return top.pointer + "/" + std::to_string(top.next_index);
  }
  void open(bool is_object) {
    std::string ptr = child_pointer();
    if (static_cast<int>(stack_.size()) > kMaxJsonNesting) {
      diags_.add(file_, ptr,
                 "nested more than " + std::to_string(kMaxJsonNesting) +
                     " levels deep; a scenario never needs this");
      // Stop reading here: the rest of a deep document would only cost time and memory.
      throw TooDeep{};
    }
    stack_.push_back({is_object, {}, std::move(ptr)});
  }
  bool value(bool ok) {
    if (!stack_.empty() && !stack_.back().is_object) ++stack_.back().next_index;
    return ok;
  }
  bool close(bool ok) {
    stack_.pop_back();
    return value(ok);
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  const std::string& file_;
  core::Diagnostics& diags_;
  const std::string& pointer_prefix_;
  std::vector<Frame> stack_;
  std::string pending_key_;
};

}  // namespace

json parse_strict_json(std::string_view text, const std::string& file, core::Diagnostics& diags,
                       const std::string& pointer_prefix) {
  const std::size_t errors_before = diags.size();
  if (const std::string nul = core::nul_byte_problem(text); !nul.empty()) {
    diags.add(file, pointer_prefix, nul);
    return json(json::value_t::discarded);
  }
  json doc;
  try {
    StrictSax sax(doc, file, diags, pointer_prefix);
    json::sax_parse(text.begin(), text.end(), &sax, json::input_format_t::json, /*strict=*/true,
                    /*ignore_comments=*/false);
  } catch (const TooDeep&) {
    return json(json::value_t::discarded);  // reported by the handler
  } catch (const json::exception& e) {
    diags.add(file, pointer_prefix, core::json_error_message(text, e.what()));
    return json(json::value_t::discarded);
  }
  if (diags.size() != errors_before) return json(json::value_t::discarded);
  return doc;
}

json parse_document(std::string_view text, const std::string& file, core::Diagnostics& diags) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    diags.add(file, "", "the file is empty, expected a JSON object");
    return json();
  }
  json doc = parse_strict_json(text, file, diags);
  if (doc.is_discarded()) return json();
  if (!doc.is_object()) {
    diags.add(file, "", "expected a JSON object at the top level, got " + describe(doc));
    return json();
  }
  return doc;
}

void merge_patch(json& target, const json& patch, const std::string& pointer,
                 const std::string& file, Provenance& provenance) {
  if (!patch.is_object()) {
    target = patch;
    provenance.record(pointer, file, patch);
    return;
  }
  if (!target.is_object()) {
    target = json::object();
    provenance.record(pointer, file, patch);
  }
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    const std::string child = pointer + "/" + escape_pointer_token(it.key());
    if (it->is_null()) {
      target.erase(it.key());
      provenance.erase(child, file);
    } else {
      merge_patch(target[it.key()], *it, child, file, provenance);
    }
  }
}

namespace {

void load_recursive(const std::string& path, const std::string* text,
                    const std::vector<std::string>& config_dirs, Merged& merged,
                    core::Diagnostics& diags, std::vector<std::string>& chain) {
  std::string content;
  if (text == nullptr) {
    std::string error;
    if (!read_file(path, content, error)) {
      diags.add(path, "", error);
      return;
    }
    text = &content;
  }
  json doc = parse_document(*text, path, diags);
  if (doc.is_null()) return;

  std::error_code ec;
  std::string canonical = fs::weakly_canonical(path, ec).string();
  if (ec) canonical = path;
  chain.push_back(canonical);

  note_field("/base");
  if (auto it = doc.find("base"); it != doc.end()) {
    std::vector<std::pair<std::string, std::string>> bases;  // (name, pointer)
    if (it->is_string()) {
      bases.emplace_back(it->get<std::string>(), "/base");
    } else if (it->is_array()) {
      for (std::size_t i = 0; i < it->size(); ++i) {
        const json& b = (*it)[i];
        if (b.is_string()) bases.emplace_back(b.get<std::string>(), "/base/" + std::to_string(i));
        else diags.add(path, "/base/" + std::to_string(i), "expected a file name, got " + describe(b));
      }
    } else {
      diags.add(path, "/base", "expected a list of preset file names, got " + describe(*it));
    }
    const fs::path here = fs::path(path).parent_path();
    for (const auto& [name, ptr] : bases) {
      std::vector<fs::path> candidates{here / name};
      for (const auto& dir : config_dirs) candidates.push_back(fs::path(dir) / name);
      std::string found, not_a_file;
      for (const auto& c : candidates) {
        if (fs::is_regular_file(c, ec)) {
          found = c.string();
          break;
        }
        // Something there that is no file (a directory of the same name): said as such, not
        // "not found", unless a file of that name comes later in the search.
        if (not_a_file.empty() && fs::exists(c, ec)) not_a_file = c.string();
      }
      if (found.empty() && !not_a_file.empty()) {
        diags.add(path, ptr,
                  "base \"" + name + "\": \"" + not_a_file +
                      "\" is a directory (or another non-file), expected a JSON preset file");
        continue;
      }
      if (found.empty()) {
        // The scenario's own directory ("." rather than an empty path for a file named bare).
        std::string where =
            "the scenario's folder \"" + (here.empty() ? std::string(".") : here.string()) + "\"";
        for (const auto& dir : config_dirs) where += ", \"" + dir + "\"";
        diags.add(path, ptr, "base \"" + name + "\" not found (looked in " + where + ")");
        continue;
      }
      std::string found_canonical = fs::weakly_canonical(found, ec).string();
      if (std::find(chain.begin(), chain.end(), found_canonical) != chain.end()) {
        std::string cycle;
        for (const auto& c : chain) cycle += fs::path(c).filename().string() + " -> ";
        cycle += fs::path(found_canonical).filename().string();
        diags.add(path, ptr, "circular base: " + cycle);
        continue;
      }
      load_recursive(found, nullptr, config_dirs, merged, diags, chain);
    }
    doc.erase("base");
  }
  merge_patch(merged.document, doc, "", path, merged.provenance);
  chain.pop_back();
}

}  // namespace

void load_with_bases(const std::string& path, const std::string* text,
                     const std::vector<std::string>& config_dirs, Merged& merged,
                     core::Diagnostics& diags) {
  std::vector<std::string> chain;
  merged.provenance.set_fallback(path);
  if (!merged.document.is_object()) merged.document = json::object();
  load_recursive(path, text, config_dirs, merged, diags, chain);
}

namespace {

// The element of `array` that a path token names: an index of an existing element, written
// without leading zeros; nullptr for anything else.
const json* element_at(const json& array, const std::string& token) {
  std::size_t index = 0;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
  if (token.empty() || ec != std::errc() || end != token.data() + token.size() ||
      index >= array.size() || (token.size() > 1 && token[0] == '0'))
    return nullptr;
  return &array[index];
}

// Applies one override whose path passes through an array of the document; false (nothing
// done) when it does not, for the merge patch to apply it. Each array's token must be the
// index of an existing element; a problem is reported against the --set.
bool set_through_array(Merged& merged, const std::vector<std::string>& tokens, const json& value,
                       const std::string& source, core::Diagnostics& diags) {
  const json* node = &merged.document;
  std::string pointer;
  std::size_t last_array = tokens.size();
  for (std::size_t k = 0; k < tokens.size() && node != nullptr; ++k) {
    if (!node->is_array() && !node->is_object()) {
      // A field asked of a number, a string, ...: only reported when an array is on the way
      // (else the merge patch replaces the value with an object, which the reader reports).
      if (last_array == tokens.size()) return false;
      diags.add(source, pointer,
                "is " + describe(*node) + ", which has no field \"" + tokens[k] + "\"");
      return true;
    }
    if (node->is_array()) {
      last_array = k;
      const std::string& t = tokens[k];
      const json* element = element_at(*node, t);
      if (element == nullptr) {
        diags.add(source, pointer + "/" + escape_pointer_token(t),
                  "expected the index of an element of " + (pointer.empty() ? "/" : pointer) +
                      " (it has " + std::to_string(node->size()) +
                      ", numbered from 0), got \"" + t + "\"");
        return true;
      }
      node = element;
    } else if (node->is_object() && node->contains(tokens[k])) {
      node = &node->at(tokens[k]);
    } else {
      node = nullptr;  // the rest is new: created below, as a merge patch would
    }
    pointer += "/" + escape_pointer_token(tokens[k]);
  }
  if (last_array == tokens.size()) return false;
  const json::json_pointer at(pointer);
  if (value.is_null()) {
    // Deletes a field of an element; an element itself is not deleted (that would renumber
    // the rest).
    const json::json_pointer parent = at.parent_pointer();
    json& holder = merged.document[parent];
    if (holder.is_array()) {
      diags.add(source, pointer, "an array element cannot be deleted with null; set the array instead");
      return true;
    }
    if (holder.is_object()) holder.erase(at.back());
    merged.provenance.erase(pointer, source);
    return true;
  }
  try {
    merged.document[at] = value;
  } catch (const json::exception& e) {  // checked above; a last guard against exit 4
    diags.add(source, pointer, std::string("cannot be set here: ") + e.what());
    return true;
  }
  merged.provenance.record(pointer, source, value);
  return true;
}

// A path that goes on past a key its object lacks, where the object has a key a typo away
// (agents.honset.count with a group "honest"): the merge would make a new, half-written entry
// ("/agents/honset/type: required field is missing"). Returns "POINTER message", or "" when
// the path is fine. Number keys (a new subnet "3" beside "1") are left alone.
std::string misspelt_key(const json& document, const std::vector<std::string>& tokens) {
  const json* node = &document;
  std::string pointer;
  for (std::size_t k = 0; k + 1 < tokens.size() && node != nullptr; ++k) {
    const std::string& t = tokens[k];
    if (node->is_array()) {
      node = element_at(*node, t);
    } else if (node->is_object() && node->contains(t)) {
      node = &node->at(t);
    } else if (node->is_object()) {
      if (t.empty() ||
          std::all_of(t.begin(), t.end(), [](unsigned char c) { return std::isdigit(c) != 0; }))
        return "";
      std::string best;
      std::size_t best_d = std::max<std::size_t>(1, t.size() / 3) + 1;
      for (const auto& item : node->items()) {
        const std::size_t d = edit_distance(t, item.key());
        if (d < best_d) best_d = d, best = item.key();
      }
      if (best.empty()) return "";
      return pointer + "/" + escape_pointer_token(t) + " no \"" + t + "\" here (did you mean \"" +
             best + "\"?); to add \"" + t + "\", set it whole (" + pointer + "/" +
             escape_pointer_token(t) + "={...})";
    } else {
      return "";
    }
    pointer += "/" + escape_pointer_token(t);
  }
  return "";
}

// A dotted path's parts that name one existing key with dots in it (an agent group
// "val.big": agents.val.big.count) are joined back into that key: at each object of the
// document the longest run of parts that is one of its keys is taken.
void join_dotted_keys(const json& document, std::vector<std::string>& tokens) {
  const json* node = &document;
  for (std::size_t k = 0; k < tokens.size() && node != nullptr; ++k) {
    if (node->is_array()) {
      node = element_at(*node, tokens[k]);
      continue;
    }
    if (!node->is_object()) return;
    std::string joined = tokens[k];
    std::size_t last = node->contains(joined) ? k : tokens.size();
    for (std::size_t j = k + 1; j < tokens.size(); ++j) {
      joined += "." + tokens[j];
      if (node->contains(joined)) last = j;
    }
    if (last == tokens.size()) return;  // the rest is new
    if (last > k) {
      for (std::size_t j = k + 1; j <= last; ++j) tokens[k] += "." + tokens[j];
      tokens.erase(tokens.begin() + static_cast<std::ptrdiff_t>(k + 1),
                   tokens.begin() + static_cast<std::ptrdiff_t>(last + 1));
    }
    node = &node->at(tokens[k]);
  }
}

constexpr const char* kNotAPointer = "not a valid JSON pointer";

// The parts of an override's path: a JSON pointer's tokens (unescaped), or a dotted path's parts
// with those that together name an existing key with dots in it joined back. The problem ("" when
// none): kNotAPointer, or a pointer written without its leading "/".
std::string path_tokens(const json& document, const std::string& path,
                        std::vector<std::string>& tokens) {
  tokens.clear();
  if (!path.empty() && path[0] == '/') {
    try {
      json::json_pointer jp(path);
    } catch (const json::exception&) {
      return kNotAPointer;
    }
    const std::string rest = path.substr(1);
    for (std::size_t start = 0;;) {
      const auto slash = rest.find('/', start);
      const std::string tok = rest.substr(start, slash - start);
      std::string un;
      for (std::size_t i = 0; i < tok.size(); ++i) {
        if (tok[i] == '~' && i + 1 < tok.size()) {
          un += tok[i + 1] == '1' ? '/' : '~';
          ++i;
        } else {
          un += tok[i];
        }
      }
      tokens.push_back(un);
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    return "";
  }
  if (path.find('/') != std::string::npos && path.find('.') == std::string::npos)
    // Slashes and no dot: a JSON pointer without its leading "/".
    return "\"" + path + "\": a JSON pointer starts with \"/\" (/" + path +
           "), a dotted path has dots between its parts";
  for (std::size_t start = 0;;) {
    const auto dot = path.find('.', start);
    tokens.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  join_dotted_keys(document, tokens);
  return "";
}

}  // namespace

void apply_overrides(const std::vector<std::string>& overrides, Merged& merged,
                     core::Diagnostics& diags) {
  for (const auto& o : overrides) {
    const std::string source = kSetSourcePrefix + o;
    auto eq = o.find('=');
    if (eq == std::string::npos || eq == 0) {
      diags.add("--set", "", "\"" + o + "\": expected path=value (e.g. subnets.1.kappa=0.6)");
      continue;
    }
    std::string path = o.substr(0, eq), text = o.substr(eq + 1);
    std::vector<std::string> tokens;
    if (std::string problem = path_tokens(merged.document, path, tokens); !problem.empty()) {
      diags.add("--set", problem == kNotAPointer ? path : "", problem);
      continue;
    }
    // Valid JSON is parsed strictly (a duplicate key is an error, not last-wins); anything
    // else starting with a letter is a bare word.
    std::string pointer;
    for (const auto& t : tokens) pointer += "/" + escape_pointer_token(t);
    json value = core::is_json(text) ? parse_strict_json(text, "--set", diags, pointer)
                                     : json(json::value_t::discarded);
    if (value.is_discarded() && core::is_json(text)) continue;  // reported
    if (value.is_discarded()) {
      if (!text.empty() && std::isalpha(static_cast<unsigned char>(text[0]))) {
        value = text;
      } else {
        // Text that is no JSON structure (a path "/subnets/1/kappa", "-x") was meant as a
        // string: say how to write one.
        const bool structure =
            !text.empty() && std::string_view("[{\"").find(text[0]) != std::string_view::npos;
        diags.add("--set", "",
                  "\"" + o + "\": the value is not valid JSON" +
                      (structure ? std::string()
                                 : ", nor a bare word (one that starts with a letter): write a "
                                   "string in JSON quotes, e.g. " +
                                       o.substr(0, o.find('=') + 1) + "'\"" + text + "\"'"));
        continue;
      }
    }
    if (tokens.front() == "base") {
      diags.add(source, "/base",
                "the bases are merged before any --set: name them in the scenario file's \"base\" "
                "(or --set the fields themselves)");
      continue;
    }
    if (const std::string hint = misspelt_key(merged.document, tokens); !hint.empty()) {
      diags.add(source, hint.substr(0, hint.find(' ')), hint.substr(hint.find(' ') + 1));
      continue;
    }
    // A path through an array (script.0.at_block, /expect/1/value): a merge patch cannot index
    // an array (it would replace it with an object), so the element is changed in place.
    if (set_through_array(merged, tokens, value, source, diags)) continue;
    json patch = value;
    for (auto it = tokens.rbegin(); it != tokens.rend(); ++it) {
      json wrapper = json::object();
      wrapper[*it] = std::move(patch);
      patch = std::move(wrapper);
    }
    // A null value deletes the field, as in a merge patch.
    merge_patch(merged.document, patch, "", source, merged.provenance);
  }
}

std::string override_pointer(const nlohmann::json& document, const std::string& path) {
  std::vector<std::string> tokens;
  if (path.empty() || !path_tokens(document, path, tokens).empty()) return "";
  std::string pointer;
  for (const auto& t : tokens) pointer += "/" + escape_pointer_token(t);
  return pointer;
}

}  // namespace subnetsim::scenario
