// StoryTeller: turns one event of a run (metrics::EventRecord) into one plain English sentence,
// e.g. "block 4,812: validator grader/0 (uid 5, subnet 1) was slashed 10% of its stake
// (1,000 TAO, burned) because its validator trust stayed below 0.5 for 3 epochs (measured
// 0.12)". It reads the run's scenario for what an event does not carry: rule fractions and
// destinations, jail terms, proposal paths, quorums and the type of each agent group.
//
// Invariants: sentence() is deterministic and depends only on the event and the scenario given
// at construction (kept by value). Every sentence starts with "block N: " (N with thousands
// separators). Genesis registrations give no sentence (nullopt): they are routine, and
// report::Story summarises them; every other kind, known or not, gives one.
#pragma once

#include <optional>
#include <string>

#include "subnetsim/config/scenario.hpp"
#include "subnetsim/metrics/records.hpp"

namespace subnetsim::report {

class StoryTeller {
 public:
  explicit StoryTeller(config::Scenario scenario);

  std::optional<std::string> sentence(const metrics::EventRecord& e) const;
  // A repeat of a slash already told in full: "block 59: validator grader/0 (uid 40, subnet 1)
  // slashed again, the 2nd time under trust_floor: 900.18 TAO, burned (measured 0.169)".
  std::string slash_again(const metrics::EventRecord& e, std::uint64_t nth) const;

  // "miners/3" -> "miners"; a name without '/' is its own group.
  static std::string group_of(const std::string& agent);
  // "validator", "miner", "staker" from the agent's group type, or "" when unknown.
  std::string role_of(const std::string& agent) const { return role_in(scenario_, agent); }
  static std::string role_in(const config::Scenario& scenario, const std::string& agent);
  // True for the registrations StoryTeller leaves to summaries: free ones at genesis or when a
  // scripted subnet is created (metrics::kRegisteredAtGenesis, kRegisteredWithNewSubnet).
  static bool is_genesis_registration(const metrics::EventRecord& e);
  // Why a permit was gained or lost (an event's detail), worded to read in a sentence: the
  // simulation's asides in brackets become clauses ("it has no stake (a permit goes only to
  // stake, spec §3.3) (a uid its agent left to register again)" -> "it has no stake, and a permit
  // goes only to stake, spec §3.3; a uid its agent left to register again"). With no_brackets,
  // any other bracket goes too, for a reason told inside brackets of its own ("(each: ...)").
  static std::string permit_reason(const std::string& detail, bool no_brackets = false);

  const config::Scenario& scenario() const { return scenario_; }

 private:
  std::string slash(const metrics::EventRecord& e) const;
  std::string proposal(const metrics::EventRecord& e) const;
  std::string vote(const metrics::EventRecord& e) const;
  std::string script(const metrics::EventRecord& e) const;
  std::string liquidate(const metrics::EventRecord& e) const;
  // "validator grader/0 (uid 5, subnet 1)": role, name, then what is known of uid and subnet.
  std::string who(const metrics::EventRecord& e) const;

  config::Scenario scenario_;
};

}  // namespace subnetsim::report
