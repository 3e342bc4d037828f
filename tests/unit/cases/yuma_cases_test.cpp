// The classic Yuma cases through the library: "kappa moves first" under classic and Yuma 3
// differ the way spec §3.8/§3.9 say they must, every shipped case loads and runs, and the
// outputs (csv, md, html) say what was run.
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "subnetsim/cases/cases.hpp"
#include "subnetsim/core/diagnostics.hpp"

namespace fs = std::filesystem;
using namespace subnetsim::cases;

namespace {

// A fresh directory under the system's temporary folder, removed at the end of the test.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() / ("subnetsim-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

const VariantRun& run_of(const CaseResult& c, const std::string& variant) {
  for (const VariantRun& r : c.runs)
    if (r.variant == variant) return r;
  FAIL("no run under " << variant);
  throw;
}

// A validator group's dividends in the record of epoch e.
double dividends_at(const VariantRun& r, const std::string& group, std::uint64_t epoch) {
  for (std::size_t i = 0; i < r.epochs.size(); ++i)
    if (r.epochs[i] == epoch) return r.dividends.at(group)[i];
  FAIL("no epoch " << epoch);
  return 0.0;
}

}  // namespace

TEST_CASE("kappa moves first: classic bonds pay the first mover, Yuma 3 pays by stake", "[cases]") {
  TempDir out("cases-kmf");
  CasesOptions o;
  o.inputs = {"scenarios/yuma-cases/kappa-moves-first.json"};
  o.out_dir = out.path.string();
  o.variants = {"classic", "yuma3"};
  std::ostringstream log;
  const CasesReport report = run_cases(o, log);
  INFO(log.str() << report.problems);
  REQUIRE(report.exit_code == subnetsim::core::kExitOk);
  REQUIRE(report.cases.size() == 1);
  const CaseResult& c = report.cases[0];
  CHECK(c.id == "kappa-moves-first");
  CHECK(c.own_variant == "yuma3");
  CHECK(c.validators == std::vector<std::string>{"A", "B", "C"});
  CHECK(c.miners == std::vector<std::string>{"S1", "S2"});
  const VariantRun& classic = run_of(c, "classic");
  const VariantRun& yuma3 = run_of(c, "yuma3");
  REQUIRE(classic.completed);
  REQUIRE(yuma3.completed);
  REQUIRE(classic.epochs.size() == 41);
  REQUIRE(yuma3.epochs.size() == 41);
  // The scenario's own expectations hold under its own variant (and were not checked under the other).
  CHECK_FALSE(yuma3.expectations.empty());
  CHECK(subnetsim::results::count_failed(yuma3.expectations) == 0);
  CHECK(classic.expectations.empty());

  // Stake shares are 80/10/10% throughout (dividends add 1 TAO per epoch to 1M TAO of stake).
  CHECK(stake_share(classic, c.validators, "A") == Approx(0.8).margin(1e-4));
  CHECK(stake_share(classic, c.validators, "B") == Approx(0.1).margin(1e-4));

  // Epochs 2 and earlier: everyone on S1, dividends by stake under both.
  for (const VariantRun* r : {&classic, &yuma3}) {
    CHECK(dividends_at(*r, "A", 2) == Approx(0.8).margin(1e-3));
    CHECK(dividends_at(*r, "B", 2) == Approx(0.1).margin(1e-3));
  }
  // Epoch 3: A alone moves to S2 and takes consensus with it (80% > kappa); S2 gets all the
  // incentive, and the only bond on S2 is A's.
  // Classic: the bond share is stake-normalised per column, so A holds S2's whole bond column:
  // all of the epoch's dividends go to A.
  CHECK(dividends_at(classic, "A", 3) == Approx(1.0).margin(1e-3));
  CHECK(dividends_at(classic, "B", 3) == Approx(0.0).margin(1e-3));
  // Yuma 3: the same (only A holds a bond on S2), dividends = bond share x stake, normalised.
  CHECK(dividends_at(yuma3, "A", 3) == Approx(1.0).margin(1e-3));
  // Epoch 4: B joins S2. Classic: B's new bond is its stake share of the column (1/9) times the
  // EMA rate 0.1, against A's 0.9 x 1 + 0.1 x 8/9: B gets ~1.1% of the column, so ~1.1% of the
  // dividends, far below its 10% stake. Yuma 3: bonds grow with the weight, not the stake, so
  // B's bond (0.1) is a third of A's (0.19): dividends 0.1 x 0.1/0.29 against 0.8 x 0.19/0.29.
  const double b_classic_4 = dividends_at(classic, "B", 4);
  const double b_yuma3_4 = dividends_at(yuma3, "B", 4);
  CAPTURE(b_classic_4, b_yuma3_4);
  CHECK(b_classic_4 == Approx(0.1 * (1.0 / 9.0) / (0.9 + 0.1)).margin(2e-3));
  const double t_a = 0.19 / 0.29, t_b = 0.1 / 0.29;
  CHECK(b_yuma3_4 == Approx(0.1 * t_b / (0.8 * t_a + 0.1 * t_b)).margin(2e-3));
  CHECK(b_yuma3_4 > 3 * b_classic_4);

  // Over the run, classic's bonds keep paying A above its stake long after the switch (0.835
  // at epoch 20); Yuma 3's lag is shorter. So A's share is higher under classic, and both are above 80%.
  const double a_classic = dividend_share(classic, c.validators, "A");
  const double a_yuma3 = dividend_share(yuma3, c.validators, "A");
  CAPTURE(a_classic, a_yuma3);
  CHECK(a_classic > a_yuma3 + 0.01);
  CHECK(a_yuma3 > 0.8);
  // The dividend totals add up to one per epoch with weights: all but the first (no permits yet).
  CHECK(dividends_at(classic, "A", 1) == 0.0);
  CHECK(dividend_total(classic, "A") + dividend_total(classic, "B") + dividend_total(classic, "C") ==
        Approx(40.0).margin(1e-3));

  // The outputs name what ran.
  REQUIRE(write_outputs(report.cases, o.out_dir).empty());
  CHECK(fs::exists(out.path / "runs" / "kappa-moves-first" / "classic" / "classes.csv"));
  const std::string csv = cases_csv(report.cases);
  CHECK(csv.rfind("case,variant,epoch,block,validator,stake_tao,dividends,bond_total,incentive_S1,incentive_S2\n", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 2 * 41 * 3);
  const std::string md = cases_markdown(report.cases);
  CHECK(md.find("| validator | stake share | classic | yuma3 (own) |") != std::string::npos);
  const std::string html = cases_html(report.cases);
  CHECK(html.find("<script") == std::string::npos);
}

TEST_CASE("every shipped case runs under every default variant and meets its own expectations",
          "[cases]") {
  TempDir out("cases-all");
  CasesOptions o;
  o.inputs = {"scenarios/yuma-cases"};
  o.out_dir = out.path.string();
  std::ostringstream log;
  const CasesReport report = run_cases(o, log);
  INFO(log.str() << report.problems);
  CHECK(report.exit_code == subnetsim::core::kExitOk);
  REQUIRE(report.cases.size() == 10);
  for (const CaseResult& c : report.cases) {
    INFO(c.id);
    CHECK_FALSE(c.description.empty());
    REQUIRE(c.runs.size() == kDefaultVariants.size());
    std::size_t checked = 0;
    for (const VariantRun& r : c.runs) {
      CHECK(r.completed);
      CHECK(r.epochs.size() == 41);
      checked += r.expectations.size();
    }
    CHECK(checked > 0);  // every case asserts its qualitative result
  }
}

TEST_CASE("bad inputs: nothing runs", "[cases]") {
  TempDir out("cases-bad");
  CasesOptions o;
  o.out_dir = out.path.string();
  std::ostringstream log;
  o.inputs = {"scenarios/yuma-cases/kappa-moves-first.json", "nope.json"};
  CasesReport r = run_cases(o, log);
  CHECK(r.exit_code == subnetsim::core::kExitBadInput);
  CHECK(r.problems == "nope.json: file not found\n");
  // An unknown variant is one line for all the cases, naming every variant there is.
  o.inputs = {"scenarios/yuma-cases"};
  o.variants = {"classic", "yuma9"};
  r = run_cases(o, log);
  CHECK(r.exit_code == subnetsim::core::kExitBadInput);
  CHECK(r.problems == "variants: unknown variant \"yuma9\" (expected one of classic, yuma3, yuma3_liquid, "
                      "classic_liquid_v1, legacy_sigmoid)\n");
  CHECK(r.cases.empty());
  CHECK(check_variants({"classic", "yuma3", "legacy_sigmoid"}).empty());
  CHECK_FALSE(fs::exists(out.path / "runs"));
}

TEST_CASE("a stop before any run keeps the earlier tables, which go once runs begin", "[cases]") {
  TempDir out("cases-stop");
  std::filesystem::create_directories(out.path);
  std::ofstream(out.path / "cases.csv") << "earlier\n";
  CasesOptions o;
  o.inputs = {"scenarios/yuma-cases/kappa-moves-first.json"};
  o.out_dir = out.path.string();
  std::atomic<bool> stop{true};
  o.stop = &stop;
  std::ostringstream log;
  const CasesReport stopped = run_cases(o, log);
  CHECK(stopped.interrupted);
  CHECK(stopped.exit_code == subnetsim::core::kExitInterrupted);
  CHECK(std::filesystem::exists(out.path / "cases.csv"));  // nothing ran: they still describe runs/
  CHECK_FALSE(std::filesystem::exists(out.path / "runs"));
  stop = false;
  const CasesReport ran = run_cases(o, log);
  CHECK_FALSE(ran.interrupted);
  CHECK_FALSE(std::filesystem::exists(out.path / "cases.csv"));  // the caller writes new ones
}
