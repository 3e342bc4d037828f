#include "subnetsim/report/run_data.hpp"

#include <cctype>
#include <filesystem>
#include <iterator>
#include <limits>
#include <tuple>
#include <vector>

#include "subnetsim/core/file_text.hpp"
#include "subnetsim/core/json_text.hpp"
#include "subnetsim/core/rao.hpp"
#include "subnetsim/metrics/json_file.hpp"
#include "subnetsim/scenario/loader.hpp"

namespace subnetsim::report {

namespace fs = std::filesystem;
using metrics::CsvTable;
using metrics::EventRecord;

namespace {

enum class Kind { kCount, kNumber, kBool, kString, kObject, kArray };

// A field of summary.json by its path from the root, "*" standing for any key of an object
// (a class's name, a proposal's), and the type this version writes there.
struct SummaryField {
  std::vector<std::string> path;
  Kind kind;
};

// Every field of summary.json that the report shows, each of the type this version writes (a
// number may also be null: a value JSON cannot hold, such as a yield over no time): a
// hand-edited or foreign file is told by field (exit 2), not drawn as it is. Fields this
// version does not write are drawn as they are (a later version's).
const std::vector<SummaryField>& summary_fields() {
  static const std::vector<SummaryField> fields = [] {
    std::vector<SummaryField> f;
    for (const char* key : {"status", "scenario", "message"}) f.push_back({{key}, Kind::kString});
    for (const char* key : {"seed", "blocks", "visited_blocks", "epochs", "registrations",
                            "prunings", "refused_actions", "liquidations"})
      f.push_back({{key}, Kind::kCount});
    for (const char* key :
         {"issuance_tao", "total_stake_tao", "burned_tao", "recycled_tao", "slashed_tao",
          "initial_price_usd", "final_price_usd", "years", "wall_time_s"})
      f.push_back({{key}, Kind::kNumber});
    f.push_back({{"conservation_verified"}, Kind::kBool});
    f.push_back({{"tool"}, Kind::kObject});
    f.push_back({{"files"}, Kind::kArray});
    // Metric sections.
    for (const char* section : {"emission", "miners", "validators", "stakers", "stake", "classes",
                                "governance", "expectations"})
      f.push_back({{section}, Kind::kObject});
    for (const char* key : {"total_tao", "owner_tao", "miners_tao", "validators_tao",
                            "treasury_tao", "community_tao"})
      f.push_back({{"emission", key}, Kind::kNumber});
    f.push_back({{"emission", "shares"}, Kind::kObject});
    f.push_back({{"emission", "shares", "*"}, Kind::kNumber});
    // A group of agents: the three roles, and each class.
    const std::vector<std::vector<std::string>> groups = {
        {"miners"}, {"validators"}, {"stakers"}, {"classes", "*"}};
    for (const auto& group : groups) {
      auto at = [&](const char* key) {
        std::vector<std::string> path = group;
        path.emplace_back(key);
        return path;
      };
      if (group.size() == 2) f.push_back({group, Kind::kObject});
      for (const char* key :
           {"initial_tao", "final_tao", "paid_tao", "apy_tao", "apy_usd", "gini", "top_1pct_share",
            "top_5pct_share", "top_10pct_share", "top_20pct_share"})
        f.push_back({at(key), Kind::kNumber});
      for (const char* key : {"count", "liquidated"}) f.push_back({at(key), Kind::kCount});
      for (const char* key : {"type", "role"}) f.push_back({at(key), Kind::kString});
    }
    for (const char* key : {"total_tao", "validators_tao", "validators_gini"})
      f.push_back({{"stake", key}, Kind::kNumber});
    f.push_back({{"stake", "nakamoto_coefficient"}, Kind::kCount});
    f.push_back({{"governance", "*"}, Kind::kObject});
    f.push_back({{"governance", "*", "path"}, Kind::kString});
    f.push_back({{"governance", "*", "closed_block"}, Kind::kCount});
    for (const char* key : {"passed", "applied"})
      f.push_back({{"governance", "*", key}, Kind::kBool});
    for (const char* key : {"yes_share", "turnout"})
      f.push_back({{"governance", "*", key}, Kind::kNumber});
    for (const char* key : {"passed", "failed", "total"})
      f.push_back({{"expectations", key}, Kind::kCount});
    f.push_back({{"expectations", "results"}, Kind::kArray});
    return f;
  }();
  return fields;
}

bool of_kind(const nlohmann::json& v, Kind kind) {
  switch (kind) {
    case Kind::kCount:
      return v.is_number_unsigned();
    case Kind::kNumber:
      return v.is_number() || v.is_null();
    case Kind::kBool:
      return v.is_boolean();
    case Kind::kString:
      return v.is_string();
    case Kind::kObject:
      return v.is_object();
    case Kind::kArray:
      return v.is_array();
  }
  return false;
}

const char* kind_text(Kind kind) {
  switch (kind) {
    case Kind::kCount:
      return "a whole number >= 0";
    case Kind::kNumber:
      return "a number";
    case Kind::kBool:
      return "true or false";
    case Kind::kString:
      return "a string";
    case Kind::kObject:
      return "an object";
    case Kind::kArray:
      return "an array";
  }
  return "";
}

// A key as a JSON pointer's reference token (RFC 6901: ~ as ~0, / as ~1).
std::string pointer_token(const std::string& key) {
  std::string out;
  for (const char c : key) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  return out;
}

// The first value under `v` at path[depth..] (any key for "*") that is not of `kind`, as its
// pointer and a message; empty when every one is (or none is there). Objects the path runs
// through that are not objects are checked by their own fields.
std::string field_problem(const nlohmann::json& v, const std::vector<std::string>& path,
                          std::size_t depth, Kind kind, const std::string& pointer) {
  if (depth == path.size()) {
    if (of_kind(v, kind)) return "";
    std::string got = core::dump_json(v);
    if (got.size() > 40) got = got.substr(0, 37) + "...";
    return pointer + ": expected " + kind_text(kind) + ", got " + got +
           " (a field of another type than this version writes: edited by hand, or of another "
           "tool?)";
  }
  if (!v.is_object()) return "";
  if (path[depth] != "*") {
    const auto it = v.find(path[depth]);
    if (it == v.end()) return "";
    return field_problem(*it, path, depth + 1, kind, pointer + "/" + pointer_token(path[depth]));
  }
  for (const auto& [key, item] : v.items())
    if (std::string p =
            field_problem(item, path, depth + 1, kind, pointer + "/" + pointer_token(key));
        !p.empty())
      return p;
  return "";
}

std::string summary_type_problem(const nlohmann::json& s) {
  for (const SummaryField& field : summary_fields())
    if (std::string problem = field_problem(s, field.path, 0, field.kind, ""); !problem.empty())
      return problem;
  return "";
}

}  // namespace

std::optional<std::uint64_t> rao_from_tao_text(const std::string& text) {
  const auto dot = text.find('.');
  const std::string whole = text.substr(0, dot), frac = dot == std::string::npos ? "" : text.substr(dot + 1);
  const auto digits = [](const std::string& s) {
    for (char c : s)
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
  };
  // Every amount 64-bit rao can hold: up to 18,446,744,073.709551615 TAO (11 whole digits).
  if (whole.empty() || whole.size() > 11 || frac.size() > 9 || !digits(whole) || !digits(frac))
    return std::nullopt;
  const core::U128 rao = static_cast<core::U128>(std::stoull(whole)) * 1'000'000'000ULL +
                         std::stoull((frac + "000000000").substr(0, 9));
  if (rao > std::numeric_limits<std::uint64_t>::max()) return std::nullopt;
  return static_cast<std::uint64_t>(rao);
}

std::string events_from_csv(const CsvTable& table, const std::string& name, std::vector<EventRecord>& out) {
  static const char* kColumns[] = {"block", "netuid", "kind", "agent", "uid", "rule",
                                   "measured", "threshold", "amount_tao", "destination", "detail"};
  std::size_t col[std::size(kColumns)];
  for (std::size_t i = 0; i < std::size(kColumns); ++i) {
    const auto c = table.column(kColumns[i]);
    if (!c) return name + ":1: no column \"" + kColumns[i] + "\"";
    col[i] = *c;
  }
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    const std::string where = name + ":" + std::to_string(r + 2) + ": ";
    EventRecord e;
    const auto block = CsvTable::number(row[col[0]]), netuid = CsvTable::number(row[col[1]]);
    if (!block || *block < 0 || !netuid || *netuid < 0 || *netuid > 65535)
      return where + "block and netuid must be non-negative integers";
    e.block = static_cast<std::uint64_t>(*block);
    e.netuid = static_cast<std::uint16_t>(*netuid);
    e.kind = row[col[2]];
    e.agent = row[col[3]];
    if (!row[col[4]].empty()) {
      const auto uid = CsvTable::number(row[col[4]]);
      if (!uid || *uid < 0 || *uid > 65535) return where + "uid \"" + row[col[4]] + "\" is not a uid";
      e.uid = static_cast<std::int32_t>(*uid);
    }
    e.rule = row[col[5]];
    e.measured = CsvTable::number(row[col[6]]).value_or(0.0);
    e.threshold = CsvTable::number(row[col[7]]).value_or(0.0);
    const auto amount = rao_from_tao_text(row[col[8]]);
    if (!amount) return where + "amount_tao \"" + row[col[8]] + "\" is not an amount";
    e.amount_rao = *amount;
    e.destination = row[col[9]];
    e.detail = row[col[10]];
    out.push_back(std::move(e));
  }
  return "";
}

