// The progress line reaches a run's observers: ObserverFanout forwards every hook (on_block
// was once left out, and no progress line or log line ever appeared), and execute_run passes
// each visited block through it.
#include "subnetsim/runner/progress.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "subnetsim/metrics/fanout.hpp"
#include "subnetsim/runner/execute.hpp"
#include "subnetsim/scenario/loader.hpp"

using namespace subnetsim;
namespace fs = std::filesystem;

namespace {

// Writes one letter per call into a shared log, tagged with its own name.
class Recorder : public metrics::Observer {
 public:
  Recorder(char name, std::string& log) : name_(name), log_(log) {}
  void on_event(const metrics::EventRecord&) override { note('e'); }
  void on_epoch(const metrics::EpochRecord&) override { note('p'); }
  void on_sample(const metrics::GlobalSample&) override { note('s'); }
  void on_block(std::uint64_t block) override {
    note('b');
    blocks.push_back(block);
  }
  std::vector<std::uint64_t> blocks;

 private:
  void note(char hook) {
    log_ += name_;
    log_ += hook;
    log_ += ' ';
  }
  char name_;
  std::string& log_;
};

}  // namespace

TEST_CASE("ObserverFanout forwards every hook, on_block included, to each observer in order") {
  std::string log;
  Recorder a('A', log), b('B', log);
  metrics::ObserverFanout fanout;
  fanout.add(a);
  fanout.add(b);
  fanout.on_block(7);
  fanout.on_event(metrics::EventRecord{});
  fanout.on_epoch(metrics::EpochRecord{});
  fanout.on_sample(metrics::GlobalSample{});
  CHECK(log == "Ab Bb Ae Be Ap Bp As Bs ");
  CHECK(a.blocks == std::vector<std::uint64_t>{7});
  CHECK(b.blocks == std::vector<std::uint64_t>{7});
}

TEST_CASE("execute_run tells the run's observers, hence the progress line, of every block") {
  scenario::LoadOptions options;
  options.overrides = {"horizon_blocks=60"};
  const auto loaded = scenario::load_scenario(
      std::string(SUBNETSIM_SOURCE_DIR) + "/scenarios/slashing-demo.json", options);
  REQUIRE(loaded.ok());
  const fs::path dir = fs::path(SUBNETSIM_BINARY_DIR) / "test-scratch" / "runner" / "progress";
  fs::remove_all(dir);
  std::string log;
  Recorder recorder('R', log);
  runner::RunSettings settings;
  settings.observers.push_back(&recorder);
  const runner::RunOutcome outcome =
      runner::execute_run(*loaded.scenario, loaded.resolved_json, dir.string(), settings);
  REQUIRE(outcome.code == core::kExitOk);
  // The blocks it visits (those where something happens: 60 blocks of tempo 12 hold 5 epochs),
  // each once, in order, within the horizon.
  INFO("blocks: " << Catch::Detail::stringify(recorder.blocks));
  REQUIRE(recorder.blocks.size() >= 5);
  CHECK(recorder.blocks.back() <= 60);
  for (std::size_t k = 1; k < recorder.blocks.size(); ++k)
    CHECK(recorder.blocks[k] > recorder.blocks[k - 1]);
}

TEST_CASE("ProgressReporter rewrites the terminal line once its interval has passed") {
  std::ostringstream out;
  runner::ProgressReporter progress(1000, runner::ProgressReporter::Style::kTerminalLine, out);
  progress.on_block(1);  // at once: within the first 250 ms
  CHECK(out.str().empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  progress.on_block(500);
  const std::string line = out.str();
  CHECK(line.rfind("\r\033[Kblock 500 / 1,000 (50.0%), ", 0) == 0);
  CHECK(line.find(" blocks/s, ETA ") != std::string::npos);
  progress.finish();  // clears the line for what follows
  CHECK(out.str() == line + "\r\033[K");
}

TEST_CASE("ProgressReporter in a log writes a whole line each interval, whatever the log level") {
  std::ostringstream out;
  runner::ProgressReporter progress(2000, runner::ProgressReporter::Style::kLogLine, out,
                                    std::chrono::milliseconds(20));
  progress.on_block(1);
  CHECK(out.str().empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  progress.on_block(1500);
  const std::string text = out.str();
  CHECK(text.rfind("progress: block 1,500 / 2,000 (75.0%), ", 0) == 0);
  CHECK(text.back() == '\n');
  CHECK(text.find('\r') == std::string::npos);
  progress.finish();  // nothing to clear in a log
  CHECK(out.str() == text);
}
