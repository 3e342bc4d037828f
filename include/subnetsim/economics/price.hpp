// PriceProcess: the USD price of TAO over blocks, for the market models of config::MarketConfig.
//
//   constant  initial_usd
//   gbm       geometric Brownian motion, stepped every `update_every_blocks` blocks:
//               S <- S * exp((mu - sigma^2/2) dt + sigma sqrt(dt) Z),  Z ~ N(0, 1)
//             with dt = update_every_blocks * block_time_s / (365.25 * 86400) years. The price
//             of block b is S after floor(b / update_every_blocks) steps.
//   path      linear interpolation between the points; the first point's price before it and
//             the last point's after it (initial_usd if there are no points)
//
// Shocks multiply the price from their block on: the GBM level (later steps start from the
// shocked level), a constant price, or every later value of a path.
//
// Determinism: Z comes from core::standard_normal (core/normal.hpp) on the Rng stream the caller
// passes (e.g. core::make_rng(seed, "market", 0, "price")), one draw per step in step order.
// So a seed gives one path, whichever blocks it is queried at (querying block 1000 directly or
// block 500 first gives the same price at 1000).
//
// Invariants: blocks passed to usd_at / apply_shock never decrease (the process only moves
// forward; a backwards query is a programming error and throws std::logic_error). The price is
// never negative.
#pragma once

#include <cstdint>
#include <vector>

#include "subnetsim/config/chain.hpp"
#include "subnetsim/core/rng.hpp"

namespace subnetsim::economics {

class PriceProcess {
 public:
  // For model "path" the points are market.path; a caller that reads `path_csv` puts the points
  // from read_price_path_csv into a copy of the config first.
  PriceProcess(const config::MarketConfig& market, double block_time_s, core::Rng rng);

  double usd_at(std::uint64_t block);
  // Advances to `block`, then multiplies the price by `factor` (>= 0) from that block on.
  void apply_shock(std::uint64_t block, double factor);
  // Advances to `block`, then steps the GBM with a new drift and volatility (per year) from there.
  void set_drift_volatility(std::uint64_t block, double drift_per_year, double volatility_per_year);

  std::uint64_t block() const { return block_; }
  std::uint64_t gbm_steps() const { return steps_; }  // Z drawn so far

 private:
  void advance_to(std::uint64_t block);
  double path_usd(std::uint64_t block) const;

  config::PriceModel model_;
  double level_;             // constant / gbm: the current price
  double shock_ = 1.0;       // path: product of all shocks so far
  double drift_step_ = 0.0;  // (mu - sigma^2/2) dt
  double vol_step_ = 0.0;    // sigma sqrt(dt)
  std::uint64_t every_ = 1;
  double dt_years_ = 0.0;    // years per step
  std::uint64_t block_ = 0;  // the latest block advanced to
  std::uint64_t steps_ = 0;
  std::vector<config::PricePoint> path_;
  core::Rng rng_;
};

}  // namespace subnetsim::economics
