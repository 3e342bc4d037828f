// Deterministic random streams. Each consumer (an agent, the price process, ...) owns a stream
// seeded by hashing (master seed, owner id, purpose), so adding an agent or changing the order in
// which agents act never shifts anyone else's draws, and results do not depend on thread count.
// Normal draws come from core::standard_normal (core/normal.hpp, a ziggurat of our own); the
// other distributions from Boost.Random. Both have fixed algorithms, unlike the standard
// library's, which differ between implementations.
//
// The engine is xoshiro256++ (Blackman and Vigna, 2019): 32 bytes of state instead of the
// Mersenne Twister's 2.5 kB (a network has tens of thousands of agents, each with a stream),
// every output bit usable (the ziggurat normal takes its layer and sign from the low bits),
// and a few instructions a draw (validators draw one normal per miner per epoch, the
// simulation's largest single cost). The state is filled from the seed by SplitMix64, as its
// authors recommend, so it is never all zero.
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>

namespace subnetsim::core {

constexpr std::uint64_t mix64(std::uint64_t x);

// A UniformRandomBitGenerator of 64-bit outputs.
class Xoshiro256pp {
 public:
  using result_type = std::uint64_t;
  // The first four outputs of SplitMix64 started at `seed`.
  explicit Xoshiro256pp(std::uint64_t seed = 0) {
    for (std::uint64_t k = 0; k < 4; ++k) s_[k] = mix64(seed + k * 0x9e3779b97f4a7c15ULL);
  }
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() {
    const std::uint64_t out = rotl(s_[0] + s_[3], 23) + s_[0];
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return out;
  }
  friend bool operator==(const Xoshiro256pp&, const Xoshiro256pp&) = default;

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

using Rng = Xoshiro256pp;

// SplitMix64 finaliser: a well-mixed 64-bit hash step.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// FNV-1a of a string, then mixed: stable across platforms and runs.
constexpr std::uint64_t hash_string(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return mix64(h);
}

constexpr std::uint64_t stream_seed(std::uint64_t master, std::string_view owner,
                                    std::uint64_t index, std::string_view purpose) {
  return mix64(mix64(master ^ hash_string(owner)) ^ mix64(index + 1) ^ hash_string(purpose));
}

inline Rng make_rng(std::uint64_t master, std::string_view owner, std::uint64_t index,
                    std::string_view purpose) {
  return Rng(stream_seed(master, owner, index, purpose));
}

}  // namespace subnetsim::core
