// Ctrl-C and SIGTERM (what Slurm sends at a job's time limit) as a request to stop cleanly: the
// handlers only set a flag, which a run checks between blocks and a sweep before each run.
#pragma once

#include <atomic>

namespace subnetsim::app {

// Installs the handlers for SIGINT and SIGTERM (again, in a command run twice in one process,
// as the tests do) and returns the flag they set, cleared now.
const std::atomic<bool>& install_stop_handlers();

}  // namespace subnetsim::app
