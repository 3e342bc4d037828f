#include "subnetsim/metrics/csv_table.hpp"

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace subnetsim::metrics {

std::optional<std::size_t> CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  return std::nullopt;
}

std::optional<double> CsvTable::number(const std::string& field) {
  if (field.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(field.c_str(), &end);
  if (end != field.c_str() + field.size() || errno == ERANGE) return std::nullopt;
  return v;
}

CsvReadResult parse_csv(const std::string& text, const std::string& name) {
  CsvReadResult out;
  CsvTable t;
  std::vector<std::string> row;
  std::string field;
  std::size_t line = 1, row_line = 1;
  bool quoted = false, field_started = false;
  auto end_row = [&]() -> bool {
    row.push_back(std::move(field));
    field.clear();
    field_started = false;
    if (t.header.empty()) {
      t.header = std::move(row);
    } else if (row.size() != t.header.size()) {
      out.error = name + ":" + std::to_string(row_line) + ": expected " + std::to_string(t.header.size()) +
                  " fields as in the header, found " + std::to_string(row.size());
      return false;
    } else {
      t.rows.push_back(std::move(row));
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
  if (t.header.empty()) {
    out.error = name + ": empty file (expected a header line)";
    return out;
  }
  out.table = std::move(t);
  return out;
}

CsvReadResult read_csv_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    CsvReadResult r;
    r.error = path + ": cannot open";
    return r;
  }
  std::ostringstream s;
  s << f.rdbuf();
  return parse_csv(s.str(), path);
}

}  // namespace subnetsim::metrics
