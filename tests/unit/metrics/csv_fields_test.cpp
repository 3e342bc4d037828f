// The field forms every CSV of a run uses: real numbers always look real (so pandas gives a
// column one dtype whatever the run), rao as TAO to the rao, text quoted only when it must be.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "subnetsim/metrics/csv_file.hpp"

using subnetsim::metrics::csv_field;
using subnetsim::metrics::csv_number;
using subnetsim::metrics::csv_tao;

TEST_CASE("csv_number: %.9g, a whole number with a decimal point, NaN empty") {
  // Once failed: 0 and 300 were written "0" and "300", and a price or share column that held
  // only whole numbers in one run was read as int64 there and as float64 elsewhere.
  CHECK(csv_number(0.0) == "0.0");
  CHECK(csv_number(-0.0) == "-0.0");
  CHECK(csv_number(300.0) == "300.0");
  CHECK(csv_number(0.25) == "0.25");
  CHECK(csv_number(1.0 / 3.0) == "0.333333333");
  CHECK(csv_number(1e-5) == "1e-05");
  CHECK(csv_number(1e12) == "1e+12");
  CHECK(csv_number(std::numeric_limits<double>::infinity()) == "inf");
  CHECK(csv_number(std::nan("")).empty());
}

TEST_CASE("csv_tao and csv_field") {
  CHECK(csv_tao(0) == "0.000000000");
  CHECK(csv_tao(1'500'000'001ULL) == "1.500000001");
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
}
