#include "subnetsim/runner/prepare.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "subnetsim/economics/price_csv.hpp"
#include "subnetsim/runner/progress.hpp"
#include "subnetsim/scenario/loader.hpp"

namespace subnetsim::runner {

namespace {

// What the scenario schedules after its last block, from the resolved document (whose arrays
// keep the file's order, so the pointers are the user's).
std::vector<std::string> after_horizon_notes(const std::string& file, const nlohmann::json& doc,
                                             std::uint64_t horizon) {
  std::vector<std::string> notes;
  const std::string end = ", after the last block simulated (" + with_thousands(horizon) + ")";
  auto note = [&](const std::string& pointer, const std::string& what) {
    notes.push_back(file + ": " + pointer + ": " + what);
  };
  if (const auto it = doc.find("script"); it != doc.end() && it->is_array())
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto at = (*it)[i].value("at_block", std::uint64_t{0});
      if (at > horizon)
        note("/script/" + std::to_string(i),
             (*it)[i].value("do", std::string("event")) + " at block " + with_thousands(at) + end +
                 ": it will not happen");
    }
  if (const auto it = doc.find("proposals"); it != doc.end() && it->is_object())
    for (const auto& [id, p] : it->items()) {
      const auto opens = p.value("at_block", std::uint64_t{0});
      const auto closes = opens + p.value("voting_blocks", std::uint64_t{0});
      const std::string pointer = (nlohmann::json::json_pointer("/proposals") / id).to_string();
      if (opens > horizon)
        note(pointer, "the vote opens at block " + with_thousands(opens) + end + ": it will not be held");
      else if (closes > horizon)
        note(pointer, "the vote closes at block " + with_thousands(closes) + end +
                          ": it will not be decided (summary.json has no outcome for it)");
    }
  if (const auto it = doc.find("agents"); it != doc.end() && it->is_object())
    for (const auto& [id, g] : it->items()) {
      const auto join = g.value("join_block", std::uint64_t{0});
      if (join > horizon)
        note((nlohmann::json::json_pointer("/agents") / id / "join_block").to_string(),
             "the group joins at block " + with_thousands(join) + end + ": it will not take part");
    }
  return notes;
}

}  // namespace

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
  out.notes = after_horizon_notes(file, nlohmann::json::parse(loaded.resolved_json), s.horizon_blocks);
  out.scenario = std::move(s);
  out.resolved_json = std::move(loaded.resolved_json);
  return out;
}

}  // namespace subnetsim::runner
