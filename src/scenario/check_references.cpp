// Cross-section checks: every id a section names must exist, and parameter paths must name a
// numeric field of the resolved scenario.
#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "read_sections.hpp"
#include "subnetsim/config/param_paths.hpp"

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

// A path a proposal or set_param may change, and a value it may take (config/param_paths.hpp).
// Subnets created by the script count as existing.
// `runs_before(netuid)`: a script event in the block that creates `netuid`, written before the
// creation (a block's events run in the file's order).
void check_param(const ReadContext& ctx, const std::string& base, const std::string& path,
                 double value, std::uint64_t at_block, const Scenario& s,
                 const std::map<std::uint16_t, std::uint64_t>& created,
                 const std::function<bool(std::uint16_t)>& runs_before = {}) {
  if (ctx.reported(base + "/path")) return;  // missing or not a string: said once
  std::string why;
  const auto p = parse_param_path(path, &why);
  if (!p) {
    ctx.error(base + "/path", "expected a parameter that can change during a run (" + why +
                                  "), got \"" + path + "\"");
    return;
  }
  if (p->scope == ParamPath::Scope::kOneSubnet && !s.subnets.count(p->netuid)) {
    auto it = created.find(p->netuid);
    if (it == created.end()) {
      ctx.error(base + "/path", "subnet " + std::to_string(p->netuid) + " does not exist, got \"" +
                                    path + "\"");
      return;
    }
    if (at_block < it->second) {
      ctx.error(base + "/path", "subnet " + std::to_string(p->netuid) +
                                    " is created by the script at block " +
                                    std::to_string(it->second) + ", after this change at block " +
                                    std::to_string(at_block) + ", got \"" + path + "\"");
      return;
    }
    if (at_block == it->second && runs_before && runs_before(p->netuid)) {
      ctx.error(base + "/path", "subnet " + std::to_string(p->netuid) +
                                    " is created by the script in the same block " +
                                    std::to_string(at_block) +
                                    " but after this change (a block's events run in the file's "
                                    "order), got \"" +
                                    path + "\"");
      return;
    }
  }
  if (ctx.reported(base + "/value")) return;  // missing or not a number: said once
  if (auto bad = check_param_value(*p, value); !bad.empty()) {
    ctx.error(base + "/value", bad);
    return;
  }
  // What a chain-wide change needs (subnet_split "weights": the subnet weights) is fixed for the
  // run, so it is known now, for the script and for votes alike.
  if (p->scope == ParamPath::Scope::kChainWide)
    if (auto bad = check_param_pairs(s, *p, value); !bad.empty()) ctx.error(base + "/value", bad);
}

// A scripted validator's target: an existing miner group on the validator's subnet, or one of
// its members ("group/index" with index < count).
template <class GroupKind>
void check_target(const ReadContext& ctx, const std::string& weights_ptr, const ScheduleTarget& t,
                  const AgentGroup& validator, const Scenario& s, GroupKind& group_kind) {
  const std::string key = t.index < 0 ? t.group : t.group + "/" + std::to_string(t.index);
  const std::string ptr = weights_ptr + escape_pointer_token(key);
  auto it = s.agents.find(t.group);
  if (it == s.agents.end() || !it->second.is_miner()) {
    group_kind(ptr, t.group, true, false);
    return;
  }
  const AgentGroup& miners = it->second;
  if (t.index >= 0 && static_cast<std::uint64_t>(t.index) >= miners.count)
    ctx.error(ptr, "group \"" + t.group + "\" has " + std::to_string(miners.count) +
                       " agents (indices from 0), got index " + std::to_string(t.index));
  if (miners.subnet != kAllSubnets && validator.subnet != kAllSubnets && miners.subnet != validator.subnet)
    ctx.error(ptr, "group \"" + t.group + "\" is on subnet " + std::to_string(miners.subnet) +
                       ", the validator on subnet " + std::to_string(validator.subnet));
}

