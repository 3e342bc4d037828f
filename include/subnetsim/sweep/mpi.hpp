// The optional MPI runner of `subnetsim sweep --mpi`: present when the build found MPI
// (SUBNETSIM_MPI). Only what the sweep needs: rank, size, a barrier and a broadcast from rank 0.
// MPI is initialised by the first Session and finalised by its destructor; MPI calls come from
// the thread that created it only (the sweep's worker threads never call MPI).
#pragma once

namespace subnetsim::sweep::mpi {

// Whether this build has MPI.
bool available();

class Session {
 public:
  Session();  // throws std::runtime_error without MPI
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  void barrier();
  // Rank 0's value, on every rank.
  int broadcast(int value);

 private:
  int rank_ = 0, size_ = 1;
};

}  // namespace subnetsim::sweep::mpi
