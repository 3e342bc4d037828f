// Building the merged scenario document: parsing (with duplicate-key and depth checks), base
// presets, JSON Merge Patch with provenance, and --set overrides. Internal to `scenario`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "object_reader.hpp"
#include "subnetsim/scenario/loader.hpp"

namespace subnetsim::scenario {

inline constexpr std::size_t kMaxFileBytes = kMaxScenarioFileBytes;

// Parses `text` as a JSON object document. Syntax errors (with line and column), duplicate keys,
// excessive nesting and a non-object top level are reported against `file`. Returns null json
// (discarded) on any error.
json parse_document(std::string_view text, const std::string& file, core::Diagnostics& diags);

// RFC 7386 merge of `patch` into `target` at `pointer`, recording provenance for what it sets.
void merge_patch(json& target, const json& patch, const std::string& pointer,
                 const std::string& file, Provenance& provenance);

struct Merged {
  json document;
  Provenance provenance;
};

// Loads `path` with its bases (recursively), merged in order. `text` is the file's content when
// already read (pass nullptr to read it).
void load_with_bases(const std::string& path, const std::string* text,
                     const std::vector<std::string>& config_dirs, Merged& merged,
                     core::Diagnostics& diags);

// Applies "path=value" overrides (path dotted or a JSON pointer; value parsed as JSON, or taken
// as a string when it is not JSON and starts with a letter).
void apply_overrides(const std::vector<std::string>& overrides, Merged& merged,
                     core::Diagnostics& diags);

}  // namespace subnetsim::scenario
