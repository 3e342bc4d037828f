#include "subnetsim/runner/summary.hpp"

#include <catch2/catch.hpp>
#include <limits>

#include "subnetsim/runner/progress.hpp"

using namespace subnetsim;

namespace {

sim::AgentOutcome agent(const std::string& group, int i, const std::string& role, double start_tao,
                        double end_tao, double paid_tao) {
  sim::AgentOutcome a;
  a.name = group + "/" + std::to_string(i);
  a.group = group;
  a.role = role;
  a.type = role == "miner" ? "honest_miner" : role == "validator" ? "honest_validator" : "passive_staker";
  a.initial_wealth_rao = static_cast<std::uint64_t>(start_tao * 1e9);
  a.final_wealth_rao = static_cast<std::uint64_t>(end_tao * 1e9);
  a.paid_rao = static_cast<std::uint64_t>(paid_tao * 1e9);
  a.hotkey_stake_rao = a.final_wealth_rao;
  return a;
}

// Half a year of 12 s blocks, price doubling from $100 to $200.
sim::RunResult half_year() {
  sim::RunResult r;
  r.blocks = 1'314'900;
  r.initial_price_usd = 100;
  r.final_price_usd = 200;
  r.agents = {agent("v", 0, "validator", 1000, 1100, 100), agent("v", 1, "validator", 1000, 1000, 0),
              agent("m", 0, "miner", 0, 30, 30), agent("m", 1, "miner", 0, 10, 10),
              agent("s", 0, "staker", 500, 550, 0)};
  r.emitted.miners_rao = 40'000'000'000;
  r.emitted.validators_rao = 60'000'000'000;
  r.proposals.push_back({"double", "subnets.1.min_validator_stake_tao", 7200, true, true, 0.75, 0.6});
  r.proposals.push_back({"refused", "subnets.1.alpha_low", 7300, true, false, 0.9, 0.7});
  return r;
}

}  // namespace

TEST_CASE("summary metrics: yields annualised, in TAO and USD, per role and per class") {
  config::Scenario s;
  s.chain.block_time_s = 12;
  const auto j = runner::summary_metrics(half_year(), s);
  CHECK(j["years"].get<double>() == Approx(0.5));
  // Validators: 2000 -> 2100 TAO in half a year = 10% a year in TAO; in USD 200k -> 420k = 220%.
  CHECK(j["validators"]["apy_tao"].get<double>() == Approx(0.10));
  CHECK(j["validators"]["apy_usd"].get<double>() == Approx(2.20));
  CHECK(j["validators"]["count"] == 2);
  CHECK(j["validators"]["paid_tao"].get<double>() == Approx(100));
  CHECK(j["validators"]["gini"].get<double>() == Approx(0.5));
  CHECK(j["validators"]["top_5pct_share"].get<double>() == Approx(1.0));
  // Miners start with nothing: no yield, but concentration of pay: 30 and 10.
  CHECK(j["miners"]["apy_tao"].is_null());
  CHECK(j["miners"]["gini"].get<double>() == Approx(0.25));
  CHECK(j["miners"]["top_5pct_share"].get<double>() == Approx(0.75));
  CHECK(j["stakers"]["apy_tao"].get<double>() == Approx(0.20));
  CHECK(j["classes"]["s"]["role"] == "staker");
  CHECK(j["classes"]["m"]["count"] == 2);
  CHECK(j["emission"]["shares"]["miners"].get<double>() == Approx(0.4));
  CHECK(j["emission"]["validators_tao"].get<double>() == Approx(60));
  CHECK(j["stake"]["nakamoto_coefficient"] == 1);  // 1100 of 2100 validator stake
  CHECK(j["governance"]["double"]["passed"] == true);
  CHECK(j["governance"]["double"]["applied"] == true);
  CHECK(j["governance"]["refused"]["passed"] == true);
  CHECK(j["governance"]["refused"]["applied"] == false);
  CHECK(j["governance"]["double"]["yes_share"].get<double>() == Approx(0.75));
}

TEST_CASE("summary: agents.csv has one row per agent with its yields") {
  config::Scenario s;
  s.chain.block_time_s = 12;
  const std::string csv = runner::agents_csv(half_year(), s);
  CHECK(csv.rfind("agent,group,type,role,netuid,uid,initial_tao,final_tao,paid_tao,", 0) == 0);
  CHECK(csv.find("\nv/"
                 "0,v,honest_validator,validator,0,,1000.000000000,1100.000000000,100.000000000,"
                 "1100.000000000,0.0,0,0.2,2.4\n") != std::string::npos);
  CHECK(csv.find("\nm/"
                 "1,m,honest_miner,miner,0,,0.000000000,10.000000000,10.000000000,10.000000000,0.0,"
                 "0,,\n") != std::string::npos);
}

TEST_CASE(
    "summary: a yield beyond a double is an empty cell in agents.csv, as it is null in "
    "summary.json") {
  // A run stopped on a price overflow: the USD value at the end is infinite.
  sim::RunResult r = half_year();
  r.final_price_usd = std::numeric_limits<double>::infinity();
  r.agents = {agent("v", 0, "validator", 1000, 1100, 100)};
  config::Scenario s;
  s.chain.block_time_s = 12;
  CHECK(runner::summary_metrics(r, s)["validators"]["apy_usd"].is_null());
  const std::string csv = runner::agents_csv(r, s);
  CHECK(csv.find("inf") == std::string::npos);
  CHECK(csv.find(",0.2,\n") != std::string::npos);  // apy_tao 20%, apy_usd empty
}

TEST_CASE("progress: the line says where the run is and how long is left") {
  CHECK(runner::ProgressReporter::line(250, 1000, 2.0) == "block 250 / 1,000 (25.0%), 125 blocks/s, ETA 6s");
  CHECK(runner::ProgressReporter::line(1'234'567, 2'629'800, 0.0) == "block 1,234,567 / 2,629,800 (46.9%)");
  CHECK(runner::duration_text(3725) == "1h02m");
  CHECK(runner::duration_text(125) == "2m05s");
  CHECK(runner::with_thousands(999) == "999");
  CHECK(runner::with_thousands(1000) == "1,000");
}
