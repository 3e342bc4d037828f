// The float backend against the exact backend on deterministic random sparse inputs, every
// variant, within the conformance tolerances for the float backend: ±3 on u16 outputs and
// stored bonds, relative 1e-5 (or ±2 rao) on rao amounts, permits identical.
//
// One addition for rao amounts: a share that is itself tiny carries the exact backend's own
// truncations (a few 2^-32 each) at a relative size above 1e-5, so an amount may also differ by
// up to 16 I32F32 units of share times the emission (about 4e-9 of it).
//
// Inputs are generic (random stakes and u16 weights), away from the knife edges where any two
// correct implementations with different rounding may disagree: a weight equal to a consensus
// value up to 2^-32, a stake sum exactly at minority = total - kappa. Ties and boundaries are
// covered against the reference in kernel_property_test.cpp and by the conformance replay.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <string>

#include "epoch_case.hpp"
#include "subnetsim/consensus/epoch.hpp"

namespace {

namespace sc = subnetsim::consensus;

constexpr std::uint64_t kSeed = 0xa9ee'0005ULL;
constexpr int kCases = 1000;

using Case = subnetsim::test::EpochCase;

Case random_case(std::mt19937_64& rng, int index) {
  auto below = [&rng](std::uint64_t n) { return rng() % n; };
  Case c;
  c.params = subnetsim::test::random_epoch_params(rng, index);
  c.params.max_allowed_validators = static_cast<std::uint16_t>(1 + below(12));
  auto& in = c.input;
  const std::size_t n = 2 + below(30);
  in.n = n;
  in.stake_rao.resize(n);
  in.permit.resize(n);
  in.inactive.resize(n);
  in.weights.assign(n, {});
  in.bonds.assign(n, {});
  in.rao_emission = 1'000'000'000ULL * (1 + below(5));
  for (std::size_t i = 0; i < n; ++i) {
    in.stake_rao[i] = below(3) == 0 ? 0 : 1'000'000'000ULL + below(1'000'000'000'000ULL);
    in.permit[i] = below(3) != 0;
    in.inactive[i] = below(8) == 0;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!in.permit[i]) continue;
    for (std::size_t j = 0; j < n; ++j) {
      if (j == i || below(4) == 0) continue;  // the driver masks the diagonal
      const auto w = static_cast<std::uint16_t>(below(5) == 0 ? 0 : below(65536));
      in.weights[i].emplace_back(static_cast<std::uint16_t>(j), w);
      if (below(2))
        in.bonds[i].emplace_back(static_cast<std::uint16_t>(j),
                                 static_cast<std::uint16_t>(below(65536)));
    }
  }
  // Rows in submission order: sometimes not ascending, which only liquid alpha's peek merge
  // notices (spec §3.9); bond rows too, as the chain stores liquid-alpha rows in W̃'s order.
  for (std::size_t i = 0; i < n; ++i) {
    if (below(3) == 0) std::shuffle(in.weights[i].begin(), in.weights[i].end(), rng);
    if (below(5) == 0) std::shuffle(in.bonds[i].begin(), in.bonds[i].end(), rng);
  }
  return c;
}

std::string differ(const char* what, std::size_t uid, double want, double got) {
  return std::string(what) + " uid " + std::to_string(uid) + ": exact " + std::to_string(want) +
         " float " + std::to_string(got);
}

std::string compare(const sc::EpochOutput& e, const sc::EpochOutput& f, std::uint64_t emission,
                    double rao_rel = 1e-5) {
  const double rao_abs = std::max(2.0, 16.0 * 0x1p-32 * static_cast<double>(emission));
  for (const auto& [what, field] : subnetsim::test::kU16Outputs)
    for (std::size_t i = 0; i < (e.*field).size(); ++i)
      if (std::abs(int{(e.*field)[i]} - int{(f.*field)[i]}) > 3)
        return differ(what, i, (e.*field)[i], (f.*field)[i]);
  for (const auto& [what, field] : subnetsim::test::kRaoOutputs)
    for (std::size_t i = 0; i < (e.*field).size(); ++i) {
      const double want = static_cast<double>((e.*field)[i]),
                   got = static_cast<double>((f.*field)[i]);
      if (std::fabs(want - got) > std::max(rao_abs, rao_rel * want))
        return differ(what, i, want, got);
    }
  for (std::size_t i = 0; i < e.new_permit.size(); ++i)
    if (e.new_permit[i] != f.new_permit[i])
      return differ("permit", i, e.new_permit[i], f.new_permit[i]);
  for (std::size_t i = 0; i < e.new_bonds.size(); ++i) {
    std::vector<int> want(e.new_bonds.size(), 0), got(e.new_bonds.size(), 0);
    for (auto [j, v] : e.new_bonds[i]) want[j] = v;
    for (auto [j, v] : f.new_bonds[i]) got[j] = v;
    for (std::size_t j = 0; j < want.size(); ++j)
      if (std::abs(want[j] - got[j]) > 3)
        return "bond[" + std::to_string(i) + "][" + std::to_string(j) + "]: exact " +
               std::to_string(want[j]) + " float " + std::to_string(got[j]);
  }
  return "";
}

}  // namespace

