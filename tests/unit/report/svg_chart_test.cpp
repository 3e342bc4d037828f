#include "subnetsim/report/svg_chart.hpp"

#include <catch2/catch.hpp>

#include "report_test_support.hpp"
#include "subnetsim/core/rao.hpp"
#include "subnetsim/report/format.hpp"

using namespace subnetsim::report;
using report_test::count;

namespace {
// The points attribute of the n-th polyline.
std::string points(const std::string& svg, std::size_t n = 0) {
  auto at = svg.find("<polyline");
  for (std::size_t i = 0; i < n; ++i) at = svg.find("<polyline", at + 1);
  REQUIRE(at != std::string::npos);
  const auto start = svg.find("points=\"", at) + 8;
  return svg.substr(start, svg.find('"', start) - start);
}
}  // namespace

TEST_CASE("format: thousands separators, short numbers, percentages, escaping") {
  CHECK(group_digits(0) == "0");
  CHECK(group_digits(4812) == "4,812");
  CHECK(group_digits(1234567) == "1,234,567");
  CHECK(fmt_number(1250.5) == "1,250.5");
  CHECK(fmt_number(-3.0) == "-3");
  CHECK(fmt_number(0.004, 2) == "0");
  CHECK(fmt_short(0.1234) == "0.123");
  CHECK(fmt_short(0.00001234) == "0.0000123");
  CHECK(fmt_short(12345.6) == "12,346");
  CHECK(fmt_percent(0.1) == "10%");
  CHECK(fmt_percent(0.7126) == "71.3%");
  CHECK(fmt_percent(0.000069) == "0.0069%");
  CHECK(fmt_percent(0) == "0%");
  // Beside the bound it is judged against, a value never reads as that bound.
  CHECK(fmt_percent_apart(0.249712148, 0.25) == "24.97%");
  CHECK(fmt_percent_apart(0.248411535, 0.25) == "24.8%");
  CHECK(fmt_percent_apart(0.25, 0.25) == "25%");
  CHECK(fmt_short_apart(0.49996, 0.5) == "0.49996");
  CHECK(fmt_short_apart(0.197, 0.5) == "0.197");
  // TAO amounts round to 4 decimals (they were cut: 0.865972509 read 0.8659).
  CHECK(subnetsim::core::format_tao(subnetsim::core::Rao(865'972'509)) == "0.866 TAO");
  CHECK(subnetsim::core::format_tao(subnetsim::core::Rao(80'044'230'250'856)) == "80,044.2303 TAO");
  CHECK(subnetsim::core::format_tao(subnetsim::core::Rao(1'999'960'000)) == "2 TAO");
  CHECK(subnetsim::core::format_tao(subnetsim::core::Rao(1'999'940'000)) == "1.9999 TAO");
  CHECK(html_escape("a<b & \"c\">") == "a&lt;b &amp; &quot;c&quot;&gt;");
  // Parameter values in stories: at most 6 significant digits, integers whole, no separators.
  CHECK(fmt_param(0.49999237048905165) == "0.499992");
  CHECK(fmt_param(0.7000076295109483) == "0.700008");
  CHECK(fmt_param(0.6) == "0.6");
  CHECK(fmt_param(1500) == "1500");
  CHECK(fmt_param(21000000) == "21000000");
  CHECK(fmt_param(-0.123456789) == "-0.123457");
  CHECK(fmt_param(1234567.89) == "1234570");
  CHECK(fmt_param(0.00001234567) == "1.23457e-05");
  CHECK(shorten_numbers("/subnets/1/kappa 0.49999237048905165 -> 0.6") ==
        "/subnets/1/kappa 0.499992 -> 0.6");
  CHECK(shorten_numbers("alpha_high (0.9000076295109484) of subnet 1") ==
        "alpha_high (0.900008) of subnet 1");
  // Left alone: short numbers, integers, grouped digits, versions, numbers glued to words.
  CHECK(shorten_numbers("stake 1,020.5640453 TAO, x0.123456789, v0.1.0, spec §3.3, uid 12, 1.50") ==
        "stake 1,020.5640453 TAO, x0.123456789, v0.1.0, spec §3.3, uid 12, 1.50");
}

TEST_CASE("svg: nice ticks cover the range with 1-2-5 steps") {
  CHECK(nice_ticks(0, 10, 6) == std::vector<double>{0, 2, 4, 6, 8, 10});
  CHECK(nice_ticks(0, 7200, 8) == std::vector<double>{0, 2000, 4000, 6000, 8000});
  CHECK(nice_ticks(3, 97, 6) == std::vector<double>{0, 20, 40, 60, 80, 100});
  const auto unit = nice_ticks(0, 1, 6);
  REQUIRE(unit.size() == 6);
  CHECK(unit[3] == Approx(0.6));
  CHECK(nice_ticks(5, 5, 6).front() <= 5);
  CHECK(nice_ticks(5, 5, 6).back() >= 5);
  // A range tiny beside its magnitude still gets a few ticks around it.
  const auto tiny = nice_ticks(1e15, 1e15 + 1e-3, 6);
  REQUIRE_FALSE(tiny.empty());
  CHECK(tiny.size() <= 6);
  CHECK(tick_label(7200, 1000, 8000) == "7,200");
  CHECK(tick_label(0.25, 0.05, 0.3) == "0.25");
  CHECK(tick_label(2500000, 500000, 2500000) == "2.5M");
  CHECK(tick_label(250000, 50000, 250000) == "250k");
  // One axis, one style: 0, 50k, 100k, ... not 0, 50,000, 100k.
  const std::vector<double> axis = {0, 50000, 100000, 150000, 200000};
  CHECK(tick_extent(axis) == 200000);
  std::vector<std::string> labels;
  for (double t : axis) labels.push_back(tick_label(t, 50000, tick_extent(axis)));
  CHECK(labels == std::vector<std::string>{"0", "50k", "100k", "150k", "200k"});
}

TEST_CASE("svg: downsampling keeps the ends and spreads the rest") {
  CHECK(downsample_indices(10, 4) == std::vector<std::size_t>{0, 3, 6, 9});
  CHECK(downsample_indices(3, 10) == std::vector<std::size_t>{0, 1, 2});
  CHECK(downsample_indices(0, 10).empty());
  const auto many = downsample_indices(123457, 1000);
  REQUIRE(many.size() == 1000);
  CHECK(many.front() == 0);
  CHECK(many.back() == 123456);
}

TEST_CASE("svg: a line chart maps data to pixels, with axis ticks and a legend") {
  LineChart chart("Test chart", "block", "stake");
  chart.add({"a", {0, 1, 2}, {0, 5, 10}, "", false});
  chart.add({"b", {0, 2}, {10, 0}, "#123456", true});
  chart.add_marker(1, 5, "slash at 1");
  const std::string svg = chart.svg();
  // Plot area: x from 78 to 860, y from 288 (value 0) up to 28 (value 10).
  CHECK(points(svg, 0) == "78.0,288.0 469.0,158.0 860.0,28.0");
  CHECK(points(svg, 1) == "78.0,28.0 860.0,288.0");
  CHECK(svg.find("stroke=\"#123456\" stroke-width=\"1.6\" stroke-dasharray=\"5 4\"") != std::string::npos);
  for (const char* tick : {">0</text>", ">2</text>", ">4</text>", ">10</text>"}) CHECK(svg.find(tick) != std::string::npos);
  CHECK(svg.find("<circle cx=\"469.0\" cy=\"158.0\"") != std::string::npos);
  CHECK(svg.find("<title>slash at 1</title>") != std::string::npos);
  CHECK(svg.find(">Test chart</text>") != std::string::npos);
  CHECK(svg.find("class=\"legend\">a</text>") != std::string::npos);
  CHECK(count(svg, "<svg") == 1);
  CHECK(count(svg, "</svg>") == 1);
}

TEST_CASE("svg: a chart's only named series has its legend, an unnamed one has none") {
  LineChart one("One group", "block", "incentive");
  one.add({"miners", {0, 1}, {0, 1}, "", false});
  const std::string with_legend = one.svg();
  CHECK(count(with_legend, "class=\"legend\"") == 1);
  CHECK(with_legend.find("class=\"legend\">miners</text>") != std::string::npos);
  LineChart mixed("Mixed", "x", "y");
  mixed.add({"", {0, 1}, {1, 0}, "", false});
  mixed.add({"named", {0, 1}, {0, 1}, "", false});
  const std::string svg = mixed.svg();
  CHECK(count(svg, "class=\"legend\"") == 1);
  // The entry takes the first place, below the plot; both charts have one legend row.
  CHECK(svg.find("<text x=\"106.0\" y=\"336.0\" text-anchor=\"start\" class=\"legend\">named</text>") !=
        std::string::npos);
  CHECK(svg.find("height=\"356\"") != std::string::npos);
  CHECK(with_legend.find("height=\"356\"") != std::string::npos);
}

TEST_CASE("svg: a long series is drawn with at most 1000 points, non-finite points are skipped") {
  Series s{"long", {}, {}, "", false};
  for (int i = 0; i < 5000; ++i) s.x.push_back(i), s.y.push_back(i % 7);
  LineChart whole("Long", "x", "y");
  whole.add(s);
  CHECK(count(points(whole.svg()), " ") + 1 == LineChart::kMaxPoints);
  s.y[10] = std::numeric_limits<double>::quiet_NaN();
  LineChart chart("Long", "x", "y");
  chart.add(std::move(s));
  const std::string svg = chart.svg();
  // Broken at the gap: two lines, at most 1000 points between them (each its share, rounded
  // down), the ends of each kept.
  REQUIRE(count(svg, "<polyline") == 2);
  const std::string before = points(svg, 0), after = points(svg, 1);
  const std::size_t drawn = count(before, " ") + 1 + count(after, " ") + 1;
  CHECK(drawn <= LineChart::kMaxPoints);
  CHECK(drawn >= LineChart::kMaxPoints - 2);
  CHECK(count(before, " ") + 1 == 2);
  CHECK(svg.find("nan") == std::string::npos);
}

TEST_CASE("svg: a gap in a series breaks its line instead of joining across it") {
  const double gap = std::numeric_limits<double>::quiet_NaN();
  LineChart chart("Gaps", "x", "y");
  chart.set_x_range(0, 10);
  chart.set_y_range(0, 10);
  chart.add({"holes", {0, 1, 2, 3, 4, 5, 6}, {1, 2, gap, 3, 4, gap, 5}, "#123456", false});
  const std::string svg = chart.svg();
  CHECK(count(svg, "<polyline") == 3);
  CHECK(count(points(svg, 0), ",") == 2);  // (0, 1), (1, 2)
  CHECK(count(points(svg, 1), ",") == 2);  // (3, 3), (4, 4)
  CHECK(count(points(svg, 2), ",") == 1);  // (6, 5)
  // The lone point after the last gap is a dot too, as a series of one point is.
  CHECK(count(svg, "<circle") == 1);
  CHECK(count(svg, "class=\"legend\">holes<") == 1);  // one legend entry all the same
}

TEST_CASE("svg: a series of one point is drawn as a dot, longer ones are not") {
  LineChart chart("Brief", "x", "y");
  chart.add({"brief", {5}, {1}, "#123456", false});
  chart.add({"long", {0, 10}, {0, 2}, "#654321", false});
  const std::string svg = chart.svg();
  CHECK(count(svg, "<circle") == 1);
  CHECK(svg.find("r=\"2.5\" fill=\"#123456\"><title>brief</title></circle>") != std::string::npos);
}

TEST_CASE("svg: an empty chart says there is no data") {
  CHECK(LineChart("Empty", "x", "y").svg().find(">no data</text>") != std::string::npos);
  CHECK(BarChart("Empty", "v").svg().find(">no data</text>") != std::string::npos);
}

TEST_CASE("svg: bars scale to the maximum and show their reference tick") {
  BarChart chart("Votes", "yes (%)", 100);
  chart.add({"p1", 50, "50% yes", 60.0, "#2a9d3a"});
  chart.add({"p<2>", 100, "", std::nullopt, ""});
  const std::string svg = chart.svg();
  // Bars start at x = 190 and are 500 px long at the maximum.
  CHECK(svg.find("<rect x=\"190.0\" y=\"32.0\" width=\"250.0\" height=\"16.0\" fill=\"#2a9d3a\">") != std::string::npos);
  CHECK(svg.find("<rect x=\"190.0\" y=\"56.0\" width=\"500.0\"") != std::string::npos);
  CHECK(svg.find("<line x1=\"490.0\" y1=\"29.0\" x2=\"490.0\" y2=\"51.0\" stroke=\"#000\"") != std::string::npos);
  CHECK(svg.find(">50% yes</text>") != std::string::npos);
  CHECK(svg.find(">p&lt;2&gt;</text>") != std::string::npos);
  CHECK(svg.find(">100</text>") != std::string::npos);
}
