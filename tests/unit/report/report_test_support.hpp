// Shared by the report tests: a small scenario (validators, miners, late miners, stakers, two
// slashing rules, one proposal) loaded from JSON, an event builder, and a substring counter.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "subnetsim/metrics/records.hpp"
#include "subnetsim/scenario/loader.hpp"

namespace report_test {

inline constexpr std::uint64_t kTao = 1'000'000'000ULL;

inline const char* kStoryScenario = R"({"name": "story", "seed": 1, "horizon_blocks": 600,
  "subnets": {"1": {"tempo": 12}},
  "slashing": {
    "low_trust": {"trigger": "validator_trust_below", "threshold": 0.5, "for_epochs": 3,
                  "self_stake_fraction": 0.1, "destination": "burn", "jail_epochs": 5},
    "far": {"trigger": "weight_distance_above", "threshold": 0.3, "for_epochs": 2,
            "self_stake_fraction": 0.2, "delegated_stake_fraction": 0.05, "destination": "treasury"}},
  "proposals": {"double_min_stake": {"at_block": 7200, "voting_blocks": 7200,
                "path": "/subnets/1/min_validator_stake_tao", "value": 2000, "quorum": 0.5, "threshold": 0.5},
                "to_yuma3": {"at_block": 9000, "path": "/subnets/1/yuma", "value": "yuma3"}},
  "agents": {
    "validators": {"type": "honest_validator", "count": 4, "stake_tao": 1000},
    "miners": {"type": "honest_miner", "count": 8},
    "late": {"type": "honest_miner", "count": 1, "join_block": 1000, "balance_tao": 10},
    "stakers": {"type": "passive_staker", "count": 1, "validator": "validators", "balance_tao": 100}}})";

// How many times `what` occurs in `text`.
inline std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

inline subnetsim::config::Scenario load(const std::string& json) {
  auto loaded = subnetsim::scenario::load_scenario_text(json, "test.json");
  INFO(loaded.diagnostics.to_string());
  REQUIRE(loaded.ok());
  return *loaded.scenario;
}

inline subnetsim::metrics::EventRecord event(std::uint64_t block, std::string kind, std::string agent,
                                             std::int32_t uid, std::string rule = "", double measured = 0,
                                             double threshold = 0, std::uint64_t amount_rao = 0,
                                             std::string destination = "", std::string detail = "") {
  subnetsim::metrics::EventRecord e;
  e.block = block;
  e.netuid = 1;
  e.kind = std::move(kind);
  e.agent = std::move(agent);
  e.uid = uid;
  e.rule = std::move(rule);
  e.measured = measured;
  e.threshold = threshold;
  e.amount_rao = amount_rao;
  e.destination = std::move(destination);
  e.detail = std::move(detail);
  return e;
}

}  // namespace report_test
