// BlockEmission: the TAO minted per block, as a function of the block number and the total
// issuance before that block is minted, for the four schedules of `config::EmissionConfig`:
//
//   halving       floor(base / 2^k), k = floor(log2(S / (S - I)))   (spec §5.1)
//                 i.e. the rate halves when issuance I reaches S/2, 3S/4, 7S/8, ... of supply S
//   yearly_decay  round(base * (1 - d)^floor(block / blocks_per_year))   (steps once a year)
//   flat          base
//   table         the rate of the last step whose from_block <= block; 0 before the first step
//
// `base` is `tao_per_block` in rao. Every schedule stops at the supply: once I >= S the rate
// is 0 (for halving that is the chain's rule; for the others it keeps `total_supply_tao`
// meaningful). A block that starts below S may still mint past it, as on the chain.
//
// Halving thresholds are exact integers: k is the largest k with (S - I) * 2^k <= S, so the
// k-th halving happens at the first block whose issuance reaches S - floor(S / 2^k). The chain
// evaluates the same formula in I96F32 with a fixed-point log2, whose rounding can only matter
// within a sliver below a threshold (I/S carries 32 fraction bits: ~0.005 TAO at S = 21M).
// Where issuance meets a threshold exactly, as 1 TAO blocks from a whole-TAO start meet 10.5M,
// 15.75M, 18.375M, ... (S / 2^k is a whole TAO for k <= 15), both switch at the same block;
// otherwise a halving may come one block apart from the chain's.
//
// Invariants: issuance never passes the supply (the last block is cut to what remains). The
// rate is piecewise constant. It can change only at a block returned by `next_block_change`,
// when issuance reaches `next_issuance_change`, or at the block cut by the supply, which is what
// lets the simulation accrue many idle blocks at once (`for_each_emission_segment`) with
// results identical to a block-by-block loop.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "subnetsim/config/chain.hpp"
#include "subnetsim/core/rao.hpp"

namespace subnetsim::economics {

inline constexpr std::uint64_t kNever = std::numeric_limits<std::uint64_t>::max();

// Where a yearly decay changed during the run: from year `year` on, the rate is
// tao_per_block * factor * (1 - yearly_decay)^(years since). {0, 1} is the schedule from the
// start; a change in year Y keeps the factor of year Y, so years gone by keep the decay they had.
struct DecayAnchor {
  std::uint64_t year = 0;
  double factor = 1.0;
};

// An emission table's steps in rao: converted once per run (a table may hold 100,000 steps;
// converting it at every block the simulation visits took 2 ms a visit).
struct EmissionTable {
  std::vector<std::uint64_t> from;  // each step's first block, ascending
  std::vector<core::Rao> rate;      // its tao_per_block in rao
  static std::shared_ptr<const EmissionTable> of(const config::EmissionConfig& config);
};

class BlockEmission {
 public:
  // `table`: config.table converted (EmissionTable::of), shared between the BlockEmissions of a
  // run; null converts it here.
  BlockEmission(const config::EmissionConfig& config, core::Rao total_supply,
                DecayAnchor anchor = {}, std::shared_ptr<const EmissionTable> table = nullptr);

  // The yearly-decay factor of the year holding `block` (1 for other schedules), relative to
  // tao_per_block: what a DecayAnchor at a change in that year keeps.
  double decay_factor_at(std::uint64_t block) const;

  // The emission of block `block` when the total issuance before minting it is `issuance`:
  // the schedule's rate, but never more than what remains of the supply.
  core::Rao rate_at(std::uint64_t block, core::Rao issuance) const;

  // The first block after `block` where the rate may change because of the block number alone
  // (a year boundary, a table step); kNever if there is none.
  std::uint64_t next_block_change(std::uint64_t block) const;

  // The smallest issuance above `issuance` at which the rate may change (the next halving
  // threshold, or the supply); kNever if none (issuance is already at or above the supply).
  std::uint64_t next_issuance_change(core::Rao issuance) const;

  // Halving only: the k above (0 below S/2); 64 at or above the supply.
  unsigned halvings(core::Rao issuance) const;

  core::Rao total_supply() const { return total_supply_; }

 private:
  core::Rao schedule_rate(std::uint64_t block, core::Rao issuance) const;  // before the cap

  config::EmissionSchedule schedule_;
  core::Rao base_;              // tao_per_block in rao
  double keep_per_year_ = 1.0;  // 1 - yearly_decay
  std::uint64_t blocks_per_year_ = 0;
  std::shared_ptr<const EmissionTable> table_;  // never null
  core::Rao total_supply_;
  DecayAnchor anchor_;
};

// A run of consecutive blocks [first_block, first_block + block_count) that all have the same
// rate, and the amount the caller actually mints for each of them.
struct EmissionSegment {
  std::uint64_t first_block = 0;
  std::uint64_t block_count = 0;
  core::Rao rate;              // the schedule's emission of each block
  core::Rao minted_per_block;  // minted_per_block(rate): what issuance grows by each block
};

// The number of blocks from `block` on, at most `limit`, that keep the rate of `block` given the
// issuance `issuance` before it and that each block adds `minted` (constant) to issuance.
std::uint64_t blocks_at_same_rate(const BlockEmission& emission, std::uint64_t block,
                                  core::Rao issuance, core::Rao minted, std::uint64_t limit);

// Closed-form accrual over the half-open block interval [begin, end): calls visit(segment) for
// each maximal constant-rate run, in order, and returns the issuance after block end - 1.
//
// `minted_per_block(Rao rate) -> Rao` says how much of a block's emission is really minted
// (the subnet split floors each subnet's share, so it may be a little less than the rate); it
// must be a pure function of the rate over the interval. Issuance grows by that amount per
// block, and the halving threshold crossing is found exactly where a loop
//   for b in [begin, end): r = rate_at(b, I); I += minted_per_block(r)
// would find it. Cost: O(number of segments), independent of end - begin.
template <class MintedFn, class Visit>
core::Rao for_each_emission_segment(const BlockEmission& emission, std::uint64_t begin,
                                    std::uint64_t end, core::Rao issuance,
                                    MintedFn&& minted_per_block, Visit&& visit) {
  std::uint64_t block = begin;
  while (block < end) {
    const core::Rao rate = emission.rate_at(block, issuance);
    const core::Rao minted = minted_per_block(rate);
    const std::uint64_t count = blocks_at_same_rate(emission, block, issuance, minted, end - block);
    visit(EmissionSegment{block, count, rate, minted});
    const core::U128 grown = static_cast<core::U128>(minted.raw()) * count + issuance.raw();
    issuance = core::Rao(grown > std::numeric_limits<std::uint64_t>::max()
                             ? std::numeric_limits<std::uint64_t>::max()
                             : static_cast<std::uint64_t>(grown));
    block += count;
  }
  return issuance;
}

// The same as a list (convenient for tests and reports; the simulation can use the visitor).
template <class MintedFn>
std::vector<EmissionSegment> emission_segments(const BlockEmission& emission, std::uint64_t begin,
                                               std::uint64_t end, core::Rao issuance,
                                               MintedFn&& minted_per_block) {
  std::vector<EmissionSegment> out;
  for_each_emission_segment(emission, begin, end, issuance, minted_per_block,
                            [&](const EmissionSegment& s) { out.push_back(s); });
  return out;
}

}  // namespace subnetsim::economics
