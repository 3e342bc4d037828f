// Expectations against a small hand-written run directory: each op, at end / block / range,
// summary paths and series, booleans, unknown metrics and unreadable files.
#include "subnetsim/results/expectation.hpp"

#include <catch2/catch.hpp>

#include "subnetsim/core/json_text.hpp"
#include "subnetsim/results/expectation_text.hpp"
#include "subnetsim/results/series.hpp"
#include "temp_run_dir.hpp"

using subnetsim::config::AtKind;
using subnetsim::config::CompareOp;
using subnetsim::config::Expectation;
using subnetsim::results::evaluate;
using subnetsim::results::ExpectationOutcome;
using subnetsim::results::RunData;

namespace {

const char* kSummary = R"({
  "slashed_tao": 12.5, "conservation_verified": true, "liquidations": 0,
  "miners": {"gini": 0.42, "top": [{"uid": 3, "share": 0.25}]},
  "proposals": {"double_stake": {"passed": false}},
  "status": "completed", "wall_time_s": 1.5
})";

// price_usd: 10 at 100, 12 at 200, 11 at 300, 9 at 400.
const char* kGlobals =
    "block,issuance_tao,price_usd\n"
    "100,1.0,10\n"
    "200,2.0,12\n"
    "300,3.0,11\n"
    "400,4.0,9\n";

// Group "graders" on subnets 1 and 2 at block 360, subnet 1 only at block 720.
const char* kClasses =
    "block,netuid,epoch,group,uids,stake_tao\n"
    "360,1,1,graders,4,100\n"
    "360,1,1,honest,2,7\n"
    "360,2,1,graders,4,50\n"
    "720,1,2,graders,4,160\n";

struct Fixture {
  TempRunDir dir;
  RunData run;
  explicit Fixture(const std::string& name, bool with_classes = true)
      : dir(name), run(dir.str(), subnetsim::core::parse_json(kSummary)) {
    dir.write("globals.csv", kGlobals);
    if (with_classes) dir.write("classes.csv", kClasses);
  }
};

Expectation expect(const std::string& metric, CompareOp op, double value, double tolerance = 0.0) {
  Expectation e;
  e.metric = metric;
  e.op = op;
  e.value = value;
  e.tolerance = tolerance;
  return e;
}

Expectation at_block(Expectation e, std::uint64_t block) {
  e.at = AtKind::kBlock;
  e.from_block = e.to_block = block;
  return e;
}

Expectation over(Expectation e, std::uint64_t from, std::uint64_t to) {
  e.at = AtKind::kRange;
  e.from_block = from;
  e.to_block = to;
  return e;
}

}  // namespace

TEST_CASE("each comparison op against a summary value", "[results]") {
  Fixture f("ops");
  struct Case {
    CompareOp op;
    double value, tolerance;
    bool passes;
  };
  // slashed_tao is 12.5.
  const Case cases[] = {
      {CompareOp::kLess, 13, 0, true},          {CompareOp::kLess, 12.5, 0, false},
      {CompareOp::kLessEqual, 12.5, 0, true},   {CompareOp::kLessEqual, 12.4, 0, false},
      {CompareOp::kGreater, 12, 0, true},       {CompareOp::kGreater, 12.5, 0, false},
      {CompareOp::kGreaterEqual, 12.5, 0, true}, {CompareOp::kGreaterEqual, 12.6, 0, false},
      {CompareOp::kEqual, 12.5, 0, true},       {CompareOp::kEqual, 12.4, 0, false},
      {CompareOp::kEqual, 12.4, 0.1 + 1e-9, true}, {CompareOp::kWithin, 12, 0.5, true},
      {CompareOp::kWithin, 12, 0.4, false},     {CompareOp::kWithin, 13, 0.5, true},
  };
  for (const Case& c : cases) {
    const ExpectationOutcome o = evaluate(expect("slashed_tao", c.op, c.value, c.tolerance), f.run);
    INFO(subnetsim::results::expectation_title(o.expectation) << ": " << o.reason);
    CHECK(o.passed == c.passes);
    REQUIRE(o.actual);
    CHECK(o.actual == 12.5);
    CHECK_FALSE(o.block);
  }
  const auto failed = evaluate(expect("slashed_tao", CompareOp::kLess, 10), f.run);
  CHECK(failed.reason == "summary.json: 12.5 is not < 10");
  CHECK(evaluate(expect("slashed_tao", CompareOp::kLess, 20), f.run).reason == "summary.json");
}

