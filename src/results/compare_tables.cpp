#include <optional>

#include "compare_parts.hpp"

namespace subnetsim::results::detail {

namespace {

std::string joined(const std::vector<std::string>& fields) {
  std::string out;
  for (const auto& f : fields) out += (out.empty() ? "" : ",") + f;
  return out;
}

// "row 12 (block 360, netuid 1, uid 3, agent grader/0)": the row number counts data rows from 1.
std::string row_label(const metrics::CsvTable& t, std::size_t row) {
  std::string keys;
  for (const char* key : {"block", "netuid", "uid", "agent", "group", "kind"})
    if (const auto c = t.column(key); c && !t.rows[row][*c].empty())
      keys += (keys.empty() ? "" : ", ") + std::string(key) + " " + t.rows[row][*c];
  return "row " + std::to_string(row + 1) + (keys.empty() ? "" : " (" + keys + ")");
}

struct ColumnResult {
  std::size_t differing = 0;
  std::optional<std::size_t> first;
  std::string values;  // both values at the first differing row
};

ColumnResult compare_column(const metrics::CsvTable& run, const metrics::CsvTable& golden, std::size_t c,
                            std::size_t rows, const CompareOptions& options) {
  ColumnResult r;
  const double rel = tolerance_for(options, run.header[c]);
  for (std::size_t i = 0; i < rows; ++i) {
    const std::string &a = run.rows[i][c], &b = golden.rows[i][c];
    double relative = 0.0;
    bool numeric = false;
    if (fields_match(a, b, rel, options.absolute_floor, relative, numeric)) continue;
    if (r.differing++ == 0) {
      r.first = i;
      r.values = both_values(a, b, numeric, relative);
    }
  }
  return r;
}

}  // namespace

void compare_tables(const std::string& file, const metrics::CsvTable& run, const metrics::CsvTable& golden,
                    const CompareOptions& options, Comparison& out) {
  out.names.insert(run.header.begin(), run.header.end());
  out.names.insert(golden.header.begin(), golden.header.end());
  for (const metrics::CsvTable* t : {&run, &golden})
    for (std::size_t c = 0; c < t->header.size(); ++c) {
      if (out.numeric_names.count(t->header[c])) continue;
      for (const auto& row : t->rows)
        if (c < row.size() && metrics::CsvTable::number(row[c])) {
          out.numeric_names.insert(t->header[c]);
          break;
        }
    }
  if (run.header != golden.header) {
    ++out.series_compared;
    out.differences.push_back({file, "", "header differs: run has " + joined(run.header) + "; golden has " +
                                             joined(golden.header), 0});
    return;
  }
  const std::size_t rows = std::min(run.rows.size(), golden.rows.size());
  std::vector<ColumnResult> columns;
  for (std::size_t c = 0; c < run.header.size(); ++c) columns.push_back(compare_column(run, golden, c, rows, options));
  if (run.rows.size() != golden.rows.size()) {
    ++out.series_compared;
    std::string detail = std::to_string(run.rows.size()) + " rows in run, " + std::to_string(golden.rows.size()) +
                         " in golden";
    const ColumnResult* earliest = nullptr;
    std::size_t earliest_column = 0;
    for (std::size_t c = 0; c < columns.size(); ++c)
      if (columns[c].first && (!earliest || *columns[c].first < *earliest->first)) {
        earliest = &columns[c];
        earliest_column = c;
      }
    if (earliest)
      detail += "; first difference in the common rows: " + run.header[earliest_column] + " at " +
                row_label(run, *earliest->first) + ": " + earliest->values;
    out.differences.push_back({file, "", detail, 0});
    return;
  }
  out.series_compared += run.header.size();
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (columns[c].first)
      out.differences.push_back({file, run.header[c],
                                 "first at " + row_label(run, *columns[c].first) + ": " + columns[c].values,
                                 columns[c].differing});
}

}  // namespace subnetsim::results::detail
