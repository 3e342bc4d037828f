// CsvRunWriter: an Observer that streams a run's records to tidy CSV files in the output
// directory, for pandas.read_csv as is. Column names carry their unit (stake_tao, emission_tao,
// price_usd); shares and scores have none.
//
//   events.csv   one row per event (registrations, prunings, slashes, votes, refusals, ...)
//   epochs.csv   per uid per sampled epoch (when per_uid)
//   classes.csv  per agent group per subnet per sampled epoch: sums and means over its uids
//   globals.csv  one row per global sample: issuance, stake, burned, slashed, price, emission
//                minted by class of recipient
//
// Files are written as NAME.partial and renamed to NAME by finish(), so a file that looks whole
// is whole. Rows reach the disk in whole lines, at least every few seconds of wall time, so a
// run that dies leaves .partial files with every row up to the last flush. Sampling: epoch rows
// every `every_epochs` epochs of each subnet.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "subnetsim/metrics/csv_file.hpp"
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
  void write_classes(const EpochRecord& r);
  void flush_if_due();

  std::string dir_;
  std::uint32_t every_epochs_;
  bool per_uid_;
  CsvFile events_csv_, epochs_csv_, classes_csv_, globals_csv_;
  std::uint64_t events_ = 0;
  std::chrono::steady_clock::time_point last_flush_;
};

// Writes `content` to directory/name via a temporary file and an atomic rename.
void write_file_atomically(const std::string& directory, const std::string& name,
                           const std::string& content);

}  // namespace subnetsim::metrics
