// MPI build of the sweep's --mpi runner (compiled only when CMake found MPI).
#include "subnetsim/sweep/mpi.hpp"

#include <mpi.h>

#include <stdexcept>

namespace subnetsim::sweep::mpi {

bool available() { return true; }

Session::Session() {
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (!initialised) {
    int provided = 0;
    if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
      throw std::runtime_error("MPI_Init_thread failed");
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

Session::~Session() {
  int finalised = 0;
  MPI_Finalized(&finalised);
  if (!finalised) MPI_Finalize();
}

void Session::barrier() { MPI_Barrier(MPI_COMM_WORLD); }

int Session::broadcast(int value) {
  MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return value;
}

}  // namespace subnetsim::sweep::mpi
