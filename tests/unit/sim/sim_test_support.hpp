// Shared helpers of the simulation's behaviour tests: load a scenario from a JSON string, run it
// with an observer that keeps deep copies of every event, epoch record and global sample, and
// query what was kept (per agent, per kind, per subnet).
#pragma once

#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "subnetsim/core/rao.hpp"
#include "subnetsim/metrics/records.hpp"
#include "subnetsim/scenario/loader.hpp"
#include "subnetsim/sim/simulation.hpp"

namespace sim_test {

constexpr std::uint64_t kTao = 1'000'000'000ULL;

// An owned copy of metrics::EpochRecord (the record's spans die with the callback).
struct Epoch {
  std::uint64_t block = 0;
  std::uint16_t netuid = 0;
  std::uint64_t epoch = 0;
  std::vector<std::string> agent;
  std::vector<std::uint64_t> stake_rao;
  std::vector<double> consensus, incentive, dividends, validator_trust, bond_total;
  std::vector<std::uint64_t> paid_rao;
  std::vector<std::uint8_t> permit;

  std::size_t n() const { return agent.size(); }
  // The uid an agent holds in this record, or -1.
  int uid_of(const std::string& name) const {
    for (std::size_t u = 0; u < agent.size(); ++u)
      if (agent[u] == name) return static_cast<int>(u);
    return -1;
  }
  bool operator==(const Epoch&) const = default;
};

inline bool same_event(const subnetsim::metrics::EventRecord& a,
                       const subnetsim::metrics::EventRecord& b) {
  // Bit for bit: a script's slash measures nothing (NaN), and NaN != NaN.
  auto same = [](double x, double y) {
    return std::bit_cast<std::uint64_t>(x) == std::bit_cast<std::uint64_t>(y);
  };
  return a.block == b.block && a.netuid == b.netuid && a.kind == b.kind && a.agent == b.agent &&
         a.uid == b.uid && a.rule == b.rule && same(a.measured, b.measured) &&
         same(a.threshold, b.threshold) && a.amount_rao == b.amount_rao &&
         a.destination == b.destination && a.detail == b.detail;
}

inline bool same_sample(const subnetsim::metrics::GlobalSample& a,
                        const subnetsim::metrics::GlobalSample& b) {
  return a.block == b.block && a.issuance_rao == b.issuance_rao &&
         a.total_stake_rao == b.total_stake_rao && a.total_balances_rao == b.total_balances_rao &&
         a.burned_rao == b.burned_rao && a.slashed_rao == b.slashed_rao &&
         a.price_usd == b.price_usd && a.emitted_owner_rao == b.emitted_owner_rao &&
         a.emitted_miners_rao == b.emitted_miners_rao &&
         a.emitted_validators_rao == b.emitted_validators_rao &&
         a.emitted_treasury_rao == b.emitted_treasury_rao &&
         a.emitted_community_rao == b.emitted_community_rao;
}

inline bool same_result(const subnetsim::sim::RunResult& a, const subnetsim::sim::RunResult& b) {
  return a.status == b.status && a.message == b.message && a.blocks == b.blocks &&
         a.visited_blocks == b.visited_blocks && a.epochs == b.epochs &&
         a.issuance_rao == b.issuance_rao && a.total_stake_rao == b.total_stake_rao &&
         a.burned_rao == b.burned_rao && a.recycled_rao == b.recycled_rao &&
         a.slashed_rao == b.slashed_rao && a.refused_actions == b.refused_actions &&
         a.registrations == b.registrations && a.prunings == b.prunings &&
         a.liquidations == b.liquidations && a.conservation_verified == b.conservation_verified &&
         a.final_price_usd == b.final_price_usd && a.emitted.total() == b.emitted.total() &&
         a.agents.size() == b.agents.size() &&
         std::equal(a.agents.begin(), a.agents.end(), b.agents.begin(),
                    [](const auto& x, const auto& y) {
                      return x.name == y.name && x.uid == y.uid && x.final_wealth_rao == y.final_wealth_rao &&
                             x.paid_rao == y.paid_rao && x.hotkey_stake_rao == y.hotkey_stake_rao;
                    });
}

// Keeps everything a run reports.
class Recorder : public subnetsim::metrics::Observer {
 public:
  void on_event(const subnetsim::metrics::EventRecord& e) override { events.push_back(e); }
  void on_epoch(const subnetsim::metrics::EpochRecord& r) override {
    Epoch e;
    e.block = r.block;
    e.netuid = r.netuid;
    e.epoch = r.epoch;
    e.agent.assign(r.agent.begin(), r.agent.end());
    e.stake_rao.assign(r.stake_rao.begin(), r.stake_rao.end());
    e.consensus.assign(r.consensus.begin(), r.consensus.end());
    e.incentive.assign(r.incentive.begin(), r.incentive.end());
    e.dividends.assign(r.dividends.begin(), r.dividends.end());
    e.validator_trust.assign(r.validator_trust.begin(), r.validator_trust.end());
    e.paid_rao.assign(r.paid_rao.begin(), r.paid_rao.end());
    e.permit.assign(r.permit.begin(), r.permit.end());
    e.bond_total.assign(r.bond_total.begin(), r.bond_total.end());
    REQUIRE(e.agent.size() == r.n);
    REQUIRE(e.incentive.size() == r.n);
    epochs.push_back(std::move(e));
  }
  void on_sample(const subnetsim::metrics::GlobalSample& s) override { samples.push_back(s); }

