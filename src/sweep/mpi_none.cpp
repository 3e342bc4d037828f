// Build without MPI: `subnetsim sweep --mpi` explains that it is not available.
#include <stdexcept>

#include "subnetsim/sweep/mpi.hpp"

namespace subnetsim::sweep::mpi {

bool available() { return false; }

Session::Session() {
  throw std::runtime_error(
      "this build has no MPI support (install libopenmpi-dev and openmpi-bin, then rebuild; "
      "CMake option SUBNETSIM_MPI)");
}

Session::~Session() = default;

void Session::barrier() {}

int Session::broadcast(int value) { return value; }

}  // namespace subnetsim::sweep::mpi
