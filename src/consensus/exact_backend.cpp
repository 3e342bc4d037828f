// Placeholder until the exact backend lands; replaced by its implementation.
#include <stdexcept>

#include "subnetsim/consensus/epoch.hpp"

namespace subnetsim::consensus {
std::unique_ptr<EpochBackend> make_exact_backend() {
  throw std::logic_error("the exact epoch backend is not implemented yet");
}
}  // namespace subnetsim::consensus
