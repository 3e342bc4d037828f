// Story: a run's events, in order, as the lines a reader should see. Most events become one
// StoryTeller sentence each. Two floods are summarised instead:
//   - genesis registrations: one line per block, counting agents per group (and subnets);
//   - permit changes (permit_gained, permit_lost): the same per kind and block, except a batch
//     of one, which keeps its own sentence and reason;
//   - refused actions: only the first refusal of each (action, reason) is told; finish() adds one
//     line per (action, reason) that repeated, with its count and the agents that hit it most;
//   - an agent's permit changes after its first gain and its first loss (miners trading spare
//     permits every epoch): counted, not told; permit_summary() says how many, and whose.
// A reason is the refusal's detail up to its first ':', with digit runs replaced by "N" (so
// "rate limited: 3 blocks since ..." and "rate limited: 9 blocks ..." are the same reason).
//
// Invariants: add() returns lines in event order, each exactly once; finish() returns the batch
// still pending and the refusal summaries (largest count first), then resets the summaries, so
// calling it twice returns nothing new.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "subnetsim/metrics/records.hpp"
#include "subnetsim/report/story_teller.hpp"

namespace subnetsim::report {

class Story {
 public:
  explicit Story(config::Scenario scenario);

  std::vector<std::string> add(const metrics::EventRecord& e);
  // The genesis batch still pending, if any (add() and finish() release it too).
  std::vector<std::string> flush();
  std::vector<std::string> finish();

  // The heading of finish()'s summaries, in the report and on stdout: they come after the
  // whole story, so a reader must be told they are not its next events.
  static constexpr const char* kRefusalsHeading = "Repeated refusals";
  static constexpr const char* kPermitsHeading = "Repeated permit changes";
  // The line counting the permit changes not told, if any; then resets the count.
  std::vector<std::string> permit_summary();

  // "rate limited: 3 blocks since ..." -> "rate limited"; "uid 12 does not exist" -> "uid N does not exist".
  static std::string reason_of(const std::string& detail);

  const StoryTeller& teller() const { return teller_; }

 private:
  struct Counted {  // events counted rather than told
    std::uint64_t count = 0, first_block = 0, last_block = 0;
    std::map<std::string, std::uint64_t> by_agent;
    void add(const metrics::EventRecord& e);
    // "block B" or "blocks B1 to B2": the blocks the counted events span.
    std::string blocks() const;
  };
  struct Refusals : Counted {
    std::string first_detail;  // the first refusal's reason, as events.csv has it
    bool same_detail = true;   // every refusal gave that very reason (before its colon)
  };
  struct Batch {
    metrics::EventRecord first;  // kind and block of the batch
    std::uint64_t count = 0;
    std::set<std::uint16_t> netuids;
    std::vector<std::pair<std::string, std::uint64_t>> groups;  // in order of first registration
    // Whether every event's detail is the first's, or the same but for its numbers: then the
    // line tells the reason (as is, or as an example).
    bool same_detail = true, same_reason = true;
  };

  // Genesis registrations and permit changes, which come in batches of one block and subnet.
  static bool batched(const metrics::EventRecord& e);
  void flush_batch(std::vector<std::string>& out);
  // Slashes told so far per (agent, rule): the first in full, the next ones short.
  std::map<std::pair<std::string, std::string>, std::uint64_t> slashes_;
  static std::string refusal_summary(const std::pair<std::string, std::string>& key, const Refusals& r);
  // ": a 3, b 2, ... and N other agents M": the agents counted most, largest first.
  static std::string most_counted(const std::map<std::string, std::uint64_t>& by_agent);

  StoryTeller teller_;
  Batch batch_;
  std::map<std::pair<std::string, std::string>, Refusals> refusals_;  // (action, reason)
  std::set<std::pair<std::string, std::string>> permit_told_;         // (agent, kind) told
  Counted permit_repeats_;
};

}  // namespace subnetsim::report
