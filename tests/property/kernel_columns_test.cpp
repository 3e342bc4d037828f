// Internal column loops of the float kernel (src/consensus/kernel_columns.hpp) that have a
// vector and a scalar form: the interleaved four-packet exp must equal the one-packet exp bit
// for bit, and the liquid-alpha column (four-packet loop, one-packet loop, scalar tail) must
// store exactly what its scalar tail computes, masked as the chain emits bonds; the AVX2 form
// chosen at run time must give the SSE2 form's bits (also for the classic and fixed-alpha
// bond columns).
#include "../../src/consensus/kernel_columns.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

namespace {

namespace col = subnetsim::consensus::columns;

std::uint64_t bits(double x) {
  std::uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

// Scalar reference of one liquid entry (the loop's tail), with the emit rule.
double liquid_entry(double wt, double b, double wa, double ba, double w, std::uint8_t present,
                    double c, double slope, double lo, double hi, col::Emit emit) {
  const bool emitted = emit == col::Emit::kTildePositive ? wt > 0.0
                       : emit == col::Emit::kPresent     ? present != 0
                                                         : present != 0 && !(w > 0.0);
  if (!emitted) return 0.0;
  const double diff =
      wa >= ba ? std::min(std::max(wa - c, 0.0), 1.0) : std::min(std::max(ba - wa, 0.0), 1.0);
  const double x = std::min(std::max(slope * (diff - 0.5), -20.0), 20.0);
  const double a = std::min(std::max(lo + (hi - lo) / (1.0 + std::exp(x)), lo), hi);
  return std::min((1.0 - a) * b + std::max(a * wt, 0.0), 1.0);
}

template <col::Emit emit>
void run_liquid(const std::vector<double>& wt, const std::vector<double>& b,
                const std::vector<double>& w, const std::vector<std::uint8_t>& present, double c,
                double slope, double lo, double hi, std::vector<double>& out,
                bool allow_avx2 = true) {
  col::yuma3_liquid_column<emit>(wt.data(), b.data(), wt.data(), b.data(), c, slope, lo, hi,
                                 w.data(), present.data(), out.data(),
                                 static_cast<Eigen::Index>(wt.size()), allow_avx2);
}

}  // namespace

TEST_CASE("four interleaved packet exps equal one-packet exps bit for bit", "[kernel][columns]") {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> x_of(-20.0, 20.0);
  using P = col::Packet;
  for (int t = 0; t < 20000; ++t) {
    double in[4 * col::kLanes];
    for (double& x : in) x = t % 7 == 0 ? std::round(x_of(rng)) : x_of(rng);
    P x[4], e[4];
    for (int q = 0; q < 4; ++q) x[q] = Eigen::internal::ploadu<P>(in + q * col::kLanes);
    col::exp_packet4(x, e);
    for (int q = 0; q < 4; ++q) {
      double got[col::kLanes], want[col::kLanes];
      Eigen::internal::pstoreu(got, e[q]);
      Eigen::internal::pstoreu(want, col::exp_packet(x[q]));
      for (Eigen::Index l = 0; l < col::kLanes; ++l) REQUIRE(bits(got[l]) == bits(want[l]));
    }
  }
}

TEST_CASE("liquid-alpha column masks the entries the chain does not emit", "[kernel][columns]") {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int t = 0; t < 3000; ++t) {
    const std::size_t n = 1 + rng() % 40;  // every loop: 4 packets, 1 packet, scalar tail
    std::vector<double> wt(n), b(n), w(n), out(n);
    std::vector<std::uint8_t> present(n);
    for (std::size_t i = 0; i < n; ++i) {
      present[i] = rng() % 3 != 0;
      w[i] = rng() % 4 == 0 ? 0.0 : unit(rng);
      wt[i] = rng() % 4 == 0 ? 0.0 : w[i] * unit(rng);
      b[i] = rng() % 3 == 0 ? 0.0 : unit(rng);
    }
    const double c = rng() % 4 == 0 ? 0.0 : unit(rng);
    const double slope = -10.0 * unit(rng) * 2.0, lo = 0.5 * unit(rng), hi = lo + 0.4;
    for (col::Emit emit :
         {col::Emit::kTildePositive, col::Emit::kPresent, col::Emit::kPresentUnclipped}) {
      if (emit == col::Emit::kTildePositive)
        run_liquid<col::Emit::kTildePositive>(wt, b, w, present, c, slope, lo, hi, out);
      else if (emit == col::Emit::kPresent)
        run_liquid<col::Emit::kPresent>(wt, b, w, present, c, slope, lo, hi, out);
      else
        run_liquid<col::Emit::kPresentUnclipped>(wt, b, w, present, c, slope, lo, hi, out);
      for (std::size_t i = 0; i < n; ++i) {
        const double want =
            liquid_entry(wt[i], b[i], wt[i], b[i], w[i], present[i], c, slope, lo, hi, emit);
        INFO("trial " << t << " n " << n << " entry " << i << " emit " << static_cast<int>(emit));
        if (want == 0.0) {
          REQUIRE(out[i] == 0.0);
        } else {
          // The vector exp differs from std::exp by a few ulp; the masks must match exactly.
          REQUIRE(std::fabs(out[i] - want) <= 1e-14);
        }
      }
    }
  }
}

