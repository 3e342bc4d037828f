// Sections drawn from epochs.csv: stake per validator, incentive and dividends per agent group,
// and the concentration of emission over agents.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <set>

#include "sections.hpp"
#include "subnetsim/report/format.hpp"
#include "subnetsim/report/story_teller.hpp"

namespace subnetsim::report::sections {

namespace {

std::string uid_name(const std::string& netuid, const std::string& uid) { return "subnet " + netuid + " uid " + uid; }

// The agents of validator groups only: a miner holding a permit (a subnet with fewer
// validators than permits gives them to miners) is not a validator, nor is a uid no agent holds.
std::string validator_line(const RunData& run, const std::string& agent, bool, const std::string&,
                           const std::string&) {
  return !agent.empty() && StoryTeller::role_in(run.scenario, agent) == "validator" ? agent : "";
}

std::string agent_line(const RunData&, const std::string& agent, bool, const std::string& netuid,
                       const std::string& uid) {
  return agent.empty() ? uid_name(netuid, uid) : agent;
}

std::string no_epochs(const RunData& run, const std::string& id, const std::string& title) {
  const bool finished = run.summary.is_object() && run.summary.value("status", "") == "completed";
  const std::string why = !run.scenario.outputs.per_uid ? "per-uid output was off"
                          : finished ? "the run finished, but the file is not in its directory"
                                     : "the run did not finish before it wrote any epoch";
  return wrap(id, title,
              note("No epochs.csv in this run (" + why + "), so there is nothing to draw here."));
}

}  // namespace

Lines collect(const RunData& run, const std::string& column, NameOf name_of) {
  Lines lines;
  const metrics::CsvTable& t = *run.epochs;
  const auto block = t.column("block"), value = t.column(column), agent = t.column("agent"),
             permit = t.column("permit"), netuid = t.column("netuid"), uid = t.column("uid");
  if (!block || !value || !agent || !permit || !netuid || !uid) return lines;
  for (const auto& row : t.rows) {
    const std::string name =
        name_of(run, row[*agent], row[*permit] == "1", row[*netuid], row[*uid]);
    if (name.empty()) continue;
    const auto b = metrics::CsvTable::number(row[*block]);
    const auto v = metrics::CsvTable::number(row[*value]);
    if (b && v) lines[name][*b] += *v;
  }
  return lines;
}

Lines collect_stake(const RunData& run) {
  Lines lines = collect(run, "stake_tao", validator_line);
  // The blocks each subnet recorded, and each line's subnets: a line's blocks without a row of
  // its own (between its first and last) are gaps, NaN, where the chart breaks it.
  std::map<std::string, std::set<double>> recorded;      // netuid -> blocks
  std::map<std::string, std::set<std::string>> subnets;  // line -> netuids
  const metrics::CsvTable& t = *run.epochs;
  const auto block = t.column("block"), agent = t.column("agent"), netuid = t.column("netuid");
  if (!block || !agent || !netuid) return lines;
  for (const auto& row : t.rows) {
    const auto b = metrics::CsvTable::number(row[*block]);
    if (!b) continue;
    recorded[row[*netuid]].insert(*b);
    if (lines.count(row[*agent])) subnets[row[*agent]].insert(row[*netuid]);
  }
  for (auto& [name, points] : lines) {
    if (points.empty()) continue;
    const double first = points.begin()->first, last = points.rbegin()->first;
    for (const std::string& n : subnets[name]) {
      const std::set<double>& blocks = recorded[n];
      for (auto b = blocks.upper_bound(first); b != blocks.end() && *b < last; ++b)
        points.emplace(*b, std::numeric_limits<double>::quiet_NaN());
    }
  }
  return lines;
}

std::vector<Series> top_lines(const Lines& lines, bool by_sum, const std::string& others_noun,
                              bool others_mean, bool one_per_group) {
  std::vector<std::pair<double, const std::string*>> rank;
  for (const auto& [name, points] : lines) {
    double score = 0;
    for (const auto& [block, v] : points)
      if (std::isfinite(v)) score = by_sum ? score + v : std::max(score, v);
    rank.emplace_back(score, &name);
  }
  std::stable_sort(rank.begin(), rank.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  // Which lines are drawn: the largest, after (with one_per_group) the largest of each agent
  // group ("copier/0" is of "copier"), so that a small group the run is about is not folded
  // into "others" by bigger ones.
  std::vector<bool> drawn(rank.size(), false);
  std::size_t slots = kMaxLines;
  if (one_per_group) {
    std::set<std::string> groups;
    for (std::size_t i = 0; i < rank.size() && slots > 0; ++i) {
      const std::string& name = *rank[i].second;
      if (groups.insert(name.substr(0, name.find('/'))).second) drawn[i] = true, --slots;
    }
  }
  for (std::size_t i = 0; i < rank.size() && slots > 0; ++i)
    if (!drawn[i]) drawn[i] = true, --slots;
  std::vector<Series> out;
  // The others at each block where any of them is recorded, each at its latest value: subnets
  // record at their own (staggered) epochs, and a plain per-block mean would average different
  // uids at different blocks (the line zig-zagged between subnets). Kept as changes: from its
  // first record a line adds 1 to the count, and each record changes the sum by its step; a gap
  // (NaN: its agent had no uid) takes it out until it is recorded again.
  // block -> (sum change, lines begun - lines ended)
  std::map<double, std::pair<double, std::ptrdiff_t>> others;
  for (std::size_t i = 0; i < rank.size(); ++i) {
    const auto& points = lines.at(*rank[i].second);
    if (!drawn[i]) {
      double last = 0;
      bool begun = false;
      for (const auto& [block, v] : points) {
        if (!std::isfinite(v)) {
          if (begun) {
            auto& change = others[block];
            change.first -= last, --change.second;
            begun = false, last = 0;
          }
          continue;
        }
        auto& change = others[block];
        change.first += v - last;
        if (!begun) ++change.second, begun = true;
        last = v;
      }
      continue;
    }
    Series s;
    s.name = *rank[i].second;
    for (const auto& [block, v] : points) s.x.push_back(block), s.y.push_back(v);
    out.push_back(std::move(s));
  }
  if (!others.empty()) {
    Series s;
    s.name = "others (" + group_digits(rank.size() - kMaxLines) + " " + others_noun + (others_mean ? ", mean)" : ", sum)");
    s.colour = kOtherColour;
    s.dashed = true;
    double sum = 0;
    std::ptrdiff_t count = 0;
    for (const auto& [block, change] : others) {
      sum += change.first;
      count += change.second;
      s.x.push_back(block);
      // None of them recorded at the block (all in a gap): a gap of the mean too.
      s.y.push_back(!others_mean ? sum
                    : count > 0  ? sum / static_cast<double>(count)
                                 : std::numeric_limits<double>::quiet_NaN());
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::string stake(const RunData& run) {
  const std::string title = "Stake of validators over time";
  if (!run.epochs) return no_epochs(run, "stake", title);
  const Lines lines = collect_stake(run);
  LineChart chart("Stake per validator (TAO); circles mark slashes", "block", "stake (TAO)");
  for (Series& s : top_lines(lines, /*by_sum=*/false, "validators", /*others_mean=*/true,
                             /*one_per_group=*/true))
    chart.add(std::move(s));
  std::size_t slashes = 0;
  for (const auto& e : run.events) {
    if (e.kind != "slash") continue;
    const auto it = lines.find(e.agent);
    if (it == lines.end() || it->second.empty()) continue;
    // The stake recorded at the slash's epoch (after the slash), or the nearest later record
    // (the last one when none is later); never a gap.
    auto at = it->second.lower_bound(static_cast<double>(e.block));
    while (at != it->second.end() && !std::isfinite(at->second)) ++at;
    if (at == it->second.end()) {
      at = std::prev(it->second.end());
      while (at != it->second.begin() && !std::isfinite(at->second)) --at;
      if (!std::isfinite(at->second)) continue;
    }
    chart.add_marker(at->first, at->second,
                     "block " + group_digits(e.block) + ": " + e.agent + " slashed " +
                         fmt_number(static_cast<double>(e.amount_rao) / 1e9) + " TAO (" + e.rule + ")");
    ++slashes;
  }
  std::string body =
      "<p>Stake of each agent of a validator group, per recorded epoch (miners are left out, "
      "permit or not); a line breaks where its agent held no uid. At most " +
      std::to_string(kMaxLines) +
      " validators are drawn: the largest of each group, then the largest by peak stake; the "
      "others are drawn as their mean, each at its latest recorded stake. " +
      group_digits(slashes) + " slashes are marked" +
      (run.events_complete ? "."
                           : " (the run did not finish: only those in the events it recorded "
                             "before it stopped).") +
      "</p>\n";
  return wrap("stake", title, body + "<figure>" + chart.svg() + "</figure>\n");
}

// A share column (incentive, dividends) per agent group and block: the sum over the group's
// uids of one subnet, and for a group on several subnets the mean over the subnets recorded at
// that block, so that 1 stays a whole subnet's (summed, two subnets' epochs in one block drew
// 2). From epochs.csv, or from classes.csv (one row per block, subnet and group) for runs
// without per-uid output.
Lines collect_shares(const RunData& run, const std::string& column) {
  std::map<std::string, std::map<double, std::map<std::string, double>>>
      by_subnet;  // group, block, netuid
  const bool per_uid = run.epochs.has_value();
  const metrics::CsvTable& t = per_uid ? *run.epochs : *run.classes;
  const auto block = t.column("block"), value = t.column(column), netuid = t.column("netuid"),
             who = t.column(per_uid ? "agent" : "group");
  if (!block || !value || !netuid || !who) return {};
  for (const auto& row : t.rows) {
    const auto b = metrics::CsvTable::number(row[*block]);
    const auto v = metrics::CsvTable::number(row[*value]);
    const std::string group = !per_uid            ? row[*who]
                              : row[*who].empty() ? "(no agent)"
                                                  : StoryTeller::group_of(row[*who]);
    if (b && v) by_subnet[group][*b][row[*netuid]] += *v;
  }
  Lines lines;
  for (const auto& [group, blocks] : by_subnet)
    for (const auto& [b, subnets] : blocks) {
      double sum = 0;
      for (const auto& [n, v] : subnets) sum += v;
      lines[group][b] = sum / static_cast<double>(subnets.size());
    }
  return lines;
}

std::string rewards(const RunData& run) {
  const std::string title = "Incentive and dividends per epoch";
  if (!run.epochs && !run.classes) return no_epochs(run, "rewards", title);
  std::string body =
      "<p>Per agent group, the sum of its uids' incentive (miners' share of the miners' "
      "emission) and dividends (validators' share of the validators' emission) at each "
      "recorded epoch; 1 is a whole subnet's (a group on several subnets: the mean over the "
      "subnets recorded at that block)" +
      std::string(run.epochs ? "" : " (from classes.csv: this run has no per-uid output)") +
      ".</p>\n";
  for (const auto& [column, label] : {std::pair{"incentive", "Incentive per agent group"},
                                      std::pair{"dividends", "Dividends per agent group"}}) {
    Lines lines = collect_shares(run, column);
    std::erase_if(lines, [](const auto& l) {
      return std::all_of(l.second.begin(), l.second.end(), [](const auto& p) { return p.second == 0; });
    });
    LineChart chart(label, "block", std::string(column) + " (the group's, per subnet)");
    for (Series& s : top_lines(lines, /*by_sum=*/true, "groups", /*others_mean=*/false)) chart.add(std::move(s));
    body += "<figure>" + chart.svg() + "</figure>\n";
  }
  return wrap("rewards", title, body);
}

namespace {

// One population's pay, poorest first: its Lorenz curve (Gini = 1 - 2 x the area under it) and
// its largest shares. `what` names the population in titles ("miners", "validators").
std::string concentration_of(std::vector<std::pair<double, std::string>> totals,
                             const std::string& what, const std::string& where) {
  const double total = std::accumulate(totals.begin(), totals.end(), 0.0,
                                       [](double a, const auto& t) { return a + t.first; });
  if (totals.empty() || !(total > 0)) return note("Nothing was paid to the " + what + ".");
  std::sort(totals.begin(), totals.end());
  Series lorenz{"Lorenz curve of " + what, {0.0}, {0.0}, palette(0), false};
  double cumulative = 0, area = 0;
  const auto n = static_cast<double>(totals.size());
  for (std::size_t i = 0; i < totals.size(); ++i) {
    const double before = cumulative;
    cumulative += totals[i].first / total;
    area += (before + cumulative) / 2 / n;
    lorenz.x.push_back(static_cast<double>(i + 1) / n);
    lorenz.y.push_back(cumulative);
  }
  const double gini = 1 - 2 * area;
  LineChart curve("Lorenz curve of the " + what + "' pay", "share of " + what + " (poorest first)",
                  "share of their pay");
  curve.set_x_range(0, 1);
  curve.set_y_range(0, 1);
  curve.add(std::move(lorenz));
  curve.add({"perfect equality", {0, 1}, {0, 1}, kOtherColour, true});
  BarChart shares("Largest shares of the " + what + "' pay", "share of their pay (%)");
  for (std::size_t k = 0; k < std::min(kMaxLines, totals.size()); ++k) {
    const auto& [amount, name] = totals[totals.size() - 1 - k];
    shares.add({name, amount / total * 100, fmt_percent(amount / total) + " (" + fmt_number(amount) + " TAO)",
                std::nullopt, palette(0)});
  }
  return "<h3>" + html_escape(what) + "</h3>\n<p>" + where + ": " + fmt_number(total) + " TAO to " +
         group_digits(totals.size()) + " " + what + ". Gini coefficient " + fmt_short(gini) +
         " (0: equal, 1: one takes all).</p>\n<figure>" + curve.svg() + "</figure>\n<figure>" +
         shares.svg() + "</figure>\n";
}

}  // namespace

std::string concentration(const RunData& run) {
  const std::string title = "Reward concentration";
  if (run.agents) {
    // The whole run's pay per agent (agents.csv, as summary.json's miners.gini and
    // validators.gini), miners and validators apart: whatever the outputs sampled.
    const metrics::CsvTable& t = *run.agents;
    const auto agent = t.column("agent"), role = t.column("role"), paid = t.column("paid_tao");
    if (agent && role && paid) {
      std::string body;
      for (const std::string r : {"miner", "validator"}) {
        std::vector<std::pair<double, std::string>> totals;
        for (const auto& row : t.rows)
          if (row[*role] == r)
            if (const auto v = metrics::CsvTable::number(row[*paid])) totals.emplace_back(*v, row[*agent]);
        if (!totals.empty())
          body += concentration_of(std::move(totals), r + "s",
                                   "Paid to each " + r + " over the whole run (agents.csv)");
      }
      if (!body.empty()) return wrap("concentration", title, body);
    }
  }
  if (!run.epochs) return no_epochs(run, "concentration", title);
  // Without agents.csv (a killed run), each agent's role comes from its group in the scenario:
  // miners and validators apart still, as their pay differs in kind.
  std::map<std::string, std::vector<std::pair<double, std::string>>> by_role;
  for (const auto& [name, points] : collect(run, "emission_tao", agent_line)) {
    double sum = 0;
    for (const auto& [block, v] : points) sum += v;
    by_role[StoryTeller::role_in(run.scenario, name)].emplace_back(sum, name);
  }
  std::string body;
  for (const std::string r : {"miner", "validator"})
    if (auto it = by_role.find(r); it != by_role.end())
      body += concentration_of(std::move(it->second), r + "s",
                               "Emission paid to each " + r +
                                   "'s hotkey, summed over the recorded "
                                   "epochs only (no agents.csv)");
  if (!body.empty()) return wrap("concentration", title, body);
  std::vector<std::pair<double, std::string>> totals;  // agents of no known role
  for (auto& [role, list] : by_role) totals.insert(totals.end(), list.begin(), list.end());
  return wrap("concentration", title,
              concentration_of(std::move(totals), "agents",
                               "Emission paid to each agent's hotkey, summed over the recorded "
                               "epochs only (no agents.csv)"));
}

}  // namespace subnetsim::report::sections
