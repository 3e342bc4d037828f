// An honest validator's scores of the miners from their outputs and its noise (sharpness 1),
// computed in the hot path of every validator decision:
//   score[u] = max(0, output[u] + noise * z[u]) where output[u] >= 0 (a miner that published),
//   else 0; a NaN sum scores 0.
// The result does not depend on the CPU: the AVX-512 and AVX2 forms (the widest the CPU runs,
// chosen at run time) do each entry's product and sum in the same order and precision as the
// SSE2 and plain forms (no FMA: the build turns contraction off), and
// tests/unit/agents/noisy_scores_test.cpp compares them.
#pragma once

#include <cstddef>

#include "subnetsim/core/simd_form.hpp"

namespace subnetsim::agents {

void noisy_scores(const double* output, const double* z, double noise, std::size_t n,
                  double* score);

// For the tests: whether this CPU runs a form, and the scores in that form (the baseline, SSE2
// where the build has it, where the CPU cannot run it).
bool noisy_scores_runs(core::SimdForm form);
void noisy_scores_in(core::SimdForm form, const double* output, const double* z, double noise,
                     std::size_t n, double* score);

}  // namespace subnetsim::agents
