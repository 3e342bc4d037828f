#include "subnetsim/config/param_paths.hpp"

#include <charconv>
#include <cmath>
#include <functional>
#include <iterator>
#include <limits>
#include <span>
#include <vector>

#include "subnetsim/core/edit_distance.hpp"
#include "subnetsim/core/number_text.hpp"

namespace subnetsim::config {

namespace {

std::string fmt(double x) { return core::number_text(x); }

// The names of an enumeration, in table order: a named field's value is its index here.
template <class E>
std::vector<std::string> names_of(std::span<const EnumName<E>> table) {
  std::vector<std::string> out;
  for (const auto& e : table) out.emplace_back(e.name);
  return out;
}

template <class E>
double index_of(std::span<const EnumName<E>> table, E value) {
  for (std::size_t i = 0; i < table.size(); ++i)
    if (table[i].value == value) return static_cast<double>(i);
  return 0.0;
}

// One settable field: how to read and write it as a double, its range, and for a named field
// (an enumeration) its names, the value being the index of one.
template <class Params>
struct Field {
  const char* name;  // subnet field name, or the chain-wide pointer
  double lo, hi;
  bool integral;
  std::function<double(const Params&)> get;
  std::function<void(Params&, double)> set;
  std::vector<std::string> choices;  // empty: a number
  bool boolean = false;              // a bool field: 0 or 1, written true or false
};
using SubnetField = Field<SubnetParams>;
using ChainField = Field<Scenario>;

template <class Params, class T>
Field<Params> number(const char* name, T Params::*member, double lo, double hi) {
  constexpr bool integral = std::is_integral_v<T>;
  return {name,
          lo,
          hi,
          integral,
          [member](const Params& p) { return static_cast<double>(p.*member); },
          [member](Params& p, double v) {
            if constexpr (std::is_same_v<T, bool>)
              p.*member = v != 0.0;
            else if constexpr (integral)
              p.*member = static_cast<T>(std::llround(v));
            else
              p.*member = v;
          },
          {},
          std::is_same_v<T, bool>};
}

template <class Params, class E>
Field<Params> named(const char* name, std::span<const EnumName<E>> table,
                    std::function<E&(Params&)> member) {
  std::vector<std::string> choices = names_of(table);
  const double last = static_cast<double>(choices.size() - 1);
  return {
      name,
      0,
      last,
      true,
      [table, member](const Params& p) { return index_of(table, member(const_cast<Params&>(p))); },
      [table, member](Params& p, double v) {
        member(p) = table[static_cast<std::size_t>(v)].value;
      },
      std::move(choices)};
}

// The emission split by preset name; "custom" is listed so that a custom split reads as such,
// but it cannot be chosen (check_param_value: a custom split is its fractions).
SubnetField emission_split_field() {
  std::vector<std::string> choices(std::begin(kEmissionSplitPresets),
                                   std::end(kEmissionSplitPresets));
  choices.emplace_back("custom");
  const double last = static_cast<double>(choices.size() - 1);
  return {"emission_split",
          0,
          last,
          true,
          [choices](const SubnetParams& p) {
            for (std::size_t i = 0; i < choices.size(); ++i)
              if (p.emission_split.preset == choices[i]) return static_cast<double>(i);
            return static_cast<double>(choices.size() - 1);
          },
          [](SubnetParams& p, double v) {
            p.emission_split =
                *emission_split_preset(kEmissionSplitPresets[static_cast<std::size_t>(v)]);
          },
          std::move(choices)};
}

const std::vector<SubnetField>& subnet_fields() {
  // Ranges as in scenarios/FORMAT.md (the loader's ranges for the same fields).
  using P = SubnetParams;
  static const std::vector<SubnetField> fields = {
      number("tempo", &P::tempo, 1, 50400),
      named<P, consensus::Variant>("yuma", kYumaNames,
                                   [](P& p) -> consensus::Variant& { return p.yuma; }),
      number("activity_cutoff_factor_milli", &P::activity_cutoff_factor_milli, 1, 1e6),
      number("kappa", &P::kappa, 0, 1),
      number("bonds_penalty", &P::bonds_penalty, 0, 1),
      number("bonds_moving_average", &P::bonds_moving_average, 0, 1),
      number("alpha_low", &P::alpha_low, 0, 1),
      number("alpha_high", &P::alpha_high, 0, 1),
      number("alpha_sigmoid_steepness", &P::alpha_sigmoid_steepness, -32768, 32767),
      number("rho", &P::rho, 0, 65535),
      number("max_allowed_uids", &P::max_allowed_uids, 1, 65535),
      number("max_allowed_validators", &P::max_allowed_validators, 1, 65535),
      number("immunity_period", &P::immunity_period, 0, 65535),
      number("min_non_immune_uids", &P::min_non_immune_uids, 0, 65535),
      number("min_allowed_weights", &P::min_allowed_weights, 0, 65535),
      number("max_weights_limit", &P::max_weights_limit, 0, 1),
      number("weights_rate_limit", &P::weights_rate_limit, 0, 1e9),
      number("commit_reveal", &P::commit_reveal, 0, 1),
      number("reveal_period_epochs", &P::reveal_period_epochs, 1, 100),
      number("stake_threshold_tao", &P::stake_threshold_tao, 0, 21e6),
      number("min_validator_stake_tao", &P::min_validator_stake_tao, 0, 21e6),
      number("validator_take", &P::validator_take, 0, 1),
      number("burn_tao", &P::burn_tao, 0, 21e6),
      number("min_burn_tao", &P::min_burn_tao, 0, 21e6),
      number("max_burn_tao", &P::max_burn_tao, 0, 21e6),
      number("burn_half_life_blocks", &P::burn_half_life_blocks, 1, 1e8),
      number("burn_increase_mult", &P::burn_increase_mult, 1, 100),
      number("max_registrations_per_block", &P::max_registrations_per_block, 1, 65535),
      emission_split_field(),
  };
  return fields;
}

// A member of a section of the scenario, as a field of the whole scenario.
template <class Section, class T>
ChainField chain_number(const char* pointer, Section Scenario::*section, T Section::*member,
                        double lo, double hi) {
  Field<Section> f = number(pointer, member, lo, hi);
  return {pointer,
          lo,
          hi,
          f.integral,
          [section, get = f.get](const Scenario& s) { return get(s.*section); },
          [section, set = f.set](Scenario& s, double v) { set(s.*section, v); },
          {}};
}

const std::vector<ChainField>& chain_fields() {
  using S = Scenario;
  static const std::vector<ChainField> fields = {
      chain_number("/emission/tao_per_block", &S::emission, &EmissionConfig::tao_per_block, 0, 1e6),
      chain_number("/emission/yearly_decay", &S::emission, &EmissionConfig::yearly_decay, 0, 1),
      named<S, SubnetSplit>("/emission/subnet_split", kSubnetSplitNames,
                            [](S& s) -> SubnetSplit& { return s.emission.subnet_split; }),
      chain_number("/market/drift_per_year", &S::market, &MarketConfig::drift_per_year, -10, 10),
      chain_number("/market/volatility_per_year", &S::market, &MarketConfig::volatility_per_year, 0,
                   10),
      named<S, consensus::BackendKind>(
          "/chain/consensus_backend", kBackendNames,
          [](S& s) -> consensus::BackendKind& { return s.chain.consensus_backend; }),
      named<S, EpochSchedule>("/chain/epoch_schedule", kEpochScheduleNames,
                              [](S& s) -> EpochSchedule& { return s.chain.epoch_schedule; }),
      chain_number("/chain/max_epochs_per_block", &S::chain, &ChainConfig::max_epochs_per_block, 1,
                   1024),
  };
  return fields;
}

// Chain-wide settings a run keeps from its first block, and why: a path to one of them (or into
// one, e.g. /emission/table/0) is refused with the reason. With chain_fields, every setting of
// /chain, /emission and /market is listed; any other path there is a typo.
struct FixedSetting {
  const char* pointer;
  const char* why;
};
constexpr const char* kFixedEmission =
    "only /emission/tao_per_block, yearly_decay and subnet_split change during a run";
constexpr const char* kFixedMarket =
    "only /market/drift_per_year and volatility_per_year change during a run (the script's "
    "price_shock moves the price)";
constexpr FixedSetting kFixedSettings[] = {
    {"/chain/block_time_s",
     "it sets how long a block lasts, which yields per year and "
     "interest count in"},
    {"/chain/subnet_count",
     "it counts the subnets of block 0; the script's create_subnet adds one later"},
    {"/chain/total_supply_tao", "the cap and the halving thresholds count from it"},
    {"/chain/initial_issuance_tao", "it is the TAO issued at block 0"},
    {"/chain/tao_weight", "it is 0 only (the simulation has no root network)"},
    {"/emission/schedule", kFixedEmission},
    {"/emission/blocks_per_year", kFixedEmission},
    {"/emission/table", kFixedEmission},
    {"/emission/subnet_weights", kFixedEmission},
    {"/market/model", kFixedMarket},
    {"/market/initial_usd", kFixedMarket},
    {"/market/update_every_blocks", kFixedMarket},
    {"/market/path", kFixedMarket},
    {"/market/path_csv", kFixedMarket},
};

template <class F>
const F* find_field(const std::vector<F>& fields, std::string_view name) {
  for (const auto& f : fields)
    if (name == f.name) return &f;
  return nullptr;
}

const SubnetField* find_subnet_field(std::string_view name) {
  return find_field(subnet_fields(), name);
}
const ChainField* find_chain_field(std::string_view pointer) {
  return find_field(chain_fields(), pointer);
}

// "/chain/epoch_schedules": the setting of the same section with the nearest name, as a hint.
std::string chain_wide_hint(const std::string& p) {
  const std::size_t cut = p.find('/', 1) + 1;  // after "/chain/"
  const std::string section = p.substr(0, cut);
  std::vector<std::string> known;
  auto add = [&](std::string_view pointer) {
    if (pointer.substr(0, cut) == section) known.emplace_back(pointer.substr(cut));
  };
  for (const auto& f : chain_fields()) add(f.name);
  for (const FixedSetting& f : kFixedSettings) add(f.pointer);
  const std::string near = core::nearest_name(p.substr(cut), known);
  return near.empty() ? "" : " (did you mean " + section + near + "?)";
}

// What a subnet path may name, for the message when it names something else.
std::string subnet_field_problem(const std::string& name) {
  if (name.rfind("emission_split/", 0) == 0)
    return "\"" + name + "\" cannot change alone: set \"emission_split\" to a preset by name (" +
           quoted_choices(kEmissionSplitPresets) + ")";
  std::vector<std::string> known;
  for (const auto& f : subnet_fields()) known.emplace_back(f.name);
  const std::string near = core::nearest_name(name, known);
  return "\"" + name +
         "\" is not a subnet field that can change during a run (numbers, "
         "booleans, \"yuma\" and \"emission_split\" can)" +
         (near.empty() ? "" : "; did you mean \"" + near + "\"?");
}

}  // namespace

std::string param_pointer(const ParamPath& p) {
  switch (p.scope) {
    case ParamPath::Scope::kChainWide:
      return p.field;
    case ParamPath::Scope::kEverySubnet:
      return "/subnet_defaults/" + p.field;
    case ParamPath::Scope::kOneSubnet:
      break;
  }
  return "/subnets/" + std::to_string(p.netuid) + "/" + p.field;
}

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
  if (find_chain_field(p)) return ParamPath{ParamPath::Scope::kChainWide, 0, p};
  const std::string defaults = "/subnet_defaults/", subnets = "/subnets/";
  if (p.rfind(defaults, 0) == 0) {
    std::string name = p.substr(defaults.size());
    if (!find_subnet_field(name)) return fail(subnet_field_problem(name));
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
    if (!find_subnet_field(name)) return fail(subnet_field_problem(name));
    return ParamPath{ParamPath::Scope::kOneSubnet, static_cast<std::uint16_t>(netuid), name};
  }
  for (const FixedSetting& f : kFixedSettings) {
    const std::string_view fixed = f.pointer;
    if (p == fixed || (p.rfind(fixed, 0) == 0 && p[fixed.size()] == '/'))
      return fail(std::string(fixed) + " is fixed for a run: " + f.why);
  }
  for (const std::string section : {"/chain", "/emission", "/market"})
    if (p.rfind(section + "/", 0) == 0)
      return fail("no setting " + p + " in " + section + chain_wide_hint(p));
  return fail(
      "only /subnets/<netuid>/<field>, /subnet_defaults/<field> and a few settings of "
      "/chain, /emission and /market can change during a run (scenarios/FORMAT.md, "
      "\"Changeable parameters\")");
}

