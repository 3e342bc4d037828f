// See scenario_notes.hpp.
#include "scenario_notes.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <span>

#include "subnetsim/core/json_text.hpp"
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
  // The pointer is in the resolved scenario: the value may come from a base or a --set.
  auto note = [&](const std::string& pointer, const std::string& what) {
    notes.push_back(file + " (resolved): " + pointer + ": " + what);
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
      const auto voting = p.value("voting_blocks", std::uint64_t{0});
      const auto closes = opens > UINT64_MAX - voting ? UINT64_MAX : opens + voting;
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
  if (const auto it = doc.find("expect"); it != doc.end() && it->is_array())
    for (std::size_t i = 0; i < it->size(); ++i) {
      const nlohmann::json& at = (*it)[i].value("at", nlohmann::json("end"));
      const std::string pointer = "/expect/" + std::to_string(i) + "/at";
      if (at.is_number_unsigned() && at.get<std::uint64_t>() > horizon) {
        // A block is judged on the latest sample at or before it.
        note(pointer, "block " + with_thousands(at.get<std::uint64_t>()) + end +
                          ": it is judged on the last values recorded");
      } else if (at.is_array() && at.size() == 2) {
        const auto from = at[0].get<std::uint64_t>(), to = at[1].get<std::uint64_t>();
        if (from > horizon)
          note(pointer, "blocks " + with_thousands(from) + " to " + with_thousands(to) + end +
                            ": no sample falls in them, so it will fail");
        else if (to > horizon)
          note(pointer, "its blocks run to " + with_thousands(to) + end +
                            ": it is judged on the part up to there");
      }
    }
  return notes;
}

// "/subnets/N/field", and for more subnets "(and on K more subnets: 2 to 64)" ("2 to 64" only
// when no netuid between is left out; else the first few): one note for a subnet_defaults
// value on 4,096 subnets, not 4,096 notes.
std::string on_subnets(const std::vector<std::uint16_t>& netuids, const std::string& field) {
  std::string where = "/subnets/" + std::to_string(netuids.front()) + "/" + field;
  if (netuids.size() > 1) {
    const bool contiguous = netuids.back() - netuids[1] + 1u == netuids.size() - 1;
    std::string list;
    if (contiguous && netuids.size() > 4) {
      list = std::to_string(netuids[1]) + " to " + std::to_string(netuids.back());
    } else {
      for (std::size_t i = 1; i < netuids.size() && i <= 4; ++i)
        list += (i > 1 ? ", " : "") + std::to_string(netuids[i]);
      if (netuids.size() > 5) list += ", ...";
    }
    where += " (and on " + with_thousands(netuids.size() - 1) + " more subnets: " + list + ")";
  }
  return where;
}

