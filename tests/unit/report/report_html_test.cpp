#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "report_test_support.hpp"
#include "subnetsim/core/json_text.hpp"
#include "subnetsim/metrics/csv_writer.hpp"
#include "subnetsim/report/format.hpp"
#include "subnetsim/report/report.hpp"
#include "subnetsim/report/run_data.hpp"
#include "subnetsim/sim/simulation.hpp"
#include "text_match.hpp"

namespace fs = std::filesystem;
using report_test::count;
using subnetsim::report::write_report;

namespace {

// Validators voting yes, one inverted grader (slashed for low trust), eight miners, a proposal
// and a price shock: every section of the report has something to draw.
const char* kRunScenario = R"({"name": "report-test", "description": "A small run for the report's tests.",
  "seed": 3, "horizon_blocks": 600,
  "emission": {"schedule": "flat", "tao_per_block": 1},
  "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0}},
  "slashing": {"low_trust": {"trigger": "validator_trust_below", "threshold": 0.5, "for_epochs": 3,
                             "self_stake_fraction": 0.1, "destination": "burn"}},
  "proposals": {"raise_kappa": {"at_block": 100, "voting_blocks": 100, "path": "/subnets/1/kappa", "value": 0.6}},
  "script": [{"at_block": 300, "do": "price_shock", "factor": 0.5}],
  "agents": {
    "honest": {"type": "honest_validator", "count": 5, "stake_tao": 1000, "vote": "yes", "noise": 0.05, "sharpness": 4},
    "grader": {"type": "adversarial_validator", "count": 1, "stake_tao": 1000, "mode": "inverted", "sharpness": 4},
    "m": {"type": "honest_miner", "count": 8}}})";

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

void spit(const fs::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << text;
}

// A run directory as `subnetsim run` leaves it, in a fresh temporary folder. With governance,
// summary.json has the run's governance section as the runner writes it.
fs::path make_run_dir(const std::string& name, const char* scenario = kRunScenario,
                      bool governance = false) {
  const fs::path dir = fs::temp_directory_path() / ("subnetsim-report-test-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto loaded = subnetsim::scenario::load_scenario_text(scenario, "report-test.json");
  INFO(loaded.diagnostics.to_string());
  REQUIRE(loaded.ok());
  spit(dir / "resolved_scenario.json", loaded.resolved_json);
  subnetsim::metrics::CsvRunWriter writer(dir.string(), 1, true);
  subnetsim::sim::Simulation sim(*loaded.scenario, {}, writer);
  const auto result = sim.run();
  writer.finish();
  spit(
      dir / "summary.json",
      R"({"blocks": )" + std::to_string(result.blocks) + R"(, "epochs": )" +
          std::to_string(result.epochs) +
          R"(, "issuance_tao": 600.0, "slashed_tao": 12.5, "conservation_verified": true, "years": 0.002,
       "status": "completed", "tool": {"version": "0.1.0", "git": "abc"},
       "miners": {"gini": 0.4242, "top_share": 0.31, "apy_tao": 17.3617},
       "classes": {"honest": {"count": 5, "stake": {"final_tao": 5012.5}}, "m": {"count": 8}},
       "expectations": {"total": 2, "results": [{"expectation": "grader stake < 6000", "passed": true},
                                                 {"expectation": "share within 1e-06 of 0.1799954",
                                                  "passed": true, "actual": 0.179995392}]}})");
  if (governance) {
    auto summary = subnetsim::core::parse_ordered_json(slurp(dir / "summary.json"));
    for (const auto& p : result.proposals)
      summary["governance"][p.id] = {{"path", p.path},           {"closed_block", p.closed_block},
                                     {"passed", p.passed},       {"applied", p.applied},
                                     {"yes_share", p.yes_share}, {"turnout", p.turnout}};
    spit(dir / "summary.json", subnetsim::core::dump_json(summary, 2));
  }
  return dir;
}

// Tags html, body, svg, section, figure open and close in a properly nested order.
bool balanced(const std::string& html) {
  std::vector<std::string> open;
  for (const auto& tag : subnetsim::testing::regex_matches(
           html, "<(/?)(html|body|svg|section|figure|main|table|ol|ul)[\\s>]")) {
    const std::string& name = tag[2];
    if (tag[1].empty()) {
      open.push_back(name);
    } else {
      if (open.empty() || open.back() != name) return false;
      open.pop_back();
    }
  }
  return open.empty();
}

}  // namespace

