// ProgressReporter: an Observer that tells a person how far a run has got. On a terminal, one
// line rewritten in place (block, percent, blocks/s, ETA) at most a few times a second; in a
// log (not a terminal), one line "progress: block ..." every 10 s. It reads only the block number,
// so it cannot change results.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

#include "subnetsim/metrics/records.hpp"

namespace subnetsim::runner {

class ProgressReporter : public metrics::Observer {
 public:
  enum class Style { kTerminalLine, kLogLine };
  // `every`: the least time between two lines; 0 = the style's (250 ms on a terminal, 10 s in
  // a log).
  ProgressReporter(std::uint64_t horizon, Style style, std::ostream& out,
                   std::chrono::milliseconds every = std::chrono::milliseconds(0));
  void on_block(std::uint64_t block) override;
  // Ends the terminal line (a newline), so later output starts on its own line.
  void finish();

  // "block 1,234 / 5,000 (24.7%), 812 blocks/s, ETA 4s": exposed for tests.
  static std::string line(std::uint64_t block, std::uint64_t horizon, double elapsed_s);

 private:
  std::uint64_t horizon_;
  Style style_;
  std::ostream& out_;
  std::chrono::steady_clock::duration every_;
  std::chrono::steady_clock::time_point start_, last_;
  bool printed_ = false;
};

// 1234567 -> "1,234,567"
std::string with_thousands(std::uint64_t n);
// 3725 s -> "1h02m"; 125 s -> "2m05s"; 7 s -> "7s"
std::string duration_text(double seconds);

}  // namespace subnetsim::runner
