#include "commands.hpp"

#include <iostream>

namespace subnetsim::app {

std::span<const Command> commands() {
  static const Command kCommands[] = {
      {"run", "simulate a scenario and write its output directory", run_command},
      {"sweep", "run a scenario over a parameter design (grid, zip, LHS), in parallel or sharded", sweep_command},
      {"merge", "combine a sharded sweep's index files into index.csv and aggregates.csv", merge_command},
      {"validate", "check scenario files; --resolved prints them with every default", validate_command},
      {"conform", "replay subtensor's conformance cases through a consensus backend", conform_command},
      {"compare", "compare a run directory with a golden one, series by series", compare_command},
      {"report", "write a run directory's self-contained report.html: charts and the run's story", report_command},
      {"cases", "run the classic Yuma cases under several Yuma variants and compare them (csv, md, html)", cases_command},
  };
  return kCommands;
}

bool parse_command(const std::vector<std::string>& args,
                   const boost::program_options::options_description& visible, int max_files,
                   std::vector<std::string>& files, boost::program_options::variables_map& vm) {
  namespace po = boost::program_options;
  po::options_description hidden;
  hidden.add_options()("file", po::value(&files));
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description pos;
  pos.add("file", max_files);
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << visible << '\n';
    return true;
  }
  return false;
}

}  // namespace subnetsim::app
