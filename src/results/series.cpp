#include "subnetsim/results/series.hpp"

#include <charconv>
#include <map>
#include <optional>

namespace subnetsim::results {

namespace {

std::optional<std::uint64_t> block_of(const std::string& field) {
  std::uint64_t b = 0;
  const auto r = std::from_chars(field.data(), field.data() + field.size(), b);
  if (field.empty() || r.ec != std::errc() || r.ptr != field.data() + field.size()) return std::nullopt;
  return b;
}

// Adds every row that `keep` accepts to per-block sums; false (and `error`) on a bad field.
template <typename Keep>
bool sum_rows(const metrics::CsvTable& table, const std::string& file, const std::string& column, Keep keep,
              std::map<std::uint64_t, double>& sums, std::string& error) {
  const auto block_column = table.column("block"), value_column = table.column(column);
  if (!block_column || !value_column) {
    error = file + ": no column \"" + (block_column ? column : std::string("block")) + "\"";
    return false;
  }
  const std::size_t b = *block_column, c = *value_column;
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    const auto& row = table.rows[i];
    if (!keep(row)) continue;
    const auto block = block_of(row[b]);
    const auto value = metrics::CsvTable::number(row[c]);
    if (!block || !value) {
      // Line numbers count the header as line 1 (fields with newlines are not expected here).
      error = file + ":" + std::to_string(i + 2) + ": " + (block ? column : std::string("block")) +
              " is not a number: \"" + (block ? row[c] : row[b]) + "\"";
      return false;
    }
    sums[*block] += *value;
  }
  return true;
}

SeriesRead to_series(bool ok, const std::map<std::uint64_t, double>& sums, std::string error) {
  SeriesRead out;
  out.error = std::move(error);
  if (!ok) return out;
  out.samples.reserve(sums.size());
  for (const auto& [block, value] : sums) out.samples.push_back({block, value});
  return out;
}

}  // namespace

SeriesRead column_series(const metrics::CsvTable& table, const std::string& file, const std::string& column) {
  std::map<std::uint64_t, double> sums;
  std::string error;
  const bool ok = sum_rows(table, file, column, [](const auto&) { return true; }, sums, error);
  return to_series(ok, sums, std::move(error));
}

SeriesRead group_series(const metrics::CsvTable& table, const std::string& file, const std::string& group,
                        const std::string& column) {
  std::map<std::uint64_t, double> sums;
  std::string error;
  const auto g = table.column("group");
  if (!g) error = file + ": no column \"group\"";
  const bool ok = g && sum_rows(table, file, column, [&](const auto& row) { return row[*g] == group; }, sums, error);
  return to_series(ok, sums, std::move(error));
}

}  // namespace subnetsim::results