// Parameters that quietly cap what agents do: a weights rate limit longer than the tempo lets a
// validator set weights only every few epochs, whatever its own schedule.
std::vector<std::string> parameter_notes(const std::string& file, const config::Scenario& s) {
  std::vector<std::string> notes;
  // One note per (limit, tempo), naming its subnets: a subnet_defaults value on 4,096 subnets
  // is one note, not 4,096.
  std::map<std::pair<std::uint64_t, std::uint64_t>, std::vector<std::uint16_t>> slow;
  for (const auto& [netuid, p] : s.subnets)
    if (p.weights_rate_limit > p.tempo) slow[{p.weights_rate_limit, p.tempo}].push_back(netuid);
  for (const auto& [limit_tempo, netuids] : slow) {
    const auto [limit, tempo] = limit_tempo;
    const std::string where = on_subnets(netuids, "weights_rate_limit");
    notes.push_back(file + " (resolved): " + where + ": " + with_thousands(limit) +
                    " blocks, longer than the tempo (" + with_thousands(tempo) +
                    "): validators set weights at most every " +
                    std::to_string((limit + tempo - 1) / tempo) +
                    " epochs (set weights_rate_limit to the tempo or less for every epoch)");
  }
  // More epochs fall due than a block may run: the rest wait, and those last in the chain's
  // order of subnets may wait for ever (spec §2). Subnets the script creates count too (with the
  // defaults). Compared with a margin: 20 subnets at tempo 10 sum to 2.0000000000000004 in
  // doubles, exactly what 2 a block can run.
  const std::uint64_t extra =
      s.chain.epoch_schedule == config::EpochSchedule::kLegacyModulo ? 1 : 0;
  double due_per_block = 0.0;
  std::size_t subnets = s.subnets.size();
  for (const auto& [netuid, p] : s.subnets)
    due_per_block += 1.0 / static_cast<double>(p.tempo + extra);
  for (const auto& e : s.script)
    if (e.action == config::ScriptAction::kCreateSubnet && !s.subnets.count(e.netuid)) {
      due_per_block += 1.0 / static_cast<double>(s.subnet_defaults.tempo + extra);
      ++subnets;
    }
  if (due_per_block > static_cast<double>(s.chain.max_epochs_per_block) + 1e-9) {
    char load[32];
    std::snprintf(load, sizeof load, "%.2f", due_per_block);
    notes.push_back(
        file + " (resolved): /chain/max_epochs_per_block: " +
        std::to_string(s.chain.max_epochs_per_block) + " epochs a block, while the " +
        with_thousands(subnets) + " subnets fall due " + load +
        " times a block on average at their tempos: the rest wait, and the subnets last in "
        "the chain's order (ascending netuid below 256) may never run an epoch; raise it or "
        "the tempos");
  }
  // More agents at genesis than a subnet has uids: the later ones register by pruning. One note
  // per (uids, agents), naming its subnets (agents on "all" subnets make it every subnet's).
  std::map<std::pair<std::uint64_t, std::uint64_t>, std::vector<std::uint16_t>> crowded;
  for (const auto& [netuid, p] : s.subnets) {
    std::uint64_t at_genesis = 0;
    for (const auto& [id, g] : s.agents)
      if (g.join_block == 0 && (g.subnet == config::kAllSubnets || g.subnet == netuid) &&
          (g.is_miner() || g.is_validator()))
        at_genesis += g.count;
    if (at_genesis > p.max_allowed_uids)
      crowded[{p.max_allowed_uids, at_genesis}].push_back(netuid);
  }
  for (const auto& [uids_agents, netuids] : crowded) {
    const auto [uids, at_genesis] = uids_agents;
    notes.push_back(file + " (resolved): " + on_subnets(netuids, "max_allowed_uids") + ": " +
                    with_thousands(uids) + " uids for " + with_thousands(at_genesis) +
                    " miners and validators at genesis: the last " +
                    with_thousands(at_genesis - uids) +
                    " to register prune agents registered before them (see events.csv)");
  }
  // Validators decide once per epoch of their subnet; a shorter interval changes nothing.
  for (const auto& [id, g] : s.agents) {
    const auto* hv = std::get_if<config::HonestValidator>(&g.params);
    if (hv == nullptr || hv->weights_every_blocks == 0) continue;
    std::uint64_t longest_tempo = 0;
    for (const auto& [netuid, p] : s.subnets)
      if (g.subnet == config::kAllSubnets || g.subnet == netuid)
        longest_tempo = std::max<std::uint64_t>(longest_tempo, p.tempo);
    if (hv->weights_every_blocks <= longest_tempo)
      notes.push_back(
          file + " (resolved): /agents/" + id +
          "/weights_every_blocks: " + with_thousands(hv->weights_every_blocks) +
          " blocks, no longer than the tempo (" + with_thousands(longest_tempo) +
          "): validators decide once per epoch, so it changes nothing (a longer interval "
          "skips epochs)");
  }
  return notes;
}