TEST_CASE("report: reward concentration is the whole run's pay per agent, miners and validators apart") {
  // With agents.csv (every run writes it) the section reads each agent's paid_tao, as
  // summary.json's gini does, whatever epochs the outputs sampled (it summed the recorded
  // epochs only: a tenth of the pay with every_epochs 10, and miners mixed with validators).
  const fs::path dir = make_run_dir("agents");
  spit(dir / "agents.csv",
       "agent,group,type,role,netuid,uid,initial_tao,final_tao,paid_tao,hotkey_stake_tao,debt_usd,"
       "liquidated,apy_tao,apy_usd\n"
       "m/0,m,honest_miner,miner,1,5,0,10,10,0,0,0,,\n"
       "m/1,m,honest_miner,miner,1,6,0,30,30,0,0,0,,\n"
       "v/0,honest,honest_validator,validator,1,0,1000,1100,100,1100,0,0,,\n"
       "v/1,honest,honest_validator,validator,1,1,1000,1100,100,1100,0,0,,\n"
       "s/0,s,passive_staker,staker,1,-1,100,101,1,0,0,0,,\n");
  REQUIRE(write_report(dir.string()).empty());
  const std::string html = slurp(dir / "report.html");
  // Two miners paid 10 and 30: Lorenz points (0.5, 0.25), (1, 1), Gini 1 - 2 x 0.375 = 0.25.
  CHECK(html.find("Paid to each miner over the whole run (agents.csv): 40 TAO to 2 miners. Gini "
                  "coefficient 0.25 ") != std::string::npos);
  CHECK(html.find("Paid to each validator over the whole run (agents.csv): 200 TAO to 2 validators. "
                  "Gini coefficient 0 ") != std::string::npos);
  CHECK(html.find("75% (30 TAO)") != std::string::npos);  // m/1's share of the miners' pay
  CHECK(html.find("recorded epochs only") == std::string::npos);
  CHECK(balanced(html));
}

TEST_CASE("report: a killed run's .partial files are read up to their last complete line, and said so") {
  // A killed run leaves epochs.csv.partial (lines written whole, the last one perhaps cut) and
  // no epochs.csv: the report said "per-uid output was off", which was not why.
  const fs::path dir = make_run_dir("killed");
  const std::string epochs = slurp(dir / "epochs.csv");
  fs::remove(dir / "epochs.csv");
  spit(dir / "epochs.csv.partial", epochs + "600,1,50,0,validators/0,10");  // a line cut short
  spit(dir / "globals.csv.partial", "");
  fs::remove(dir / "globals.csv");
  // Killed before the vote's event was written: its outcome is unknown, not "no vote closed".
  const std::string events = slurp(dir / "events.csv");
  fs::remove(dir / "events.csv");
  spit(dir / "events.csv.partial", events.substr(0, events.find('\n') + 1));  // the header
  fs::remove(dir / "agents.csv");  // written at the end only
  REQUIRE(write_report(dir.string()).empty());
  const std::string html = slurp(dir / "report.html");
  // Without agents.csv, pay from the recorded epochs, miners and validators still apart (their
  // roles from the scenario's groups), not one curve of all agents.
  CHECK(html.find("Emission paid to each miner's hotkey, summed over the recorded epochs only") !=
        std::string::npos);
  CHECK(
      html.find("Emission paid to each validator's hotkey, summed over the recorded epochs only") !=
      std::string::npos);
  CHECK(html.find("Lorenz curve of the agents") == std::string::npos);
  CHECK(html.find("No vote is known to have closed: the run did not finish") != std::string::npos);
  CHECK(html.find("No vote closed within the run") == std::string::npos);
  CHECK(html.find("0 slashes are marked (the run did not finish: only those in the events it "
                  "recorded before it stopped).") != std::string::npos);
  CHECK(html.find("epochs.csv is incomplete: the run did not finish, so this page shows "
                  "epochs.csv.partial, up to its last complete line") != std::string::npos);
  CHECK(html.find("no globals.csv: the run did not finish, and globals.csv.partial holds no "
                  "complete line yet") != std::string::npos);
  CHECK(html.find("per-uid output was off") == std::string::npos);
  CHECK(count(html, "<section id=\"stake\">") == 1);
  CHECK(html.find("Stake per validator") != std::string::npos);  // drawn from the partial rows
  CHECK(balanced(html));
  // Killed before a line of epochs.csv.partial was complete: the sections say so too.
  const fs::path early = make_run_dir("killed-early");
  fs::remove(early / "epochs.csv");
  spit(early / "epochs.csv.partial", "block,netuid");
  spit(early / "summary.json", "{\"status\": \"incomplete\"}\n");  // as a run writes it first
  REQUIRE(write_report(early.string()).empty());
  const std::string page = slurp(early / "report.html");
  // Stake and concentration need epochs.csv; incentive and dividends come from classes.csv.
  CHECK(count(page,
              "No epochs.csv in this run (the run did not finish before it wrote any epoch)") == 2);
  CHECK(page.find("per-uid output was off") == std::string::npos);
  // A finished run whose epochs.csv was removed since (as the golden-results README suggests):
  // neither "output was off" nor "did not finish" (the report said both).
  const fs::path removed = make_run_dir("epochs-removed");
  fs::remove(removed / "epochs.csv");
  REQUIRE(write_report(removed.string()).empty());
  const std::string gone = slurp(removed / "report.html");
  CHECK(gone.find("no epochs.csv: the run finished, but the file is not in its directory") !=
        std::string::npos);
  CHECK(
      count(gone,
            "No epochs.csv in this run (the run finished, but the file is not in its directory)") ==
      2);
  CHECK(gone.find("per-uid output was off") == std::string::npos);
  CHECK(gone.find("did not finish") == std::string::npos);
}