TEST_CASE("liquid-alpha column: the AVX2 path gives the SSE2 path's bits", "[kernel][columns]") {
  std::mt19937_64 rng(13);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int t = 0; t < 3000; ++t) {
    const std::size_t n = 1 + rng() % 70;
    std::vector<double> wt(n), b(n), w(n), fast(n), portable(n);
    std::vector<std::uint8_t> present(n);
    for (std::size_t i = 0; i < n; ++i) {
      present[i] = rng() % 3 != 0;
      w[i] = rng() % 4 == 0 ? 0.0 : unit(rng);
      wt[i] = rng() % 4 == 0 ? 0.0 : w[i] * unit(rng);
      b[i] = rng() % 3 == 0 ? 0.0 : unit(rng);
    }
    const double c = rng() % 4 == 0 ? 0.0 : unit(rng);
    const double slope = (unit(rng) - 0.5) * 40.0, lo = 0.5 * unit(rng), hi = lo + 0.4;
    run_liquid<col::Emit::kTildePositive>(wt, b, w, present, c, slope, lo, hi, fast, true);
    run_liquid<col::Emit::kTildePositive>(wt, b, w, present, c, slope, lo, hi, portable, false);
    for (std::size_t i = 0; i < n; ++i) REQUIRE(bits(fast[i]) == bits(portable[i]));
    run_liquid<col::Emit::kPresentUnclipped>(wt, b, w, present, c, slope, lo, hi, fast, true);
    run_liquid<col::Emit::kPresentUnclipped>(wt, b, w, present, c, slope, lo, hi, portable, false);
    for (std::size_t i = 0; i < n; ++i) REQUIRE(bits(fast[i]) == bits(portable[i]));
    run_liquid<col::Emit::kPresent>(wt, b, w, present, c, slope, lo, hi, fast, true);
    run_liquid<col::Emit::kPresent>(wt, b, w, present, c, slope, lo, hi, portable, false);
    for (std::size_t i = 0; i < n; ++i) REQUIRE(bits(fast[i]) == bits(portable[i]));
  }
}

TEST_CASE("classic and fixed-alpha columns: the AVX2 path gives the SSE2 path's bits",
          "[kernel][columns]") {
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int t = 0; t < 3000; ++t) {
    const std::size_t n = 1 + rng() % 70;
    std::vector<double> a(n), wt(n), b(n);
    for (std::size_t i = 0; i < n; ++i) {
      a[i] = rng() % 4 == 0 ? 0.0 : unit(rng);
      wt[i] = rng() % 4 == 0 ? 0.0 : unit(rng);
      b[i] = rng() % 3 == 0 ? 0.0 : static_cast<double>(rng() % 65536);
    }
    double s_delta = 0.0, s_tilde = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      s_delta += a[i] * wt[i];
      s_tilde += wt[i];
    }
    const double ema = unit(rng), inc = unit(rng);
    const auto m = static_cast<Eigen::Index>(n);
    for (bool with_delta : {true, false}) {
      std::vector<double> out1(n), out2(n), delta1(n), delta2(n), d1(n, 0.5), d2(n, 0.5);
      if (with_delta) {
        col::classic_column<true>(a.data(), wt.data(), b.data(), s_delta, ema, inc, out1.data(),
                                  delta1.data(), d1.data(), m, true);
        col::classic_column<true>(a.data(), wt.data(), b.data(), s_delta, ema, inc, out2.data(),
                                  delta2.data(), d2.data(), m, false);
      } else {
        col::classic_column<false>(a.data(), wt.data(), b.data(), s_delta, ema, inc, out1.data(),
                                   nullptr, d1.data(), m, true);
        col::classic_column<false>(a.data(), wt.data(), b.data(), s_delta, ema, inc, out2.data(),
                                   nullptr, d2.data(), m, false);
      }
      for (std::size_t i = 0; i < n; ++i) {
        REQUIRE(bits(out1[i]) == bits(out2[i]));
        REQUIRE(bits(d1[i]) == bits(d2[i]));
        REQUIRE(bits(delta1[i]) == bits(delta2[i]));
      }
    }
    std::vector<double> out1(n), out2(n), d1(n, 0.25), d2(n, 0.25);
    col::yuma3_fixed_column(wt.data(), b.data(), s_tilde, ema, inc, out1.data(), d1.data(), m,
                            true);
    col::yuma3_fixed_column(wt.data(), b.data(), s_tilde, ema, inc, out2.data(), d2.data(), m,
                            false);
    for (std::size_t i = 0; i < n; ++i) {
      REQUIRE(bits(out1[i]) == bits(out2[i]));
      REQUIRE(bits(d1[i]) == bits(d2[i]));
    }
  }
}

