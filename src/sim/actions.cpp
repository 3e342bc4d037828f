// Decide and Apply: agents observe their subnet and act; the chain's rules admit or refuse.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "state.hpp"
#include "subnetsim/chain/weights_admission.hpp"
#include "subnetsim/consensus/sparse_row.hpp"

namespace subnetsim::sim {

namespace {
// 0.09 -> "9%", 0.125 -> "12.5%"
std::string format_fraction(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g%%", x * 100.0);
  return buf;
}
}  // namespace

using namespace config;

std::string Simulation::Impl::below_min_stake(Rao amount) {
  return "amount " + core::format_tao(amount) +
         " is below the chain's minimum of 0.002 TAO for a stake operation";
}

void Simulation::Impl::refuse(AgentIndex a, std::uint64_t block, const std::string& action,
                              const std::string& why) {
  ++result.refused_actions;
  metrics::EventRecord r;
  r.block = block;
  r.netuid = runtime[a].netuid;
  r.kind = "refuse";
  r.agent = runtime[a].name;
  r.uid = runtime[a].uid;
  r.rule = action;
  r.detail = why;
  event(std::move(r));
}

std::string Simulation::Impl::weights_refusal(const SubnetRuntime& sn, std::uint16_t u,
                                              HotkeyId hotkey, std::span<const std::uint16_t> uids,
                                              std::span<const std::uint16_t> values) {
  const SubnetParams& p = params(sn);
  const chain::WeightLimits limits{p.min_allowed_weights,
                                   config::fraction_to_u16(p.max_weights_limit),
                                   Rao::from_tao(p.stake_threshold_tao).raw()};
  const std::uint64_t stake = hotkey == kNoHotkey ? 0 : ledger.stake(hotkey).raw();
  return chain::check_set_weights(sn.state, limits, u, uids, values, stake,
                                  sn.state.validator_permit[u], seen_scratch);
}

std::string Simulation::Impl::rate_limit_refusal(const SubnetRuntime& sn, std::uint16_t u,
                                                 std::uint64_t block) const {
  return "rate limited: " + std::to_string(block - sn.state.last_update[u]) +
         " blocks since the last weights, limit " + std::to_string(params(sn).weights_rate_limit);
}

void Simulation::Impl::advance_burn(SubnetRuntime& sn, std::uint64_t block) {
  if (block <= sn.burn_block) return;
  sn.burn.decay_blocks(block - sn.burn_block);
  sn.burn_block = block;
}

void Simulation::Impl::fill_view(const SubnetRuntime& sn, std::uint64_t block,
                                 agents::SubnetView& view) const {
  view.netuid = sn.netuid;
  view.block = block;
  view.epoch = sn.epoch_index;
  view.n = sn.state.n;
  view.output = sn.output;
  view.last_output = sn.last_output;
  view.consensus = sn.consensus;
  view.incentive = sn.incentive;
  view.dividends = sn.dividends;
  view.validator_trust = sn.validator_trust;
  view.agent_of_uid = sn.agent_of_uid;
  view.identity = sn.identity_of_uid;
}

agents::Observation Simulation::Impl::observe(AgentIndex a, const SubnetRuntime& sn,
                                              std::uint64_t block,
                                              const agents::SubnetView& view) const {
  agents::Observation obs;
  obs.subnet = &view;
  const AgentRuntime& rt = runtime[a];
  obs.own_uid = rt.uid;
  obs.price_usd = price_usd;
  obs.uid_of_agent = uid_of_agent;
  if (rt.uid >= 0) {
    const auto u = static_cast<std::size_t>(rt.uid);
    const std::uint64_t last = sn.state.last_update[u];
    // Validators do not submit what the chain would refuse for want of a permit or of time.
    obs.may_set_weights = sn.state.validator_permit[u] &&
                          (last == 0 || block - last >= params(sn).weights_rate_limit);
  }
  return obs;
}

void Simulation::Impl::subnet_decide(SubnetRuntime& sn, std::uint64_t block) {
  // Who takes part, by role: the subnet's roster, rebuilt only when it is stale. A margin
  // call (just below) changes who takes part; no action applied later changes that or a role.
  auto refresh_roster = [&] {
    if (sn.roster_built_at == roster_generation) return;
    for (auto& list : sn.roster) list.clear();
    sn.roster_validators.clear();
    sn.roster_leveraged.clear();
    for (AgentIndex a : sn.agents) {
      const agents::Role role = agents[a].role();
      const AgentRuntime& rt = runtime[a];
      if (role == agents::Role::kValidator) sn.roster_validators.push_back(a);
      if (rt.has_loan) sn.roster_leveraged.push_back(a);
      if (rt.joined && !rt.liquidated) sn.roster[static_cast<std::size_t>(role)].push_back(a);
    }
    sn.roster_built_at = roster_generation;
  };
  refresh_roster();
  // Validator infos, as of before any margin call, for the stakers (nobody else reads them).
  std::vector<agents::ValidatorInfo>& infos = infos_scratch;
  infos.clear();
  if (!sn.roster[static_cast<std::size_t>(agents::Role::kStaker)].empty()) {
    for (AgentIndex a : sn.roster_validators) {
      const AgentRuntime& rt = runtime[a];
      if (rt.hotkey == kNoHotkey) continue;
      const auto u = rt.uid;
      infos.push_back({a, ledger.stake(rt.hotkey).tao(),
                       u >= 0 ? Rao(sn.paid_rao[static_cast<std::size_t>(u)]).tao() : 0.0,
                       rt.take.value_or(params(sn).validator_take)});
    }
  }
  // Miners act first (they publish the outputs validators grade), then validators, then
  // stakers. Within a role every agent decides from the same state, so decisions can run in
  // parallel; their actions are then applied in agent order, whatever the thread count.
  // Margin calls are checked at every price move and at each epoch of the staker's subnet
  // (interest keeps accruing; its stake moves only at its subnet's epochs). Only this
  // subnet's: checking every leveraged staker of the network at every subnet's epoch cost
  // (stakers x subnets) per round of epochs. One that liquidates makes the roster stale.
  if (!sn.roster_leveraged.empty()) {
    check_liquidations(block, sn.roster_leveraged);
    refresh_roster();
  }
  // Outputs are this epoch's work: a miner that does not act (offline) has none to grade.
  sn.last_output = sn.output;
  std::fill(sn.output.begin(), sn.output.end(), -1.0);
  for (auto role : {agents::Role::kMiner, agents::Role::kValidator, agents::Role::kStaker}) {
    const std::vector<AgentIndex>& due = sn.roster[static_cast<std::size_t>(role)];
    if (due.empty()) continue;
    std::vector<agents::Decision>& decided = decided_scratch;
    if (decided.size() < due.size()) decided.resize(due.size());
    for (std::size_t i = 0; i < due.size(); ++i) decided[i].actions.clear();
    // One view for the whole role: nothing is applied until every agent of it has decided
    // (the view's spans would follow a resize between roles, so it is made again for each).
    agents::SubnetView& view = view_scratch;
    fill_view(sn, block, view);
    workers->parallel_for(due.size(), [&](std::size_t i) {
      // The records of the agent deciding a few turns later. Not the subnet's epoch state:
      // fetched a share per decision, it measured neutral to 10% slower (README, Performance).
      if (i + kRecordsAhead < due.size()) prefetch_agent(due[i + kRecordsAhead]);
      agents::Observation obs = observe(due[i], sn, block, view);
      obs.validators = infos;
      agents[due[i]].decide(obs, decided[i]);
    });
    for (std::size_t i = 0; i < due.size(); ++i) {
      // A validator's set_weights overwrites its stored row, cold since the last epoch: the
      // row of the one kRowsAhead turns later is fetched meanwhile (a network's set_weights
      // took 5% of its time waiting on those lines, 2% with this).
      if (role == agents::Role::kValidator && i + kRowsAhead < due.size())
        if (const std::int64_t u = runtime[due[i + kRowsAhead]].uid; u >= 0)
          consensus::prefetch_row_for_write(sn.state.weights[static_cast<std::size_t>(u)]);
      for (const auto& act : decided[i].actions) apply(due[i], act, block, sn);
    }
  }
}

void Simulation::Impl::prefetch_agent(AgentIndex a) const {
  // The hot fields: agents::Agent::kHotBytes of its Agent, the first line of its AgentRuntime.
  const auto* record = reinterpret_cast<const char*>(&agents[a]);
  for (std::size_t at = 0; at < agents::Agent::kHotBytes; at += 64) __builtin_prefetch(record + at);
  __builtin_prefetch(&runtime[a]);
}

void Simulation::Impl::apply(AgentIndex a, const agents::Action& action, std::uint64_t block) {
  apply(a, action, block, subnets.at(runtime[a].netuid));
}

void Simulation::Impl::apply(AgentIndex a, const agents::Action& action, std::uint64_t block,
                             SubnetRuntime& sn) {
  AgentRuntime& rt = runtime[a];
  const SubnetParams& p = params(sn);
  std::visit(
      [&](const auto& act) {
        using A = std::decay_t<decltype(act)>;
        if constexpr (std::is_same_v<A, agents::PublishOutput>) {
          if (rt.uid >= 0) sn.output[static_cast<std::size_t>(rt.uid)] = act.quality;
        } else if constexpr (std::is_same_v<A, agents::SetWeights>) {
          if (rt.uid < 0) return refuse(a, block, "set_weights", "not registered");
          const auto u = static_cast<std::uint16_t>(rt.uid);
          if (rate_limited(sn, u, block))
            return refuse(a, block, "set_weights", rate_limit_refusal(sn, u, block));
          if (p.commit_reveal) {
            // A commit cannot be read (it is timelocked): the chain takes it when the rate limit
            // (above) and the stake threshold (its transaction extension) allow, moves
            // last_update, and checks the weights rules at the reveal (reveal_due_commits). Its
            // limit of ten unrevealed commits a hotkey an epoch is never reached: agents decide
            // once an epoch.
            if (std::string poor = chain::stake_refusal(ledger.stake(rt.hotkey).raw(),
                                                        Rao::from_tao(p.stake_threshold_tao).raw());
                !poor.empty())
              return refuse(a, block, "set_weights", poor);
            // Filed under this epoch's index and revealed by the reveal_period_epochs-th epoch
            // from now (reveal_due_commits).
            sn.commits.push_back({u,
                                  {act.uids.begin(), act.uids.end()},
                                  {act.values.begin(), act.values.end()},
                                  block,
                                  sn.epoch_index});
            sn.state.last_update[u] = block;
            sn.state.earliest_commit_block[u] = std::min(sn.state.earliest_commit_block[u], block);
            return;
          }
          const std::string bad = weights_refusal(sn, u, rt.hotkey, act.uids, act.values);
          if (!bad.empty()) return refuse(a, block, "set_weights", bad);
          chain::set_weights(sn.state, u, act.uids, act.values, block);
        } else if constexpr (std::is_same_v<A, agents::Reregister>) {
          if (rt.uid >= 0) {
            const auto u = static_cast<std::size_t>(rt.uid);
            sn.agent_of_uid[u] = kNoAgent;
            sn.former_agent_of_uid[u] = static_cast<std::int64_t>(a);
            sn.identity_of_uid[u] = 0;
            sn.agent_name[u].clear();
            sn.output[u] = -1.0;
            rt.uid = agents::kNoUid;
            uid_of_agent[a] = agents::kNoUid;
            event({block, sn.netuid, "deregister", rt.name, static_cast<std::int32_t>(u), "",
                   metrics::kNothingMeasured, metrics::kNothingMeasured, 0, "",
                   "leaves to register again with a new hotkey"});
          }
          // It leaves with its stake: unstaked to its balance, which pays the new burn.
          if (rt.hotkey != kNoHotkey)
            ledger.unstake_to_balance(rt.coldkey, rt.hotkey, ledger.stake_of(rt.hotkey, rt.coldkey));
          rt.hotkey = kNoHotkey;
          // Without a uid since a refusal, it waits for its retry, or has given up (priced out):
          // its churn turn does not try again on top.
          if (rt.retry_at == 0 && !rt.priced_out) register_agent(a, block, /*genesis=*/false);
        } else if constexpr (std::is_same_v<A, agents::Delegate>) {
          if (act.validator >= runtime.size() || runtime[act.validator].hotkey == kNoHotkey)
            return refuse(a, block, "delegate", "the validator has no hotkey");
          const Rao bal = ledger.balance(rt.coldkey);
          const Rao amount(bal.raw() / std::max<std::uint32_t>(1, act.parts));
          if (amount.raw() == 0) return;
          if (amount < Rao(kMinStakeRao))
            return refuse(a, block, "delegate", below_min_stake(amount));
          if (!ledger.stake_from_balance(rt.coldkey, runtime[act.validator].hotkey, amount))
            return refuse(a, block, "delegate", "insufficient balance");
        } else if constexpr (std::is_same_v<A, agents::MoveStake>) {
          if (act.from >= runtime.size() || act.to >= runtime.size() ||
              runtime[act.from].hotkey == kNoHotkey || runtime[act.to].hotkey == kNoHotkey)
            return refuse(a, block, "move_stake", "unknown validator");
          const Rao held = ledger.stake_of(runtime[act.from].hotkey, rt.coldkey);
          const Rao amount = core::scale_by_decimal(held, std::clamp(act.fraction, 0.0, 1.0));
          if (amount.raw() == 0) return;
          if (amount < Rao(kMinStakeRao))
            return refuse(a, block, "move_stake", below_min_stake(amount));
          ledger.move_stake(rt.coldkey, runtime[act.from].hotkey, runtime[act.to].hotkey, amount);
          event({block, sn.netuid, "move_stake", rt.name, -1, "", metrics::kNothingMeasured,
                 metrics::kNothingMeasured, amount.raw(), runtime[act.to].name,
                 "moves stake from " + runtime[act.from].name});
        } else if constexpr (std::is_same_v<A, agents::Unstake>) {
          // Every position of its coldkey on this subnet's hotkeys (its own, its delegations).
          // A position whose share is below the chain's minimum stays (the chain refuses it).
          Rao total(0), too_small(0);
          for (HotkeyId h : sn.hotkey_of_uid) {
            if (h == kNoHotkey) continue;
            const Rao held = ledger.stake_of(h, rt.coldkey);
            const Rao amount = core::scale_by_decimal(held, std::clamp(act.fraction, 0.0, 1.0));
            if (amount.raw() > 0 && amount < Rao(kMinStakeRao)) {
              too_small = std::max(too_small, amount);
              continue;
            }
            if (amount.raw() > 0 && ledger.unstake_to_balance(rt.coldkey, h, amount)) total += amount;
          }
          if (total.raw() == 0)
            return refuse(
                a, block, "unstake",
                too_small.raw() > 0 ? below_min_stake(too_small) : "no stake to take back");
          event({block, sn.netuid, "unstake", rt.name, rt.uid, "", act.fraction,
                 metrics::kNothingMeasured, total.raw(), "balance",
                 "takes " + format_fraction(act.fraction) + " of its stake back to its balance" +
                     (too_small.raw() > 0
                          ? "; positions whose share is below the chain's minimum of 0.002 TAO stay"
                          : "")});
        } else if constexpr (std::is_same_v<A, agents::ChangeTake>) {
          // Refused as "set_take", the script action that asks for it.
          if (rt.hotkey == kNoHotkey || rt.uid < 0)
            return refuse(a, block, "set_take", "not registered");
          if (agents[a].role() != agents::Role::kValidator)
            return refuse(a, block, "set_take", "only validators take a share of dividends");
          const double before = rt.take.value_or(p.validator_take);
          if (config::fraction_to_u16(act.take) > kMaxDelegateTakeU16)
            return refuse(a, block, "set_take",
                          "take " + format_fraction(act.take) + " above the chain's maximum " +
                              format_fraction(config::kChainEighteenPercent) + " (" +
                              std::to_string(kMaxDelegateTakeU16) + "/65535)");
          // The chain's increase_take and decrease_take each want a strictly higher or lower
          // u16; only an increase is rate limited, and only an increase restarts that clock.
          // Before any increase the clock reads 0, which the chain's
          // exceeds_tx_delegate_take_rate_limit takes as no limit: the first is accepted.
          const std::uint16_t wanted = config::fraction_to_u16(act.take),
                              held = config::fraction_to_u16(before);
          if (wanted == held)
            return refuse(a, block, "set_take",
                          "the take is already " + format_fraction(before) + " (" +
                              std::to_string(held) +
                              "/65535): the chain takes only a higher or a lower one");
          const bool increase = wanted > held;
          if (increase && rt.take_changed_block != 0 &&
              block - rt.take_changed_block <= kTakeIncreaseRateLimit)
            return refuse(
                a, block, "set_take",
                "increases are rate limited: " + std::to_string(block - rt.take_changed_block) +
                    " blocks since the last increase, limit " +
                    std::to_string(kTakeIncreaseRateLimit));
          rt.take = act.take;
          if (increase) rt.take_changed_block = block;
          event({block, sn.netuid, "take", rt.name, rt.uid, "", act.take, before, 0, "",
                 "take " + format_fraction(before) + " -> " + format_fraction(act.take)});
        }
      },
      action);
}

void Simulation::Impl::join(AgentIndex a, std::uint64_t block, bool free_registration) {
  if (!register_agent(a, block, free_registration)) return;
  const Rao stake = std::min(Rao::from_tao(scenario.agents.at(agents[a].group()).stake_tao),
                             ledger.balance(runtime[a].coldkey));
  if (stake.raw() > 0) ledger.stake_from_balance(runtime[a].coldkey, runtime[a].hotkey, stake);
}

void Simulation::Impl::registration_terms_changed(const SubnetRuntime& sn, std::uint64_t block) {
  // Its retry was computed under the old terms (or it was told it never would): it may come
  // sooner now, or be refused again and told when under the new ones.
  for (AgentIndex a = 0; a < runtime.size(); ++a) {
    AgentRuntime& rt = runtime[a];
    if (rt.netuid != sn.netuid || rt.uid >= 0 || (rt.retry_at == 0 && !rt.priced_out)) continue;
    rt.priced_out = false;
    rt.retry_at = block;
    queue.schedule(block, engine::Phase::kApply, JoinDue{a, /*stakes=*/!rt.joined, /*retry=*/true});
  }
}

bool Simulation::Impl::register_agent(AgentIndex a, std::uint64_t block, bool genesis) {
  AgentRuntime& rt = runtime[a];
  SubnetRuntime& sn = subnets.at(rt.netuid);
  const SubnetParams& p = params(sn);
  Rao paid(0);
  // A full subnet takes the registration only if some uid can be replaced (§6.2); otherwise it
  // fails before any burn is paid.
  std::optional<chain::Replacement> victim;
  if (sn.state.n >= p.max_allowed_uids) {
    victim = chain::choose_uid_to_replace(sn.state, block, p.immunity_period, p.min_non_immune_uids, {});
    if (!victim) {
      refuse(a, block, "register",
             "the subnet is full and no uid can be replaced: every uid is outside immunity and there are "
             "no more of them than min_non_immune_uids (" + std::to_string(p.min_non_immune_uids) +
                 "), so only an immune uid could go");
      return false;
    }
  }
  if (!genesis) {
    // The burn decays every block since it was last touched (Q32 half-life factor, spec §6.1),
    // then rises x burn_increase_mult after this registration.
    sn.burn.set_bounds(Rao::from_tao(p.min_burn_tao), Rao::from_tao(p.max_burn_tao));
    sn.burn.set_half_life(p.burn_half_life_blocks);
    sn.burn.set_increase_mult(p.burn_increase_mult);
    advance_burn(sn, block);
    if (sn.registrations_block != block) sn.registrations_block = block, sn.registrations_in_block = 0;
    // One pending retry an agent (a later one replaces it); an agent that has been registered
    // before is re-registering, and stakes nothing new.
    auto retry_at = [&](std::uint64_t at) {
      rt.retry_at = at;
      queue.schedule(at, engine::Phase::kApply, JoinDue{a, /*stakes=*/!rt.joined, /*retry=*/true});
    };
    if (sn.registrations_in_block >= p.max_registrations_per_block) {
      refuse(a, block, "register", "max_registrations_per_block reached");
      retry_at(block + 1);
      return false;
    }
    const Rao burn = sn.burn.price();
    const Rao balance = ledger.balance(rt.coldkey);
    if (!ledger.burn_balance(rt.coldkey, burn)) {
      // It tries again when the burn, decaying, has come down to its balance (one refusal,
      // not one a block); a registration meanwhile raises the burn, and that try is refused
      // and scheduled again. A burn that does not fall that low before the run ends
      // (min_burn_tao above the balance, no decay, or too slow a decay) ends its attempts.
      // To the rao when four decimals would print the two alike ("0.5 TAO below 0.5 TAO").
      const bool alike = core::format_tao(balance) == core::format_tao(burn);
      auto tao = [alike](Rao x) { return alike ? core::format_tao_exact(x) : core::format_tao(x); };
      std::string why = "balance " + tao(balance) + " below the burn " + tao(burn);
      // Counted from the block the burn refers to (block 1 at block 0: no decay in block 1).
      const std::uint64_t from = sn.burn_block;
      const std::uint64_t left =
          scenario.horizon_blocks > from ? scenario.horizon_blocks - from : 0;
      if (const auto wait = sn.burn.blocks_to_fall_to(balance, left)) {
        retry_at(from + *wait);
        why += ": tries again at block " + std::to_string(from + *wait) +
               ", when the burn has decayed to it";
      } else {
        rt.priced_out = true;
        const bool never = Rao::from_tao(p.min_burn_tao) > balance || p.burn_half_life_blocks == 0;
        why +=
            never
                ? ", and the burn never decays below it (min_burn_tao " +
                      core::format_tao(Rao::from_tao(p.min_burn_tao)) +
                      (p.burn_half_life_blocks == 0 ? ", no decay" : "") +
                      "): it does not try again"
                : ", and the burn does not decay to it before the run ends: it does not try again";
      }
      refuse(a, block, "register", why);
      return false;
    }
    ++sn.registrations_in_block;
    paid = burn;
    sn.burn.on_registration();
  }
  std::uint16_t uid = 0;
  if (sn.state.n < p.max_allowed_uids) {
    uid = static_cast<std::uint16_t>(sn.state.n);
    sn.state.resize(sn.state.n + 1, block);
    sn.agent_of_uid.push_back(kNoAgent);
    sn.former_agent_of_uid.push_back(kNoAgent);
    sn.identity_of_uid.push_back(0);
    sn.hotkey_of_uid.push_back(kNoHotkey);
    sn.agent_name.emplace_back();
    for (auto* v : {&sn.consensus, &sn.incentive, &sn.dividends, &sn.validator_trust})
      v->push_back(0.0);
    sn.output.push_back(-1.0);
    sn.last_output.push_back(-1.0);
    sn.paid_rao.push_back(0);
    sn.jailed_until_epoch.push_back(0);
  } else {
    uid = victim->uid;
    const std::int64_t old = sn.agent_of_uid[uid];
    ++result.prunings;
    const std::string why =
        victim->outside_immunity
            ? std::string(metrics::kPrunedOutsideImmunity)
            : std::string(metrics::kPrunedAmongImmune) + " (" + std::to_string(victim->non_immune_count) +
                  " outside immunity, min_non_immune_uids " + std::to_string(p.min_non_immune_uids) + ")";
    event({block, sn.netuid, "prune", old >= 0 ? runtime[static_cast<std::size_t>(old)].name : "",
           uid, "", metrics::kNothingMeasured, metrics::kNothingMeasured, 0, "",
           why + "; replaced by " + rt.name});
    if (old >= 0) {
      runtime[static_cast<std::size_t>(old)].uid = agents::kNoUid;
      uid_of_agent[static_cast<std::size_t>(old)] = agents::kNoUid;
    }
    chain::replace_neuron(sn.state, uid, block, 0);
    // So do its pending commits: on chain they are the replaced hotkey's, and a reveal for a
    // hotkey no longer registered fails (they were revealed as the newcomer's weights).
    std::erase_if(sn.commits, [uid](const PendingCommit& c) { return c.uid == uid; });
    // Strikes belong to the validator that earned them, not to the uid.
    for (auto it = sn.strikes.begin(); it != sn.strikes.end();)
      it = it->first.second == uid ? sn.strikes.erase(it) : std::next(it);
    sn.output[uid] = sn.last_output[uid] = -1.0;
    sn.paid_rao[uid] = 0;
    sn.jailed_until_epoch[uid] = 0;
    sn.consensus[uid] = sn.incentive[uid] = sn.dividends[uid] = sn.validator_trust[uid] = 0.0;
  }
  if (rt.hotkey == kNoHotkey) rt.hotkey = ledger.add_hotkey(rt.coldkey);
  sn.agent_of_uid[uid] = static_cast<std::int64_t>(a);
  sn.former_agent_of_uid[uid] = kNoAgent;
  sn.identity_of_uid[uid] = agents[a].identity();
  sn.hotkey_of_uid[uid] = rt.hotkey;
  sn.agent_name[uid] = rt.name;
  rt.uid = uid;
  rt.retry_at = 0;
  rt.priced_out = false;
  if (!rt.joined) ++roster_generation;
  rt.joined = true;
  uid_of_agent[a] = uid;
  ++result.registrations;
  event({block, sn.netuid, "register", rt.name, uid, "", metrics::kNothingMeasured,
         metrics::kNothingMeasured, paid.raw(), genesis ? "" : "burn",
         !genesis     ? "registered"
         : block == 0 ? metrics::kRegisteredAtGenesis
                      : metrics::kRegisteredWithNewSubnet});
  return true;
}

}  // namespace subnetsim::sim
