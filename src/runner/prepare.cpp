#include "subnetsim/runner/prepare.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "scenario_notes.hpp"
#include "subnetsim/core/json_text.hpp"
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
    // The price path file is part of the input: read and check it before anything runs; a
    // problem with it is blamed on the input that named it (LoadResult::price_csv_source).
    const std::string& source = loaded.price_csv_source;
    const std::string csv = loaded.price_csv_path;
    auto points = economics::read_price_path_csv(csv);
    if (!points.ok()) {
      out.problems = source + ": /market/path_csv: " + points.error + "\n";
      return out;
    }
    s.market.path = std::move(points.points);
    // The resolved scenario holds the points themselves, so that it reruns the same from
    // anywhere (the CSV's path is relative to the scenario file, not to the run directory
    // where resolved_scenario.json is written).
    nlohmann::json doc = core::parse_json(loaded.resolved_json);
    nlohmann::json inline_path = nlohmann::json::array();
    for (const auto& p : s.market.path) inline_path.push_back({{"block", p.block}, {"usd", p.usd}});
    doc["market"]["path"] = std::move(inline_path);
    doc["market"]["path_csv"] = "";
    loaded.resolved_json = core::dump_json(doc, 2) + "\n";
  }
  // resolved_scenario.json must load again (rerun, report, compare): refused now rather than
  // written by a run that nothing can then read. Pretty-printed with every default, and with the
  // price path's points written in, it is larger than the file.
  if (loaded.resolved_json.size() > scenario::kMaxScenarioFileBytes) {
    out.problems =
        file + ": resolved with every default" +
        (s.market.path_csv.empty() ? std::string() : ", and the price path's points written in,") +
        " this scenario takes " + std::to_string(loaded.resolved_json.size()) +
        " bytes, over the " + std::to_string(scenario::kMaxScenarioFileBytes) +
        " a scenario file may have: its run's resolved_scenario.json could not be read back; "
        "expected "
        "a shorter price path or description\n";
    return out;
  }
  out.notes = scenario_notes(file, loaded.resolved_json, s, overrides);
  out.scenario = std::move(s);
  out.resolved_json = std::move(loaded.resolved_json);
  return out;
}

}  // namespace subnetsim::runner
