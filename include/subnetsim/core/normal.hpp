// Standard normal draws (mean 0, sd 1) from a core::Rng stream, by a 256-layer ziggurat
// (Marsaglia and Tsang, 2000). It exists for the hot path, where it replaces
// boost::random::normal_distribution: validators draw one normal per miner per epoch, and a
// batch of draws here costs ~1.6 ns each against Boost's ~3.2 ns (tight loops, one core).
//
// Invariants:
// - A draw reads one 64-bit rng() output in ~98.5% of cases (the fast path): bits 0-7 pick the
//   layer, bit 8 the sign, bits 11-63 a 53-bit uniform. The rest, the wedge test and the tail
//   beyond R = 3.654 (Marsaglia's 1964 method), read more outputs, as many as the stream says.
// - The same seed gives the same draws bit for bit on every machine with IEEE doubles (no
//   -ffast-math): the tables are constexpr, built from the two published constants R and V
//   with +, -, *, / (exp, log and sqrt as fixed series and iterations, in normal.cpp), and the
//   slow path uses the same functions rather than the C library's, whose last bits differ
//   between implementations. (GCC 12 and Clang 14, with and without -march=native, agree.)
// - standard_normals(rng, out, n) gives exactly the draws of n standard_normal(rng) calls and
//   leaves rng in the same state.
// - Changing the algorithm, the bit layout or the tables changes every simulation that draws
//   normals; tests/unit/core/normal_test.cpp pins the stream.
#pragma once

#include <cstddef>
#include <cstdint>

#include "subnetsim/core/rng.hpp"
#include "subnetsim/core/simd_form.hpp"

namespace subnetsim::core {

// One standard normal draw (mean 0, sd 1) from rng.
inline double standard_normal(Rng& rng);
// out[k] = standard_normal(rng) for k in order: the very same draws and the same rng state
// afterwards as that many standard_normal calls, but in a tight loop (the engine's state stays
// in registers; prefer it to a loop of standard_normal calls).
void standard_normals(Rng& rng, double* out, std::size_t n);
// The standard normal draw of `key`: a function of the key alone (its fast path reads mix64(key)
// as a stream's output; the rare rest continues from a stream seeded by the key). For draws
// that must not depend on which other draws were made: a validator's noise on one miner in one
// epoch, whatever other miners there are.
inline double keyed_standard_normal(std::uint64_t key);
// out[k] = keyed_standard_normal(base + ids[k]) for each k < n with gate[k] >= 0 (every k when
// gate is null): the very same bits, eight keys at a time where the CPU has AVX-512
// (keyed_normals.cpp), the plain loop elsewhere. out[k] for the others is written, finite and
// otherwise unspecified. For a validator's noise on the miners of a subnet (gate: their
// outputs, < 0 for a uid without one), the hot loop of a network's decisions.
void keyed_standard_normals(std::uint64_t base, const std::uint64_t* ids, const double* gate,
                            std::size_t n, double* out);
// keyed_standard_normals takes the widest form this CPU runs: the plain loop (baseline), eight
// keys a step in AVX2 lanes (four at a time) or in AVX-512 lanes (F and DQ); all give the same
// bits. For tests: whether this CPU runs a form, and the batch drawn in that form (the plain
// loop where the CPU cannot run it).
bool keyed_standard_normals_runs(SimdForm form);
void keyed_standard_normals_in(SimdForm form, std::uint64_t base, const std::uint64_t* ids,
                               const double* gate, std::size_t n, double* out);

namespace detail {

// Layer k (0..255) is a rectangle of area V: layer 0 the base [0, R] x [0, f(R)] plus the
// tail beyond R (x[0] = V / f(R) is its pseudo-width), layer k >= 1 the box [0, x[k]] x
// [f(x[k]), f(x[k+1])] with f(x) = exp(-x^2/2); x[1] = R, x[256] = 0. An output r gives the
// point of layer k = r & 255 at abscissa (r >> 11) * (x[k] 2^-53), a double product, with the
// sign of bit 8; the point is under the curve for sure when the abscissa is below x[k+1].
// The tables the fast path reads, indexed by r & 511 (layer and sign):
struct ZigguratTables {
  std::uint64_t inner[512];  // r >> 11 < inner[i] exactly when the abscissa is below x[k+1]
  double w[512];             // x[k] 2^-53, negated when the sign bit is set
};
extern const ZigguratTables kZiggurat;

// Everything but the fast path, given the first output r: not inlined, taken ~1.5% of the time.
double standard_normal_slow(Rng& rng, std::uint64_t r);

// The draw when the output r decides it alone (~98.5% of the time): a point of a layer left
// of the layer above's edge, under the curve for sure. The test reads only r and the table, so
// it does not wait for the product.
inline bool fast_path(std::uint64_t r, double& out) {
  const std::size_t i = r & 0x1ffU;
  const std::uint64_t j = r >> 11;
  if (j >= kZiggurat.inner[i]) return false;
  out = static_cast<double>(j) * kZiggurat.w[i];
  return true;
}

// keyed_standard_normal's draw when its first output r missed the fast path: continued from
// a stream seeded by the key.
inline double keyed_normal_slow(std::uint64_t key, std::uint64_t r) {
  Rng rest(key ^ 0x5851f42d4c957f2dULL);
  return standard_normal_slow(rest, r);
}

}  // namespace detail

inline double standard_normal(Rng& rng) {
  const std::uint64_t r = rng();
  double x;
  if (detail::fast_path(r, x)) [[likely]]
    return x;
  // The slow path gets a copy: were the caller's engine passed by address, it would have to
  // live in memory, and a caller's loop of draws would store and reload the state at every
  // draw instead of keeping it in registers.
  Rng spill = rng;
  x = detail::standard_normal_slow(spill, r);
  rng = spill;
  return x;
}

inline double keyed_standard_normal(std::uint64_t key) {
  const std::uint64_t r = mix64(key);
  double x;
  if (detail::fast_path(r, x)) [[likely]]
    return x;
  return detail::keyed_normal_slow(key, r);
}

}  // namespace subnetsim::core
