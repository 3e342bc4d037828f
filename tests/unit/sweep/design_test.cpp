// Sweep designs: parsing, expansion (product, zip, samples), sampling, seeds and run ids.
#include "subnetsim/sweep/design.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>

#include "subnetsim/core/json_text.hpp"

using namespace subnetsim::sweep;

namespace {

Param param(const std::string& spec) {
  Param p;
  REQUIRE(parse_param(spec, p).empty());
  return p;
}

SampleRange range(const std::string& spec) {
  SampleRange r;
  REQUIRE(parse_sample(spec, r).empty());
  return r;
}

Plan expanded(const Design& d, std::uint64_t seed = 42) {
  Plan plan;
  REQUIRE(expand(d, seed, plan).empty());
  return plan;
}

}  // namespace

TEST_CASE("parse_param reads JSON values, bare words as strings, commas inside brackets kept") {
  const Param p = param("subnets.1.kappa=0.3,0.5,[1,2],honest,\"a,b\"");
  CHECK(p.path == "subnets.1.kappa");
  REQUIRE(p.values.size() == 5);
  CHECK(p.values[0] == json(0.3));
  CHECK(p.values[1] == json(0.5));
  CHECK(p.values[2] == json::array({1, 2}));
  CHECK(p.values[3] == json("honest"));
  CHECK(p.values[4] == json("a,b"));
  CHECK(p.source == "--param subnets.1.kappa=0.3,0.5,[1,2],honest,\"a,b\"");
  Param bad;
  CHECK(parse_param("kappa", bad).find("expected PATH=V1,V2") != std::string::npos);
  CHECK(parse_param("kappa=0.3,,0.5", bad).find("is not valid JSON") != std::string::npos);
  CHECK(parse_param("kappa=0.3,-x", bad).find("\"-x\" is not valid JSON") != std::string::npos);
}

TEST_CASE("parse_sample reads LO:HI and notices integer bounds") {
  const SampleRange r = range("subnets.1.kappa=0.25:0.75");
  CHECK(r.lo == 0.25);
  CHECK(r.hi == 0.75);
  CHECK_FALSE(r.integer);
  CHECK(range("agents.honest.count=-2:9").integer);
  SampleRange bad;
  CHECK_FALSE(parse_sample("x=1:0", bad).empty());
  CHECK_FALSE(parse_sample("x=a:1", bad).empty());
  CHECK_FALSE(parse_sample("x=1", bad).empty());
}

TEST_CASE("the product varies the last parameter fastest") {
  Design d;
  d.params = {param("a=1,2"), param("b=10,20,30")};
  const Plan plan = expanded(d);
  REQUIRE(plan.points.size() == 6);
  CHECK(plan.columns == std::vector<std::string>{"a", "b"});
  const std::vector<std::vector<int>> want = {{1, 10}, {1, 20}, {1, 30}, {2, 10}, {2, 20}, {2, 30}};
  for (std::size_t i = 0; i < want.size(); ++i) {
    CHECK(plan.points[i][0] == json(want[i][0]));
    CHECK(plan.points[i][1] == json(want[i][1]));
  }
}

TEST_CASE("zip pairs the lists and needs equal lengths") {
  Design d;
  d.params = {param("a=1,2,3"), param("b=10,20,30")};
  d.zip = true;
  const Plan plan = expanded(d);
  REQUIRE(plan.points.size() == 3);
  CHECK(plan.points[2][0] == json(3));
  CHECK(plan.points[2][1] == json(30));
  d.params[1] = param("b=10,20");
  Plan bad;
  CHECK(expand(d, 1, bad).find("a has 3 and b has 2") != std::string::npos);
}

