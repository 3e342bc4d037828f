// Version of the tool and the git commit it was built from (generated at build time), written
// into --version output and every run's manifest so any result can be traced to its code.
#pragma once

namespace subnetsim::core {

const char* version();
const char* git_hash();  // short hash, "-dirty" when built from modified sources, or "unknown"

}  // namespace subnetsim::core
