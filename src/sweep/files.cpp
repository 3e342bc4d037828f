#include "subnetsim/sweep/files.hpp"

#include <charconv>
#include <filesystem>
#include <map>
#include <set>

#include "numbered_name.hpp"
#include "subnetsim/core/file_text.hpp"
#include "subnetsim/core/json_error.hpp"
#include "subnetsim/core/json_text.hpp"
#include "subnetsim/core/sha256.hpp"
#include "subnetsim/metrics/csv_table.hpp"
#include "subnetsim/metrics/csv_writer.hpp"
#include "subnetsim/sweep/table.hpp"

namespace subnetsim::sweep {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSweepJson = "sweep.json";

// I and N of a shard index's name (index.shard-I-of-N.csv, shard_file_name), as written.
std::optional<std::vector<std::string>> shard_file_numbers(std::string_view name) {
  return numbers_in_name(name, {"index.shard-", "-of-", ".csv"});
}

bool read_text(const fs::path& path, std::string& out) {
  return core::read_file_text(path, out) == core::FileRead::kOk;
}

// sweep.json parsed, or why it cannot be ("not valid JSON at line 3, column 7"): a file cut
// short (a full disk, a copy interrupted) is told where it stops making sense.
std::string parse_sweep_json(const std::string& text, json& out) {
  if (const std::string nul = core::nul_byte_problem(text); !nul.empty())
    return "not valid JSON at " + nul;
  try {
    out = core::parse_ordered_json(text);
    return out.is_object() ? "" : "not a sweep description (expected a JSON object)";
  } catch (const json::out_of_range& e) {
    // A number beyond a double (1e400): the text parses, its value cannot be held.
    return std::string("not a sweep description (") + e.what() + ")";
  } catch (const json::parse_error& e) {
    std::size_t line = 1, column = 1;
    for (std::size_t k = 0; k + 1 < e.byte && k < text.size(); ++k) {
      if (text[k] == '\n')
        ++line, column = 1;
      else
        ++column;
    }
    return "not valid JSON at line " + std::to_string(line) + ", column " + std::to_string(column) +
           (e.byte > text.size() ? " (the file ends there: cut short?)" : "");
  }
}

// "" when the sweep.json text describes `want`, else why not.
std::string compare_plan(const std::string& text, const json& want, const std::string& path) {
  json have;
  if (const std::string e = parse_sweep_json(text, have); !e.empty()) return path + ": " + e;
  for (const auto& [key, value] : want.items()) {
    // The file's path as spelled ("sd.json", "./sd.json") is not compared; its content is
    // (scenario_sha256).
    if (key == "scenario") continue;
    const auto it = have.find(key);
    if (key == "tool" && (it == have.end() || *it != value)) {
      auto build = [](const json* t) {
        if (t == nullptr || !t->is_object()) return std::string("an earlier build");
        return "subnetsim " + t->value("version", std::string("?")) + " (git " +
               t->value("git", std::string("?")) + ")";
      };
      return path + " was made by " + build(it == have.end() ? nullptr : &*it) + ", this is " +
             build(&value) +
             ": its runs' numbers may differ from this build's, so they are not resumed; use "
             "another output "
             "directory, or remove this one to start again";
    }
    if (it == have.end() || *it != value)
      return path + " describes a different sweep (its \"" + key + "\" differs" +
             (key == "scenario_sha256"
                  ? ": the scenario file, its price path, --set or --horizon changed"
                  : "") +
             "); use another output directory, or remove this one to start again";
  }
  return "";
}

}  // namespace

