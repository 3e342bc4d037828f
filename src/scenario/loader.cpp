// The scenario loader: merged document -> typed config::Scenario, every problem reported.
#include "subnetsim/scenario/loader.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "document.hpp"
#include "read_sections.hpp"
#include "subnetsim/core/json_text.hpp"

#ifndef SUBNETSIM_DEFAULT_CONFIG_DIR
#define SUBNETSIM_DEFAULT_CONFIG_DIR "configs"
#endif

namespace subnetsim::scenario {

std::set<std::string> accepted_fields_snapshot();  // object_reader.cpp

std::set<std::string> accepted_fields() { return accepted_fields_snapshot(); }

std::string default_config_dir() {
  if (const char* env = std::getenv("SUBNETSIM_CONFIGS"); env != nullptr && *env != '\0') return env;
  return SUBNETSIM_DEFAULT_CONFIG_DIR;
}

namespace {

using namespace config;

void read_scenario(ObjectReader& r, Scenario& s) {
  const std::size_t problems_before = r.context().diagnostics->size();
  r.string("name", s.name, Need::kRequired);
  // The name is the default output directory (runs/NAME) and appears in file names: it must be
  // one path component, with nothing that would reach outside runs/ or into another directory.
  // (A missing or non-string name is reported already.)
  const bool control = std::any_of(s.name.begin(), s.name.end(),
                                   [](unsigned char ch) { return ch < 0x20 || ch == 0x7f; });
  if (r.context().diagnostics->size() == problems_before &&
      (s.name.find_first_not_of(' ') == std::string::npos || s.name == "." || s.name == ".." ||
       s.name.find_first_of("/\\") != std::string::npos || control || s.name.front() == ' ' ||
       s.name.back() == ' '))
    r.context().error(r.pointer_of("name"),
                      "expected a name usable as a directory name (no \"/\", \"\\\", control "
                      "characters, spaces at either end, and not empty, \".\" or \"..\"), got \"" +
                          s.name + "\"");
  r.string("description", s.description);
  r.integer<std::uint64_t>("seed", s.seed);
  r.integer<std::uint64_t>("horizon_blocks", s.horizon_blocks, 1, 1'000'000'000'000ULL);
  read_chain(r.object("chain"), s.chain);
  read_emission(r.object("emission"), s.emission);
  read_subnet_params(r.object("subnet_defaults"), s.subnet_defaults);
  for (std::uint32_t netuid = 1; netuid <= s.chain.subnet_count; ++netuid)
    s.subnets[static_cast<std::uint16_t>(netuid)] = s.subnet_defaults;
  r.map("subnets", [&](const std::string& key, ObjectReader& sub) {
    auto netuid = parse_netuid(key);
    if (!netuid) {
      r.context().error(sub.pointer(), "expected a netuid key in [1, 65535], got \"" + key + "\"");
      return;
    }
    SubnetParams p = s.subnet_defaults;
    read_subnet_params(sub, p);
    s.subnets[*netuid] = p;
  });
  read_market(r.object("market"), s.market);
  r.map("agents", [&](const std::string& id, ObjectReader& a) {
    // Agents are named "id/index", and schedules name "group" or "group/index": an id with a
    // "/" could name another group's member.
    const bool id_control =
        std::any_of(id.begin(), id.end(), [](unsigned char ch) { return ch < 0x20 || ch == 0x7f; });
    if (id.empty() || id.find('/') != std::string::npos || id_control)
      r.context().error(a.pointer(),
                        "expected a group id without \"/\" or control characters, not empty (its "
                        "agents are named id/0, id/1, ...), got " +
                            core::dump_json(nlohmann::json(id)));
    AgentGroup g;
    g.id = id;
    read_agent_group(a, g);
    s.agents[id] = std::move(g);
  });
  // Each agent costs a few KB of state and outputs: more than this would exhaust the memory of
  // a large machine before the first block, so it is refused here rather than by std::bad_alloc.
  constexpr std::uint64_t kMaxAgents = 2'000'000;
  std::uint64_t agents_in_all = 0;
  for (const auto& [id, g] : s.agents) {
    const std::uint64_t copies = g.subnet == kAllSubnets ? s.subnets.size() : 1;
    agents_in_all += static_cast<std::uint64_t>(g.count) * copies;
    if (agents_in_all > kMaxAgents) {
      r.context().error("/agents/" + escape_pointer_token(id) + "/count",
                        "expected at most 2,000,000 agents in all (each takes a few KB), got " +
                            std::to_string(agents_in_all) + " with this group" +
                            (copies > 1 ? " (" + std::to_string(g.count) + " on each of " +
                                              std::to_string(copies) + " subnets)"
                                        : std::string()));
      break;
    }
  }
  r.map("slashing", [&](const std::string& id, ObjectReader& rule) {
    // Events and the story name the rule: an empty id would leave them a blank.
    if (id.empty() ||
        std::any_of(id.begin(), id.end(), [](unsigned char ch) { return ch < 0x20 || ch == 0x7f; }))
      r.context().error(rule.pointer(),
                        "expected a rule id, not empty and without control characters, got " +
                            core::dump_json(nlohmann::json(id)));
    SlashingRule sr;
    sr.id = id;
    read_slashing_rule(rule, sr);
    s.slashing[id] = sr;
  });
  r.map("proposals", [&](const std::string& id, ObjectReader& pr) {
    Proposal p;
    p.id = id;
    read_proposal(pr, p);
    s.proposals[id] = p;
  });
  r.object_array("script", [&](std::size_t, ObjectReader& ev) {
    ScriptEvent e;
    read_script_event(ev, e);
    s.script.push_back(e);
  });
  std::stable_sort(s.script.begin(), s.script.end(),
                   [](const ScriptEvent& a, const ScriptEvent& b) { return a.at_block < b.at_block; });
  r.object_array("expect", [&](std::size_t, ObjectReader& ex) {
    Expectation e;
    read_expectation(ex, e);
    s.expect.push_back(e);
  });
  read_outputs(r.object("outputs"), s.outputs);
  r.finish();
}

LoadResult finish_load(const std::string& scenario_file, Merged& merged, core::Diagnostics diags,
                       const LoadOptions& options) {
  LoadResult result;
  if (diags.empty()) apply_overrides(options.overrides, merged, diags);
  if (!diags.empty()) {
    result.diagnostics = std::move(diags);
    return result;
  }
  ReadContext ctx{&merged.provenance, &diags};
  json resolved = json::object();
  Scenario s;
  ObjectReader top(ctx, &merged.document, "", "", resolved);
  read_scenario(top, s);
  check_references(s, ctx, resolved);  // also after other errors: report everything at once
  result.resolved_json = core::dump_json(resolved, 2) + "\n";
  if (!diags.empty()) {
    result.diagnostics = std::move(diags);
    return result;
  }
  if (!s.market.path_csv.empty()) {
    result.price_csv_source = merged.provenance.file_for("/market/path_csv");
    const bool from_set = result.price_csv_source.rfind(kSetSourcePrefix, 0) == 0;
    result.price_csv_path =
        (std::filesystem::path(from_set ? scenario_file : result.price_csv_source).parent_path() /
         s.market.path_csv)
            .string();
  }
  result.scenario = std::move(s);
  return result;
}

LoadOptions with_default_dirs(const LoadOptions& options) {
  LoadOptions o = options;
  if (o.config_dirs.empty()) o.config_dirs.push_back(default_config_dir());
  return o;
}

}  // namespace

LoadResult load_scenario(const std::string& path, const LoadOptions& options) {
  const LoadOptions o = with_default_dirs(options);
  Merged merged;
  core::Diagnostics diags;
  load_with_bases(path, nullptr, o.config_dirs, merged, diags);
  return finish_load(path, merged, std::move(diags), o);
}

LoadResult load_scenario_text(std::string_view text, const std::string& name,
                              const LoadOptions& options) {
  const LoadOptions o = with_default_dirs(options);
  Merged merged;
  core::Diagnostics diags;
  const std::string content(text);
  load_with_bases(name, &content, o.config_dirs, merged, diags);
  return finish_load(name, merged, std::move(diags), o);
}

}  // namespace subnetsim::scenario
