// The kernel's record_weights / record_delta flags choose only what is published in the
// workspace: every other output must be the same bits with the flags on or off (with them off
// the kernel keeps W in private scratch and skips the ΔB store).
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <random>

#include "subnetsim/consensus/kernel.hpp"

namespace {

namespace sc = subnetsim::consensus;

bool same_bits(const Eigen::ArrayXd& x, const Eigen::ArrayXd& y) {
  // memcmp on an empty array would pass null pointers (undefined behaviour).
  return x.size() == y.size() &&
         (x.size() == 0 ||
          std::memcmp(x.data(), y.data(), sizeof(double) * static_cast<std::size_t>(x.size())) == 0);
}

bool same_bits(const sc::ColMajorArrayXXd& x, const sc::ColMajorArrayXXd& y) {
  return x.rows() == y.rows() && x.cols() == y.cols() &&
         (x.size() == 0 ||
          std::memcmp(x.data(), y.data(), sizeof(double) * static_cast<std::size_t>(x.size())) == 0);
}

}  // namespace

TEST_CASE("kernel outputs do not depend on what it records", "[kernel][property]") {
  std::mt19937_64 rng(0x7265636f7264ULL);
  constexpr sc::Variant kVariants[] = {sc::Variant::kClassic, sc::Variant::kYuma3,
                                       sc::Variant::kYuma3Liquid, sc::Variant::kClassicLiquidV1,
                                       sc::Variant::kLegacySigmoid};
  sc::KernelWorkspace on, off;  // reused across sizes
  for (int t = 0; t < 300; ++t) {
    const auto rows = static_cast<Eigen::Index>(1 + rng() % 90);
    const auto cols = static_cast<Eigen::Index>(1 + rng() % 90);
    sc::KernelParams p;
    p.variant = kVariants[t % 5];
    p.kappa_u16 = static_cast<std::uint16_t>(t % 3 == 0 ? 32767 : rng() % 65536);
    p.bonds_penalty = t % 4 == 0 ? 0.5 : (t % 4 == 1 ? 0.0 : 1.0);
    Eigen::ArrayXd a(rows);
    for (auto& x : a) x = static_cast<double>(rng() % 4 == 0 ? 0 : 1 + rng() % 1000);
    if (a.sum() > 0.0) a /= a.sum();
    sc::ColMajorArrayXXd w(rows, cols), b(rows, cols);
    sc::ColMajorMaskXX present(rows, cols);
    for (Eigen::Index j = 0; j < cols; ++j) {
      for (Eigen::Index i = 0; i < rows; ++i) {
        present(i, j) = rng() % 3 != 0;
        w(i, j) = present(i, j) ? static_cast<double>(rng() % 65536) : 0.0;
        b(i, j) = static_cast<double>(rng() % 65536) / 65535.0;
      }
    }
    p.record_weights = p.record_delta = true;
    sc::run_epoch_kernel(p, a, w, present, b, on);
    p.record_weights = p.record_delta = false;
    sc::run_epoch_kernel(p, a, w, present, b, off);
    INFO("trial " << t << " " << rows << "x" << cols << " " << sc::variant_name(p.variant));
    CHECK(off.weights.size() == 0);
    CHECK(same_bits(on.inv_row_sum, off.inv_row_sum));
    CHECK(same_bits(on.consensus, off.consensus));
    CHECK(same_bits(on.validator_trust, off.validator_trust));
    CHECK(same_bits(on.rank, off.rank));
    CHECK(same_bits(on.incentive, off.incentive));
    CHECK(same_bits(on.dividends, off.dividends));
    CHECK(same_bits(on.delta_scale, off.delta_scale));
    CHECK(same_bits(on.bonds, off.bonds));
  }
}
