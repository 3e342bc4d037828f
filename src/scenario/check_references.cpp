// Cross-section checks: every id a section names must exist, and parameter paths must name a
// numeric field of the resolved scenario.
#include <string>

#include "read_sections.hpp"

namespace subnetsim::scenario {

using namespace config;

namespace {

std::string list_ids(const std::vector<std::string>& ids) {
  if (ids.empty()) return "none";
  std::string out;
  for (std::size_t i = 0; i < ids.size() && i < 12; ++i) out += (i ? ", " : "") + ids[i];
  if (ids.size() > 12) out += ", ...";
  return out;
}

template <class Map>
std::vector<std::string> keys_of(const Map& m) {
  std::vector<std::string> out;
  for (const auto& [k, v] : m) {
    if constexpr (std::is_same_v<std::decay_t<decltype(k)>, std::string>) out.push_back(k);
    else out.push_back(std::to_string(k));
  }
  return out;
}

// Accepts "/subnets/3/kappa" for a subnet created by subnet_count (it has no entry of its own in
// the resolved document) by checking the field exists in /subnet_defaults.
bool numeric_path_exists(const std::string& path, const Scenario& s, const json& resolved) {
  std::string p = path;
  if (!p.empty() && p[0] != '/') {  // dotted form
    for (char& c : p)
      if (c == '.') c = '/';
    p = "/" + p;
  }
  const std::string prefix = "/subnets/";
  if (p.rfind(prefix, 0) == 0) {
    auto slash = p.find('/', prefix.size());
    if (slash != std::string::npos) {
      auto netuid = parse_netuid(p.substr(prefix.size(), slash - prefix.size()));
      if (!netuid || !s.subnets.count(*netuid)) return false;
      p = "/subnet_defaults" + p.substr(slash);
    }
  }
  try {
    json::json_pointer jp(p);
    if (!resolved.contains(jp)) return false;
    const json& v = resolved.at(jp);
    return v.is_number() || v.is_boolean();
  } catch (const json::exception&) {
    return false;
  }
}

}  // namespace

void check_references(const Scenario& s, const ReadContext& ctx, const json& resolved) {
  const auto subnet_ids = keys_of(s.subnets);
  const auto group_ids = keys_of(s.agents);
  if (s.subnets.empty())
    ctx.error("/subnets", "a scenario needs at least one subnet: add \"subnets\": {\"1\": {}} or "
                          "set /chain/subnet_count, got none");
  for (const auto& [netuid, w] : s.emission.subnet_weights)
    if (!s.subnets.count(netuid))
      ctx.error("/emission/subnet_weights/" + std::to_string(netuid),
                "subnet " + std::to_string(netuid) + " does not exist (subnets: " + list_ids(subnet_ids) + ")");

  auto group_kind = [&](const std::string& ptr, const std::string& id, bool want_miner,
                        bool want_validator) {
    auto it = s.agents.find(id);
    if (it == s.agents.end()) {
      ctx.error(ptr, "agent group \"" + id + "\" does not exist (groups: " + list_ids(group_ids) + ")");
      return;
    }
    if (want_miner && !it->second.is_miner())
      ctx.error(ptr, "expected a miner group, got \"" + id + "\" of type \"" + it->second.type_name() + "\"");
    if (want_validator && !it->second.is_validator())
      ctx.error(ptr, "expected a validator group, got \"" + id + "\" of type \"" +
                         it->second.type_name() + "\"");
  };

  for (const auto& [id, g] : s.agents) {
    const std::string base = "/agents/" + escape_pointer_token(id);
    if (g.subnet != kAllSubnets && !s.subnets.count(g.subnet))
      ctx.error(base + "/subnet", "subnet " + std::to_string(g.subnet) +
                                      " does not exist (subnets: " + list_ids(subnet_ids) + ")");
    std::visit(
        [&](const auto& p) {
          using P = std::decay_t<decltype(p)>;
          if constexpr (std::is_same_v<P, CartelValidator>) group_kind(base + "/favours", p.favours, true, false);
          if constexpr (std::is_same_v<P, PassiveStaker> || std::is_same_v<P, YieldChaserStaker> ||
                        std::is_same_v<P, LeveragedStaker>)
            group_kind(base + "/validator", p.validator, false, true);
        },
        g.params);
  }
  for (const auto& [id, rule] : s.slashing)
    for (std::size_t i = 0; i < rule.subnets.size(); ++i)
      if (!s.subnets.count(rule.subnets[i]))
        ctx.error("/slashing/" + escape_pointer_token(id) + "/subnets/" + std::to_string(i),
                  "subnet " + std::to_string(rule.subnets[i]) + " does not exist (subnets: " +
                      list_ids(subnet_ids) + ")");
  for (const auto& [id, p] : s.proposals)
    if (!numeric_path_exists(p.path, s, resolved))
      ctx.error("/proposals/" + escape_pointer_token(id) + "/path",
                "expected the path of a numeric scenario field (e.g. \"/subnets/1/min_validator_stake_tao\"), got \"" +
                    p.path + "\"");

  // Script events were sorted; their pointers use the file order, kept in the resolved array.
  const json& events = resolved.at("script");
  for (std::size_t i = 0; i < events.size(); ++i) {
    const json& e = events[i];
    const std::string base = "/script/" + std::to_string(i);
    const std::string action = e.value("do", "");
    if (e.contains("agent")) {
      const std::string agent = e.at("agent").get<std::string>();
      if (!s.agents.count(agent))
        ctx.error(base + "/agent", "agent group \"" + agent + "\" does not exist (groups: " +
                                       list_ids(group_ids) + ")");
    }
    if (action == "set_param" && !numeric_path_exists(e.value("path", ""), s, resolved))
      ctx.error(base + "/path", "expected the path of a numeric scenario field (e.g. \"/subnets/1/kappa\"), got \"" +
                                    e.value("path", "") + "\"");
    if (action == "slash" && !s.slashing.count(e.value("rule", "")))
      ctx.error(base + "/rule", "slashing rule \"" + e.value("rule", "") +
                                    "\" does not exist (rules: " + list_ids(keys_of(s.slashing)) + ")");
    if (action == "switch_strategy") {
      const std::string t = e.value("to_type", "");
      bool known = false;
      for (const char* name : kAgentTypeNames) known = known || t == name;
      if (!known) ctx.error(base + "/to_type", "expected an agent type (e.g. \"honest_validator\"), got \"" + t + "\"");
    }
    if (action == "create_subnet") {
      auto netuid = e.value("netuid", 0);
      if (s.subnets.count(static_cast<std::uint16_t>(netuid)))
        ctx.error(base + "/netuid", "subnet " + std::to_string(netuid) + " already exists");
    }
  }
}

}  // namespace subnetsim::scenario
