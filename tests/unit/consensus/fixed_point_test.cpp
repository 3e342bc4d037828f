// The I32F32 operations of fixed_point.hpp against hand-computed raw values (spec §1).
#include "subnetsim/consensus/fixed_point.hpp"

#include <catch2/catch.hpp>
#include <vector>

namespace fx = subnetsim::consensus::fixed;
using fx::Raw;

namespace {
// SplitMix64: deterministic operands of every magnitude for the randomised checks.
struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t operator()() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
};
}  // namespace

TEST_CASE("multiplication floors toward minus infinity", "[consensus][fixed]") {
  CHECK(fx::mul(fx::kOne, fx::kOne) == fx::kOne);
  CHECK(fx::mul(3, fx::kHalf) == 1);    // 1.5 raw -> 1
  CHECK(fx::mul(-3, fx::kHalf) == -2);  // -1.5 raw -> -2 (arithmetic shift)
  CHECK(fx::mul(fx::kMax, fx::from_int(2)) == fx::kMax);
  CHECK(fx::mul(fx::kMax, fx::from_int(-2)) == fx::kMin);
  Raw out = 0;
  CHECK_FALSE(fx::checked_mul(fx::kMax, fx::from_int(2), out));
}

TEST_CASE("sat_add, sat_sub and mul equal saturate() of the exact i128 result",
          "[consensus][fixed]") {
  SplitMix64 next{0xA4093822299F31D0ull};
  const Raw edges[] = {0,
                       1,
                       -1,
                       fx::kOne,
                       -fx::kOne,
                       fx::kMax,
                       fx::kMin,
                       fx::kMax - 1,
                       fx::kMin + 1,
                       Raw{1} << 47,
                       -(Raw{1} << 47),
                       (Raw{1} << 47) - 1,
                       fx::kMin >> 16};
  auto value = [&](int k) {
    if (k % 4 == 0) return edges[next() % std::size(edges)];
    return static_cast<Raw>(next()) >> (next() % 64);  // every magnitude, both signs
  };
  for (int k = 0; k < 200000; ++k) {
    const Raw a = value(k), b = value(k + 1 + static_cast<int>(next() % 3));
    INFO("a " << a << " b " << b);
    REQUIRE(fx::sat_add(a, b) == fx::saturate(fx::I128{a} + b));
    REQUIRE(fx::sat_sub(a, b) == fx::saturate(fx::I128{a} - b));
    REQUIRE(fx::mul(a, b) == fx::saturate((fx::I128{a} * b) >> fx::kFracBits));
  }
  // Products at the edges of the range: p >> 32 = kMax, kMax + 1, kMin, kMin - 1.
  CHECK(fx::mul(fx::kMax, fx::kOne) == fx::kMax);          // x * 1 = x, no saturation
  CHECK(fx::mul(fx::kMax, fx::kOne + 1) == fx::kMax);      // just over: saturates
  CHECK(fx::mul(Raw{1} << 48, Raw{1} << 47) == fx::kMax);  // 2^95 >> 32 = 2^63: saturates
  CHECK(fx::mul(Raw{1} << 48, (Raw{1} << 47) - 1) == fx::kMax - ((Raw{1} << 16) - 1));
  CHECK(fx::mul(-(Raw{1} << 48), Raw{1} << 47) == fx::kMin);  // exactly -2^63: fits
  CHECK(fx::mul(-(Raw{1} << 48), (Raw{1} << 47) + 1) == fx::kMin);
}

TEST_CASE("division truncates toward zero, safe_div gives 0 on zero or overflow",
          "[consensus][fixed]") {
  CHECK(fx::safe_div(fx::kOne, fx::from_int(3)) == 1431655765);    // floor(2^32 / 3)
  CHECK(fx::safe_div(-fx::kOne, fx::from_int(3)) == -1431655765);  // toward zero, not floor
  CHECK(fx::safe_div(fx::kOne, 0) == 0);
  CHECK(fx::safe_div(fx::kMax, 1) == 0);  // overflow -> 0
  CHECK(fx::sat_div(fx::kMax, 1) == fx::kMax);
  // The 64-bit fast path agrees with the 128-bit one.
  for (Raw a : {Raw{0}, Raw{1}, Raw{12345678}, fx::kOne - 1})
    for (Raw b : {Raw{1}, Raw{7}, fx::kOne, fx::from_int(3), Raw{99999999999}}) {
      const fx::I128 q = (fx::I128{a} * fx::kOne) / b;
      const Raw expect = q > fx::kMax ? 0 : static_cast<Raw>(q);
      CHECK(fx::safe_div(a, b) == expect);
    }
}