const std::vector<std::string>& param_choices(const ParamPath& p) {
  if (p.scope == ParamPath::Scope::kChainWide) return find_chain_field(p.field)->choices;
  return find_subnet_field(p.field)->choices;
}

std::optional<double> param_choice(const ParamPath& p, std::string_view name) {
  const auto& choices = param_choices(p);
  for (std::size_t i = 0; i < choices.size(); ++i)
    if (choices[i] == name) return static_cast<double>(i);
  return std::nullopt;
}

std::string param_value_text(const ParamPath& p, double value) {
  if (param_is_boolean(p) && (value == 0.0 || value == 1.0)) return value != 0.0 ? "true" : "false";
  const auto& choices = param_choices(p);
  if (choices.empty()) return fmt(value);
  const auto i = static_cast<std::size_t>(value);
  return i < choices.size() ? choices[i] : fmt(value);
}

namespace {
struct Range {
  double lo, hi;
  bool integral;
};
Range range_of(const ParamPath& p) {
  if (p.scope == ParamPath::Scope::kChainWide) {
    const ChainField* f = find_chain_field(p.field);
    return {f->lo, f->hi, f->integral};
  }
  const SubnetField* f = find_subnet_field(p.field);
  return {f->lo, f->hi, f->integral};
}
}  // namespace

