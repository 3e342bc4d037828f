// A finished run's per-epoch series, read back from classes.csv, and the totals derived from them.
#include <cstdint>
#include <filesystem>
#include <set>

#include "subnetsim/cases/cases.hpp"
#include "subnetsim/metrics/csv_table.hpp"

namespace subnetsim::cases {

namespace {
// Bonds per validator group and epoch record, from epochs.csv's bond_total (newer runs only).
std::string read_bonds(VariantRun& run, const std::set<std::string>& validators) {
  const std::string file = (std::filesystem::path(run.dir) / "epochs.csv").string();
  if (!std::filesystem::exists(file)) return {};
  const metrics::CsvReadResult read = metrics::read_csv_file(file);
  if (!read.ok()) return read.error;
  const metrics::CsvTable& t = *read.table;
  const auto block = t.column("block"), agent = t.column("agent"), bonds = t.column("bond_total");
  if (!block || !agent || !bonds) return {};
  std::map<std::uint64_t, std::size_t> record_of;  // block -> index of its epoch record
  for (std::size_t i = 0; i < run.blocks.size(); ++i) record_of[run.blocks[i]] = i;
  for (const std::string& g : validators) run.bonds[g].assign(run.blocks.size(), 0.0);
  for (const auto& row : t.rows) {
    const std::string& name = row[*agent];
    const auto b = metrics::CsvTable::number(row[*block]), x = metrics::CsvTable::number(row[*bonds]);
    auto it = record_of.find(b ? static_cast<std::uint64_t>(*b) : UINT64_MAX);
    const auto group = validators.find(name.substr(0, name.rfind('/')));
    if (it != record_of.end() && x && group != validators.end()) run.bonds[*group][it->second] += *x;
  }
  return {};
}
}  // namespace

std::string read_series(VariantRun& run, const std::vector<std::string>& validators,
                        const std::vector<std::string>& miners) {
  const std::string file = (std::filesystem::path(run.dir) / "classes.csv").string();
  const metrics::CsvReadResult read = metrics::read_csv_file(file);
  if (!read.ok()) return read.error;
  const metrics::CsvTable& t = *read.table;
  const auto block = t.column("block"), epoch = t.column("epoch"), group = t.column("group"),
             dividends = t.column("dividends"), stake = t.column("stake_tao"),
             incentive = t.column("incentive");
  if (!block || !epoch || !group || !dividends || !stake || !incentive)
    return file + ": expected the columns block, epoch, group, stake_tao, incentive, dividends";
  const std::set<std::string> vset(validators.begin(), validators.end()), mset(miners.begin(), miners.end());
  auto series_at = [&](std::map<std::string, std::vector<double>>& m, const std::string& g) -> double& {
    std::vector<double>& v = m[g];
    v.resize(run.blocks.size(), 0.0);
    return v.back();
  };
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const auto& row = t.rows[i];
    const auto b = metrics::CsvTable::number(row[*block]), e = metrics::CsvTable::number(row[*epoch]),
               d = metrics::CsvTable::number(row[*dividends]), s = metrics::CsvTable::number(row[*stake]),
               inc = metrics::CsvTable::number(row[*incentive]);
    if (!b || !e || !d || !s || !inc) return file + ":" + std::to_string(i + 2) + ": expected numbers";
    // A new block starts a new epoch record (subnets of one block add up).
    if (run.blocks.empty() || run.blocks.back() != static_cast<std::uint64_t>(*b)) {
      run.blocks.push_back(static_cast<std::uint64_t>(*b));
      run.epochs.push_back(static_cast<std::uint64_t>(*e));
    }
    const std::string& g = row[*group];
    if (vset.count(g)) {
      series_at(run.dividends, g) += *d;
      series_at(run.stake_tao, g) += *s;
    }
    if (mset.count(g)) series_at(run.incentive, g) += *inc;
  }
  // Every named group has a value for every epoch (0 when it held no uid then).
  for (auto* m : {&run.dividends, &run.stake_tao})
    for (const std::string& g : validators) (*m)[g].resize(run.blocks.size(), 0.0);
  for (const std::string& g : miners) run.incentive[g].resize(run.blocks.size(), 0.0);
  return read_bonds(run, vset);
}

namespace {
double sum(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v) s += x;
  return s;
}
const std::vector<double>& series_of(const std::map<std::string, std::vector<double>>& m, const std::string& g) {
  static const std::vector<double> kNone;
  auto it = m.find(g);
  return it == m.end() ? kNone : it->second;
}
double value_at(const std::map<std::string, std::vector<double>>& m, const std::string& g, std::size_t i) {
  const std::vector<double>& v = series_of(m, g);
  return i < v.size() ? v[i] : 0.0;
}
}  // namespace

double dividend_total(const VariantRun& run, const std::string& group) {
  return sum(series_of(run.dividends, group));
}

double dividend_share(const VariantRun& run, const std::vector<std::string>& validators,
                      const std::string& group) {
  double all = 0.0;
  for (const std::string& g : validators) all += dividend_total(run, g);
  return all > 0.0 ? dividend_total(run, group) / all : 0.0;
}

double stake_share(const VariantRun& run, const std::vector<std::string>& validators,
                   const std::string& group) {
  double share = 0.0;
  const std::size_t n = run.blocks.size();
  for (std::size_t i = 0; i < n; ++i) {
    double all = 0.0;
    for (const std::string& g : validators) all += value_at(run.stake_tao, g, i);
    if (all > 0.0) share += value_at(run.stake_tao, group, i) / all;
  }
  return n > 0 ? share / static_cast<double>(n) : 0.0;
}

}  // namespace subnetsim::cases
