// The token price process (constant, GBM, path, shocks) and the CSV path reader.
#include "subnetsim/economics/price.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "subnetsim/economics/price_csv.hpp"

using subnetsim::config::MarketConfig;
using subnetsim::config::PriceModel;
using subnetsim::core::make_rng;
using subnetsim::economics::parse_price_path_csv;
using subnetsim::economics::PriceProcess;
using subnetsim::economics::read_price_path_csv;

namespace {
MarketConfig gbm(double mu, double sigma, std::uint64_t every) {
  MarketConfig m;
  m.model = PriceModel::kGbm;
  m.initial_usd = 300.0;
  m.drift_per_year = mu;
  m.volatility_per_year = sigma;
  m.update_every_blocks = every;
  return m;
}
}  // namespace

TEST_CASE("constant price and multiplicative shocks", "[economics]") {
  MarketConfig m;
  m.initial_usd = 250.0;
  PriceProcess p(m, 12.0, make_rng(1, "market", 0, "price"));
  CHECK(p.usd_at(0) == 250.0);
  CHECK(p.usd_at(1'000'000) == 250.0);
  p.apply_shock(1'000'000, 0.5);
  CHECK(p.usd_at(1'000'000) == 125.0);
  CHECK(p.usd_at(2'000'000) == 125.0);
  CHECK_THROWS_AS(p.usd_at(5), std::logic_error);  // time only moves forward
  CHECK_THROWS_AS(p.apply_shock(3'000'000, -1.0), std::logic_error);
}