bool param_is_boolean(const ParamPath& p) {
  if (p.scope == ParamPath::Scope::kChainWide) return find_chain_field(p.field)->boolean;
  return find_subnet_field(p.field)->boolean;
}

std::string param_expected(const ParamPath& p) {
  if (param_is_boolean(p)) return "true or false";
  const auto& choices = param_choices(p);
  if (!choices.empty()) {
    std::vector<std::string> names;  // those a value may take ("custom" is only read)
    for (std::size_t i = 0; i < choices.size(); ++i)
      if (check_param_value(p, static_cast<double>(i)).empty()) names.push_back(choices[i]);
    return "one of " + quoted_choices(names);
  }
  const auto [lo, hi, integral] = range_of(p);
  return std::string(integral ? "an integer" : "a number") + " in [" + fmt(lo) + ", " + fmt(hi) +
         "]";
}

std::string check_param_value(const ParamPath& p, double value) {
  const auto [lo, hi, integral] = range_of(p);
  if (p.field == "emission_split" && value == hi)
    return "must be a preset (" + quoted_choices(kEmissionSplitPresets) +
           "): a custom split cannot be chosen during a run, got \"custom\"";
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
  if (p.scope == ParamPath::Scope::kChainWide) {
    // Subnets without a weight would get nothing: the weights must be in the scenario.
    if (p.field == "/emission/subnet_split" && param_value_text(p, value) == "weights" &&
        s.emission.subnet_weights.empty())
      return "subnet_split \"weights\" needs /emission/subnet_weights, and the scenario gives none";
    return {};
  }
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
    case ParamPath::Scope::kChainWide:
      find_chain_field(p.field)->set(s, value);
      return;
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
    case ParamPath::Scope::kChainWide:
      return find_chain_field(p.field)->get(s);
    case ParamPath::Scope::kEverySubnet: return find_subnet_field(p.field)->get(s.subnet_defaults);
    case ParamPath::Scope::kOneSubnet: return find_subnet_field(p.field)->get(s.subnets.at(p.netuid));
  }
  return 0.0;
}

}  // namespace subnetsim::config