TEST_CASE("conversions: from_f64 ties to even, to_u16 floors and clamps", "[consensus][fixed]") {
  CHECK(fx::from_f64(0.5) == fx::kHalf);
  CHECK(fx::from_f64(1.5 / 4294967296.0) == 2);  // 1.5 raw -> 2 (even)
  CHECK(fx::from_f64(2.5 / 4294967296.0) == 2);  // 2.5 raw -> 2 (even)
  CHECK(fx::from_f32(0.1f) == 429496736);        // the f32 value of 0.1, not 0.1
  CHECK(fx::to_u16(fx::from_int(70000)) == 65535);
  CHECK(fx::to_u16(-fx::kOne) == 0);
  CHECK(fx::to_u64(fx::kOne + fx::kHalf) == 1);
}

TEST_CASE("round is nearest with ties away from zero", "[consensus][fixed]") {
  CHECK(fx::round(fx::kOne + fx::kHalf) == fx::from_int(2));
  CHECK(fx::round(fx::kHalf) == fx::kOne);
  CHECK(fx::round(-fx::kOne - fx::kHalf) == fx::from_int(-2));
  CHECK(fx::round(fx::kOne + fx::kHalf - 1) == fx::kOne);
}

TEST_CASE("u16 proportions and stored outputs", "[consensus][fixed]") {
  CHECK(fx::fixed_proportion_to_u16(fx::kOne) == 65535);
  CHECK(fx::fixed_proportion_to_u16(fx::kHalf) == 32767);
  CHECK(fx::u16_proportion_to_fixed(65535) == fx::kOne);
  CHECK(fx::u16_proportion_to_fixed(32767) == 2147450879);  // kappa raw (spec §1)
  CHECK(fx::ema_alpha_from_ppm(900000) == 429496730);       // spec §1
  CHECK(fx::ema_alpha_from_ppm(975000) == 107374183);
  CHECK(fx::stake_share(1, 3) == 1431655765);
}

TEST_CASE("exp: special cases and symmetry", "[consensus][fixed]") {
  Raw out = 0;
  REQUIRE(fx::exp(0, out));
  CHECK(out == fx::kOne);
  REQUIRE(fx::exp(fx::kOne, out));
  CHECK(out == (Raw{22802600} << 9));
  REQUIRE(fx::exp(fx::from_int(2), out));
  CHECK(fx::to_f64(out) == Approx(7.389056).epsilon(1e-6));
  CHECK(fx::exp_safe(fx::from_int(-100)) == fx::exp_safe(fx::from_int(-20)));
  CHECK_FALSE(fx::exp(fx::from_int(30), out));  // e^30 does not fit I32F32
  CHECK(fx::safe_exp(fx::from_int(30)) == 0);
}

TEST_CASE("normalize leaves a zero vector alone", "[consensus][fixed]") {
  std::vector<Raw> zero{0, 0};
  fx::normalize(zero);
  CHECK(zero == std::vector<Raw>{0, 0});
  std::vector<Raw> v{fx::from_int(1), fx::from_int(2)};
  fx::normalize(v);
  CHECK(v[0] == 1431655765);
  CHECK(v[1] == 2863311530);
}

TEST_CASE("alpha_sigmoid of Yuma 3: fresh entry at consensus gets about alpha_low + 0.2/(1+e^5)",
          "[consensus][fixed]") {
  const Raw lo = fx::u16_proportion_to_fixed(6553), hi = fx::u16_proportion_to_fixed(19660);
  // weight == consensus, no bond: diff = 0 -> sigmoid(-10 * -0.5) = 1/(1+e^5).
  const Raw a = fx::alpha_sigmoid(fx::kOne, fx::kOne, 0, lo, hi, fx::from_int(1000));
  CHECK(fx::to_f64(a) == Approx(0.1 + 0.2 / (1 + 148.4131591)).margin(2e-5));
}

