// Sections drawn from events.csv: governance votes and the story.
#include <cstdlib>
#include <map>
#include <optional>

#include "sections.hpp"
#include "subnetsim/config/param_paths.hpp"
#include "subnetsim/report/format.hpp"
#include "subnetsim/report/story.hpp"

namespace subnetsim::report::sections {

namespace {
// The value a proposal proposes: the name of a named parameter ("yuma3"), else the number.
std::string proposed_value(const config::Proposal& p) {
  const auto path = config::parse_param_path(p.path);
  if (path && !config::param_choices(*path).empty())
    return config::param_value_text(*path, p.value);
  return fmt_short(p.value, 6);
}
}  // namespace

namespace {
// How a closed vote ended, from its events.csv row (the yes share against the threshold, the
// turnout and "no quorum" or the refusal in the detail), the scenario (the quorum) and
// summary.json's governance section (turnout and `applied`, when the run wrote it).
struct Outcome {
  bool passed = false;
  bool applied = true;     // a passed change the chain made
  bool no_quorum = false;  // failed for the turnout, whatever the yes share
  std::optional<double> turnout, quorum;
  std::string refused;  // why a passed change was not made, when the data says
};

std::optional<double> turnout_in(const std::string& detail) {
  const auto at = detail.find("turnout ");
  if (at == std::string::npos) return std::nullopt;
  const char* begin = detail.c_str() + at + 8;
  char* end = nullptr;
  const double percent = std::strtod(begin, &end);
  if (end == begin) return std::nullopt;
  return percent / 100;
}

Outcome outcome_of(const RunData& run, const metrics::EventRecord& e) {
  Outcome o;
  o.passed = e.kind == "vote_passed";
  const auto p = run.scenario.proposals.find(e.rule);
  if (p != run.scenario.proposals.end()) o.quorum = p->second.quorum;
  const nlohmann::ordered_json* g = nullptr;
  if (const auto gov = run.summary.find("governance"); gov != run.summary.end() && gov->is_object())
    if (const auto it = gov->find(e.rule); it != gov->end() && it->is_object()) g = &*it;
  if (g && g->contains("turnout") && (*g)["turnout"].is_number())
    o.turnout = (*g)["turnout"].get<double>();
  else
    o.turnout = turnout_in(e.detail);
  // events.csv: "...: passed, but PATH stays X: refused, WHY" for a change the chain refused.
  const auto but = e.detail.find("passed, but ");
  if (o.passed) {
    o.applied = but == std::string::npos;
    if (g && g->contains("applied") && (*g)["applied"].is_boolean())
      o.applied = (*g)["applied"].get<bool>();
    if (const auto why = e.detail.find(": refused, "); !o.applied && why != std::string::npos)
      o.refused = shorten_numbers(e.detail.substr(why + 11));
  } else {
    o.applied = false;
    o.no_quorum = e.detail.find("no quorum") != std::string::npos ||
                  (o.turnout && o.quorum && *o.turnout < *o.quorum);
  }
  return o;
}
}  // namespace

std::string governance(const RunData& run) {
  const std::string title = "Governance";
  std::map<std::string, std::uint64_t> opened;
  std::string rows;
  BarChart chart("Yes share of the voting stake; black tick: the share to exceed", "yes (%)", 100);
  std::size_t closed = 0;
  for (const auto& e : run.events) {
    if (e.kind == "proposal") opened[e.rule] = e.block;
    if (e.kind != "vote_passed" && e.kind != "vote_failed") continue;
    ++closed;
    const Outcome o = outcome_of(run, e);
    const auto p = run.scenario.proposals.find(e.rule);
    const std::string change = p == run.scenario.proposals.end()
                                   ? ""
                                   : p->second.path + " -> " + proposed_value(p->second);
    const std::string tally = e.detail.substr(0, e.detail.find(": "));
    const auto op = opened.find(e.rule);
    const std::string turnout =
        (o.turnout ? fmt_percent_apart(*o.turnout, o.quorum.value_or(*o.turnout))
                   : std::string("?")) +
        (o.quorum ? " (quorum " + fmt_percent(*o.quorum) + ")" : "");
    // The result says why: a yes share above the threshold fails without a quorum, and a vote
    // that passed may see its change refused (a pair of bounds out of order).
    std::string result, bar, css, colour;
    if (o.passed && o.applied) {
      result = bar = "passed", css = "good", colour = "#2a9d3a";
    } else if (o.passed) {
      result = "passed, but not applied" + (o.refused.empty() ? "" : ": refused, " + o.refused);
      bar = "passed, not applied", css = "warn", colour = "#d08a00";
    } else if (o.no_quorum) {
      const std::string why = o.turnout && o.quorum
                                  ? "turnout " + fmt_percent_apart(*o.turnout, *o.quorum) +
                                        " < quorum " + fmt_percent(*o.quorum)
                                  : "turnout below the quorum";
      result = "failed for lack of quorum (" + why + ")";
      bar = "failed, no quorum (" + why + ")", css = "bad", colour = "#d1342f";
    } else {
      result = bar = "failed", css = "bad", colour = "#d1342f";
    }
    rows += "<tr><td>" + html_escape(e.rule) + "</td><td>" + html_escape(change) + "</td><td>" +
            (op == opened.end() ? "" : group_digits(op->second)) + "</td><td>" +
            group_digits(e.block) + "</td><td>" + html_escape(tally) + "</td><td>" +
            html_escape(turnout) + "</td><td>" + fmt_percent(e.measured) + " (needs more than " +
            fmt_percent(e.threshold) + ")</td><td class=\"" + css + "\">" + html_escape(result) +
            "</td></tr>\n";
    chart.add({e.rule, e.measured * 100, fmt_percent(e.measured) + " yes: " + bar,
               e.threshold * 100, colour});
  }
  if (closed == 0) {
    const std::string proposals = group_digits(run.scenario.proposals.size()) +
                                  (run.scenario.proposals.size() == 1 ? " proposal" : " proposals");
    const std::string text =
        run.scenario.proposals.empty() ? "This scenario has no proposals."
        : run.events_complete
            ? "No vote closed within the run (" + proposals + " in the scenario)."
            : "No vote is known to have closed: the run did not finish, and the events it "
              "recorded before it stopped close none (" +
                  proposals + " in the scenario), so their outcome is unknown.";
    return wrap("governance", title, note(text));
  }
  return wrap("governance", title,
              "<figure>" + chart.svg() +
                  "</figure>\n<table class=\"votes\">\n<tr><th>proposal</th><th>change</th>"
                  "<th>opened</th><th>closed</th><th>tally</th><th>turnout</th>"
                  "<th>yes</th><th>result</th></tr>\n" +
                  rows + "</table>\n");
}

std::string story(const RunData& run) {
  const std::string title = "The story of the run";
  if (!run.has_events) return wrap("story", title, note("No events.csv in this run."));
  Story teller(run.scenario);
  std::vector<std::string> lines;
  // Lines left out, not events: a line may tell several events (permits of one block), so the
  // count of events would not match what is missing from the page.
  std::size_t dropped = 0;
  std::string first_dropped;
  const auto keep = [&](std::vector<std::string> more) {
    for (std::string& line : more) {
      if (lines.size() < kMaxStoryLines) {
        lines.push_back(std::move(line));
      } else {
        if (dropped++ == 0) first_dropped = line.substr(0, line.find(':'));
      }
    }
  };
  for (const auto& e : run.events) keep(teller.add(e));
  keep(teller.flush());
  std::vector<std::string> summaries = teller.finish();
  const std::vector<std::string> permits = teller.permit_summary();
  std::string body =
      "<p>Every event of events.csv in order, in plain sentences. Registrations at genesis, and "
      "permits gained or lost in the same block, are counted per subnet; of each kind of refused "
      "action only the first is told, and so are each agent's first permit gain and first loss: "
      "the repeats are counted at the end.</p>\n"
      "<ol class=\"story\">\n";
  if (lines.empty() && summaries.empty() && permits.empty())
    return wrap("story", title, note("Nothing happened worth telling."));
  for (const auto& line : lines) body += "<li>" + html_escape(line) + "</li>\n";
  body += "</ol>\n";
  if (dropped > 0)
    body += note("... and " + group_digits(dropped) + " more " + (dropped == 1 ? "line" : "lines") +
                 " of the story" +
                 (first_dropped.rfind("block ", 0) == 0 ? ", from " + first_dropped : "") +
                 ": events.csv has every event (subnetsim run --story prints the whole story).");
  if (!summaries.empty()) {
    body += "<h3>" + std::string(Story::kRefusalsHeading) + "</h3>\n<ul class=\"story\">\n";
    for (const auto& line : summaries) body += "<li>" + html_escape(line) + "</li>\n";
    body += "</ul>\n";
  }
  if (!permits.empty()) {
    body += "<h3>" + std::string(Story::kPermitsHeading) + "</h3>\n<ul class=\"story\">\n";
    for (const auto& line : permits) body += "<li>" + html_escape(line) + "</li>\n";
    body += "</ul>\n";
  }
  return wrap("story", title, body);
}

}  // namespace subnetsim::report::sections