// Indices of the script's events (file order) in the order they run: by block, ties in file
// order (the loader's stable sort).
std::vector<std::size_t> block_order(const json& events) {
  std::vector<std::size_t> order(events.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto block_of = [&](std::size_t i) { return events[i].value("at_block", std::uint64_t{0}); };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return block_of(a) < block_of(b); });
  return order;
}

const char* role_name(const AgentParams& params) {
  AgentGroup g;
  g.params = params;
  return g.is_miner() ? "miner" : g.is_validator() ? "validator" : "staker";
}

// switch_strategy changes how a group behaves, not what it is (a validator keeps validating:
// its registration, stake and delegations stay), and the new type's parameters name groups
// that must exist, as an agent group's do.
template <class GroupKind, class SameSubnet>
void check_switch(const ReadContext& ctx, const std::string& base, const AgentGroup& group,
                  const AgentParams& to, const Scenario& s, GroupKind& group_kind,
                  SameSubnet& same_subnet) {
  const std::string from_role = role_name(group.params), to_role = role_name(to);
  if (from_role != to_role) {
    ctx.error(base + "/to_type", "group \"" + group.id + "\" is a " + from_role +
                                     " group and stays one: expected a " + from_role +
                                     " type, got \"" + kAgentTypeNames[to.index()] + "\" (a " +
                                     to_role + " type)");
    return;
  }
  std::visit(
      [&](const auto& p) {
        using P = std::decay_t<decltype(p)>;
        // An empty name was reported missing by the reader.
        if constexpr (std::is_same_v<P, CartelValidator>)
          if (!p.favours.empty()) {
            group_kind(base + "/params/favours", p.favours, true, false);
            same_subnet(base + "/params/favours", group, p.favours,
                        "a cartel favours miners of its own subnet");
          }
        if constexpr (std::is_same_v<P, PassiveStaker> || std::is_same_v<P, YieldChaserStaker> ||
                      std::is_same_v<P, LeveragedStaker>)
          if (!p.validator.empty()) {
            group_kind(base + "/params/validator", p.validator, false, true);
            same_subnet(base + "/params/validator", group, p.validator,
                        "a staker delegates on its own subnet");
          }
        if constexpr (std::is_same_v<P, ScriptedValidator>)
          for (std::size_t i = 0; i < p.schedule.size(); ++i)
            for (const ScheduleTarget& t : p.schedule[i].targets)
              check_target(ctx, base + "/params/schedule/" + std::to_string(i) + "/weights/", t,
                           group, s, group_kind);
      },
      to);
}

// The script's set_param changes, played in block order on a copy of the parameters, must keep
// each pair of bounds in order (alpha_low <= alpha_high, min_burn_tao <= max_burn_tao), as the
// chain requires. A pair that a proposal also changes is left to the run, which refuses a
// change that breaks it when it comes: whether the proposal passes first is not known here.
void check_script_bounds(const ReadContext& ctx, const Scenario& s, const json& events) {
  std::set<std::string> voted;  // fields some proposal may change
  for (const auto& [id, p] : s.proposals)
    if (const auto path = parse_param_path(p.path)) voted.insert(path->field);
  auto paired_with_vote = [&](const std::string& field) {
    static const std::map<std::string, std::string> partner = {
        {"alpha_low", "alpha_high"}, {"alpha_high", "alpha_low"},
        {"min_burn_tao", "max_burn_tao"}, {"max_burn_tao", "min_burn_tao"}};
    const auto it = partner.find(field);
    // burn_tao is judged against both burn bounds.
    if (field == "burn_tao" && (voted.count("min_burn_tao") > 0 || voted.count("max_burn_tao") > 0))
      return true;
    return voted.count(field) > 0 || (it != partner.end() && voted.count(it->second) > 0);
  };
  auto block_of = [&](std::size_t i) { return events[i].value("at_block", std::uint64_t{0}); };
  Scenario running = s;
  for (const std::size_t i : block_order(events)) {
    const json& e = events[i];
    if (e.value("do", "") == "create_subnet" && e.contains("netuid")) {
      const auto netuid = static_cast<std::uint16_t>(e.at("netuid").get<std::uint64_t>());
      running.subnets.emplace(netuid, running.subnet_defaults);  // as the run creates it
      continue;
    }
    if (e.value("do", "") != "set_param" || !e.contains("path") || !e.contains("value")) continue;
    const auto path = parse_param_path(e.at("path").get<std::string>());
    // Chain-wide changes are checked with the other checks of their value (check_param).
    if (!path || path->scope == ParamPath::Scope::kChainWide) continue;
    const json& written = e.at("value");
    const auto named =
        written.is_string() ? param_choice(*path, written.get<std::string>()) : std::nullopt;
    if (!written.is_number() && !named) continue;  // reported already
    const double value = named ? *named : written.get<double>();
    if (!check_param_value(*path, value).empty()) continue;  // reported already
    if (path->scope == ParamPath::Scope::kOneSubnet && !running.subnets.count(path->netuid)) continue;
    if (paired_with_vote(path->field)) continue;
    if (auto bad = check_param_pairs(running, *path, value); !bad.empty()) {
      ctx.error("/script/" + std::to_string(i) + "/value",
                "at block " + std::to_string(block_of(i)) + ", " + bad +
                    " (the chain refuses it: change the other bound first)");
      continue;
    }
    apply_param(running, *path, value);
  }
}

}  // namespace

