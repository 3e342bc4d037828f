// Emit phase: block emission accrued in closed form over every block since the last visit.
// Between two visited blocks nothing changes but issuance, so the per-block amounts are constant
// except where the rate itself changes (a year boundary, a table step, a halving threshold);
// accrual walks those constant segments, minting count x per-block amounts at once, which is
// exactly what a block-by-block loop would mint.
#include <algorithm>
#include <cmath>

#include "state.hpp"

namespace subnetsim::sim {

using namespace config;

namespace {

constexpr std::uint64_t kPpb = 1'000'000'000ULL;

std::uint64_t ppb(double fraction) {
  return static_cast<std::uint64_t>(std::llround(std::clamp(fraction, 0.0, 1.0) * 1e9));
}

}  // namespace

void Simulation::Impl::accrue_through(std::uint64_t to) {
  const EmissionConfig& e = scenario.emission;
  const Rao supply = Rao::from_tao(scenario.chain.total_supply_tao);
  const Rao base = Rao::from_tao(e.tao_per_block);
  while (emitted_through < to) {
    const std::uint64_t from = emitted_through + 1;
    std::uint64_t last = to;
    Rao rate(0);
    std::optional<Rao> next_threshold;
    switch (e.schedule) {
      case EmissionSchedule::kFlat: rate = base; break;
      case EmissionSchedule::kYearlyDecay: {
        const std::uint64_t year = from / e.blocks_per_year;
        rate = Rao(static_cast<std::uint64_t>(std::floor(static_cast<double>(base.raw()) * std::pow(1.0 - e.yearly_decay, static_cast<double>(year)))));
        last = std::min(last, (year + 1) * e.blocks_per_year - 1);
        break;
      }
      case EmissionSchedule::kTable: {
        std::size_t i = 0;
        while (i + 1 < e.table.size() && e.table[i + 1].from_block <= from) ++i;
        rate = e.table[i].from_block <= from ? Rao::from_tao(e.table[i].tao_per_block) : Rao(0);
        if (i + 1 < e.table.size()) last = std::min(last, e.table[i + 1].from_block - 1);
        else if (e.table[i].from_block > from) last = std::min(last, e.table[i].from_block - 1);
        break;
      }
      case EmissionSchedule::kHalving: {
        // Thresholds supply * (1 - 2^-k): 10.5M, 15.75M, ... of 21M; the rate halves past each.
        const Rao issued = ledger.issuance();
        if (issued >= supply) break;
        unsigned k = 0;
        while (k < 63 && issued.raw() >= supply.raw() - (supply.raw() >> (k + 1))) ++k;
        rate = Rao(base.raw() >> k);
        next_threshold = Rao(supply.raw() - (supply.raw() >> (k + 1)));
        break;
      }
    }
    // Split across subnets (constant over the segment: stake only changes at visited blocks).
    std::vector<std::pair<SubnetRuntime*, std::uint64_t>> weights;
    core::U128 total_weight = 0;
    for (auto& [netuid, sn] : subnets) {
      std::uint64_t w = 1;
      if (e.subnet_split == SubnetSplit::kWeights) {
        auto it = e.subnet_weights.find(netuid);
        w = it == e.subnet_weights.end() ? 0 : static_cast<std::uint64_t>(std::llround(it->second * 1e6));
      } else if (e.subnet_split == SubnetSplit::kStake) {
        w = 0;
        for (HotkeyId h : sn.hotkey_of_uid)
          if (h != kNoHotkey) w += ledger.stake(h).raw();
      }
      weights.emplace_back(&sn, w);
      total_weight += w;
    }
    struct Parts {
      SubnetRuntime* sn;
      Rao owner, miners, validators, treasury, community;
    };
    std::vector<Parts> parts;
    Rao minted_per_block(0);
    for (auto [sn, w] : weights) {
      const Rao a = total_weight == 0 ? Rao(0)
                                      : Rao(static_cast<std::uint64_t>(static_cast<core::U128>(rate.raw()) * w / total_weight));
      const EmissionSplit& s = params(*sn).emission_split;
      Parts p{sn, core::mul_div_floor(a, ppb(s.owner), kPpb), Rao(0),
              core::mul_div_floor(a, ppb(s.validators), kPpb),
              core::mul_div_floor(a, ppb(s.treasury), kPpb),
              core::mul_div_floor(a, ppb(s.community), kPpb)};
      p.miners = a - p.owner - p.validators - p.treasury - p.community;
      minted_per_block += a;
      parts.push_back(p);
    }
    if (next_threshold && minted_per_block.raw() > 0) {
      // Blocks until issuance reaches the threshold; the rate changes on the block after.
      const std::uint64_t gap = next_threshold->raw() - ledger.issuance().raw();
      const std::uint64_t blocks = (gap + minted_per_block.raw() - 1) / minted_per_block.raw();
      last = std::min(last, from + blocks - 1);
    }
    const std::uint64_t count = last - from + 1;
    for (const Parts& p : parts) {
      auto times = [count](Rao r) { return Rao(r.raw() * count); };
      if (p.owner.raw()) ledger.mint_to_balance(p.sn->owner_coldkey, times(p.owner));
      if (p.treasury.raw()) ledger.mint_to_balance(treasury, times(p.treasury));
      if (p.community.raw()) ledger.mint_to_balance(community, times(p.community));
      if (p.miners.raw()) ledger.mint_to_pool(p.sn->miners_pool, times(p.miners));
      if (p.validators.raw()) ledger.mint_to_pool(p.sn->validators_pool, times(p.validators));
    }
    emitted_through = last;
  }
}

}  // namespace subnetsim::sim