// Fields that the emission schedule or the price model never reads (both are fixed for a run),
// given a value other than their default (a default is in every resolved scenario, and says
// nothing), and a script or a vote that changes one. Notes rather than refusals: a base may set
// such a field for another schedule, and a run's resolved_scenario.json keeps it.
std::vector<std::string> mode_notes(const std::string& file, const config::Scenario& s) {
  using config::EmissionSchedule;
  using config::PriceModel;
  std::vector<std::string> notes;
  std::vector<std::pair<std::string, std::string>> changes;  // (pointer of the change, path)
  for (std::size_t i = 0; i < s.script.size(); ++i)
    if (s.script[i].action == config::ScriptAction::kSetParam)
      changes.emplace_back("/script/" + std::to_string(i) + "/path", s.script[i].path);
  for (const auto& [id, p] : s.proposals)
    changes.emplace_back((nlohmann::json::json_pointer("/proposals") / id / "path").to_string(),
                         p.path);
  const config::EmissionConfig de;
  const config::MarketConfig dm;
  const auto& e = s.emission;
  const auto& m = s.market;
  const std::string schedule(
      config::enum_name<EmissionSchedule>(config::kEmissionScheduleNames, e.schedule));
  const std::string model(config::enum_name<PriceModel>(config::kPriceModelNames, m.model));
  struct Field {
    const char* pointer;
    bool read;
    bool is_default;
  };
  const bool table = e.schedule == EmissionSchedule::kTable;
  const bool decay = e.schedule == EmissionSchedule::kYearlyDecay;
  const Field emission[] = {
      {"/emission/tao_per_block", !table, e.tao_per_block == de.tao_per_block},
      {"/emission/yearly_decay", decay, e.yearly_decay == de.yearly_decay},
      {"/emission/blocks_per_year", decay, e.blocks_per_year == de.blocks_per_year}};
  const bool gbm = m.model == PriceModel::kGbm, constant = m.model == PriceModel::kConstant;
  const Field market[] = {
      {"/market/initial_usd", m.model != PriceModel::kPath, m.initial_usd == dm.initial_usd},
      {"/market/drift_per_year", gbm, m.drift_per_year == dm.drift_per_year},
      {"/market/volatility_per_year", gbm, m.volatility_per_year == dm.volatility_per_year},
      {"/market/update_every_blocks", !constant, m.update_every_blocks == dm.update_every_blocks}};
  auto check = [&](std::span<const Field> fields, const std::string& what) {
    for (const Field& f : fields) {
      if (f.read) continue;
      if (!f.is_default)
        notes.push_back(file + " (resolved): " + f.pointer + ": " + what +
                        " does not read it, so its value changes nothing");
      for (const auto& [where, path] : changes)
        if (path == f.pointer)
          notes.push_back(file + " (resolved): " + where + ": changes " + path + ", which " + what +
                          " does not read: the change does nothing");
    }
  };
  check(emission, "schedule \"" + schedule + "\"");
  check(market, "model \"" + model + "\"");
  return notes;
}

// What is valid but cannot happen as written: no emission before a table's first step, a vote
// whose threshold no yes share can pass (it must be exceeded), a group joining a subnet before
// the script creates it (it joins at the creation).
std::vector<std::string> never_notes(const std::string& file, const config::Scenario& s) {
  std::vector<std::string> notes;
  const std::string at = file + " (resolved): ";
  if (s.emission.schedule == config::EmissionSchedule::kTable && !s.emission.table.empty() &&
      s.emission.table.front().from_block > 0)
    notes.push_back(
        at + "/emission/table/0/from_block: the table starts at block " +
        with_thousands(s.emission.table.front().from_block) +
        ": nothing is emitted before it (add a step from block 0 to emit from the start)");
  for (const auto& [id, p] : s.proposals)
    if (p.threshold >= 1.0)
      notes.push_back(at +
                      (nlohmann::json::json_pointer("/proposals") / id / "threshold").to_string() +
                      ": a vote passes with more than this share of yes: at 1 it can never pass");
  // A staker delegates to its validator group's agents: a group of none (a sweep's count 0)
  // leaves its TAO undelegated for the whole run (unless a script switches it elsewhere).
  for (const auto& [id, g] : s.agents) {
    if (g.count == 0) continue;
    std::visit(
        [&](const auto& p) {
          if constexpr (requires { p.validator; }) {
            const auto v = s.agents.find(p.validator);
            if (v != s.agents.end() && v->second.count == 0)
              notes.push_back(
                  at + (nlohmann::json::json_pointer("/agents") / id / "validator").to_string() +
                  ": group \"" + p.validator +
                  "\" has no agents (count 0): these stakers never delegate and hold "
                  "their TAO as balance");
          }
        },
        g.params);
  }
  std::map<std::uint16_t, std::uint64_t> created;
  for (const auto& e : s.script)
    if (e.action == config::ScriptAction::kCreateSubnet && !created.count(e.netuid))
      created[e.netuid] = e.at_block;
  // A path price is read every update_every_blocks: points closer than that are skipped over.
  // (path_csv's points are inlined into path by the time the scenario is prepared.)
  if (s.market.model == config::PriceModel::kPath && s.market.path.size() >= 2) {
    std::uint64_t closest = ~std::uint64_t{0};
    for (std::size_t i = 1; i < s.market.path.size(); ++i)
      closest = std::min(closest, s.market.path[i].block - s.market.path[i - 1].block);
    if (closest < s.market.update_every_blocks)
      notes.push_back(at + "/market/update_every_blocks: " +
                      with_thousands(s.market.update_every_blocks) + ", but the path has points " +
                      with_thousands(closest) + " blocks apart: the price is read only every " +
                      with_thousands(s.market.update_every_blocks) +
                      " blocks and held between (set update_every_blocks to " +
                      with_thousands(closest) + " or less to follow the path)");
  }
  // Under subnet_split "weights", a subnet the weights do not list has weight 0: no emission.
  if (!s.emission.subnet_weights.empty()) {
    std::vector<std::uint16_t> unlisted;
    auto judge = [&](std::uint16_t netuid) {
      if (!s.emission.subnet_weights.count(netuid)) unlisted.push_back(netuid);
    };
    for (const auto& [netuid, p] : s.subnets) judge(netuid);
    for (const auto& [netuid, block] : created)
      if (!s.subnets.count(netuid)) judge(netuid);
    std::sort(unlisted.begin(), unlisted.end());
    if (!unlisted.empty()) {
      std::string list;
      for (std::size_t i = 0; i < unlisted.size() && i < 5; ++i)
        list += (i == 0 ? "" : ", ") + std::to_string(unlisted[i]);
      if (unlisted.size() > 5) list += " and " + std::to_string(unlisted.size() - 5) + " more";
      notes.push_back(at + "/emission/subnet_weights: subnet" + (unlisted.size() > 1 ? "s " : " ") +
                      list + (unlisted.size() > 1 ? " are" : " is") +
                      " not listed: weight 0, no emission under subnet_split \"weights\"");
    }
  }
  for (const auto& [id, g] : s.agents) {
    const auto made = created.find(g.subnet);
    if (made != created.end() && !s.subnets.count(g.subnet) && g.join_block > 0 &&
        g.join_block < made->second)
      notes.push_back(
          at + (nlohmann::json::json_pointer("/agents") / id / "join_block").to_string() +
          ": block " + with_thousands(g.join_block) + ", before the script creates subnet " +
          std::to_string(g.subnet) + " at block " + with_thousands(made->second) +
          ": the group joins at the creation");
  }
  return notes;
}