TEST_CASE("Divider is bit-identical to safe_div", "[consensus][fixed]") {
  SplitMix64 next{0x243F6A8885A308D3ull};
  for (int k = 0; k < 20000; ++k) {
    const int shift_b = static_cast<int>(next() % 63), shift_a = static_cast<int>(next() % 63);
    Raw b = static_cast<Raw>(next() >> (1 + shift_b));
    if (k % 3 == 0) b = (b >> 32) << 32;  // whole divisors take the other fast path
    const Raw a = static_cast<Raw>(next() >> (1 + shift_a)) * (k % 5 == 0 ? -1 : 1);
    const fx::Divider div(b);
    INFO("a " << a << " b " << b);
    REQUIRE(div(a) == fx::safe_div(a, b));
  }
  CHECK(fx::Divider(0)(fx::kOne) == 0);
  CHECK(fx::Divider(1)(fx::kOne - 1) == 0);  // overflow -> 0
}

TEST_CASE("ShareOf equals stake_share for shares of a total and any other stake",
          "[consensus][fixed]") {
  SplitMix64 next{0x13198A2E03707344ull};
  for (int k = 0; k < 2000; ++k) {
    // A total of 1 to 300 stakes of every magnitude, some equal, some zero.
    const std::size_t count = 1 + next() % 300;
    std::vector<std::uint64_t> stakes(count);
    fx::U128 total = 0;
    for (auto& s : stakes) {
      const int shift = static_cast<int>(next() % 64);
      s = next() % 7 == 0 ? 0 : next() >> shift;
      if (next() % 11 == 0) s = stakes[0];
      total += s;
    }
    const fx::ShareOf share_of(total);
    for (const std::uint64_t s : stakes) {
      INFO("s " << s << " count " << count);
      REQUIRE(share_of(s) == fx::stake_share(s, total));
    }
    // Stakes that are not part of the total (the division path).
    const std::uint64_t other = next();
    REQUIRE(share_of(other) == fx::stake_share(other, total));
  }
  // One staker, two equal ones, three, and those with a rao more elsewhere: quotients at or just
  // below an integer, which a double estimate of a large total misses from below or above about
  // one time in five.
  for (int k = 0; k < 2000; ++k) {
    const std::uint64_t s = next() | (std::uint64_t{1} << 62);
    for (int stakers = 1; stakers <= 3; ++stakers) {
      for (const std::uint64_t rest : {0, 1}) {  // one more rao: just below an integer
        const fx::U128 total = fx::U128{s} * static_cast<unsigned>(stakers) + rest;
        REQUIRE(fx::ShareOf(total)(s) == fx::stake_share(s, total));
      }
    }
  }
  // Quotients exactly at and just off integers: s/total = k/2^32 with total = 2^32 * m.
  for (std::uint64_t m : {1ull, 3ull, 1000003ull, 0xFFFFFFFFull}) {
    const fx::U128 total = fx::U128{m} << 32;
    const fx::ShareOf share_of(total);
    for (std::uint64_t s : {m, m - 1, m + 1, 2 * m, 5 * m - 1, m << 20, (m << 31) + 1, m << 32}) {
      if (fx::U128{s} > total) continue;
      REQUIRE(share_of(s) == fx::stake_share(s, total));
    }
  }
  CHECK(fx::ShareOf(0)(5) == 0);
  CHECK(fx::ShareOf(7)(7) == fx::kOne);
  const fx::U128 huge = fx::U128{1} << 100;  // beyond the fast path's range
  CHECK(fx::ShareOf(huge)(UINT64_MAX) == fx::stake_share(UINT64_MAX, huge));
}

TEST_CASE("ln follows substrate-fixed (log2 by squaring over a 23-bit log2(e))",
          "[consensus][fixed]") {
  Raw out = 0;
  CHECK_FALSE(fx::ln(0, out));
  CHECK(fx::safe_ln(0) == 0);
  REQUIRE(fx::ln(fx::kOne, out));
  CHECK(out == 0);
  REQUIRE(fx::ln(fx::from_int(10), out));
  CHECK(fx::to_f64(out) == Approx(2.30259).epsilon(1e-4));
  REQUIRE(fx::ln(fx::from_f64(0.00001), out));
  CHECK(fx::to_f64(out) == Approx(-11.5129).epsilon(1e-1));
  REQUIRE(fx::ln(fx::from_int(4), out));  // exact powers of two skip the squaring loop
  CHECK(out == fx::safe_div(fx::from_int(2), Raw{12102203} << 9));
}

