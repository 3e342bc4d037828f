// A validator's scores as the weights it submits: the chain's max-upscaled u16 form (spec §4,
// the largest weight becomes 65535), computed in the hot path of every validator decision.
//
// Contract of quantise_scores(scores, n, own, uids, values):
// - scores holds n finite values; own is the validator's own uid (>= n: none); a largest score
//   below ~3.6e-304 makes 65535 / max infinite and every value 0, in every form alike;
// - the submission lists, in ascending uid order, every uid u != own with scores[u] > 0, with
//   value round-half-up(min(scores[u], max) * 65535 / max), max the largest score but own's;
// - uids and values have room for n entries; the first `kept` (the return value) hold the
//   submission, the rest are scratch. kept == 0 when no score but own's is > 0 (nothing to
//   submit).
// The result does not depend on the CPU: the vector paths (SSE2, AVX2 and AVX-512 where the CPU
// has them) do each entry's operations in the same order and precision as the plain one
// (tests/unit/agents/quantise_test.cpp checks every form the CPU can run).
#pragma once

#include <cstddef>
#include <cstdint>

namespace subnetsim::agents {

std::size_t quantise_scores(const double* scores, std::size_t n, std::size_t own,
                            std::uint16_t* uids, std::uint16_t* values);

// The same, as a CPU without AVX2 computes it (quantise_scores picks AVX-512 or AVX2 at run time
// when the CPU has them); exposed so that the tests check every form on any machine.
std::size_t quantise_scores_without_avx2(const double* scores, std::size_t n, std::size_t own,
                                         std::uint16_t* uids, std::uint16_t* values);
// The same in AVX2 alone, on a CPU with AVX2 (else as without it): for the tests.
std::size_t quantise_scores_avx2_only(const double* scores, std::size_t n, std::size_t own,
                                      std::uint16_t* uids, std::uint16_t* values);

}  // namespace subnetsim::agents
