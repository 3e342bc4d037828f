// Per-block emission schedules and the length of constant-rate runs (see the header).
#include "subnetsim/economics/emission_schedule.hpp"

#include <algorithm>
#include <cmath>

namespace subnetsim::economics {

using core::Rao;

namespace {

// x^n by squaring in doubles: only IEEE multiplications, so the same bits on every platform
// (std::pow is not required to be correctly rounded and differs between libms).
double pow_by_squaring(double x, std::uint64_t n) {
  double result = 1.0;
  while (n > 0) {
    if (n & 1) result *= x;
    n >>= 1;
    if (n > 0) x *= x;
  }
  return result;
}

}  // namespace

std::shared_ptr<const EmissionTable> EmissionTable::of(const config::EmissionConfig& config) {
  auto t = std::make_shared<EmissionTable>();
  t->from.reserve(config.table.size());
  t->rate.reserve(config.table.size());
  for (const auto& step : config.table) {
    t->from.push_back(step.from_block);
    t->rate.push_back(Rao::from_tao(step.tao_per_block));
  }
  return t;
}

BlockEmission::BlockEmission(const config::EmissionConfig& config, Rao total_supply,
                             DecayAnchor anchor, std::shared_ptr<const EmissionTable> table)
    : schedule_(config.schedule),
      base_(Rao::from_tao(config.tao_per_block)),
      keep_per_year_(1.0 - config.yearly_decay),
      blocks_per_year_(config.blocks_per_year),
      table_(table ? std::move(table) : EmissionTable::of(config)),
      total_supply_(total_supply),
      anchor_(anchor) {}

unsigned BlockEmission::halvings(Rao issuance) const {
  const std::uint64_t supply = total_supply_.raw();
  if (issuance.raw() >= supply) return 64;
  // Largest k with (S - I) * 2^k <= S, i.e. S - I <= floor(S / 2^k) (S - I is an integer).
  const std::uint64_t remaining = supply - issuance.raw();
  unsigned k = 0;
  while (k + 1 < 64 && (supply >> (k + 1)) >= remaining) ++k;
  return k;
}

Rao BlockEmission::rate_at(std::uint64_t block, Rao issuance) const {
  if (issuance >= total_supply_) return Rao(0);
  // The last block before the supply emits only what is left of it. (The chain's halving never
  // meets this: its rate stays below half of what remains.)
  return Rao(std::min(schedule_rate(block, issuance).raw(), total_supply_.raw() - issuance.raw()));
}

Rao BlockEmission::schedule_rate(std::uint64_t block, Rao issuance) const {
  switch (schedule_) {
    case config::EmissionSchedule::kHalving: {
      const unsigned k = halvings(issuance);
      return k >= 64 ? Rao(0) : Rao(base_.raw() >> k);
    }
    case config::EmissionSchedule::kYearlyDecay: {
      const double factor = decay_factor_at(block);
      if (factor == 1.0) return base_;
      const double rao = std::nearbyint(static_cast<double>(base_.raw()) * factor);
      // The product never exceeds base (factor <= 1), so the cast is in range.
      return Rao(std::min(base_.raw(), static_cast<std::uint64_t>(rao)));
    }
    case config::EmissionSchedule::kFlat:
      return base_;
    case config::EmissionSchedule::kTable: {
      const auto it = std::upper_bound(table_->from.begin(), table_->from.end(), block);
      if (it == table_->from.begin()) return Rao(0);  // before the first step
      return table_->rate[static_cast<std::size_t>(it - table_->from.begin()) - 1];
    }
  }
  return Rao(0);
}

double BlockEmission::decay_factor_at(std::uint64_t block) const {
  if (schedule_ != config::EmissionSchedule::kYearlyDecay || blocks_per_year_ == 0) return 1.0;
  const std::uint64_t year = block / blocks_per_year_;
  // Blocks before the anchor's year were accrued when it was set: they are not asked again.
  const std::uint64_t since = year > anchor_.year ? year - anchor_.year : 0;
  return keep_per_year_ == 1.0 ? anchor_.factor
                               : anchor_.factor * pow_by_squaring(keep_per_year_, since);
}

std::uint64_t BlockEmission::next_block_change(std::uint64_t block) const {
  switch (schedule_) {
    case config::EmissionSchedule::kYearlyDecay: {
      if (keep_per_year_ == 1.0 || blocks_per_year_ == 0) return kNever;
      const std::uint64_t year = block / blocks_per_year_;
      if (year + 1 > kNever / blocks_per_year_) return kNever;
      return (year + 1) * blocks_per_year_;
    }
    case config::EmissionSchedule::kTable: {
      const auto it = std::upper_bound(table_->from.begin(), table_->from.end(), block);
      return it == table_->from.end() ? kNever : *it;
    }
    case config::EmissionSchedule::kHalving:
    case config::EmissionSchedule::kFlat:
      return kNever;
  }
  return kNever;
}

std::uint64_t BlockEmission::next_issuance_change(Rao issuance) const {
  const std::uint64_t supply = total_supply_.raw();
  if (issuance.raw() >= supply) return kNever;
  if (schedule_ != config::EmissionSchedule::kHalving) return supply;
  // The next halving: the smallest I' with S - I' <= floor(S / 2^(k+1)). It is above I because
  // k is the largest k that holds at I; once S >> (k+1) is 0 it is the supply itself.
  const unsigned next = halvings(issuance) + 1;
  return next >= 64 ? supply : supply - (supply >> next);
}

std::uint64_t blocks_at_same_rate(const BlockEmission& emission, std::uint64_t block, Rao issuance,
                                  Rao minted, std::uint64_t limit) {
  std::uint64_t count = limit;
  const std::uint64_t supply = emission.total_supply().raw();
  if (issuance.raw() < supply && minted.raw() > 0) {
    // The cap: block j keeps the rate r while what remains of the supply, S - I - j*m, is at
    // least r; a block capped to the remainder is a run of its own.
    const std::uint64_t rate = emission.rate_at(block, issuance).raw();
    const std::uint64_t remaining = supply - issuance.raw();
    if (rate >= remaining) return 1;
    count = std::min(count, (remaining - rate) / minted.raw() + 1);
  }
  const std::uint64_t next_block = emission.next_block_change(block);
  if (next_block != kNever) count = std::min(count, next_block - block);
  const std::uint64_t threshold = emission.next_issuance_change(issuance);
  if (threshold != kNever && minted.raw() > 0) {
    // Block j of the run (j = 0, 1, ...) starts with issuance I + j*m; the first j with
    // I + j*m >= T has a different rate, so the run is ceil((T - I) / m) blocks long.
    const std::uint64_t gap = threshold - issuance.raw();
    count = std::min(count, gap / minted.raw() + (gap % minted.raw() != 0 ? 1 : 0));
  }
  return count;
}

}  // namespace subnetsim::economics
