#include "subnetsim/metrics/csv_table.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string_view>

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

namespace {

// The CSV reader, fed a file in pieces: a long run's files are read a block at a time, and only
// the table (the kept columns) is held, not the file's text as well. Split anywhere, the pieces
// give the table the whole text gives (a quote at the end of a piece waits for the next one).
class CsvParser {
 public:
  CsvParser(std::string name, const std::vector<std::string>* keep)
      : name_(std::move(name)), keep_(keep) {}

  // False once the text is refused (out().error says why); then stop feeding.
  bool feed(std::string_view text) {
    for (const char c : text) {
      if (quote_pending_) {
        // A quote inside a quoted field: doubled, it is one quote; else the field's end.
        quote_pending_ = false;
        if (c == '"') {
          field_ += '"';
          continue;
        }
        quoted_ = false;
      }
      if (quoted_) {
        if (c == '"') {
          quote_pending_ = true;
        } else {
          if (c == '\n') ++line_;
          field_ += c;
        }
        continue;
      }
      if (c == '"' && !field_started_) {
        quoted_ = field_started_ = true;
      } else if (c == ',') {
        row_.push_back(std::move(field_));
        field_.clear();
        field_started_ = false;
      } else if (c == '\n') {
        ++line_;
        // A blank line (an editor's trailing newline) is no row: with several columns it can
        // only be a mistake of that kind, and refusing the file for it helped no one.
        if (row_.empty() && !field_started_ && field_.empty() && out_.file_header.size() != 1) {
          row_line_ = line_;
          continue;
        }
        if (!end_row()) return false;
      } else if (c != '\r') {
        field_ += c;
        field_started_ = true;
      }
    }
    return true;
  }

  CsvReadResult finish() {
    if (quote_pending_)
      quote_pending_ = quoted_ = false;  // a quote ending the text closes its field
    if (quoted_ && out_.error.empty()) {
      out_.error = name_ + ":" + std::to_string(row_line_) + ": a quoted field is not closed";
      return std::move(out_);
    }
    if (out_.error.empty() && (field_started_ || !row_.empty()) && !end_row())
      return std::move(out_);
    if (!out_.error.empty()) return std::move(out_);
    if (out_.file_header.empty()) {
      out_.error = name_ + ": empty file (expected a header line)";
      return std::move(out_);
    }
    out_.table = std::move(table_);
    return std::move(out_);
  }

  CsvReadResult& out() { return out_; }

 private:
  bool end_row() {
    row_.push_back(std::move(field_));
    field_.clear();
    field_started_ = false;
    if (out_.file_header.empty()) {
      table_.header = std::move(row_);
      numeric_ = numeric_columns(name_, table_.header);
      out_.file_header = table_.header;
      if (keep_ != nullptr) {
        std::vector<std::string> header;
        for (std::size_t c = 0; c < table_.header.size(); ++c)
          if (std::find(keep_->begin(), keep_->end(), table_.header[c]) != keep_->end())
            kept_.push_back(c), header.push_back(table_.header[c]);
        table_.header = std::move(header);
      }
    } else if (row_.size() != out_.file_header.size()) {
      out_.error = name_ + ":" + std::to_string(row_line_) + ": expected " +
                   std::to_string(out_.file_header.size()) + " fields as in the header, found " +
                   std::to_string(row_.size());
      return false;
    } else {
      for (std::size_t c = 0; c < row_.size(); ++c)
        if (numeric_[c] && !row_[c].empty() && !CsvTable::number(row_[c])) {
          out_.error = name_ + ":" + std::to_string(row_line_) + ": column \"" +
                       out_.file_header[c] + "\": expected a number, found \"" + row_[c] + "\"";
          return false;
        }
      if (keep_ != nullptr) {
        std::vector<std::string> slim;
        slim.reserve(kept_.size());
        for (const std::size_t c : kept_) slim.push_back(std::move(row_[c]));
        table_.rows.push_back(std::move(slim));
      } else {
        table_.rows.push_back(std::move(row_));
      }
    }
    row_.clear();
    row_line_ = line_;
    return true;
  }

  std::string name_;
  const std::vector<std::string>* keep_;
  CsvReadResult out_;
  CsvTable table_;
  std::vector<std::string> row_;
  std::string field_;
  std::size_t line_ = 1, row_line_ = 1;
  bool quoted_ = false, quote_pending_ = false, field_started_ = false;
  std::vector<bool> numeric_;
  std::vector<std::size_t> kept_;  // with keep_: the file's columns the table holds
};

}  // namespace

CsvReadResult parse_csv(const std::string& text, const std::string& name,
                        const std::vector<std::string>* keep) {
  CsvParser parser(name, keep);
  if (!parser.feed(text)) return std::move(parser.out());
  return parser.finish();
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
  CsvParser parser(path, keep);
  std::vector<char> block(1 << 20);
  while (f) {
    f.read(block.data(), static_cast<std::streamsize>(block.size()));
    const auto got = static_cast<std::size_t>(f.gcount());
    if (got == 0) break;
    if (!parser.feed(std::string_view(block.data(), got))) return std::move(parser.out());
  }
  if (f.bad()) {
    CsvReadResult r;
    r.error = path + ": read error";
    return r;
  }
  return parser.finish();
}

}  // namespace subnetsim::metrics
