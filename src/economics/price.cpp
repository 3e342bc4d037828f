// The TAO/USD price process: constant, GBM stepped every N blocks, or a scripted path.
#include "subnetsim/economics/price.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "subnetsim/core/normal.hpp"

namespace subnetsim::economics {

namespace {
constexpr double kSecondsPerYear = 365.25 * 86400.0;
}

PriceProcess::PriceProcess(const config::MarketConfig& market, double block_time_s, core::Rng rng)
    : model_(market.model),
      level_(market.initial_usd),
      every_(std::max<std::uint64_t>(1, market.update_every_blocks)),
      path_(market.path),
      rng_(std::move(rng)) {
  dt_years_ = static_cast<double>(every_) * block_time_s / kSecondsPerYear;
  const double sigma = market.volatility_per_year;
  drift_step_ = (market.drift_per_year - 0.5 * sigma * sigma) * dt_years_;
  vol_step_ = sigma * std::sqrt(dt_years_);
  if (model_ == config::PriceModel::kPath && path_.empty()) model_ = config::PriceModel::kConstant;
}

void PriceProcess::advance_to(std::uint64_t block) {
  if (block < block_) throw std::logic_error("PriceProcess: blocks must not go backwards");
  block_ = block;
  if (model_ != config::PriceModel::kGbm) return;
  // The price of block b has seen floor(b / every) steps; draw the ones not yet taken.
  const std::uint64_t due = block / every_;
  for (; steps_ < due; ++steps_)
    level_ *= std::exp(drift_step_ + vol_step_ * core::standard_normal(rng_));
}

double PriceProcess::path_usd(std::uint64_t block) const {
  const auto after =
      std::upper_bound(path_.begin(), path_.end(), block,
                       [](std::uint64_t b, const config::PricePoint& p) { return b < p.block; });
  if (after == path_.begin()) return path_.front().usd;
  if (after == path_.end()) return path_.back().usd;
  const auto& a = *(after - 1);
  const auto& b = *after;
  const double t = static_cast<double>(block - a.block) / static_cast<double>(b.block - a.block);
  return a.usd + (b.usd - a.usd) * t;
}

double PriceProcess::usd_at(std::uint64_t block) {
  advance_to(block);
  if (model_ == config::PriceModel::kPath) return path_usd(block) * shock_;
  return level_;
}

void PriceProcess::apply_shock(std::uint64_t block, double factor) {
  if (!(factor >= 0.0) || !std::isfinite(factor))
    throw std::logic_error("PriceProcess: a shock factor must be finite and >= 0");
  advance_to(block);
  if (model_ == config::PriceModel::kPath)
    shock_ *= factor;
  else
    level_ *= factor;
}

void PriceProcess::set_drift_volatility(std::uint64_t block, double drift_per_year,
                                        double volatility_per_year) {
  advance_to(block);
  drift_step_ = (drift_per_year - 0.5 * volatility_per_year * volatility_per_year) * dt_years_;
  vol_step_ = volatility_per_year * std::sqrt(dt_years_);
}

}  // namespace subnetsim::economics
