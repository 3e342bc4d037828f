// StoryPrinter: a metrics::Observer that prints the run's story (report::Story lines) to a
// stream as the events happen, for `subnetsim run --story`.
//
// Invariants: each line is written whole and followed by '\n' as soon as Story releases it;
// epochs and samples are ignored. A still-open genesis batch and the summaries of repeated
// refusals (under a "Repeated refusals" heading line, when there are any) are printed by
// finish(), which the owner calls once the run is over (the destructor prints nothing).
#pragma once

#include <ostream>

#include "subnetsim/metrics/records.hpp"
#include "subnetsim/report/story.hpp"

namespace subnetsim::report {

class StoryPrinter : public metrics::Observer {
 public:
  StoryPrinter(const config::Scenario& scenario, std::ostream& out);

  void on_event(const metrics::EventRecord& e) override;
  void finish();

 private:
  Story story_;
  std::ostream& out_;
};

}  // namespace subnetsim::report
