// Scenario loading: a file (plus its base presets and command-line overrides) becomes a typed,
// validated config::Scenario, or a complete list of diagnostics.
//
// Resolution order: each file's `base` list (paths relative to the file, then to each config
// directory), recursively, merged in order with JSON Merge Patch (RFC 7386); then the file
// itself; then every `--set path=value` override in command-line order. Every problem is
// collected (syntax, duplicate keys, unknown keys with suggestions, types, ranges, missing
// fields, dangling references, circular or missing bases) and reported with the file that
// supplied the offending value and its JSON pointer. When diagnostics is non-empty, scenario is
// empty and nothing must run.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "subnetsim/config/scenario.hpp"
#include "subnetsim/core/diagnostics.hpp"

namespace subnetsim::scenario {

// The largest scenario file read (bytes): a bound on memory, and on resolved_scenario.json,
// which a run writes to be read again (rerun, report, compare).
inline constexpr std::size_t kMaxScenarioFileBytes = std::size_t{16} << 20;

struct LoadOptions {
  std::vector<std::string> overrides;    // "path=value"; path dotted or a JSON pointer
  std::vector<std::string> config_dirs;  // where bases are looked for after the file's own folder
};

struct LoadResult {
  std::optional<config::Scenario> scenario;
  std::string resolved_json;  // the fully resolved scenario with every default, pretty-printed
  core::Diagnostics diagnostics;
  // With /market/path_csv: the input that gave it (the scenario, the base preset that set it,
  // or a "--set ..." override), and where the file is: next to the file that names it (a
  // preset's own folder, so that a preset with its price path works from any scenario), or
  // for a --set next to the scenario.
  std::string price_csv_source, price_csv_path;
  bool ok() const { return scenario.has_value(); }
};

// The folder of presets shipped with the tool: $SUBNETSIM_CONFIGS if set, else the source tree's
// configs/ (compiled in).
std::string default_config_dir();

LoadResult load_scenario(const std::string& path, const LoadOptions& options = {});

// Loads from memory; `name` is used as the file name in diagnostics (fuzzing and tests).
LoadResult load_scenario_text(std::string_view text, const std::string& name,
                              const LoadOptions& options = {});

// Every field path the loader accepts, as schema paths with `*` for ids and array indices
// (e.g. "/subnets/*/kappa"). Filled as fields are read, so it is complete after loading a
// scenario that exercises every type of agent, rule and event.
std::set<std::string> accepted_fields();

}  // namespace subnetsim::scenario
