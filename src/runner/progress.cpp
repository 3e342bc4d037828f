#include "subnetsim/runner/progress.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>

namespace subnetsim::runner {

namespace {
constexpr auto kTerminalEvery = std::chrono::milliseconds(250);
constexpr auto kLogEvery = std::chrono::milliseconds(10'000);
}  // namespace

std::string with_thousands(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string duration_text(double seconds) {
  const auto s = static_cast<long long>(std::llround(std::max(0.0, seconds)));
  char buf[48];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%lldh%02lldm", s / 3600, (s % 3600) / 60);
  else if (s >= 60) std::snprintf(buf, sizeof buf, "%lldm%02llds", s / 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%llds", s);
  return buf;
}

std::string ProgressReporter::line(std::uint64_t block, std::uint64_t horizon, double elapsed_s) {
  const double done = horizon > 0 ? static_cast<double>(block) / static_cast<double>(horizon) : 1.0;
  const double rate = elapsed_s > 0 ? static_cast<double>(block) / elapsed_s : 0.0;
  char pct[16];
  std::snprintf(pct, sizeof pct, "%.1f%%", 100.0 * done);
  std::string out = "block " + with_thousands(block) + " / " + with_thousands(horizon) + " (" + pct + ")";
  if (rate > 0) {
    out += ", " + with_thousands(static_cast<std::uint64_t>(rate)) + " blocks/s";
    out += ", ETA " + duration_text(static_cast<double>(horizon - std::min(block, horizon)) / rate);
  }
  return out;
}

ProgressReporter::ProgressReporter(std::uint64_t horizon, Style style, std::ostream& out,
                                   std::chrono::milliseconds every)
    : horizon_(horizon),
      style_(style),
      out_(out),
      every_(every.count() > 0               ? every
             : style == Style::kTerminalLine ? kTerminalEvery
                                             : kLogEvery),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void ProgressReporter::on_block(std::uint64_t block) {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < every_) return;
  last_ = now;
  const std::string text = line(block, horizon_, std::chrono::duration<double>(now - start_).count());
  if (style_ == Style::kTerminalLine) {
    out_ << "\r\033[K" << text << std::flush;  // rewrite the line in place
    printed_ = true;
  } else {
    // Written directly, not through the logger: its default level (warnings) would hide it.
    out_ << "progress: " << text << '\n' << std::flush;
  }
}

void ProgressReporter::finish() {
  if (printed_) out_ << "\r\033[K" << std::flush;
  printed_ = false;
}

}  // namespace subnetsim::runner