TEST_CASE("clip column: the AVX2 path gives the SSE2 path's bits, sums included",
          "[kernel][columns]") {
  std::mt19937_64 rng(19);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int t = 0; t < 3000; ++t) {
    const std::size_t n = 1 + rng() % 70;
    std::vector<double> w(n), a(n);
    for (std::size_t i = 0; i < n; ++i) {
      w[i] = rng() % 4 == 0 ? 0.0 : unit(rng);
      a[i] = rng() % 4 == 0 ? 0.0 : unit(rng);
    }
    const double c = rng() % 4 == 0 ? 0.0 : unit(rng), beta = unit(rng);
    const auto m = static_cast<Eigen::Index>(n);
    auto check = [&](auto clip) {
      std::vector<double> vt1(n, 0.125), vt2(n, 0.125), wt1(n), wt2(n);
      const col::ClipSums s1 = clip(vt1.data(), wt1.data(), true);
      const col::ClipSums s2 = clip(vt2.data(), wt2.data(), false);
      REQUIRE(bits(s1.rank) == bits(s2.rank));
      REQUIRE(bits(s1.a_tilde) == bits(s2.a_tilde));
      REQUIRE(bits(s1.tilde) == bits(s2.tilde));
      for (std::size_t i = 0; i < n; ++i) {
        REQUIRE(bits(vt1[i]) == bits(vt2[i]));
        REQUIRE(bits(wt1[i]) == bits(wt2[i]));
      }
    };
    check([&](double* vt, double* wt, bool avx) {
      return col::clip_column<col::Clip::kNone>(w.data(), c, beta, a.data(), vt, wt, m, avx);
    });
    check([&](double* vt, double* wt, bool avx) {
      return col::clip_column<col::Clip::kBeta1>(w.data(), c, beta, a.data(), vt, wt, m, avx);
    });
    check([&](double* vt, double* wt, bool avx) {
      return col::clip_column<col::Clip::kBeta0>(w.data(), c, beta, a.data(), vt, wt, m, avx);
    });
    check([&](double* vt, double* wt, bool avx) {
      return col::clip_column<col::Clip::kMix>(w.data(), c, beta, a.data(), vt, wt, m, avx);
    });
  }
}

TEST_CASE("column sum keeps its lane layout, element-wise column loops are exact",
          "[kernel][columns]") {
  std::mt19937_64 rng(23);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int t = 0; t < 5000; ++t) {
    const std::size_t n = 1 + rng() % 70;
    std::vector<double> x(n), s(n), acc(n), out(n);
    for (std::size_t i = 0; i < n; ++i) {
      x[i] = unit(rng) * static_cast<double>(1 + rng() % 65536);
      s[i] = unit(rng);
      acc[i] = unit(rng);
    }
    // The two-packet layout psum documents: lanes i % 4 in {0, 1} and {2, 3}, a trailing
    // packet into the first, the two added lane-wise, then the lanes, then the scalar tail.
    double a0 = 0.0, a1 = 0.0, b0 = 0.0, b1 = 0.0;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
      a0 += x[i];
      a1 += x[i + 1];
      b0 += x[i + 2];
      b1 += x[i + 3];
    }
    if (i + 2 <= n) {
      a0 += x[i];
      a1 += x[i + 1];
      i += 2;
    }
    double want = (a0 + b0) + (a1 + b1);
    for (; i < n; ++i) want += x[i];
    REQUIRE(bits(col::psum(x.data(), static_cast<Eigen::Index>(n))) == bits(want));
    std::vector<double> acc2 = acc;
    col::mul_column(x.data(), s.data(), out.data(), static_cast<Eigen::Index>(n));
    col::add_column(acc2.data(), x.data(), static_cast<Eigen::Index>(n));
    for (std::size_t k = 0; k < n; ++k) {
      REQUIRE(bits(out[k]) == bits(x[k] * s[k]));
      REQUIRE(bits(acc2[k]) == bits(acc[k] + x[k]));
    }
  }
}