TEST_CASE("summary paths: nested objects, array indices and booleans", "[results]") {
  Fixture f("paths");
  auto gini = evaluate(expect("miners.gini", CompareOp::kLess, 0.5), f.run);
  CHECK(gini.passed);
  CHECK(gini.actual == 0.42);
  auto share = evaluate(expect("miners.top.0.share", CompareOp::kEqual, 0.25), f.run);
  CHECK(share.passed);
  CHECK(evaluate(expect("miners.top.0.uid", CompareOp::kEqual, 3), f.run).actual == 3);
  auto passed = evaluate(expect("proposals.double_stake.passed", CompareOp::kEqual, 0), f.run);
  CHECK(passed.passed);
  CHECK(passed.actual == 0);
  CHECK(evaluate(expect("conservation_verified", CompareOp::kEqual, 1), f.run).actual == 1);
  CHECK_FALSE(evaluate(expect("conservation_verified", CompareOp::kEqual, 0), f.run).passed);

  auto out_of_range = evaluate(expect("miners.top.1.share", CompareOp::kLess, 1), f.run);
  CHECK_FALSE(out_of_range.passed);
  CHECK_THAT(out_of_range.reason, Catch::StartsWith("unknown metric \"miners.top.1.share\""));
  auto object = evaluate(expect("miners", CompareOp::kLess, 1), f.run);
  CHECK_FALSE(object.passed);
  CHECK(object.reason == "summary.json: miners is an object with keys gini, top, not a number");
  auto text = evaluate(expect("status", CompareOp::kLess, 1), f.run);
  CHECK(text.reason == "summary.json: status is a string (\"completed\"), not a number");
}

TEST_CASE("summary paths through keys with dots in them (a group \"val.big\")", "[results]") {
  TempRunDir dir("dotted");
  const RunData run(dir.str(), subnetsim::core::parse_json(R"({
    "classes": {"val.big": {"apy_tao": 12.5, "count": 3}, "val": {"count": 7},
                "m": {"apy_tao": 4}},
    "a.b": [{"c.d": 1}]})"));
  CHECK(evaluate(expect("classes.val.big.apy_tao", CompareOp::kEqual, 12.5), run).passed);
  CHECK(evaluate(expect("classes.val.big.count", CompareOp::kEqual, 3), run).passed);
  CHECK(evaluate(expect("classes.val.count", CompareOp::kEqual, 7), run).passed);
  CHECK(evaluate(expect("classes.m.apy_tao", CompareOp::kEqual, 4), run).passed);
  CHECK(evaluate(expect("a.b.0.c.d", CompareOp::kEqual, 1), run).passed);
  const auto missing = evaluate(expect("classes.val.big.apy_usd", CompareOp::kEqual, 1), run);
  CHECK_FALSE(missing.passed);
  CHECK_THAT(missing.reason, Catch::StartsWith("unknown metric \"classes.val.big.apy_usd\""));
}

