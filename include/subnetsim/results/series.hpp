// Series: one number per sample block, read from a run's CSV files.
//   globals.csv  a column by name (`price_usd`): one sample per row.
//   classes.csv  `GROUP.COLUMN` (`graders.stake_tao`): the rows of agent group GROUP, COLUMN summed
//                over subnets at each block.
//
// Invariants: samples are in increasing block order, one per block; a field that is not a number
// makes the whole series an error naming the file and line, never a skipped sample.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "subnetsim/metrics/csv_table.hpp"

namespace subnetsim::results {

struct Sample {
  std::uint64_t block = 0;
  double value = 0.0;
};

struct SeriesRead {
  std::vector<Sample> samples;
  std::string error;  // "FILE:LINE: what" when the file holds the column but not as numbers
};

// `file` names the table in errors (also when `column`, `block` or `group` is not in the header).
SeriesRead column_series(const metrics::CsvTable& table, const std::string& file, const std::string& column);

// Rows whose `group` field equals `group`, `column` summed per block.
SeriesRead group_series(const metrics::CsvTable& table, const std::string& file, const std::string& group,
                        const std::string& column);

}  // namespace subnetsim::results
