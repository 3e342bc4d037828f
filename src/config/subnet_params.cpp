#include <cmath>

#include "subnetsim/config/chain.hpp"

namespace subnetsim::config {

std::uint16_t fraction_to_u16(double x) {
  if (!(x > 0.0)) return 0;
  if (x >= 1.0) return 65535;
  return static_cast<std::uint16_t>(std::lround(x * 65535.0));
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
