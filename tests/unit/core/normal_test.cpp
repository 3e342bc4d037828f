// The standard normal ziggurat: pinned draws, the batch against the scalar form, the tables
// against their stated invariants, and the distribution over 2,000,000 draws.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "subnetsim/core/normal.hpp"
#include "subnetsim/core/rng.hpp"

using subnetsim::core::Rng;
using subnetsim::core::standard_normal;
using subnetsim::core::standard_normals;

namespace {

constexpr double kR = 3.6541528853610088;  // where the tail starts
constexpr double kV = 0.00492867323399;    // the area of a layer

std::vector<double> scalar_draws(Rng& rng, std::size_t n) {
  std::vector<double> out(n);
  for (double& x : out) x = standard_normal(rng);
  return out;
}

}  // namespace

TEST_CASE("standard_normal pins the first draws from Rng(12345)", "[core][normal]") {
  // These values pin the stream: a change to the algorithm, its tables or the bit layout that
  // moves them changes the output of every simulation that draws normals. They were generated
  // once from this implementation after its statistics (the test below) had been checked.
  Rng rng(12345);
  CHECK(standard_normal(rng) == -0x1.e21f4ec3e9018p-1);
  CHECK(standard_normal(rng) == 0x1.152ab92b8f49ap-2);
  CHECK(standard_normal(rng) == -0x1.279193d70359bp-3);
  CHECK(standard_normal(rng) == -0x1.5cdc93e295ba6p-3);
  CHECK(standard_normal(rng) == 0x1.e525f411cf375p-3);
  CHECK(standard_normal(rng) == 0x1.146ced9b8648dp+0);
  CHECK(standard_normal(rng) == 0x1.03ecd96766382p-1);
  CHECK(standard_normal(rng) == -0x1.9b91de003c87ap+0);
  // Those eight all take the fast path. The first draw from the tail (beyond R, where the
  // logarithms of the slow path come in) is draw 4298 of the same stream.
  Rng again(12345);
  const auto draws = scalar_draws(again, 4299);
  const auto first_tail =
      std::find_if(draws.begin(), draws.end(), [](double x) { return std::fabs(x) > kR; });
  CHECK(first_tail - draws.begin() == 4298);
  CHECK(draws.back() == -0x1.df1045b21e5cp+1);
}

TEST_CASE("standard_normals equals as many standard_normal calls in values and final rng state",
          "[core][normal]") {
  // 50,000 draws take the wedge test about 730 times and the tail about 13 times.
  for (const std::size_t n : std::initializer_list<std::size_t>{0, 1, 7, 1000, 50000}) {
    CAPTURE(n);
    Rng scalar_rng(987654321 + n), batch_rng(987654321 + n);
    const auto expected = scalar_draws(scalar_rng, n);
    std::vector<double> got(n + 1, 42.0);  // one past the end, to see it is left alone
    standard_normals(batch_rng, got.data(), n);
    CHECK(std::equal(expected.begin(), expected.end(), got.begin()));
    CHECK(got[n] == 42.0);
    CHECK(batch_rng == scalar_rng);
    CHECK(batch_rng() == scalar_rng());
    if (n == 50000)
      CHECK(std::any_of(got.begin(), got.end(), [](double x) { return std::fabs(x) > kR; }));
  }
}

// The textbook algorithm with the same bit layout, its tables and tests computed with the C
// library's exp, log and sqrt: an independent check of the fast path's integer test, of the
// chord bounds that spare most wedge tests an exp, and of the tail.
class PlainZiggurat {
 public:
  PlainZiggurat() {
    x_[1] = kR;
    f_[1] = std::exp(-0.5 * kR * kR);
    x_[0] = kV / f_[1];
    for (int k = 1; k < 256; ++k) {
      f_[k + 1] = f_[k] + kV / x_[k];
      if (k < 255) x_[k + 1] = std::sqrt(-2 * std::log(f_[k + 1]));
    }
    x_[256] = 0;
  }
  double operator()(Rng& rng) const {
    for (;;) {
      const std::uint64_t r = rng();
      const std::size_t k = r & 255;
      const double sign = r & 256 ? -1 : 1;
      const double x = static_cast<double>(r >> 11) * 0x1p-53 * x_[k];
      if (x < x_[k + 1]) return sign * x;
      if (k == 0) {
        double a, b;
        do {
          a = -std::log(static_cast<double>((rng() >> 11) + 1) * 0x1p-53) / kR;
          b = -std::log(static_cast<double>((rng() >> 11) + 1) * 0x1p-53);
        } while (b + b < a * a);
        return sign * (kR + a);
      }
      const double y = f_[k] + static_cast<double>(rng() >> 11) * 0x1p-53 * (f_[k + 1] - f_[k]);
      if (y < std::exp(-0.5 * x * x)) return sign * x;
    }
  }

 private:
  double x_[257];
  double f_[257];
};

