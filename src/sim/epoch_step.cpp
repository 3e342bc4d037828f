// Epoch phase: reveal commits, run the chain-side driver, pay emission, slash, audit.
#include <algorithm>
#include <cmath>

#include "state.hpp"
#include "subnetsim/consensus/sparse_row.hpp"

namespace subnetsim::sim {

using namespace config;

namespace {
constexpr std::uint64_t kFullAuditEveryEpochs = 1024;
// "1 epoch", "3 epochs".
std::string epochs_text(std::uint64_t n) { return std::to_string(n) + (n == 1 ? " epoch" : " epochs"); }

std::uint64_t ppb(double x) { return static_cast<std::uint64_t>(std::llround(std::clamp(x, 0.0, 1.0) * 1e9)); }

chain::ChainEpochParams chain_params(const SubnetParams& p) {
  chain::ChainEpochParams c;
  c.tempo = p.tempo;
  c.activity_cutoff_factor_milli = p.activity_cutoff_factor_milli;
  c.stake_threshold = Rao::from_tao(p.stake_threshold_tao).raw();
  c.min_permit_stake = Rao::from_tao(p.min_validator_stake_tao).raw();
  c.commit_reveal_enabled = p.commit_reveal;
  c.epoch = p.epoch_params();
  return c;
}
}  // namespace

void Simulation::Impl::run_epoch(SubnetRuntime& sn, std::uint64_t block) {
  const bool overlap = overlap_epochs();
  // Every engine busy: the oldest epoch completes first (the run stops there if it broke).
  if (overlap && inflight_.size() == engines.size()) {
    complete_oldest_epoch();
    if (broken) return;
  }
  InflightEpoch e = prepare_epoch(sn, block);
  if (!overlap) {
    compute_epoch(e);
    finish_epoch(e);
    return;
  }
  // From here until it completes, outputs of later events wait behind this epoch's. The task
  // does all of compute_epoch: it reads and writes only this subnet's chain state and per-uid
  // copies, and its own engine, which nothing handled meanwhile touches.
  held_output.mark();
  e.on_worker = true;
  e.ticket = workers->submit_task([this, e] { compute_epoch(e); });
  inflight_.push_back(e);
}

bool Simulation::Impl::epochs_may_overlap() const {
  return !any_staker_ && leveraged.empty() &&
         scenario.emission.subnet_split != config::SubnetSplit::kStake;
}

bool Simulation::Impl::overlap_epochs() const { return epoch_thread_ && epochs_may_overlap(); }

void Simulation::Impl::complete_epochs_before(const Payload& p) {
  // Another subnet's decisions or epoch go ahead; the same subnet's wait for its epoch, and so
  // does anything else (the script, samples, prices, joins) for every epoch in flight.
  std::int32_t netuid = -1;
  if (const auto* d = std::get_if<SubnetDecide>(&p)) netuid = d->netuid;
  if (const auto* d = std::get_if<EpochDue>(&p)) netuid = d->netuid;
  auto pending = [&] {
    if (netuid < 0) return !inflight_.empty();
    for (const InflightEpoch& e : inflight_)
      if (e.sn->netuid == netuid) return true;
    return false;
  };
  while (pending() && !broken) complete_oldest_epoch();
}

void Simulation::Impl::complete_all_epochs() {
  while (!inflight_.empty() && !broken) complete_oldest_epoch();
}

void Simulation::Impl::reveal_due_commits(SubnetRuntime& sn, std::uint64_t block) {
  if (sn.commits.empty()) return;
  // last_update stays where the latest commit put it (spec §4): a reveal does not set it back
  // to its own commit's block, which made a validator inactive once reveal_period_epochs
  // spanned the activity cutoff. A commit made by a uid's former holder is not revealed (its
  // hotkey is gone): register_agent drops those when it replaces a uid; the registration
  // block check is a second guard.
  // The chain files a commit under the epoch index it is made in, and at the start of the block
  // whose epoch makes that index + period (before the epoch runs) reveals the commits filed
  // period epochs back, with the period of that block; older ones are dropped unrevealed (a
  // period shortened since). Decisions come before their block's epoch, like extrinsics of
  // the block before, so a period of 1 reveals at the very next epoch: hidden, not delayed.
  const std::uint64_t period = params(sn).reveal_period_epochs;
  // The reveal sets the weights through the chain's set_weights: with commit-reveal on, it
  // skips the rate limit and leaves last_update to the commits; switched off since the
  // commit, it is an ordinary set_weights (rate limit, last_update = block).
  const bool still_committing = params(sn).commit_reveal;
  auto refuse_reveal = [&](const PendingCommit& c, const std::string& why) {
    if (const std::int64_t a = sn.agent_of_uid[c.uid]; a != kNoAgent)
      refuse(static_cast<AgentIndex>(a), block, "reveal_weights",
             why + " (committed at block " + std::to_string(c.commit_block) + ")");
  };
  std::vector<PendingCommit> keep;
  for (auto& c : sn.commits) {
    const std::uint64_t due = c.commit_epoch + period - 1;
    if (due > sn.epoch_index) {
      keep.push_back(std::move(c));
      continue;
    }
    if (c.uid >= sn.state.n || sn.state.block_at_registration[c.uid] > c.commit_block) continue;
    if (due < sn.epoch_index) {
      refuse_reveal(c, "expired unrevealed: reveal_period_epochs is " + std::to_string(period) +
                           ", so its reveal epoch has passed");
      continue;
    }
    std::string bad = !still_committing && rate_limited(sn, c.uid, block)
                          ? rate_limit_refusal(sn, c.uid, block)
                          : std::string();
    if (bad.empty()) bad = weights_refusal(sn, c.uid, sn.hotkey_of_uid[c.uid], c.uids, c.values);
    if (!bad.empty())
      refuse_reveal(c, bad);
    else if (still_committing)
      chain::reveal_weights(sn.state, c.uid, c.uids, c.values);
    else
      chain::set_weights(sn.state, c.uid, c.uids, c.values, block);
  }
  sn.commits = std::move(keep);
  std::fill(sn.state.earliest_commit_block.begin(), sn.state.earliest_commit_block.end(),
            chain::kNoCommit);
  for (const auto& c : sn.commits)
    sn.state.earliest_commit_block[c.uid] =
        std::min(sn.state.earliest_commit_block[c.uid], c.commit_block);
}

Simulation::Impl::InflightEpoch Simulation::Impl::prepare_epoch(SubnetRuntime& sn,
                                                                std::uint64_t block) {
  const SubnetParams& p = params(sn);
  reveal_due_commits(sn, block);
  // Epoch stake: each uid's hotkey stake; a jailed validator counts 0, so it holds no permit.
  // The outputs record the stake it holds all the same (held_stake_rao: the subnet's own, as
  // another subnet's epoch may be prepared before this one is recorded).
  std::vector<std::uint64_t>& held = sn.held_stake_rao;
  held.resize(sn.state.n);
  for (std::size_t u = 0; u < sn.state.n; ++u) {
    const HotkeyId h = sn.hotkey_of_uid[u];
    const bool jailed = sn.jailed_until_epoch[u] > sn.epoch_index;
    held[u] = h == kNoHotkey ? 0 : ledger.stake(h).raw();
    sn.state.stake_rao[u] = jailed ? 0 : held[u];
  }
  const Rao miners = ledger.pool(sn.miners_pool), validators = ledger.pool(sn.validators_pool);
  sn.permit_before.assign(sn.state.validator_permit.begin(), sn.state.validator_permit.end());
  // The next epoch is scheduled from this block as soon as this one is launched.
  sn.last_epoch_block = static_cast<std::int64_t>(block);
  InflightEpoch e;
  e.sn = &sn;
  e.block = block;
  e.params = chain_params(p);
  e.miners = miners;
  e.validators = validators;
  // Engines in turn: with at most engines.size() epochs in flight, completed in launch order,
  // the next in turn is free.
  e.engine = next_engine_++ % engines.size();
  return e;
}

void Simulation::Impl::compute_epoch(const InflightEpoch& e) {
  SubnetRuntime& sn = *e.sn;
  EpochEngine& engine = engines[e.engine];
  engine.driver.begin(sn.state, e.params, e.block, (e.miners + e.validators).raw());
  try {
    engine.driver.compute(*engine.backend);
  } catch (...) {
    engine.driver.abandon(sn.state);
    throw;
  }
  const consensus::EpochOutput& out = engine.driver.finish(sn.state, /*mark_mechanism_step=*/true);
  for (std::size_t u = 0; u < sn.state.n; ++u) {
    sn.consensus[u] = out.consensus_u16[u] / 65535.0;
    sn.incentive[u] = out.incentive_u16[u] / 65535.0;
    sn.dividends[u] = out.dividends_u16[u] / 65535.0;
    sn.validator_trust[u] = out.validator_trust_u16[u] / 65535.0;
  }
  // A validator's bonds at a glance: its stored bond row summed (each entry a u16 fraction),
  // as an exact integer sum divided once.
  sn.bond_total.assign(sn.state.n, 0.0);
  for (std::size_t u = 0; u < sn.state.n && u < sn.state.bonds.size(); ++u) {
    const std::uint64_t sum = consensus::row_value_sum(sn.state.bonds[u]);
    sn.bond_total[u] = static_cast<double>(sum) / 65535.0;
  }
}

void Simulation::Impl::complete_oldest_epoch() {
  const InflightEpoch e = inflight_.front();
  inflight_.pop_front();
  try {
    workers->wait_task(e.ticket);
  } catch (...) {
    held_output.discard();  // the task gave the rows back; the run ends here
    throw;
  }
  finish_epoch(e);
}

void Simulation::Impl::finish_epoch(const InflightEpoch& launched) {
  SubnetRuntime& sn = *launched.sn;
  const std::uint64_t block = launched.block;
  const SubnetParams& p = params(sn);
  const chain::EpochDriver& driver = engines[launched.engine].driver;
  if (launched.on_worker) held_output.begin_release();  // this epoch's outputs go first
  const consensus::EpochOutput& out = driver.last_output();
  // A minimum validator stake: below it, no permit for the next epoch (the driver withheld it,
  // and the bond row with it).
  const Rao min_stake = Rao::from_tao(p.min_validator_stake_tao);
  distribute(sn, out, launched.miners, launched.validators);
  apply_slashing(sn, driver.last_input(), block);
  // The subnet's first epoch hands out the initial permits: not news.
  if (sn.epoch_index > 0) record_permit_changes(sn, block, min_stake);
  ++sn.epoch_index;
  ++result.epochs;

  permits_scratch.resize(sn.state.n);
  for (std::size_t u = 0; u < sn.state.n; ++u) permits_scratch[u] = sn.state.validator_permit[u] ? 1 : 0;
  metrics::EpochRecord rec;
  rec.block = block;
  rec.netuid = sn.netuid;
  rec.epoch = sn.epoch_index;
  rec.n = sn.state.n;
  rec.agent = sn.agent_name;
  rec.stake_rao = sn.held_stake_rao;
  rec.consensus = sn.consensus;
  rec.incentive = sn.incentive;
  rec.dividends = sn.dividends;
  rec.validator_trust = sn.validator_trust;
  rec.paid_rao = sn.paid_rao;
  rec.permit = permits_scratch;
  rec.bond_total = sn.bond_total;
  observer.on_epoch(rec);

  // Conservation at every epoch on the running totals; a full recount of every account now and
  // then (and at the end of the run), which also checks the running totals themselves.
  std::string why;
  if (!ledger.conserved()) why = "issuance differs from balances + stakes + pools + burned";
  else if (result.epochs % kFullAuditEveryEpochs == 0) why = ledger.audit();
  if (!why.empty()) {
    broken = true;
    conservation_broken = true;
    stopped_at_block = block;
    result.status = RunStatus::kInvariantBroken;
    result.message = "conservation broken after the epoch of subnet " + std::to_string(sn.netuid) +
                     " at block " + std::to_string(block) + ": " + why;
    // The run stops here: what was handled while this epoch computed never happened.
    held_output.discard();
    return;
  }
  if (launched.on_worker) held_output.end_release();  // it happened after this epoch
}

void Simulation::Impl::record_permit_changes(SubnetRuntime& sn, std::uint64_t block, Rao min_stake) {
  const std::size_t n = std::min(sn.permit_before.size(), static_cast<std::size_t>(sn.state.n));
  for (std::size_t u = 0; u < n; ++u) {
    const bool had = sn.permit_before[u] != 0, has = sn.state.validator_permit[u];
    // Agents' uids, and a uid its agent left (a churner's old uid, named by that agent): a
    // permit is news for them, not for an empty slot.
    const bool left = sn.agent_of_uid[u] < 0;
    const std::int64_t a = left ? sn.former_agent_of_uid[u] : sn.agent_of_uid[u];
    if (had == has || a < 0) continue;
    const Rao stake(sn.state.stake_rao[u]);
    // The stake the permits were given by is the epoch's: for a validator this epoch then
    // slashed, the story told a stake it no longer held, right after the slash.
    const bool slashed =
        std::find(slashed_in_epoch_.begin(), slashed_in_epoch_.end(), u) != slashed_in_epoch_.end();
    const std::string stake_text =
        core::format_tao(stake) + (slashed ? " (at the epoch, before this block's slash)" : "");
    std::string why;
    if (has)
      why = "its stake " + stake_text + " is among the top " +
            std::to_string(params(sn).max_allowed_validators) + " of the subnet";
    else if (sn.jailed_until_epoch[u] > sn.epoch_index)
      why = "it is jailed through epoch " + std::to_string(shown_epoch(sn.jailed_until_epoch[u]));
    else if (stake.raw() == 0)
      why = "it has no stake (a permit goes only to stake, spec §3.3)";
    else if (min_stake.raw() > 0 && stake < min_stake)
      why = "its stake " + stake_text + " is below the minimum validator stake " +
            core::format_tao(min_stake);
    else if (const Rao threshold = Rao::from_tao(params(sn).stake_threshold_tao); stake < threshold)
      why = "its stake " + stake_text + " is below the stake threshold " +
            core::format_tao(threshold) + ", so it counts as 0 and holds no permit";
    else
      why = "its stake " + stake_text + " is not among the top " +
            std::to_string(params(sn).max_allowed_validators) + " of the subnet";
    if (left) why += " (a uid its agent left to register again)";
    event({block, sn.netuid, has ? "permit_gained" : "permit_lost", runtime[static_cast<std::size_t>(a)].name,
           static_cast<std::int32_t>(u), "", stake.tao(), min_stake.tao(), stake.raw(), "", why});
  }
}

void Simulation::Impl::distribute(SubnetRuntime& sn, const consensus::EpochOutput& out, Rao miners,
                                  Rao validators) {
  const SubnetParams& p = params(sn);
  std::fill(sn.paid_rao.begin(), sn.paid_rao.end(), 0);
  core::U128 server_total = 0, validator_total = 0;
  for (std::size_t u = 0; u < sn.state.n; ++u) {
    server_total += out.server_emission_rao[u];
    validator_total += out.validator_emission_rao[u];
  }
  // With no incentive anywhere, validators receive the miners' pool too (spec §5.4.2).
  if (server_total == 0) {
    ledger.pool_to_pool(sn.miners_pool, sn.validators_pool, miners);
    validators += miners;
    miners = Rao(0);
  }
  // Each pool is shared in proportion to the epoch's rao shares; flooring dust stays in the
  // pool for the next epoch.
  for (std::size_t u = 0; u < sn.state.n; ++u) {
    const HotkeyId h = sn.hotkey_of_uid[u];
    if (h == kNoHotkey) continue;
    // Whose pay it is: the uid's agent, or the one that left it and still owns its hotkey.
    const std::int64_t paid_to =
        sn.agent_of_uid[u] >= 0 ? sn.agent_of_uid[u] : sn.former_agent_of_uid[u];
    if (server_total > 0 && out.server_emission_rao[u] > 0) {
      const Rao amt(core::mul_div(miners.raw(), out.server_emission_rao[u], server_total));
      ledger.pool_to_stake(sn.miners_pool, h, ledger.owner(h), amt);
      sn.paid_rao[u] += amt.raw();
      if (paid_to >= 0) runtime[static_cast<std::size_t>(paid_to)].paid_rao += amt.raw();
    }
    if (validator_total > 0 && out.validator_emission_rao[u] > 0) {
      const Rao amt(
          core::mul_div(validators.raw(), out.validator_emission_rao[u], validator_total));
      const std::int64_t a = sn.agent_of_uid[u];
      const double take = a >= 0 ? runtime[static_cast<std::size_t>(a)].take.value_or(p.validator_take) : p.validator_take;
      // The chain stores the take as a u16 ratio (Delegates[h]/65535, spec §5.4.7).
      ledger.distribute_to_nominators(sn.validators_pool, h, amt,
                                      config::u16_ratio_q32(config::fraction_to_u16(take)));
      sn.paid_rao[u] += amt.raw();
      if (paid_to >= 0) runtime[static_cast<std::size_t>(paid_to)].paid_rao += amt.raw();
    }
  }
}

void Simulation::Impl::apply_slashing(SubnetRuntime& sn, const consensus::EpochInput& input,
                                      std::uint64_t block) {
  slashed_in_epoch_.clear();
  struct Due {
    const SlashingRule* rule;
    std::uint16_t uid;
    double measured;
  };
  std::vector<Due> due;
  for (const auto& [id, rule] : scenario.slashing) {
    if (rule.trigger == SlashTrigger::kScripted) continue;
    if (!rule.subnets.empty() &&
        std::find(rule.subnets.begin(), rule.subnets.end(), sn.netuid) == rule.subnets.end())
      continue;
    for (std::uint16_t u = 0; u < sn.state.n; ++u) {
      // Only validators that graded (held a permit this epoch and have weights) are judged.
      if (!input.permit[u] || sn.hotkey_of_uid[u] == kNoHotkey || sn.state.weights[u].empty()) continue;
      double measured = 0.0;
      bool hit = false;
      if (rule.trigger == SlashTrigger::kValidatorTrustBelow) {
        measured = sn.validator_trust[u];
        hit = measured < rule.threshold;
      } else {
        // Total-variation distance between the validator's normalised weights and consensus.
        const auto& row = sn.state.weights[u];
        double wsum = 0.0, csum = 0.0;
        for (auto [j, w] : row) wsum += w;
        for (double c : sn.consensus) csum += c;
        if (wsum <= 0.0 || csum <= 0.0) continue;
        std::vector<double> w(sn.state.n, 0.0);
        for (auto [j, v] : row) w[j] += v / wsum;
        for (std::size_t j = 0; j < sn.state.n; ++j) measured += std::fabs(w[j] - sn.consensus[j] / csum);
        measured /= 2.0;
        hit = measured > rule.threshold;
      }
      auto& strikes = sn.strikes[{id, u}];
      strikes = hit ? strikes + 1 : 0;
      if (strikes >= rule.for_epochs) due.push_back({&rule, u, measured});
    }
  }
  // Every validator is judged before any is slashed, and none slashed this epoch receives a
  // share of another's redistributed slash: were the shares paid between the slashes, identical
  // offenders would lose different amounts by their order (the later ones slashed on stake
  // grown by the earlier ones' shares).
  for (const Due& d : due)
    if (std::find(slashed_in_epoch_.begin(), slashed_in_epoch_.end(), d.uid) ==
        slashed_in_epoch_.end())
      slashed_in_epoch_.push_back(d.uid);
  for (const Due& d : due)
    slash(sn, d.uid, *d.rule, block, d.measured, sn.epoch_index + 1, slashed_in_epoch_);
}

Rao Simulation::Impl::slash(SubnetRuntime& sn, std::uint16_t uid, const SlashingRule& rule,
                            std::uint64_t block, std::optional<double> measured,
                            std::uint64_t next_epoch, std::span<const std::uint16_t> not_paid) {
  const HotkeyId h = sn.hotkey_of_uid[uid];
  Rao taken = ledger.slash_into_pool(h, ppb(rule.self_stake_fraction), /*owner_only=*/true, sn.slash_pool);
  Rao from_nominators(0);
  if (rule.delegated_stake_fraction > 0) {
    // Nominators lose their fraction too: slash everyone at that rate, then give the owner's part
    // of this second cut back (the owner already paid self_stake_fraction).
    const Rao before_owner = ledger.self_stake(h);
    const Rao all = ledger.slash_into_pool(h, ppb(rule.delegated_stake_fraction), false, sn.slash_pool);
    const Rao owner_cut = before_owner - ledger.self_stake(h);
    ledger.pool_to_stake(sn.slash_pool, h, ledger.owner(h), owner_cut);
    from_nominators = all - owner_cut;
    taken += from_nominators;
  }
  std::string destination;
  switch (rule.destination) {
    case SlashDestination::kBurn:
      ledger.burn_pool(sn.slash_pool, taken);
      destination = "burn";
      break;
    case SlashDestination::kTreasury:
      ledger.pool_to_balance(sn.slash_pool, treasury, taken);
      destination = "treasury";
      break;
    case SlashDestination::kRedistribute: {
      // To the other validators holding permits, in proportion to their stake; not to those
      // slashed with it (not_paid).
      std::vector<std::pair<HotkeyId, Rao>> others;
      core::U128 total = 0;
      for (std::size_t u = 0; u < sn.state.n; ++u)
        if (u != uid && sn.state.validator_permit[u] && sn.hotkey_of_uid[u] != kNoHotkey &&
            std::find(not_paid.begin(), not_paid.end(), u) == not_paid.end()) {
          const Rao s = ledger.stake(sn.hotkey_of_uid[u]);
          others.emplace_back(sn.hotkey_of_uid[u], s);
          total += s.raw();
        }
      // Holders with no stake at all (all unstaked since the permits were stored) take
      // nothing: the whole amount is burned below.
      for (auto [hk, s] : others) {
        if (total == 0) break;
        const Rao share(core::mul_div(taken.raw(), s.raw(), total));
        ledger.pool_to_stake(sn.slash_pool, hk, ledger.owner(hk), share);
      }
      ledger.burn_pool(sn.slash_pool, ledger.pool(sn.slash_pool));  // rounding dust, or no recipients
      destination = "redistribute";
      break;
    }
  }
  if (rule.jail_epochs > 0) {
    // No permit in epochs N .. N+J-1 (N = next_epoch): the stored permit, which epoch N uses,
    // is cleared now, and the stake counts 0 when epochs N .. N+J-2 store the permits of the
    // epochs after them. jailed_until_epoch is the last epoch without one. A jail already
    // running that ends later is not cut short by a shorter one. (Once failed: a scripted
    // slash, between epochs, jailed for J+1 epochs; a second rule's shorter jail ended a
    // longer one.)
    const std::uint64_t last = next_epoch + rule.jail_epochs - 1;
    sn.jailed_until_epoch[uid] = std::max(sn.jailed_until_epoch[uid], last);
    sn.state.validator_permit[uid] = false;
    // With its permit goes its bond row: the chain keeps none for a uid without a permit
    // (spec §3.11), and the next epoch would read it (in classic's column normalisation).
    sn.state.bonds[uid].clear();
    if (uid < sn.bond_total.size()) sn.bond_total[uid] = 0.0;  // what the epoch's record shows
  }
  slashed_total += taken;
  const std::int64_t a = sn.agent_of_uid[uid];
  metrics::EventRecord r;
  r.block = block;
  r.netuid = sn.netuid;
  r.kind = "slash";
  r.agent = a >= 0 ? runtime[static_cast<std::size_t>(a)].name : "";
  r.uid = uid;
  r.rule = rule.id;
  // A slash by the script measured nothing: its measured and threshold columns stay empty.
  r.measured = measured.value_or(std::numeric_limits<double>::quiet_NaN());
  r.threshold = measured ? rule.threshold : std::numeric_limits<double>::quiet_NaN();
  r.amount_rao = taken.raw();
  r.destination = destination;
  r.detail = !measured || rule.trigger == SlashTrigger::kScripted ? "scripted slash"
             : rule.trigger == SlashTrigger::kValidatorTrustBelow
                 ? "validator trust below threshold for " + epochs_text(rule.for_epochs)
                 : "weights far from consensus for " + epochs_text(rule.for_epochs);
  if (rule.jail_epochs > 0) r.detail += "; jailed " + epochs_text(rule.jail_epochs);
  // What the nominators lost, when the rule takes from them and there were some.
  if (from_nominators.raw() > 0)
    r.detail += "; " + core::format_tao(from_nominators) + " from nominators";
  event(std::move(r));
  return taken;
}

}  // namespace subnetsim::sim
