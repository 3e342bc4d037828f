// Behaviour of the exact backend that the public conformance cases do not pin down: the Yuma 3
// liquid-alpha sparse quirk (§3.9), the legacy variants, and the emission fallbacks (§3.10).
#include <catch2/catch.hpp>
#include <memory>

#include "subnetsim/consensus/epoch.hpp"

namespace sc = subnetsim::consensus;
using Row = sc::SparseRowU16;

namespace {

// Validators 0..2 (equal stake, permitted, active) and miners 3, 4.
sc::EpochInput three_validators() {
  sc::EpochInput in;
  in.n = 5;
  in.stake_rao = {100, 100, 100, 0, 0};
  in.permit = {true, true, true, false, false};
  in.inactive.assign(5, false);
  in.weights.assign(5, {});
  in.bonds.assign(5, {});
  in.rao_emission = 1'000'000'000;
  return in;
}

sc::EpochOutput run(sc::Variant v, const sc::EpochInput& in, sc::EpochParams p = {}) {
  p.variant = v;
  auto backend = sc::make_backend(sc::BackendKind::kExact);
  sc::EpochOutput out;
  backend->run(p, in, out);
  return out;
}

}  // namespace

TEST_CASE("Yuma 3 liquid alpha: an omitted entry loses its bond, an explicit zero decays",
          "[consensus][exact]") {
  sc::EpochInput in = three_validators();
  in.weights[0] = Row{{3, 65535}};          // omits miner 4
  in.weights[1] = Row{{3, 65535}, {4, 0}};  // explicit zero on miner 4
  in.weights[2] = Row{{3, 65535}};
  for (int i = 0; i < 3; ++i) in.bonds[i] = Row{{3, 30000}, {4, 30000}};
  sc::EpochParams p;
  p.bonds_penalty_u16 = 0;
  const auto out = run(sc::Variant::kYuma3Liquid, in, p);
  auto has = [](const Row& r, std::uint16_t j) {
    for (const auto& [c, v] : r)
      if (c == j) return v > 0;
    return false;
  };
  CHECK_FALSE(has(out.new_bonds[0], 4));  // dropped at once
  CHECK(has(out.new_bonds[1], 4));        // decayed, still there
  CHECK(has(out.new_bonds[0], 3));
  // Fixed-alpha Yuma 3 decays every stored bond (dense EMA per row).
  const auto fixed = run(sc::Variant::kYuma3, in, p);
  CHECK(has(fixed.new_bonds[0], 4));
}

TEST_CASE("emission falls back to active stake, then to stake, when nothing is weighted",
          "[consensus][exact]") {
  sc::EpochInput in = three_validators();
  auto out = run(sc::Variant::kClassic, in);
  CHECK(out.emission_rao == std::vector<std::uint64_t>{333333333, 333333333, 333333333, 0, 0});
  in.permit.assign(5, false);  // no active stake: plain normalised stake
  out = run(sc::Variant::kClassic, in);
  CHECK(out.validator_emission_rao ==
        std::vector<std::uint64_t>{333333333, 333333333, 333333333, 0, 0});
}

TEST_CASE("legacy sigmoid: consensus is a sigmoid of the supporting stake", "[consensus][exact]") {
  sc::EpochInput in = three_validators();
  for (int i = 0; i < 3; ++i) in.weights[i] = Row{{3, 65535}};
  in.weights[0].emplace_back(4, 65535);  // a third of the stake supports miner 4
  const auto out = run(sc::Variant::kLegacySigmoid, in);
  // Full support: sigmoid(10 * (1 - 0.5)) ~ 0.9933; a third: sigmoid(10 * (1/3 - 0.5)) ~ 0.1589.
  CHECK(out.consensus[3] == Approx(0.99331).margin(1e-4));
  CHECK(out.consensus[4] == Approx(0.15887).margin(1e-4));
  CHECK(out.incentive[3] > out.incentive[4]);
  CHECK(out.incentive[3] + out.incentive[4] == Approx(1.0).margin(1e-8));
  // uid 0 split its weight, so it holds a fifth of miner 3's bonds (0.5 / 2.5) and all of the
  // weakly incentivised miner 4's: D ~ (0.2 I3 + I4, 0.4 I3, 0.4 I3), normalised.
  CHECK(out.dividends[1] == out.dividends[2]);
  const double i3 = out.incentive[3], i4 = out.incentive[4];
  CHECK(out.dividends[0] / out.dividends[1] == Approx((0.2 * i3 + i4) / (0.4 * i3)).epsilon(1e-6));
}

TEST_CASE("classic liquid alpha v1 uses a per-column alpha between the bounds",
          "[consensus][exact]") {
  sc::EpochInput in = three_validators();
  in.n = 6;
  in.stake_rao.push_back(0);
  in.permit.push_back(false);
  in.inactive.push_back(false);
  in.weights.resize(6);
  in.bonds.resize(6);
  in.weights[0] = Row{{3, 65535}, {4, 30000}, {5, 1000}};
  in.weights[1] = Row{{3, 65535}, {4, 20000}, {5, 9000}};
  in.weights[2] = Row{{3, 60000}, {4, 10000}, {5, 5000}};
  for (int i = 0; i < 3; ++i) in.bonds[i] = Row{{3, 65535}, {4, 65535}, {5, 65535}};
  in.bonds[0] = Row{{3, 10000}, {4, 65535}, {5, 65535}};
  sc::EpochParams p;
  p.alpha_low_u16 = 45875;   // 0.7
  p.alpha_high_u16 = 58982;  // 0.9
  const auto classic = run(sc::Variant::kClassic, in, p);
  const auto liquid = run(sc::Variant::kClassicLiquidV1, in, p);
  CHECK(classic.consensus == liquid.consensus);
  CHECK(classic.incentive == liquid.incentive);
  // alpha in [0.7, 0.9] moves bonds much faster than the default 0.1.
  CHECK(liquid.new_bonds != classic.new_bonds);
  CHECK(liquid.dividends[0] > classic.dividends[0]);
}