  std::vector<subnetsim::metrics::EventRecord> events;
  std::vector<Epoch> epochs;
  std::vector<subnetsim::metrics::GlobalSample> samples;

  // Events of one kind (optionally of one agent, "" = any).
  std::vector<subnetsim::metrics::EventRecord> of_kind(const std::string& kind,
                                                       const std::string& agent = "") const {
    std::vector<subnetsim::metrics::EventRecord> out;
    for (const auto& e : events)
      if (e.kind == kind && (agent.empty() || e.agent == agent)) out.push_back(e);
    return out;
  }
  // Epoch records of one subnet, in order.
  std::vector<const Epoch*> of_subnet(std::uint16_t netuid) const {
    std::vector<const Epoch*> out;
    for (const auto& e : epochs)
      if (e.netuid == netuid) out.push_back(&e);
    return out;
  }
  // A per-uid value of an agent in one record (0 when it holds no uid there).
  static double value(const Epoch& e, const std::vector<double> Epoch::*field,
                      const std::string& agent) {
    const int u = e.uid_of(agent);
    return u < 0 ? 0.0 : (e.*field)[static_cast<std::size_t>(u)];
  }
  // Mean of a per-uid value of an agent over the records of a subnet whose block is in
  // [from, to].
  double mean(std::uint16_t netuid, const std::vector<double> Epoch::*field,
              const std::string& agent, std::uint64_t from = 0,
              std::uint64_t to = UINT64_MAX) const {
    double sum = 0.0;
    std::size_t k = 0;
    for (const auto* e : of_subnet(netuid))
      if (e->block >= from && e->block <= to) sum += value(*e, field, agent), ++k;
    return k ? sum / static_cast<double>(k) : 0.0;
  }
  // Sum over every member "group/i" of a group of the per-uid value, averaged over records.
  double group_mean(std::uint16_t netuid, const std::vector<double> Epoch::*field,
                    const std::string& group, std::uint64_t from = 0,
                    std::uint64_t to = UINT64_MAX) const {
    double sum = 0.0;
    std::size_t k = 0;
    for (const auto* e : of_subnet(netuid)) {
      if (e->block < from || e->block > to) continue;
      for (std::size_t u = 0; u < e->n(); ++u)
        if (e->agent[u].rfind(group + "/", 0) == 0) sum += (e->*field)[u];
      ++k;
    }
    return k ? sum / static_cast<double>(k) : 0.0;
  }
  // Stake of an agent's uid in the last record of a subnet (0 when absent).
  std::uint64_t last_stake(std::uint16_t netuid, const std::string& agent) const {
    const auto recs = of_subnet(netuid);
    if (recs.empty()) return 0;
    const int u = recs.back()->uid_of(agent);
    return u < 0 ? 0 : recs.back()->stake_rao[static_cast<std::size_t>(u)];
  }
};

inline subnetsim::config::Scenario load(const std::string& json,
                                        const std::vector<std::string>& overrides = {}) {
  subnetsim::scenario::LoadOptions options;
  options.overrides = overrides;
  auto loaded = subnetsim::scenario::load_scenario_text(json, "test.json", options);
  INFO(loaded.diagnostics.to_string());
  REQUIRE(loaded.ok());
  return *loaded.scenario;
}

// `scenario` with its consensus backend set to `kind` (the scenario's chain.consensus_backend).
inline subnetsim::config::Scenario on_backend(subnetsim::config::Scenario scenario,
                                              subnetsim::consensus::BackendKind kind) {
  scenario.chain.consensus_backend = kind;
  return scenario;
}

// A run and everything it reported.
struct Run {
  subnetsim::sim::RunResult result;
  Recorder rec;
};

inline Run run(const subnetsim::config::Scenario& scenario,
               subnetsim::sim::RunOptions options = {}) {
  Run r;
  subnetsim::sim::Simulation sim(scenario, options, r.rec);
  r.result = sim.run();
  return r;
}

inline Run run(const std::string& json, const std::vector<std::string>& overrides = {},
               subnetsim::sim::RunOptions options = {}) {
  return run(load(json, overrides), options);
}

// A run that must complete with conservation verified.
inline Run run_ok(const std::string& json, const std::vector<std::string>& overrides = {},
                  subnetsim::sim::RunOptions options = {}) {
  Run r = run(json, overrides, options);
  INFO(r.result.message);
  REQUIRE(r.result.status == subnetsim::sim::RunStatus::kCompleted);
  REQUIRE(r.result.conservation_verified);
  return r;
}

// An agent's outcome at the end of a run, by name ("group/index"); fails the test when absent.
inline const subnetsim::sim::AgentOutcome& outcome(const Run& r, const std::string& name) {
  for (const auto& a : r.result.agents)
    if (a.name == name) return a;
  FAIL("no agent " << name);
  throw 0;
}

}  // namespace sim_test
