// An honest validator's scores of the miners from their outputs and its noise (sharpness 1),
// computed in the hot path of every validator decision:
//   score[u] = max(0, output[u] + noise * z[u]) where output[u] >= 0 (a miner that published),
//   else 0; a NaN sum scores 0.
// The result does not depend on the CPU: the AVX-512 form (chosen at run time) does each
// entry's product and sum in the same order and precision as the SSE2 and plain forms (no FMA:
// the build turns contraction off), and tests/unit/agents/noisy_scores_test.cpp compares them.
#pragma once

#include <cstddef>

namespace subnetsim::agents {

void noisy_scores(const double* output, const double* z, double noise, std::size_t n,
                  double* score);

// The same without AVX-512 (SSE2 where the build has it): exposed for the tests.
void noisy_scores_without_avx512(const double* output, const double* z, double noise, std::size_t n,
                                 double* score);

}  // namespace subnetsim::agents
