// The kernel's record_weights / record_delta flags choose only what is published in the
// workspace: every other output must be the same bits with the flags on or off (with them off
// the kernel keeps W in private scratch and skips the ΔB store).
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <random>
#include <stdexcept>

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

// Every output both workspaces publish, bit for bit.
void check_same_outputs(const sc::KernelWorkspace& x, const sc::KernelWorkspace& y) {
  CHECK(same_bits(x.inv_row_sum, y.inv_row_sum));
  CHECK(same_bits(x.consensus, y.consensus));
  CHECK(same_bits(x.validator_trust, y.validator_trust));
  CHECK(same_bits(x.rank, y.rank));
  CHECK(same_bits(x.incentive, y.incentive));
  CHECK(same_bits(x.dividends, y.dividends));
  CHECK(same_bits(x.delta_scale, y.delta_scale));
  CHECK(same_bits(x.bonds, y.bonds));
}

// A random epoch problem of trial t: sizes 1-90, some zero stakes, W on the u16 scale with
// entries absent (0) at random; with `zero_rows`, every seventh row from the fourth all zero.
struct Problem {
  sc::KernelParams p;
  Eigen::ArrayXd a;
  sc::ColMajorArrayXXd w, b;
  sc::ColMajorMaskXX present;
};

Problem random_problem(std::mt19937_64& rng, int t, sc::Variant variant, bool zero_rows) {
  Problem x;
  const auto rows = static_cast<Eigen::Index>(1 + rng() % 90);
  const auto cols = static_cast<Eigen::Index>(1 + rng() % 90);
  x.p.variant = variant;
  x.p.kappa_u16 = static_cast<std::uint16_t>(t % 3 == 0 ? 32767 : rng() % 65536);
  x.p.bonds_penalty = t % 4 == 0 ? 0.5 : (t % 4 == 1 ? 0.0 : 1.0);
  x.a.resize(rows);
  for (auto& v : x.a) v = static_cast<double>(rng() % 4 == 0 ? 0 : 1 + rng() % 1000);
  if (x.a.sum() > 0.0) x.a /= x.a.sum();
  x.w.resize(rows, cols);
  x.b.resize(rows, cols);
  x.present.resize(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j)
    for (Eigen::Index i = 0; i < rows; ++i) {
      x.present(i, j) = !(zero_rows && i % 7 == 3) && rng() % 3 != 0;
      x.w(i, j) = x.present(i, j) ? static_cast<double>(rng() % 65536) : 0.0;
      x.b(i, j) = static_cast<double>(rng() % 65536) / 65535.0;
    }
  return x;
}

}  // namespace

TEST_CASE("kernel outputs do not depend on what it records", "[kernel][property]") {
  std::mt19937_64 rng(0x7265636f7264ULL);
  constexpr sc::Variant kVariants[] = {sc::Variant::kClassic, sc::Variant::kYuma3,
                                       sc::Variant::kYuma3Liquid, sc::Variant::kClassicLiquidV1,
                                       sc::Variant::kLegacySigmoid};
  sc::KernelWorkspace on, off;  // reused across sizes
  for (int t = 0; t < 300; ++t) {
    Problem x = random_problem(rng, t, kVariants[t % 5], /*zero_rows=*/false);
    auto& [p, a, w, b, present] = x;
    const Eigen::Index rows = w.rows(), cols = w.cols();
    p.record_weights = p.record_delta = true;
    sc::run_epoch_kernel(p, a, w, present, b, on);
    p.record_weights = p.record_delta = false;
    sc::run_epoch_kernel(p, a, w, present, b, off);
    INFO("trial " << t << " " << rows << "x" << cols << " " << sc::variant_name(p.variant));
    CHECK(off.weights.size() == 0);
    check_same_outputs(on, off);
  }
}

// weights_normalized: W row-normalised by the caller (each entry times 1 / its row's sum, the
// factors in inv_row_sum) gives the same bits as W raw normalised by the kernel.
TEST_CASE("kernel reads a caller-normalised W as it would normalise it", "[kernel][property]") {
  std::mt19937_64 rng(0x6e6f726dULL);
  constexpr sc::Variant kVariants[] = {sc::Variant::kClassic, sc::Variant::kYuma3,
                                       sc::Variant::kYuma3Liquid, sc::Variant::kClassicLiquidV1};
  sc::KernelWorkspace raw, pre;
  for (int t = 0; t < 300; ++t) {
    Problem x = random_problem(rng, t, kVariants[t % 4], /*zero_rows=*/true);
    auto& [p, a, w, b, present] = x;
    const Eigen::Index rows = w.rows(), cols = w.cols();
    p.record_weights = p.record_delta = false;
    sc::run_epoch_kernel(p, a, w, present, b, raw);
    // The caller's normalisation: row sums, their reciprocals, each entry times its row's.
    sc::ColMajorArrayXXd wn = w;
    pre.inv_row_sum.resize(rows);
    for (Eigen::Index i = 0; i < rows; ++i) {
      const double s = w.row(i).sum();
      pre.inv_row_sum(i) = s > 0.0 ? 1.0 / s : 1.0;
      wn.row(i) *= pre.inv_row_sum(i);
    }
    p.weights_normalized = true;
    sc::run_epoch_kernel(p, a, wn, present, b, pre);
    INFO("trial " << t << " " << rows << "x" << cols << " " << sc::variant_name(p.variant));
    check_same_outputs(raw, pre);
  }
  // Not for the legacy sigmoid (it reads W raw), nor with record_weights, nor without factors.
  sc::KernelParams p;
  p.weights_normalized = true;
  p.record_weights = false;
  const Eigen::ArrayXd a = Eigen::ArrayXd::Constant(2, 0.5);
  const sc::ColMajorArrayXXd w = sc::ColMajorArrayXXd::Constant(2, 3, 1.0 / 3.0);
  const sc::ColMajorArrayXXd b = sc::ColMajorArrayXXd::Zero(2, 3);
  const sc::ColMajorMaskXX present = sc::ColMajorMaskXX::Ones(2, 3);
  sc::KernelWorkspace ws;
  ws.inv_row_sum = Eigen::ArrayXd::Constant(2, 1.0);
  CHECK_NOTHROW(sc::run_epoch_kernel(p, a, w, present, b, ws));
  ws.inv_row_sum.resize(1);
  CHECK_THROWS_AS(sc::run_epoch_kernel(p, a, w, present, b, ws), std::invalid_argument);
  ws.inv_row_sum = Eigen::ArrayXd::Constant(2, 1.0);
  p.variant = sc::Variant::kLegacySigmoid;
  CHECK_THROWS_AS(sc::run_epoch_kernel(p, a, w, present, b, ws), std::invalid_argument);
  p.variant = sc::Variant::kClassic;
  p.record_weights = true;
  CHECK_THROWS_AS(sc::run_epoch_kernel(p, a, w, present, b, ws), std::invalid_argument);
}
