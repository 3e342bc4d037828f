// The report's "others" line: each line left out counts at its latest recorded value, so that
// subnets recording at staggered blocks do not make the mean jump between their uids.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "../../../src/report/sections.hpp"
#include "subnetsim/metrics/csv_table.hpp"
#include "subnetsim/report/run_data.hpp"

using subnetsim::report::sections::kMaxLines;
using subnetsim::report::sections::Lines;
using subnetsim::report::sections::top_lines;

TEST_CASE("report: the others line holds each left-out line at its latest value") {
  Lines lines;
  // kMaxLines large lines drawn on their own.
  for (std::size_t k = 0; k < kMaxLines; ++k)
    lines["big" + std::to_string(k)] = {{10, 100000.0 + static_cast<double>(k)}};
  // Two left out, on subnets that record at alternate blocks: 10 000 at blocks 1, 3, 5 and
  // 2 at blocks 2, 4, 6. Their mean is 5 001 throughout once both have begun.
  lines["subnet1"] = {{1, 10000}, {3, 10000}, {5, 10000}};
  lines["subnet2"] = {{2, 2}, {4, 2}, {6, 4}};
  const auto series = top_lines(lines, /*by_sum=*/false, "validators", /*others_mean=*/true);
  REQUIRE(series.size() == kMaxLines + 1);
  const auto& others = series.back();
  CHECK(others.name == "others (2 validators, mean)");
  CHECK(others.x == std::vector<double>{1, 2, 3, 4, 5, 6});
  CHECK(others.y == std::vector<double>{10000, 5001, 5001, 5001, 5001, 5002});
  // As a sum.
  const auto summed = top_lines(lines, /*by_sum=*/false, "groups", /*others_mean=*/false);
  CHECK(summed.back().y == std::vector<double>{10000, 10002, 10002, 10002, 10002, 10004});
}

TEST_CASE("report: a left-out line in a gap leaves the others' mean until it is back") {
  const double gap = std::numeric_limits<double>::quiet_NaN();
  Lines lines;
  for (std::size_t k = 0; k < kMaxLines; ++k)
    lines["big" + std::to_string(k)] = {{10, 100000.0 + static_cast<double>(k)}};
  lines["a"] = {{1, 10}, {2, gap}, {3, 30}};
  lines["b"] = {{1, 2}, {2, 4}, {3, 6}};
  const auto series = top_lines(lines, /*by_sum=*/false, "validators", /*others_mean=*/true);
  const auto& others = series.back();
  CHECK(others.x == std::vector<double>{1, 2, 3});
  CHECK(others.y == std::vector<double>{6, 4, 18});  // at 2, b alone
  // Both in a gap: a gap of the mean too.
  lines["b"] = {{1, 2}, {2, gap}, {3, 6}};
  const auto both = top_lines(lines, false, "validators", true).back();
  REQUIRE(both.y.size() == 3);
  CHECK(std::isnan(both.y[1]));
  CHECK(both.y[2] == 18);
}

TEST_CASE("report: with one line per group, a small group is drawn beside the big ones") {
  Lines lines;
  // 20 large honest validators and one small copier: by stake alone the copier is folded into
  // "others"; by group it keeps a line of its own (and the largest honest ones fill the rest).
  for (int k = 0; k < 20; ++k) lines["honest/" + std::to_string(k)] = {{10, 10000.0 + k}};
  lines["copier/0"] = {{10, 50.0}};
  auto names = [](const std::vector<subnetsim::report::Series>& series) {
    std::vector<std::string> out;
    for (const auto& s : series) out.push_back(s.name);
    return out;
  };
  const auto plain = names(top_lines(lines, false, "validators", true));
  CHECK(std::find(plain.begin(), plain.end(), "copier/0") == plain.end());
  const auto grouped = names(top_lines(lines, false, "validators", true, /*one_per_group=*/true));
  REQUIRE(grouped.size() == kMaxLines + 1);
  CHECK(grouped[0] == "honest/19");  // rank order kept
  CHECK(grouped[kMaxLines - 1] == "copier/0");
  CHECK(grouped.back() == "others (9 validators, mean)");
}

TEST_CASE(
    "report: a group on several subnets has its shares averaged over them, 1 being a whole "
    "subnet's") {
  // Two subnets whose epochs share block 23: summed, the group's incentive read 2.
  subnetsim::report::RunData run;
  auto parsed = subnetsim::metrics::parse_csv(
      "block,netuid,epoch,group,uids,stake_tao,incentive,dividends,emission_tao,permits\n"
      "23,1,2,m,3,0,1,0,1,0\n"
      "23,2,2,m,3,0,0.5,0,1,0\n"
      "35,1,3,m,3,0,0.8,0,1,0\n",
      "classes.csv");
  REQUIRE(parsed.ok());
  run.classes = std::move(parsed.table);
  const auto lines = subnetsim::report::sections::collect_shares(run, "incentive");
  REQUIRE(lines.count("m"));
  CHECK(lines.at("m").at(23) == 0.75);
  CHECK(lines.at("m").at(35) == 0.8);
}