TEST_CASE("path: linear between points, flat outside, shocks scale later values", "[economics]") {
  MarketConfig m;
  m.model = PriceModel::kPath;
  m.path = {{100, 10.0}, {200, 20.0}, {400, 0.0}};
  PriceProcess p(m, 12.0, make_rng(1, "market", 0, "price"));
  CHECK(p.usd_at(0) == 10.0);
  CHECK(p.usd_at(100) == 10.0);
  CHECK(p.usd_at(150) == 15.0);
  CHECK(p.usd_at(199) == Approx(19.9));
  CHECK(p.usd_at(200) == 20.0);
  CHECK(p.usd_at(300) == 10.0);
  p.apply_shock(300, 2.0);
  CHECK(p.usd_at(300) == 20.0);
  CHECK(p.usd_at(350) == 10.0);
  CHECK(p.usd_at(10'000) == 0.0);

  m.path.clear();  // no points: the initial price
  PriceProcess q(m, 12.0, make_rng(1, "market", 0, "price"));
  CHECK(q.usd_at(7) == m.initial_usd);
}

TEST_CASE("GBM: steps every N blocks, same seed same path, whatever the query blocks",
          "[economics]") {
  const MarketConfig m = gbm(0.1, 0.8, 300);
  PriceProcess a(m, 12.0, make_rng(42, "market", 0, "price"));
  PriceProcess b(m, 12.0, make_rng(42, "market", 0, "price"));
  PriceProcess c(m, 12.0, make_rng(43, "market", 0, "price"));
  CHECK(a.usd_at(0) == 300.0);
  CHECK(a.usd_at(299) == 300.0);  // no step before block 300
  const double at300 = a.usd_at(300);
  CHECK(at300 != 300.0);
  CHECK(a.usd_at(599) == at300);
  // b jumps straight to block 90'000; a walks there in odd strides. Bit-identical.
  const double direct = b.usd_at(90'000);
  for (std::uint64_t blk = 600; blk < 90'000; blk += 7) a.usd_at(blk);
  CHECK(a.usd_at(90'000) == direct);
  CHECK(a.gbm_steps() == 300);
  CHECK(c.usd_at(90'000) != direct);
  CHECK(direct > 0.0);
}

TEST_CASE("GBM: zero volatility grows at the drift, log-returns have the stated moments",
          "[economics]") {
  // sigma = 0: S after one year of steps is S0 * exp(mu) (up to rounding of the steps).
  const std::uint64_t per_year = 2'629'800;  // 365.25 days of 12 s blocks
  PriceProcess flat(gbm(0.05, 0.0, 100), 12.0, make_rng(1, "market", 0, "price"));
  CHECK(flat.usd_at(per_year) == Approx(300.0 * std::exp(0.05)).epsilon(1e-9));

  // sigma = 0.6, one step per day, 20 years: mean and variance of the log-returns per step.
  const double sigma = 0.6, mu = 0.2;
  const std::uint64_t every = 7200;
  PriceProcess p(gbm(mu, sigma, every), 12.0, make_rng(9, "market", 0, "price"));
  const double dt = every * 12.0 / (365.25 * 86400.0);
  const int steps = 7300;
  double prev = p.usd_at(0), sum = 0, sum_sq = 0;
  for (int i = 1; i <= steps; ++i) {
    const double now = p.usd_at(static_cast<std::uint64_t>(i) * every);
    const double r = std::log(now / prev);
    sum += r;
    sum_sq += r * r;
    prev = now;
  }
  const double mean = sum / steps;
  const double var = sum_sq / steps - mean * mean;
  CHECK(mean == Approx((mu - sigma * sigma / 2) * dt).margin(4 * sigma * std::sqrt(dt / steps)));
  CHECK(var == Approx(sigma * sigma * dt).epsilon(0.05));
}

TEST_CASE("GBM shock scales the level that later steps start from", "[economics]") {
  PriceProcess a(gbm(0.0, 0.5, 10), 12.0, make_rng(5, "market", 0, "price"));
  PriceProcess b(gbm(0.0, 0.5, 10), 12.0, make_rng(5, "market", 0, "price"));
  a.apply_shock(55, 0.5);
  CHECK(a.usd_at(55) == Approx(b.usd_at(55) * 0.5));
  CHECK(a.usd_at(1000) == Approx(b.usd_at(1000) * 0.5));
}

TEST_CASE("price path CSV: header optional, blank lines and CRLF accepted", "[economics]") {
  auto r = parse_price_path_csv("block,usd\r\n0,300\r\n\r\n7200, 150.5\n14400,+0\n", "p.csv");
  REQUIRE(r.ok());
  REQUIRE(r.points.size() == 3);
  CHECK(r.points[1].block == 7200);
  CHECK(r.points[1].usd == 150.5);
  CHECK(r.points[2].usd == 0.0);
  r = parse_price_path_csv("10,1e2", "p.csv");
  REQUIRE(r.ok());
  CHECK(r.points[0].usd == 100.0);
  // A UTF-8 byte order mark before the header, as spreadsheets save it (it was refused with an
  // invisible character in the message).
  r = parse_price_path_csv("\xEF\xBB\xBF" "block,usd\n0,300\n", "p.csv");
  REQUIRE(r.ok());
  CHECK(r.points.size() == 1);
}

TEST_CASE("price path CSV: at most 200,000 points, so that the resolved scenario loads again",
          "[economics]") {
  std::string text = "block,usd\n";
  for (std::size_t k = 0; k < subnetsim::economics::kMaxPricePoints; ++k)
    text += std::to_string(k * 10) + ",300\n";
  REQUIRE(parse_price_path_csv(text, "p.csv").ok());
  text += "9999999,300\n";
  CHECK(parse_price_path_csv(text, "p.csv").error ==
        "p.csv:200002: more than 200000 price points: resolved_scenario.json holds every one and "
        "must load again; give a coarser path (it is linear between its points)");
}

TEST_CASE("price path CSV errors name the file, the line and what was wrong", "[economics]") {
  CHECK(parse_price_path_csv("block,usd\n0,300\n5,-3\n", "p.csv").error ==
        "p.csv:3: usd must be a number in [0, 1e+09], got \"-3\"");
  CHECK(parse_price_path_csv("0,300\n1.5,2\n", "p.csv").error ==
        "p.csv:2: block must be a whole number >= 0, got \"1.5\"");
  CHECK(parse_price_path_csv("0,300\n10\n", "p.csv").error ==
        "p.csv:2: expected two fields \"block,usd\", got \"10\"");
  CHECK(parse_price_path_csv("0,300,1\n", "p.csv").error ==
        "p.csv:1: expected two fields \"block,usd\", got \"0,300,1\"");
  CHECK(parse_price_path_csv("0,300\n0,200\n", "p.csv").error ==
        "p.csv:2: block must be greater than the previous line's (0), got 0");
  CHECK(parse_price_path_csv("0,abc\n", "p.csv").error ==
        "p.csv:1: usd must be a number in [0, 1e+09], got \"abc\"");
  CHECK(parse_price_path_csv("0,nan\n", "p.csv").error ==
        "p.csv:1: usd must be a number in [0, 1e+09], got \"nan\"");
  // The same range as an inline path's usd (it passed 1e300 before).
  CHECK(parse_price_path_csv("0,300\n5,1e10\n", "p.csv").error ==
        "p.csv:2: usd must be a number in [0, 1e+09], got \"1e10\"");
  CHECK(parse_price_path_csv("0,1e9\n", "p.csv").ok());
  CHECK(parse_price_path_csv("usd,block\n300,0\n", "p.csv").error ==
        "p.csv:1: expected the header \"block,usd\" or a first price point, got \"usd,block\"");
  CHECK(parse_price_path_csv("time,price\n0,300\n", "p.csv").error ==
        "p.csv:1: expected the header \"block,usd\" or a first price point, got \"time,price\"");
  CHECK(parse_price_path_csv("block,usd\n\n", "p.csv").error ==
        "p.csv: no price points (expected lines \"block,usd\")");
  CHECK(parse_price_path_csv("", "p.csv").points.empty());
  CHECK(!parse_price_path_csv("", "p.csv").ok());
}

TEST_CASE("price path CSV from a file, a missing file is an error, not an exception",
          "[economics]") {
  namespace fs = std::filesystem;
  const fs::path file = fs::temp_directory_path() / "subnetsim-test-price-path.csv";
  {
    std::ofstream out(file);
    out << "block,usd\n0,300\n100,330\n";
  }
  auto r = read_price_path_csv(file.string(), "prices.csv");
  REQUIRE(r.ok());
  CHECK(r.points.size() == 2);
  fs::remove(file);
  r = read_price_path_csv(file.string(), "prices.csv");
  CHECK(r.error == "prices.csv: cannot open the price path file");
  CHECK(read_price_path_csv("/nonexistent/x.csv").error ==
        "/nonexistent/x.csv: cannot open the price path file");
}
