// A generator of random scenarios for the simulation's tests: every agent type, slashing trigger
// and destination, script action, proposal, price model, emission schedule and split, drawn
// from a fixed splitmix64 stream so each test sees the same scenarios on every machine.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace sim_test {

// splitmix64: a fixed, portable generator for the scenarios themselves.
struct Gen {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  long range(long lo, long hi) {
    return lo + static_cast<long>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  double real(double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(next() >> 11) * 0x1p-53;
  }
  bool coin(double p = 0.5) { return real(0, 1) < p; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[next() % v.size()];
  }
};

inline std::string num(double x) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}
inline std::string str(const std::string& s) { return "\"" + s + "\""; }

// Comma-separated members of a JSON object or array.
struct List {
  std::vector<std::string> items;
  void add(const std::string& key, const std::string& value) {
    items.push_back(str(key) + ": " + value);
  }
  void push(const std::string& value) { items.push_back(value); }
  std::string object() const { return "{" + join() + "}"; }
  std::string array() const { return "[" + join() + "]"; }
  std::string join() const {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
    return out;
  }
};

inline std::string quality(Gen& g) {
  List q;
  switch (g.range(0, 3)) {
    case 0:
      q.add("dist", str("constant")), q.add("value", num(g.real(0, 1)));
      break;
    case 1: {
      const double lo = g.real(0, 0.5);
      q.add("dist", str("uniform")), q.add("lo", num(lo)), q.add("hi", num(g.real(lo, 1)));
      break;
    }
    case 2:
      q.add("dist", str("normal")), q.add("mean", num(g.real(0, 1))),
          q.add("sd", num(g.real(0, 0.3)));
      break;
    default:
      q.add("dist", str("beta")), q.add("a", num(g.real(0.5, 5))), q.add("b", num(g.real(0.5, 5)));
      break;
  }
  return q.object();
}

inline const std::vector<std::string> kTypes = {
    "honest_miner",     "innovator_miner",       "cloner_miner",   "sybil_miner",
    "churner_miner",    "honest_validator",      "lazy_validator", "copier_validator",
    "cartel_validator", "adversarial_validator", "passive_staker", "yield_chaser_staker",
    "leveraged_staker"};

