#include "commands.hpp"

namespace subnetsim::app {

std::span<const Command> commands() {
  static const Command kCommands[] = {
      {"run", "simulate a scenario and write its output directory", run_command},
      {"validate", "check scenario files; --resolved prints them with every default", validate_command},
      {"conform", "replay subtensor's conformance cases through a consensus backend", conform_command},
  };
  return kCommands;
}

}  // namespace subnetsim::app
