// The subcommand table (internal to `app`). Each command parses its own arguments (Boost
// program_options; errors become exit status 2) and returns a core::ExitCode.
#pragma once

#include <boost/program_options.hpp>
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

// Parses a command's arguments: the `visible` options (which must include "help,h") and up to
// `max_files` positional arguments (-1: any number), stored as the option "file" bound to
// `files`. Returns true when --help was asked: the help has then been printed to stdout.
// Parse errors throw boost::program_options::error (main() turns them into exit status 2).
bool parse_command(const std::vector<std::string>& args,
                   const boost::program_options::options_description& visible, int max_files,
                   std::vector<std::string>& files, boost::program_options::variables_map& vm);

int validate_command(const std::vector<std::string>& args);
int run_command(const std::vector<std::string>& args);
int sweep_command(const std::vector<std::string>& args);
int merge_command(const std::vector<std::string>& args);
int conform_command(const std::vector<std::string>& args);
int compare_command(const std::vector<std::string>& args);
int report_command(const std::vector<std::string>& args);
int cases_command(const std::vector<std::string>& args);

}  // namespace subnetsim::app
