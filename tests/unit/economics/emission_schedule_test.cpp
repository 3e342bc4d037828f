// Block emission schedules: exact rates for each schedule, and the closed-form segment accrual
// against a block-by-block loop on random configurations and intervals (halvings included).
#include "subnetsim/economics/emission_schedule.hpp"

#include <boost/random/uniform_int_distribution.hpp>
#include <catch2/catch.hpp>

#include "subnetsim/core/rng.hpp"
#include "subnetsim/economics/emission_split.hpp"

using subnetsim::config::EmissionConfig;
using subnetsim::config::EmissionSchedule;
using subnetsim::core::Rao;
using subnetsim::economics::BlockEmission;
using subnetsim::economics::emission_segments;
using subnetsim::economics::EmissionSegment;
using subnetsim::economics::kNever;

namespace {
constexpr std::uint64_t kTao = 1'000'000'000ULL;
const Rao kSupply(21'000'000 * kTao);

EmissionConfig schedule(EmissionSchedule s) {
  EmissionConfig c;
  c.schedule = s;
  return c;
}
}  // namespace

TEST_CASE("halving: 1 TAO below 10.5M, halving at 10.5M, 15.75M, 18.375M, 19.6875M",
          "[economics]") {
  const BlockEmission e(schedule(EmissionSchedule::kHalving), kSupply);
  CHECK(e.rate_at(0, Rao(0)).raw() == 1'000'000'000);
  CHECK(e.rate_at(5, Rao(10'500'000 * kTao - 1)).raw() == 1'000'000'000);
  CHECK(e.rate_at(5, Rao(10'500'000 * kTao)).raw() == 500'000'000);
  CHECK(e.rate_at(5, Rao(15'750'000 * kTao - 1)).raw() == 500'000'000);
  CHECK(e.rate_at(5, Rao(15'750'000 * kTao)).raw() == 250'000'000);
  CHECK(e.rate_at(5, Rao(18'375'000 * kTao)).raw() == 125'000'000);
  CHECK(e.rate_at(5, Rao(19'687'500 * kTao - 1)).raw() == 125'000'000);
  CHECK(e.rate_at(5, Rao(19'687'500 * kTao)).raw() == 62'500'000);
  CHECK(e.rate_at(5, Rao(21'000'000 * kTao - 1)).raw() == 0);  // k = 54: 1e9 >> 54 == 0
  CHECK(e.rate_at(5, kSupply).raw() == 0);
  CHECK(e.rate_at(5, Rao(kSupply.raw() + 7)).raw() == 0);

  CHECK(e.halvings(Rao(0)) == 0);
  CHECK(e.halvings(Rao(10'500'000 * kTao)) == 1);
  CHECK(e.halvings(kSupply) == 64);
  CHECK(e.next_issuance_change(Rao(0)) == 10'500'000 * kTao);
  CHECK(e.next_issuance_change(Rao(10'500'000 * kTao)) == 15'750'000 * kTao);
  CHECK(e.next_issuance_change(Rao(kSupply.raw() - 1)) == kSupply.raw());
  CHECK(e.next_issuance_change(kSupply) == kNever);
  CHECK(e.next_block_change(0) == kNever);
}

TEST_CASE("halving scales with tao_per_block and floors the halved rate", "[economics]") {
  auto c = schedule(EmissionSchedule::kHalving);
  c.tao_per_block = 0.000000003;  // 3 rao
  const BlockEmission e(c, kSupply);
  CHECK(e.rate_at(0, Rao(0)).raw() == 3);
  CHECK(e.rate_at(0, Rao(10'500'000 * kTao)).raw() == 1);
  CHECK(e.rate_at(0, Rao(15'750'000 * kTao)).raw() == 0);
  c.tao_per_block = 2.5;
  const BlockEmission e2(c, Rao(1000 * kTao));
  CHECK(e2.rate_at(0, Rao(499 * kTao)).raw() == 2'500'000'000);
  CHECK(e2.rate_at(0, Rao(500 * kTao)).raw() == 1'250'000'000);
  CHECK(e2.rate_at(0, Rao(750 * kTao)).raw() == 625'000'000);
}

TEST_CASE("yearly decay steps once a year", "[economics]") {
  auto c = schedule(EmissionSchedule::kYearlyDecay);
  c.yearly_decay = 0.10;
  c.blocks_per_year = 1000;
  const BlockEmission e(c, kSupply);
  CHECK(e.rate_at(0, Rao(0)).raw() == 1'000'000'000);
  CHECK(e.rate_at(999, Rao(0)).raw() == 1'000'000'000);
  CHECK(e.rate_at(1000, Rao(0)).raw() == 900'000'000);
  CHECK(e.rate_at(2500, Rao(0)).raw() == 810'000'000);
  CHECK(e.rate_at(3000, Rao(0)).raw() == 729'000'000);
  CHECK(e.rate_at(3000, kSupply).raw() == 0);  // capped at the supply like every schedule
  CHECK(e.next_block_change(0) == 1000);
  CHECK(e.next_block_change(999) == 1000);
  CHECK(e.next_block_change(1000) == 2000);
  c.yearly_decay = 0.0;
  CHECK(BlockEmission(c, kSupply).next_block_change(5) == kNever);
  c.yearly_decay = 1.0;
  CHECK(BlockEmission(c, kSupply).rate_at(1000, Rao(0)).raw() == 0);
}

TEST_CASE("yearly decay from an anchor: a change keeps the factor of its year", "[economics]") {
  auto c = schedule(EmissionSchedule::kYearlyDecay);
  c.yearly_decay = 0.10;
  c.blocks_per_year = 1000;
  // Decay 10% for two years, then 50% from year 2 on (the anchor: year 2 at factor 0.81).
  const BlockEmission before(c, kSupply);
  CHECK(before.decay_factor_at(2500) == 0.9 * 0.9);
  c.yearly_decay = 0.5;
  const BlockEmission after(c, kSupply, {2, before.decay_factor_at(2500)});
  CHECK(after.rate_at(2500, Rao(0)).raw() == 810'000'000);  // year 2 keeps its rate
  CHECK(after.rate_at(3000, Rao(0)).raw() == 405'000'000);
  CHECK(after.rate_at(4000, Rao(0)).raw() == 202'500'000);
  // No decay after the change: the anchor's rate stays.
  c.yearly_decay = 0.0;
  const BlockEmission flat_after(c, kSupply, {2, 0.81});
  CHECK(flat_after.rate_at(9000, Rao(0)).raw() == 810'000'000);
  CHECK(flat_after.next_block_change(2500) == kNever);
}

TEST_CASE("flat and table schedules", "[economics]") {
  auto c = schedule(EmissionSchedule::kFlat);
  c.tao_per_block = 0.25;
  CHECK(BlockEmission(c, kSupply).rate_at(123456789, Rao(0)).raw() == 250'000'000);
  CHECK(BlockEmission(c, kSupply).next_block_change(3) == kNever);

  c.schedule = EmissionSchedule::kTable;
  c.table = {{100, 2.0}, {200, 0.5}, {500, 0.0}};
  const BlockEmission e(c, kSupply);
  CHECK(e.rate_at(0, Rao(0)).raw() == 0);  // before the first step
  CHECK(e.rate_at(99, Rao(0)).raw() == 0);
  CHECK(e.rate_at(100, Rao(0)).raw() == 2'000'000'000);
  CHECK(e.rate_at(199, Rao(0)).raw() == 2'000'000'000);
  CHECK(e.rate_at(200, Rao(0)).raw() == 500'000'000);
  CHECK(e.rate_at(500, Rao(0)).raw() == 0);
  CHECK(e.next_block_change(0) == 100);
  CHECK(e.next_block_change(100) == 200);
  CHECK(e.next_block_change(499) == 500);
  CHECK(e.next_block_change(500) == kNever);
}

TEST_CASE("no schedule emits past the supply: the last block emits what remains", "[economics]") {
  auto c = schedule(EmissionSchedule::kFlat);
  c.tao_per_block = 2.0;
  const BlockEmission e(c, Rao(15'300'000'000));
  CHECK(e.rate_at(0, Rao(12 * kTao)).raw() == 2 * kTao);
  CHECK(e.rate_at(0, Rao(14 * kTao)).raw() == 1'300'000'000);
  CHECK(e.rate_at(0, Rao(15'300'000'000)).raw() == 0);
  // In closed form: 7 whole blocks from 0, then 1.3 TAO, then nothing.
  const auto segs = emission_segments(e, 0, 20, Rao(0), [](Rao r) { return r; });
  REQUIRE(segs.size() == 3);
  CHECK(segs[0].block_count == 7);
  CHECK(segs[0].rate.raw() == 2 * kTao);
  CHECK(segs[1].block_count == 1);
  CHECK(segs[1].rate.raw() == 1'300'000'000);
  CHECK(segs[2].rate.raw() == 0);
  CHECK(subnetsim::economics::for_each_emission_segment(
            e, 0, 20, Rao(0), [](Rao r) { return r; }, [](const auto&) {})
            .raw() == 15'300'000'000);
}

namespace {

// What the simulation's loop would do, one block at a time.
template <class Minted>
Rao brute_force(const BlockEmission& e, std::uint64_t begin, std::uint64_t end, Rao issuance,
                Minted minted, std::vector<Rao>* rates) {
  for (std::uint64_t b = begin; b < end; ++b) {
    const Rao r = e.rate_at(b, issuance);
    if (rates) rates->push_back(r);
    issuance = Rao(issuance.raw() + minted(r).raw());
  }
  return issuance;
}

std::uint64_t draw(subnetsim::core::Rng& rng, std::uint64_t lo, std::uint64_t hi) {
  return boost::random::uniform_int_distribution<std::uint64_t>(lo, hi)(rng);
}

}  // namespace

TEST_CASE("closed-form segments equal a block-by-block loop (random configs, halvings crossed)",
          "[economics]") {
  auto rng = subnetsim::core::make_rng(7, "test", 0, "emission-segments");
  int crossings = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    EmissionConfig c;
    c.schedule = static_cast<EmissionSchedule>(draw(rng, 0, 3));
    c.tao_per_block = static_cast<double>(draw(rng, 1, 3000)) / 1000.0;
    c.yearly_decay = static_cast<double>(draw(rng, 0, 50)) / 100.0;
    c.blocks_per_year = draw(rng, 1, 5000);
    std::uint64_t from = draw(rng, 0, 3000);
    for (std::uint64_t i = 0, n = draw(rng, 1, 6); i < n; ++i) {
      c.table.push_back({from, static_cast<double>(draw(rng, 0, 2000)) / 1000.0});
      from += draw(rng, 1, 4000);
    }
    // Supply sometimes the chain's, sometimes tiny so that the cap and many halvings are hit.
    const Rao supply = draw(rng, 0, 1) ? kSupply : Rao(draw(rng, 1, 20'000) * kTao);
    const BlockEmission e(c, supply);
    // Start near a halving threshold (or the supply) about half the time.
    Rao issuance(draw(rng, 0, supply.raw()));
    if (draw(rng, 0, 1)) {
      const unsigned k = static_cast<unsigned>(draw(rng, 1, 6));
      const std::uint64_t threshold = supply.raw() - (supply.raw() >> k);
      issuance = Rao(threshold - std::min(threshold, draw(rng, 0, 5000) * kTao / 3));
    }
    const std::uint64_t begin = draw(rng, 0, 20'000);
    const std::uint64_t end = begin + draw(rng, 0, 12'000);
    // Minted per block: the whole rate, an equal split among n subnets (floors), or a
    // weighted split, as the simulation would mint it.
    subnetsim::economics::SubnetShares shares;
    const std::uint64_t mode = draw(rng, 0, 2);
    if (mode == 1) shares.set_equal(draw(rng, 1, 7));
    if (mode == 2) {
      std::vector<Rao> stake;
      for (std::uint64_t i = 0, n = draw(rng, 1, 9); i < n; ++i)
        stake.push_back(Rao(draw(rng, 0, 1'000'000)));
      shares.set_stake(stake);
    }
    auto minted = [&](Rao rate) { return mode == 0 ? rate : shares.assigned_total(rate); };

    std::vector<Rao> expected_rates;
    const Rao expected = brute_force(e, begin, end, issuance, minted, &expected_rates);
    const auto segments = emission_segments(e, begin, end, issuance, minted);
    const Rao got = subnetsim::economics::for_each_emission_segment(e, begin, end, issuance, minted,
                                                                    [](const auto&) {});
    INFO("trial " << trial << " schedule " << static_cast<int>(c.schedule) << " [" << begin << ", "
                  << end << ") issuance " << issuance.raw());
    REQUIRE(got == expected);
    if (issuance <= supply) REQUIRE(got <= supply);  // never past the supply
    std::vector<Rao> rates;
    std::uint64_t next = begin;
    for (const EmissionSegment& s : segments) {
      REQUIRE(s.first_block == next);
      REQUIRE(s.block_count > 0);
      REQUIRE(s.minted_per_block == minted(s.rate));
      rates.insert(rates.end(), s.block_count, s.rate);
      next += s.block_count;
    }
    REQUIRE(next == end);
    REQUIRE(rates == expected_rates);
    if (c.schedule == EmissionSchedule::kHalving && !expected_rates.empty() &&
        expected_rates.front() != expected_rates.back())
      ++crossings;
  }
  CHECK(crossings > 100);  // the random cases really cross halvings
}

TEST_CASE("the first halving of the chain's schedule, from genesis, in two segments",
          "[economics]") {
  const BlockEmission e(schedule(EmissionSchedule::kHalving), kSupply);
  // 1 TAO a block for 10.5M blocks, then 0.5 TAO.
  const auto segs = emission_segments(e, 0, 12'000'000, Rao(0), [](Rao r) { return r; });
  REQUIRE(segs.size() == 2);
  CHECK(segs[0].first_block == 0);
  CHECK(segs[0].block_count == 10'500'000);
  CHECK(segs[0].rate.raw() == kTao);
  CHECK(segs[1].first_block == 10'500'000);
  CHECK(segs[1].rate.raw() == kTao / 2);
  // When each block mints a rao less (floors of a split), the threshold is reached one block
  // later: after ceil(10.5e15 / (1e9 - 1)) blocks.
  const auto short_segs = emission_segments(e, 0, 12'000'000, Rao(0),
                                            [](Rao r) { return Rao(r.raw() - (r.raw() > 0)); });
  CHECK(short_segs[0].block_count == 10'500'001);
}

TEST_CASE("accrual cost does not grow with the interval: the whole supply in few segments",
          "[economics]") {
  const BlockEmission e(schedule(EmissionSchedule::kHalving), kSupply);
  const auto segs = emission_segments(e, 0, 1'000'000'000'000ULL, Rao(0), [](Rao r) { return r; });
  CHECK(segs.size() < 70);
  CHECK(segs.back().rate.raw() == 0);  // rate 0 once 1e9 >> k is 0
  Rao issued(0);
  for (const auto& s : segs) issued = Rao(issued.raw() + s.block_count * s.minted_per_block.raw());
  CHECK(issued <= kSupply);
  CHECK(issued.raw() > kSupply.raw() - 100 * kTao);

  auto flat = schedule(EmissionSchedule::kFlat);
  const BlockEmission f(flat, Rao(1000 * kTao));
  const auto fsegs = emission_segments(f, 0, 5000, Rao(0), [](Rao r) { return r; });
  REQUIRE(fsegs.size() == 2);  // 1000 blocks of 1 TAO, then the supply is reached
  CHECK(fsegs[0].block_count == 1000);
  CHECK(fsegs[1].rate.raw() == 0);
}
