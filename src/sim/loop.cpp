// The main loop: jump from one scheduled block to the next, run its phases in order.
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "state.hpp"

namespace subnetsim::sim {

RunResult Simulation::Impl::run() {
  build();
  while (!queue.empty() && !broken) {
    const engine::EventKey key = queue.peek();
    if (key.block > horizon) break;
    if (options.stop && options.stop->load(std::memory_order_relaxed) && key.block > last_visited_) {
      // Stop between blocks: the run ends as if its horizon were the last block finished.
      horizon = last_visited_;
      result.status = RunStatus::kInterrupted;
      result.message = "interrupted after block " + std::to_string(horizon);
      break;
    }
    auto entry = queue.pop();
    try {
      // Epochs computing on the workers complete before anything that could see them; the run
      // stops at one that broke conservation.
      if (!inflight_.empty()) {
        complete_epochs_before(entry.payload);
        if (broken) break;
      }
      // Emission for a block is accrued in its Emit phase, after its actions: before the Emit
      // phase of block b, blocks up to b-1 are accrued; from the Emit phase on, block b too.
      // (An epoch in flight took its pools as they were; what accrues meanwhile stays for its
      // subnet's next epoch, as it would after the epoch completed.)
      accrue_through(key.phase >= engine::Phase::kEmit ? key.block : key.block - (key.block > 0));
      if (key.block != last_visited_ || result.visited_blocks == 0) {
        ++result.visited_blocks;
        observer.on_block(key.block);
      }
      last_visited_ = key.block;
      handle(entry.key, entry.payload);
    } catch (const std::overflow_error& e) {
      stop_on_overflow(key.block, e);
    }
  }
  try {
    complete_all_epochs();
  } catch (const std::overflow_error& e) {
    stop_on_overflow(last_visited_, e);
  }
  // A run stopped by a broken invariant simulated up to the block where it stopped.
  const bool stopped_early = broken;
  if (!broken) {
    accrue_through(horizon);
    // An interrupted run ends as a run with this horizon would: with a sample of its last
    // block (the one at the old horizon never came).
    if (result.status == RunStatus::kInterrupted && last_sample_block_ != horizon)
      record_sample(horizon);
    if (auto why = ledger.audit(); !why.empty()) {
      broken = true;
      conservation_broken = true;
      result.status = RunStatus::kInvariantBroken;
      result.message = "conservation broken at the end of the run: " + why;
    }
  }
  result.blocks = stopped_early ? stopped_at_block : horizon;
  // Debts grow to the end of the run: interest was added only at margin checks (each epoch and
  // price move); a liquidated staker's unpaid rest is still owed, without interest. A debt
  // beyond a double stops the run here as it would have at a margin check.
  try {
    for (AgentIndex a : leveraged) accrue_debt(a, result.blocks);
  } catch (const std::overflow_error& e) {
    stop_on_overflow(result.blocks, e);
  }
  result.issuance_rao = ledger.issuance().raw();
  result.total_stake_rao = ledger.total_stake().raw();
  result.burned_rao = ledger.burned().raw();
  result.recycled_rao = ledger.recycled().raw();
  result.slashed_rao = slashed_total.raw();
  // A run stopped on an amount or a price beyond its range had conservation checked at every
  // epoch until then: a full recount says whether it still holds where it stopped.
  if (stopped_early && !conservation_broken) {
    try {
      conservation_broken = !ledger.audit().empty();
    } catch (const std::exception&) {
      conservation_broken = true;  // the recount itself left 64-bit rao
    }
  }
  result.conservation_verified = !conservation_broken;
  result.final_price_usd = price_usd;
  result.emitted = emitted;
  record_outcomes();
  return result;
}

// An amount beyond u64 rao (18.4 billion TAO) comes from the scenario's numbers, not from the
// program: the run stops there as it does for broken conservation, keeping what it recorded.
void Simulation::Impl::record_sample(std::uint64_t b) {
  metrics::GlobalSample s;
  s.block = b;
  s.issuance_rao = ledger.issuance().raw();
  s.total_stake_rao = ledger.total_stake().raw();
  s.total_balances_rao = ledger.total_balances().raw();
  s.burned_rao = ledger.burned().raw();
  s.slashed_rao = slashed_total.raw();
  s.price_usd = price_usd;
  s.emitted_owner_rao = emitted.owner_rao;
  s.emitted_miners_rao = emitted.miners_rao;
  s.emitted_validators_rao = emitted.validators_rao;
  s.emitted_treasury_rao = emitted.treasury_rao;
  s.emitted_community_rao = emitted.community_rao;
  observer.on_sample(s);
  last_sample_block_ = b;
}

void Simulation::Impl::stop_on_overflow(std::uint64_t block, const std::overflow_error& e) {
  broken = true;
  stopped_at_block = block;
  result.status = RunStatus::kInvariantBroken;
  if (dynamic_cast<const UsdOverflow*>(&e) != nullptr) {
    result.message =
        "block " + std::to_string(block) + ": " + e.what() +
        " left the range of a double (about 1.8e308): the scenario's price shocks, drift, "
        "volatility or borrowing rates are too large";
    return;
  }
  result.message = "block " + std::to_string(block) +
                   ": an amount left the range of 64-bit rao (at most 18,446,744,073 TAO; " +
                   e.what() +
                   "): the scenario's stakes, balances, shocks or emission are too large";
}

void Simulation::Impl::handle(const engine::EventKey& key, const Payload& payload) {
  const std::uint64_t b = key.block;
  std::visit(
      [&](const auto& p) {
        using P = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<P, ScriptDue>) {
          run_script(scenario.script[p.index], b);
        } else if constexpr (std::is_same_v<P, ProposalOpen>) {
          open_proposal(p.id, b);
        } else if constexpr (std::is_same_v<P, ProposalClose>) {
          close_proposal(p.id, b);
        } else if constexpr (std::is_same_v<P, JoinDue>) {
          // A staker joins the subnet's roster: it delegates at its next decision.
          if (agents[p.agent].role() == agents::Role::kStaker) {
            if (!runtime[p.agent].joined) ++roster_generation;
            runtime[p.agent].joined = true;
            return;
          }
          // A retry overtaken by a later one (the agent was refused again meanwhile) is dropped.
          if (p.retry && b != runtime[p.agent].retry_at) return;
          // Its pending retry is this one: none is pending once it is tried (a refusal that
          // schedules no other, a full subnet, leaves the agent free to try at its own turns).
          if (p.retry) runtime[p.agent].retry_at = 0;
          // An agent of a subnet not created yet waits for the creation, which registers it.
          if (subnets.count(runtime[p.agent].netuid) && runtime[p.agent].uid < 0) {
            if (p.stakes)
              join(p.agent, b, /*free_registration=*/false);
            else
              register_agent(p.agent, b, /*genesis=*/false);
          }
        } else if constexpr (std::is_same_v<P, SubnetDecide>) {
          SubnetRuntime& sn = subnets.at(p.netuid);
          if (p.generation != sn.epoch_generation) return;  // rescheduled (a tempo change)
          subnet_decide(sn, b);
        } else if constexpr (std::is_same_v<P, EpochDue>) {
          SubnetRuntime& sn = subnets.at(p.netuid);
          if (p.generation != sn.epoch_generation) return;
          if (epochs_block_ != b) epochs_block_ = b, epochs_run_in_block_ = 0;
          if (epochs_run_in_block_ >= scenario.chain.max_epochs_per_block) {
            // Deferred in the block of a tempo change: on chain the change came after this
            // epoch was put off, and restarted the cycle.
            if (sn.cycle_reset_at == b) {
              restart_cycle(sn, b);
              return;
            }
            // MaxEpochsPerBlock: the rest wait one block (spec §2).
            queue.schedule(b + 1, engine::Phase::kEpoch, EpochDue{p.netuid, p.generation},
                           epoch_rank(p.netuid));
            sn.next_epoch_block = b + 1;
            return;
          }
          ++epochs_run_in_block_;
          sn.cycle_reset_at = 0;
          run_epoch(sn, b);
          schedule_next_epoch(sn, b);
        } else if constexpr (std::is_same_v<P, PriceUpdate>) {
          update_price(b);
          const auto every = scenario.market.update_every_blocks;
          if (b + every <= horizon) queue.schedule(b + every, engine::Phase::kScript, PriceUpdate{});
        } else if constexpr (std::is_same_v<P, SampleDue>) {
          record_sample(b);
          if (b < horizon) queue.schedule(std::min(b + sample_every, horizon), engine::Phase::kRecord, SampleDue{});
        }
      },
      payload);
}

Simulation::Simulation(config::Scenario scenario, RunOptions options, metrics::Observer& observer)
    : impl_(std::make_unique<Impl>(std::move(scenario), options, observer)) {}
Simulation::~Simulation() = default;
RunResult Simulation::run() { return impl_->run(); }

}  // namespace subnetsim::sim
