// Standard normal draws in batches from four xoshiro256++ engines run side by side. It exists
// for the validators' noise, one normal per published miner output (~192 a decision, 12,000 an
// epoch), ~10% of a year-long run's time: standard_normals' single engine is its bottleneck
// (each output waits for the one before), and four independent engines fill the lanes of one
// AVX2 vector, with the ziggurat's fast path (98.5% of draws) done on the four at once.
//
// Speed (one core of an AMD EPYC, GCC 12, fill() of 192 or 12,000): ~1.2 ns a draw with
// AVX-512VL, ~1.5 ns with AVX2 only, ~1.7 ns portable, against standard_normals' ~1.55. The
// fast path alone costs 0.5 ns (AVX-512VL) or 0.65 ns (AVX2); the other 1.5% of draws, the
// slow path, cost ~50 ns each here (a mispredicted branch, then the lane's scalar slow path,
// whose engine state the next vector step waits for), most of the time. Their exact per-lane
// stream (below) rules out a cheaper order of work.
//
// Invariants:
// - Lane l (0..3) is an Xoshiro256pp seeded with mix64(seed ^ (l * 0x9e3779b97f4a7c15)); draw
//   k of a fill() call comes from lane k % 4, and each lane's draws are exactly those of
//   core::standard_normal on that lane's engine alone (same ziggurat, tables and slow path), so
//   four core::Rng objects and standard_normal, round-robin, are the reference.
// - A call draws whole groups of four: fill(out, n) advances every lane by ceil(n / 4) draws,
//   and when n is not a multiple of 4 the last group's draws for lanes n % 4 .. 3 are made and
//   discarded. So the values depend on how the draws are split into calls (fill(out, 3) then
//   fill(out + 3, 1) is not fill(out, 4)), deterministically: the same calls give the same
//   values. Callers that want one unbroken stream ask for multiples of 4.
// - The vector paths (chosen at run time; the build itself assumes SSE2 only) and the portable
//   scalar path give the same values and final state bit for bit on every machine with IEEE
//   doubles; tests/unit/core/normal_batch_test.cpp checks each path this CPU has against the
//   reference and pins the stream. Changing the seeding, the lane order or the discard rule
//   changes every simulation that draws from it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace subnetsim::core {

class NormalBatch;

namespace detail {
// The ways fill() can run: the portable scalar code (the reference, and the fallback), the AVX2
// code, and the same compiled with AVX-512VL/DQ (each rotation and the integer-to-double
// conversion one instruction). fill() takes the last one this CPU has; all give the same
// values. For tests and benchmarks: fill_by runs a given path (the portable one when the CPU
// lacks it).
enum class NormalBatchPath { portable, avx2, avx512 };
bool normal_batch_supports(NormalBatchPath path);
NormalBatchPath normal_batch_path();
void fill_by(NormalBatch& batch, double* out, std::size_t n, NormalBatchPath path);
}  // namespace detail

class NormalBatch {
 public:
  explicit NormalBatch(std::uint64_t seed);
  // out[0..n) = the next n draws of the stream (see the discard rule above).
  void fill(double* out, std::size_t n);
  friend bool operator==(const NormalBatch&, const NormalBatch&) = default;

 private:
  friend void detail::fill_by(NormalBatch&, double*, std::size_t, detail::NormalBatchPath);
  // s_[w][l]: word w of lane l's xoshiro256++ state, so that s_[w] is one vector of four lanes.
  std::uint64_t s_[4][4];
};

}  // namespace subnetsim::core
