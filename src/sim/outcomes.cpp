// Each agent's start and end: wealth (balance + stake positions), debt, pay. What the summary's
// yields and concentration metrics are computed from.
#include "state.hpp"

namespace subnetsim::sim {

std::vector<Rao> Simulation::Impl::stake_by_coldkey() const {
  std::vector<Rao> held(ledger.coldkey_count());
  for (HotkeyId h = 0; h < ledger.hotkey_count(); ++h)
    for (const auto& pos : ledger.positions(h)) held[pos.coldkey] += pos.amount;
  return held;
}

void Simulation::Impl::record_initial_wealth() {
  const std::vector<Rao> held = stake_by_coldkey();
  for (AgentRuntime& rt : runtime) {
    rt.initial_wealth = ledger.balance(rt.coldkey) + held[rt.coldkey];
    rt.initial_debt_usd = rt.debt_usd;
  }
}

void Simulation::Impl::record_outcomes() {
  const std::vector<Rao> held = stake_by_coldkey();
  result.agents.clear();
  result.agents.reserve(runtime.size());
  for (AgentIndex a = 0; a < runtime.size(); ++a) {
    const AgentRuntime& rt = runtime[a];
    const config::AgentGroup& g = scenario.agents.at(agents[a].group());
    AgentOutcome o;
    o.name = rt.name;
    o.group = g.id;
    // The behaviour at the end: a script's switch_strategy changes it (its event gives when).
    o.type = config::kAgentTypeNames[agents[a].params().index()];
    o.role = g.is_miner() ? "miner" : g.is_validator() ? "validator" : "staker";
    o.netuid = rt.netuid;
    o.uid = rt.uid;
    o.initial_wealth_rao = rt.initial_wealth.raw();
    o.final_wealth_rao = (ledger.balance(rt.coldkey) + held[rt.coldkey]).raw();
    o.paid_rao = rt.paid_rao;
    o.hotkey_stake_rao = rt.hotkey == kNoHotkey ? 0 : ledger.stake(rt.hotkey).raw();
    o.initial_debt_usd = rt.initial_debt_usd;
    o.final_debt_usd = rt.debt_usd;
    o.liquidated = rt.liquidated;
    result.agents.push_back(std::move(o));
  }
}

}  // namespace subnetsim::sim
