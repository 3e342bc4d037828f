// Genesis: subnets, accounts, agents and the first scheduled events.
#include <algorithm>
#include <cmath>
#include <set>

#include "state.hpp"

namespace subnetsim::sim {

using namespace config;

Simulation::Impl::Impl(Scenario s, RunOptions o, metrics::Observer& obs)
    : scenario(std::move(s)), options(o), held_output(obs), observer(held_output) {}

std::uint64_t Simulation::Impl::blocks_per_day() const {
  return static_cast<std::uint64_t>(std::llround(86400.0 / scenario.chain.block_time_s));
}

SubnetRuntime& Simulation::Impl::add_subnet(std::uint16_t netuid, std::uint64_t block) {
  if (!scenario.subnets.count(netuid)) scenario.subnets[netuid] = scenario.subnet_defaults;
  SubnetRuntime& sn = subnets[netuid];
  const SubnetParams& p = scenario.subnets.at(netuid);
  sn.netuid = netuid;
  sn.subnet_params = &p;
  sn.creation_block = block;
  // The chain staggers subnets: LastEpochBlock starts at creation - (netuid mod tempo) (spec §2).
  // Signed here, where the chain's u64 saturates at 0: every subnet created at block 0 would
  // have its first epoch at block tempo, all together. On chain no two subnets were created at
  // block 0; here they all are, and keep the stagger they would have had (README).
  sn.last_epoch_block = static_cast<std::int64_t>(block) - static_cast<std::int64_t>(netuid % std::max<std::uint16_t>(p.tempo, 1));
  sn.owner_coldkey = ledger.add_coldkey();
  sn.miners_pool = ledger.add_pool();
  sn.validators_pool = ledger.add_pool();
  sn.slash_pool = ledger.add_pool();
  sn.burn = economics::RegistrationBurn(p);
  sn.burn_block = burn_clock(block);
  schedule_next_epoch(sn, block);
  return sn;
}

void Simulation::Impl::schedule_next_epoch(SubnetRuntime& sn, std::uint64_t after_block) {
  const std::uint64_t tempo = std::max<std::uint16_t>(params(sn).tempo, 1);
  std::uint64_t next = 0;
  if (scenario.chain.epoch_schedule == EpochSchedule::kLastEpochBlock) {
    const std::int64_t due = sn.last_epoch_block + static_cast<std::int64_t>(tempo);
    next = std::max<std::int64_t>(due, static_cast<std::int64_t>(after_block) + 1);
  } else {
    // Legacy: an epoch runs at blocks where (block + netuid + 1) % (tempo + 1) == 0.
    const std::uint64_t period = tempo + 1;
    const std::uint64_t first = after_block + 1;
    const std::uint64_t r = (first + sn.netuid + 1) % period;
    next = first + (r == 0 ? 0 : period - r);
  }
  sn.next_epoch_block = next;
  if (next > horizon) return;
  queue.schedule(next, engine::Phase::kDecide, SubnetDecide{sn.netuid, sn.epoch_generation});
  queue.schedule(next, engine::Phase::kEpoch, EpochDue{sn.netuid, sn.epoch_generation},
                 epoch_rank(sn.netuid));
}

void Simulation::Impl::restart_cycle(SubnetRuntime& sn, std::uint64_t block) {
  if (scenario.chain.epoch_schedule == EpochSchedule::kLastEpochBlock)
    sn.last_epoch_block = static_cast<std::int64_t>(block);
  sn.cycle_reset_at = 0;
  ++sn.epoch_generation;
  schedule_next_epoch(sn, block);
}

void Simulation::Impl::note_stakers() {
  any_staker_ = std::any_of(agents.begin(), agents.end(), [](const agents::Agent& agent) {
    return agent.role() == agents::Role::kStaker;
  });
}

std::vector<AgentIndex> Simulation::Impl::members_on(const std::string& group,
                                                    std::uint16_t netuid) const {
  std::vector<AgentIndex> out;
  if (auto it = groups.find(group); it != groups.end())
    for (AgentIndex a : it->second)
      if (runtime[a].netuid == netuid) out.push_back(a);
  return out;
}

void Simulation::Impl::build() {
  emission_table = economics::EmissionTable::of(scenario.emission);
  horizon = scenario.horizon_blocks;
  price = std::make_unique<economics::PriceProcess>(scenario.market, scenario.chain.block_time_s,
                                                    core::make_rng(scenario.seed, "market", 0, "price"));
  price_usd = price->usd_at(0);
  treasury = ledger.add_coldkey();
  community = ledger.add_coldkey();
  lender = ledger.add_coldkey();
  if (scenario.chain.initial_issuance_tao > 0)
    ledger.add_coldkey(Rao::from_tao(scenario.chain.initial_issuance_tao));  // other holders
  for (const auto& [netuid, p] : scenario.subnets) add_subnet(netuid, 0);

  // Agent order: miners, then validators, then stakers; groups by id; subnets ascending.
  struct Planned {
    const AgentGroup* group;
    std::uint16_t netuid;
    std::uint32_t index;
  };
  // Subnets the script creates later get their agents now; they register at the creation.
  std::set<std::uint16_t> all_netuids;
  for (const auto& [netuid, p] : scenario.subnets) all_netuids.insert(netuid);
  for (const auto& e : scenario.script)
    if (e.action == ScriptAction::kCreateSubnet) all_netuids.insert(e.netuid);
  std::vector<Planned> plan;
  for (auto role : {agents::Role::kMiner, agents::Role::kValidator, agents::Role::kStaker})
    for (const auto& [id, g] : scenario.agents) {
      if (agents::role_of(g.params) != role) continue;
      std::uint32_t index = 0;
      for (std::uint16_t netuid : all_netuids) {
        if (g.subnet != kAllSubnets && g.subnet != netuid) continue;
        for (std::uint32_t k = 0; k < g.count; ++k) plan.push_back({&g, netuid, index++});
      }
    }
  for (AgentIndex a = 0; a < plan.size(); ++a) groups[plan[a].group->id].push_back(a);
  // As members_on, before the agents' runtime records exist.
  auto planned_members_on = [&](const std::string& group, std::uint16_t netuid) {
    std::vector<AgentIndex> out;
    if (auto it = groups.find(group); it != groups.end())
      for (AgentIndex a : it->second)
        if (plan[a].netuid == netuid) out.push_back(a);
    return out;
  };

  // Reserved: growing would copy every agent (an Agent's move may throw, so vector copies).
  agents.reserve(agents.size() + plan.size());
  runtime.reserve(runtime.size() + plan.size());
  for (AgentIndex a = 0; a < plan.size(); ++a) {
    const auto& [g, netuid, index] = plan[a];
    std::vector<AgentIndex> favoured, delegate_to;
    std::visit(
        [&](const auto& p) {
          if constexpr (requires { p.favours; }) favoured = planned_members_on(p.favours, netuid);
          if constexpr (requires { p.validator; }) delegate_to = planned_members_on(p.validator, netuid);
        },
        g->params);
    agents.emplace_back(*g, index, scenario.seed, blocks_per_day(), std::move(favoured),
                        std::move(delegate_to));
    agents.back().resolve_schedule([&](const std::string& group) { return planned_members_on(group, netuid); });
    AgentRuntime rt;
    rt.netuid = netuid;
    rt.name = g->id + "/" + std::to_string(index);
    Rao balance = Rao::from_tao(g->balance_tao);
    const bool staker = agents::role_of(g->params) == agents::Role::kStaker;
    if (staker) balance += Rao::from_tao(g->stake_tao);  // stakers delegate what they hold
    rt.coldkey = ledger.add_coldkey(balance);
    if (const auto* lev = std::get_if<LeveragedStaker>(&g->params)) {
      // Listed once it holds a loan (leverage 1 borrows nothing): a switch that opens one later
      // lists it then.
      if (open_loan(rt, *lev, balance, 0, price_usd).raw() > 0)
        leveraged.push_back(static_cast<AgentIndex>(runtime.size()));
    }
    runtime.push_back(rt);
    uid_of_agent.push_back(agents::kNoUid);
    ++roster_generation;
    if (subnets.count(netuid)) {
      subnets.at(netuid).agents.push_back(a);
      if (agents.back().role() == agents::Role::kValidator)
        subnets.at(netuid).validator_agents.push_back(a);
    } else
      pending_agents[netuid].push_back(a);
  }
  for (AgentIndex a = 0; a < plan.size(); ++a) {
    const AgentGroup& g = *plan[a].group;
    if (agents::role_of(g.params) == agents::Role::kStaker) {
      // It holds its TAO as balance until join_block, then delegates (a leveraged staker has
      // borrowed at genesis all the same).
      if (g.join_block == 0) {
        runtime[a].joined = true;
        ++roster_generation;
      } else {
        queue.schedule(g.join_block, engine::Phase::kApply, JoinDue{a});
      }
      continue;
    }
    if (!subnets.count(plan[a].netuid)) {
      // Its subnet does not exist yet: it registers when the script creates it.
      ledger.mint_to_balance(runtime[a].coldkey, Rao::from_tao(g.stake_tao));
      if (g.join_block > 0) queue.schedule(g.join_block, engine::Phase::kApply, JoinDue{a});
    } else if (g.join_block == 0) {
      // A full subnet can refuse it (no uid may be replaced, spec §6.2; the refusal is an
      // event): then its stake stays in its balance, as for a later join.
      if (register_agent(a, 0, /*genesis=*/true))
        ledger.mint_to_stake(runtime[a].hotkey, runtime[a].coldkey, Rao::from_tao(g.stake_tao));
      else
        ledger.mint_to_balance(runtime[a].coldkey, Rao::from_tao(g.stake_tao));
    } else {
      ledger.mint_to_balance(runtime[a].coldkey, Rao::from_tao(g.stake_tao));
      queue.schedule(g.join_block, engine::Phase::kApply, JoinDue{a});
    }
  }

  note_stakers();
  // With two threads or more, a worker computes each epoch while the main thread goes on with
  // other subnets, when the scenario allows it (overlap_epochs), and then helps decide agents.
  const unsigned threads = std::max(1u, options.threads);
  epoch_thread_ = threads >= 2;
  workers = std::make_unique<ThreadPool>(threads);
  // Up to one epoch in flight per thread (each needs its own driver and backend), at most 8.
  const std::size_t in_flight = epoch_thread_ ? std::min<std::size_t>(threads, 8) : 1;
  for (std::size_t k = 0; k < in_flight; ++k)
    engines.push_back(
        {chain::EpochDriver{}, consensus::make_backend(scenario.chain.consensus_backend)});
  for (std::size_t i = 0; i < scenario.script.size(); ++i)
    queue.schedule(scenario.script[i].at_block, engine::Phase::kScript, ScriptDue{i});
  // Proposals are scheduled in the order they open (ties by id), so of two that close in the
  // same block, the one opened later is applied last and its value stands (by id alone, a
  // proposal opened earlier could override a later one).
  std::vector<const std::pair<const std::string, config::Proposal>*> by_opening;
  for (const auto& entry : scenario.proposals) by_opening.push_back(&entry);
  std::stable_sort(by_opening.begin(), by_opening.end(), [](const auto* x, const auto* y) {
    return x->second.at_block < y->second.at_block;
  });
  for (const auto* entry : by_opening) {
    const auto& [id, p] = *entry;
    proposals[id] = Proposal{p, *parse_param_path(p.path)};
    queue.schedule(p.at_block, engine::Phase::kScript, ProposalOpen{id});
    // Saturating: a vote opening near the last block there is closes never, not at a block
    // wrapped around to the run's start.
    const std::uint64_t closes =
        p.at_block > UINT64_MAX - p.voting_blocks ? UINT64_MAX : p.at_block + p.voting_blocks;
    queue.schedule(closes, engine::Phase::kScript, ProposalClose{id});
  }
  if (scenario.market.model != PriceModel::kConstant)
    queue.schedule(scenario.market.update_every_blocks, engine::Phase::kScript, PriceUpdate{});
  // Global samples every outputs.every_epochs epochs of the fastest subnet, and at the end.
  std::uint64_t tempo = 50400;
  for (const auto& [netuid, p] : scenario.subnets) tempo = std::min<std::uint64_t>(tempo, p.tempo);
  sample_every = std::max<std::uint64_t>(1, tempo * scenario.outputs.every_epochs);
  queue.schedule(std::min(sample_every, horizon), engine::Phase::kRecord, SampleDue{});
  result.initial_price_usd = price_usd;
  record_initial_wealth();
}

}  // namespace subnetsim::sim