TEST_CASE("a globals.csv series at end, at a block and over a range", "[results]") {
  Fixture f("globals");
  auto end = evaluate(expect("price_usd", CompareOp::kLess, 10), f.run);
  CHECK(end.passed);
  CHECK(end.actual == 9);
  CHECK(end.block == 400);
  CHECK(end.reason == "globals.csv at block 400");

  // The last sample at or before the block.
  auto at250 = evaluate(at_block(expect("price_usd", CompareOp::kEqual, 12), 250), f.run);
  CHECK(at250.passed);
  CHECK(at250.block == 200);
  CHECK(evaluate(at_block(expect("price_usd", CompareOp::kEqual, 12), 300), f.run).actual == 11);
  auto before = evaluate(at_block(expect("price_usd", CompareOp::kEqual, 12), 99), f.run);
  CHECK_FALSE(before.passed);
  CHECK_FALSE(before.actual);
  CHECK(before.reason == "globals.csv: no sample of price_usd at or before block 99 (samples at blocks 100..400)");

  // Over [150, 400]: 12, 11, 9. The worst for ">= 10" is 9 at block 400; for "<= 11.5", 12 at 200.
  auto low = evaluate(over(expect("price_usd", CompareOp::kGreaterEqual, 10), 150, 400), f.run);
  CHECK_FALSE(low.passed);
  CHECK(low.actual == 9);
  CHECK(low.block == 400);
  CHECK(low.reason == "globals.csv: 1 of 3 samples fail, the worst at block 400: 9 is not >= 10");
  auto high = evaluate(over(expect("price_usd", CompareOp::kLessEqual, 11.5), 150, 400), f.run);
  CHECK_FALSE(high.passed);
  CHECK(high.actual == 12);
  auto within = evaluate(over(expect("price_usd", CompareOp::kWithin, 11, 1.0), 100, 300), f.run);
  CHECK(within.passed);
  CHECK(within.reason == "globals.csv, worst of 3 samples at block 100");
  auto one = evaluate(over(expect("price_usd", CompareOp::kWithin, 11, 1.0), 150, 250), f.run);
  CHECK(one.reason == "globals.csv, worst of 1 sample at block 200");
  CHECK(within.actual == 10);  // |10 - 11| = 1, as far as |12 - 11|: the first one
  auto empty = evaluate(over(expect("price_usd", CompareOp::kGreater, 0), 401, 500), f.run);
  CHECK_FALSE(empty.passed);
  CHECK(empty.reason == "globals.csv: no sample of price_usd in blocks [401, 500] (samples at blocks 100..400)");
}

TEST_CASE("a summary value cannot be checked at a block", "[results]") {
  Fixture f("summary-at-block");
  auto o = evaluate(at_block(expect("miners.gini", CompareOp::kLess, 1), 100), f.run);
  CHECK_FALSE(o.passed);
  CHECK_THAT(o.reason, Catch::Contains("is a value of summary.json") && Catch::Contains("only be checked at \"end\""));
}

TEST_CASE("GROUP.COLUMN sums classes.csv over subnets at each block", "[results]") {
  Fixture f("classes");
  auto at360 = evaluate(at_block(expect("graders.stake_tao", CompareOp::kEqual, 150), 360), f.run);
  CHECK(at360.passed);
  CHECK(at360.actual == 150);
  CHECK(at360.reason == "classes.csv at block 360");
  auto end = evaluate(expect("graders.stake_tao", CompareOp::kEqual, 160), f.run);
  CHECK(end.passed);
  CHECK(end.block == 720);
  auto range = evaluate(over(expect("graders.stake_tao", CompareOp::kGreater, 155), 0, 1000), f.run);
  CHECK_FALSE(range.passed);
  CHECK(range.actual == 150);
  CHECK(evaluate(expect("honest.uids", CompareOp::kEqual, 2), f.run).actual == 2);
}

TEST_CASE("an unknown metric fails with close names, never throws", "[results]") {
  Fixture f("unknown");
  auto typo = evaluate(expect("price_uds", CompareOp::kLess, 1), f.run);
  CHECK_FALSE(typo.passed);
  CHECK_FALSE(typo.actual);
  CHECK(typo.reason ==
        "unknown metric \"price_uds\": not a value of summary.json, a column of globals.csv or GROUP.COLUMN of "
        "classes.csv (did you mean price_usd?)");
  auto gini = evaluate(expect("miner.gini", CompareOp::kLess, 1), f.run);
  CHECK_THAT(gini.reason, Catch::EndsWith("(did you mean miners.gini?)"));
  auto group = evaluate(expect("grader.stake_tao", CompareOp::kLess, 1), f.run);
  CHECK_THAT(group.reason, Catch::Contains("did you mean graders.stake_tao"));
  auto prefixed = evaluate(expect("agents.graders.stake_tao", CompareOp::kLess, 1), f.run);
  CHECK_THAT(prefixed.reason, Catch::EndsWith("(did you mean graders.stake_tao, honest.stake_tao?)"));
  auto nothing = evaluate(expect("zzzzzzzzzzzz", CompareOp::kLess, 1), f.run);
  CHECK_THAT(nothing.reason, Catch::EndsWith("GROUP.COLUMN of classes.csv"));
  CHECK_FALSE(evaluate(expect("block", CompareOp::kGreater, 0), f.run).passed);
  // The outcome of the checks themselves is written after them: said so, not "unknown".
  CHECK(evaluate(expect("expectations.failed", CompareOp::kEqual, 0), f.run).reason ==
        "\"expectations.failed\" is the outcome of these very checks, written after them: an "
        "expectation cannot check it");
}

