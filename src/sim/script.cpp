// Script phase: scenario events, governance proposals, the token price.
#include <algorithm>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <map>
#include <stdexcept>

#include "state.hpp"

namespace subnetsim::sim {

using namespace config;

namespace {
std::string format_value(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}
}  // namespace

void Simulation::Impl::run_script(const ScriptEvent& e, std::uint64_t block) {
  metrics::EventRecord r;
  r.block = block;
  r.kind = "script";
  r.rule = enum_name<ScriptAction>(kScriptActionNames, e.action);
  switch (e.action) {
    case ScriptAction::kSetParam: {
      const ParamPath path = *parse_param_path(e.path);
      const double before = read_param(scenario, path);
      r.netuid = path.netuid;
      // As on chain, a change that would put a pair of bounds out of order is refused (the
      // loader catches the script's own; a proposal that passed in between can cause one).
      if (auto bad = chain_refuses(path, e.value); !bad.empty()) {
        // A refused action, as an agent's would be: counted, and recorded as a refusal.
        ++result.refused_actions;
        r.kind = "refuse";
        r.detail =
            bad + " (" + param_pointer(path) + " stays " + param_value_text(path, before) + ")";
        break;
      }
      const std::string was = change_param(path, e.value, block);
      r.detail = param_pointer(path) + " " + was + " -> " + param_value_text(path, e.value) +
                 rate_now(path, block);
      break;
    }
    case ScriptAction::kSwitchStrategy: {
      // The group's agents keep their accounts and registrations; only behaviour changes, to
      // the new type with the parameters the event gives (defaults for the rest). The groups
      // those name are found on each agent's own subnet, as at setup.
      StakerSwitchTally tally;  // what the stakers' positions did (their own rows say how much)
      for (AgentIndex a : groups[e.agent]) {
        const std::uint16_t netuid = runtime[a].netuid;
        std::vector<AgentIndex> favoured, delegate_to;
        std::visit(
            [&](const auto& p) {
              if constexpr (requires { p.favours; }) favoured = members_on(p.favours, netuid);
              if constexpr (requires { p.validator; }) delegate_to = members_on(p.validator, netuid);
            },
            e.to_params);
        if (agents[a].role() == agents::Role::kStaker)
          switch_staker_positions(a, delegate_to, e.to_params, block, tally);
        agents[a].switch_to(e.to_params, std::move(favoured), std::move(delegate_to));
        agents[a].resolve_schedule([&](const std::string& g) { return members_on(g, netuid); });
      }
      note_stakers();
      ++roster_generation;  // the role stays (FORMAT.md); refreshed all the same
      r.agent = e.agent;
      r.detail = "group " + e.agent + " now behaves as " + e.to_type + tally.text();
      break;
    }
    case ScriptAction::kPriceShock: {
      const double before = price->usd_at(block);
      price->apply_shock(block, e.factor);
      price_usd = price->usd_at(block);
      if (!std::isfinite(price_usd))
        throw UsdOverflow("the USD price (after a shock x" + format_value(e.factor) + ")");
      r.detail = "price $" + format_value(before) + " -> $" + format_value(price_usd);
      // The shock is recorded before the margin calls it causes.
      event(std::move(r));
      check_liquidations(block, leveraged);
      return;
    }
    case ScriptAction::kStakeShock: {
      // The group's own stake is multiplied by factor: losses are burned, gains minted.
      Rao moved(0);
      // Every stake position the group's coldkeys hold: own hotkeys' and delegations alike.
      std::vector<HotkeyId> hotkeys;  // hotkeys holding stake at all (one pass over the ledger)
      for (HotkeyId h = 0; h < ledger.hotkey_count(); ++h)
        if (ledger.stake(h).raw() != 0) hotkeys.push_back(h);
      r.agent = e.agent;
      if (e.factor > 1.0) {
        // Gains are minted: never past the supply (issuance beyond it would stop emission for
        // the rest of the run, silently). The whole shock is refused, as the chain would.
        core::U128 gain = 0;
        bool past_rao = false;
        for (AgentIndex a : groups[e.agent]) {
          if (!subnets.count(runtime[a].netuid)) continue;
          for (const HotkeyId h : hotkeys) {
            const Rao own = ledger.stake_of(h, runtime[a].coldkey);
            // A product past 64-bit rao is past any supply too: refused below, not a broken run.
            try {
              gain += (core::scale_by_decimal(own, e.factor) - own).raw();
            } catch (const std::overflow_error&) {
              past_rao = true;
            }
          }
        }
        const Rao supply = Rao::from_tao(scenario.chain.total_supply_tao);
        const Rao left = supply > ledger.issuance() ? supply - ledger.issuance() : Rao(0);
        if (past_rao || gain > left.raw()) {
          // The script's own action refused, as a set_param's is: no agent's (the group is named
          // in the detail).
          ++result.refused_actions;
          r.agent.clear();
          r.kind = "refuse";
          const bool fits = !past_rao && gain <= ~std::uint64_t{0};
          r.detail = "stake of group " + e.agent + " x" + format_value(e.factor) + " would mint " +
                     (fits ? core::format_tao(Rao(static_cast<std::uint64_t>(gain)))
                           : "over " + core::format_tao(Rao(~std::uint64_t{0}))) +
                     ", more than the " + core::format_tao(left) +
                     " left below total_supply_tao: the stakes stay as they are";
          break;
        }
      }
      for (AgentIndex a : groups[e.agent]) {
        const AgentRuntime& rt = runtime[a];
        if (!subnets.count(rt.netuid)) continue;
        const PoolId pool = subnets.at(rt.netuid).slash_pool;
        for (const HotkeyId h : hotkeys) {
          const Rao own = ledger.stake_of(h, rt.coldkey);
          if (own.raw() == 0) continue;
          const Rao target = core::scale_by_decimal(own, e.factor);  // 0.7 is 7/10, to the rao
          if (target < own) {
            ledger.stake_to_pool(h, rt.coldkey, pool, own - target);
            ledger.burn_pool(pool, own - target);
            moved += own - target;
          } else {
            ledger.mint_to_stake(h, rt.coldkey, target - own);
            moved += target - own;
          }
        }
      }
      r.amount_rao = moved.raw();
      r.detail = "stake of group " + e.agent + " x" + format_value(e.factor);
      break;
    }
    case ScriptAction::kCreateSubnet: {
      SubnetRuntime& sn = add_subnet(e.netuid, block);
      r.netuid = e.netuid;
      r.detail = "subnet " + std::to_string(e.netuid) + " created";
      event(r);
      // Its agents arrive: those due by now register (free, like genesis) and stake what they hold.
      sn.agents = std::move(pending_agents[e.netuid]);
      for (AgentIndex a : sn.agents)
        if (agents[a].role() == agents::Role::kValidator) sn.validator_agents.push_back(a);
      ++roster_generation;
      pending_agents.erase(e.netuid);
      for (AgentIndex a : sn.agents) {
        const AgentGroup& g = scenario.agents.at(agents[a].group());
        if (agents[a].role() == agents::Role::kStaker || g.join_block > block) continue;
        join(a, block, /*free_registration=*/true);
      }
      return;
      break;
    }
    case ScriptAction::kTakeOffline: {
      const std::uint64_t until = e.blocks == 0 ? UINT64_MAX : block + e.blocks;
      for (AgentIndex a : groups[e.agent]) agents[a].set_offline_until(until);
      r.agent = e.agent;
      r.detail = e.blocks == 0 ? "group " + e.agent + " goes offline for good"
                               : "group " + e.agent + " offline for " + std::to_string(e.blocks) + " blocks";
      break;
    }
    case ScriptAction::kSlash: {
      const SlashingRule& rule = scenario.slashing.at(e.rule);
      // The group's members take no share of each other's redistributed slashes (as validators
      // slashed in one epoch do not): identical members lose alike, whatever their order.
      std::map<std::uint16_t, std::vector<std::uint16_t>> slashed_on;  // netuid -> uids
      for (AgentIndex a : groups[e.agent])
        if (runtime[a].uid >= 0)
          slashed_on[runtime[a].netuid].push_back(static_cast<std::uint16_t>(runtime[a].uid));
      for (AgentIndex a : groups[e.agent]) {
        const AgentRuntime& rt = runtime[a];
        if (rt.uid < 0) continue;
        SubnetRuntime& sn = subnets.at(rt.netuid);
        const auto uid = static_cast<std::uint16_t>(rt.uid);
        const bool had_permit = sn.state.validator_permit[uid];
        slash(sn, uid, rule, block, std::nullopt, /*next_epoch=*/sn.epoch_index,
              slashed_on[rt.netuid]);
        // A jail takes the permit now, between epochs, where no epoch's record of permit
        // changes will see it go: say so here, as an epoch would.
        // Its stake as it is now, after the slash (the epoch's copy in state.stake_rao is from
        // before the last epoch paid it).
        const Rao now =
            sn.hotkey_of_uid[uid] == kNoHotkey ? Rao(0) : ledger.stake(sn.hotkey_of_uid[uid]);
        if (had_permit && !sn.state.validator_permit[uid])
          event({block, sn.netuid, "permit_lost", rt.name, static_cast<std::int32_t>(uid), "",
                 now.tao(), metrics::kNothingMeasured, now.raw(), "",
                 "it is jailed through epoch " +
                     std::to_string(shown_epoch(sn.jailed_until_epoch[uid])) +
                     " (scripted slash under rule " + e.rule + ")"});
      }
      r.agent = e.agent;
      r.detail = "scripted slash of group " + e.agent + " under rule " + e.rule;
      break;
    }
    case ScriptAction::kMoveStake: {
      // Each `from` agent's self-stake (times fraction) moves, still its own, onto the hotkeys
      // of the `to` agents of its subnet, split evenly (the rounding rest to the first).
      Rao moved(0);
      for (AgentIndex a : groups[e.from]) {
        const AgentRuntime& rt = runtime[a];
        if (rt.hotkey == kNoHotkey) continue;
        std::vector<HotkeyId> targets;
        for (AgentIndex b : groups[e.to])
          if (b != a && runtime[b].netuid == rt.netuid && runtime[b].hotkey != kNoHotkey)
            targets.push_back(runtime[b].hotkey);
        if (targets.empty()) continue;
        const Rao own = ledger.stake_of(rt.hotkey, rt.coldkey);
        const std::uint64_t amount =
            core::scale_by_decimal(own, std::clamp(e.fraction, 0.0, 1.0)).raw();
        const std::uint64_t each = amount / targets.size();
        for (std::size_t i = 0; i < targets.size(); ++i) {
          const Rao part(each + (i == 0 ? amount % targets.size() : 0));
          if (part.raw() > 0 && part < Rao(kMinStakeRao)) {
            refuse(a, block, "move_stake", below_min_stake(part));
            continue;
          }
          if (part.raw() > 0 && ledger.move_stake(rt.coldkey, rt.hotkey, targets[i], part)) moved += part;
        }
      }
      r.agent = e.from;
      r.amount_rao = moved.raw();
      r.destination = e.to;
      r.detail = "self-stake of group " + e.from + " x" + format_value(e.fraction) + " moved to group " + e.to;
      break;
    }
    case ScriptAction::kUnstake:
      // The agents ask, the chain's rules decide (a refusal is recorded as such). Members of an
      // "all" group on a subnet the script has not created yet are not there to ask.
      for (AgentIndex a : groups[e.agent])
        if (subnets.count(runtime[a].netuid)) apply(a, agents::Unstake{e.fraction}, block);
      r.agent = e.agent;
      r.detail = "group " + e.agent + " unstakes " + format_value(e.fraction * 100) + "% of its stake";
      break;
    case ScriptAction::kSetTake:
      for (AgentIndex a : groups[e.agent])
        if (subnets.count(runtime[a].netuid)) apply(a, agents::ChangeTake{e.take}, block);
      r.agent = e.agent;
      r.detail = "group " + e.agent + " asks for a take of " + format_value(e.take * 100) + "%";
      break;
  }
  event(std::move(r));
}

namespace {
// The parameters a registration burn decays under (besides its price, burn_tao).
bool shapes_burn_decay(const ParamPath& path) {
  return path.field == "burn_half_life_blocks" || path.field == "min_burn_tao" ||
         path.field == "max_burn_tao" || path.field == "burn_increase_mult";
}
}  // namespace

// The registration burn decays every block at the half-life in force then (spec §6.1): before
// its parameters change, it is brought to this block under the old ones.
void Simulation::Impl::before_param_change(const ParamPath& path, std::uint64_t block) {
  if (path.field == "/emission/yearly_decay") {
    // The years gone by keep the decay they had: the rate of this year is kept as the anchor,
    // and the new decay multiplies it from the next year boundary on.
    accrue_through(block);
    const economics::BlockEmission emission = block_emission();
    decay_anchor = {
        scenario.emission.blocks_per_year > 0 ? block / scenario.emission.blocks_per_year : 0,
        emission.decay_factor_at(block)};
    return;
  }
  if (!shapes_burn_decay(path)) return;
  for (auto& [netuid, sn] : subnets) {
    if (path.scope == ParamPath::Scope::kOneSubnet && netuid != path.netuid) continue;
    advance_burn(sn, block);
  }
}

// What the chain refuses of a parameter change: a pair of bounds put out of order, or a
// max_allowed_uids below the uids a subnet holds (sudo_set_max_allowed_uids:
// MaxAllowedUIdsLessThanCurrentUIds; the chain has no automatic trim). "" when it is taken.
std::string Simulation::Impl::chain_refuses(const ParamPath& path, double value) const {
  if (auto bad = check_param_pairs(scenario, path, value); !bad.empty()) return bad;
  if (path.field == "max_allowed_uids")
    for (const auto& [netuid, sn] : subnets) {
      if (path.scope == ParamPath::Scope::kOneSubnet && netuid != path.netuid) continue;
      if (path.scope == ParamPath::Scope::kChainWide) continue;
      if (value < static_cast<double>(sn.state.n))
        return "max_allowed_uids " + param_value_text(path, value) + " is below the " +
               std::to_string(sn.state.n) + " uids subnet " + std::to_string(netuid) +
               " holds (the chain refuses it: MaxAllowedUIdsLessThanCurrentUIds)";
    }
  return "";
}

// tao_per_block is the base of a halving or decaying schedule, not the rate: after a change,
// the rate it gives from this block (the halvings or decay years so far applied), so that
// "2 -> 4" is not read as 4 TAO a block. "" for other parameters and schedules.
std::string Simulation::Impl::rate_now(const ParamPath& path, std::uint64_t block) const {
  using config::EmissionSchedule;
  if (path.field != "/emission/tao_per_block" ||
      (scenario.emission.schedule != EmissionSchedule::kHalving &&
       scenario.emission.schedule != EmissionSchedule::kYearlyDecay))
    return "";
  const economics::BlockEmission emission = block_emission();
  return " (the schedule's base: with its " +
         std::string(scenario.emission.schedule == EmissionSchedule::kHalving ? "halvings"
                                                                              : "decay") +
         " so far, " + core::format_tao(emission.rate_at(block, ledger.issuance())) +
         " a block from here)";
}

std::string Simulation::Impl::change_param(const ParamPath& path, double value,
                                           std::uint64_t block) {
  // Each subnet's value before: /subnet_defaults may reach subnets that held other values.
  std::map<std::uint16_t, double> was;
  if (path.scope != ParamPath::Scope::kChainWide)
    for (const auto& [netuid, sn] : subnets)
      if (path.scope == ParamPath::Scope::kEverySubnet || netuid == path.netuid)
        was[netuid] =
            read_param(scenario, ParamPath{ParamPath::Scope::kOneSubnet, netuid, path.field});
  const double before = read_param(scenario, path);
  before_param_change(path, block);
  apply_param(scenario, path, value);
  after_param_change(path, block, before, was);
  if (path.scope != ParamPath::Scope::kEverySubnet) return param_value_text(path, before);
  // "12", or where the subnets differed from the defaults: "20 on subnet 1, 12 elsewhere".
  std::vector<std::uint16_t> other;
  for (const auto& [netuid, v] : was)
    if (v != before) other.push_back(netuid);
  if (other.empty()) return param_value_text(path, before);
  std::string text;
  for (std::size_t i = 0; i < other.size() && i < 3; ++i)
    text += (i == 0 ? "" : ", ") + param_value_text(path, was.at(other[i])) + " on subnet " +
            std::to_string(other[i]);
  if (other.size() > 3) text += " (and " + std::to_string(other.size() - 3) + " more subnets)";
  return text + ", " + param_value_text(path, before) + " elsewhere";
}

void Simulation::Impl::after_param_change(const ParamPath& path, std::uint64_t block, double before,
                                          const std::map<std::uint16_t, double>& was) {
  const bool changed = read_param(scenario, path) != before;
  // Most parameters are read where they are used. The price process and the burn are state:
  // a new drift or volatility applies from this block on; a new burn_tao resets the current
  // registration price of the subnet(s) it names.
  if (path.field == "/market/drift_per_year" || path.field == "/market/volatility_per_year") {
    price->set_drift_volatility(block, scenario.market.drift_per_year, scenario.market.volatility_per_year);
    return;
  }
  if (path.field == "/chain/consensus_backend") {
    // No epoch is in flight during the script (complete_epochs_before): every engine is free.
    for (EpochEngine& engine : engines)
      engine.backend = consensus::make_backend(scenario.chain.consensus_backend);
    return;
  }
  if (path.field == "/chain/epoch_schedule") {
    if (!changed) return;  // the epochs stay where they are
    // Every subnet's next epoch follows the new rule, as after a tempo change: one due in this
    // block still runs, and schedules the next by the new rule.
    for (auto& [netuid, sn] : subnets) {
      if (sn.next_epoch_block == block) continue;
      ++sn.epoch_generation;
      schedule_next_epoch(sn, block);
    }
    return;
  }
  for (auto& [netuid, sn] : subnets) {
    if (path.scope == ParamPath::Scope::kOneSubnet && netuid != path.netuid) continue;
    const SubnetParams& p = params(sn);
    if (path.field == "burn_tao") {
      sn.burn.set_price(Rao::from_tao(p.burn_tao));
      sn.burn_block = burn_clock(block);
      registration_terms_changed(sn, block);
    } else if (shapes_burn_decay(path)) {
      // From this block the burn decays at the new half-life (brought here by
      // before_param_change under the old one).
      sn.burn.set_bounds(Rao::from_tao(p.min_burn_tao), Rao::from_tao(p.max_burn_tao));
      sn.burn.set_half_life(p.burn_half_life_blocks);
      sn.burn.set_increase_mult(p.burn_increase_mult);
      registration_terms_changed(sn, block);
    } else if (path.field == "tempo" && was.count(netuid) > 0 && was.at(netuid) != p.tempo) {
      // As the chain's sudo_set_tempo (apply_tempo_with_cycle_reset): the cycle restarts here,
      // LastEpochBlock = this block, so the next epoch comes a new tempo later (the legacy rule:
      // at its next block by the new modulo). An epoch due in this very block still runs, as it
      // ran on chain in on_initialize before the extrinsic, and its successor follows the new
      // tempo.
      // (One deferred from it by max_epochs_per_block had not run: the restart drops it.)
      if (sn.next_epoch_block == block)
        sn.cycle_reset_at = block;
      else
        restart_cycle(sn, block);
    }
  }
}

void Simulation::Impl::open_proposal(const std::string& id, std::uint64_t block) {
  const Proposal& p = proposals.at(id);
  event({block, p.path.netuid, "proposal", "", -1, id, read_param(scenario, p.path), p.cfg.value, 0,
         "",
         "vote opens: set " + param_pointer(p.path) + " to " +
             param_value_text(p.path, p.cfg.value) + " (now " +
             param_value_text(p.path, read_param(scenario, p.path)) + ")"});
}

void Simulation::Impl::close_proposal(const std::string& id, std::uint64_t block) {
  const Proposal& p = proposals.at(id);
  // Stake-weighted: each agent votes with all the stake its coldkey holds, on any hotkey (one
  // pass over every stake position, not one per agent).
  std::vector<Rao> held_by(ledger.coldkey_count());
  for (HotkeyId h = 0; h < ledger.hotkey_count(); ++h)
    for (const auto& pos : ledger.positions(h)) held_by[pos.coldkey] += pos.amount;
  Rao yes(0), no(0);
  for (AgentIndex a = 0; a < agents.size(); ++a) {
    const AgentRuntime& rt = runtime[a];
    const Rao held = held_by[rt.coldkey];
    if (held.raw() == 0) continue;
    bool vote_yes = false;
    switch (scenario.agents.at(agents[a].group()).vote) {
      case VotePolicy::kAbstain: continue;
      case VotePolicy::kYes: vote_yes = true; break;
      case VotePolicy::kNo: vote_yes = false; break;
      case VotePolicy::kRandom: {
        auto rng = core::make_rng(scenario.seed, rt.name, 0, "vote:" + id);
        vote_yes = boost::random::uniform_real_distribution<double>(0, 1)(rng) < 0.5;
        break;
      }
      case VotePolicy::kSelfInterest: {
        // On a stake threshold, no only when the change would cost it its standing: the stake
        // the threshold is compared with (its hotkey's, nominations included) meets the current
        // value but not the proposed one; yes otherwise. Other parameters, or no hotkey of its
        // own (a staker) to stand with: abstain. (Once compared its coldkey's own stake with
        // the proposed value: a validator its nominators kept above a raised minimum voted no,
        // and one below both the old and the new value voted no on a cut.)
        if (p.path.field.find("stake") == std::string::npos || rt.hotkey == kNoHotkey) continue;
        // Its standing is on its own subnet: a threshold of another subnet cannot cost it any
        // (abstain); one set for every subnet is judged against its own subnet's current value.
        if (p.path.scope == config::ParamPath::Scope::kOneSubnet && p.path.netuid != rt.netuid)
          continue;
        if (!subnets.count(rt.netuid) || rt.uid < 0) continue;  // not registered: no standing
        const config::ParamPath own{config::ParamPath::Scope::kOneSubnet, rt.netuid, p.path.field};
        const double standing = ledger.stake(rt.hotkey).tao();
        vote_yes = !(standing >= read_param(scenario, own) && standing < p.cfg.value);
        break;
      }
    }
    (vote_yes ? yes : no) += held;
  }
  const double total = static_cast<double>(ledger.total_stake().raw());
  const double turnout = total > 0 ? static_cast<double>((yes + no).raw()) / total : 0.0;
  const double yes_share = (yes + no).raw() > 0 ? static_cast<double>(yes.raw()) / static_cast<double>((yes + no).raw()) : 0.0;
  const bool passed = turnout >= p.cfg.quorum && yes_share > p.cfg.threshold;
  std::string detail = "yes " + core::format_tao(yes) + ", no " + core::format_tao(no) +
                       ", turnout " + format_value(turnout * 100) + "%: ";
  const std::string refused = passed ? chain_refuses(p.path, p.cfg.value) : "";
  if (passed && !refused.empty()) {
    detail += "passed, but " + param_pointer(p.path) + " stays " +
              param_value_text(p.path, read_param(scenario, p.path)) + ": refused, " + refused;
  } else if (passed) {
    const std::string was = change_param(p.path, p.cfg.value, block);
    detail += "passed, " + param_pointer(p.path) + " " + was + " -> " +
              param_value_text(p.path, p.cfg.value) + rate_now(p.path, block);
  } else {
    detail += turnout < p.cfg.quorum ? "failed (no quorum)" : "failed";
  }
  result.proposals.push_back({id, p.cfg.path, block, passed, passed && refused.empty(), yes_share, turnout});
  event({block, p.path.netuid, passed ? "vote_passed" : "vote_failed", "", -1, id, yes_share,
         p.cfg.threshold, yes.raw(), "", detail});
}

void Simulation::Impl::update_price(std::uint64_t block) {
  price_usd = price->usd_at(block);
  if (!std::isfinite(price_usd)) throw UsdOverflow("the USD price");
  check_liquidations(block, leveraged);
}

std::vector<std::pair<HotkeyId, Rao>> Simulation::Impl::delegations_of(AgentIndex a) const {
  std::vector<std::pair<HotkeyId, Rao>> out;
  const AgentRuntime& rt = runtime[a];
  const auto sn = subnets.find(rt.netuid);
  if (sn == subnets.end()) return out;
  for (AgentIndex v : sn->second.validator_agents) {
    const HotkeyId h = runtime[v].hotkey;
    if (h == kNoHotkey) continue;
    if (const Rao held = ledger.stake_of(h, rt.coldkey); held.raw() != 0) out.emplace_back(h, held);
  }
  return out;
}

std::string Simulation::Impl::StakerSwitchTally::text() const {
  std::string s;
  auto add = [&](std::size_t n, const std::string& what) {
    if (n > 0)
      s += (s.empty() ? ": " : ", ") + std::to_string(n) + (n == 1 ? " staker " : " stakers ") +
           what;
  };
  add(moved, "moved its delegations to the new validators");
  add(unstaked, "held its stake as balance (no new validator registered yet)");
  add(borrowed, "borrowed");
  add(kept_loans, "kept the loan it had");
  add(refused, "could not borrow");
  return s.empty() ? s : s + " (their own rows give the amounts)";
}

bool Simulation::Impl::price_updates_at(std::uint64_t block) const {
  const std::uint64_t every = scenario.market.update_every_blocks;
  return block > 0 && block <= horizon && every > 0 && block % every == 0;
}

Rao loan_on(const LeveragedStaker& lev, Rao collateral) {
  return core::mul_div_floor(collateral,
                             static_cast<std::uint64_t>(std::llround((lev.leverage - 1.0) * 1e9)),
                             1'000'000'000ULL);
}

Rao Simulation::Impl::open_loan(AgentRuntime& rt, const LeveragedStaker& lev, Rao collateral,
                                std::uint64_t block, double usd) {
  const Rao borrowed = loan_on(lev, collateral);
  if (borrowed.raw() == 0) return borrowed;  // leverage 1, or nothing held: no loan
  ledger.mint_to_balance(lender, borrowed);
  ledger.transfer(lender, rt.coldkey, borrowed);
  rt.debt_usd = borrowed.tao() * usd;
  rt.debt_block = block;
  rt.has_loan = true;
  rt.loan_rate_per_year = lev.borrow_rate_per_year;
  rt.loan_margin = lev.maintenance_margin;
  return borrowed;
}

void Simulation::Impl::switch_staker_positions(AgentIndex a,
                                               const std::vector<AgentIndex>& new_targets,
                                               const config::AgentParams& to, std::uint64_t block,
                                               StakerSwitchTally& tally) {
  AgentRuntime& rt = runtime[a];
  if (rt.liquidated) return;  // out of the game: it holds nothing to move or to pledge
  std::string group;          // the validator group the new params name
  std::visit(
      [&](const auto& p) {
        if constexpr (requires { p.validator; }) group = p.validator;
      },
      to);
  std::vector<HotkeyId> to_keys;  // the new validators that are there (registered)
  for (AgentIndex v : new_targets)
    if (runtime[v].hotkey != kNoHotkey) to_keys.push_back(runtime[v].hotkey);
  // Its delegations go to the group the new params name: every one on another validator of its
  // subnet moves there, split evenly, or to its balance while none of the group is registered.
  // Listed before anything moves (a moved position must not be counted again where it lands).
  Rao moved(0), unstaked(0);
  for (const auto& [h, held] : delegations_of(a)) {
    if (std::find(to_keys.begin(), to_keys.end(), h) != to_keys.end()) continue;
    if (to_keys.empty()) {
      ledger.unstake_to_balance(rt.coldkey, h, held);
      unstaked += held;
      continue;
    }
    // Split evenly over the new validators, the rest of the division to the first.
    const Rao part(held.raw() / to_keys.size());
    const Rao first = held - Rao(part.raw() * (to_keys.size() - 1));
    for (std::size_t k = 0; k < to_keys.size(); ++k)
      ledger.move_stake(rt.coldkey, h, to_keys[k], k == 0 ? first : part);
    moved += held;
  }
  const std::string why = "switch_strategy to " + std::string(config::kAgentTypeNames[to.index()]);
  if (moved.raw() > 0) {
    ++tally.moved;
    event({block, rt.netuid, "move_stake", rt.name, -1, "", metrics::kNothingMeasured,
           metrics::kNothingMeasured, moved.raw(), group,
           why + ": its delegations move to group " + group});
  }
  if (unstaked.raw() > 0) {
    ++tally.unstaked;
    event({block, rt.netuid, "unstake", rt.name, -1, "", 1.0, metrics::kNothingMeasured,
           unstaked.raw(), "",
           why + ": no validator of group " + group +
               " is registered yet: held as balance, delegated when one is"});
  }
  const auto* lev = std::get_if<LeveragedStaker>(&to);
  if (lev == nullptr || rt.has_loan) {
    if (rt.has_loan) ++tally.kept_loans;  // a position: it goes on, at the terms it was opened
    return;
  }
  // A loan on what it holds: its balance (with what was just unstaked) and its delegations, at
  // the price of this block (a price update due in this block counts: the script runs first).
  Rao collateral = ledger.balance(rt.coldkey);
  for (const auto& [h, held] : delegations_of(a)) collateral += held;
  const double loan_price = price_updates_at(block) ? price->usd_at(block) : price_usd;
  const Rao wanted = loan_on(*lev, collateral);
  // The lender's TAO is minted: never past the supply (issuance beyond it would stop emission
  // for the rest of the run, silently), as a stake shock's gain is refused.
  const Rao supply = Rao::from_tao(scenario.chain.total_supply_tao);
  const Rao left = supply > ledger.issuance() ? supply - ledger.issuance() : Rao(0);
  if (wanted > left) {
    ++tally.refused;
    refuse(a, block, "borrow",
           "a loan of " + format_value(wanted.tao()) +
               " TAO would take issuance past "
               "total_supply_tao (" +
               format_value(left.tao()) + " TAO left)");
    return;
  }
  const Rao borrowed = open_loan(rt, *lev, collateral, block, loan_price);
  if (borrowed.raw() == 0) return;  // leverage 1: nothing borrowed, no loan
  ++tally.borrowed;
  leveraged.push_back(a);  // first loan: not listed before
  event({block, rt.netuid, "borrow", rt.name, -1, "", loan_price, lev->leverage, borrowed.raw(), "",
         why + ": (leverage - 1) x its " + format_value(collateral.tao()) + " TAO, owing $" +
             format_value(rt.debt_usd) + " at " + format_value(lev->borrow_rate_per_year * 100) +
             "% a year, margin " + format_value(lev->maintenance_margin)});
}

void Simulation::Impl::accrue_debt(AgentIndex a, std::uint64_t block) {
  AgentRuntime& rt = runtime[a];
  // A liquidated staker's debt is what the liquidation left unpaid, written off by the lender:
  // it accrues nothing more.
  if (!rt.has_loan || rt.liquidated || rt.debt_usd <= 0 || block <= rt.debt_block) return;
  const double years =
      static_cast<double>(block - rt.debt_block) * scenario.chain.block_time_s / (365.25 * 86400.0);
  rt.debt_usd *= std::exp(std::log1p(rt.loan_rate_per_year) * years);
  rt.debt_block = block;
  if (!std::isfinite(rt.debt_usd)) throw UsdOverflow("the debt of " + rt.name + " in USD");
}

void Simulation::Impl::check_liquidations(std::uint64_t block, std::span<const AgentIndex> who) {
  for (AgentIndex a : who) {
    AgentRuntime& rt = runtime[a];
    if (!rt.has_loan || rt.liquidated || rt.debt_usd <= 0) continue;
    accrue_debt(a, block);
    // Its whole position: every delegation on its subnet (a staker switched to yield chasing
    // moves stake beyond the validators it started with) and its balance.
    const std::vector<std::pair<HotkeyId, Rao>> delegations = delegations_of(a);
    Rao position = ledger.balance(rt.coldkey);
    for (const auto& [h, held] : delegations) position += held;
    const double value = position.tao() * price_usd;
    if (!std::isfinite(value)) throw UsdOverflow("the value of " + rt.name + "'s position in USD");
    // Equity as a share of the position's value; a position worth nothing (a price of $0, or
    // nothing left) against a debt has lost everything and more: -100% at least.
    const double equity = value > 0 ? (value - rt.debt_usd) / value : -1.0;
    if (equity >= rt.loan_margin) continue;
    // Liquidation: unstake everything; the lender takes TAO worth the debt (at most all of it).
    for (const auto& [h, held] : delegations) ledger.unstake_to_balance(rt.coldkey, h, held);
    // At $0 the debt is worth every TAO it holds (and more): all of it goes to the lender.
    const Rao owed = price_usd > 0 ? Rao::from_tao(std::min(position.tao(), rt.debt_usd / price_usd))
                                   : position;
    const Rao repay = std::min(owed, ledger.balance(rt.coldkey));
    ledger.transfer(rt.coldkey, lender, repay);
    // What is still owed: nothing when the position covered the debt (the rounding of the TAO
    // taken to whole rao would leave a few 1e-8 USD), else the shortfall.
    const bool covered = price_usd > 0 && value >= rt.debt_usd;
    rt.debt_usd = covered ? 0.0 : std::max(0.0, rt.debt_usd - repay.tao() * price_usd);
    rt.liquidated = true;
    ++roster_generation;
    ++result.liquidations;
    event({block, rt.netuid, "liquidate", rt.name, -1, "", equity, rt.loan_margin, repay.raw(),
           "lender", "equity fell below the maintenance margin at $" + format_value(price_usd)});
  }
}

}  // namespace subnetsim::sim
