// The exact backend's memo of exp_safe (exact_steps.hpp): it stops probing in an epoch where
// exponents do not repeat, and its answers never depend on whether it probed.
#include <catch2/catch.hpp>
#include <random>

#include "../../../src/consensus/exact_steps.hpp"
#include "subnetsim/consensus/epoch.hpp"

using namespace subnetsim::consensus;

TEST_CASE("ExpCache stops probing in an epoch of few hits, and starts again the next",
          "[consensus][exact]") {
  detail::ExpCache cache;
  fixed::Raw e = 0;
  CHECK(cache.useful());
  for (fixed::Raw x = 1; x <= 2047; ++x) CHECK_FALSE(cache.find(x << 20, e));
  CHECK(cache.useful());  // fewer probes than the trial
  CHECK_FALSE(cache.find(fixed::Raw{1} << 40, e));
  CHECK_FALSE(cache.useful());  // 2048 probes, no hit
  cache.new_epoch();
  CHECK(cache.useful());
  // One hit in eight keeps it probing.
  cache.put(7, 99);
  for (int k = 0; k < 4096; ++k) {
    if (k % 8 == 0) {
      REQUIRE(cache.find(7, e));
      CHECK(e == 99);
    } else {
      cache.find(1000 + k, e);
    }
  }
  CHECK(cache.useful());
}

TEST_CASE("exact liquid alpha gives the same epoch with and without the memo's hits",
          "[consensus][exact]") {
  // 64 x 256 random weights and bonds: the exponents do not repeat, so the first epoch stops
  // probing after its trial; the second finds the first's exponents memoised (a hit for each
  // probe of its trial) and probes on. Both must give the same outputs.
  std::mt19937_64 rng(0x6578'7063);
  const std::size_t v = 64, m = 256;
  EpochParams params;
  params.variant = Variant::kYuma3Liquid;
  params.max_allowed_validators = static_cast<std::uint16_t>(v);
  EpochInput in;
  in.n = v + m;
  in.rao_emission = 1'000'000'000;
  in.stake_rao.assign(in.n, 0);
  in.permit.assign(in.n, false);
  in.inactive.assign(in.n, false);
  in.weights.assign(in.n, {});
  in.bonds.assign(in.n, {});
  for (std::size_t i = 0; i < v; ++i) {
    in.stake_rao[i] = 1'000'000'000ULL + rng() % 1'000'000'000'000ULL;
    in.permit[i] = true;
    for (std::size_t j = 0; j < m; ++j) {
      in.weights[i].emplace_back(static_cast<std::uint16_t>(v + j),
                                 static_cast<std::uint16_t>(rng() % 65536));
      in.bonds[i].emplace_back(static_cast<std::uint16_t>(v + j),
                               static_cast<std::uint16_t>(rng() % 65536));
    }
  }
  const auto backend = make_backend(BackendKind::kExact);
  EpochOutput first, second;
  backend->run(params, in, first);
  backend->run(params, in, second);
  CHECK(second.new_bonds == first.new_bonds);
  CHECK(second.dividends_u16 == first.dividends_u16);
  CHECK(second.emission_rao == first.emission_rao);
  std::size_t entries = 0;
  for (const auto& row : first.new_bonds) entries += row.size();
  CHECK(entries > 4096);  // well past the memo's trial
}