TEST_CASE("standard_normal matches a plain ziggurat written with the C library's exp and log",
          "[core][normal]") {
  // The tables differ in the last bits (each is a 255-step recurrence, rounded differently), so
  // the values agree to 1e-13; every accept or reject is the same, so the streams stay in step.
  const PlainZiggurat plain;
  Rng ours(31337), theirs(31337);
  std::size_t tail = 0, mismatches = 0;
  for (int k = 0; k < 1000000; ++k) {
    const double a = standard_normal(ours), b = plain(theirs);
    tail += std::fabs(b) > kR;
    mismatches += !(std::fabs(a - b) <= 1e-13 * std::fabs(b)) || ours != theirs;
  }
  CHECK(mismatches == 0);
  CHECK(tail > 200);
}

TEST_CASE("standard normal ziggurat tables hold their stated invariants", "[core][normal]") {
  const auto& t = subnetsim::core::detail::kZiggurat;
  // x[k] from w; x[256] = 0.
  auto edge = [&](int k) { return k == 256 ? 0.0 : t.w[k] * 0x1p53; };
  CHECK(edge(1) == kR);
  CHECK(edge(0) == Approx(kV / std::exp(-0.5 * kR * kR)).epsilon(1e-14));
  for (int k = 1; k < 255; ++k) {
    CAPTURE(k);
    // The recurrence that makes every layer's area V, redone with the C library's functions.
    const double next = std::sqrt(-2 * std::log(std::exp(-0.5 * edge(k) * edge(k)) + kV / edge(k)));
    CHECK(edge(k + 1) == Approx(next).epsilon(1e-12));
  }
  // The top layer closes at the peak: its area is V as well.
  CHECK(edge(255) * (1 - std::exp(-0.5 * edge(255) * edge(255))) == Approx(kV).epsilon(1e-8));
  for (int i = 0; i < 512; ++i) {
    CAPTURE(i);
    const int k = i & 255;
    CHECK(t.w[i] == (i & 256 ? -t.w[k] : t.w[k]));
    // inner[i] is exactly where the abscissa j * |w| reaches the edge of the layer above.
    const double w = std::fabs(t.w[i]), bound = edge(k + 1);
    const std::uint64_t n = t.inner[i];
    CHECK(static_cast<double>(n) * w >= bound);
    if (n > 0) CHECK(static_cast<double>(n - 1) * w < bound);
  }
}

namespace {

constexpr std::size_t kDraws = 2000000;

// The moments, tails and Kolmogorov-Smirnov distance of kDraws draws against a standard normal.
void check_standard_normal_sample(std::vector<double> x) {
  REQUIRE(x.size() == kDraws);
  double sum = 0;
  for (double v : x) sum += v;
  const double mean = sum / kDraws;
  double m2 = 0, m3 = 0, m4 = 0;
  std::size_t beyond3 = 0, beyond4 = 0, above37 = 0, below37 = 0;
  for (double v : x) {
    const double d = v - mean, d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
    beyond3 += std::fabs(v) > 3;
    beyond4 += std::fabs(v) > 4;
    above37 += v > 3.7;
    below37 += v < -3.7;
  }
  m2 /= kDraws;
  m3 /= kDraws;
  m4 /= kDraws;
  // Standard errors at n = 2e6: mean 0.00071, variance 0.0010, skewness 0.0017, excess
  // kurtosis 0.0035; the bounds are 4 to 9 of them.
  CHECK(std::fabs(mean) < 0.003);
  CHECK(std::fabs(m2 - 1) < 0.005);
  CHECK(std::fabs(m3 / std::pow(m2, 1.5)) < 0.01);
  CHECK(std::fabs(m4 / (m2 * m2) - 3) < 0.03);
  // P(|x| > 3) = 0.0026998 (5,400 expected, sd 73: 10% is 7 sd); P(|x| > 4) = 6.334e-5
  // (127 expected, sd 11).
  CHECK(std::fabs(static_cast<double>(beyond3) / kDraws - 0.0026998) < 0.1 * 0.0026998);
  CHECK(beyond4 > 80);
  CHECK(beyond4 < 180);
  // Beyond R only the tail method produces draws: P(x > 3.7) = 1.078e-4, 216 expected a side.
  CHECK(above37 > 150);
  CHECK(below37 > 150);
  CHECK(above37 < 290);
  CHECK(below37 < 290);

  // Kolmogorov-Smirnov against Phi(x) = erfc(-x / sqrt 2) / 2. For n = 2e6 the statistic
  // exceeds 0.0015 with probability about 2e-4.
  std::sort(x.begin(), x.end());
  double ks = 0;
  for (std::size_t k = 0; k < kDraws; ++k) {
    const double cdf = 0.5 * std::erfc(-x[k] / std::sqrt(2.0));
    ks = std::max(
        {ks, cdf - static_cast<double>(k) / kDraws, static_cast<double>(k + 1) / kDraws - cdf});
  }
  CHECK(ks < 0.0015);
}

}  // namespace