TEST_CASE("report: a whole run directory becomes one self-contained, well-formed page") {
  const fs::path dir = make_run_dir("whole");
  REQUIRE(write_report(dir.string()).empty());
  const std::string html = slurp(dir / "report.html");
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(balanced(html));
  CHECK(count(html, "<html") == 1);
  CHECK(count(html, "<body") == 1);
  for (const char* id : {"summary", "stake", "rewards", "concentration", "supply", "governance", "story"})
    CHECK(count(html, std::string("<section id=\"") + id + "\">") == 1);
  // stake 1, rewards 2, concentration 4 (miners and validators apart, a chart and a curve
  // each), supply 2, governance 1.
  CHECK(count(html, "<svg") == 10);
  CHECK(count(html, "</svg>") == 10);
  // Nothing from outside: no links, scripts, fonts or images.
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  // Title, description, key numbers and the metric section of summary.json.
  CHECK(html.find("<h1>report-test</h1>") != std::string::npos);
  CHECK(html.find("A small run for the report&#39;s tests.") != std::string::npos);
  CHECK(html.find("<dt>blocks</dt><dd>600</dd>") != std::string::npos);
  CHECK(html.find("<dt>conservation verified</dt><dd>yes</dd>") != std::string::npos);
  CHECK(html.find("<h3>miners</h3>") != std::string::npos);
  CHECK(html.find("<div><dt>gini</dt><dd>0.4242</dd></div>") != std::string::npos);
  // A yield is a fraction a year in summary.json: 17.36 is 1,736% a year, not 17%.
  CHECK(html.find("<div><dt>apy_tao (% a year)</dt><dd>1,736.2%</dd></div>") != std::string::npos);
  // ... annualised from under a day of blocks, which the page says.
  CHECK(html.find("The yields (% a year) are annualised from a run of 0.731 days") !=
        std::string::npos);
  // An object of like objects is one table: a row per entry, a column per leaf.
  CHECK(html.find("<h3>classes</h3>\n<div class=\"wide\"><table class=\"metrics\">\n<tr><th></th><th>count</th>"
                  "<th>stake.final_tao</th></tr>\n<tr><th>honest</th><td>5</td><td>5,012.5</td></tr>\n"
                  "<tr><th>m</th><td>8</td><td></td></tr>\n</table></div>") != std::string::npos);
  // Arrays of objects (expectation results) are tables.
  CHECK(html.find("<h4>expectations.results</h4>") != std::string::npos);
  CHECK(html.find("<tr><td>grader stake &lt; 6000</td><td>yes</td><td></td></tr>") !=
        std::string::npos);
  // An expectation's actual value to all its digits, as its bound reads it (not 0.18).
  CHECK(html.find("<td>yes</td><td>0.179995392</td></tr>") != std::string::npos);
  // The story: genesis summary, slashes of the grader, the vote, the price shock.
  CHECK(html.find("<li>block 0: 14 agents registered at genesis on subnet 1: ") != std::string::npos);
  CHECK(subnetsim::testing::regex_search(
      html,
      "<li>block [0-9,]+: validator grader/0 \\(uid [0-9]+, subnet 1\\) was "
      "slashed 10% of its stake \\([0-9.,]+ TAO, burned\\) because its validator "
      "trust stayed below 0.5 for 3 epochs \\(measured [0-9.]+\\)</li>"));
  CHECK(html.find("<li>block 200: the proposal raise_kappa passed with 100% yes") != std::string::npos);
  CHECK(html.find("<li>block 300: the script shocked the TAO price: $") != std::string::npos);
  CHECK(html.find("(-50%)</li>") != std::string::npos);
  // Slashes are marked on the stake chart.
  CHECK(html.find("<circle") != std::string::npos);
  // The miners are the only group with incentive: their one line has its legend all the same.
  const auto incentive = html.find("<title>Incentive per agent group</title>");
  REQUIRE(incentive != std::string::npos);
  const std::string chart = html.substr(incentive, html.find("</svg>", incentive) - incentive);
  CHECK(count(chart, "<polyline") == 1);
  CHECK(chart.find("class=\"legend\">m</text>") != std::string::npos);
}

