// Splitting a block's emission across subnets (equal, weights, stake) and within a subnet
// (owner / miners / validators / treasury / community), in exact rao.
#include "subnetsim/economics/emission_split.hpp"

#include <boost/random/uniform_int_distribution.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "subnetsim/core/rng.hpp"

using subnetsim::config::EmissionConfig;
using subnetsim::config::EmissionSplit;
using subnetsim::config::SubnetSplit;
using subnetsim::core::Rao;
using subnetsim::economics::SubnetShares;
using subnetsim::economics::WithinSubnetSplit;

namespace {
std::vector<std::uint64_t> raw(const std::vector<Rao>& v) {
  std::vector<std::uint64_t> r;
  for (Rao x : v) r.push_back(x.raw());
  return r;
}
}  // namespace

TEST_CASE("equal split floors each subnet's share, the remainder is not minted", "[economics]") {
  SubnetShares s;
  s.set_equal(3);
  std::vector<Rao> out(3);
  CHECK(s.split(Rao(1'000'000'000), out).raw() == 999'999'999);
  CHECK(raw(out) == std::vector<std::uint64_t>{333'333'333, 333'333'333, 333'333'333});
  CHECK(s.assigned_total(Rao(1'000'000'000)).raw() == 999'999'999);
  CHECK(s.assigned_total(Rao(2)).raw() == 0);
}

TEST_CASE("weights split: netuids without a weight get nothing", "[economics]") {
  SubnetShares s;
  const std::vector<std::uint16_t> netuids{1, 2, 3};
  s.set_weights({{1, 1.0}, {2, 3.0}, {9, 100.0}}, netuids);
  std::vector<Rao> out(3);
  CHECK(s.split(Rao(1'000'000'000), out).raw() == 1'000'000'000);
  CHECK(raw(out) == std::vector<std::uint64_t>{250'000'000, 750'000'000, 0});

  s.set_weights({{1, 0.1}, {2, 0.2}, {3, 0.7}}, netuids);
  s.split(Rao(1'000'000'000), out);
  // 0.1 : 0.2 : 0.7 as doubles, so not quite 1:2:7, but the floors land on the expected rao.
  CHECK(raw(out) == std::vector<std::uint64_t>{100'000'000, 200'000'000, 699'999'999});

  s.set_weights({}, netuids);
  CHECK(s.split(Rao(1'000'000'000), out).raw() == 0);
}

TEST_CASE("stake split is proportional to total stake, no stake at all means equal",
          "[economics]") {
  SubnetShares s;
  std::vector<Rao> out(2);
  s.set_stake(std::vector<Rao>{Rao(100), Rao(300)});
  s.split(Rao(1'000'000'000), out);
  CHECK(raw(out) == std::vector<std::uint64_t>{250'000'000, 750'000'000});
  s.set_stake(std::vector<Rao>{Rao(0), Rao(0)});
  s.split(Rao(1'000'000'000), out);
  CHECK(raw(out) == std::vector<std::uint64_t>{500'000'000, 500'000'000});
  // Stakes whose sum does not fit 64 bits.
  s.set_stake(std::vector<Rao>{Rao(~0ULL), Rao(~0ULL)});
  s.split(Rao(7), out);
  CHECK(raw(out) == std::vector<std::uint64_t>{3, 3});

  EmissionConfig c;
  c.subnet_split = SubnetSplit::kStake;
  const std::vector<std::uint16_t> netuids{4, 5};
  s.set(c, netuids, std::vector<Rao>{Rao(1), Rao(3)});
  CHECK(s.weights()[1] == 3);
}

TEST_CASE("within-subnet presets in exact rao", "[economics]") {
  // The chain's "18% owner, 41/41" (spec §5.3): the owner cut is the U96F32 product
  // floor(e * q / 2^32) with q = floor(11796 * 2^32 / 65535) = 773,062,836, the rest in halves.
  EmissionSplit bittensor;
  auto e = WithinSubnetSplit(bittensor).split(Rao(1'000'000'000));
  CHECK(e.owner.raw() == 179'995'422);
  CHECK(e.miners.raw() == 410'002'289);
  CHECK(e.validators.raw() == 410'002'289);
  // 100 TAO: the exact 11796/65535 would give 17,999,542,229 and parts per billion of it
  // 17,999,542,200; the chain's fixed point gives 225.
  e = WithinSubnetSplit(bittensor).split(Rao(100'000'000'000ULL));
  CHECK(e.owner.raw() == 17'999'542'225ULL);
  CHECK(e.validators.raw() == 41'000'228'887ULL);  // floor(82,000,457,775 / 2)
  CHECK(e.miners.raw() == 41'000'228'888ULL);      // the other half and the odd rao
  CHECK(e.treasury.raw() == 0);
  CHECK(e.community.raw() == 0);

  EmissionSplit guide{"guide", 0.0, 0.41, 0.33, 0.20, 0.06};
  e = WithinSubnetSplit(guide).split(Rao(1'000'000'000));
  CHECK(e.miners.raw() == 410'000'000);
  CHECK(e.validators.raw() == 330'000'000);
  CHECK(e.treasury.raw() == 200'000'000);
  CHECK(e.community.raw() == 60'000'000);

  // Small amounts: the owner's floor, then the rest in halves, the odd rao to miners.
  e = WithinSubnetSplit(bittensor).split(Rao(7));
  CHECK(e.owner.raw() == 1);       // floor(1.26)
  CHECK(e.validators.raw() == 3);  // floor(6 / 2)
  CHECK(e.miners.raw() == 3);
}

TEST_CASE("within-subnet split always assigns the whole amount", "[economics]") {
  auto rng = subnetsim::core::make_rng(3, "test", 0, "within-split");
  boost::random::uniform_int_distribution<std::uint64_t> amount(0, 50'000'000'000ULL);
  boost::random::uniform_int_distribution<int> percent(0, 100);
  for (int i = 0; i < 2000; ++i) {
    EmissionSplit f{"custom", 0, 0, 0, 0, 0};
    int left = 100;
    for (double* field : {&f.owner, &f.validators, &f.treasury, &f.community}) {
      const int p = std::min(left, percent(rng));
      *field = p / 100.0;
      left -= p;
    }
    f.miners = left / 100.0;
    const Rao a(amount(rng));
    const auto e = WithinSubnetSplit(f).split(a);
    REQUIRE(e.total() == a);
    REQUIRE(e.owner.raw() <=
            a.raw() / 100 * static_cast<std::uint64_t>(std::llround(f.owner * 100)) + 100);
  }
  // Fractions whose parts per billion round to more than 1e9 still never over-assign.
  EmissionSplit over{"custom", 0.3333333336, 0.0, 0.3333333336, 0.3333333336, 0.0};
  const auto e = WithinSubnetSplit(over).split(Rao(1'000'000'000'000ULL));
  CHECK(e.total().raw() == 1'000'000'000'000ULL);
}

TEST_CASE("a run of n blocks is n per-block splits, not one split of n times the amount",
          "[economics]") {
  SubnetShares s;
  s.set_equal(3);
  std::vector<Rao> out(3);
  CHECK(s.split_blocks(Rao(1'000'000'000), 1000, out).raw() == 999'999'999'000ULL);
  CHECK(out[0].raw() == 333'333'333'000ULL);
  CHECK_THROWS_AS(s.split_blocks(Rao(~0ULL), 4, out), std::overflow_error);

  const auto per_block = WithinSubnetSplit(EmissionSplit{}).split(Rao(7));
  const auto run = per_block.times(10);
  CHECK(run.owner.raw() == 10);
  CHECK(run.validators.raw() == 30);
  CHECK(run.miners.raw() == 30);
  // Splitting 70 rao at once would give the owner floor(12.6) = 12 instead.
  CHECK(WithinSubnetSplit(EmissionSplit{}).split(Rao(70)).owner.raw() == 12);
}