TEST_CASE("float backend agrees with the exact backend on random inputs", "[float][exact]") {
  std::mt19937_64 rng(kSeed);
  auto exact = sc::make_backend(sc::BackendKind::kExact);
  auto flt = sc::make_backend(sc::BackendKind::kFloat);
  sc::EpochOutput out_exact, out_float;
  for (int index = 0; index < kCases; ++index) {
    const Case c = random_case(rng, index);
    exact->run(c.params, c.input, out_exact);
    flt->run(c.params, c.input, out_float);
    INFO("case " << index << " n " << c.input.n << " variant " << sc::variant_name(c.params.variant)
                 << " beta " << c.params.bonds_penalty_u16);
    CHECK(compare(out_exact, out_float, c.input.rao_emission) == "");
  }
}

TEST_CASE("float and exact agree on ties at the kappa boundary", "[float][exact][edge]") {
  // Equal stakes with kappa an exact multiple of one validator's share, and weights from a tiny
  // set: cumulative stake lands exactly on minority = total - kappa, and columns tie.
  std::mt19937_64 rng(kSeed ^ 0xed9e);
  auto exact = sc::make_backend(sc::BackendKind::kExact);
  auto flt = sc::make_backend(sc::BackendKind::kFloat);
  sc::EpochOutput out_exact, out_float;
  static constexpr std::uint16_t kKappas[] = {13107, 21845, 32767, 32768, 43690, 52428, 65535, 0};
  for (int index = 0; index < 400; ++index) {
    Case c = random_case(rng, index);
    c.params.kappa_u16 = kKappas[rng() % 8];
    for (auto& s : c.input.stake_rao) s = s == 0 ? 0 : 1'000'000'000;
    for (auto& row : c.input.weights)
      for (auto& e : row) e.second = static_cast<std::uint16_t>(rng() % 3);
    exact->run(c.params, c.input, out_exact);
    flt->run(c.params, c.input, out_float);
    INFO("case " << index << " n " << c.input.n << " variant " << sc::variant_name(c.params.variant)
                 << " kappa " << c.params.kappa_u16);
    // Legacy sigmoid at kappa = 1 makes consensus values ~1/(1+e^rho): I32F32 holds those to a
    // few 1e-6 relative, so the exact backend itself is only good to ~1e-4 there.
    const double rel = c.params.variant == sc::Variant::kLegacySigmoid ? 1e-4 : 1e-5;
    CHECK(compare(out_exact, out_float, c.input.rao_emission, rel) == "");
  }
}

TEST_CASE("float and exact agree when blocks of rows have equal length", "[float][exact][edge]") {
  // The float backend writes eight rows at a time when they list the same columns in the same
  // order, and falls back to a row at a time when rows of equal length differ: a column swapped
  // for another, the same columns in another order, or an extra explicit zero; or when a row
  // is shorter than the first of its block. The backend is reused from case to case, as the
  // simulation reuses it, so its arrays hold the previous case's values.
  std::mt19937_64 rng(kSeed ^ 0xb10c);
  auto exact = sc::make_backend(sc::BackendKind::kExact);
  auto flt = sc::make_backend(sc::BackendKind::kFloat);
  sc::EpochOutput out_exact, out_float;
  for (int index = 0; index < 90; ++index) {
    Case c;
    static constexpr sc::Variant kVariants[] = {sc::Variant::kClassic, sc::Variant::kYuma3,
                                                sc::Variant::kYuma3Liquid};
    c.params.variant = kVariants[(index / 6) % 3];  // every variant meets every kind of row
    const std::size_t validators = 8 + rng() % 20, miners = 20 + rng() % 40;
    const std::size_t n = validators + miners;
    c.params.max_allowed_validators = static_cast<std::uint16_t>(validators);
    auto& in = c.input;
    in.n = n;
    in.stake_rao.assign(n, 0);
    in.permit.assign(n, false);
    in.inactive.assign(n, false);
    in.weights.assign(n, {});
    in.bonds.assign(n, {});
    in.rao_emission = 1'000'000'000ULL;
    for (std::size_t i = 0; i < validators; ++i) {
      in.stake_rao[i] = 1'000'000'000ULL + rng() % 1'000'000'000'000ULL;
      in.permit[i] = true;
      for (std::size_t j = validators; j < n; ++j) {
        in.weights[i].emplace_back(static_cast<std::uint16_t>(j),
                                   static_cast<std::uint16_t>(rng() % 65536));
        in.bonds[i].emplace_back(static_cast<std::uint16_t>(j),
                                 static_cast<std::uint16_t>(rng() % 65536));
      }
    }
    const std::size_t odd = rng() % validators;  // the row that differs, by case
    switch (index % 6) {
      case 0:
        break;  // every row the same columns
      case 1:
        in.weights[odd][rng() % miners].first = static_cast<std::uint16_t>((odd + 1) % validators);
        break;
      case 2:
        std::shuffle(in.weights[odd].begin(), in.weights[odd].end(), rng);
        break;
      case 3:
        in.bonds[odd][0].first = static_cast<std::uint16_t>(odd == 0 ? 1 : 0);
        break;
      case 4:  // the first row of the block lists every column, the second one fewer: the
               // block's arrays still hold the previous case's values and must be cleared
        in.weights[1].erase(in.weights[1].begin() + static_cast<std::ptrdiff_t>(rng() % miners));
        break;
      case 5:
        in.bonds[1].pop_back();
        break;
    }
    exact->run(c.params, c.input, out_exact);
    flt->run(c.params, c.input, out_float);
    INFO("case " << index << " validators " << validators << " miners " << miners << " odd row "
                 << odd << " variant " << sc::variant_name(c.params.variant));
    CHECK(compare(out_exact, out_float, c.input.rao_emission) == "");
  }
}