TEST_CASE("report: without epochs.csv or summary.json the page says so and still draws the rest") {
  const fs::path dir = make_run_dir("partial");
  fs::remove(dir / "epochs.csv");
  fs::remove(dir / "summary.json");
  const fs::path out = dir / "elsewhere.html";
  REQUIRE(write_report(dir.string(), out.string()).empty());
  CHECK_FALSE(fs::exists(dir / "report.html"));
  const std::string html = slurp(out);
  CHECK(balanced(html));
  CHECK(count(html, "No epochs.csv in this run") == 2);  // stake, concentration
  CHECK(html.find("No summary.json") != std::string::npos);
  CHECK(count(html, "<svg") == 5);  // rewards 2 (from classes.csv), supply 2, governance 1
  CHECK(count(html, "<section id=") == 7);
}

TEST_CASE("report: bad input is an error naming the file") {
  CHECK(write_report("/nonexistent/run") == "/nonexistent/run: no such run directory");
  const fs::path dir = make_run_dir("bad");
  spit(dir / "events.csv", "block,netuid,kind\n1,2\n");
  const std::string ragged = write_report(dir.string());
  CHECK(ragged.find("events.csv:") != std::string::npos);
  const std::string events_header =
      "block,netuid,kind,agent,uid,rule,measured,threshold,amount_tao,destination,detail\n";
  spit(dir / "events.csv", events_header + "5,1,slash,a/0,0,r,0,0,-1,burn,\n");
  CHECK(write_report(dir.string()) == (dir / "events.csv").string() + ":2: amount_tao \"-1\" is not an amount");
  spit(dir / "events.csv", events_header + "5,1,slash,a/0,0,r,0,0,lots,burn,\n");
  CHECK(write_report(dir.string()) ==
        (dir / "events.csv").string() + ":2: column \"amount_tao\": expected a number, found \"lots\"");
  spit(dir / "events.csv", events_header);
  // Text for the first row's block: refused, not skipped as a missing value.
  const std::string globals = slurp(dir / "globals.csv");
  const std::size_t row = globals.find('\n') + 1;
  spit(dir / "globals.csv", globals.substr(0, row) + "abc" + globals.substr(globals.find(',', row)));
  CHECK(write_report(dir.string()) ==
        (dir / "globals.csv").string() + ":2: column \"block\": expected a number, found \"abc\"");
  spit(dir / "globals.csv", globals);
  spit(dir / "summary.json", "{");
  CHECK(write_report(dir.string()) == (dir / "summary.json").string() +
                                          ": not valid JSON: line 1, column 2: syntax error while parsing object "
                                          "key - unexpected end of input; expected string literal");
  spit(dir / "summary.json", "");
  CHECK(write_report(dir.string()) ==
        (dir / "summary.json").string() + ": not valid JSON: the file is empty, expected a JSON object");
  spit(dir / "summary.json", "[1, 2]");
  CHECK(write_report(dir.string()) == (dir / "summary.json").string() + ": not a JSON object");
  // A field of another type than this version writes, by its pointer: it was drawn as it was.
  const std::string edited =
      " (a field of another type than this version writes: edited by hand, or of another tool?)";
  spit(dir / "summary.json", R"({"status": "completed", "blocks": "many"})");
  CHECK(write_report(dir.string()) == (dir / "summary.json").string() +
                                          ": /blocks: expected a whole number >= 0, got \"many\"" +
                                          edited);
  spit(dir / "summary.json", R"({"slashed_tao": [1], "conservation_verified": 1})");
  CHECK(write_report(dir.string()) ==
        (dir / "summary.json").string() + ": /slashed_tao: expected a number, got [1]" + edited);
  // Nested fields too, a class or a proposal by its name (escaped as the pointer's rules say).
  spit(dir / "summary.json", R"({"miners": {"count": 3, "gini": "high"}})");
  CHECK(write_report(dir.string()) == (dir / "summary.json").string() +
                                          ": /miners/gini: expected a number, got \"high\"" +
                                          edited);
  spit(dir / "summary.json", R"({"classes": {"a/b": {"apy_tao": 0.1}, "c~d": {"apy_tao": [1]}}})");
  CHECK(write_report(dir.string()) == (dir / "summary.json").string() +
                                          ": /classes/c~0d/apy_tao: expected a number, got [1]" +
                                          edited);
  spit(dir / "summary.json", R"({"governance": {"p": {"passed": "yes"}}})");
  CHECK(write_report(dir.string()) == (dir / "summary.json").string() +
                                          ": /governance/p/passed: expected true or false, got "
                                          "\"yes\"" +
                                          edited);
  spit(dir / "summary.json", R"({"classes": {"g": 5}})");
  CHECK(write_report(dir.string()) ==
        (dir / "summary.json").string() + ": /classes/g: expected an object, got 5" + edited);
  spit(dir / "summary.json", R"({"conservation_verified": 1})");
  CHECK(write_report(dir.string()) ==
        (dir / "summary.json").string() +
            ": /conservation_verified: expected true or false, got 1" + edited);
  fs::remove(dir / "resolved_scenario.json");
  CHECK(write_report(dir.string()).find("resolved_scenario.json: not found") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "report.html"));
}

