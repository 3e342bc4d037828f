// Property tests of the float epoch kernel: the vectorised kernel against the nested-loop
// reference (reference_kernel.hpp) on deterministic random inputs covering every variant, and
// the invariants every epoch must keep. Values only, never time.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>

#include "reference_kernel.hpp"
#include "subnetsim/consensus/kernel.hpp"

namespace {

using subnetsim::consensus::ColMajorArrayXXd;
using subnetsim::consensus::ColMajorMaskXX;
using subnetsim::consensus::KernelParams;
using subnetsim::consensus::KernelWorkspace;
using subnetsim::consensus::Variant;
namespace ref = subnetsim::testing;

constexpr std::uint64_t kSeed = 0x5eed'2026'0001ULL;
constexpr int kRandomCases = 1200;

// std::mt19937_64's output sequence is fixed by the standard; the mapping below is ours, so the
// cases are the same with every standard library.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t below(std::uint64_t n) { return engine_() % n; }
  double unit() { return static_cast<double>(engine_() >> 11) * 0x1p-53; }
  bool chance(double p) { return unit() < p; }

 private:
  std::mt19937_64 engine_;
};

struct Problem {
  KernelParams params;
  std::vector<double> a;
  ref::Matrix w, b;
  ref::Mask present;
  std::string label;
};

Variant variant_of(int k) {
  static constexpr Variant kAll[] = {Variant::kClassic, Variant::kYuma3, Variant::kYuma3Liquid,
                                     Variant::kClassicLiquidV1, Variant::kLegacySigmoid};
  return kAll[k % 5];
}

std::size_t random_size(Rng& rng) {
  const double u = rng.unit();
  if (u < 0.6) return 1 + rng.below(16);
  if (u < 0.9) return 1 + rng.below(64);
  return 1 + rng.below(300);
}

Problem random_problem(Rng& rng, int index) {
  Problem pr;
  KernelParams& p = pr.params;
  p.variant = variant_of(index);
  const std::size_t rows = index % 17 == 0 ? 1 : random_size(rng);  // one validator, often
  const std::size_t cols = random_size(rng);
  // Stakes: random with zeros, all zero, or equal (ties exactly on the kappa boundary).
  pr.a.assign(rows, 0.0);
  const double stake_mode = rng.unit();
  for (auto& x : pr.a) {
    if (stake_mode < 0.05)
      x = 0.0;
    else if (stake_mode < 0.25)
      x = 1.0;
    else
      x = rng.chance(0.25) ? 0.0 : static_cast<double>(1 + rng.below(1000000));
  }
  double sum = 0.0;
  for (double x : pr.a) sum += x;
  if (sum > 0.0)
    for (auto& x : pr.a) x /= sum;
  // Kappa: the boundaries, exact fractions that equal-stake sums hit, or anything.
  static constexpr std::uint16_t kKappas[] = {0, 65535, 32767, 32768, 13107, 21845, 43690, 16383};
  p.kappa_u16 =
      rng.chance(0.6) ? kKappas[rng.below(8)] : static_cast<std::uint16_t>(rng.below(65536));
  static constexpr std::uint16_t kBetas[] = {0, 65535, 32767};
  p.bonds_penalty =
      static_cast<double>(rng.chance(0.8) ? kBetas[rng.below(3)] : rng.below(65536)) / 65535.0;
  const double bma = rng.chance(0.5) ? 900000.0 : static_cast<double>(rng.below(1000001));
  p.ema_alpha = 1.0 - bma / 1e6;
  const auto lo = static_cast<std::uint16_t>(1638 + rng.below(60000));
  const auto hi = static_cast<std::uint16_t>(lo + rng.below(65536 - lo));
  p.alpha_low = lo / 65535.0;
  p.alpha_high = hi / 65535.0;
  p.alpha_sigmoid_steepness =
      rng.chance(0.5) ? 1000.0 : static_cast<double>(rng.below(4001)) - 2000.0;
  p.rho = rng.chance(0.5) ? 10.0 : 30.0;

  // Weights: presence density, tie-heavy or full-range values, empty rows, all-zero columns.
  const double density = std::array<double, 4>{0.0, 0.2, 0.7, 1.0}[rng.below(4)];
  const bool ties = rng.chance(0.4);
  pr.w.assign(rows, std::vector<double>(cols, 0.0));
  pr.present.assign(rows, std::vector<std::uint8_t>(cols, 0));
  pr.b.assign(rows, std::vector<double>(cols, 0.0));
  std::vector<bool> zero_col(cols);
  for (std::size_t j = 0; j < cols; ++j) zero_col[j] = rng.chance(0.1);
  const bool yuma3 = p.variant == Variant::kYuma3 || p.variant == Variant::kYuma3Liquid;
  for (std::size_t i = 0; i < rows; ++i) {
    const bool empty_row = rng.chance(0.1);
    for (std::size_t j = 0; j < cols; ++j) {
      if (!empty_row && rng.chance(density)) {
        pr.present[i][j] = 1;
        pr.w[i][j] =
            zero_col[j] ? 0.0 : static_cast<double>(ties ? rng.below(4) : rng.below(65536));
      }
      if (rng.chance(0.5)) {
        const double v = static_cast<double>(rng.below(65536));
        pr.b[i][j] = yuma3 ? v / 65535.0 : v;
      }
    }
  }
  pr.label = "case " + std::to_string(index) + " " + std::to_string(rows) + "x" +
             std::to_string(cols) + " variant " + subnetsim::consensus::variant_name(p.variant);
  return pr;
}