TEST_CASE("expand refuses a path swept twice (dotted or pointer) and samples without a count") {
  Design d;
  d.params = {param("subnets.1.kappa=0.3"), param("/subnets/1/kappa=0.5")};
  Plan plan;
  CHECK(expand(d, 1, plan).find("swept twice") != std::string::npos);
  Design s;
  s.samples = {range("x=0:1")};
  CHECK(expand(s, 1, plan).find("--samples") != std::string::npos);
  Design none;
  none.replicates = 0;
  CHECK_FALSE(expand(none, 1, plan).empty());
  // A group id with a dot in it: its field written dotted and as a pointer is one field, found
  // as --set finds it in the scenario (without the scenario the dotted path splits the id).
  const nlohmann::json scenario =
      subnetsim::core::parse_json(R"({"agents": {"val.big": {"noise": 0.05}}})");
  Design twice;
  twice.params = {param("agents.val.big.noise=0.1"), param("/agents/val.big/noise=0.2")};
  CHECK(expand(twice, 1, plan, &scenario).find("swept twice") != std::string::npos);
  Design with_set;
  with_set.params = {param("agents.val.big.noise=0.1,0.2")};
  Plan set_plan;
  set_plan.overrides = {"/agents/val.big/noise=0.3"};
  CHECK(expand(with_set, 1, set_plan, &scenario).find("is also set for every run") !=
        std::string::npos);
}

TEST_CASE("expand refuses swept paths inside one another, and a path the shared overrides set") {
  Plan plan;
  Design nested;
  nested.params = {param("subnets.1.tempo=10,20"), param("subnets.1={\"tempo\":30}")};
  CHECK(expand(nested, 1, plan) ==
        "--param subnets.1={\"tempo\":30}: subnets.1 overlaps subnets.1.tempo (--param "
        "subnets.1.tempo=10,20): one sets part of the other; sweep one of them");
  Design sampled;
  sampled.params = {param("/subnets/1/kappa=0.3,0.5")};
  sampled.samples = {range("subnets.1=0:1")};
  sampled.sample_count = 2;
  CHECK(expand(sampled, 1, plan).find("overlaps /subnets/1/kappa") != std::string::npos);
  // Prefixes of a name are not parts of it: subnets.1 and subnets.10 are apart.
  Design apart;
  apart.params = {param("subnets.1.kappa=0.3,0.5"), param("subnets.10.kappa=0.3,0.5")};
  CHECK(expand(apart, 1, plan).empty());

  Design swept;
  swept.params = {param("subnets.1.kappa=0.3,0.4")};
  Plan shared;
  shared.overrides = {"subnets.1.kappa=0.5"};
  CHECK(expand(swept, 1, shared) ==
        "--param subnets.1.kappa=0.3,0.4: subnets.1.kappa is also set for every run by --set "
        "subnets.1.kappa=0.5: the swept value would win over it; drop one");
  Design horizon;
  horizon.params = {param("horizon_blocks=100,200")};
  Plan with_horizon;
  with_horizon.overrides = {"horizon_blocks=300"};
  CHECK(expand(horizon, 1, with_horizon).find("is also set for every run by --horizon") !=
        std::string::npos);
}

TEST_CASE("sampled points of the same values are noted as copies") {
  Design d;
  d.samples = {range("agents.honest.count=2:3")};
  d.sample_count = 6;
  const Plan plan = expanded(d);
  const std::string note = repeated_points_note(plan);
  CHECK(note.find("4 of the 6 points repeat another's values (points ") == 0);
  // Both groups are named (the note named only the first): six draws of 2 or 3.
  std::vector<std::size_t> twos, threes;
  for (std::size_t p = 0; p < plan.points.size(); ++p)
    (plan.points[p][0] == 2 ? twos : threes).push_back(p);
  auto listed = [](const std::vector<std::size_t>& points) {
    std::string out = "points";
    for (std::size_t k = 0; k < points.size(); ++k)
      out += (k == 0 ? " " : ", ") + std::to_string(points[k]);
    return out + " share their values";
  };
  REQUIRE(twos.size() >= 2);
  REQUIRE(threes.size() >= 2);
  CHECK_THAT(note, Catch::Contains(listed(twos)));
  CHECK_THAT(note, Catch::Contains(listed(threes)));
  CHECK(note.find("these are copies of those runs, not new samples") != std::string::npos);
  Design grid;
  grid.params = {param("subnets.1.kappa=0.3,0.5")};
  CHECK(repeated_points_note(expanded(grid)).empty());
}

