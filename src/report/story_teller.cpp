#include "subnetsim/report/story_teller.hpp"

#include <cstdio>
#include <cstdlib>

#include "subnetsim/config/param_paths.hpp"
#include "subnetsim/report/format.hpp"

namespace subnetsim::report {

using metrics::EventRecord;

namespace {

std::string plural(std::uint64_t n, const std::string& unit) {
  return group_digits(n) + " " + unit + (n == 1 ? "" : "s");
}

// Amounts in stories: two decimals are plenty from 1 TAO up ("1,000.18 TAO"); below, four
// significant digits, so that a burn of 0.000629 TAO does not read as 0.
std::string tao(std::uint64_t rao) {
  const double t = static_cast<double>(rao) / 1e9;
  return (t >= 1.0 ? fmt_number(t, 2) : fmt_short(t, 4)) + " TAO";
}

// The text after `marker` in `text` (to the end), or "" when absent.
std::string after(const std::string& text, const std::string& marker) {
  const auto at = text.find(marker);
  return at == std::string::npos ? "" : text.substr(at + marker.size());
}

// The number right after `marker` in `text`, when there is one.
std::optional<double> number_after(const std::string& text, const std::string& marker) {
  const std::string rest = after(text, marker);
  if (rest.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(rest.c_str(), &end);
  if (end == rest.c_str()) return std::nullopt;
  return v;
}

// A parameter's value as a reader wants it: the name of a named parameter ("yuma3"; events.csv
// holds its index), else the number, an integer whole and any other with at most 6 significant
// digits (kappa 0.49999237048905165, stored as a u16 fraction, reads 0.499992).
std::string param_value(const std::string& path, double v) {
  if (const auto p = config::parse_param_path(path); p && !config::param_choices(*p).empty())
    return config::param_value_text(*p, v);
  return fmt_param(v);
}

// "/subnets/1/min_validator_stake_tao" -> "min_validator_stake_tao".
// The field of a parameter path, given as a pointer or dotted (field names have no dots).
std::string leaf(const std::string& path) {
  const auto cut = path.find_last_of("/.");
  return cut == std::string::npos ? path : path.substr(cut + 1);
}

}  // namespace

StoryTeller::StoryTeller(config::Scenario scenario) : scenario_(std::move(scenario)) {}

std::string StoryTeller::group_of(const std::string& agent) {
  return agent.substr(0, agent.find('/'));
}

std::string StoryTeller::role_in(const config::Scenario& scenario, const std::string& agent) {
  const auto it = scenario.agents.find(group_of(agent));
  if (it == scenario.agents.end()) return "";
  if (it->second.is_validator()) return "validator";
  if (it->second.is_miner()) return "miner";
  return "staker";
}

std::string StoryTeller::permit_reason(const std::string& detail, bool no_brackets) {
  std::string s = detail;
  const std::string only_stake = " (a permit goes only to stake, spec §3.3)";
  if (const auto at = s.find(only_stake); at != std::string::npos)
    s.replace(at, only_stake.size(), ", and a permit goes only to stake, spec §3.3");
  const std::string left = " (a uid its agent left to register again)";
  if (s.ends_with(left))
    s.replace(s.size() - left.size(), left.size(), "; a uid its agent left to register again");
  if (!no_brackets) return s;
  // " (ASIDE)" -> ", ASIDE," inside the text, "; ASIDE" at its end.
  for (auto open = s.find(" ("); open != std::string::npos; open = s.find(" (", open)) {
    const auto close = s.find(')', open);
    if (close == std::string::npos) break;
    const std::string aside = s.substr(open + 2, close - open - 2);
    const bool last = close + 1 == s.size();
    const std::string clause = (last ? "; " : ", ") + aside + (last ? "" : ",");
    s.replace(open, close + 1 - open, clause);
    open += clause.size();
  }
  return s;
}

bool StoryTeller::is_genesis_registration(const EventRecord& e) {
  return e.kind == "register" &&
         (e.detail == metrics::kRegisteredAtGenesis || e.detail == metrics::kRegisteredWithNewSubnet);
}

std::string StoryTeller::who(const EventRecord& e) const {
  std::string where;
  if (e.uid >= 0) where = "uid " + std::to_string(e.uid);
  if (e.netuid > 0) where += (where.empty() ? "" : ", ") + std::string("subnet ") + std::to_string(e.netuid);
  if (e.agent.empty()) return where.empty() ? "someone" : where;
  const std::string role = role_of(e.agent);
  return (role.empty() ? "" : role + " ") + e.agent + (where.empty() ? "" : " (" + where + ")");
}

std::optional<std::string> StoryTeller::sentence(const EventRecord& e) const {
  if (is_genesis_registration(e)) return std::nullopt;
  const std::string at = "block " + group_digits(e.block) + ": ";
  if (e.kind == "slash") return at + slash(e);
  if (e.kind == "proposal") return at + proposal(e);
  if (e.kind == "vote_passed" || e.kind == "vote_failed") return at + vote(e);
  if (e.kind == "script") return at + script(e);
  if (e.kind == "liquidate") return at + liquidate(e);
  if (e.kind == "register")
    return at + who(e) + " registered" +
           (e.amount_rao > 0 ? ", burning " + tao(e.amount_rao) : std::string(" for free"));
  if (e.kind == "prune") {
    const std::string by = after(e.detail, "replaced by ");
    const bool immune = e.detail.rfind(metrics::kPrunedAmongImmune, 0) == 0;
    return at + who(e) + " was pruned as the " +
           (immune ? "lowest emission among the immune uids (too few outside immunity)"
                   : "lowest emission outside immunity") +
           (by.empty() ? "" : "; its uid went to " + by);
  }
  if (e.kind == "deregister") return at + who(e) + " deregistered to register again with a new hotkey";
  if (e.kind == "move_stake") {
    const std::string from = after(e.detail, "moves stake from ");
    return at + who(e) + " moved " + tao(e.amount_rao) + " of stake" + (from.empty() ? "" : " from " + from) +
           (e.destination.empty() ? "" : " to " + e.destination);
  }
  if (e.kind == "refuse" && e.agent.empty())  // the script's own action (a set_param)
    return at + "the script's " + e.rule + " was refused: " + shorten_numbers(e.detail);
  if (e.kind == "refuse") return at + who(e) + " was refused " + e.rule + ": " + e.detail;
  if (e.kind == "take")  // measured: the new take, threshold: the one before
    return at + who(e) + " changed its take from " + fmt_percent(e.threshold) + " to " +
           fmt_percent(e.measured);
  if (e.kind == "unstake")  // measured: the fraction asked for
    return at + who(e) + " took " + tao(e.amount_rao) + " (" + fmt_percent(e.measured) +
           " of its stake) back to its balance";
  if (e.kind == "borrow")  // measured: the price, threshold: the leverage (a switch's loan)
    return at + who(e) + " borrowed " + tao(e.amount_rao) + " at leverage " +
           fmt_short(e.threshold) + ", owing $" + shorten_numbers(after(e.detail, "owing $"));
  if (e.kind == "permit_gained" || e.kind == "permit_lost")
    return at + who(e) +
           (e.kind == "permit_gained" ? " gained a validator permit"
                                      : " lost its validator permit") +
           (e.detail.empty() ? "" : ": " + permit_reason(e.detail));
  std::string s = at + e.kind;
  if (!e.agent.empty() || e.uid >= 0) s += " " + who(e);
  return s + (e.detail.empty() ? "" : ": " + e.detail);
}

namespace {
// Where slashed stake went, as the story says it: "burned", "sent to the treasury", ...
std::string slashed_to(const std::string& destination) {
  if (destination == "burn") return "burned";
  if (destination == "treasury") return "sent to the treasury";
  if (destination == "redistribute") return "shared among the other permit holders";
  return destination;
}

// The script slashes under any rule: then the rule's trigger did not fire and measured nothing
// (the event's detail begins so, and its measured column is empty).
bool by_script(const EventRecord& e, const config::SlashingRule& r) {
  return r.trigger == config::SlashTrigger::kScripted || e.detail.rfind("scripted slash", 0) == 0;
}
}  // namespace

std::string StoryTeller::slash_again(const EventRecord& e, std::uint64_t nth) const {
  const std::uint64_t tens = nth % 100;
  const char* suffix = (tens >= 11 && tens <= 13) ? "th"
                       : nth % 10 == 1           ? "st"
                       : nth % 10 == 2           ? "nd"
                       : nth % 10 == 3           ? "rd"
                                                 : "th";
  const std::string where = slashed_to(e.destination);
  std::string s = "block " + group_digits(e.block) + ": " + who(e) + " slashed again, the " + std::to_string(nth) +
                  suffix + " time under " + e.rule + ": " + tao(e.amount_rao) + (where.empty() ? "" : ", " + where);
  const auto it = scenario_.slashing.find(e.rule);
  if (it != scenario_.slashing.end() && !by_script(e, it->second))
    s += " (measured " + fmt_short_apart(e.measured, it->second.threshold) + ")";
  return s;
}

std::string StoryTeller::slash(const EventRecord& e) const {
  std::string s = who(e) + " was slashed ";
  const auto it = scenario_.slashing.find(e.rule);
  if (it == scenario_.slashing.end()) {
    // A rule this scenario does not know: say what the event itself carries.
    return s + tao(e.amount_rao) + (e.destination.empty() ? "" : " (" + e.destination + ")") +
           " under rule " + e.rule + (e.detail.empty() ? "" : ": " + e.detail);
  }
  const config::SlashingRule& r = it->second;
  s += fmt_percent(r.self_stake_fraction) + " of its stake";
  // Nominators are named only when they lost something (the event's detail says how much): a
  // validator without any has none to lose.
  if (r.delegated_stake_fraction > 0 && e.detail.find(" from nominators") != std::string::npos)
    s += " and " + fmt_percent(r.delegated_stake_fraction) + " of its nominators'";
  const std::string where = slashed_to(e.destination);
  s += " (" + tao(e.amount_rao) + (where.empty() ? "" : ", " + where) + ")";
  if (by_script(e, r)) {
    s += " by the script under rule " + r.id;
    if (r.jail_epochs > 0) s += "; jailed " + plural(r.jail_epochs, "epoch");
    return s;
  }
  switch (r.trigger) {
    case config::SlashTrigger::kValidatorTrustBelow:
      s += " because its validator trust stayed below " + fmt_short(r.threshold) + " for " +
           plural(r.for_epochs, "epoch") + " (measured " +
           fmt_short_apart(e.measured, r.threshold) + ")";
      break;
    case config::SlashTrigger::kWeightDistanceAbove:
      s += " because its weights stayed more than " + fmt_short(r.threshold) +
           " from consensus for " + plural(r.for_epochs, "epoch") + " (measured " +
           fmt_short_apart(e.measured, r.threshold) + ")";
      break;
    case config::SlashTrigger::kScripted:
      s += " by the script under rule " + r.id;
      break;
  }
  if (r.jail_epochs > 0) s += "; jailed " + plural(r.jail_epochs, "epoch");
  return s;
}

std::string StoryTeller::proposal(const EventRecord& e) const {
  std::string s = "the proposal " + e.rule + " opened";
  const auto it = scenario_.proposals.find(e.rule);
  if (it == scenario_.proposals.end()) return s + (e.detail.empty() ? "" : ": " + e.detail);
  const config::Proposal& p = it->second;
  return s + ": " + leaf(p.path) + " " + param_value(p.path, e.measured) + " -> " +
         param_value(p.path, e.threshold) + " if more than " + fmt_percent(p.threshold) +
         " of the voting stake says yes with a turnout of at least " + fmt_percent(p.quorum) +
         "; voting closes at block " + group_digits(p.at_block + p.voting_blocks);
}

std::string StoryTeller::vote(const EventRecord& e) const {
  const bool passed = e.kind == "vote_passed";
  const auto turnout = number_after(e.detail, "turnout ");
  const auto it = scenario_.proposals.find(e.rule);
  std::string s = "the proposal " + e.rule + (passed ? " passed" : " failed");
  const bool no_quorum = e.detail.find("no quorum") != std::string::npos;
  s += no_quorum ? " for lack of quorum (" + fmt_percent(e.measured) + " yes"
                 : " with " + fmt_percent_apart(e.measured, e.threshold) + " yes (";
  if (!passed && !no_quorum) s += "more than " + fmt_percent(e.threshold) + " needed; ";
  if (no_quorum) s += "; ";
  if (turnout) s += "turnout " + fmt_percent(*turnout / 100.0);
  if (it != scenario_.proposals.end()) s += std::string(turnout ? ", " : "") + "quorum " + fmt_percent(it->second.quorum);
  s += ")";
  if (passed) {
    // detail: "...: passed, PATH before -> after", or "...: passed, but PATH stays X: refused,
    // WHY" when the change would break a pair of bounds.
    const std::string change = shorten_numbers(after(e.detail, "passed, "));
    if (change.rfind("but ", 0) == 0) {
      const std::string rest = change.substr(4), why = after(rest, ": refused, ");
      const auto space = rest.find(' ');
      s += ", but the chain refused the change (" + why + "): " + leaf(rest.substr(0, space)) +
           rest.substr(space, rest.find(':') - space);
    } else if (const auto space = change.find(' '); space != std::string::npos) {
      s += ": " + leaf(change.substr(0, space)) + change.substr(space);
    }
  }
  return s;
}

std::string StoryTeller::script(const EventRecord& e) const {
  const std::string& action = e.rule;
  if (action == "set_param") return "the script changed " + shorten_numbers(e.detail);
  if (action == "price_shock") {
    const auto before = number_after(e.detail, "price $"), now = number_after(e.detail, "-> $");
    std::string s = "the script shocked the TAO price: " + after(e.detail, "price ");
    if (before && now && *before > 0) {
      const double change = *now / *before - 1.0;
      s += " (" + std::string(change >= 0 ? "+" : "") + fmt_percent(change) + ")";
    }
    return s;
  }
  if (action == "stake_shock") {
    // After the group's name: a group may be named "x2".
    const auto factor = number_after(e.detail, "group " + e.agent + " x");
    return "the script multiplied the stake of group " + e.agent + " by " + (factor ? fmt_short(*factor) : "?") +
           ": " + tao(e.amount_rao) + (factor && *factor < 1 ? " burned" : " minted");
  }
  if (action == "move_stake") {
    // detail: "self-stake of group FROM xFRACTION moved to group TO"; the amount moved is the
    // event's, summed over the group.
    const auto factor = number_after(e.detail, "group " + e.agent + " x");
    return "the script moved " + tao(e.amount_rao) +
           (factor ? ", " + fmt_percent(*factor) + " of the self-stake of group " + e.agent + ","
                   : " of the self-stake of group " + e.agent) +
           (e.destination.empty() ? "" : " to group " + e.destination);
  }
  if (action == "switch_strategy")
    return "the script switched group " + e.agent + " to " + after(e.detail, "now behaves as ");
  if (action == "create_subnet") return "the script created subnet " + std::to_string(e.netuid);
  if (action == "take_offline")
    return "the script took group " + e.agent + " offline " +
           (e.detail.find("for good") != std::string::npos ? std::string("for good")
                                                           : "for " + after(e.detail, "offline for "));
  if (action == "slash") return "the script slashed group " + e.agent + " under rule " + after(e.detail, "under rule ");
  return "the script did " + action + (e.detail.empty() ? "" : ": " + e.detail);
}

std::string StoryTeller::liquidate(const EventRecord& e) const {
  const std::string price = after(e.detail, "$");
  return who(e) + " was liquidated" + (price.empty() ? "" : " at $" + price) +
         ": its equity fell to " + fmt_percent_apart(e.measured, e.threshold) +
         " of its position, below the " + fmt_percent(e.threshold) + " maintenance margin; the " +
         (e.destination.empty() ? "lender" : e.destination) + " took " + tao(e.amount_rao);
}

}  // namespace subnetsim::report