TEST_CASE("a known group or proposal with nothing recorded is not called unknown", "[results]") {
  // A run too short for a sample (its classes.csv holds a header only), and a proposal whose vote
  // never closed: both were "unknown metric", which sends one looking for a typo.
  TempRunDir dir("nothing-recorded");
  dir.write("classes.csv", "block,netuid,epoch,group,uids,stake_tao,incentive,dividends\n");
  dir.write("resolved_scenario.json", R"({"proposals": {"double_min_stake": {"at_block": 7200}}})");
  const RunData run(dir.str(), subnetsim::core::parse_json(
                                   R"({"classes": {"small": {"count": 20}}, "governance": {}})"));
  CHECK(evaluate(expect("small.dividends", CompareOp::kGreater, 0.3), run).reason ==
        "no sample of small.dividends: classes.csv has no rows of group small (none of its uids "
        "was recorded: "
        "no epoch of its subnets within the horizon or outputs.every_epochs, or the group held no "
        "uid then)");
  CHECK(evaluate(expect("governance.double_min_stake.passed", CompareOp::kEqual, 1), run).reason ==
        "proposal double_min_stake has no outcome: its vote did not close within the run");
  // A column classes.csv does not have, or a proposal the scenario does not have, stays unknown.
  CHECK_THAT(evaluate(expect("small.dividendz", CompareOp::kGreater, 0), run).reason,
             Catch::StartsWith("unknown metric \"small.dividendz\""));
  CHECK_THAT(evaluate(expect("governance.other.passed", CompareOp::kEqual, 1), run).reason,
             Catch::StartsWith("unknown metric \"governance.other.passed\""));
  // A typo in the proposal's field, a column the series cannot be, and a group that has rows
  // (its column misspelt) are typos, not missing samples.
  CHECK_THAT(
      evaluate(expect("governance.double_min_stake.pased", CompareOp::kEqual, 1), run).reason,
      Catch::StartsWith("unknown metric"));
  CHECK_THAT(evaluate(expect("small.block", CompareOp::kGreater, 0), run).reason,
             Catch::StartsWith("unknown metric"));
  TempRunDir rows("has-rows");
  rows.write(
      "classes.csv",
      "block,netuid,epoch,group,uids,stake_tao,incentive,dividends\n12,1,1,val.big,2,1,0,0.5\n");
  const RunData with_rows(rows.str(), subnetsim::core::parse_json(
                                          R"({"classes": {"val.big": {}, "val": {}, "m.x": {}}})"));
  CHECK(evaluate(expect("val.big.dividends", CompareOp::kGreater, 0.3), with_rows).passed);
  // A dotted group id with no rows: the longest id that fits.
  CHECK_THAT(
      evaluate(expect("m.x.incentive", CompareOp::kGreater, 0), with_rows).reason,
      Catch::StartsWith("no sample of m.x.incentive: classes.csv has no rows of group m.x "));
}

