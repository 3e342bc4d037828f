// Reading a file's bytes into memory: the one reader behind the tools' input files (scenarios,
// price paths, grids, conformance files, a run's JSON and CSV outputs), so that every one reads
// a device, a pipe or a failing disk the same way. Callers word their own messages (each names
// its file and what it expected); these functions only say what happened.
//
// Invariants: nothing is thrown for an I/O problem (a status says it); a read stops as soon as
// it has more than its limit, so /dev/zero or a runaway pipe cannot exhaust memory; a file
// whose read fails part-way (an I/O error, /proc/self/mem) is never mistaken for a short or
// empty one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace subnetsim::core {

enum class FileRead {
  kOk,
  kCannotOpen,  // missing, unreadable, or not openable as a file
  kTooLarge,    // more than the limit's bytes
  kReadError,   // opened, but a read failed
};

// The whole file at `path` into `text` (cleared unless kOk), read in chunks: a device or a pipe
// has no size to check first, so the limit is checked as the text grows.
FileRead read_file_text(const std::filesystem::path& path, std::string& text,
                        std::size_t max_bytes = SIZE_MAX);

// What went wrong, in the words the tools print after a file's name: "cannot be read", "file is
// too large (more than the limit of N bytes)" (N = max_bytes), "cannot be read (a read error)";
// empty for kOk.
std::string file_read_problem(FileRead status, std::size_t max_bytes);

// At most `max_bytes` from the start of the file; empty when it cannot be read. For telling a
// file's kind by its first bytes (a report's doctype, an XML prolog) without reading it all.
std::string read_file_head(const std::filesystem::path& path, std::size_t max_bytes);

}  // namespace subnetsim::core
