// Placeholder until the float backend lands; replaced by its implementation.
#include <stdexcept>

#include "subnetsim/consensus/epoch.hpp"

namespace subnetsim::consensus {
std::unique_ptr<EpochBackend> make_float_backend() {
  throw std::logic_error("the float epoch backend is not implemented yet");
}
}  // namespace subnetsim::consensus
