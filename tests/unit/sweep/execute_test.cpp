// Running a sweep's runs: validation before anything runs, resume, independence of the worker
// count, shards merged back, the progress line.
#include "subnetsim/runner/execute.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "subnetsim/core/json_text.hpp"
#include "subnetsim/core/sha256.hpp"
#include "subnetsim/sweep/execute.hpp"
#include "subnetsim/sweep/files.hpp"
#include "subnetsim/sweep/lock.hpp"
#include "subnetsim/sweep/table.hpp"

using namespace subnetsim::sweep;
namespace fs = std::filesystem;

namespace {

const std::string kScenario = std::string(SUBNETSIM_SOURCE_DIR) + "/scenarios/slashing-demo.json";

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::path(SUBNETSIM_BINARY_DIR) / "test-scratch" / "sweep" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

Plan small_plan(std::uint64_t replicates = 2) {
  Design d;
  Param p;
  REQUIRE(parse_param("subnets.1.kappa=0.3,0.6", p).empty());
  d.params.push_back(p);
  d.replicates = replicates;
  Plan plan;
  plan.scenario = kScenario;
  plan.overrides = {"horizon_blocks=120"};
  REQUIRE(expand(d, 42, plan).empty());
  return plan;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("validate_points names the parameter that made a point invalid") {
  Plan plan = small_plan();
  CHECK(validate_points(plan).empty());
  Design d;
  Param p;
  REQUIRE(parse_param("subnets.1.kapa=0.3,0.5", p).empty());
  d.params.push_back(p);
  REQUIRE(expand(d, 1, plan).empty());
  CHECK(validate_points(plan) ==
        "--param subnets.1.kapa=0.3,0.5: /subnets/1/kapa: unknown field (did you mean \"kappa\"?)\n");
  REQUIRE(parse_param("subnets.1.kappa=0.3,7", p).empty());
  d.params = {p};
  REQUIRE(expand(d, 1, plan).empty());
  CHECK(validate_points(plan) == "--param subnets.1.kappa=0.3,7: /subnets/1/kappa: must be in [0, 1], got 7\n");
  // Ctrl-C while checking (a design of many points takes a while): the check ends at once,
  // having found nothing more, and the caller runs nothing.
  const std::atomic<bool> stopped{true};
  CHECK(validate_points(plan, nullptr, &stopped).empty());
}

TEST_CASE("select_runs takes every N-th run") {
  const auto runs = plan_runs(small_plan(3));  // 6 runs
  const auto second = select_runs(runs, 1, 4);
  REQUIRE(second.size() == 2);
  CHECK(second[0].index == 1);
  CHECK(second[1].index == 5);
}

TEST_CASE("rows do not depend on the number of workers, a rerun skips finished runs") {
  const Plan plan = small_plan();
  const auto runs = plan_runs(plan);
  const fs::path a = scratch("jobs1"), b = scratch("jobs2");
  ExecuteOptions one, two;
  two.jobs = 2;
  const ExecuteResult ra = execute_runs(plan, a.string(), runs, one);
  const ExecuteResult rb = execute_runs(plan, b.string(), runs, two);
  CHECK(ra.ran == 4);
  CHECK(ra.failed == 0);
  CHECK(index_csv(plan, ra.rows) == index_csv(plan, rb.rows));
  CHECK(aggregates_csv(plan, ra.rows) == aggregates_csv(plan, rb.rows));
  for (const Run& r : runs)
    CHECK(read(fs::path(run_directory(a.string(), r)) / "epochs.csv") ==
          read(fs::path(run_directory(b.string(), r)) / "epochs.csv"));

  // Resume: finished runs are not run again (their files stay untouched), their rows come back.
  const fs::path epochs = fs::path(run_directory(a.string(), runs[1])) / "epochs.csv";
  const auto before = fs::last_write_time(epochs);
  fs::remove(fs::path(run_directory(a.string(), runs[2])) / "summary.json");  // as if killed
  const ExecuteResult again = execute_runs(plan, a.string(), runs, two);
  CHECK(again.skipped == 3);
  CHECK(again.ran == 1);
  CHECK(fs::last_write_time(epochs) == before);
  CHECK(index_csv(plan, again.rows) == index_csv(plan, ra.rows));

  // A summary of another seed, or a run of other content (its resolved scenario's SHA-256, as
  // the manifest holds it), is not a finished run of this one.
  const std::string run0 = run_directory(a.string(), runs[0]);
  std::ifstream resolved(fs::path(run0) / "resolved_scenario.json", std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(resolved)), std::istreambuf_iterator<char>());
  const std::string sha = subnetsim::core::sha256_hex(text);
  CHECK(run_is_complete(run0, runs[0].seed, sha));
  CHECK_FALSE(run_is_complete(run0, runs[0].seed + 1, sha));
  CHECK_FALSE(run_is_complete(run0, runs[0].seed, subnetsim::core::sha256_hex(text + " ")));
}

TEST_CASE("a stray shard index of a huge count is told in a line, one beyond any integer ignored") {
  const Plan plan = small_plan();
  const fs::path dir = scratch("stray-shards");
  REQUIRE(claim_directory(plan, dir.string()).empty());
  std::ofstream(dir / "index.shard-1-of-99999999999999999999999.csv") << "x\n";
  std::vector<RunRow> rows;
  CHECK(read_shards(plan, dir.string(), 0, rows).find("no shard indexes") != std::string::npos);
  std::ofstream(dir / "index.shard-1-of-4000000000000.csv") << "x\n";
  const std::string missing = read_shards(plan, dir.string(), 0, rows);
  CHECK(missing == dir.string() +
                       ": shard indexes missing for --shard 2/4000000000000, 3/4000000000000, "
                       "4/4000000000000, 5/4000000000000, 6/4000000000000, 7/4000000000000, "
                       "8/4000000000000, 9/4000000000000, 10/4000000000000, 11/4000000000000, ...");
}

TEST_CASE("shards merged give the single-machine tables, merge refuses missing or foreign shards") {
  const Plan plan = small_plan();
  const auto runs = plan_runs(plan);
  const fs::path whole = scratch("whole"), sharded = scratch("sharded");
  REQUIRE(claim_directory(plan, whole.string()).empty());
  REQUIRE(claim_directory(plan, sharded.string()).empty());
  CHECK(claim_directory(plan, sharded.string()).empty());  // the same sweep again
  const ExecuteResult all = execute_runs(plan, whole.string(), runs, ExecuteOptions{});
  write_tables(plan, whole.string(), all.rows);
  std::vector<RunRow> rows;
  CHECK(read_shards(plan, sharded.string(), 0, rows).find("no shard indexes") != std::string::npos);
  for (std::size_t i = 1; i <= 3; ++i) {
    const ExecuteResult part = execute_runs(plan, sharded.string(), select_runs(runs, i - 1, 3), ExecuteOptions{});
    write_shard_index(plan, sharded.string(), part.rows, i, 3);
    if (i == 2) {
      CHECK(read_shards(plan, sharded.string(), 3, rows).find("missing for --shard 3/3") != std::string::npos);
    }
  }
  rows.clear();
  REQUIRE(read_shards(plan, sharded.string(), 0, rows).empty());
  write_tables(plan, sharded.string(), rows);
  CHECK(read(sharded / "index.csv") == read(whole / "index.csv"));
  CHECK(read(sharded / "aggregates.csv") == read(whole / "aggregates.csv"));

  Plan other = plan;
  other.master_seed = 43;
  CHECK(claim_directory(other, sharded.string()).find("different sweep (its \"master_seed\" differs)") !=
        std::string::npos);
  rows.clear();
  CHECK(read_shards(other, sharded.string(), 3, rows).find("not one of this shard's runs") != std::string::npos);

  // A shard of another sweep with the same runs and seeds (another horizon), an edited
  // parameter value and a metric that is not a number are refused, each naming the shard file.
  const std::string shard2 = read(sharded / "index.shard-2-of-3.csv");
  auto merged_with = [&](const std::string& text) {
    std::ofstream(sharded / "index.shard-2-of-3.csv", std::ios::binary | std::ios::trunc) << text;
    rows.clear();
    return read_shards(plan, sharded.string(), 3, rows);
  };
  Plan longer = plan;
  longer.overrides = {"horizon_blocks=240"};
  const fs::path longer_dir = scratch("sharded-longer");
  const ExecuteResult longer_part = execute_runs(
      longer, longer_dir.string(), select_runs(plan_runs(longer), 1, 3), ExecuteOptions{});
  write_shard_index(longer, longer_dir.string(), longer_part.rows, 2, 3);
  const std::string foreign = merged_with(read(longer_dir / "index.shard-2-of-3.csv"));
  CHECK(foreign.find("index.shard-2-of-3.csv: run p0000-r01 was run by a different sweep") !=
        std::string::npos);
  CHECK(foreign.find("sweep_sha256 differs") != std::string::npos);
  std::string edited = shard2;
  edited.replace(edited.find(",0.3,"), 5, ",0.35,");
  CHECK(merged_with(edited).find("its point, seed or parameter values differ") !=
        std::string::npos);
  std::string text_metric = shard2;
  text_metric.replace(text_metric.find(",ok,,") + 5, 3, "zzz");
  const std::string bad_metric = merged_with(text_metric);
  CHECK(bad_metric.find("expected a number, found \"zzz") != std::string::npos);
  CHECK(merged_with(shard2).empty());  // the shard as written merges again
  // The scenario's path spelled another way (its content is the same) is the same sweep.
  Plan respelled = plan;
  respelled.scenario =
      (fs::path(plan.scenario).parent_path() / "." / fs::path(plan.scenario).filename()).string();
  const ExecuteResult respelled_part =
      execute_runs(respelled, sharded.string(), select_runs(runs, 1, 3), ExecuteOptions{});
  for (const RunRow& r : respelled_part.rows) REQUIRE(r.status == "ok");
  write_shard_index(respelled, sharded.string(), respelled_part.rows, 2, 3);
  rows.clear();
  CHECK(read_shards(plan, sharded.string(), 3, rows).empty());
}

TEST_CASE("progress line") {
  CHECK(progress_line(4, 16, 0, 4, 2.0) == "4 / 16 runs (25.0%), 2.00 runs/s, ETA 6s");
  CHECK(progress_line(16, 16, 8, 8, 4.0) == "16 / 16 runs (100.0%), 8 skipped, 2.00 runs/s");
  CHECK(progress_line(0, 16, 0, 0, 0.0) == "0 / 16 runs (0.0%)");
}

TEST_CASE("a sweep does not take a directory holding another tool's tables or a run's outputs") {
  const Plan plan = small_plan();
  // Another tool's index.csv: a sweep used to replace it without a word.
  const fs::path mine = scratch("mine");
  fs::create_directories(mine);
  std::ofstream(mine / "index.csv") << "id,value\n1,42\n";
  CHECK(claim_directory(plan, mine.string()) ==
        mine.string() +
            " holds index.csv but no sweep.json: a sweep would replace it; choose a new or empty "
            "directory, or remove it");
  CHECK(read(mine / "index.csv") == "id,value\n1,42\n");
  CHECK_FALSE(fs::exists(mine / "sweep.json"));
  // A run's output directory: the run's files and the sweep's tables would mix.
  const fs::path run = scratch("a-run");
  fs::create_directories(run);
  std::ofstream(run / "resolved_scenario.json") << "{}";
  CHECK_THAT(claim_directory(plan, run.string()),
             Catch::Contains("holds a run's outputs (resolved_scenario.json)"));
  // And the other way round: a run refuses a sweep's directory.
  const fs::path sweep_dir = scratch("a-sweep");
  REQUIRE(claim_directory(plan, sweep_dir.string()).empty());
  CHECK_THAT(subnetsim::runner::foreign_files_problem(sweep_dir.string()),
             Catch::Contains("is a sweep's directory (it holds sweep.json)"));
}

TEST_CASE("a sweep made by another build is not resumed: its runs' numbers may differ") {
  const Plan plan = small_plan();
  const fs::path dir = scratch("other-build");
  REQUIRE(claim_directory(plan, dir.string()).empty());
  const std::string here = read(dir / "sweep.json");
  CHECK_THAT(here, Catch::Contains("\"git\""));
  auto j = subnetsim::core::parse_json(here);
  j["tool"] = {{"name", "subnetsim"}, {"version", "0.0.9"}, {"git", "deadbeef"}};
  std::ofstream(dir / "sweep.json") << subnetsim::core::dump_json(j, 2);
  const std::string problem = claim_directory(plan, dir.string());
  CHECK_THAT(
      problem,
      Catch::Contains("sweep.json was made by subnetsim 0.0.9 (git deadbeef), this is subnetsim "));
  CHECK_THAT(problem, Catch::Contains("so they are not resumed"));
  // A sweep.json of before the build was recorded: an earlier build.
  j.erase("tool");
  std::ofstream(dir / "sweep.json", std::ios::trunc) << subnetsim::core::dump_json(j, 2);
  CHECK_THAT(claim_directory(plan, dir.string()),
             Catch::Contains("was made by an earlier build, this is subnetsim "));
}

TEST_CASE(
    "merge refuses a shard whose runs were interrupted, and a directory a shard still writes") {
  const Plan plan = small_plan();
  const auto runs = plan_runs(plan);
  const fs::path dir = scratch("interrupted-shard");
  REQUIRE(claim_directory(plan, dir.string()).empty());
  for (std::size_t i = 1; i <= 2; ++i) {
    ExecuteResult part =
        execute_runs(plan, dir.string(), select_runs(runs, i - 1, 2), ExecuteOptions{});
    if (i == 2) {
      // As a run stopped by Ctrl-C or a job's time limit records itself.
      const nlohmann::ordered_json summary = {{"status", "interrupted"},
                                              {"message", "interrupted after block 7"}};
      part.rows[0] = row_from_summary(plan, select_runs(runs, 1, 2)[0], summary, "");
      CHECK(part.rows[0].status == "interrupted");
    }
    write_shard_index(plan, dir.string(), part.rows, i, 2);
  }
  std::vector<RunRow> rows;
  const std::string problem = read_shards(plan, dir.string(), 0, rows);
  CHECK_THAT(problem, Catch::Contains("index.shard-2-of-2.csv: run "));
  CHECK_THAT(
      problem,
      Catch::Contains(
          " was interrupted (interrupted after block 7): run shard 2/2's sweep command again"));
  // A shard at work holds the directory's lock shared: merge's exclusive one is refused.
  std::string error;
  const auto shard = DirectoryLock::acquire(dir.string(), 1, 2, error);
  REQUIRE(shard);
  CHECK_FALSE(DirectoryLock::acquire(dir.string(), 1, 1, error));
  CHECK_THAT(error, Catch::Contains("another sweep is writing to this directory"));
}

TEST_CASE(
    "a sweep.json of before the build was recorded still merges, and a number beyond a double is "
    "named") {
  // Its shards were tagged with the hash of a description without "tool": read back, the plan
  // must describe itself the same way (it added "an earlier build" and matched no shard).
  Plan old = small_plan();
  old.tool_unrecorded = true;
  const auto runs = plan_runs(old);
  const fs::path dir = scratch("old-sweep");
  std::ofstream(dir / "sweep.json") << subnetsim::core::dump_json(plan_json(old), 2);
  CHECK_FALSE(plan_json(old).contains("tool"));
  for (std::size_t i = 1; i <= 2; ++i) {
    const ExecuteResult part =
        execute_runs(old, dir.string(), select_runs(runs, i - 1, 2), ExecuteOptions{});
    write_shard_index(old, dir.string(), part.rows, i, 2);
  }
  Plan back;
  REQUIRE(read_plan(dir.string(), back).empty());
  CHECK(back.tool_unrecorded);
  std::vector<RunRow> rows;
  CHECK(read_shards(back, dir.string(), 0, rows).empty());
  CHECK(rows.size() == runs.size());
  // 1e400 parses as JSON text but not as a double: a message, not an internal error.
  std::ofstream(dir / "sweep.json", std::ios::trunc) << R"({"replicates": 1e400})";
  CHECK_THAT(read_plan(dir.string(), back),
             Catch::Contains("sweep.json: not a sweep description ("));
}
