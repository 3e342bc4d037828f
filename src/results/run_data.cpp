#include "subnetsim/results/run_data.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "subnetsim/metrics/json_file.hpp"
#include "subnetsim/results/summary_values.hpp"

namespace subnetsim::results {

namespace fs = std::filesystem;

namespace {

constexpr const char* kGlobals = "globals.csv";
constexpr const char* kClasses = "classes.csv";

}  // namespace

RunData::RunData(std::string directory, nlohmann::json summary)
    : dir_(std::move(directory)), summary_(std::move(summary)) {
  if (!summary_.is_object()) summary_ = nlohmann::json::object();
}

RunData::Opened RunData::open(const std::string& directory) {
  Opened out;
  const std::string path = (fs::path(directory) / "summary.json").string();
  if (!fs::exists(path)) {
    out.error = path + ": not found";
    return out;
  }
  nlohmann::json summary;
  out.error = metrics::read_json_object(path, summary);
  if (!out.error.empty()) return out;
  out.run.emplace(directory, std::move(summary));
  return out;
}

const metrics::CsvReadResult& RunData::read(const std::string& file,
                                            const std::vector<std::string>& columns) const {
  std::string key = file;
  for (const auto& c : columns) key += '\n' + c;
  auto it = tables_.find(key);
  if (it == tables_.end()) {
    const fs::path path = fs::path(dir_) / file;
    metrics::CsvReadResult read;
    if (fs::exists(path)) read = metrics::read_csv_file(path.string(), &columns);
    it = tables_.emplace(std::move(key), std::move(read)).first;
  }
  return it->second;
}

const metrics::CsvTable* RunData::table(const std::string& file,
                                        const std::vector<std::string>& columns,
                                        std::string& error) const {
  const metrics::CsvReadResult& r = read(file, columns);
  error = r.error;
  return r.ok() ? &*r.table : nullptr;
}

const std::vector<std::string>& RunData::header(const std::string& file) const {
  auto it = headers_.find(file);
  if (it == headers_.end()) {
    std::vector<std::string> names;
    std::ifstream in(fs::path(dir_) / file);
    std::string line;
    if (in && std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      for (std::size_t at = 0; at <= line.size();) {
        const std::size_t comma = std::min(line.find(',', at), line.size());
        names.push_back(line.substr(at, comma - at));
        at = comma + 1;
      }
    }
    it = headers_.emplace(file, std::move(names)).first;
  }
  return it->second;
}

bool RunData::has_column(const std::string& file, const std::string& column) const {
  // A file there but not readable as text (a directory, unreadable): its read reports why.
  const fs::path path = fs::path(dir_) / file;
  std::error_code ec;
  if (fs::exists(path, ec) && (!fs::is_regular_file(path, ec) || !std::ifstream(path))) return true;
  const std::vector<std::string>& names = header(file);
  return std::find(names.begin(), names.end(), column) != names.end();
}

SeriesLookup RunData::series(const std::string& name) const {
  auto known = series_.find(name);
  if (known == series_.end()) known = series_.emplace(name, lookup_series(name)).first;
  return known->second;
}

SeriesLookup RunData::lookup_series(const std::string& name) const {
  SeriesLookup out;
  std::string error;
  auto found = [&](const std::string& file, SeriesRead read) {
    out.file = file;
    out.error = std::move(read.error);
    out.status = out.error.empty() ? SeriesLookup::Status::kFound : SeriesLookup::Status::kError;
    out.samples = std::move(read.samples);
    return out;
  };
  auto failed = [&](const std::string& file) {
    out.file = file;
    out.error = error;
    out.status = SeriesLookup::Status::kError;
    return out;
  };
  const auto dot = name.rfind('.');  // column names have no dots; group names might
  if (dot == std::string::npos) {
    if (!has_column(kGlobals, name)) return out;  // not a column: unknown, nothing read
    const metrics::CsvTable* globals = table(kGlobals, {"block", name}, error);
    if (!error.empty()) return failed(kGlobals);
    if (globals != nullptr && name != "block" && globals->column("block") && globals->column(name))
      return found(kGlobals, column_series(*globals, kGlobals, name));
    return out;
  }
  const std::string group = name.substr(0, dot), column = name.substr(dot + 1);
  if (!has_column(kClasses, column)) return out;
  const metrics::CsvTable* classes = table(kClasses, {"block", "group", column}, error);
  if (!error.empty()) return failed(kClasses);
  if (classes == nullptr || !classes->column("block") || !classes->column("group") || !classes->column(column) ||
      column == "block" || column == "group")
    return out;
  const std::size_t g = *classes->column("group");
  for (const auto& row : classes->rows)
    if (row[g] == group) return found(kClasses, group_series(*classes, kClasses, group, column));
  return out;
}

std::vector<std::string> RunData::metric_names() const {
  std::vector<std::string> names;
  for (const auto& leaf : summary_leaves(summary_)) names.push_back(leaf.first);
  std::string error;
  if (const auto& globals = read(kGlobals, {}); globals.ok())
    for (const auto& c : globals.file_header)
      if (c != "block") names.push_back(c);
  if (const auto& classes = read(kClasses, {"group"});
      classes.ok() && classes.table->column("group")) {
    std::set<std::string> groups;
    for (const auto& row : classes.table->rows) groups.insert(row[0]);
    for (const auto& group : groups)
      for (const auto& c : classes.file_header)
        if (c != "block" && c != "netuid" && c != "epoch" && c != "group") names.push_back(group + "." + c);
  }
  return names;
}

}  // namespace subnetsim::results