TEST_CASE("report: events.csv rows come back as the records that wrote them") {
  CHECK(subnetsim::report::rao_from_tao_text("1000.183118277") == 1000183118277ULL);
  CHECK(subnetsim::report::rao_from_tao_text("2") == 2000000000ULL);
  CHECK(subnetsim::report::rao_from_tao_text("0.5") == 500000000ULL);
  CHECK_FALSE(subnetsim::report::rao_from_tao_text("-1"));
  CHECK_FALSE(subnetsim::report::rao_from_tao_text("1.0000000001"));
  // Every amount 64-bit rao holds (a stake shock near the largest supply wrote 15,980,000,000).
  CHECK(subnetsim::report::rao_from_tao_text("15980000000.000000000") == 15980000000000000000ULL);
  CHECK(subnetsim::report::rao_from_tao_text("18446744073.709551615") == 18446744073709551615ULL);
  CHECK_FALSE(subnetsim::report::rao_from_tao_text("18446744073.709551616"));
  CHECK_FALSE(subnetsim::report::rao_from_tao_text("100000000000"));
  const auto table = subnetsim::metrics::parse_csv(
      "block,netuid,kind,agent,uid,rule,measured,threshold,amount_tao,destination,detail\n"
      "47,1,slash,grader/0,40,low_trust,0.159884031,0.5,1000.183118277,burn,\"trust, low\"\n"
      "0,1,proposal,,,p,1,2,0.000000000,,\n",
      "events.csv");
  REQUIRE(table.ok());
  std::vector<subnetsim::metrics::EventRecord> events;
  REQUIRE(subnetsim::report::events_from_csv(*table.table, "events.csv", events).empty());
  REQUIRE(events.size() == 2);
  CHECK(events[0].block == 47);
  CHECK(events[0].uid == 40);
  CHECK(events[0].measured == 0.159884031);
  CHECK(events[0].amount_rao == 1000183118277ULL);
  CHECK(events[0].detail == "trust, low");
  CHECK(events[1].uid == -1);
  CHECK(events[1].agent.empty());
}

