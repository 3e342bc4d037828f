// Reading agent groups: common fields, then the keys of the group's type only.
#include <variant>

#include "read_sections.hpp"

namespace subnetsim::scenario {

using namespace config;

void read_distribution(ObjectReader r, Distribution& d) {
  r.enumeration<Dist>("dist", d.dist, kDistNames);
  // Only the parameters of the chosen distribution are accepted.
  switch (d.dist) {
    case Dist::kConstant: r.real("value", d.value, 0, 1); break;
    case Dist::kUniform:
      r.real("lo", d.lo, 0, 1);
      r.real("hi", d.hi, 0, 1);
      if (d.lo > d.hi)
        r.context().error(r.pointer_of("lo"), "must not exceed hi (" + format_number(d.hi) +
                                                  "), got " + format_number(d.lo));
      break;
    case Dist::kNormal:
      r.real("mean", d.mean, 0, 1);
      r.real("sd", d.sd, 0, 10);
      break;
    case Dist::kBeta:
      r.real("a", d.a, 1e-6, 1e6);
      r.real("b", d.b, 1e-6, 1e6);
      break;
  }
  r.finish("for this \"dist\"");
}

namespace {

// A schedule target: "group" or "group/index" (index without leading zeros).
ScheduleTarget parse_target(const std::string& key, double weight) {
  ScheduleTarget t{key, -1, weight};
  const auto slash = key.rfind('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == key.size()) return t;
  const std::string digits = key.substr(slash + 1);
  if (digits.size() > 9 || (digits.size() > 1 && digits[0] == '0') ||
      digits.find_first_not_of("0123456789") != std::string::npos)
    return t;
  t.group = key.substr(0, slash);
  t.index = std::stoll(digits);
  return t;
}

// "weights": {"target": relative weight, ...}: numbers >= 0, at least one of them > 0.
void read_step_weights(ObjectReader& r, std::vector<ScheduleTarget>& out) {
  const std::string expected = "an object {\"miner group or group/index\": weight}";
  const json* v = r.raw("weights", Need::kRequired, expected);
  json resolved = json::object();
  if (v != nullptr && !v->is_object()) {
    r.context().error(r.pointer_of("weights"), "expected " + expected + ", got " + describe(*v));
  } else if (v != nullptr) {
    double total = 0.0;
    for (auto it = v->begin(); it != v->end(); ++it) {
      const std::string ptr = r.pointer_of("weights") + "/" + escape_pointer_token(it.key());
      if (!it->is_number() || !(it->get<double>() >= 0.0 && it->get<double>() <= 1e12)) {
        r.context().error(ptr, "must be a number in [0, 1e+12], got " + describe(*it));
        continue;
      }
      out.push_back(parse_target(it.key(), it->get<double>()));
      total += it->get<double>();
      resolved[it.key()] = it->get<double>();
    }
    if (!(total > 0.0) && out.size() == v->size())
      r.context().error(r.pointer_of("weights"), "needs at least one weight > 0, got " +
                                                     (v->empty() ? std::string("none") : "only zeros"));
  }
  r.set_resolved("weights", resolved);
}

// "schedule": [{"from_epoch": E, "weights": {...}}, ...], not empty, from_epoch increasing.
void read_schedule(ObjectReader& r, std::vector<ScheduleStep>& schedule) {
  if (r.raw("schedule", Need::kRequired, "an array of {\"from_epoch\", \"weights\"}") == nullptr) return;
  r.object_array("schedule", [&](std::size_t, ObjectReader& step) {
    ScheduleStep s;
    step.integer<std::uint64_t>("from_epoch", s.from_epoch, 0, 1'000'000'000, Need::kRequired);
    read_step_weights(step, s.targets);
    step.finish("in a schedule step");
    if (!schedule.empty() && s.from_epoch <= schedule.back().from_epoch)
      r.context().error(step.pointer_of("from_epoch"),
                        "must be greater than the previous step's from_epoch (" +
                            std::to_string(schedule.back().from_epoch) + "), got " +
                            std::to_string(s.from_epoch));
    schedule.push_back(std::move(s));
  });
  const json* v = r.raw("schedule");
  if (v != nullptr && v->is_array() && v->empty())
    r.context().error(r.pointer_of("schedule"), "needs at least one step, got an empty array");
}

// Reads the type-specific keys into the alternative chosen by type name.
struct ParamsReader {
  ObjectReader& r;
  void operator()(HonestMiner& p) {
    read_distribution(r.object("quality"), p.quality);
    r.real("drift_per_epoch", p.drift_per_epoch, 0, 1);
  }
  void operator()(InnovatorMiner& p) {
    read_distribution(r.object("quality"), p.quality);
    r.real("jumps_per_day", p.jumps_per_day, 0, 1e4);
    r.real("jump_size", p.jump_size, 0, 1);
  }
  void operator()(ClonerMiner& p) {
    r.integer<std::uint32_t>("lag_epochs", p.lag_epochs, 0, 1'000'000);
    r.real("duplicate_penalty", p.duplicate_penalty, 0, 1);
  }
  void operator()(SybilMiner& p) { read_distribution(r.object("quality"), p.quality); }
  void operator()(ChurnerMiner& p) {
    read_distribution(r.object("quality"), p.quality);
    r.integer<std::uint32_t>("churn_every_epochs", p.churn_every_epochs, 1, 1'000'000);
  }
  void operator()(HonestValidator& p) {
    r.real("noise", p.noise, 0, 10);
    r.real("sharpness", p.sharpness, 0, 100);
    r.integer<std::uint64_t>("weights_every_blocks", p.weights_every_blocks, 0, 1'000'000'000);
    r.boolean("winner_takes_all", p.winner_takes_all);
  }
  void operator()(LazyValidator& p) {
    r.real("noise", p.noise, 0, 10);
    r.real("sharpness", p.sharpness, 0, 100);
    r.integer<std::uint32_t>("update_every_epochs", p.update_every_epochs, 1, 1'000'000);
    r.integer<std::uint64_t>("inactive_from_block", p.inactive_from_block);
  }
  void operator()(CopierValidator& p) {
    r.integer<std::uint32_t>("lag_epochs", p.lag_epochs, 0, 1'000'000);
  }
  void operator()(CartelValidator& p) {
    r.string("favours", p.favours, Need::kRequired);
    r.real("favour_share", p.favour_share, 0, 1);
    r.real("noise", p.noise, 0, 10);
    r.real("sharpness", p.sharpness, 0, 100);
  }
  void operator()(AdversarialValidator& p) {
    r.enumeration<AdversarialMode>("mode", p.mode, kAdversarialModeNames);
    r.real("sharpness", p.sharpness, 0, 100);
  }
  void operator()(PassiveStaker& p) { r.string("validator", p.validator, Need::kRequired); }
  void operator()(YieldChaserStaker& p) {
    r.string("validator", p.validator, Need::kRequired);
    r.real("inertia", p.inertia, 0, 1);
    r.integer<std::uint32_t>("check_every_epochs", p.check_every_epochs, 1, 1'000'000);
  }
  void operator()(LeveragedStaker& p) {
    r.string("validator", p.validator, Need::kRequired);
    r.real("leverage", p.leverage, 1, 100);
    r.real("maintenance_margin", p.maintenance_margin, 0, 1);
    r.real("borrow_rate_per_year", p.borrow_rate_per_year, 0, 10);
    // A position opens with equity 1/leverage of its value: a margin above that liquidates it at
    // its first check, whatever the price does.
    if (p.leverage >= 1 && p.maintenance_margin > 1.0 / p.leverage)
      r.context().error(r.pointer_of("maintenance_margin"),
                        "must not exceed 1/leverage = " + format_number(1.0 / p.leverage) +
                            " (a position opens with that share of equity, so it would be "
                            "liquidated at once), got " +
                            format_number(p.maintenance_margin));
  }
  void operator()(ScriptedValidator& p) { read_schedule(r, p.schedule); }
};

template <std::size_t I = 0>
bool make_params(std::string_view type, AgentParams& out) {
  if constexpr (I < std::variant_size_v<AgentParams>) {
    if (type == kAgentTypeNames[I]) {
      out.emplace<I>();
      return true;
    }
    return make_params<I + 1>(type, out);
  } else {
    return false;
  }
}

std::string agent_type_choices() {
  std::string out;
  constexpr std::size_t n = std::size(kAgentTypeNames);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) out += (i + 1 == n) ? " or " : ", ";
    out += '"' + std::string(kAgentTypeNames[i]) + '"';
  }
  return out;
}

}  // namespace

bool read_agent_params(ObjectReader& r, std::string_view key, std::string_view type,
                       AgentParams& out) {
  const json* node = r.raw(key, Need::kOptional, "an object of the new type's parameters");
  if (node != nullptr && !node->is_object()) {
    r.context().error(r.pointer_of(key), "expected an object of the new type's parameters, got " +
                                             describe(*node));
    node = nullptr;
  }
  if (!make_params(type, out)) return false;  // the type itself is reported by the caller
  // Fields as an agent group's: the same names, ranges and defaults (schema /agents/*).
  json resolved = json::object();
  ObjectReader params(r.context(), node, r.pointer_of(key), "/agents/*", resolved);
  std::visit(ParamsReader{params}, out);
  params.finish("for agent type \"" + std::string(type) + "\"");
  r.set_resolved(key, resolved);
  return true;
}

void read_agent_group(ObjectReader& r, AgentGroup& g) {
  const std::string choices = agent_type_choices();
  const json* type = r.raw("type", Need::kRequired, "one of " + choices);
  bool type_ok = false;
  if (type != nullptr) {
    if (type->is_string() && make_params(type->get<std::string>(), g.params)) {
      type_ok = true;
    } else {
      r.context().error(r.pointer_of("type"), "expected one of " + choices + ", got " + describe(*type));
    }
  }
  r.set_resolved("type", type_ok ? json(g.type_name()) : json(nullptr));
  r.integer<std::uint32_t>("count", g.count, 0, 65535);
  // "subnet": a netuid, or "all" for one copy of the group on every subnet.
  const json* subnet = r.raw("subnet", Need::kOptional, "a netuid or \"all\"");
  if (subnet != nullptr) {
    if (subnet->is_string() && subnet->get<std::string>() == "all") {
      g.subnet = kAllSubnets;
    } else if (subnet->is_number_unsigned() && subnet->get<std::uint64_t>() >= 1 &&
               subnet->get<std::uint64_t>() <= 65535) {
      g.subnet = static_cast<std::uint16_t>(subnet->get<std::uint64_t>());
    } else {
      r.context().error(r.pointer_of("subnet"),
                        "expected a netuid in [1, 65535] or \"all\", got " + describe(*subnet));
    }
  }
  r.set_resolved("subnet", g.subnet == kAllSubnets ? json("all") : json(g.subnet));
  r.real("stake_tao", g.stake_tao, 0, 21e6);
  r.real("balance_tao", g.balance_tao, 0, 21e6);
  r.integer<std::uint64_t>("join_block", g.join_block);
  r.enumeration<VotePolicy>("vote", g.vote, kVotePolicyNames);
  if (type_ok) {
    std::visit(ParamsReader{r}, g.params);
    r.finish("for agent type \"" + std::string(g.type_name()) + "\"");
  } else {
    // Without a valid type, the remaining keys can't be judged; only report the clear typos.
  }
}

}  // namespace subnetsim::scenario