// Why a directory without sweep.json must not become a sweep's: it holds files a sweep writes
// (another tool's index.csv would be replaced) or a run's outputs (the two would mix).
std::string foreign_directory_problem(const std::string& dir) {
  std::error_code ec;
  const fs::path d(dir);
  if (!fs::is_directory(d, ec)) return "";
  for (const char* run_marker : {".run.lock", "resolved_scenario.json"})
    if (fs::exists(d / run_marker, ec))
      return dir + " holds a run's outputs (" + run_marker +
             "): a sweep writes its own tables and runs; choose a new or empty directory";
  std::vector<std::string> found;
  for (const char* name : {"index.csv", "aggregates.csv", "runs"})
    if (fs::exists(d / name, ec)) found.emplace_back(name);
  for (const auto& entry : fs::directory_iterator(d, ec))
    if (shard_file_numbers(entry.path().filename().string()))
      found.push_back(entry.path().filename().string());
  if (found.empty()) return "";
  std::string list;
  for (std::size_t i = 0; i < found.size() && i < 4; ++i) list += (i == 0 ? "" : ", ") + found[i];
  if (found.size() > 4) list += ", ...";
  const char* them = found.size() == 1 ? "it" : "them";
  return dir + " holds " + list + " but no " + kSweepJson + ": a sweep would replace " + them +
         "; choose a new or empty directory, or remove " + them;
}

std::string unclaimed_directory_problem(const std::string& dir) {
  std::error_code ec;
  if (fs::exists(fs::path(dir) / kSweepJson, ec)) return "";
  return foreign_directory_problem(dir);
}

std::string claim_directory(const Plan& plan, const std::string& dir) {
  const json want = plan_json(plan);
  const fs::path path = fs::path(dir) / kSweepJson;
  std::string text;
  if (read_text(path, text)) return compare_plan(text, want, path.string());
  if (std::string problem = foreign_directory_problem(dir); !problem.empty()) return problem;
  try {
    fs::create_directories(dir);
    metrics::write_file_atomically(dir, kSweepJson, core::dump_json(want, 2) + "\n");
    return "";
  } catch (const std::exception& e) {
    // Another process (a shard) may have written it at the same moment: then it must agree.
    if (read_text(path, text)) return compare_plan(text, want, path.string());
    return "cannot write " + path.string() + ": " + e.what();
  }
}

std::string read_plan(const std::string& dir, Plan& plan) {
  const fs::path path = fs::path(dir) / kSweepJson;
  std::string text;
  if (!read_text(path, text)) return path.string() + ": not found (is " + dir + " a sweep directory?)";
  json j;
  if (const std::string e = parse_sweep_json(text, j); !e.empty()) return path.string() + ": " + e;
  if (auto e = plan_from_json(j, plan); !e.empty()) return path.string() + ": " + e;
  return "";
}

void write_tables(const Plan& plan, const std::string& dir, const std::vector<RunRow>& rows) {
  metrics::write_file_atomically(dir, "index.csv", index_csv(plan, rows));
  metrics::write_file_atomically(dir, "aggregates.csv", aggregates_csv(plan, rows));
}

std::string shard_file_name(std::size_t shard, std::size_t shards) {
  return "index.shard-" + std::to_string(shard) + "-of-" + std::to_string(shards) + ".csv";
}

namespace {

// A shard index carries, on every row, the identity of the sweep that ran it (the hash of its
// sweep.json description), so that merge can tell a shard of another sweep (another scenario,
// horizon or --set) however its file came to be in the directory.
constexpr const char* kSweepIdColumn = "sweep_sha256";

// Without the scenario's path as spelled, as a resume compares it (its content is in
// scenario_sha256): shards started as "sd.json" and "./sd.json" are one sweep.
std::string sweep_id(const Plan& plan) {
  json description = plan_json(plan);
  description.erase("scenario");
  return core::sha256_hex(core::dump_json(description));
}

}  // namespace

void write_shard_index(const Plan& plan, const std::string& dir, const std::vector<RunRow>& rows, std::size_t shard,
                       std::size_t shards) {
  std::vector<RunRow> tagged = rows;
  const std::string id = sweep_id(plan);
  for (RunRow& r : tagged) r.metrics[kSweepIdColumn] = id;
  metrics::write_file_atomically(dir, shard_file_name(shard, shards), index_csv(plan, tagged));
}

