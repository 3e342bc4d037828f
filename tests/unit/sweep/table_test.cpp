// Sweep tables: flattened summaries, index.csv, aggregates.csv, the t interval, shard merging.
#include <catch2/catch.hpp>

#include <cmath>

#include "subnetsim/sweep/table.hpp"

using namespace subnetsim::sweep;
using ojson = nlohmann::ordered_json;

namespace {

Plan two_point_plan() {
  Plan plan;
  plan.columns = {"subnets.1.kappa", "agents.grader.mode"};
  plan.points = {{json(0.3), json("inverted")}, {json(0.5), json("random")}};
  plan.replicates = 3;
  plan.master_seed = 42;
  return plan;
}

ojson summary(double gini, double slashed, const char* status = "completed") {
  return ojson{{"tool", {{"name", "subnetsim"}, {"version", "0.1.0"}}},
               {"seed", 5},
               {"status", status},
               {"blocks", 240},
               {"slashed_tao", slashed},
               {"conservation_verified", true},
               {"miners", {{"gini", gini}, {"apy_tao", nullptr}, {"count", 40}}},
               {"classes", {{"honest", {{"paid_tao", 1.5}}}}},
               {"emission", {{"shares", {{"owner", 0.18}}}}},
               {"files", {"a.csv"}},
               {"wall_time_s", 0.25}};
}

}  // namespace

TEST_CASE("numbers are written in the shortest form that reads back exactly") {
  CHECK(number_cell(0.1) == "0.1");
  CHECK(number_cell(300.0) == "300.0");  // a whole number keeps its point (pandas dtype)
  CHECK(number_cell(1e-5) == "1e-05");
  CHECK(number_cell(1.0 / 3.0) == "0.3333333333333333");
  CHECK(number_cell(std::nan("")).empty());
}

TEST_CASE(
    "flatten_summary keeps numeric and boolean leaves under dotted names, skipping tool, files, "
    "classes, wall time") {
  auto s = summary(0.25, 12.5);
  s["governance"] = {{"p", {{"passed", false}, {"yes_share", 0.4}}}};
  const auto m = flatten_summary(s);
  const std::map<std::string, std::string> want = {{"blocks", "240"},
                                                   {"slashed_tao", "12.5"},
                                                   {"miners.gini", "0.25"},
                                                   {"miners.apy_tao", ""},
                                                   {"miners.count", "40"},
                                                   {"emission.shares.owner", "0.18"},
                                                   {"conservation_verified", "1"},
                                                   {"governance.p.passed", "0"},
                                                   {"governance.p.yes_share", "0.4"}};
  CHECK(m == want);
}

TEST_CASE("index.csv: one row per run sorted by id, parameters, seed, status, error, metric union") {
  const Plan plan = two_point_plan();
  const Run r0{0, 0, 0, 11, "p0000-r00"}, r1{1, 0, 1, 12, "p0000-r01"}, r3{3, 1, 0, 13, "p0001-r00"};
  std::vector<RunRow> rows = {row_from_summary(plan, r3, ojson(), "cannot write out/x: disk full\nsecond line"),
                              row_from_summary(plan, r1, summary(0.5, 1), ""),
                              row_from_summary(plan, r0, summary(0.25, 2, "invariant_broken"), "")};
  rows[2].metrics["extra"] = "7";
  CHECK(rows[0].status == "failed");
  CHECK(rows[2].status == "invariant_broken");
  const std::string want =
      "run_id,point,replicate,subnets.1.kappa,agents.grader.mode,seed,status,error,blocks,"
      "conservation_verified,"
      "emission.shares.owner,extra,miners.apy_tao,miners.count,miners.gini,slashed_tao\n"
      "p0000-r00,0,0,0.3,inverted,11,invariant_broken,invariant broken,240,1,0.18,7,,40,0.25,2.0\n"
      "p0000-r01,0,1,0.3,inverted,12,ok,,240,1,0.18,,,40,0.5,1.0\n"
      "p0001-r00,1,0,0.5,random,13,failed,cannot write out/x: disk full; second line,,,,,,,,\n";
  CHECK(index_csv(plan, rows) == want);

  // Read back (as merge does), the same table again.
  std::vector<RunRow> back;
  REQUIRE(parse_index_csv(plan, want, "index.csv", back).empty());
  CHECK(index_csv(plan, back) == want);
  CHECK(aggregates_csv(plan, back) == aggregates_csv(plan, rows));
  std::vector<RunRow> foreign;
  Plan other = plan;
  other.columns[0] = "subnets.1.tempo";
  CHECK(parse_index_csv(other, want, "index.csv", foreign).find("not those of this sweep") != std::string::npos);
  // A status the sweep does not write is refused, not counted as a failed run.
  std::string okay = want;
  okay.replace(okay.find(",ok,"), 4, ",okay,");
  std::vector<RunRow> edited;
  CHECK(parse_index_csv(plan, okay, "index.csv", edited) ==
        "index.csv:3: status: expected ok, failed, invariant_broken or interrupted, got \"okay\"");
}

