// compare_runs on two small run directories: identical, within and beyond tolerance, differing
// headers, row counts, text, missing files and bad input.
#include "subnetsim/results/compare.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <sstream>

#include "temp_run_dir.hpp"

using subnetsim::results::compare_runs;
using subnetsim::results::CompareOptions;
using subnetsim::results::Comparison;

namespace {

const char* kGlobals = "block,issuance_tao,price_usd\n100,1.0,10\n200,2.0,12\n300,3.0,11\n";
const char* kEpochs = "block,netuid,epoch,uid,agent,stake_tao\n360,1,1,0,grader/0,5\n360,1,1,1,miner/0,0\n";
const char* kSummary = R"({"slashed_tao": 1.5, "miners": {"gini": 0.25}, "conservation_verified": true,
                           "wall_time_s": 3.2, "tool": {"version": "1", "git": "abc"}, "files": ["a"],
                           "started_at": 1700000000})";

struct Pair {
  TempRunDir run, golden;
  explicit Pair(const std::string& name) : run(name + "-run"), golden(name + "-golden") {
    for (const TempRunDir* d : {&run, &golden}) {
      d->write("globals.csv", kGlobals);
      d->write("epochs.csv", kEpochs);
      d->write("summary.json", kSummary);
      d->write("resolved_scenario.json", "{}");
    }
  }
  Comparison compare(const CompareOptions& o = {}) const { return compare_runs(run.str(), golden.str(), o); }
};

// The one difference a comparison must have found.
subnetsim::results::SeriesDifference only_difference(const Comparison& c) {
  REQUIRE(c.error.empty());
  REQUIRE(c.differences.size() == 1);
  return c.differences[0];
}

std::string printed(const Comparison& c) {
  std::ostringstream out;
  subnetsim::results::print_comparison(out, c);
  return out.str();
}

}  // namespace

TEST_CASE("compare: identical runs are equal, run-environment fields ignored", "[results][compare]") {
  Pair p("same");
  p.run.write("summary.json", R"({"slashed_tao": 1.5, "miners": {"gini": 0.25}, "conservation_verified": true,
                                  "wall_time_s": 9.9, "tool": {"version": "2", "git": "def"}, "files": ["b", "c"],
                                  "started_at": 1800000000})");
  const Comparison c = p.compare();
  CHECK(c.error.empty());
  CHECK(c.equal());
  // 3 globals columns + 6 epochs columns + 3 summary leaves.
  CHECK(c.series_compared == 12);
  CHECK(printed(c) == "12 series compared, 0 differ\n");
}

TEST_CASE("compare: a number beyond tolerance names file, column, row and both values", "[results][compare]") {
  Pair p("beyond");
  p.run.write("globals.csv", "block,issuance_tao,price_usd\n100,1.0,10\n200,2.0,12.12\n300,3.0,11.11\n");
  const Comparison c = p.compare();
  const auto d = only_difference(c);
  CHECK(d.file == "globals.csv");
  CHECK(d.column == "price_usd");
  CHECK(d.differing_rows == 2);
  CHECK_THAT(d.detail,
             Catch::StartsWith("first at row 2 (block 200): run 12.12, golden 12 (relative difference 0.0099"));
  CHECK_THAT(printed(c), Catch::EndsWith("; 2 rows differ\n12 series compared, 1 differ\n") &&
                             Catch::StartsWith("globals.csv price_usd: first at row 2 (block 200)"));

  // 1% relative tolerance on that column: equal. 0.5%: still different.
  CompareOptions loose;
  loose.tolerance["price_usd"] = 0.01;
  CHECK(p.compare(loose).equal());
  loose.tolerance["price_usd"] = 0.005;
  CHECK_FALSE(p.compare(loose).equal());
  CompareOptions all;
  all.default_tolerance = 0.01;
  CHECK(p.compare(all).equal());
}

TEST_CASE("compare: values near zero have an absolute floor", "[results][compare]") {
  Pair p("floor");
  p.run.write("epochs.csv", "block,netuid,epoch,uid,agent,stake_tao\n360,1,1,0,grader/0,5\n360,1,1,1,miner/0,1e-13\n");
  CHECK(p.compare().equal());
  p.run.write("epochs.csv", "block,netuid,epoch,uid,agent,stake_tao\n360,1,1,0,grader/0,5\n360,1,1,1,miner/0,1e-9\n");
  CHECK_THAT(only_difference(p.compare()).detail,
             Catch::StartsWith("first at row 2 (block 360, netuid 1, uid 1, agent miner/0): run 1e-9, golden 0"));
}

TEST_CASE("compare: text fields must be equal", "[results][compare]") {
  Pair p("text");
  p.golden.write("epochs.csv", "block,netuid,epoch,uid,agent,stake_tao\n360,1,1,0,grader/0,5\n360,1,1,1,miner/1,0\n");
  const auto d = only_difference(p.compare());
  CHECK(d.column == "agent");
  CHECK(d.detail ==
        "first at row 2 (block 360, netuid 1, uid 1, agent miner/0): run \"miner/0\", golden \"miner/1\"");
}

