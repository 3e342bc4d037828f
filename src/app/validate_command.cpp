// subnetsim validate [--resolved] [-q] [--set path=value]... FILE...
#include <boost/program_options.hpp>
#include <iostream>

#include "commands.hpp"
#include "subnetsim/core/diagnostics.hpp"
#include "subnetsim/core/logging.hpp"
#include "subnetsim/runner/prepare.hpp"

namespace subnetsim::app {

namespace po = boost::program_options;

int validate_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "usage: subnetsim validate [options] FILE...\n\n"
      "Checks scenario files: every problem is reported, one line each, as\n"
      "FILE: /json/pointer: what was expected, what was found (stderr); a good file gets \"FILE: "
      "ok\"\n"
      "on stdout. Exit status 2 if any file is bad.\n\n"
      "options");
  bool resolved = false, quiet = false;
  std::vector<std::string> sets, files;
  opts.add_options()("help,h", "show this help")(
      "resolved", po::bool_switch(&resolved),
      "print each scenario fully resolved (bases merged, overrides applied, every default)")(
      "quiet,q", po::bool_switch(&quiet),
      "no notes and no \"ok\" lines (problems are still printed)")(
      "set", po::value(&sets)->composing(),
      "override a field: path=value (path dotted or a JSON pointer; value as JSON)");
  po::variables_map vm;
  if (parse_command(args, opts, -1, files, vm)) return core::kExitOk;
  if (files.empty()) {
    std::cerr << "subnetsim validate: no scenario file given (see subnetsim validate --help)\n";
    return core::kExitBadInput;
  }
  // Two resolved scenarios back to back on stdout would be no JSON document a reader can load.
  if (resolved && files.size() > 1) {
    std::cerr << "subnetsim validate: --resolved prints one scenario as JSON: give one file, got "
              << files.size() << '\n';
    return core::kExitBadInput;
  }
  bool all_ok = true;
  for (const auto& file : files) {
    // As `run` prepares it, so that what passes here runs there: the files the scenario names
    // (a price path CSV) are read and checked too.
    auto prepared = runner::prepare_scenario(file, sets);
    if (!prepared.ok()) {
      all_ok = false;
      std::cerr << prepared.problems;
      continue;
    }
    if (core::warnings_shown() && !quiet)
      for (const auto& note : prepared.notes) std::cerr << "note: " << note << '\n';
    if (resolved)
      std::cout << prepared.resolved_json;
    else if (!quiet)
      std::cout << file << ": ok\n";  // the verdict is the result: stdout, as the JSON is
  }
  return all_ok ? core::kExitOk : core::kExitBadInput;
}

}  // namespace subnetsim::app
