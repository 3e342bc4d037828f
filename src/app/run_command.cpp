// subnetsim run SCENARIO [-o DIR] [--seed N] [--horizon BLOCKS] [--set path=value]... [--threads N]
#include <boost/program_options.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "subnetsim/core/diagnostics.hpp"
#include "subnetsim/core/version.hpp"
#include "subnetsim/economics/price_csv.hpp"
#include "subnetsim/metrics/csv_writer.hpp"
#include "subnetsim/scenario/loader.hpp"
#include "subnetsim/sim/simulation.hpp"

namespace subnetsim::app {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

double tao(std::uint64_t rao) { return static_cast<double>(rao) / 1e9; }

nlohmann::json summary_json(const sim::RunResult& r, const config::Scenario& s, double wall_s,
                            const std::vector<std::string>& files) {
  nlohmann::json j;
  j["tool"] = {{"version", core::version()}, {"git", core::git_hash()}};
  j["scenario"] = s.name;
  j["seed"] = s.seed;
  j["status"] = r.status == sim::RunStatus::kCompleted ? "completed" : "invariant_broken";
  if (!r.message.empty()) j["message"] = r.message;
  j["blocks"] = r.blocks;
  j["visited_blocks"] = r.visited_blocks;
  j["epochs"] = r.epochs;
  j["issuance_tao"] = tao(r.issuance_rao);
  j["total_stake_tao"] = tao(r.total_stake_rao);
  j["burned_tao"] = tao(r.burned_rao);
  j["recycled_tao"] = tao(r.recycled_rao);
  j["slashed_tao"] = tao(r.slashed_rao);
  j["registrations"] = r.registrations;
  j["prunings"] = r.prunings;
  j["refused_actions"] = r.refused_actions;
  j["liquidations"] = r.liquidations;
  j["conservation_verified"] = r.conservation_verified;
  j["final_price_usd"] = r.final_price_usd;
  j["wall_time_s"] = wall_s;
  j["files"] = files;
  return j;
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "usage: subnetsim run SCENARIO [options]\n\n"
      "Simulates the scenario block by block and writes its output directory: resolved_scenario.json,\n"
      "events.csv, epochs.csv (per uid), globals.csv and summary.json.\n"
      "Exit status: 0 ok, 2 bad scenario (nothing ran), 3 conservation broken (outputs so far kept).\n\n"
      "options");
  std::string out_dir, backend_name;
  std::vector<std::string> sets, files;
  std::uint64_t seed = 0, horizon = 0;
  unsigned threads = 1;
  opts.add_options()("help,h", "show this help")(
      "output,o", po::value(&out_dir), "output directory (default: runs/<scenario name>)")(
      "seed", po::value(&seed), "master seed (same as --set seed=N)")(
      "horizon", po::value(&horizon), "blocks to simulate (same as --set horizon_blocks=N)")(
      "set", po::value(&sets)->composing(), "override a field: path=value (see subnetsim validate --help)")(
      "threads", po::value(&threads)->default_value(1), "worker threads (results do not depend on it)")(
      "backend", po::value(&backend_name), "consensus backend: float or exact (default: the scenario's)");
  po::variables_map vm;
  if (parse_command(args, opts, 1, files, vm)) return core::kExitOk;
  if (files.empty()) {
    std::cerr << "subnetsim run: no scenario file given (see subnetsim run --help)\n";
    return core::kExitBadInput;
  }
  const std::string& file = files.front();
  scenario::LoadOptions load;
  load.overrides = sets;
  if (vm.count("seed")) load.overrides.push_back("seed=" + std::to_string(seed));
  if (vm.count("horizon")) load.overrides.push_back("horizon_blocks=" + std::to_string(horizon));
  sim::RunOptions run_options;
  run_options.threads = threads;
  if (vm.count("backend")) {
    run_options.backend = consensus::backend_from_name(backend_name);
    if (!run_options.backend) {
      std::cerr << "subnetsim run: --backend: expected \"float\" or \"exact\", got \"" << backend_name << "\"\n";
      return core::kExitBadInput;
    }
  }
  if (threads == 0) {
    std::cerr << "subnetsim run: --threads: expected at least 1, got 0\n";
    return core::kExitBadInput;
  }
  auto loaded = scenario::load_scenario(file, load);
  if (!loaded.ok()) {
    std::cerr << loaded.diagnostics.to_string();
    return core::kExitBadInput;
  }
  config::Scenario& s = *loaded.scenario;
  if (!s.market.path_csv.empty()) {
    // The price path file is part of the input: read and check it before anything runs.
    const fs::path csv = fs::path(file).parent_path() / s.market.path_csv;
    auto points = economics::read_price_path_csv(csv.string());
    if (!points.ok()) {
      std::cerr << file << ": /market/path_csv: " << points.error << '\n';
      return core::kExitBadInput;
    }
    s.market.path = std::move(points.points);
  }
  if (out_dir.empty()) out_dir = "runs/" + s.name;
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) {
    std::cerr << "subnetsim run: cannot create the output directory " << out_dir << ": " << ec.message() << '\n';
    return core::kExitBadInput;
  }
  // A previous run's summary would describe other results: remove it before anything else.
  fs::remove(fs::path(out_dir) / "summary.json", ec);
  metrics::write_file_atomically(out_dir, "resolved_scenario.json", loaded.resolved_json);

  const auto start = std::chrono::steady_clock::now();
  metrics::CsvRunWriter writer(out_dir, s.outputs.every_epochs, s.outputs.per_uid);
  sim::Simulation simulation(s, run_options, writer);
  const sim::RunResult result = simulation.run();
  std::vector<std::string> written = writer.finish();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  written.insert(written.begin(), "resolved_scenario.json");
  written.push_back("summary.json");
  metrics::write_file_atomically(out_dir, "summary.json", summary_json(result, s, wall, written).dump(2) + "\n");

  std::cerr << s.name << ": " << result.blocks << " blocks, " << result.epochs << " epochs, issuance "
            << tao(result.issuance_rao) << " TAO, slashed " << tao(result.slashed_rao) << " TAO, "
            << writer.events_written() << " events in " << wall << " s -> " << out_dir << "\n";
  if (result.status != sim::RunStatus::kCompleted) {
    std::cerr << "subnetsim run: " << result.message << '\n';
    return core::kExitInvariantBroken;
  }
  return core::kExitOk;
}

}  // namespace subnetsim::app