namespace {

// Reads an optional CSV of the run: absent -> nullopt and a note; unreadable -> error.
// The columns the report reads from each file (all a run writes, but for later additions such
// as epochs.csv's bond_total, drawn when present).
std::vector<std::string> required_columns(const std::string& file) {
  if (file == "events.csv")
    return {"block",    "netuid",    "kind",       "agent",       "uid",   "rule",
            "measured", "threshold", "amount_tao", "destination", "detail"};
  if (file == "epochs.csv")
    return {"block",     "netuid",          "epoch",        "uid",
            "agent",     "stake_tao",       "consensus",    "incentive",
            "dividends", "validator_trust", "emission_tao", "permit"};
  if (file == "globals.csv")
    return {"block", "issuance_tao", "total_stake_tao", "burned_tao", "slashed_tao", "price_usd"};
  if (file == "classes.csv")
    return {"block",     "netuid",    "epoch",     "group",        "uids",
            "stake_tao", "incentive", "dividends", "emission_tao", "permits"};
  if (file == "agents.csv")
    return {"agent", "group", "role", "netuid", "uid", "initial_tao", "final_tao", "paid_tao"};
  return {};
}

std::string read_optional_csv(const fs::path& dir, const char* name, const char* why_missing,
                              std::optional<CsvTable>& table, std::vector<std::string>& notes) {
  const fs::path path = dir / name;
  if (!fs::exists(path)) {
    // A run that did not finish (killed) leaves NAME.partial, written a whole line at a time:
    // read what it holds, up to its last complete line, and say so.
    const fs::path partial = dir / (std::string(name) + ".partial");
    if (fs::exists(partial)) {
      std::string text;  // empty when it cannot be read: then no complete line, said below
      core::read_file_text(partial, text);
      text.erase(text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1);
      if (text.empty()) {
        notes.push_back(std::string("no ") + name + ": the run did not finish, and " + name +
                        ".partial holds no complete line yet");
        return "";
      }
      auto read = metrics::parse_csv(text, partial.string());
      if (!read.ok()) return read.error;
      table = std::move(read.table);
      notes.push_back(std::string(name) + " is incomplete: the run did not finish, so this page "
                      "shows " + name + ".partial, up to its last complete line");
      return "";
    }
    notes.push_back(std::string("no ") + name + ": " + why_missing);
    return "";
  }
  auto read = metrics::read_csv_file(path.string());
  if (!read.ok()) return read.error.empty() ? path.string() + ": cannot be read" : read.error;
  table = std::move(read.table);
  return "";
}

}  // namespace

