// The exact backend allocates nothing in steady state (architecture rule 3): a second epoch on
// an input of the same shape reuses the workspace and the output's storage.
//
// Counting needs replacement global allocation functions, which AddressSanitizer's own
// replacements conflict with, so the test exists only in non-sanitized builds.
#ifndef __SANITIZE_ADDRESS__
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <new>

#include "subnetsim/chain/epoch_driver.hpp"
#include "subnetsim/consensus/epoch.hpp"

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

// Counting replacements of the global allocation functions (this test binary only). Not inlined:
// where GCC inlines them it sees free() release what operator new returned, and warns
// (-Wmismatched-new-delete) without seeing that this operator new is malloc.
[[gnu::noinline]] void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace sc = subnetsim::consensus;

TEST_CASE("a steady-state exact epoch allocates nothing", "[consensus][exact]") {
  for (sc::Variant v : {sc::Variant::kClassic, sc::Variant::kYuma3, sc::Variant::kYuma3Liquid}) {
    sc::EpochInput in;
    in.n = 40;
    in.stake_rao.assign(in.n, 0);
    in.permit.assign(in.n, false);
    in.inactive.assign(in.n, false);
    in.weights.assign(in.n, {});
    in.bonds.assign(in.n, {});
    in.rao_emission = 1'000'000'000;
    for (std::uint16_t i = 0; i < 8; ++i) {
      in.stake_rao[i] = 1000 + 37u * i;
      in.permit[i] = true;
      for (std::uint16_t j = 8; j < in.n; ++j) {
        in.weights[i].emplace_back(j, static_cast<std::uint16_t>((i * 7919 + j * 104729) % 65536));
        in.bonds[i].emplace_back(j, static_cast<std::uint16_t>((i * 31 + j * 17) % 65536));
      }
    }
    sc::EpochParams params;
    params.variant = v;
    auto backend = sc::make_backend(sc::BackendKind::kExact);
    sc::EpochOutput out;
    backend->run(params, in, out);  // warm-up: sizes every buffer
    const long before = g_allocations.load();
    backend->run(params, in, out);
    const long during = g_allocations.load() - before;
    INFO("variant " << sc::variant_name(v));
    CHECK(during == 0);
  }
}

TEST_CASE("a steady-state driver epoch allocates nothing", "[consensus][exact][chain]") {
  subnetsim::chain::SubnetState state;
  state.resize(24, 1);
  subnetsim::chain::ChainEpochParams params;
  params.tempo = 10;
  for (std::uint16_t i = 0; i < 6; ++i) {
    state.stake_rao[i] = 500 + i;
    state.validator_permit[i] = true;
    std::vector<std::uint16_t> uids, values;
    for (std::uint16_t j = 6; j < 24; ++j) {
      uids.push_back(j);
      values.push_back(static_cast<std::uint16_t>(1 + (i * 131 + j * 7) % 999));
    }
    subnetsim::chain::set_weights(state, i, uids, values, 2);
  }
  auto backend = sc::make_backend(sc::BackendKind::kExact);
  subnetsim::chain::EpochDriver driver;
  driver.run(state, params, 20, 1000, *backend);
  driver.run(state, params, 30, 1000, *backend);
  const long before = g_allocations.load();
  driver.run(state, params, 40, 1000, *backend);
  CHECK(g_allocations.load() - before == 0);
}

#endif  // __SANITIZE_ADDRESS__
