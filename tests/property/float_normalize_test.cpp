// The float backend row-normalises W as it gathers the rows (each row times 1 / the sum of its
// entries, or after a scatter by the dense row's sum), and the kernel reads it in place. Before,
// the kernel normalised a raw W itself. Both must give the same bits in every output, on every
// path of the gather: blocks of eight rows in column order (with rows missing some columns),
// blocks the gather refuses (rows out of order, repeated columns), a last block of fewer than
// eight rows, the padding rows of V a multiple of 16, all-zero rows, every variant (the legacy
// sigmoid keeps a raw W), matrices recorded or not.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "../../src/consensus/float_backend.hpp"
#include "epoch_case.hpp"
#include "subnetsim/consensus/epoch.hpp"

namespace {

namespace sc = subnetsim::consensus;

using Case = subnetsim::test::EpochCase;

Case random_case(std::mt19937_64& rng, int index) {
  auto below = [&rng](std::uint64_t n) { return rng() % n; };
  Case c;
  c.params = subnetsim::test::random_epoch_params(rng, index);
  auto& p = c.params;
  auto& in = c.input;
  // Kernel rows (permits or bonds) of every count mod 8 and mod 16: n up to 70, most permitted.
  const std::size_t n = 2 + below(69);
  p.max_allowed_validators = static_cast<std::uint16_t>(below(2) ? n : 1 + below(n));
  in.n = n;
  in.record_matrices = below(2) == 0;
  in.rao_emission = 1'000'000'000ULL;
  in.stake_rao.resize(n);
  in.permit.resize(n);
  in.inactive.resize(n);
  in.weights.assign(n, {});
  in.bonds.assign(n, {});
  const bool sorted_case = below(2) == 0;  // every block through the gather
  for (std::size_t i = 0; i < n; ++i) {
    in.stake_rao[i] = below(4) == 0 ? 0 : 1'000'000'000ULL + below(1'000'000'000'000ULL);
    in.permit[i] = below(6) != 0;
    in.inactive[i] = below(10) == 0;
    if (!in.permit[i]) continue;
    const bool zero_row = below(9) == 0;
    for (std::size_t j = 0; j < n; ++j) {
      if (j == i || below(5) == 0) continue;  // rows miss some columns
      const auto w = static_cast<std::uint16_t>(zero_row || below(6) == 0 ? 0 : below(65536));
      in.weights[i].emplace_back(static_cast<std::uint16_t>(j), w);
      if (below(2))
        in.bonds[i].emplace_back(static_cast<std::uint16_t>(j),
                                 static_cast<std::uint16_t>(1 + below(65535)));
    }
    if (sorted_case) continue;
    // Blocks the gather refuses: a row out of order, or a column twice (the last one counts).
    if (below(4) == 0) std::shuffle(in.weights[i].begin(), in.weights[i].end(), rng);
    if (below(6) == 0 && !in.weights[i].empty())
      in.weights[i].push_back(
          {in.weights[i].front().first, static_cast<std::uint16_t>(below(65536))});
  }
  return c;
}

template <class T>
bool same_bits(const std::vector<T>& x, const std::vector<T>& y) {
  return x.size() == y.size() &&
         (x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(T)) == 0);
}

template <class Rows>
bool same_rows(const Rows& x, const Rows& y) {
  if (x.size() != y.size()) return false;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i].size() != y[i].size()) return false;
    for (std::size_t k = 0; k < x[i].size(); ++k)
      if (x[i][k].first != y[i][k].first ||
          std::memcmp(&x[i][k].second, &y[i][k].second, sizeof(x[i][k].second)) != 0)
        return false;
  }
  return true;
}

// The first output that differs, "" when none does.
std::string first_difference(const sc::EpochOutput& a, const sc::EpochOutput& b) {
  const auto doubles = {std::pair{"stake", &sc::EpochOutput::stake},
                        std::pair{"active_stake", &sc::EpochOutput::active_stake},
                        std::pair{"consensus", &sc::EpochOutput::consensus},
                        std::pair{"validator_trust", &sc::EpochOutput::validator_trust},
                        std::pair{"incentive", &sc::EpochOutput::incentive},
                        std::pair{"dividends", &sc::EpochOutput::dividends},
                        std::pair{"validator_share", &sc::EpochOutput::validator_share},
                        std::pair{"server_share", &sc::EpochOutput::server_share},
                        std::pair{"combined_share", &sc::EpochOutput::combined_share}};
  for (const auto& [what, field] : doubles)
    if (!same_bits(a.*field, b.*field)) return what;
  for (const auto& [what, field] : subnetsim::test::kU16Outputs)
    if (!same_bits(a.*field, b.*field)) return what;
  for (const auto& [what, field] : subnetsim::test::kRaoOutputs)
    if (!same_bits(a.*field, b.*field)) return what;
  if (a.new_permit != b.new_permit) return "new_permit";
  if (!same_rows(a.new_bonds, b.new_bonds)) return "new_bonds";
  if (!same_rows(a.weights_normalized, b.weights_normalized)) return "weights_normalized";
  if (!same_rows(a.delta_bonds_normalized, b.delta_bonds_normalized))
    return "delta_bonds_normalized";
  return "";
}

}  // namespace

TEST_CASE("the float backend's normalising gather gives the kernel's own bits",
          "[float][property]") {
  std::mt19937_64 rng(0x67617468ULL);
  auto in_gather = sc::make_float_backend();
  auto in_kernel = sc::make_float_backend_normalizing_in_kernel();
  sc::EpochOutput a, b;
  int checked_outputs = 0;
  for (int index = 0; index < 1500; ++index) {
    const Case c = random_case(rng, index);
    in_gather->run(c.params, c.input, a);
    in_kernel->run(c.params, c.input, b);
    INFO("case " << index << " n " << c.input.n << " variant " << sc::variant_name(c.params.variant)
                 << " beta " << c.params.bonds_penalty_u16);
    REQUIRE(first_difference(a, b) == "");
    checked_outputs += a.incentive.empty() ? 0 : 1;
  }
  CHECK(checked_outputs == 1500);
}
