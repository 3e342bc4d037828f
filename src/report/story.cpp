#include "subnetsim/report/story.hpp"

#include <algorithm>
#include <cctype>

#include "subnetsim/report/format.hpp"

namespace subnetsim::report {

using metrics::EventRecord;

namespace {
constexpr std::size_t kAgentsNamed = 4;  // agents named in a refusal summary, by count

// A refusal's reason before its colon ("rate limited: 3 blocks since ..." -> "rate limited").
std::string reason_head(const std::string& detail) { return detail.substr(0, detail.find(':')); }
}

Story::Story(config::Scenario scenario) : teller_(std::move(scenario)) {}

void Story::Counted::add(const EventRecord& e) {
  if (count == 0) first_block = e.block;
  last_block = e.block;
  ++count;
  ++by_agent[e.agent];
}

std::string Story::Counted::blocks() const {
  return first_block == last_block
             ? "block " + group_digits(first_block)
             : "blocks " + group_digits(first_block) + " to " + group_digits(last_block);
}

std::string Story::reason_of(const std::string& detail) {
  const std::string head = reason_head(detail);
  std::string out;
  for (std::size_t i = 0; i < head.size();) {
    if (std::isdigit(static_cast<unsigned char>(head[i]))) {
      // A number, with its separators and decimals, becomes "N".
      while (i < head.size() && (std::isdigit(static_cast<unsigned char>(head[i])) ||
                                 ((head[i] == ',' || head[i] == '.') && i + 1 < head.size() &&
                                  std::isdigit(static_cast<unsigned char>(head[i + 1])))))
        ++i;
      out += 'N';
    } else {
      out += head[i++];
    }
  }
  return out;
}

bool Story::batched(const EventRecord& e) {
  return StoryTeller::is_genesis_registration(e) || e.kind == "permit_gained" || e.kind == "permit_lost";
}

std::vector<std::string> Story::add(const EventRecord& e) {
  std::vector<std::string> out;
  if ((e.kind == "permit_gained" || e.kind == "permit_lost") && !e.agent.empty() &&
      !permit_told_.insert({e.agent, e.kind}).second) {
    permit_repeats_.add(e);
    return out;
  }
  if (batched(e)) {
    if (batch_.count > 0 && (batch_.first.kind != e.kind || batch_.first.block != e.block)) flush_batch(out);
    if (batch_.count == 0) batch_.first = e;
    batch_.same_detail = batch_.same_detail && e.detail == batch_.first.detail;
    batch_.same_reason =
        batch_.same_reason && reason_of(e.detail) == reason_of(batch_.first.detail);
    ++batch_.count;
    batch_.netuids.insert(e.netuid);
    const std::string group = StoryTeller::group_of(e.agent);
    auto it = std::find_if(batch_.groups.begin(), batch_.groups.end(),
                           [&](const auto& g) { return g.first == group; });
    if (it == batch_.groups.end()) batch_.groups.emplace_back(group, 1);
    else ++it->second;
    return out;
  }
  flush_batch(out);
  if (e.kind == "refuse") {
    Refusals& r = refusals_[{e.rule, reason_of(e.detail)}];
    if (r.count == 0) r.first_detail = e.detail;
    r.same_detail = r.same_detail && reason_head(e.detail) == reason_head(r.first_detail);
    r.add(e);
    if (r.count > 1) return out;
  }
  if (e.kind == "slash" && !e.agent.empty()) {
    const std::uint64_t nth = ++slashes_[{e.agent, e.rule}];
    if (nth > 1) {
      out.push_back(teller_.slash_again(e, nth));
      return out;
    }
  }
  if (auto s = teller_.sentence(e)) out.push_back(std::move(*s));
  return out;
}

void Story::flush_batch(std::vector<std::string>& out) {
  if (batch_.count == 0) return;
  const EventRecord& e = batch_.first;
  const bool genesis = StoryTeller::is_genesis_registration(e);
  if (batch_.count == 1 && !genesis) {
    // A single permit change keeps its own sentence, with its reason.
    if (auto one = teller_.sentence(e)) out.push_back(std::move(*one));
    batch_ = Batch{};
    return;
  }
  std::string s = "block " + group_digits(e.block) + ": " + group_digits(batch_.count) +
                  (batch_.count == 1 ? " agent" : " agents");
  if (!genesis)
    s += e.kind == "permit_gained" ? " gained a validator permit on " : " lost their validator permit on ";
  else
    s += e.block == 0 ? " registered at genesis on " : " registered for free on ";
  const bool one = batch_.netuids.size() == 1;
  if (genesis && e.block > 0) s += one ? "the new subnet " + std::to_string(e.netuid) : group_digits(batch_.netuids.size()) + " new subnets";
  else s += one ? "subnet " + std::to_string(e.netuid) : group_digits(batch_.netuids.size()) + " subnets";
  for (std::size_t i = 0; i < batch_.groups.size(); ++i)
    s += (i == 0 ? ": " : ", ") + group_digits(batch_.groups[i].second) + " " + batch_.groups[i].first;
  // Why permits were lost, when they share a reason (a jail, a stake below the minimum), as a
  // single loss says it. (A gain's reason, a stake among the top k, is the rule itself.)
  if (e.kind == "permit_lost" && !e.detail.empty()) {
    // Told in brackets: the reason's own asides are worded as clauses, not nested brackets.
    const std::string why = StoryTeller::permit_reason(e.detail, /*no_brackets=*/true);
    if (batch_.same_detail)
      s += " (each: " + why + ")";
    else if (batch_.same_reason)
      s += " (e.g. " + e.agent + ": " + why + ")";
  }
  out.push_back(std::move(s));
  batch_ = Batch{};
}

std::string Story::refusal_summary(const std::pair<std::string, std::string>& key, const Refusals& r) {
  std::string s = r.blocks();
  // The reason before its colon ("rate limited"). Refusals are grouped by it with N for each
  // number; where it has numbers, they are the first refusal's ("e.g." when they varied).
  const std::string head = reason_head(r.first_detail);
  s += ": " + key.first + " was refused " + group_digits(r.count) + " times (" +
       (head == key.second ? head : (r.same_detail ? "" : "e.g. ") + head) + ")";
  return s + most_counted(r.by_agent);
}

std::string Story::most_counted(const std::map<std::string, std::uint64_t>& by_agent) {
  std::vector<std::pair<std::string, std::uint64_t>> agents(by_agent.begin(), by_agent.end());
  std::stable_sort(agents.begin(), agents.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string s;
  std::uint64_t rest = 0;
  for (std::size_t i = 0; i < agents.size(); ++i) {
    if (i >= kAgentsNamed) {
      rest += agents[i].second;
      continue;
    }
    s += (i == 0 ? ": " : ", ") + (agents[i].first.empty() ? std::string("(no agent)") : agents[i].first) + " " +
         group_digits(agents[i].second);
  }
  if (agents.size() > kAgentsNamed)
    s += " and " + group_digits(agents.size() - kAgentsNamed) + " other agents " + group_digits(rest);
  return s;
}

std::vector<std::string> Story::permit_summary() {
  const Counted& c = permit_repeats_;
  if (c.count == 0) return {};
  std::string s = c.blocks();
  s += ": " + group_digits(c.count) +
       (c.count == 1 ? " more permit change" : " more permit changes") +
       " (an agent's gains after its first, and losses after its first)" + most_counted(c.by_agent);
  permit_repeats_ = Counted{};
  return {s};
}

std::vector<std::string> Story::flush() {
  std::vector<std::string> out;
  flush_batch(out);
  return out;
}

std::vector<std::string> Story::finish() {
  std::vector<std::string> out;
  flush_batch(out);
  std::vector<std::pair<const std::pair<std::string, std::string>*, const Refusals*>> repeated;
  for (const auto& [key, r] : refusals_)
    if (r.count > 1) repeated.emplace_back(&key, &r);
  // In the order they began, as the rest of the story.
  std::stable_sort(repeated.begin(), repeated.end(), [](const auto& a, const auto& b) {
    return a.second->first_block < b.second->first_block;
  });
  for (const auto& [key, r] : repeated) out.push_back(refusal_summary(*key, *r));
  refusals_.clear();
  return out;
}

}  // namespace subnetsim::report
