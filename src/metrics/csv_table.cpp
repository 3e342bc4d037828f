#include "subnetsim/metrics/csv_table.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "subnetsim/metrics/run_file.hpp"

namespace subnetsim::metrics {

namespace {

// Which columns of the file `name` must hold numbers: in the files a run's CsvRunWriter writes,
// every column but these text ones (see its headers in csv_writer.cpp). Other files (agents.csv,
// cases.csv, a sweep's index.csv) are not this module's to know: none of their columns is checked.
std::vector<bool> numeric_columns(const std::string& name, const std::vector<std::string>& header) {
  static const std::map<std::string, std::set<std::string>> kTextColumns = {
      {"events.csv", {"kind", "agent", "rule", "destination", "detail"}},
      {"epochs.csv", {"agent"}},
      {"classes.csv", {"group"}},
      {"globals.csv", {}}};
  std::vector<bool> numeric(header.size(), false);
  const auto file = kTextColumns.find(std::filesystem::path(name).filename().string());
  if (file != kTextColumns.end())
    for (std::size_t i = 0; i < header.size(); ++i) numeric[i] = file->second.count(header[i]) == 0;
  return numeric;
}

}  // namespace

std::optional<std::size_t> CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  return std::nullopt;
}

std::optional<double> CsvTable::number(const std::string& field) {
  // from_chars, not strtod: strtod reports ERANGE for a subnormal that %.9g wrote (1e-310), and
  // takes leading blanks, hexadecimal and the locale's decimal point.
  double v = 0;
  const char* end = field.data() + field.size();
  const auto [ptr, ec] = std::from_chars(field.data(), end, v);
  if (field.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return v;
}

CsvReadResult parse_csv(const std::string& text, const std::string& name,
                        const std::vector<std::string>* keep) {
  CsvReadResult out;
  CsvTable t;
  std::vector<std::string> row;
  std::string field;
  std::size_t line = 1, row_line = 1;
  bool quoted = false, field_started = false;
  std::vector<bool> numeric;
  std::vector<std::size_t> kept;  // with `keep`: the file's columns the table holds
  auto end_row = [&]() -> bool {
    row.push_back(std::move(field));
    field.clear();
    field_started = false;
    if (out.file_header.empty()) {
      t.header = std::move(row);
      numeric = numeric_columns(name, t.header);
      out.file_header = t.header;
      if (keep != nullptr) {
        std::vector<std::string> header;
        for (std::size_t c = 0; c < t.header.size(); ++c)
          if (std::find(keep->begin(), keep->end(), t.header[c]) != keep->end())
            kept.push_back(c), header.push_back(t.header[c]);
        t.header = std::move(header);
      }
    } else if (row.size() != out.file_header.size()) {
      out.error = name + ":" + std::to_string(row_line) + ": expected " +
                  std::to_string(out.file_header.size()) + " fields as in the header, found " +
                  std::to_string(row.size());
      return false;
    } else {
      for (std::size_t c = 0; c < row.size(); ++c)
        if (numeric[c] && !row[c].empty() && !CsvTable::number(row[c])) {
          out.error = name + ":" + std::to_string(row_line) + ": column \"" + out.file_header[c] +
                      "\": expected a number, found \"" + row[c] + "\"";
          return false;
        }
      if (keep != nullptr) {
        std::vector<std::string> slim;
        slim.reserve(kept.size());
        for (const std::size_t c : kept) slim.push_back(std::move(row[c]));
        t.rows.push_back(std::move(slim));
      } else {
        t.rows.push_back(std::move(row));
      }
    }
    row.clear();
    row_line = line;
    return true;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
        else quoted = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && !field_started) {
      quoted = field_started = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      field_started = false;
    } else if (c == '\n') {
      ++line;
      if (!end_row()) return out;
    } else if (c != '\r') {
      field += c;
      field_started = true;
    }
  }
  if (quoted) {
    out.error = name + ":" + std::to_string(row_line) + ": a quoted field is not closed";
    return out;
  }
  if (field_started || !row.empty())
    if (!end_row()) return out;
  if (out.file_header.empty()) {
    out.error = name + ": empty file (expected a header line)";
    return out;
  }
  out.table = std::move(t);
  return out;
}

CsvReadResult read_csv_file(const std::string& path, const std::vector<std::string>* keep) {
  if (std::string problem = run_file_problem(path); !problem.empty()) {
    CsvReadResult r;
    r.error = std::move(problem);
    return r;
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    CsvReadResult r;
    r.error = path + ": cannot open";
    return r;
  }
  std::ostringstream s;
  s << f.rdbuf();
  return parse_csv(s.str(), path, keep);
}

}  // namespace subnetsim::metrics