RunDataResult load_run(const std::string& dir_text) {
  RunDataResult result;
  const fs::path dir(dir_text);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    result.error = dir_text + ": " + (fs::exists(dir, ec) ? "not a directory" : "no such run directory");
    return result;
  }
  const fs::path scenario_path = dir / "resolved_scenario.json";
  if (!fs::exists(scenario_path)) {
    result.error = scenario_path.string() + ": not found (is " + dir_text + " a run directory?)";
    return result;
  }
  auto loaded = scenario::load_scenario(scenario_path.string());
  if (!loaded.ok()) {
    result.error = loaded.diagnostics.to_string();
    while (!result.error.empty() && result.error.back() == '\n') result.error.pop_back();
    return result;
  }
  RunData data;
  data.dir = dir_text;
  data.scenario = std::move(*loaded.scenario);

  const fs::path summary_path = dir / "summary.json";
  if (fs::exists(summary_path)) {
    result.error = metrics::read_json_object(summary_path.string(), data.summary);
    if (!result.error.empty()) return result;
    if (const std::string problem = summary_type_problem(data.summary); !problem.empty()) {
      result.error = summary_path.string() + ": " + problem;
      return result;
    }
  } else {
    data.notes.push_back("no summary.json: the run did not finish, so its totals are missing");
  }

  // Why there is no epochs.csv, from what is known: the scenario's outputs, and whether the
  // run says it finished (then the file was removed since).
  const bool finished = data.summary.is_object() && data.summary.contains("status") &&
                        data.summary["status"] == "completed";
  const char* no_epochs =
      !data.scenario.outputs.per_uid
          ? "per-uid output was off (outputs.per_uid), so there are no per-agent charts"
      : finished
          ? "the run finished, but the file is not in its directory (removed since?), so "
            "there are no per-agent charts"
          : "the run did not finish before it wrote any epoch, so there are no per-agent charts";
  std::optional<CsvTable> events;
  for (auto [name, why, table] :
       {std::tuple{"events.csv", "no events to tell", &events},
        std::tuple{"epochs.csv", no_epochs, &data.epochs},
        std::tuple{"globals.csv", "no issuance or price series", &data.globals},
        std::tuple{"classes.csv", "no series per agent group", &data.classes},
        std::tuple{"agents.csv",
                   "no totals per agent: reward concentration comes from the recorded epochs only",
                   &data.agents}}) {
    result.error = read_optional_csv(dir, name, why, *table, data.notes);
    if (!result.error.empty()) return result;
    // A file whose columns were renamed or cut would draw empty or wrong sections under a
    // reason that is not the cause: refused, naming the column.
    // A header and nothing else: its charts read "no data", and this says why. (A .partial file
    // has its own note: the run did not finish.)
    const bool partial =
        std::any_of(data.notes.begin(), data.notes.end(), [&](const std::string& n) {
          return n.rfind(std::string(name) + " is incomplete", 0) == 0;
        });
    if (*table && (*table)->rows.empty() && !partial && std::string(name) != "events.csv") {
      const bool no_epoch = data.summary.is_object() && data.summary.contains("epochs") &&
                            data.summary["epochs"].is_number_unsigned() &&
                            data.summary["epochs"].get<std::uint64_t>() == 0;
      const std::string reason =
          std::string(name) == "agents.csv" ? "the run has no agents"
          : no_epoch                        ? "no epoch ran within the horizon"
                                            : "no epoch was recorded with an agent's uid in it "
                                              "(outputs.every_epochs beyond the epochs run, or no agent held a uid)";
      data.notes.push_back(std::string(name) + " has no rows: " + reason +
                           ", so its charts have no data");
    }
    if (*table) {
      for (const std::string& column : required_columns(name))
        if (!(*table)->column(column)) {
          result.error =
              (dir / name).string() + ": no column \"" + column +
              "\" (expected the columns subnetsim writes; edited, or of another version?)";
          return result;
        }
    }
  }
  data.events_complete = fs::is_regular_file(dir / "events.csv");
  if (events) {
    data.has_events = true;
    result.error = events_from_csv(*events, (dir / "events.csv").string(), data.events);
    if (!result.error.empty()) return result;
  }
  result.data = std::move(data);
  return result;
}

}  // namespace subnetsim::report
