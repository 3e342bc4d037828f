#include "subnetsim/runner/prepare.hpp"

#include <filesystem>

#include "subnetsim/economics/price_csv.hpp"
#include "subnetsim/scenario/loader.hpp"

namespace subnetsim::runner {

PreparedScenario prepare_scenario(const std::string& file, const std::vector<std::string>& overrides) {
  PreparedScenario out;
  scenario::LoadOptions load;
  load.overrides = overrides;
  auto loaded = scenario::load_scenario(file, load);
  if (!loaded.ok()) {
    out.problems = loaded.diagnostics.to_string();
    return out;
  }
  config::Scenario& s = *loaded.scenario;
  if (!s.market.path_csv.empty()) {
    // The price path file is part of the input: read and check it before anything runs.
    const auto csv = std::filesystem::path(file).parent_path() / s.market.path_csv;
    auto points = economics::read_price_path_csv(csv.string());
    if (!points.ok()) {
      out.problems = file + ": /market/path_csv: " + points.error + "\n";
      return out;
    }
    s.market.path = std::move(points.points);
  }
  out.scenario = std::move(s);
  out.resolved_json = std::move(loaded.resolved_json);
  return out;
}

}  // namespace subnetsim::runner
