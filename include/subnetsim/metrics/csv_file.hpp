// CsvFile: one CSV output streamed as NAME.partial and renamed to NAME when
// finished. Rows are gathered in memory and written in whole-line chunks straight to the file
// (no stream buffer in between), so a killed run leaves a .partial file whose lines are all
// complete, up to the last flush.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace subnetsim::metrics {

class CsvFile {
 public:
  CsvFile() = default;
  CsvFile(const CsvFile&) = delete;
  CsvFile& operator=(const CsvFile&) = delete;
  ~CsvFile();

  // Creates DIR/NAME.partial with the header line; throws std::runtime_error when it cannot.
  void open(const std::string& dir, const std::string& name, std::string_view header);
  bool is_open() const { return file_ != nullptr; }
  // The row being built; end it with end_row().
  std::string& row() { return buffer_; }
  void end_row();
  // Writes what is buffered (whole lines) to the file.
  void flush();
  // Flushes, closes and renames NAME.partial to NAME; returns NAME ("" when it was not open).
  std::string finish();

 private:
  static constexpr std::size_t kFlushBytes = 1 << 20;
  std::FILE* file_ = nullptr;
  std::string dir_, name_, buffer_;
};

}  // namespace subnetsim::metrics

namespace subnetsim::metrics {

// Field formatting shared by every CSV a run writes.
std::string csv_field(const std::string& s);  // RFC 4180 quoting, only when needed
// %.9g, with ".0" after a whole number (so pandas always reads a real column as float); ""
// for NaN (pandas reads it as missing).
std::string csv_number(double x);
std::string csv_tao(std::uint64_t rao);        // exact TAO with 9 decimals

}  // namespace subnetsim::metrics