TEST_CASE(
    "report: report.html joins the run's manifest file list, and a report elsewhere leaves it") {
  const fs::path dir = make_run_dir("manifest");
  spit(dir / "manifest.json", R"({"seed": 7, "files": [{"name": "events.csv", "bytes": 3},
                                  {"name": "report.html", "bytes": 1}]})");
  REQUIRE(write_report(dir.string()).empty());
  const auto manifest = subnetsim::core::parse_json(slurp(dir / "manifest.json"));
  CHECK(manifest["seed"] == 7);
  REQUIRE(manifest["files"].size() == 2);  // the earlier report.html entry replaced, not repeated
  CHECK(manifest["files"][0]["name"] == "events.csv");
  CHECK(manifest["files"][1]["name"] == "report.html");
  CHECK(manifest["files"][1]["bytes"] == fs::file_size(dir / "report.html"));
  CHECK_FALSE(fs::exists(dir / "manifest.json.partial"));
  // A report written elsewhere is not one of the run's files.
  const std::string before = slurp(dir / "manifest.json");
  REQUIRE(
      write_report(dir.string(), (dir.parent_path() / "subnetsim-report-elsewhere.html").string())
          .empty());
  CHECK(slurp(dir / "manifest.json") == before);
  // A run without a manifest (killed) gets none.
  const fs::path killed = make_run_dir("manifest-killed");
  REQUIRE(write_report(killed.string()).empty());
  CHECK_FALSE(fs::exists(killed / "manifest.json"));
}

TEST_CASE("report: on paper, wide tables shrink to the page instead of scrolling") {
  const fs::path dir = make_run_dir("print");
  REQUIRE(write_report(dir.string()).empty());
  const std::string html = slurp(dir / "report.html");
  const auto print = html.find("@media print");
  REQUIRE(print != std::string::npos);
  CHECK(html.find("div.wide { overflow: visible; }", print) != std::string::npos);
}

TEST_CASE(
    "report: without per-uid output the incentive and dividends come from classes.csv, read as "
    "strictly as the rest") {
  const fs::path dir = make_run_dir("no-per-uid");
  fs::remove(dir / "epochs.csv");
  REQUIRE(write_report(dir.string()).empty());
  const std::string html = slurp(dir / "report.html");
  const auto rewards = html.find("<section id=\"rewards\">");
  REQUIRE(rewards != std::string::npos);
  const std::string section = html.substr(rewards, html.find("</section>", rewards) - rewards);
  CHECK(section.find("from classes.csv") != std::string::npos);
  CHECK(count(section, "<svg") == 2);
  CHECK(section.find("nothing to draw") == std::string::npos);
  // A malformed classes.csv is bad input naming the file and line, as for the other files.
  std::ofstream(dir / "classes.csv", std::ios::app) << "x,y\n";
  const std::string error = write_report(dir.string());
  CHECK(error.find("classes.csv:") != std::string::npos);
  CHECK(error.find("expected") != std::string::npos);
}

TEST_CASE("report: the same run gives the same page wherever its directory is, by whatever path") {
  // The page names its run directory by its own name. Once failed: it embedded the path given
  // (o/rep1 or /tmp/x/rep1), so a run's report.html (and the manifest's byte count of it)
  // depended on where it was written.
  const fs::path dir = make_run_dir("where");
  const fs::path other =
      fs::temp_directory_path() / "subnetsim-report-test-elsewhere" / "subnetsim-report-test-where";
  fs::remove_all(other.parent_path());
  fs::create_directories(other.parent_path());
  fs::copy(dir, other, fs::copy_options::recursive);
  REQUIRE(write_report(dir.string()).empty());
  REQUIRE(write_report((other.string() + "/")).empty());
  const std::string here = slurp(dir / "report.html"), there = slurp(other / "report.html");
  CHECK(here.find("run directory subnetsim-report-test-where ·") != std::string::npos);
  CHECK(here == there);
}

namespace {
// Half the stake votes yes, the rest abstains (turnout about 50%), on three proposals: one with a
// quorum of 90%, one whose change the chain refuses (alpha_low above alpha_high), one that passes.
const char* kVotesScenario = R"({"name": "votes", "seed": 5, "horizon_blocks": 400,
  "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0, "yuma": "yuma3_liquid"}},
  "proposals": {
    "noquorum": {"at_block": 50, "voting_blocks": 50, "path": "/subnets/1/kappa", "value": 0.6, "quorum": 0.9},
    "badbound": {"at_block": 150, "voting_blocks": 50, "path": "/subnets/1/alpha_low", "value": 0.95, "quorum": 0.3},
    "fine": {"at_block": 250, "voting_blocks": 50, "path": "/subnets/1/kappa", "value": 0.6, "quorum": 0.3}},
  "agents": {
    "yes": {"type": "honest_validator", "count": 2, "stake_tao": 1000, "vote": "yes"},
    "quiet": {"type": "honest_validator", "count": 2, "stake_tao": 1000, "vote": "abstain"},
    "m": {"type": "honest_miner", "count": 4}}})";

