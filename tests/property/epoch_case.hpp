// Random epoch problems for the backend property tests: a case is the backend's parameters and
// its input; random_epoch_params draws the parameters every generator shares.
#pragma once

#include <cstdint>
#include <random>

#include "subnetsim/consensus/epoch.hpp"

namespace subnetsim::test {

struct EpochCase {
  consensus::EpochParams params;
  consensus::EpochInput input;
};

// Variant index % 5 (all five in turn), beta 0, 1 or in between, BMA 0.9 or 0.975, liquid alpha
// bounds 0.1-0.3.
inline consensus::EpochParams random_epoch_params(std::mt19937_64& rng, int index) {
  static constexpr consensus::Variant kAll[] = {
      consensus::Variant::kClassic, consensus::Variant::kYuma3, consensus::Variant::kYuma3Liquid,
      consensus::Variant::kClassicLiquidV1, consensus::Variant::kLegacySigmoid};
  static constexpr std::uint16_t kBetas[] = {0, 65535, 40000};
  consensus::EpochParams p;
  p.variant = kAll[index % 5];
  p.bonds_penalty_u16 = kBetas[rng() % 3];
  p.bonds_moving_average_ppm = rng() % 2 ? 900000 : 975000;
  p.alpha_low_u16 = 6553;
  p.alpha_high_u16 = 19660;
  return p;
}

}  // namespace subnetsim::test