TEST_CASE("a design without parameters is one point: replicates of the scenario") {
  Design d;
  d.replicates = 3;
  const Plan plan = expanded(d);
  REQUIRE(plan.points.size() == 1);
  CHECK(plan.points[0].empty());
  const auto runs = plan_runs(plan);
  REQUIRE(runs.size() == 3);
  CHECK(runs[0].seed != runs[1].seed);
}

TEST_CASE("Latin hypercube: each of the N strata of every dimension is hit exactly once") {
  const std::vector<SampleRange> ranges = {range("a=0.0:1.0"), range("b=-5.5:15"), range("c=100.5:101.5")};
  for (std::uint64_t n : {1u, 2u, 7u, 64u}) {
    const auto pts = sample_points(ranges, n, Method::kLhs, 1234);
    REQUIRE(pts.size() == n);
    for (std::size_t d = 0; d < ranges.size(); ++d) {
      std::vector<int> hits(n, 0);
      for (const auto& p : pts) {
        const double u = (p[d] - ranges[d].lo) / (ranges[d].hi - ranges[d].lo);
        REQUIRE(u >= 0.0);
        REQUIRE(u < 1.0);
        ++hits[static_cast<std::size_t>(std::floor(u * static_cast<double>(n)))];
      }
      CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
    }
  }
}

TEST_CASE("samples are deterministic in the master seed and a dimension ignores the others") {
  const std::vector<SampleRange> two = {range("a=0.0:1.0"), range("b=0.0:1.0")};
  const std::vector<SampleRange> one = {range("b=0.0:1.0")};
  for (Method m : {Method::kLhs, Method::kRandom}) {
    const auto x = sample_points(two, 16, m, 7), y = sample_points(two, 16, m, 7), z = sample_points(two, 16, m, 8);
    CHECK(x == y);
    CHECK(x != z);
    const auto only_b = sample_points(one, 16, m, 7);
    for (std::size_t i = 0; i < 16; ++i) CHECK(only_b[i][0] == x[i][1]);
  }
}

TEST_CASE("random samples stay within their bounds, integer ranges give integers") {
  const std::vector<SampleRange> ranges = {range("a=2.5:3.5"), range("n=3:6")};
  const auto pts = sample_points(ranges, 500, Method::kRandom, 99);
  std::set<double> ints;
  double lo = 1e9, hi = -1e9;
  for (const auto& p : pts) {
    lo = std::min(lo, p[0]);
    hi = std::max(hi, p[0]);
    CHECK(p[1] == std::floor(p[1]));
    ints.insert(p[1]);
  }
  CHECK(lo >= 2.5);
  CHECK(hi <= 3.5);
  CHECK(hi - lo > 0.9);  // 500 draws span nearly the whole range
  CHECK(ints == std::set<double>{3, 4, 5, 6});
  Design d;
  d.samples = {range("n=3:6")};
  d.sample_count = 4;
  const Plan plan = expanded(d);
  REQUIRE(plan.points.size() == 4);
  for (const auto& p : plan.points) CHECK(p[0].is_number_integer());
}

TEST_CASE("grid points times sampled points") {
  Design d;
  d.params = {param("a=1,2")};
  d.samples = {range("x=0:1")};
  d.sample_count = 3;
  const Plan plan = expanded(d);
  REQUIRE(plan.points.size() == 6);
  CHECK(plan.columns == std::vector<std::string>{"a", "x"});
  CHECK(plan.points[0][1] == plan.points[3][1]);  // the same sampled points under each grid point
  CHECK(plan.points[0][0] == json(1));
  CHECK(plan.points[3][0] == json(2));
}

