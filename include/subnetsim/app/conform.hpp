// `subnetsim conform FILE [--backend exact|float]`: replays every epoch case of a conformance file
// (format: ../shared/conformance/README.md) through the chain-side epoch driver and a backend,
// and checks each step's `expect` and `reference_exact` values as the README's "What passing
// means" says for that backend.
//
// Output: one line per case, `PASS id` or `FAIL id: step k, quantity, uid, expected, got` (the
// first mismatch, with a count of further ones), then `N passed, M failed`.
// Returns 0 when every case passes, 1 when some fail, 2 when the file is unreadable or malformed
// (the message names the file and the JSON pointer; nothing is run), 4 on an internal error
// (for example a backend that is not available).
#pragma once

#include <iosfwd>
#include <string>

#include "subnetsim/consensus/epoch.hpp"

namespace subnetsim::app {

int run_conform(const std::string& file, subnetsim::consensus::BackendKind backend,
                std::ostream& out, std::ostream& err);

}  // namespace subnetsim::app
