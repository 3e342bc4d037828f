// Reading slashing rules, governance proposals, the script, expectations and outputs.
#include <algorithm>
#include <charconv>

#include "read_sections.hpp"
#include "subnetsim/config/param_paths.hpp"
#include "subnetsim/core/json_text.hpp"

namespace subnetsim::scenario {

using namespace config;

std::optional<std::uint16_t> parse_netuid(std::string_view text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > 65535 ||
      (text.size() > 1 && text[0] == '0'))
    return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

void read_netuid_numbers(ObjectReader& r, std::string_view key, double lo, double hi,
                         std::map<std::uint16_t, double>& out) {
  const json* v = r.raw(key, Need::kOptional, "an object {\"netuid\": number}");
  json resolved = json::object();
  if (v != nullptr && !v->is_object()) {
    r.context().error(r.pointer_of(key), "expected an object {\"netuid\": number}, got " + describe(*v));
  } else if (v != nullptr) {
    for (auto it = v->begin(); it != v->end(); ++it) {
      const std::string ptr = r.pointer_of(key) + "/" + escape_pointer_token(it.key());
      auto netuid = parse_netuid(it.key());
      if (!netuid) {
        r.context().error(ptr, "expected a netuid key in [1, 65535], got \"" + it.key() + "\"");
      } else if (!it->is_number() || !(it->get<double>() >= lo && it->get<double>() <= hi)) {
        r.context().error(ptr, "must be a number in [" + format_number(lo) + ", " +
                                   format_number(hi) + "], got " + describe(*it));
      } else {
        out[*netuid] = it->get<double>();
        resolved[it.key()] = it->get<double>();
      }
    }
  }
  r.set_resolved(key, resolved);
}

namespace {
// A list of netuids ("subnets": [1, 2]).
void read_netuid_list(ObjectReader& r, std::string_view key, std::vector<std::uint16_t>& out) {
  r.array(
      key,
      [&](std::size_t, const json& v, const std::string& ptr) {
        if (v.is_number_unsigned() && v.get<std::uint64_t>() >= 1 &&
            v.get<std::uint64_t>() <= 65535) {
          const auto netuid = static_cast<std::uint16_t>(v.get<std::uint64_t>());
          if (std::find(out.begin(), out.end(), netuid) != out.end())
            r.context().error(
                ptr, "expected each netuid once, got " + std::to_string(netuid) + " again");
          else
            out.push_back(netuid);
        } else
          r.context().error(ptr, "expected a netuid in [1, 65535], got " + describe(v));
      },
      "an array of netuids");
  r.set_resolved(key, out);
}
}  // namespace

void read_slashing_rule(ObjectReader& r, SlashingRule& s) {
  r.enumeration<SlashTrigger>("trigger", s.trigger, kSlashTriggerNames, Need::kRequired);
  if (s.trigger == SlashTrigger::kScripted) {
    // Applied by the script's slash events, which measure nothing: no threshold, no run of
    // epochs (not read, so not in the resolved scenario either; events show threshold 0).
    s.threshold = 0.0;
    for (const char* unused : {"threshold", "for_epochs"})
      if (r.raw(unused) != nullptr)
        r.context().error(r.pointer_of(unused),
                          "a \"scripted\" rule is applied by the script's slash events and measures "
                          "nothing: it takes no " + std::string(unused));
  } else {
    // Validator trust and the weights' total-variation distance are both in [0, 1]: a
    // threshold above 1 slashes every validator (trust) or none (distance) at once.
    r.real("threshold", s.threshold, 0, 1);
    r.integer<std::uint32_t>("for_epochs", s.for_epochs, 1, 1'000'000);
  }
  r.real("self_stake_fraction", s.self_stake_fraction, 0, 1);
  r.real("delegated_stake_fraction", s.delegated_stake_fraction, 0, 1);
  r.enumeration<SlashDestination>("destination", s.destination, kSlashDestinationNames);
  r.integer<std::uint32_t>("jail_epochs", s.jail_epochs, 0, 1'000'000);
  read_netuid_list(r, "subnets", s.subnets);
  r.finish("in a slashing rule");
}

// The new value of a proposal or set_param: a number, or for a named parameter (yuma,
// emission_split, consensus_backend, ...) one of its names, kept as its index (param_paths.hpp).
// The range is checked by check_references. A path that names nothing settable is reported
// there too; its value is not judged here (one message, on the path).
void read_param_value(ObjectReader& r, const std::string& path, double& value) {
  const auto p = parse_param_path(path);
  const json* v = r.raw("value", Need::kRequired, p ? param_expected(*p) : "a number or a name");
  if (v == nullptr) return;
  if (!p) {
    if (v->is_number()) value = v->get<double>();
    r.set_resolved("value", *v);
    return;
  }
  // A boolean field takes true or false, as the scenario writes it (1 or 0 as well).
  if (param_is_boolean(*p) && v->is_boolean()) {
    value = v->get<bool>() ? 1.0 : 0.0;
    r.set_resolved("value", *v);
    return;
  }
  const bool named = !param_choices(*p).empty();
  const auto index =
      named && v->is_string() ? param_choice(*p, v->get<std::string>()) : std::nullopt;
  if (named ? !index.has_value() : !v->is_number()) {
    r.context().error(r.pointer_of("value"),
                      p->field + " takes " + param_expected(*p) + ", got " + describe(*v));
    return;
  }
  value = named ? *index : v->get<double>();
  r.set_resolved("value", named ? *v : json(value));
}

void read_proposal(ObjectReader& r, Proposal& p) {
  r.integer<std::uint64_t>("at_block", p.at_block, 0, UINT64_MAX, Need::kRequired);
  r.integer<std::uint64_t>("voting_blocks", p.voting_blocks, 1, 1'000'000'000);
  r.string("path", p.path, Need::kRequired);
  read_param_value(r, p.path, p.value);
  r.real("quorum", p.quorum, 0, 1);
  r.real("threshold", p.threshold, 0, 1);
  r.finish("in a proposal");
}

void read_script_event(ObjectReader& r, ScriptEvent& e) {
  r.integer<std::uint64_t>("at_block", e.at_block, 0, UINT64_MAX, Need::kRequired);
  r.enumeration<ScriptAction>("do", e.action, kScriptActionNames, Need::kRequired);
  // Without a valid action the other keys cannot be judged (they were reported as the default
  // action's, set_param, missing path and value): only "do" is reported.
  const json* action = r.raw("do");
  if (action == nullptr || !action->is_string() ||
      !enum_from_name<ScriptAction>(kScriptActionNames, action->get<std::string>()))
    return;
  // Only the keys of the chosen action are accepted.
  switch (e.action) {
    case ScriptAction::kSetParam:
      r.string("path", e.path, Need::kRequired);
      read_param_value(r, e.path, e.value);
      break;
    case ScriptAction::kSwitchStrategy:
      r.string("agent", e.agent, Need::kRequired);
      r.string("to_type", e.to_type, Need::kRequired);
      read_agent_params(r, "params", e.to_type, e.to_params);
      break;
    case ScriptAction::kPriceShock: r.real("factor", e.factor, 0, 1e6, Need::kRequired); break;
    case ScriptAction::kStakeShock:
      r.string("agent", e.agent, Need::kRequired);
      r.real("factor", e.factor, 0, 1e6, Need::kRequired);
      break;
    case ScriptAction::kCreateSubnet:
      r.integer<std::uint16_t>("netuid", e.netuid, 1, 65535, Need::kRequired);
      break;
    case ScriptAction::kTakeOffline:
      r.string("agent", e.agent, Need::kRequired);
      r.integer<std::uint64_t>("blocks", e.blocks);
      break;
    case ScriptAction::kSlash:
      r.string("agent", e.agent, Need::kRequired);
      r.string("rule", e.rule, Need::kRequired);
      break;
    case ScriptAction::kMoveStake:
      r.string("from", e.from, Need::kRequired);
      r.string("to", e.to, Need::kRequired);
      r.real("fraction", e.fraction, 0, 1);
      break;
    case ScriptAction::kUnstake:
      r.string("agent", e.agent, Need::kRequired);
      r.real("fraction", e.fraction, 0, 1);
      break;
    case ScriptAction::kSetTake:
      r.string("agent", e.agent, Need::kRequired);
      r.real("take", e.take, 0, 1, Need::kRequired);
      break;
  }
  r.finish("for script action \"" + std::string(enum_name<ScriptAction>(kScriptActionNames, e.action)) + "\"");
}

void read_expectation(ObjectReader& r, Expectation& e) {
  r.string("metric", e.metric, Need::kRequired);
  const json* at = r.raw("at", Need::kOptional, "\"end\", a block or [from, to]");
  json resolved_at = "end";
  if (at != nullptr) {
    if (at->is_string() && at->get<std::string>() == "end") {
      e.at = AtKind::kEnd;
    } else if (at->is_number_unsigned()) {
      e.at = AtKind::kBlock;
      e.from_block = e.to_block = at->get<std::uint64_t>();
      resolved_at = e.from_block;
    } else if (at->is_array() && at->size() == 2 && (*at)[0].is_number_unsigned() &&
               (*at)[1].is_number_unsigned() &&
               (*at)[0].get<std::uint64_t>() <= (*at)[1].get<std::uint64_t>()) {
      e.at = AtKind::kRange;
      e.from_block = (*at)[0].get<std::uint64_t>();
      e.to_block = (*at)[1].get<std::uint64_t>();
      resolved_at = json::array({e.from_block, e.to_block});
    } else {
      r.context().error(r.pointer_of("at"),
                        "expected \"end\", a block number or [from, to] with from <= to, got " +
                            (at->is_array() ? core::dump_json(*at) : describe(*at)));
    }
  }
  r.set_resolved("at", resolved_at);
  r.enumeration<CompareOp>("op", e.op, kCompareOpNames, Need::kRequired);
  r.real("value", e.value, -1e300, 1e300, Need::kRequired);
  r.real("tolerance", e.tolerance, 0, 1e300);
  r.finish("in an expectation");
  if (e.op == CompareOp::kWithin && e.tolerance == 0.0)
    r.context().error(r.pointer_of("tolerance"),
                      r.raw("tolerance") != nullptr
                          ? "op \"within\" needs a tolerance > 0, got 0"
                          : "op \"within\" needs a tolerance > 0: required field is missing");
  if (e.tolerance != 0.0 && e.op != CompareOp::kWithin && e.op != CompareOp::kEqual)
    r.context().error(r.pointer_of("tolerance"),
                      "only \"==\" and \"within\" use a tolerance; op \"" +
                          std::string(enum_name<CompareOp>(kCompareOpNames, e.op)) +
                          "\" compares exactly, got " + format_number(e.tolerance));
  if (r.raw("metric") != nullptr && e.metric.empty() &&
      !r.context().reported(r.pointer_of("metric")))
    r.context().error(r.pointer_of("metric"),
                      "expected a summary.json path (e.g. \"miners.gini\") or a series name, got \"\"");
  // It is printed in the results table: a control character would reach the terminal raw
  // (an escape sequence retitles or recolours it).
  if (std::any_of(e.metric.begin(), e.metric.end(),
                  [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
    r.context().error(
        r.pointer_of("metric"),
        "expected a metric name without control characters, got " + describe(json(e.metric)));
}

void read_outputs(ObjectReader r, OutputsConfig& o) {
  r.integer<std::uint32_t>("every_epochs", o.every_epochs, 1, 1'000'000);
  r.boolean("per_uid", o.per_uid);
  r.boolean("report", o.report);
  r.finish();
}

}  // namespace subnetsim::scenario