TEST_CASE("run data is read lazily and bad files are failures naming the file", "[results]") {
  TempRunDir dir("lazy");
  RunData run(dir.str(), subnetsim::core::parse_json(kSummary));
  // No CSV at all: summary values still work, series are unknown.
  CHECK(evaluate(expect("slashed_tao", CompareOp::kGreater, 0), run).passed);
  CHECK_THAT(evaluate(expect("price_usd", CompareOp::kGreater, 0), run).reason,
             Catch::StartsWith("unknown metric"));

  TempRunDir bad("bad-csv");
  bad.write("globals.csv", "block,price_usd\n100,1\n200\n");
  bad.write("classes.csv", "block,netuid,epoch,group,stake_tao\n100,1,1,g,abc\n");
  RunData broken(bad.str(), nlohmann::json::object());
  auto ragged = evaluate(expect("price_usd", CompareOp::kGreater, 0), broken);
  CHECK_FALSE(ragged.passed);
  CHECK_THAT(ragged.reason, Catch::EndsWith("globals.csv:3: expected 2 fields as in the header, found 1"));
  // Text in a column of numbers is refused by the CSV reader, as report and compare refuse it.
  auto text = evaluate(expect("g.stake_tao", CompareOp::kGreater, 0), broken);
  CHECK_FALSE(text.passed);
  CHECK_THAT(text.reason, Catch::EndsWith("classes.csv:2: column \"stake_tao\": expected a number, found \"abc\""));

  auto opened = RunData::open(bad.str());
  CHECK_FALSE(opened.run);
  CHECK_THAT(opened.error, Catch::EndsWith("summary.json: not found"));
  bad.write("summary.json", "[1, 2]");
  CHECK_THAT(RunData::open(bad.str()).error, Catch::EndsWith("summary.json: not a JSON object"));
  bad.write("summary.json", "{");
  CHECK_THAT(RunData::open(bad.str()).error,
             Catch::EndsWith("summary.json: not valid JSON: line 1, column 2: syntax error while parsing object key - "
                             "unexpected end of input; expected string literal"));
  bad.write("summary.json", R"({"x": 1})");
  auto good = RunData::open(bad.str());
  REQUIRE(good.run);
  CHECK(evaluate(expect("x", CompareOp::kEqual, 1), *good.run).passed);
}

TEST_CASE("evaluate keeps order and counts failures", "[results]") {
  Fixture f("many");
  const auto outcomes = evaluate(std::vector<Expectation>{expect("slashed_tao", CompareOp::kGreater, 0),
                                                          expect("nope", CompareOp::kLess, 1),
                                                          expect("price_usd", CompareOp::kLess, 1)},
                                 f.run);
  REQUIRE(outcomes.size() == 3);
  CHECK(outcomes[0].passed);
  CHECK(outcomes[1].expectation.metric == "nope");
  CHECK(subnetsim::results::count_failed(outcomes) == 2);
}

TEST_CASE("expectation texts", "[results]") {
  using subnetsim::results::expectation_title;
  CHECK(expectation_title(expect("miners.gini", CompareOp::kLess, 0.5)) == "miners.gini < 0.5 at end");
  CHECK(expectation_title(at_block(expect("x", CompareOp::kEqual, 3, 0.1), 600)) == "x == 3 +/- 0.1 at block 600");
  CHECK(expectation_title(over(expect("p", CompareOp::kWithin, 10, 0.5), 100, 600)) ==
        "p within 0.5 of 10 at blocks [100, 600]");
  CHECK(expectation_title(expect("y", CompareOp::kGreaterEqual, 1e15)) == "y >= 1e+15 at end");
}

TEST_CASE("series from tables: sums per block, missing columns are errors", "[results]") {
  const auto table = subnetsim::metrics::parse_csv(kClasses, "classes.csv");
  REQUIRE(table.ok());
  const auto graders = subnetsim::results::group_series(*table.table, "classes.csv", "graders", "stake_tao");
  CHECK(graders.error.empty());
  REQUIRE(graders.samples.size() == 2);
  CHECK(graders.samples[0].block == 360);
  CHECK(graders.samples[0].value == 150);
  CHECK(graders.samples[1].value == 160);
  CHECK(subnetsim::results::column_series(*table.table, "classes.csv", "nope").error ==
        "classes.csv: no column \"nope\"");
  const auto globals = subnetsim::metrics::parse_csv("price_usd\n1\n", "globals.csv");
  CHECK(subnetsim::results::column_series(*globals.table, "globals.csv", "price_usd").error ==
        "globals.csv: no column \"block\"");
  CHECK(subnetsim::results::group_series(*globals.table, "globals.csv", "g", "price_usd").error ==
        "globals.csv: no column \"group\"");
}