ColMajorArrayXXd dense(const ref::Matrix& m, std::size_t rows, std::size_t cols) {
  ColMajorArrayXXd out(rows, cols);
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) out(i, j) = m[i][j];
  return out;
}

bool close(double got, double want) {
  return std::fabs(got - want) <= 1e-10 + 1e-8 * std::fabs(want);
}

// Returns "" or the first difference.
std::string compare(const KernelWorkspace& ws, const ref::ReferenceResult& r, Variant v) {
  auto vec = [](const char* what, const Eigen::ArrayXd& got, const std::vector<double>& want) {
    for (std::size_t k = 0; k < want.size(); ++k)
      if (!close(got(static_cast<Eigen::Index>(k)), want[k]))
        return std::string(what) + "[" + std::to_string(k) + "] got " +
               std::to_string(got(static_cast<Eigen::Index>(k))) + " want " +
               std::to_string(want[k]);
    return std::string();
  };
  auto mat = [](const char* what, const ColMajorArrayXXd& got, const ref::Matrix& want) {
    for (std::size_t i = 0; i < want.size(); ++i)
      for (std::size_t j = 0; j < want[i].size(); ++j)
        if (!close(got(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)), want[i][j]))
          return std::string(what) + "(" + std::to_string(i) + "," + std::to_string(j) + ") got " +
                 std::to_string(got(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j))) +
                 " want " + std::to_string(want[i][j]);
    return std::string();
  };
  const bool classic =
      v == Variant::kClassic || v == Variant::kClassicLiquidV1 || v == Variant::kLegacySigmoid;
  for (const auto& msg :
       {mat("W", ws.weights, r.weights), vec("C", ws.consensus, r.consensus),
        vec("VT", ws.validator_trust, r.validator_trust), vec("R", ws.rank, r.rank),
        vec("I", ws.incentive, r.incentive), vec("D", ws.dividends, r.dividends),
        mat("B", ws.bonds, r.bonds), classic ? mat("delta", ws.delta, r.delta) : std::string()})
    if (!msg.empty()) return msg;
  return "";
}

void check_invariants(const KernelWorkspace& ws, Variant v) {
  const double i_sum = ws.incentive.sum(), d_sum = ws.dividends.sum();
  CHECK((i_sum == 0.0 || std::fabs(i_sum - 1.0) < 1e-9));
  CHECK((d_sum == 0.0 || std::fabs(d_sum - 1.0) < 1e-9));
  CHECK((ws.incentive >= 0.0).all());
  CHECK((ws.dividends >= 0.0).all());
  CHECK((ws.consensus >= 0.0).all());
  CHECK((ws.validator_trust >= 0.0).all());
  CHECK((ws.bonds >= 0.0).all());
  CHECK((ws.bonds <= 1.0).all());  // Y3: EMA in [0,1]; classic: column max-upscaled
  if (v == Variant::kClassic || v == Variant::kClassicLiquidV1) CHECK((ws.delta >= 0.0).all());
}

}  // namespace