TEST_CASE("compare: header, row count and missing files are whole-file differences", "[results][compare]") {
  Pair p("files");
  p.golden.write("globals.csv", "block,issuance_tao,price\n100,1.0,10\n200,2.0,12\n300,3.0,11\n");
  p.run.write("epochs.csv", std::string(kEpochs) + "720,1,2,0,grader/0,6\n");
  p.run.write("classes.csv", "block,group\n1,g\n");
  const Comparison c = p.compare();
  std::map<std::string, std::string> by_file;
  for (const auto& d : c.differences) {
    CHECK(d.column.empty());
    by_file[d.file] = d.detail;
  }
  REQUIRE(by_file.size() == 3);
  CHECK(by_file["globals.csv"] ==
        "header differs: run has block,issuance_tao,price_usd; golden has block,issuance_tao,price");
  CHECK(by_file["epochs.csv"] == "3 rows in run, 2 in golden");
  CHECK_THAT(by_file["classes.csv"], Catch::StartsWith("missing in golden "));
  CHECK(c.series_compared == 6);  // three files + three summary leaves

  // A row-count difference names the first difference in the common rows.
  p.run.write("epochs.csv", "block,netuid,epoch,uid,agent,stake_tao\n360,1,1,0,grader/0,7\n");
  const Comparison shorter = p.compare();
  bool found = false;
  for (const auto& d : shorter.differences)
    if (d.file == "epochs.csv") {
      found = true;
      CHECK(d.detail ==
            "1 rows in run, 2 in golden; first difference in the common rows: stake_tao at row 1 (block 360, "
            "netuid 1, uid 0, agent grader/0): run 7, golden 5 (relative difference 0.2857142857142857)");
    }
  CHECK(found);
}

TEST_CASE("compare: summary numbers, booleans and leaves on one side", "[results][compare]") {
  Pair p("summary");
  p.golden.write("summary.json", R"({"slashed_tao": null, "miners": {"gini": 0.3, "top": 2},
                                     "conservation_verified": false})");
  const Comparison c = p.compare();
  std::map<std::string, std::string> by_path;
  for (const auto& d : c.differences) {
    CHECK(d.file == "summary.json");
    by_path[d.column] = d.detail;
  }
  CHECK(by_path.size() == 4);
  CHECK(by_path["slashed_tao"] == "run 1.5, golden null");
  CHECK(by_path["miners.gini"] == "run 0.25, golden 0.3 (relative difference 0.16666666666666663)");
  CHECK(by_path["conservation_verified"] == "run 1, golden 0 (relative difference 1)");
  CHECK(by_path["miners.top"] == "run missing, golden 2");
  CompareOptions o;
  o.tolerance["gini"] = 0.2;  // by the last component of the path
  CHECK(p.compare(o).differences.size() == 3);
}

TEST_CASE("compare: only top-level fields are the environment's, and expectations are not compared",
          "[results][compare]") {
  // A group or proposal id is the user's: one named like an environment field ("host",
  // "raise_at") is compared like any other. Verdicts of `expect` are not outputs.
  Pair p("ids");
  const char* run =
      R"({"classes": {"host": {"final_tao": 5}}, "governance": {"raise_at": {"passed": true}},
                        "expectations": {"total": 1, "passed": 1}})";
  const char* golden =
      R"({"classes": {"host": {"final_tao": 1}}, "governance": {"raise_at": {"passed": false}},
                           "expectations": {"total": 2, "passed": 0}})";
  p.run.write("summary.json", run);
  p.golden.write("summary.json", golden);
  const Comparison c = p.compare();
  std::set<std::string> paths;
  for (const auto& d : c.differences) paths.insert(d.column);
  CHECK(paths == std::set<std::string>{"classes.host.final_tao", "governance.raise_at.passed"});
}

TEST_CASE("compare: runs that ended differently differ (status is text)", "[results][compare]") {
  Pair p("status");
  p.run.write("summary.json", R"({"status": "interrupted", "slashed_tao": 1.5, "miners": {"gini": 0.25},
                                  "conservation_verified": true})");
  p.golden.write("summary.json", R"({"status": "completed", "slashed_tao": 1.5, "miners": {"gini": 0.25},
                                     "conservation_verified": true})");
  const auto d = only_difference(p.compare());
  CHECK(d.file == "summary.json");
  CHECK(d.column == "status");
  CHECK(d.detail == "run interrupted, golden completed");
  // A status that is no text (hand-edited) is one difference, shown as it is.
  p.run.write("summary.json", R"({"status": 5, "slashed_tao": 1.5, "miners": {"gini": 0.25},
                                  "conservation_verified": true})");
  const auto five = only_difference(p.compare());
  CHECK(five.column == "status");
  CHECK(five.detail == "run 5, golden completed");
}

TEST_CASE("compare: an infinity against a number has no relative difference to show",
          "[results][compare]") {
  Pair p("infinite");
  p.run.write("globals.csv", "block,issuance_tao,price_usd\n100,1.0,10\n200,2.0,inf\n300,3.0,11\n");
  CHECK(only_difference(p.compare()).detail == "first at row 2 (block 200): run inf, golden 12");
}

