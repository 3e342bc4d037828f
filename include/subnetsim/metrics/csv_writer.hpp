// CsvRunWriter: an Observer that streams a run's events, per-uid epoch series and global samples
// to tidy CSV files in the output directory, for pandas.read_csv as is. Column names carry their
// unit (stake_tao, emission_tao, price_usd).
//
// Files are written as NAME.partial and renamed to NAME by finish(), so a file that looks whole
// is whole; a run that dies leaves only .partial files. Sampling: per-uid rows every
// `every_epochs` epochs of each subnet.
#pragma once

#include <cstdint>
#include <fstream>
#include <map>
#include <string>

#include "subnetsim/metrics/records.hpp"

namespace subnetsim::metrics {

class CsvRunWriter : public Observer {
 public:
  CsvRunWriter(std::string directory, std::uint32_t every_epochs, bool per_uid);
  void on_event(const EventRecord& r) override;
  void on_epoch(const EpochRecord& r) override;
  void on_sample(const GlobalSample& s) override;
  // Flushes, closes and renames every file; returns the file names written.
  std::vector<std::string> finish();

  std::uint64_t events_written() const { return events_; }

 private:
  std::string dir_;
  std::uint32_t every_epochs_;
  bool per_uid_;
  std::ofstream events_csv_, epochs_csv_, globals_csv_;
  std::uint64_t events_ = 0;
};

// Writes `content` to directory/name via a temporary file and an atomic rename.
void write_file_atomically(const std::string& directory, const std::string& name,
                           const std::string& content);

}  // namespace subnetsim::metrics
