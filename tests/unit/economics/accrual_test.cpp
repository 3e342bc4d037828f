// The pieces together, as the simulation's Emit phase uses them: constant-rate segments over the
// idle blocks, each block's amount split across subnets and within each subnet, and every rao
// accounted for: what the parts receive is exactly what issuance grew by, and the same as a
// block-by-block loop.
#include <catch2/catch.hpp>
#include <vector>

#include "subnetsim/economics/emission_schedule.hpp"
#include "subnetsim/economics/emission_split.hpp"

using subnetsim::config::EmissionConfig;
using subnetsim::config::EmissionSplit;
using subnetsim::core::Rao;
using namespace subnetsim::economics;

TEST_CASE("segment accrual with splits conserves value and matches the per-block loop",
          "[economics]") {
  constexpr std::uint64_t kTao = 1'000'000'000ULL;
  EmissionConfig config;  // halving, 1 TAO a block
  config.subnet_split = subnetsim::config::SubnetSplit::kWeights;
  config.subnet_weights = {{1, 1.0}, {2, 2.0}, {3, 4.0}};
  const std::vector<std::uint16_t> netuids{1, 2, 3};
  const BlockEmission emission(config, Rao(21'000'000 * kTao));
  SubnetShares shares;
  shares.set(config, netuids, {});
  const std::vector<WithinSubnetSplit> within{
      WithinSubnetSplit(EmissionSplit{}),
      WithinSubnetSplit(EmissionSplit{"guide", 0.0, 0.41, 0.33, 0.20, 0.06}),
      WithinSubnetSplit(EmissionSplit{"gensyn", 0.0, 0.60, 0.25, 0.15, 0.0})};

  // 3,000 blocks that cross the first halving (10.5M TAO) part-way.
  const Rao start(10'500'000 * kTao - 1'234 * kTao);
  const std::uint64_t begin = 5'000'000, end = begin + 3'000;

  std::vector<SubnetEmission> closed(3), looped(3);
  std::vector<Rao> per_subnet(3);
  auto minted = [&](Rao rate) { return shares.assigned_total(rate); };
  const Rao after =
      for_each_emission_segment(emission, begin, end, start, minted, [&](const EmissionSegment& s) {
        shares.split(s.rate, per_subnet);
        for (std::size_t i = 0; i < 3; ++i) {
          const SubnetEmission run = within[i].split(per_subnet[i]).times(s.block_count);
          closed[i] = {closed[i].owner + run.owner, closed[i].miners + run.miners,
                       closed[i].validators + run.validators, closed[i].treasury + run.treasury,
                       closed[i].community + run.community};
        }
      });

  Rao issuance = start;
  for (std::uint64_t b = begin; b < end; ++b) {
    const Rao rate = emission.rate_at(b, issuance);
    issuance += shares.split(rate, per_subnet);
    for (std::size_t i = 0; i < 3; ++i) {
      const SubnetEmission e = within[i].split(per_subnet[i]);
      looped[i] = {looped[i].owner + e.owner, looped[i].miners + e.miners,
                   looped[i].validators + e.validators, looped[i].treasury + e.treasury,
                   looped[i].community + e.community};
    }
  }

  CHECK(after == issuance);
  Rao distributed(0);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(closed[i].owner == looped[i].owner);
    CHECK(closed[i].miners == looped[i].miners);
    CHECK(closed[i].validators == looped[i].validators);
    CHECK(closed[i].treasury == looped[i].treasury);
    CHECK(closed[i].community == looped[i].community);
    distributed += closed[i].total();
  }
  CHECK(distributed == after - start);
  // Each block mints a few rao under its rate (the split's floors), so 1,235 blocks at 1 TAO
  // reach 10.5M, then 1,765 at 0.5 TAO.
  CHECK(distributed.raw() > 1'235 * kTao + 1'765 * kTao / 2 - 3'000 * 3);
  CHECK(distributed.raw() <= 1'235 * kTao + 1'765 * kTao / 2);
}
