// A plain nested-loop reference of the float epoch kernel (spec §3), written from the spec's
// text and pseudocode without looking at the vectorised kernel: row-major vectors of vectors,
// one obvious loop per step, divisions where the spec divides, the chain's own partition loop
// for the weighted median. It exists only to be compared against run_epoch_kernel.
#pragma once

#include <cstdint>
#include <vector>

#include "subnetsim/consensus/kernel.hpp"

namespace subnetsim::testing {

using Matrix = std::vector<std::vector<double>>;  // [row][column]
using Mask = std::vector<std::vector<std::uint8_t>>;

struct ReferenceResult {
  Matrix weights;  // row-normalised W
  std::vector<double> consensus, validator_trust, rank, incentive, dividends;
  Matrix delta;  // classic variants only: colnorm(W̃ ⊙ A)
  Matrix bonds;  // storage scale, as KernelWorkspace::bonds
};

// The chain's weighted_median partition loop (spec §3.6), literally: lists, pivot at the middle
// of the current list, lo/hi bookkeeping. Stakes are integers on the 2^-32 grid.
double reference_weighted_median(const std::vector<std::int64_t>& stake,
                                 const std::vector<double>& score, std::int64_t minority,
                                 std::int64_t lo, std::int64_t hi);

ReferenceResult reference_epoch(const consensus::KernelParams& params,
                                const std::vector<double>& active_stake, const Matrix& weights_raw,
                                const Mask& present, const Matrix& bonds);

}  // namespace subnetsim::testing
