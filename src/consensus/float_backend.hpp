// Internal to the consensus module and its tests: the float backend's factories.
#pragma once

#include <memory>

#include "subnetsim/consensus/epoch.hpp"

namespace subnetsim::consensus {

// The float backend (make_backend(BackendKind::kFloat)): W row-normalised as its rows are
// gathered, the kernel reading it in place (KernelParams::weights_normalized).
std::unique_ptr<EpochBackend> make_float_backend();
// The same backend with W gathered raw and normalised by the kernel, as before the gather did
// it: the tests compare the two, bit for bit.
std::unique_ptr<EpochBackend> make_float_backend_normalizing_in_kernel();

}  // namespace subnetsim::consensus
