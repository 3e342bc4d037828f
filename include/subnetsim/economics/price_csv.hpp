// Reading a scripted price path from CSV: lines "block,usd", an optional header line first
// (exactly "block,usd": any other first line that is not a price point is an error, so that
// swapped or foreign columns are not read as prices), blank lines ignored, CRLF accepted.
// Blocks must be strictly increasing whole numbers; prices finite and >= 0.
//
// Never throws: a problem is returned as one message naming the file, the line and what was
// wrong, e.g. `prices.csv:4: usd must be a number >= 0, got "-3"`, and no points.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "subnetsim/config/chain.hpp"

namespace subnetsim::economics {

struct PricePathCsv {
  std::vector<config::PricePoint> points;
  std::string error;  // empty when the file was read
  bool ok() const { return error.empty(); }
};

// The largest file read (256 MiB, a price for every block of ten years): a larger one, or a
// device without end, is an error rather than a run out of memory.
inline constexpr std::size_t kMaxPriceCsvBytes = std::size_t{256} << 20;
// The most points a path may hold: resolved_scenario.json inlines every one, and must load
// again within the scenario reader's 16 MiB (200,000 points take about 8 MB there).
inline constexpr std::size_t kMaxPricePoints = 200'000;

// `path` is opened as given (the caller resolves it relative to the scenario); `display_name`
// (default: path) is what the error message calls the file.
PricePathCsv read_price_path_csv(const std::string& path, std::string_view display_name = {});
// The same for text already in memory.
PricePathCsv parse_price_path_csv(std::string_view text, std::string_view display_name);

}  // namespace subnetsim::economics
