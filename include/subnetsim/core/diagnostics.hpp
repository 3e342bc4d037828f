// Diagnostics: problems found in user input, each tied to a file and a JSON pointer.
//
// Loading never stops at the first problem: every check appends to a Diagnostics list and the
// caller reports them all at once, one line each, as
//   <file>: <pointer>: <message>
// where the message says what was expected and what was found. An empty pointer means the
// problem concerns the whole file (a syntax error, say). Order of insertion is kept, so the
// output is deterministic.
#pragma once

#include <string>
#include <vector>

namespace subnetsim::core {

struct Diagnostic {
  std::string file;     // path as the user gave it, or "--set" for command-line overrides
  std::string pointer;  // RFC 6901 JSON pointer, "" for the whole document
  std::string message;  // "expected ..., got ..." style

  std::string to_string() const;
};

class Diagnostics {
 public:
  void add(std::string file, std::string pointer, std::string message);
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  void append(const Diagnostics& other);
  std::string to_string() const;  // one line per diagnostic, each ending in '\n'

 private:
  std::vector<Diagnostic> items_;
};

// Exit statuses of every subcommand (architecture: "Errors and exit codes").
enum ExitCode : int {
  kExitOk = 0,
  kExitExpectationsFailed = 1,
  kExitBadInput = 2,
  kExitInvariantBroken = 3,
  kExitInternalError = 4,
  kExitInterrupted = 130,  // stopped by SIGINT / SIGTERM (128 + SIGINT, as shells report it)
};

// What a command says when memory ran out (std::bad_alloc, whose own text says nothing): too
// large a problem for the machine or its ulimit, not a defect; exit kExitInternalError.
inline constexpr const char* kOutOfMemoryText =
    "out of memory: this needs more memory than the machine (or its ulimit -v) gives; fewer "
    "subnets, uids or agents, or fewer per-uid outputs, need less (files already written are "
    "kept)";

}  // namespace subnetsim::core
