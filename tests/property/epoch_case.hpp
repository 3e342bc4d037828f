// Random epoch problems for the backend property tests: a case is the backend's parameters and
// its input; random_epoch_params draws the parameters every generator shares.
#pragma once

#include <array>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

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

// The outputs the chain keeps as u16 and as rao, by name: the tests that compare two epochs walk
// these lists, so a field added here is compared by all of them.
using U16Output = std::vector<std::uint16_t> consensus::EpochOutput::*;
using RaoOutput = std::vector<std::uint64_t> consensus::EpochOutput::*;
inline constexpr std::array<std::pair<const char*, U16Output>, 5> kU16Outputs = {{
    {"consensus_u16", &consensus::EpochOutput::consensus_u16},
    {"incentive_u16", &consensus::EpochOutput::incentive_u16},
    {"dividends_u16", &consensus::EpochOutput::dividends_u16},
    {"trust_u16", &consensus::EpochOutput::validator_trust_u16},
    {"stake_u16", &consensus::EpochOutput::stake_weight_u16},
}};
inline constexpr std::array<std::pair<const char*, RaoOutput>, 3> kRaoOutputs = {{
    {"emission", &consensus::EpochOutput::emission_rao},
    {"server", &consensus::EpochOutput::server_emission_rao},
    {"validator", &consensus::EpochOutput::validator_emission_rao},
}};

}  // namespace subnetsim::test