TEST_CASE("vectorised kernel matches the nested-loop reference", "[kernel][property]") {
  Rng rng(kSeed);
  KernelWorkspace ws;  // deliberately reused across sizes and variants
  int compared = 0;
  for (int index = 0; index < kRandomCases; ++index) {
    const Problem pr = random_problem(rng, index);
    const std::size_t rows = pr.w.size(), cols = pr.w[0].size();
    const Eigen::ArrayXd a =
        Eigen::Map<const Eigen::ArrayXd>(pr.a.data(), static_cast<Eigen::Index>(rows));
    ColMajorMaskXX present(rows, cols);
    for (std::size_t i = 0; i < rows; ++i)
      for (std::size_t j = 0; j < cols; ++j) present(i, j) = pr.present[i][j];
    subnetsim::consensus::run_epoch_kernel(pr.params, a, dense(pr.w, rows, cols), present,
                                           dense(pr.b, rows, cols), ws);
    const ref::ReferenceResult r = ref::reference_epoch(pr.params, pr.a, pr.w, pr.present, pr.b);
    INFO(pr.label);
    REQUIRE(compare(ws, r, pr.params.variant) == "");
    check_invariants(ws, pr.params.variant);
    ++compared;
  }
  CHECK(compared == kRandomCases);
}

TEST_CASE("weighted median equals the chain's partition loop exactly", "[kernel][median]") {
  Rng rng(kSeed ^ 0x77);
  std::vector<double> values, scratch;
  std::vector<std::int64_t> stakes, stake_scratch;
  for (int t = 0; t < 20000; ++t) {
    const std::size_t n = rng.below(40);
    values.resize(n);
    stakes.resize(n);
    const std::uint64_t distinct = 1 + rng.below(6);  // few distinct values: many ties
    std::int64_t total = 0;
    for (std::size_t k = 0; k < n; ++k) {
      values[k] = rng.chance(0.5) ? static_cast<double>(rng.below(distinct)) / 4.0 : rng.unit();
      stakes[k] = rng.chance(0.2)
                      ? 0
                      : static_cast<std::int64_t>(1 + rng.below(rng.chance(0.5) ? 4 : 1u << 30));
      total += stakes[k];
    }
    // Minority on the boundaries (0, total, a prefix sum, negative) or anywhere.
    std::int64_t minority =
        static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(total) + 1));
    const auto mode = rng.below(5);
    if (mode == 0 && n > 0) {
      minority = 0;
      for (std::size_t k = 0; k <= rng.below(n); ++k) minority += stakes[k];
    } else if (mode == 1) {
      minority = -static_cast<std::int64_t>(rng.below(5));
    } else if (mode == 2) {
      minority = total;
    }
    const double want = ref::reference_weighted_median(stakes, values, minority, 0, total);
    scratch = values;
    stake_scratch = stakes;
    const double got = subnetsim::consensus::weighted_median_q32(scratch.data(),
                                                                 stake_scratch.data(), n, minority);
    INFO("trial " << t << " n " << n << " minority " << minority);
    REQUIRE(got == want);
  }
}

TEST_CASE("math.rs weighted median vectors", "[kernel][median]") {
  // From subtensor's test_math_weighted_median (conformance math_cases): stakes 0.49/0.51 etc.
  auto raw = [](float x) {
    return static_cast<std::int64_t>(std::llround(static_cast<double>(x) * 0x1p32));
  };
  struct Case {
    std::vector<float> stake, score;
    double expected;
  };
  const std::vector<Case> cases = {{{0.49f, 0.51f}, {0.5f, 1.0f}, 1.0},
                                   {{0.51f, 0.49f}, {0.5f, 1.0f}, 0.5},
                                   {{0.49f, 0.0f, 0.51f}, {0.5f, 0.7f, 1.0f}, 1.0},
                                   {{0.49f, 0.01f, 0.5f}, {0.5f, 0.7f, 1.0f}, 0.7},
                                   {{0.49f, 0.51f, 0.0f}, {0.5f, 0.7f, 1.0f}, 0.7},
                                   {{0.0f, 0.49f, 0.51f}, {0.5f, 0.7f, 1.0f}, 1.0}};
  for (const auto& c : cases) {
    std::vector<std::int64_t> s;
    std::vector<double> v;
    std::int64_t total = 0;
    for (float x : c.stake) total += s.emplace_back(raw(x));
    for (float x : c.score) v.push_back(static_cast<double>(x));
    const std::int64_t minority = (std::int64_t{1} << 32) - raw(0.51f);
    const double got =
        subnetsim::consensus::weighted_median_q32(v.data(), s.data(), v.size(), minority);
    CHECK(std::fabs(got - c.expected) < 1e-6);
  }
}