std::string read_shards(const Plan& plan, const std::string& dir, std::size_t shards, std::vector<RunRow>& rows) {
  if (shards == 0) {
    std::set<std::size_t> counts;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
      if (const auto numbers = shard_file_numbers(entry.path().filename().string())) {
        // A count beyond any integer is no shard index this program wrote: not one.
        std::size_t count = 0;
        const std::string& digits = numbers->at(1);
        if (std::from_chars(digits.data(), digits.data() + digits.size(), count).ec == std::errc())
          counts.insert(count);
      }
    if (counts.empty()) return "no shard indexes (index.shard-I-of-N.csv) in " + dir;
    if (counts.size() > 1)
      return dir + " holds shard indexes of " + std::to_string(counts.size()) +
             " different shard counts: give --shards N";
    shards = *counts.begin();
  }
  const std::vector<Run> runs = plan_runs(plan);
  std::map<std::string, const Run*> by_id;
  for (const Run& r : runs) by_id[r.id] = &r;
  // Listed up to ten, then ", ...": a stray file named for a count in the billions is told in
  // a line, not looked for a billion times.
  constexpr std::size_t kMissingListed = 10;
  std::string missing;
  std::size_t missing_count = 0;
  for (std::size_t i = 1; i <= shards; ++i) {
    if (fs::exists(fs::path(dir) / shard_file_name(i, shards))) continue;
    if (++missing_count > kMissingListed) {
      missing += ", ...";
      break;
    }
    missing += (missing.empty() ? "" : ", ") + std::to_string(i) + "/" + std::to_string(shards);
  }
  if (!missing.empty()) return dir + ": shard indexes missing for --shard " + missing;
  std::set<std::string> seen;
  const std::string id = sweep_id(plan);
  for (std::size_t i = 1; i <= shards; ++i) {
    const fs::path path = fs::path(dir) / shard_file_name(i, shards);
    std::string text;
    if (!read_text(path, text)) return path.string() + ": cannot be read";
    std::vector<RunRow> shard_rows;
    if (auto e = parse_index_csv(plan, text, path.string(), shard_rows); !e.empty()) return e;
    const std::string sweep_json = (fs::path(dir) / kSweepJson).string();
    for (RunRow& row : shard_rows) {
      const auto it = by_id.find(row.id);
      if (it == by_id.end() || it->second->index % shards != i - 1 ||
          it->second->seed != row.seed || it->second->point != row.point ||
          it->second->replicate != row.replicate || row.values != value_cells(plan, row.point))
        return path.string() + ": run " + row.id + " is not one of this shard's runs in " +
               sweep_json +
               " (its point, seed or parameter values differ: a shard of a different sweep?)";
      const auto tag = row.metrics.find(kSweepIdColumn);
      if (tag == row.metrics.end() || tag->second != id)
        return path.string() + ": run " + row.id + " was run by a different sweep than " +
               sweep_json + " describes (another scenario, horizon or --set: its " +
               kSweepIdColumn + (tag == row.metrics.end() ? " is missing)" : " differs)");
      row.metrics.erase(tag);
      for (const auto& [name, cell] : row.metrics)
        if (!cell.empty() && !metrics::CsvTable::number(cell))
          return path.string() + ": run " + row.id + ": column \"" + name +
                 "\": expected a number, found \"" + cell + "\"";
      if (!seen.insert(row.id).second) return path.string() + ": run " + row.id + " appears twice";
      if (row.status == "interrupted")
        return path.string() + ": run " + row.id + " was interrupted (" + row.error +
               "): run shard " + std::to_string(i) + "/" + std::to_string(shards) +
               "'s sweep command again to finish it (it resumes), then merge";
      rows.push_back(std::move(row));
    }
    for (const Run& r : runs)
      if (r.index % shards == i - 1 && !seen.count(r.id))
        return path.string() + ": run " + r.id + " is missing (did shard " + std::to_string(i) + "/" +
               std::to_string(shards) + " finish?)";
  }
  return "";
}

}  // namespace subnetsim::sweep