TEST_CASE("compare: bad input is an error naming the file", "[results][compare]") {
  Pair p("bad");
  CHECK_THAT(compare_runs(p.run.str(), (p.golden.path / "nope").string(), {}).error,
             Catch::EndsWith("nope: no such directory"));
  TempRunDir empty("bad-empty");
  CHECK_THAT(compare_runs(p.run.str(), empty.str(), {}).error, Catch::Contains("not a run directory"));
  p.golden.write("globals.csv", "block,price_usd\n1\n");
  const Comparison ragged = p.compare();
  CHECK_FALSE(ragged.equal());
  CHECK(ragged.differences.empty());
  CHECK_THAT(ragged.error, Catch::EndsWith("globals.csv:2: expected 2 fields as in the header, found 1"));
  // Text in a column of numbers is bad input, not a text difference.
  p.golden.write("globals.csv", "block,issuance_tao,price_usd\n100,1.0,10\n200,abc,12\n300,3.0,11\n");
  CHECK_THAT(p.compare().error,
             Catch::EndsWith("globals.csv:3: column \"issuance_tao\": expected a number, found \"abc\""));
  p.golden.write("globals.csv", kGlobals);
  p.golden.write("summary.json", "{not json");
  CHECK_THAT(p.compare().error,
             Catch::EndsWith("summary.json: not valid JSON: line 1, column 3: syntax error while parsing object key - "
                             "invalid literal; last read: '{no'; expected string literal"));
  p.golden.write("summary.json", "{\"status\": \"completed\",\n \"x\": }");
  CHECK_THAT(p.compare().error, Catch::EndsWith("summary.json: not valid JSON: line 2, column 7: syntax error while "
                                                "parsing value - unexpected '}'; expected '[', '{', or a literal"));
  p.golden.write("summary.json", "[1, 2]");
  CHECK_THAT(p.compare().error, Catch::EndsWith("summary.json: not a JSON object"));
  p.golden.write("summary.json", kSummary);
  // An output that is not a regular file is bad input, not a file the run lacks.
  std::filesystem::remove(p.run.path / "globals.csv");
  std::filesystem::create_directory(p.run.path / "globals.csv");
  const Comparison folder = p.compare();
  CHECK(folder.differences.empty());
  CHECK_THAT(folder.error, Catch::Contains("globals.csv") && Catch::Contains("directory"));
  std::filesystem::remove(p.run.path / "globals.csv");
  std::filesystem::create_symlink("/dev/zero", p.run.path / "globals.csv");
  CHECK_THAT(p.compare().error,
             Catch::Contains("globals.csv") && Catch::Contains("not a regular file"));
}

TEST_CASE("compare: runs of one scenario name whose resolved scenarios differ get a note",
          "[results][compare]") {
  // Identical outputs (a short run where the schedules agree) must not hide that the golden run
  // was of another configuration: a note names where the scenarios differ.
  Pair p("scenario-differs");
  p.run.write(
      "resolved_scenario.json",
      R"({"seed": 1, "emission": {"schedule": "halving"}, "script": [{"at_block": 5}], "a": 1})");
  p.golden.write(
      "resolved_scenario.json",
      R"({"seed": 1, "emission": {"schedule": "yearly_decay"}, "script": [{"at_block": 6}], "b": 2})");
  const Comparison c = p.compare();
  CHECK(c.equal());
  CHECK(c.note ==
        "the runs' resolved scenarios differ at /a (only in the run); /emission/schedule "
        "(\"halving\" against \"yearly_decay\"); /script/0/at_block (5 against 6); and 1 more");
  CHECK(printed(c).rfind("note: the runs' resolved scenarios differ at /a (only in the run)", 0) ==
        0);
  // Lists of other lengths are told by their size; expectations and descriptions, which no
  // series depends on, are not differences.
  p.run.write("resolved_scenario.json",
              R"({"script": [1, 2, 3], "expect": [], "description": "a"})");
  p.golden.write("resolved_scenario.json",
                 R"({"script": [1], "expect": [{"metric": "x"}], "description": "b"})");
  CHECK(p.compare().note ==
        "the runs' resolved scenarios differ at /script (a list of 3 against a list of 1)");
  // The same scenario: no note.
  p.golden.write("resolved_scenario.json",
                 R"({"script": [1, 2, 3], "expect": [], "description": "a"})");
  CHECK(p.compare().note.empty());
  // One that cannot be read (missing, or cut short) is said, not passed over in silence.
  p.golden.write("resolved_scenario.json", R"({"script": [1)");
  CHECK_THAT(p.compare().note, Catch::EndsWith(": the runs' scenarios were not compared"));
  std::filesystem::remove(p.golden.path / "resolved_scenario.json");
  CHECK_THAT(
      p.compare().note,
      Catch::EndsWith("resolved_scenario.json is missing: the runs' scenarios were not compared"));
}
