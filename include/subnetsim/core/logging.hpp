// Logging set-up shared by every command: one spdlog logger writing to stderr, so stdout stays
// clean for machine-readable output (resolved scenarios, JSON, conformance lines).
#pragma once

#include <string_view>

namespace subnetsim::core {

// Level names as spdlog spells them: trace, debug, info, warn, error, critical, off.
// Returns false (and changes nothing) for an unknown name.
bool set_log_level(std::string_view name);
void init_logging();  // idempotent; default level "warn"
// Whether the level lets warnings through (not after the global -q / --log-level error): the
// commands' `note:` lines follow it.
bool warnings_shown();

}  // namespace subnetsim::core