void check_references(const Scenario& s, const ReadContext& ctx, const json& resolved) {
  const auto subnet_ids = keys_of(s.subnets);
  std::map<std::uint16_t, std::uint64_t> created;  // subnets the script creates, and when
  for (const auto& e : s.script)
    if (e.action == ScriptAction::kCreateSubnet && !created.count(e.netuid)) created[e.netuid] = e.at_block;
  const auto group_ids = keys_of(s.agents);
  // A subnet refused where it is written (`"1": 5`) is not there: what follows from that alone
  // (no subnet left, groups on a missing subnet) would be a second line about one mistake.
  auto refused_subnet = [&](std::uint16_t netuid) {
    return ctx.reported("/subnets/" + std::to_string(netuid));
  };
  bool any_refused = false;
  for (const auto& d : ctx.diagnostics->items())
    any_refused = any_refused || d.pointer.rfind("/subnets/", 0) == 0;
  if (s.subnets.empty() && !any_refused)
    ctx.error("/subnets", "a scenario needs at least one subnet: add \"subnets\": {\"1\": {}} or "
                          "set /chain/subnet_count, got none");
  // Subnet weights are read only under subnet_split "weights": from the start, or once the
  // script or a vote switches to it. Otherwise they would be ignored without a word.
  if (s.emission.subnet_split != SubnetSplit::kWeights && !s.emission.subnet_weights.empty()) {
    auto to_weights = [](const std::string& path, double value) {
      const auto p = parse_param_path(path);
      return p && p->field == "/emission/subnet_split" && param_value_text(*p, value) == "weights";
    };
    bool switched = false;
    for (const auto& e : s.script)
      switched = switched || (e.action == ScriptAction::kSetParam && to_weights(e.path, e.value));
    for (const auto& [id, p] : s.proposals) switched = switched || to_weights(p.path, p.value);
    if (!switched)
      ctx.error(
          "/emission/subnet_weights",
          "only subnet_split \"weights\" reads subnet weights, got subnet_split \"" +
              std::string(enum_name<SubnetSplit>(kSubnetSplitNames, s.emission.subnet_split)) +
              "\" (and no set_param or proposal switches it to \"weights\")");
  }
  for (const auto& [netuid, w] : s.emission.subnet_weights)
    if (!s.subnets.count(netuid) && !created.count(netuid))
      ctx.error("/emission/subnet_weights/" + std::to_string(netuid),
                "subnet " + std::to_string(netuid) + " does not exist (subnets: " + list_ids(subnet_ids) + ")");

  // A group whose type was not understood (reported where it is written) has no kind to judge.
  auto type_unknown = [&](const std::string& id) {
    const auto agents = resolved.find("agents");
    if (agents == resolved.end() || !agents->contains(id)) return false;
    const json& g = agents->at(id);
    return g.is_object() && g.contains("type") && g.at("type").is_null();
  };
  auto group_kind = [&](const std::string& ptr, const std::string& id, bool want_miner,
                        bool want_validator) {
    if (ctx.reported(ptr)) return;  // missing or not a string: said once where it is read
    auto it = s.agents.find(id);
    if (it == s.agents.end()) {
      ctx.error(ptr, "agent group \"" + id + "\" does not exist (groups: " + list_ids(group_ids) + ")");
      return;
    }
    if (type_unknown(id)) return;
    if (want_miner && !it->second.is_miner())
      ctx.error(ptr, "expected a miner group, got \"" + id + "\" of type \"" + it->second.type_name() + "\"");
    if (want_validator && !it->second.is_validator())
      ctx.error(ptr, "expected a validator group, got \"" + id + "\" of type \"" +
                         it->second.type_name() + "\"");
  };

  // Two groups that must meet on a subnet: neither on "all" and on different subnets never do
  // (the staker never delegates, the stake never moves), which used to pass without a word.
  auto same_subnet = [&](const std::string& ptr, const AgentGroup& g, const std::string& other,
                         const char* why) {
    const auto it = s.agents.find(other);
    if (it == s.agents.end() || it->second.subnet == kAllSubnets || g.subnet == it->second.subnet)
      return;
    // A group on every subnet needs the other on every subnet too: on the others it would
    // find nobody (a cartel's favour_share, a staker's delegation, would do nothing there).
    ctx.error(ptr, "group \"" + other + "\" is on subnet " + std::to_string(it->second.subnet) +
                       ", group \"" + g.id + "\" on " +
                       (g.subnet == kAllSubnets ? std::string("every subnet")
                                                : "subnet " + std::to_string(g.subnet)) +
                       ": " + why);
  };

  // Every rao is counted in 64 bits, the ledger's totals included: the TAO the agents start
  // with, all groups together (a group on "all" subnets once per subnet), must fit.
  constexpr double kMaxTao = 18446744073.709551615;  // 2^64 - 1 rao
  // They are issued at block 0, as is what leveraged stakers borrow, and no schedule emits
  // beyond the supply cap: more than it would leave the whole run without emission.
  double initial_tao = 0.0, issued_at_start = s.chain.initial_issuance_tao;
  for (const auto& [id, g] : s.agents) {
    const double held = (g.subnet == kAllSubnets ? static_cast<double>(s.subnets.size()) : 1.0) *
                        static_cast<double>(g.count) * (g.stake_tao + g.balance_tao);
    const auto* lev = std::get_if<LeveragedStaker>(&g.params);
    initial_tao += held;
    issued_at_start += lev ? held * lev->leverage : held;
  }
  if (initial_tao > kMaxTao)
    ctx.error("/agents", "the agents' initial stakes and balances add up to " +
                             format_number(initial_tao) +
                             " TAO, more than 64-bit rao can count (18,446,744,073 TAO)");
  if (initial_tao <= kMaxTao && issued_at_start > s.chain.total_supply_tao)
    ctx.error("/agents", "the agents' initial stakes and balances (with what leveraged stakers "
                         "borrow) and /chain/initial_issuance_tao are issued at block 0: " +
                             format_number(issued_at_start) + " TAO, more than /chain/total_supply_tao (" +
                             format_number(s.chain.total_supply_tao) +
                             "), so nothing would ever be emitted; raise total_supply_tao or lower them");

  for (const auto& [id, g] : s.agents) {
    const std::string base = "/agents/" + escape_pointer_token(id);
    if (g.subnet != kAllSubnets && !s.subnets.count(g.subnet) && !created.count(g.subnet) &&
        !refused_subnet(g.subnet))
      ctx.error(base + "/subnet", "subnet " + std::to_string(g.subnet) +
                                      " does not exist (subnets: " + list_ids(subnet_ids) + ")");
    std::visit(
        [&](const auto& p) {
          using P = std::decay_t<decltype(p)>;
          if constexpr (std::is_same_v<P, CartelValidator>) {
            group_kind(base + "/favours", p.favours, true, false);
            same_subnet(base + "/favours", g, p.favours,
                        "a cartel favours miners of its own subnet");
          }
          if constexpr (std::is_same_v<P, PassiveStaker> || std::is_same_v<P, YieldChaserStaker> ||
                        std::is_same_v<P, LeveragedStaker>) {
            group_kind(base + "/validator", p.validator, false, true);
            same_subnet(base + "/validator", g, p.validator, "a staker delegates on its own subnet");
          }
          if constexpr (std::is_same_v<P, ScriptedValidator>)
            for (std::size_t i = 0; i < p.schedule.size(); ++i)
              for (const ScheduleTarget& t : p.schedule[i].targets)
                check_target(ctx, base + "/schedule/" + std::to_string(i) + "/weights/", t, g, s, group_kind);
        },
        g.params);
  }
  for (const auto& [id, rule] : s.slashing)
    for (std::size_t i = 0; i < rule.subnets.size(); ++i)
      if (!s.subnets.count(rule.subnets[i]) && !created.count(rule.subnets[i]))  // as for agents
        ctx.error("/slashing/" + escape_pointer_token(id) + "/subnets/" + std::to_string(i),
                  "subnet " + std::to_string(rule.subnets[i]) + " does not exist (subnets: " +
                      list_ids(subnet_ids) + ", or one the script creates)");
  for (const auto& [id, p] : s.proposals)
    check_param(ctx, "/proposals/" + escape_pointer_token(id), p.path, p.value, p.at_block, s, created);

  // Script events were sorted; their pointers use the file order, kept in the resolved array.
  // The loader's stable sort by block, redone on the file's order, pairs them up again.
  const json& events = resolved.at("script");
  std::vector<const ScriptEvent*> typed(events.size());
  const std::vector<std::size_t> order = block_order(events);
  for (std::size_t k = 0; k < order.size() && k < s.script.size(); ++k) typed[order[k]] = &s.script[k];
  std::map<int, std::size_t> first_creation;  // netuid -> the event (file order) that creates it
  // The file index of the event that creates each subnet (at its block, the earliest in the file).
  std::map<std::uint16_t, std::size_t> creation_index;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const json& e = events[i];
    if (e.value("do", "") != "create_subnet" || !e.contains("netuid") ||
        !e.at("netuid").is_number_unsigned() || !e.contains("at_block") ||
        !e.at("at_block").is_number_unsigned())
      continue;
    const auto netuid = static_cast<std::uint16_t>(e.at("netuid").get<std::uint64_t>());
    const auto made = created.find(netuid);
    if (made != created.end() && made->second == e.at("at_block").get<std::uint64_t>() &&
        !creation_index.count(netuid))
      creation_index[netuid] = i;
  }
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
    // An action on a group whose subnet the script has not created yet (an earlier block, or
    // the same block before the creation in the file) would find no agent there and do nothing
    // (its event still said it was done). switch_strategy and take_offline mark every member,
    // registered or not, and so take effect at the creation.
    if (action != "switch_strategy" && action != "take_offline" && e.contains("at_block") &&
        e.at("at_block").is_number_unsigned())
      for (const char* key : {"agent", "from", "to"}) {
        if (!e.contains(key) || !e.at(key).is_string()) continue;
        const auto group = s.agents.find(e.at(key).get<std::string>());
        if (group == s.agents.end() || group->second.subnet == kAllSubnets ||
            s.subnets.count(group->second.subnet))
          continue;
        const auto made = created.find(group->second.subnet);
        const auto at = e.at("at_block").get<std::uint64_t>();
        const auto creation = creation_index.find(group->second.subnet);
        const bool before =
            made != created.end() &&
            (at < made->second ||
             (at == made->second && creation != creation_index.end() && i < creation->second));
        const std::string when =
            at < made->second ? "at block " + std::to_string(made->second) + ", after this " +
                                    action + " at block " + std::to_string(at)
                              : "in the same block " + std::to_string(at) + " but after this " +
                                    action + " (a block's events run in the file's order)";
        if (before)
          ctx.error(base + "/" + key, "group \"" + group->first + "\" is on subnet " +
                                          std::to_string(group->second.subnet) +
                                          ", which the script creates " + when +
                                          ": it would act on no one");
      }
    // The value as read (a name of a named parameter is its index by now).
    if (action == "set_param" && e.contains("path") && e.contains("value") && typed[i] != nullptr)
      check_param(ctx, base, e.at("path").get<std::string>(), typed[i]->value,
                  e.at("at_block").get<std::uint64_t>(), s, created, [&](std::uint16_t netuid) {
                    const auto creation = creation_index.find(netuid);
                    return creation != creation_index.end() && i < creation->second;
                  });
    // A missing rule was reported by the reader.
    if (action == "slash" && e.contains("rule") && !ctx.reported(base + "/rule") &&
        !s.slashing.count(e.value("rule", "")))
      ctx.error(base + "/rule", "slashing rule \"" + e.value("rule", "") +
                                    "\" does not exist (rules: " + list_ids(keys_of(s.slashing)) + ")");
    if (action == "slash" && e.contains("agent")) {
      // Stakers hold no uid: a slash of them would do nothing.
      auto it = s.agents.find(e.at("agent").get<std::string>());
      if (it != s.agents.end() && !type_unknown(it->first) && !it->second.is_miner() &&
          !it->second.is_validator())
        ctx.error(base + "/agent",
                  "expected a miner or validator group (a slash takes stake from a "
                  "uid's hotkey; stakers hold no uid), got \"" +
                      it->first + "\" of type \"" + it->second.type_name() + "\"");
    }
    if (action == "switch_strategy") {
      const std::string t = e.value("to_type", "");
      bool known = false;
      for (const char* name : kAgentTypeNames) known = known || t == name;
      if (!known) ctx.error(base + "/to_type", "expected an agent type (e.g. \"honest_validator\"), got \"" + t + "\"");
      const auto group = s.agents.find(e.value("agent", ""));
      if (known && group != s.agents.end() && typed[i] != nullptr && !type_unknown(group->first))
        check_switch(ctx, base, group->second, typed[i]->to_params, s, group_kind, same_subnet);
    }
    if (action == "move_stake") {
      // A missing one was reported by the reader (it resolves to "").
      for (const char* key : {"from", "to"})
        if (e.contains(key) && !e.at(key).get<std::string>().empty())
          group_kind(base + "/" + key, e.at(key).get<std::string>(), false, true);
      if (const auto from = s.agents.find(e.value("from", "")); from != s.agents.end())
        same_subnet(base + "/to", from->second, e.value("to", ""),
                    "stake moves within a subnet");
    }
    if (action == "set_take" && e.contains("agent")) {
      auto it = s.agents.find(e.at("agent").get<std::string>());
      if (it != s.agents.end() && !type_unknown(it->first) && !it->second.is_validator())
        ctx.error(base + "/agent", "expected a validator group, got \"" + it->first + "\" of type \"" +
                                       it->second.type_name() + "\"");
    }
    if (action == "create_subnet") {
      auto netuid = e.value("netuid", 0);
      if (s.subnets.count(static_cast<std::uint16_t>(netuid))) {
        ctx.error(base + "/netuid", "subnet " + std::to_string(netuid) + " already exists");
      } else if (const auto first = first_creation.find(netuid); first != first_creation.end()) {
        ctx.error(base + "/netuid", "subnet " + std::to_string(netuid) +
                                        " is already created by /script/" +
                                        std::to_string(first->second) + ", got a second creation");
      } else {
        first_creation[netuid] = i;
      }
    }
  }
  check_script_bounds(ctx, s, events);
}

}  // namespace subnetsim::scenario