// Whether some "path=value" override's path is under /subnets/<netuid> (dotted or a pointer).
bool names_subnet(const std::vector<std::string>& overrides, std::uint16_t netuid) {
  const std::string id = std::to_string(netuid);
  for (const auto& o : overrides) {
    const std::string path = o.substr(0, o.find('='));
    if (path == "subnets" || path == "/subnets") return true;  // the whole object
    for (const std::string& prefix : {"subnets." + id, "/subnets/" + id})
      if (path.rfind(prefix, 0) == 0 &&
          (path.size() == prefix.size() || path[prefix.size()] == '.' || path[prefix.size()] == '/'))
        return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> scenario_notes(const std::string& file, const std::string& resolved_json,
                                        const config::Scenario& s,
                                        const std::vector<std::string>& overrides) {
  std::vector<std::string> notes =
      after_horizon_notes(file, core::parse_json(resolved_json), s.horizon_blocks);
  for (auto& note : parameter_notes(file, s)) notes.push_back(std::move(note));
  for (auto& note : mode_notes(file, s)) notes.push_back(std::move(note));
  for (auto& note : never_notes(file, s)) notes.push_back(std::move(note));
  // A subnet that only an override names was most likely a typo for an existing one (it is
  // added with the defaults, and takes its share of the emission).
  // (The scenario is loaded again without the overrides only when one of them is under
  // /subnets: a sweep prepares every run, and most overrides are elsewhere.)
  const bool under_subnets = std::any_of(overrides.begin(), overrides.end(), [](const std::string& o) {
    return o.rfind("subnets", 0) == 0 || o.rfind("/subnets", 0) == 0;
  });
  if (under_subnets) {
    const auto files_only = scenario::load_scenario(file);
    if (files_only.ok()) {
      std::string existing;
      for (const auto& [netuid, p] : files_only.scenario->subnets)
        existing += (existing.empty() ? "" : ", ") + std::to_string(netuid);
      for (const auto& [netuid, p] : s.subnets)
        if (!files_only.scenario->subnets.count(netuid) && names_subnet(overrides, netuid))
          notes.push_back("--set: /subnets/" + std::to_string(netuid) +
                              ": the scenario has no subnet " + std::to_string(netuid) +
                              ", so the override adds one (with /subnet_defaults, sharing the "
                              "emission); its subnets: " + existing);
    }
  }
  return notes;
}

}  // namespace subnetsim::runner
