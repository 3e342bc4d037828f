#include <cmath>
#include <iterator>

#include "subnetsim/config/chain.hpp"

namespace subnetsim::config {

std::uint16_t fraction_to_u16(double x) {
  if (!(x > 0.0)) return 0;
  if (x >= 1.0) return 65535;
  return static_cast<std::uint16_t>(std::lround(x * 65535.0));
}

std::optional<EmissionSplit> emission_split_preset(std::string_view name) {
  struct Preset {
    const char* name;
    double owner, miners, validators, treasury, community;
  };
  constexpr double kHalfRest = (1.0 - kChainEighteenPercent) / 2;
  static constexpr Preset kPresets[] = {
      {"bittensor", kChainEighteenPercent, kHalfRest, kHalfRest, 0.0, 0.0},
      {"guide", 0.0, 0.41, 0.33, 0.20, 0.06},
      {"ocean", 0.0, 0.51, 0.24, 0.10, 0.15},
      {"gensyn", 0.0, 0.60, 0.25, 0.15, 0.0}};
  static_assert(std::size(kPresets) == std::size(kEmissionSplitPresets));
  for (const Preset& p : kPresets) {
    if (name != p.name) continue;
    EmissionSplit s;
    s.preset = p.name;
    s.owner = p.owner, s.miners = p.miners, s.validators = p.validators;
    s.treasury = p.treasury, s.community = p.community;
    return s;
  }
  return std::nullopt;
}

consensus::EpochParams SubnetParams::epoch_params() const {
  consensus::EpochParams p;
  p.variant = yuma;
  p.kappa_u16 = fraction_to_u16(kappa);
  p.bonds_penalty_u16 = fraction_to_u16(bonds_penalty);
  p.bonds_moving_average_ppm = static_cast<std::uint64_t>(std::llround(bonds_moving_average * 1e6));
  p.alpha_low_u16 = fraction_to_u16(alpha_low);
  p.alpha_high_u16 = fraction_to_u16(alpha_high);
  p.alpha_sigmoid_steepness = static_cast<std::int16_t>(alpha_sigmoid_steepness);
  p.rho = static_cast<std::uint16_t>(rho);
  p.max_allowed_validators = max_allowed_validators;
  return p;
}

}  // namespace subnetsim::config
