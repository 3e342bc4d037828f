// What the commands that read finished runs back (report, compare, expectations) require of a
// run's file before they read it: a regular file of a sane size. A run writes nothing else, so
// anything else there (a directory named summary.json, a FIFO that would block the read
// forever, a link to /dev/zero that would be read until memory runs out) is a bad run
// directory, reported as such.
#pragma once

#include <cstdint>
#include <string>

namespace subnetsim::metrics {

// Larger than any run file this tool writes for a run it can hold in memory.
inline constexpr std::uintmax_t kMaxRunFileBytes = std::uintmax_t{4} << 30;  // 4 GiB

// "" when `path` is a regular file (links followed) of at most `max_bytes`, else the problem,
// naming the file: "is a directory", "is not a regular file (a FIFO, a device, ...)", "is too
// large", or that it cannot be read. A missing file is "cannot be read" too: callers that
// allow one check for it first.
std::string run_file_problem(const std::string& path, std::uintmax_t max_bytes = kMaxRunFileBytes);

}  // namespace subnetsim::metrics
