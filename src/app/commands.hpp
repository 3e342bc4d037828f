// The subcommand table (internal to `app`). Each command parses its own arguments (Boost
// program_options; errors become exit status 2) and returns a core::ExitCode.
#pragma once

#include <span>
#include <string>
#include <vector>

namespace subnetsim::app {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args);
};

std::span<const Command> commands();

int validate_command(const std::vector<std::string>& args);
int run_command(const std::vector<std::string>& args);
int conform_command(const std::vector<std::string>& args);

}  // namespace subnetsim::app
