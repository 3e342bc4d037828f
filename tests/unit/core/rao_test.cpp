// Rao scaled by a scenario's decimal: the decimal as written, to the rao.
#include "subnetsim/core/rao.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>

using subnetsim::core::Rao;
using subnetsim::core::scale_by_decimal;

TEST_CASE("scale_by_decimal reads the factor as the decimal it was written as") {
  // 0.7 is the double 0.69999999999999996: multiplied as a double and floored, 3,000 TAO came
  // out 2,099.999999999 (found by a review of the script's stake_shock and move_stake).
  CHECK(scale_by_decimal(Rao::from_tao(3000), 0.7) == Rao::from_tao(2100));
  CHECK(scale_by_decimal(Rao::from_tao(3000), 0.29) == Rao::from_tao(870));
  CHECK(scale_by_decimal(Rao(1000), 0.1234567894) == Rao(123));
  CHECK(scale_by_decimal(Rao(10'000'000'000ULL), 0.1234567894) == Rao(1'234'567'894));
  CHECK(scale_by_decimal(Rao(7), 1.0) == Rao(7));
  CHECK(scale_by_decimal(Rao(7), 2.5) == Rao(17));  // 17.5, floored
  CHECK(scale_by_decimal(Rao(3), 1e6) == Rao(3'000'000));
  CHECK(scale_by_decimal(Rao(123'456'789), 1e-5) == Rao(1'234));  // 1234.56789
  CHECK(scale_by_decimal(Rao(1'000'000'000'000'000'000ULL), 1e-18) == Rao(1));
  CHECK(scale_by_decimal(Rao(1'000'000'000'000'000'000ULL), 4e-19) ==
        Rao(0));  // rounds to 0 on the 1e-18 grid
  CHECK(scale_by_decimal(Rao(5), 0.0) == Rao(0));
  CHECK(scale_by_decimal(Rao(5), -1.0) == Rao(0));
  CHECK(scale_by_decimal(Rao(5), std::nan("")) == Rao(0));
  CHECK(scale_by_decimal(Rao(0), 1e6) == Rao(0));
  CHECK_THROWS_AS(scale_by_decimal(Rao(std::numeric_limits<std::uint64_t>::max()), 2.0),
                  std::overflow_error);
  CHECK_THROWS_AS(scale_by_decimal(Rao(1), std::numeric_limits<double>::infinity()),
                  std::overflow_error);
}

TEST_CASE("from_tao holds amounts beyond 2^63 rao, up to the largest supply a scenario may give") {
  // std::llround gave 2^63 rao for anything from about 9.22e9 TAO on: a total supply of 1e10 TAO
  // silently capped the issuance there.
  CHECK(subnetsim::core::Rao::from_tao(1e10).raw() == 10'000'000'000'000'000'000ULL);
  CHECK(subnetsim::core::Rao::from_tao(1.8e10).raw() == 18'000'000'000'000'000'000ULL);
  CHECK(subnetsim::core::Rao::from_tao(0.5e-9).raw() == 1);  // half a rao rounds up, as before
}

TEST_CASE("format_tao_exact shows every rao, format_tao four decimals") {
  using subnetsim::core::Rao;
  CHECK(subnetsim::core::format_tao(Rao(500'000'010)) == "0.5 TAO");
  // Not "0 TAO" for a stake that is not 0 (found by a scale review): to the rao below 0.00005.
  CHECK(subnetsim::core::format_tao(Rao(32'000)) == "0.000032 TAO");
  CHECK(subnetsim::core::format_tao(Rao(50'000)) == "0.0001 TAO");
  CHECK(subnetsim::core::format_tao(Rao(0)) == "0 TAO");
  CHECK(subnetsim::core::format_tao_exact(Rao(500'000'010)) == "0.50000001 TAO");
  CHECK(subnetsim::core::format_tao_exact(Rao(1'234'000'000'001)) == "1,234.000000001 TAO");
  CHECK(subnetsim::core::format_tao_exact(Rao(2'000'000'000)) == "2 TAO");
  CHECK(subnetsim::core::format_tao_exact(Rao(0)) == "0 TAO");
}

TEST_CASE("mul_div is the 128-bit floor(a * b / c), its low 64 bits when it does not fit") {
  using subnetsim::core::mul_div;
  using subnetsim::core::U128;
  auto reference = [](std::uint64_t a, std::uint64_t b, U128 c) {
    return static_cast<std::uint64_t>(static_cast<U128>(a) * b / c);
  };
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  // The edges of the one-instruction path: the quotient just fitting, just not, c = 1, c past 64
  // bits, a or b zero.
  const std::uint64_t edges[][3] = {{max, max, max},       {max, max - 1, max}, {max, max, max - 1},
                                    {max, 2, 2},           {max, 3, 2},         {1ULL << 63, 2, 1},
                                    {12345, 678, 1},       {0, max, 7},         {max, 0, 7},
                                    {1000000000, 18, 100}, {7, 1, 128},         {max / 3, 3, max}};
  for (const auto& e : edges) {
    INFO(e[0] << " * " << e[1] << " / " << e[2]);
    CHECK(mul_div(e[0], e[1], e[2]) == reference(e[0], e[1], e[2]));
  }
  const U128 wide = (static_cast<U128>(5) << 64) + 3;
  CHECK(mul_div(max, max, wide) == reference(max, max, wide));
  std::uint64_t state = 0x6d756c646976ULL;
  auto next = [&state] {  // SplitMix64
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  for (int k = 0; k < 100000; ++k) {
    const std::uint64_t a = next() >> (next() % 64), b = next() >> (next() % 64);
    // Mostly shares (b <= c), some quotients past 64 bits, some divisors past 64 bits.
    U128 c = k % 5 == 0 ? (next() >> (next() % 64)) + 1 : b + (next() >> (next() % 64)) + 1;
    if (k % 17 == 0) c = (static_cast<U128>(next() % 9 + 1) << 64) + next();
    INFO(a << " * " << b << " / (" << static_cast<std::uint64_t>(c >> 64) << " << 64 | "
           << static_cast<std::uint64_t>(c) << ")");
    REQUIRE(mul_div(a, b, c) == reference(a, b, c));
  }
}
