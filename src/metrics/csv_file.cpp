#include "subnetsim/metrics/csv_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace subnetsim::metrics {

namespace fs = std::filesystem;

CsvFile::~CsvFile() {
  if (file_) std::fclose(file_);  // an abandoned run: keep the .partial file as it is
}

void CsvFile::open(const std::string& dir, const std::string& name, std::string_view header) {
  dir_ = dir;
  name_ = name;
  const std::string path = (fs::path(dir) / (name + ".partial")).string();
  file_ = std::fopen(path.c_str(), "wb");
  if (!file_) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
  std::setvbuf(file_, nullptr, _IONBF, 0);  // our buffer holds whole lines; no second one
  buffer_.reserve(kFlushBytes + 4096);
  buffer_.append(header);
  end_row();
}

void CsvFile::end_row() {
  buffer_ += '\n';
  if (buffer_.size() >= kFlushBytes) flush();
}

void CsvFile::flush() {
  if (!file_ || buffer_.empty()) return;
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
    throw std::runtime_error("cannot write " + (fs::path(dir_) / (name_ + ".partial")).string() +
                             " (disk full?)");
  buffer_.clear();
}

std::string CsvFile::finish() {
  if (!file_) return "";
  flush();
  std::fclose(file_);
  file_ = nullptr;
  fs::rename(fs::path(dir_) / (name_ + ".partial"), fs::path(dir_) / name_);
  return name_;
}

}  // namespace subnetsim::metrics
