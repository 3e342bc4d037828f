// subnetsim conform FILE [--backend exact|float]
#include <boost/program_options.hpp>
#include <iostream>

#include "commands.hpp"
#include "subnetsim/app/conform.hpp"
#include "subnetsim/core/diagnostics.hpp"

namespace subnetsim::app {

namespace po = boost::program_options;

int conform_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "usage: subnetsim conform FILE [--backend exact|float]\n\n"
      "Replays every epoch case of a conformance file (../shared/conformance/README.md) and checks\n"
      "it against subtensor's numbers: one line per case, then \"N passed, M failed\".\n"
      "Exit status 0 when every case passes, 1 when one fails, 2 for a bad file.\n\n"
      "options");
  std::string backend_name = "exact";
  std::vector<std::string> files;
  opts.add_options()("help,h", "show this help")(
      "backend", po::value(&backend_name)->default_value("exact"),
      "exact: subtensor's fixed point bit for bit; float: the fast double backend");
  po::variables_map vm;
  if (parse_command(args, opts, 1, files, vm)) return core::kExitOk;
  if (files.empty()) {
    std::cerr << "subnetsim conform: no conformance file given (see subnetsim conform --help)\n";
    return core::kExitBadInput;
  }
  const auto backend = consensus::backend_from_name(backend_name);
  if (!backend) {
    std::cerr << "subnetsim conform: --backend: expected \"exact\" or \"float\", got \""
              << backend_name << "\"\n";
    return core::kExitBadInput;
  }
  return run_conform(files.front(), *backend, std::cout, std::cerr);
}

}  // namespace subnetsim::app
