#include "subnetsim/config/param_paths.hpp"

#include <charconv>
#include <cmath>
#include <functional>
#include <limits>

#include "subnetsim/core/number_text.hpp"

namespace subnetsim::config {

namespace {

std::string fmt(double x) { return core::number_text(x); }

// One settable subnet field: how to read and write it as a double, and its range.
struct SubnetField {
  const char* name;
  double lo, hi;
  bool integral;
  std::function<double(const SubnetParams&)> get;
  std::function<void(SubnetParams&, double)> set;
};

template <class T>
SubnetField field(const char* name, T SubnetParams::*member, double lo, double hi) {
  constexpr bool integral = std::is_integral_v<T>;
  return {name, lo, hi, integral,
          [member](const SubnetParams& p) { return static_cast<double>(p.*member); },
          [member](SubnetParams& p, double v) {
            if constexpr (std::is_same_v<T, bool>) p.*member = v != 0.0;
            else if constexpr (integral) p.*member = static_cast<T>(std::llround(v));
            else p.*member = v;
          }};
}

const std::vector<SubnetField>& subnet_fields() {
  // Ranges as in scenarios/FORMAT.md (the loader's ranges for the same fields).
  static const std::vector<SubnetField> fields = {
      field("tempo", &SubnetParams::tempo, 1, 50400),
      field("activity_cutoff_factor_milli", &SubnetParams::activity_cutoff_factor_milli, 1, 1e6),
      field("kappa", &SubnetParams::kappa, 0, 1),
      field("bonds_penalty", &SubnetParams::bonds_penalty, 0, 1),
      field("bonds_moving_average", &SubnetParams::bonds_moving_average, 0, 1),
      field("alpha_low", &SubnetParams::alpha_low, 0, 1),
      field("alpha_high", &SubnetParams::alpha_high, 0, 1),
      field("alpha_sigmoid_steepness", &SubnetParams::alpha_sigmoid_steepness, -32768, 32767),
      field("rho", &SubnetParams::rho, 0, 65535),
      field("max_allowed_uids", &SubnetParams::max_allowed_uids, 1, 65535),
      field("max_allowed_validators", &SubnetParams::max_allowed_validators, 1, 65535),
      field("immunity_period", &SubnetParams::immunity_period, 0, 65535),
      field("min_non_immune_uids", &SubnetParams::min_non_immune_uids, 0, 65535),
      field("min_allowed_weights", &SubnetParams::min_allowed_weights, 0, 65535),
      field("max_weights_limit", &SubnetParams::max_weights_limit, 0, 1),
      field("weights_rate_limit", &SubnetParams::weights_rate_limit, 0, 1e9),
      field("commit_reveal", &SubnetParams::commit_reveal, 0, 1),
      field("reveal_period_epochs", &SubnetParams::reveal_period_epochs, 1, 100),
      field("stake_threshold_tao", &SubnetParams::stake_threshold_tao, 0, 21e6),
      field("min_validator_stake_tao", &SubnetParams::min_validator_stake_tao, 0, 21e6),
      field("validator_take", &SubnetParams::validator_take, 0, 1),
      field("burn_tao", &SubnetParams::burn_tao, 0, 21e6),
      field("min_burn_tao", &SubnetParams::min_burn_tao, 0, 21e6),
      field("max_burn_tao", &SubnetParams::max_burn_tao, 0, 21e6),
      field("burn_half_life_blocks", &SubnetParams::burn_half_life_blocks, 1, 1e8),
      field("burn_increase_mult", &SubnetParams::burn_increase_mult, 1, 100),
      field("max_registrations_per_block", &SubnetParams::max_registrations_per_block, 1, 65535),
  };
  return fields;
}

const SubnetField* find_subnet_field(std::string_view name) {
  for (const auto& f : subnet_fields())
    if (name == f.name) return &f;
  return nullptr;
}

constexpr const char* kChainFields[] = {"/emission/tao_per_block", "/emission/yearly_decay",
                                        "/market/drift_per_year", "/market/volatility_per_year"};

double* chain_field(Scenario& s, std::string_view pointer) {
  if (pointer == "/emission/tao_per_block") return &s.emission.tao_per_block;
  if (pointer == "/emission/yearly_decay") return &s.emission.yearly_decay;
  if (pointer == "/market/drift_per_year") return &s.market.drift_per_year;
  if (pointer == "/market/volatility_per_year") return &s.market.volatility_per_year;
  return nullptr;
}

}  // namespace

std::optional<ParamPath> parse_param_path(std::string_view path, std::string* why) {
  std::string p(path);
  if (!p.empty() && p[0] != '/') {
    for (char& c : p)
      if (c == '.') c = '/';
    p = "/" + p;
  }
  auto fail = [&](std::string msg) -> std::optional<ParamPath> {
    if (why) *why = std::move(msg);
    return std::nullopt;
  };
  for (const char* c : kChainFields)
    if (p == c) return ParamPath{ParamPath::Scope::kChainWide, 0, p};
  const std::string defaults = "/subnet_defaults/", subnets = "/subnets/";
  if (p.rfind(defaults, 0) == 0) {
    std::string name = p.substr(defaults.size());
    if (!find_subnet_field(name)) return fail("\"" + name + "\" is not a numeric subnet field");
    return ParamPath{ParamPath::Scope::kEverySubnet, 0, name};
  }
  if (p.rfind(subnets, 0) == 0) {
    const auto slash = p.find('/', subnets.size());
    if (slash == std::string::npos) return fail("expected /subnets/<netuid>/<field>");
    const std::string id = p.substr(subnets.size(), slash - subnets.size());
    unsigned netuid = 0;
    auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), netuid);
    if (ec != std::errc() || end != id.data() + id.size() || netuid < 1 || netuid > 65535)
      return fail("\"" + id + "\" is not a netuid");
    std::string name = p.substr(slash + 1);
    if (!find_subnet_field(name)) return fail("\"" + name + "\" is not a numeric subnet field");
    return ParamPath{ParamPath::Scope::kOneSubnet, static_cast<std::uint16_t>(netuid), name};
  }
  return fail("only /subnets/<netuid>/<field>, /subnet_defaults/<field>, /emission/tao_per_block, "
              "/emission/yearly_decay, /market/drift_per_year and /market/volatility_per_year "
              "can change during a run");
}