// One random scenario; `index` only names it. `scale` multiplies the horizon, the subnets'
// capacity and every group's size. Without stakers (and without the emission split by stake)
// the scenario is one whose epochs compute on a thread of their own while other subnets decide
// (Simulation::Impl::overlap_epochs), when it runs on two threads or more.
inline std::string random_scenario(Gen& g, int index, long scale = 1, bool with_stakers = true) {
  const long horizon = scale * g.range(500, 1400);
  std::vector<int> netuids;
  const long nsub = g.range(1, 4);
  while (static_cast<long>(netuids.size()) < nsub) {
    const int n = static_cast<int>(g.range(1, 12));
    if (std::find(netuids.begin(), netuids.end(), n) == netuids.end()) netuids.push_back(n);
  }
  std::sort(netuids.begin(), netuids.end());
  auto any_netuid = [&] { return netuids[g.next() % netuids.size()]; };
  auto subnet_ref = [&] { return g.coin(0.25) ? str("all") : std::to_string(any_netuid()); };
  auto block = [&] { return std::to_string(g.range(1, horizon)); };

  List top;
  top.add("name", str("random-" + std::to_string(index)));
  top.add("seed", std::to_string(g.range(0, 1'000'000)));
  top.add("horizon_blocks", std::to_string(horizon));

  const double initial = g.coin() ? 0.0 : g.real(0, 5000);
  List chain;
  chain.add("epoch_schedule", str(g.coin() ? "last_epoch_block" : "legacy_modulo"));
  chain.add("max_epochs_per_block", std::to_string(g.range(1, 3)));
  chain.add("initial_issuance_tao", num(initial));
  chain.add("block_time_s", num(g.pick(std::vector<double>{12, 60, 600})));
  // total_supply_tao is added once the agents are known: what they hold is issued at block 0
  // too, and the supply must exceed it (by a little, so that halvings come soon).

  List em;
  const std::string schedule =
      g.pick(std::vector<std::string>{"halving", "yearly_decay", "flat", "table"});
  em.add("schedule", str(schedule));
  em.add("tao_per_block", num(g.real(0.1, 3)));
  if (schedule == "yearly_decay")
    em.add("yearly_decay", num(g.real(0, 0.9))),
        em.add("blocks_per_year", std::to_string(g.range(100, 1000)));
  if (schedule == "table") {
    List t;
    t.push("{\"from_block\": 0, \"tao_per_block\": " + num(g.real(0, 2)) + "}");
    t.push("{\"from_block\": " + std::to_string(g.range(1, horizon)) +
           ", \"tao_per_block\": " + num(g.real(0, 2)) + "}");
    em.add("table", t.array());
  }
  const std::string split = with_stakers
                                ? g.pick(std::vector<std::string>{"equal", "weights", "stake"})
                                : g.pick(std::vector<std::string>{"equal", "weights"});
  em.add("subnet_split", str(split));
  if (split == "weights") {
    List w;
    for (int n : netuids) w.add(std::to_string(n), num(g.real(0, 10)));
    em.add("subnet_weights", w.object());
  }
  top.add("emission", em.object());

  List market;
  const std::string model = g.pick(std::vector<std::string>{"constant", "gbm", "path"});
  market.add("model", str(model));
  market.add("initial_usd", num(g.real(10, 500)));
  market.add("update_every_blocks", std::to_string(g.range(5, 200)));
  if (model == "gbm")
    market.add("drift_per_year", num(g.real(-2, 2))),
        market.add("volatility_per_year", num(g.real(0, 3)));
  if (model == "path") {
    const long b1 = g.range(1, horizon);
    market.add("path", "[{\"block\": 0, \"usd\": " + num(g.real(10, 500)) + "}, {\"block\": " +
                           std::to_string(b1) + ", \"usd\": " + num(g.real(1, 500)) + "}]");
  }
  top.add("market", market.object());

  List subnets;
  for (int n : netuids) {
    List p;
    p.add("tempo", std::to_string(g.range(3, 40)));
    p.add("yuma", str(g.pick(std::vector<std::string>{"classic", "yuma3", "yuma3_liquid",
                                                      "classic_liquid_v1", "legacy_sigmoid"})));
    p.add("max_allowed_uids", std::to_string(scale * g.range(6, 40)));
    p.add("max_allowed_validators", std::to_string(g.range(1, 10)));
    p.add("immunity_period", std::to_string(g.range(0, 300)));
    p.add("min_non_immune_uids", std::to_string(g.range(0, 5)));
    p.add("weights_rate_limit", std::to_string(g.range(0, 50)));
    p.add("commit_reveal", g.coin(0.3) ? "true" : "false");
    p.add("reveal_period_epochs", std::to_string(g.range(1, 3)));
    p.add("min_allowed_weights", std::to_string(g.range(0, 3)));
    p.add("max_weights_limit", num(g.coin() ? 1.0 : g.real(0.2, 1)));
    p.add("stake_threshold_tao", num(g.coin() ? 0 : g.real(0, 50)));
    p.add("min_validator_stake_tao", num(g.coin() ? 0 : g.real(0, 300)));
    p.add("validator_take", num(g.real(0, 0.5)));
    p.add("burn_tao", num(g.real(0.01, 5)));
    p.add("burn_half_life_blocks", std::to_string(g.range(10, 500)));
    p.add("burn_increase_mult", num(g.real(1, 2)));
    p.add("max_registrations_per_block", std::to_string(g.range(1, 3)));
    p.add("activity_cutoff_factor_milli", std::to_string(g.range(500, 20000)));
    p.add("kappa", num(g.real(0.3, 0.7)));
    p.add("bonds_moving_average", num(g.real(0.5, 0.99)));
    const std::string preset =
        g.pick(std::vector<std::string>{"bittensor", "guide", "ocean", "gensyn", "custom"});
    if (preset == "custom") {
      // Five shares in hundredths, summing to exactly 100.
      long parts[5], left = 100;
      for (int i = 0; i < 4; ++i) parts[i] = g.range(0, left), left -= parts[i];
      parts[4] = left;
      const char* names[] = {"owner", "miners", "validators", "treasury", "community"};
      List s;
      s.add("preset", str("custom"));
      for (int i = 0; i < 5; ++i) s.add(names[i], num(static_cast<double>(parts[i]) / 100.0));
      p.add("emission_split", s.object());
    } else {
      p.add("emission_split", "{\"preset\": " + str(preset) + "}");
    }
    subnets.add(std::to_string(n), p.object());
  }
  top.add("subnets", subnets.object());

  // Every agent type, one group each (two honest validator groups).
  List agents;
  std::vector<std::string> miner_groups, validator_groups, all_groups;
  std::map<std::string, std::string> group_type, group_where;
  double agents_tao = 0.0;  // what the agents hold at block 0, at most
  const std::vector<std::string> votes = {"abstain", "yes", "no", "random", "self_interest"};
  for (std::size_t t = 0; t < kTypes.size() + 1; ++t) {
    const std::string type = t < kTypes.size() ? kTypes[t] : "honest_validator";
    if (!with_stakers && type.find("staker") != std::string::npos) continue;
    const std::string id = "g" + std::to_string(t);
    List a;
    double group_tao = 0.0;  // one agent's stake and balance
    auto held = [&](double tao) {
      group_tao += tao;
      return tao;
    };
    a.add("type", str(type));
    // A staker sits on its validator group's subnet, a cartel on its favoured miners' (a group
    // of another subnet they never meet).
    const bool staker = type.find("staker") != std::string::npos;
    const bool cartel = type == "cartel_validator";
    const std::string backed = staker   ? g.pick(validator_groups)
                               : cartel ? g.pick(miner_groups)
                                        : "";
    const std::string where = (staker || cartel) && group_where.at(backed) != str("all")
                                  ? group_where.at(backed)
                                  : subnet_ref();
    a.add("subnet", where);
    group_where[id] = where;
    long count = 0;
    auto counted = [&](long c) {
      count = c;
      return std::to_string(c);
    };
    a.add("vote", str(g.pick(votes)));
    const bool miner = type.find("miner") != std::string::npos;
    const bool validator = type.find("validator") != std::string::npos;
    if (miner) {
      a.add("count", counted(scale * (type == "sybil_miner" ? g.range(2, 8) : g.range(1, 6))));
      if (type != "cloner_miner") a.add("quality", quality(g));
      if (g.coin(0.3)) a.add("stake_tao", num(held(g.real(0, 100))));
      a.add("balance_tao", num(held(g.coin(0.2) ? 0.0 : g.real(0, 50))));
      if (g.coin(0.3)) a.add("join_block", block());
      if (type == "honest_miner") a.add("drift_per_epoch", num(g.real(0, 0.05)));
      if (type == "innovator_miner")
        a.add("jumps_per_day", num(g.real(0, 50))), a.add("jump_size", num(g.real(0, 0.5)));
      if (type == "cloner_miner")
        a.add("lag_epochs", std::to_string(g.range(0, 5))),
            a.add("duplicate_penalty", num(g.real(0, 1)));
      if (type == "churner_miner") a.add("churn_every_epochs", std::to_string(g.range(1, 5)));
      miner_groups.push_back(id);
    } else if (validator) {
      a.add("count", counted(scale * g.range(1, 4)));
      a.add("stake_tao", num(held(g.real(0, 5000))));
      if (g.coin(0.2)) a.add("join_block", block()), a.add("balance_tao", num(held(g.real(0, 20))));
      if (type == "honest_validator")
        a.add("noise", num(g.real(0, 0.3))), a.add("sharpness", num(g.real(0.5, 5))),
            a.add("weights_every_blocks", std::to_string(g.range(0, 50)));
      if (type == "lazy_validator")
        a.add("update_every_epochs", std::to_string(g.range(1, 5))),
            a.add("inactive_from_block", std::to_string(g.coin() ? 0 : g.range(1, horizon)));
      if (type == "copier_validator") a.add("lag_epochs", std::to_string(g.range(0, 3)));
      if (type == "cartel_validator")
        a.add("favours", str(backed)), a.add("favour_share", num(g.real(0, 1)));
      if (type == "adversarial_validator") a.add("mode", str(g.coin() ? "random" : "inverted"));
      validator_groups.push_back(id);
    } else {
      a.add("count", counted(scale * g.range(1, 3)));
      a.add("stake_tao", num(held(g.real(0, 2000))));
      a.add("validator", str(backed));
      if (type == "yield_chaser_staker")
        a.add("inertia", num(g.real(0, 1))),
            a.add("check_every_epochs", std::to_string(g.range(1, 4)));
      if (type == "leveraged_staker") {
        const double leverage = g.real(1, 5);
        a.add("leverage", num(leverage));
        group_tao *= 5;  // at most: what it borrows
        // Below the 1/leverage equity a position opens with (a margin above it is refused),
        // near enough to it that price falls of a few % liquidate.
        a.add("maintenance_margin", num(g.real(0.05, 0.95) / leverage));
        a.add("borrow_rate_per_year", num(g.real(0, 2)));
      }
    }
    agents.add(id, a.object());
    // On "all" subnets, one copy per subnet, those the script creates included (at most 12).
    const double copies = where == str("all") ? static_cast<double>(netuids.size() + 12) : 1.0;
    agents_tao += group_tao * copies * static_cast<double>(count);
    all_groups.push_back(id);
    group_type[id] = type;
  }
  top.add("agents", agents.object());
  chain.add("total_supply_tao", num(initial + agents_tao + g.real(2'000, 200'000)));
  top.add("chain", chain.object());

  const std::vector<std::string> destinations = {"burn", "treasury", "redistribute"};
  List slashing;
  for (const std::string trigger : {"validator_trust_below", "weight_distance_above", "scripted"}) {
    List r;
    r.add("trigger", str(trigger));
    // Drawn for every rule (the same stream as before), written for the judged ones only.
    const double threshold = g.real(0.05, 0.9);
    const long for_epochs = g.range(1, 4);
    if (trigger != "scripted") {
      r.add("threshold", num(threshold));
      r.add("for_epochs", std::to_string(for_epochs));
    }
    r.add("self_stake_fraction", num(g.real(0, 0.5)));
    r.add("delegated_stake_fraction", num(g.coin() ? 0 : g.real(0, 0.5)));
    r.add("destination", str(g.pick(destinations)));
    r.add("jail_epochs", std::to_string(g.range(0, 3)));
    if (g.coin(0.3)) r.add("subnets", "[" + std::to_string(any_netuid()) + "]");
    slashing.add(trigger, r.object());
  }
  top.add("slashing", slashing.object());

  List proposals;
  for (long k = g.range(0, 2); k > 0; --k) {
    List p;
    p.add("at_block", std::to_string(g.range(0, horizon)));
    p.add("voting_blocks", std::to_string(g.range(1, 400)));
    switch (g.range(0, 2)) {
      case 0:
        p.add("path", str("/subnets/" + std::to_string(any_netuid()) + "/min_validator_stake_tao")),
            p.add("value", num(g.real(0, 3000)));
        break;
      case 1:
        p.add("path", str("/subnet_defaults/kappa")), p.add("value", num(g.real(0.2, 0.8)));
        break;
      default:
        p.add("path", str("/emission/tao_per_block")), p.add("value", num(g.real(0, 3)));
        break;
    }
    p.add("quorum", num(g.real(0, 0.8)));
    p.add("threshold", num(g.real(0.2, 0.8)));
    proposals.add("p" + std::to_string(k), p.object());
  }
  top.add("proposals", proposals.object());

  // Script: a few of each action.
  List script;
  int created = 0;
  for (long k = g.range(4, 12); k > 0; --k) {
    List e;
    e.add("at_block", block());
    switch (g.range(0, 6)) {
      case 0: {
        e.add("do", str("set_param"));
        const std::string where =
            g.coin(0.3) ? "/subnet_defaults/" : "/subnets/" + std::to_string(any_netuid()) + "/";
        switch (g.range(0, 6)) {
          case 0:
            e.add("path", str(where + "tempo")), e.add("value", std::to_string(g.range(1, 50)));
            break;
          case 1:
            e.add("path", str(where + "kappa")), e.add("value", num(g.real(0, 1)));
            break;
          case 2:
            e.add("path", str(where + "max_allowed_uids")),
                e.add("value", std::to_string(g.range(2, 40)));
            break;
          case 3:
            e.add("path", str(where + "max_allowed_validators")),
                e.add("value", std::to_string(g.range(1, 10)));
            break;
          case 4:
            e.add("path", str(where + "commit_reveal")), e.add("value", g.coin() ? "1" : "0");
            break;
          case 5:
            e.add("path", str(where + "validator_take")), e.add("value", num(g.real(0, 1)));
            break;
          default:
            e.add("path", str("/emission/tao_per_block")), e.add("value", num(g.real(0, 5)));
            break;
        }
        break;
      }
      case 1: {
        // A group keeps its role: a type of the same kind, with the parameters it requires.
        const std::string group = g.pick(all_groups);
        const std::string& from = group_type.at(group);
        const char* role = from.find("miner") != std::string::npos       ? "miner"
                           : from.find("validator") != std::string::npos ? "validator"
                                                                         : "staker";
        std::vector<std::string> same_role;
        for (const auto& t : kTypes)
          if (t.find(role) != std::string::npos) same_role.push_back(t);
        std::string to = g.pick(same_role);
        // The groups this one meets: on its subnet, or either on "all".
        auto reachable = [&](const std::vector<std::string>& groups) {
          std::vector<std::string> out;
          for (const auto& v : groups)
            if (group_where.at(v) == group_where.at(group) || group_where.at(v) == str("all"))
              out.push_back(v);
          return out;
        };
        const auto favourable = reachable(miner_groups);
        if (to == "cartel_validator" && favourable.empty()) to = "honest_validator";
        List params;
        if (to == "cartel_validator")
          params.add("favours", str(g.pick(favourable))),
              params.add("favour_share", num(g.real(0, 1)));
        if (to == "honest_validator" && g.coin()) params.add("noise", num(g.real(0, 0.3)));
        if (std::string(role) == "staker")
          params.add("validator", str(g.pick(reachable(validator_groups))));
        e.add("do", str("switch_strategy")), e.add("agent", str(group)), e.add("to_type", str(to));
        e.add("params", params.object());
        break;
      }
      case 2:
        e.add("do", str("price_shock")), e.add("factor", num(g.real(0.1, 2)));
        break;
      case 3:
        e.add("do", str("stake_shock")), e.add("agent", str(g.pick(all_groups))),
            e.add("factor", num(g.real(0, 3)));
        break;
      case 4:
        e.add("do", str("create_subnet")), e.add("netuid", std::to_string(100 + created++));
        break;
      case 5:
        e.add("do", str("take_offline")), e.add("agent", str(g.pick(all_groups))),
            e.add("blocks", std::to_string(g.range(0, 300)));
        break;
      default: {
        // Stakers hold no uid: the script slashes miners and validators.
        std::vector<std::string> with_uids = miner_groups;
        with_uids.insert(with_uids.end(), validator_groups.begin(), validator_groups.end());
        e.add("do", str("slash")), e.add("agent", str(g.pick(with_uids))),
            e.add("rule", str("scripted"));
      } break;
    }
    script.push(e.object());
  }
  top.add("script", script.array());
  return top.object();
}

}  // namespace sim_test
