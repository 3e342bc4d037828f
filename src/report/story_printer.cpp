#include "subnetsim/report/story_printer.hpp"

namespace subnetsim::report {

StoryPrinter::StoryPrinter(const config::Scenario& scenario, std::ostream& out) : story_(scenario), out_(out) {}

void StoryPrinter::on_event(const metrics::EventRecord& e) {
  for (const std::string& line : story_.add(e)) out_ << line << '\n';
}

void StoryPrinter::finish() {
  for (const std::string& line : story_.flush()) out_ << line << '\n';
  // The summaries cover the whole run and follow its last events: a heading sets them apart
  // (without it they read as the story's next lines, out of block order).
  const std::vector<std::string> summaries = story_.finish();
  if (!summaries.empty())
    out_ << Story::kRefusalsHeading << " (the first of each is told above, in its place):\n";
  for (const std::string& line : summaries) out_ << line << '\n';
  const std::vector<std::string> permits = story_.permit_summary();
  if (!permits.empty())
    out_ << Story::kPermitsHeading << " (each agent's first gain and first loss are told above):\n";
  for (const std::string& line : permits) out_ << line << '\n';
  out_.flush();
}

}  // namespace subnetsim::report