std::string section(const std::string& html, const std::string& id) {
  const auto at = html.find("<section id=\"" + id + "\">");
  REQUIRE(at != std::string::npos);
  return html.substr(at, html.find("</section>", at) - at);
}
}  // namespace

TEST_CASE("report: a vote that failed for its quorum, or passed but was not applied, says so") {
  // Once: a 100% yes vote without its quorum read "100% (needs more than 50%) failed" and its bar
  // "100% yes: failed"; a passed vote whose change the chain refused was a green "passed".
  for (const bool from_summary : {true, false}) {
    INFO("governance in summary.json: " << from_summary);
    const fs::path dir =
        make_run_dir(from_summary ? "votes" : "votes-events", kVotesScenario, from_summary);
    REQUIRE(write_report(dir.string()).empty());
    const std::string html = slurp(dir / "report.html");
    CHECK(balanced(html));
    const std::string gov = section(html, "governance");
    CHECK(subnetsim::testing::regex_search(
        gov,
        "<td>4[0-9.]+% \\(quorum 90%\\)</td><td>100% \\(needs more than 50%\\)"
        "</td><td class=\"bad\">failed for lack of quorum \\(turnout 4[0-9.]+% "
        "&lt; quorum 90%\\)</td>"));
    CHECK(subnetsim::testing::regex_search(
        gov, ">100% yes: failed, no quorum \\(turnout 4[0-9.]+% &lt; quorum 90%\\)<"));
    // alpha_high is stored as a u16 fraction: 0.9000076295109484, told as 0.900008.
    CHECK(
        gov.find("<td class=\"warn\">passed, but not applied: refused, alpha_low 0.95 would exceed "
                 "alpha_high (0.900008) of subnet 1</td>") != std::string::npos);
    CHECK(gov.find(">100% yes: passed, not applied<") != std::string::npos);
    CHECK(count(gov, "<td class=\"good\">passed</td>") == 1);  // fine
    CHECK(gov.find(">100% yes: passed<") != std::string::npos);
    CHECK(count(gov, "class=\"bad\"") == 1);
  }
}

TEST_CASE(
    "report: the stake chart draws validators only, and breaks a line where its agent had no uid") {
  // Eight miners and four validators on 64 permits: the miners hold permits too, and were drawn
  // as validators (and counted in "others (N validators, mean)").
  const fs::path dir = make_run_dir("stake-validators");
  std::string html;
  REQUIRE(write_report(dir.string()).empty());
  html = slurp(dir / "report.html");
  std::string stake = section(html, "stake");
  CHECK(stake.find("class=\"legend\">honest/0<") != std::string::npos);
  CHECK(stake.find("class=\"legend\">grader/0<") != std::string::npos);
  CHECK(stake.find("class=\"legend\">m/") == std::string::npos);
  CHECK(stake.find("<title>m/") == std::string::npos);
  CHECK(stake.find("others (") == std::string::npos);  // six validators, all drawn
  CHECK(count(stake, "<polyline") == 6);
  // honest/1 without rows at two recorded blocks in the middle (a uid it lost and got back):
  // two lines, not one joined across the gap.
  const std::string epochs = slurp(dir / "epochs.csv");
  std::istringstream in(epochs);
  std::string line, kept;
  std::vector<std::string> blocks;
  while (std::getline(in, line)) {
    if (line.find(",honest/1,") != std::string::npos) {
      const std::string block = line.substr(0, line.find(','));
      if (blocks.empty() || blocks.back() != block) blocks.push_back(block);
      if (blocks.size() >= 10 && blocks.size() < 12) continue;
    }
    kept += line + "\n";
  }
  REQUIRE(blocks.size() > 20);
  spit(dir / "epochs.csv", kept);
  REQUIRE(write_report(dir.string()).empty());
  stake = section(slurp(dir / "report.html"), "stake");
  CHECK(count(stake, "<polyline") == 7);
  CHECK(count(stake, "<title>honest/1</title></polyline>") == 2);
  CHECK(stake.find("nan") == std::string::npos);
}
