#include <catch2/catch.hpp>

#include "subnetsim/metrics/concentration.hpp"

using namespace subnetsim::metrics;

TEST_CASE("gini: equal shares 0, one holder (n-1)/n, a known mixed case") {
  CHECK(gini({5, 5, 5, 5}) == 0.0);
  CHECK(gini({0, 0, 0, 10}) == Approx(0.75));
  // 1,2,3,4: sum (2i-n-1)x = -3*1 -1*2 +1*3 +3*4 = 10; 10 / (4*10) = 0.25
  CHECK(gini({4, 1, 3, 2}) == Approx(0.25));
  CHECK(gini({}) == 0.0);
  CHECK(gini({0, 0}) == 0.0);
}

TEST_CASE("top share: the top ceil(k n) participants, at least one") {
  std::vector<double> x(100, 1.0);
  x[7] = 101.0;  // total 200
  CHECK(top_share(x, 0.05) == Approx((101.0 + 4.0) / 200.0));
  CHECK(top_share(x, 0.001) == Approx(101.0 / 200.0));
  CHECK(top_share({1, 1, 2}, 1.0) == Approx(1.0));
  CHECK(top_share({0, 0}, 0.5) == 0.0);
}

TEST_CASE("nakamoto: fewest holders of more than half") {
  CHECK(nakamoto({50, 30, 20}) == 2u);  // 50 is exactly half: not more
  CHECK(nakamoto({51, 30, 19}) == 1u);
  CHECK(nakamoto({1, 1, 1, 1}) == 3u);
  CHECK(nakamoto({0, 0}) == 0u);
}
