// The report's story section: its first kMaxStoryLines lines, and a note on the rest that counts
// lines of the story (a line may tell several events, so a count of events would not match).
#include <catch2/catch.hpp>

#include "../../../src/report/sections.hpp"
#include "report_test_support.hpp"
#include "subnetsim/report/run_data.hpp"

using report_test::event;
using report_test::kTao;

TEST_CASE("report: the story's note counts the lines left out and says from which block") {
  subnetsim::report::RunData run;
  run.scenario = report_test::load(report_test::kStoryScenario);
  run.has_events = true;
  using subnetsim::report::sections::kMaxStoryLines;
  // One line each, up to the limit.
  for (std::uint64_t b = 1; b <= kMaxStoryLines; ++b)
    run.events.push_back(event(b, "slash", "validators/0", 0, "far", 0.5, 0.3, kTao, "treasury",
                               "weights far from consensus for 2 epochs"));
  // Beyond it: four permits lost in one block (one line) and one more slash (another).
  for (std::int32_t u = 0; u < 4; ++u)
    run.events.push_back(event(kMaxStoryLines + 100, "permit_lost",
                               "validators/" + std::to_string(u), u, "", 0, 0, 1000 * kTao, "",
                               "its stake 1,000 TAO is below the minimum"));
  run.events.push_back(event(kMaxStoryLines + 200, "slash", "validators/1", 1, "far", 0.5, 0.3,
                             kTao, "treasury", "weights far from consensus for 2 epochs"));
  const std::string html = subnetsim::report::sections::story(run);
  CHECK(report_test::count(html, "<li>block ") == kMaxStoryLines);
  CHECK_THAT(html,
             Catch::Contains(
                 "... and 2 more lines of the story, from block 500: events.csv has every event"));
}
