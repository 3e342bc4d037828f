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
  CHECK(subnetsim::core::format_tao_exact(Rao(500'000'010)) == "0.50000001 TAO");
  CHECK(subnetsim::core::format_tao_exact(Rao(1'234'000'000'001)) == "1,234.000000001 TAO");
  CHECK(subnetsim::core::format_tao_exact(Rao(2'000'000'000)) == "2 TAO");
  CHECK(subnetsim::core::format_tao_exact(Rao(0)) == "0 TAO");
}