TEST_CASE("a run's seed depends on master seed, point values and replicate, not on order") {
  const std::vector<std::string> cols = {"a", "b"};
  const std::vector<json> p = {json(1), json(0.5)};
  const auto s = run_seed(42, cols, p, 0);
  CHECK(s == run_seed(42, cols, p, 0));
  CHECK(s != run_seed(43, cols, p, 0));
  CHECK(s != run_seed(42, cols, p, 1));
  CHECK(s != run_seed(42, cols, {json(2), json(0.5)}, 0));
  CHECK(s == run_seed(42, {"a", "/b"}, p, 0));  // a path written either way
  // A number is one value however it is written: 2 and 2.0 seed alike, 2.5 does not.
  const std::vector<json> whole = {json(2), json(3)};
  const std::vector<json> written_as_double = {json(2.0), json(3.0)};
  CHECK(run_seed(42, cols, whole, 0) == run_seed(42, cols, written_as_double, 0));
  CHECK(run_seed(42, cols, whole, 0) != run_seed(42, cols, {json(2.5), json(3.0)}, 0));
  CHECK(s < (std::uint64_t{1} << 53));

  // Adding a value to a parameter moves points but leaves every existing point's seeds alone.
  Design small, large;
  small.params = {param("a=1,2")};
  large.params = {param("a=0,1,2")};
  small.replicates = large.replicates = 2;
  const auto rs = plan_runs(expanded(small)), rl = plan_runs(expanded(large));
  REQUIRE(rs.size() == 4);
  REQUIRE(rl.size() == 6);
  for (std::size_t i = 0; i < rs.size(); ++i) CHECK(rs[i].seed == rl[i + 2].seed);
  CHECK(rs[0].id != rl[2].id);
}

TEST_CASE("run ids are padded so that string order is run order") {
  Design d;
  d.params = {param("a=[0,1,2,3,4,5,6,7,8,9,10,11]")};
  d.params[0].values.clear();
  for (int i = 0; i < 12; ++i) d.params[0].values.emplace_back(i);
  d.replicates = 3;
  const auto runs = plan_runs(expanded(d));
  REQUIRE(runs.size() == 36);
  CHECK(runs[0].id == "p0000-r00");
  CHECK(runs[5].id == "p0001-r02");
  CHECK(runs[5].index == 5);
  CHECK(runs[5].point == 1);
  CHECK(runs[5].replicate == 2);
  CHECK(std::is_sorted(runs.begin(), runs.end(), [](const Run& a, const Run& b) { return a.id < b.id; }));
}

TEST_CASE("sweep.json round-trips the plan, the design reads back as a grid file") {
  Design d;
  d.params = {param("subnets.1.kappa=0.3,0.5"), param("agents.honest.count=3,5")};
  d.samples = {range("subnets.1.tempo=10:20")};
  d.sample_count = 2;
  d.replicates = 2;
  Plan plan = expanded(d, 7);
  plan.scenario = "scenarios/slashing-demo.json";
  plan.overrides = {"horizon_blocks=240"};
  Plan back;
  REQUIRE(
      plan_from_json(
          subnetsim::core::parse_ordered_json(subnetsim::core::dump_json(plan_json(plan))), back)
          .empty());
  CHECK(back.scenario == plan.scenario);
  CHECK(back.overrides == plan.overrides);
  CHECK(back.columns == plan.columns);
  CHECK(back.points == plan.points);
  CHECK(back.replicates == 2);
  const auto a = plan_runs(plan), b = plan_runs(back);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].seed == b[i].seed);
  CHECK(
      point_overrides(plan, 0) ==
      std::vector<std::string>{"subnets.1.kappa=0.3", "agents.honest.count=3",
                               "subnets.1.tempo=" + subnetsim::core::dump_json(plan.points[0][2])});
  CHECK(plan.design["sample"]["subnets.1.tempo"] == json::array({10, 20}));
}

TEST_CASE("a grid file keeps its parameters in the file's order, as flags do") {
  // json keeps object keys sorted: read so, kappa (written first) would vary fastest, and every
  // seed would differ from the same design given as flags.
  const std::string file = "grid_order_test.json";
  {
    std::ofstream out(file);
    out << R"({"params": {"subnets.1.kappa": [0.3, 0.5], "agents.honest.count": [3, 5]}, "replicates": 2})";
  }
  Design from_file;
  REQUIRE(read_grid(file, from_file).empty());
  REQUIRE(from_file.params.size() == 2);
  CHECK(from_file.params[0].path == "subnets.1.kappa");
  CHECK(from_file.params[1].path == "agents.honest.count");
  CHECK(from_file.from_file == std::vector<std::string>{"replicates"});
  Design from_flags;
  from_flags.params = {param("subnets.1.kappa=0.3,0.5"), param("agents.honest.count=3,5")};
  from_flags.replicates = 2;
  const auto a = plan_runs(expanded(from_file)), b = plan_runs(expanded(from_flags));
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].seed == b[i].seed);
  std::remove(file.c_str());
}