TEST_CASE("t(0.975, df) matches the table and approaches 1.96") {
  CHECK(t975(1) == Approx(12.706205).epsilon(1e-6));
  CHECK(t975(2) == Approx(4.302653).epsilon(1e-6));
  CHECK(t975(9) == Approx(2.262157).epsilon(1e-6));
  CHECK(t975(30) == Approx(2.042272).epsilon(1e-6));
  CHECK(t975(45) == Approx(2.014103).epsilon(2e-4));  // interpolated between 40 and 50
  CHECK(t975(1000) == Approx(1.962339).epsilon(1e-6));
  CHECK(t975(1000000) == Approx(1.959966).epsilon(1e-6));
  for (std::uint64_t df = 1; df < 2000; ++df) CHECK(t975(df + 1) < t975(df));
}

TEST_CASE("summarize: mean, sd and the t interval") {
  const Stats s = summarize({1.0, 2.0, 3.0, 4.0});
  CHECK(s.n == 4);
  CHECK(*s.mean == 2.5);
  CHECK(*s.sd == Approx(std::sqrt(5.0 / 3.0)));
  const double half = 3.182446305 * std::sqrt(5.0 / 3.0) / 2.0;
  CHECK(*s.lo == Approx(2.5 - half));
  CHECK(*s.hi == Approx(2.5 + half));
  const Stats one = summarize({7.0});
  CHECK(*one.mean == 7.0);
  CHECK_FALSE(one.sd.has_value());
  CHECK_FALSE(one.lo.has_value());
  CHECK_FALSE(summarize({}).mean.has_value());
}

TEST_CASE("aggregates.csv: per point and metric over the ok runs only") {
  const Plan plan = two_point_plan();
  std::vector<RunRow> rows;
  rows.push_back(row_from_summary(plan, Run{0, 0, 0, 1, "p0000-r00"}, summary(0.2, 1), ""));
  rows.push_back(row_from_summary(plan, Run{1, 0, 1, 2, "p0000-r01"}, summary(0.4, 3), ""));
  rows.push_back(row_from_summary(plan, Run{2, 0, 2, 3, "p0000-r02"}, summary(0.9, 100, "invariant_broken"), ""));
  rows.push_back(row_from_summary(plan, Run{3, 1, 0, 4, "p0001-r00"}, summary(0.6, 5), ""));
  const std::string csv = aggregates_csv(plan, rows);
  const double half = 12.706204736 * std::sqrt(2.0) / std::sqrt(2.0);  // slashed: 1 and 3, sd sqrt(2)
  const std::string slashed0 = "0,0.3,inverted,slashed_tao,2,2.0," + number_cell(std::sqrt(2.0)) +
                               "," + number_cell(2.0 - half) + "," + number_cell(2.0 + half) + "\n";
  CHECK(csv.rfind("point,subnets.1.kappa,agents.grader.mode,metric,n,mean,sd,ci95_lo,ci95_hi\n", 0) == 0);
  CHECK(csv.find(slashed0) != std::string::npos);
  CHECK(csv.find("1,0.5,random,slashed_tao,1,5.0,,,\n") != std::string::npos);
  CHECK(csv.find("0,0.3,inverted,miners.apy_tao,0,,,,\n") != std::string::npos);  // null in every run
  CHECK(csv.find("0,0.3,inverted,miners.gini,2,0.30000000000000004,") != std::string::npos);
  CHECK(failed_count(rows) == 1);
}