TEST_CASE("standard_normal has the moments and tails of a standard normal over 2000000 draws",
          "[core][normal]") {
  Rng rng(20260101);
  std::vector<double> x(kDraws);
  standard_normals(rng, x.data(), kDraws);
  check_standard_normal_sample(std::move(x));
}

TEST_CASE("keyed_standard_normal: a function of its key, distributed as a standard normal",
          "[core][normal]") {
  using subnetsim::core::keyed_standard_normal;
  using subnetsim::core::mix64;
  // Pinned, as the stream is: validators' noise is drawn this way, and a change here changes
  // every simulation with noisy validators.
  CHECK(keyed_standard_normal(0) == -0x1.13734b7c6975bp+0);
  CHECK(keyed_standard_normal(1) == 0x1.3bca285bbdf1ap-1);
  CHECK(keyed_standard_normal(12345) == -0x1.67ef2946beaf1p-3);
  CHECK(keyed_standard_normal(0xdeadbeef) == -0x1.9597322233697p-2);
  // Keys as validators make them: an epoch's key plus each miner's identity (a hash), and
  // plain consecutive keys, the least mixed a caller could pass.
  std::vector<double> x(kDraws), y(kDraws);
  const std::uint64_t epoch_key = mix64(42);
  for (std::size_t k = 0; k < kDraws; ++k) {
    x[k] = keyed_standard_normal(epoch_key + mix64(k * 7919));
    y[k] = keyed_standard_normal(k);
  }
  check_standard_normal_sample(std::move(x));
  check_standard_normal_sample(std::move(y));
}

TEST_CASE("keyed_standard_normals: the bits of keyed_standard_normal, gated, for any length",
          "[core][normal]") {
  using subnetsim::core::keyed_standard_normal;
  using subnetsim::core::keyed_standard_normals_in;
  using subnetsim::core::mix64;
  using subnetsim::core::SimdForm;
  // Lengths across the eight-lane blocks and the tail; ids from a hash and small consecutive
  // ones. About 1.5% of keys miss the ziggurat's fast path (and 1 in 4,000 reach its tail): a
  // few thousand keys a length make sure the batch meets both. Each form this CPU runs is
  // checked (a miss drawn into the wrong lane changes that lane's draw), and the default
  // (keyed_standard_normals, the widest form) too.
  for (const SimdForm form : {SimdForm::kBaseline, SimdForm::kAvx2, SimdForm::kAvx512}) {
    const char* name = subnetsim::core::simd_form_name(form);
    if (!subnetsim::core::keyed_standard_normals_runs(form)) {
      WARN("this CPU cannot run the " << name << " form of keyed_standard_normals: not checked");
      continue;
    }
    std::size_t slow_seen = 0;
    for (std::size_t n :
         {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{8}, std::size_t{9},
          std::size_t{63}, std::size_t{64}, std::size_t{65}, std::size_t{256}, std::size_t{4099}}) {
      for (std::uint64_t trial = 0; trial < 6; ++trial) {
        const std::uint64_t base = mix64(trial * 1000 + n);
        std::vector<std::uint64_t> ids(n);
        std::vector<double> gate(n), all(n, -7.0), gated(n, -7.0), fallback(n, -7.0);
        for (std::size_t k = 0; k < n; ++k) {
          ids[k] = trial % 2 == 0 ? mix64(k * 7919 + trial) : k + 1;
          // Gated off: the first quarter (a subnet's validators), then one uid in five, and NaN
          // (off, as NaN >= 0 is false); -0.0 and 0 are on.
          gate[k] = k < n / 4 || k % 5 == 3 ? -1.0 : 0.25;
          if (k % 11 == 4) gate[k] = std::nan("");
          if (k % 13 == 6) gate[k] = k % 2 == 0 ? -0.0 : 0.0;
        }
        keyed_standard_normals_in(form, base, ids.data(), nullptr, n, all.data());
        keyed_standard_normals_in(form, base, ids.data(), gate.data(), n, gated.data());
        subnetsim::core::keyed_standard_normals(base, ids.data(), gate.data(), n, fallback.data());
        for (std::size_t k = 0; k < n; ++k) {
          const double want = keyed_standard_normal(base + ids[k]);
          std::uint64_t r = mix64(base + ids[k]);
          double fast;
          slow_seen += subnetsim::core::detail::fast_path(r, fast) ? 0 : 1;
          INFO(name << " n " << n << " trial " << trial << " k " << k);
          REQUIRE(all[k] == want);
          if (gate[k] >= 0.0) {
            REQUIRE(gated[k] == want);
            REQUIRE(fallback[k] == want);
          } else {
            REQUIRE(std::isfinite(gated[k]));
          }
        }
      }
    }
    CHECK(slow_seen > 100);
  }
}
