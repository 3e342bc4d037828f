// Deterministic random streams. Each consumer (an agent, the price process, ...) owns a stream
// seeded by hashing (master seed, owner id, purpose), so adding an agent or changing the order in
// which agents act never shifts anyone else's draws, and results do not depend on thread count.
// Distributions come from Boost.Random, whose algorithms are fixed, unlike the standard
// library's, which differ between implementations.
#pragma once

#include <boost/random/mersenne_twister.hpp>
#include <cstdint>
#include <string_view>

namespace subnetsim::core {

using Rng = boost::random::mt19937_64;

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
