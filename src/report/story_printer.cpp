#include "subnetsim/report/story_printer.hpp"

namespace subnetsim::report {

StoryPrinter::StoryPrinter(const config::Scenario& scenario, std::ostream& out) : story_(scenario), out_(out) {}

void StoryPrinter::on_event(const metrics::EventRecord& e) {
  for (const std::string& line : story_.add(e)) out_ << line << '\n';
}

void StoryPrinter::finish() {
  for (const std::string& line : story_.finish()) out_ << line << '\n';
  out_.flush();
}

}  // namespace subnetsim::report