std::string check_param_value(const ParamPath& p, double value) {
  double lo = 0, hi = 0;
  bool integral = false;
  if (p.scope == ParamPath::Scope::kChainWide) {
    if (p.field == "/emission/tao_per_block") hi = 1e6;
    else if (p.field == "/emission/yearly_decay") hi = 1;
    else if (p.field == "/market/drift_per_year") lo = -10, hi = 10;
    else hi = 10;
  } else {
    const SubnetField* f = find_subnet_field(p.field);
    lo = f->lo, hi = f->hi, integral = f->integral;
  }
  if (!(value >= lo && value <= hi))
    return "must be in [" + fmt(lo) + ", " + fmt(hi) + "], got " + fmt(value);
  if (integral && std::trunc(value) != value) return "must be an integer, got " + fmt(value);
  return {};
}

namespace {

// The first problem `check(params, whose)` finds on the subnets a change of p reaches: its one
// subnet (one the script creates later takes the defaults), or the defaults and every subnet.
template <typename Check>
std::string first_problem(const Scenario& s, const ParamPath& p, Check check) {
  if (p.scope == ParamPath::Scope::kOneSubnet) {
    const auto it = s.subnets.find(p.netuid);
    return check(it != s.subnets.end() ? it->second : s.subnet_defaults,
                 "subnet " + std::to_string(p.netuid));
  }
  if (auto why = check(s.subnet_defaults, std::string("the subnet defaults")); !why.empty())
    return why;
  for (const auto& [netuid, params] : s.subnets)
    if (auto why = check(params, "subnet " + std::to_string(netuid)); !why.empty()) return why;
  return {};
}

}  // namespace

std::string check_param_pairs(const Scenario& s, const ParamPath& p, double value) {
  if (p.scope == ParamPath::Scope::kChainWide) return {};
  struct Pair {
    const char* low;
    const char* high;
  };
  static constexpr Pair kPairs[] = {{"alpha_low", "alpha_high"}, {"min_burn_tao", "max_burn_tao"}};
  for (const Pair& pair : kPairs) {
    const bool is_low = p.field == pair.low;
    if (!is_low && p.field != pair.high) continue;
    const SubnetField* other = find_subnet_field(is_low ? pair.high : pair.low);
    return first_problem(
        s, p, [&](const SubnetParams& params, const std::string& whose) -> std::string {
          const double bound = other->get(params);
          if (is_low ? !(value > bound) : !(value < bound)) return {};
          return p.field + " " + fmt(value) + " would " + (is_low ? "exceed " : "fall below ") +
                 other->name + " (" + fmt(bound) + ") of " + whose;
        });
  }
  // A new burn must lie within the burn's bounds (as a scenario's burn_tao must): the chain
  // would clamp it without a word.
  if (p.field == "burn_tao")
    return first_problem(
        s, p, [&](const SubnetParams& params, const std::string& whose) -> std::string {
          if (value >= params.min_burn_tao && value <= params.max_burn_tao) return {};
          return "burn_tao " + fmt(value) + " would lie outside [min_burn_tao, max_burn_tao] = [" +
                 fmt(params.min_burn_tao) + ", " + fmt(params.max_burn_tao) + "] of " + whose;
        });
  return {};
}

void apply_param(Scenario& s, const ParamPath& p, double value) {
  switch (p.scope) {
    case ParamPath::Scope::kChainWide: *chain_field(s, p.field) = value; return;
    case ParamPath::Scope::kEverySubnet: {
      const SubnetField* f = find_subnet_field(p.field);
      f->set(s.subnet_defaults, value);
      for (auto& [netuid, params] : s.subnets) f->set(params, value);
      return;
    }
    case ParamPath::Scope::kOneSubnet: find_subnet_field(p.field)->set(s.subnets.at(p.netuid), value); return;
  }
}

double read_param(const Scenario& s, const ParamPath& p) {
  switch (p.scope) {
    case ParamPath::Scope::kChainWide: return *chain_field(const_cast<Scenario&>(s), p.field);
    case ParamPath::Scope::kEverySubnet: return find_subnet_field(p.field)->get(s.subnet_defaults);
    case ParamPath::Scope::kOneSubnet: return find_subnet_field(p.field)->get(s.subnets.at(p.netuid));
  }
  return 0.0;
}

}  // namespace subnetsim::config
