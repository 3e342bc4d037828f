// Emit phase: block emission accrued in closed form over every block since the last visit.
// Between two visited blocks nothing changes but issuance, so the per-block amounts are constant
// except where the rate itself changes (a year boundary, a table step, a halving threshold);
// economics::for_each_emission_segment walks those constant runs, and each run mints
// count x the per-block amounts at once: exactly what a block-by-block loop would mint.
#include "state.hpp"
#include "subnetsim/economics/emission_schedule.hpp"
#include "subnetsim/economics/emission_split.hpp"

namespace subnetsim::sim {

void Simulation::Impl::accrue_through(std::uint64_t to) {
  if (emitted_through >= to) return;
  const config::EmissionConfig& e = scenario.emission;
  // Parameters may change during the run (set_param, proposals): read them at each accrual.
  const economics::BlockEmission emission = block_emission();
  // Scratch kept between visits (a visit per epoch of any subnet): no allocation each time.
  std::vector<std::uint16_t>& netuids = accrue_netuids_;
  std::vector<Rao>& stake = accrue_stake_;
  std::vector<const economics::WithinSubnetSplit*>& splits = accrue_splits_;
  std::vector<SubnetRuntime*>& runtimes = accrue_runtimes_;
  // The subnets in netuid order, listed again only when one was added (none is ever removed,
  // and map nodes do not move): walking the map's nodes at every visit cost more.
  if (runtimes.size() != subnets.size()) {
    netuids.clear();
    runtimes.clear();
    for (auto& [netuid, sn] : subnets) {
      netuids.push_back(netuid);
      runtimes.push_back(&sn);
    }
  }
  stake.clear();
  splits.clear();
  for (SubnetRuntime* runtime_of : runtimes) {
    SubnetRuntime& sn = *runtime_of;
    Rao total(0);
    if (e.subnet_split == config::SubnetSplit::kStake)
      for (HotkeyId h : sn.hotkey_of_uid)
        if (h != kNoHotkey) total += ledger.stake(h);
    stake.push_back(total);
    const config::EmissionSplit& fractions = params(sn).emission_split;
    if (!sn.split || sn.split_from != fractions) {
      sn.split.emplace(fractions);
      sn.split_from = fractions;
    }
    splits.push_back(&*sn.split);
  }
  economics::SubnetShares& shares = accrue_shares_;
  shares.set(e, netuids, stake);
  std::vector<Rao>& per_subnet = accrue_per_subnet_;
  per_subnet.assign(netuids.size(), Rao(0));
  economics::for_each_emission_segment(
      emission, emitted_through + 1, to + 1, ledger.issuance(),
      [&](Rao rate) { return shares.assigned_total(rate); },
      [&](const economics::EmissionSegment& seg) {
        shares.split(seg.rate, per_subnet);
        const std::uint64_t count = seg.block_count;
        auto times = [count](Rao r) { return Rao(r.raw() * count); };
        for (std::size_t i = 0; i < netuids.size(); ++i) {
          SubnetRuntime& sn = *runtimes[i];
          const economics::SubnetEmission part = splits[i]->split(per_subnet[i]);
          emitted.owner_rao += times(part.owner).raw();
          emitted.treasury_rao += times(part.treasury).raw();
          emitted.community_rao += times(part.community).raw();
          emitted.miners_rao += times(part.miners).raw();
          emitted.validators_rao += times(part.validators).raw();
          if (part.owner.raw()) ledger.mint_to_balance(sn.owner_coldkey, times(part.owner));
          if (part.treasury.raw()) ledger.mint_to_balance(treasury, times(part.treasury));
          if (part.community.raw()) ledger.mint_to_balance(community, times(part.community));
          if (part.miners.raw()) ledger.mint_to_pool(sn.miners_pool, times(part.miners));
          if (part.validators.raw()) ledger.mint_to_pool(sn.validators_pool, times(part.validators));
        }
      });
  emitted_through = to;
}

}  // namespace subnetsim::sim