TEST_CASE("safe_exp_batch and exp_safe_batch equal their scalar forms lane by lane",
          "[consensus][fixed]") {
  std::vector<Raw> x{0,
                     fx::kOne,
                     -fx::kOne,
                     fx::kMin,
                     fx::kMax,
                     fx::from_int(21),
                     fx::from_int(22),
                     fx::from_int(-22),
                     fx::from_int(-30),
                     1,
                     -1};
  for (int k = -2000; k <= 2000; k += 7) x.push_back(fx::from_f64(k / 100.0) + k);
  std::vector<Raw> out(x.size());
  fx::safe_exp_batch(x, out);
  for (std::size_t k = 0; k < x.size(); ++k) {
    INFO("x raw " << x[k]);
    CHECK(out[k] == fx::safe_exp(x[k]));
  }
  fx::exp_safe_batch(x, out);
  for (std::size_t k = 0; k < x.size(); ++k) {
    INFO("x raw " << x[k]);
    CHECK(out[k] == fx::exp_safe(x[k]));
  }
  // Four and eight lanes at the edge of the batch's unchecked range |x| <= 20, then past it.
  const Raw edge = fx::from_int(20);
  for (const std::vector<Raw>& lanes :
       {std::vector<Raw>{edge, -edge, edge - 1, 1 - edge},
        std::vector<Raw>{edge + 1, -edge, edge, -edge - 1},
        std::vector<Raw>{edge, -edge, edge - 1, 1 - edge, 1, -1, edge, 3},
        std::vector<Raw>{3, -edge, edge, -3, 5, 6, 7, edge + 1}}) {
    std::vector<Raw> got(lanes.size());
    fx::safe_exp_batch(lanes, got);
    for (std::size_t k = 0; k < lanes.size(); ++k) {
      INFO("x raw " << lanes[k]);
      CHECK(got[k] == fx::safe_exp(lanes[k]));
      CHECK(got[k] > 0);
    }
  }
}

TEST_CASE("1/b takes a 64-bit path with the same quotient", "[consensus][fixed]") {
  for (Raw b : {Raw{2}, Raw{3}, Raw{7}, fx::kOne - 1, fx::kOne, fx::kOne + 1, fx::from_int(3),
                fx::kMax, Raw{1} << 62}) {
    const fx::I128 q = (fx::I128{fx::kOne} * fx::kOne) / b;
    CHECK(fx::safe_div(fx::kOne, b) == (q > fx::kMax ? 0 : static_cast<Raw>(q)));
    CHECK(fx::sat_div(fx::kOne, b) == (q > fx::kMax ? fx::kMax : static_cast<Raw>(q)));
  }
}

TEST_CASE("u16 upscaling: the fast path for rows already at 65535 equals the general rule", "[fixed]") {
  // u16_max_upscale_to_u16 copies rows whose maximum is 65535 (or that are all 0); the general
  // fixed-point rule (max_upscale_to_u16 on the raw values) must give the same values.
  std::uint64_t state = 12345;
  auto next = [&] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL; };
  for (int t = 0; t < 2000; ++t) {
    std::vector<std::uint16_t> row(1 + next() % 64);
    for (auto& v : row) v = static_cast<std::uint16_t>(next() >> 48);
    if (t % 3 != 0) row[next() % row.size()] = 65535;  // the fast path
    if (t % 7 == 0) std::fill(row.begin(), row.end(), 0);
    std::vector<Raw> raw(row.size());
    for (std::size_t k = 0; k < row.size(); ++k) raw[k] = fx::u16_to_fixed(row[k]);
    std::vector<std::uint16_t> general(row.size()), fast(row.size());
    fx::max_upscale_to_u16(raw, general);
    fx::u16_max_upscale_to_u16(row, fast);
    REQUIRE(fast == general);
  }
}