TEST_CASE("a grid file's mistakes say what was found") {
  const std::string file = "grid_found_test.json";
  {
    std::ofstream out(file);
    out << R"({"params": {"subnets.1.kappa": 0.3, "": [1]}, "replicates": 0, "zip": "yes", "method": "sobol",
              "sample": {"subnets.1.tempo": [20, 10]}})";
  }
  Design d;
  const std::string problems = read_grid(file, d);
  CHECK_THAT(problems,
             Catch::Contains(
                 file + ": /params/subnets.1.kappa: expected a non-empty list of values, got 0.3"));
  CHECK_THAT(problems,
             Catch::Contains(
                 file + ": /params/: expected a parameter path (e.g. subnets.1.kappa), got \"\""));
  CHECK_THAT(problems, Catch::Contains(file + ": /replicates: expected an integer >= 1, got 0"));
  CHECK_THAT(problems, Catch::Contains(file + ": /zip: expected true or false, got \"yes\""));
  CHECK_THAT(problems,
             Catch::Contains(file + ": /method: expected \"lhs\" or \"random\", got \"sobol\""));
  CHECK_THAT(
      problems,
      Catch::Contains(
          file +
          ": /sample/subnets.1.tempo: expected [LO, HI], two numbers with LO <= HI, got [20,10]"));
  std::remove(file.c_str());
}

TEST_CASE("sweep.json edited by hand: each bad field is named, never an exception's text") {
  Design d;
  d.params = {param("subnets.1.kappa=0.3,0.5")};
  const json good = plan_json(expanded(d));
  auto problem = [&](const char* key, const json& value) {
    json j = good;
    j[key] = value;
    Plan p;
    return plan_from_json(j, p);
  };
  CHECK(problem("replicates", -1) == "/replicates: expected an integer from 1 to 10000000, got -1");
  CHECK(problem("replicates", 4294967298ULL) ==
        "/replicates: expected an integer from 1 to 10000000, got 4294967298");
  CHECK(problem("replicates", 2.5) ==
        "/replicates: expected an integer from 1 to 10000000, got 2.5");
  CHECK(problem("columns", 5) == "/columns: expected a list of parameter paths, got 5");
  CHECK(problem("master_seed", "x") == "/master_seed: expected an integer >= 0, got \"x\"");
  CHECK(problem("points", json::array({json::array({0.3, 1})})) ==
        "/points/0: expected one value per column (1), got [0.3,1]");
  json j = good;
  j.erase("design");
  Plan p;
  CHECK(plan_from_json(j, p) == "/design: missing (expected an object)");
}

TEST_CASE("a range in integers samples reals on a field the scenario holds as a real number") {
  Design d;
  SampleRange kappa, count, absent;
  REQUIRE(parse_sample("subnets.1.kappa=0:1", kappa).empty());
  REQUIRE(parse_sample("/agents/v/count=1:4", count).empty());
  REQUIRE(parse_sample("agents.new.count=1:4", absent).empty());
  SampleRange dotted;  // a group id with a dot in it, named as --set names it
  REQUIRE(parse_sample("agents.val.big.noise=0:1", dotted).empty());
  d.samples = {kappa, count, absent, dotted};
  const nlohmann::json resolved = subnetsim::core::parse_json(
      R"({"subnets": {"1": {"kappa": 0.5}}, "agents": {"v": {"count": 3}, "val.big": {"noise": 0.05}}})");
  type_samples_by_field(resolved, d);
  CHECK_FALSE(d.samples[0].integer);  // kappa: a fraction
  CHECK(d.samples[1].integer);        // a count
  CHECK(d.samples[2].integer);        // not in the scenario: as its bounds are written
  CHECK_FALSE(d.samples[3].integer);  // val.big's noise
  d.sample_count = 8;
  const Plan plan = expanded(d);
  std::set<double> kappas;
  for (const auto& p : plan.points) kappas.insert(p[0].get<double>());
  CHECK(kappas.size() == 8);  // eight values in [0, 1], not only 0 and 1
  for (double k : kappas) CHECK((k >= 0.0 && k <= 1.0));
}
