// A steady-state epoch of unchanged size allocates nothing: the kernel reuses its workspace and
// the float backend its dense arrays and the output's storage (architecture rule 3).
//
// Counts calls to malloc, which both operator new and Eigen's allocator go through, by
// interposing glibc's malloc in this test executable. Skipped under AddressSanitizer, which
// interposes malloc itself.
#include <catch2/catch.hpp>
#include <cstddef>
#include <random>

#include "subnetsim/consensus/epoch.hpp"
#include "subnetsim/consensus/kernel.hpp"

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#define SUBNETSIM_COUNT_MALLOC 1
namespace {
bool g_counting = false;
std::size_t g_mallocs = 0;
}  // namespace
extern "C" void* __libc_malloc(std::size_t size);
extern "C" void* malloc(std::size_t size) {
  if (g_counting) ++g_mallocs;
  return __libc_malloc(size);
}
#endif

namespace {

namespace sc = subnetsim::consensus;

[[maybe_unused]] sc::EpochInput random_input(std::size_t n, std::mt19937_64& rng) {
  sc::EpochInput in;
  in.n = n;
  in.stake_rao.resize(n);
  in.permit.assign(n, false);
  in.inactive.assign(n, false);
  in.weights.assign(n, {});
  in.bonds.assign(n, {});
  in.rao_emission = 1'000'000'000;
  for (std::size_t i = 0; i < n; ++i) {
    in.stake_rao[i] = 1 + rng() % 1'000'000;
    in.permit[i] = i < n / 2;
    if (!in.permit[i]) continue;
    for (std::size_t j = n - 1; j < n && j + 1 > 0; --j) {  // descending: unsorted rows too
      if (j == i) continue;
      in.weights[i].emplace_back(static_cast<std::uint16_t>(j),
                                 static_cast<std::uint16_t>(rng() % 65536));
    }
    for (std::size_t j = 0; j < n; j += 2)
      in.bonds[i].emplace_back(static_cast<std::uint16_t>(j),
                               static_cast<std::uint16_t>(rng() % 65536));
  }
  return in;
}

}  // namespace

TEST_CASE("steady-state epochs allocate nothing", "[kernel][float][alloc]") {
#ifndef SUBNETSIM_COUNT_MALLOC
  WARN("malloc counting unavailable here; skipped");
#else
  std::mt19937_64 rng(99);
  const sc::EpochInput in = random_input(40, rng);
  for (sc::Variant v : {sc::Variant::kClassic, sc::Variant::kYuma3, sc::Variant::kYuma3Liquid,
                        sc::Variant::kClassicLiquidV1, sc::Variant::kLegacySigmoid}) {
    sc::EpochParams params;
    params.variant = v;
    params.max_allowed_validators = 30;
    auto backend = sc::make_backend(sc::BackendKind::kFloat);
    sc::EpochOutput out;
    backend->run(params, in, out);  // first call sizes everything
    backend->run(params, in, out);
    g_mallocs = 0;
    g_counting = true;
    backend->run(params, in, out);
    g_counting = false;
    INFO("variant " << sc::variant_name(v));
    CHECK(g_mallocs == 0);
  }
#endif
}
