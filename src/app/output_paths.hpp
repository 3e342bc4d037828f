// Checks of the places a command will write, made before any work, so that a path that cannot
// be used is bad input (exit 2, nothing done) instead of an error after a whole run.
#pragma once

#include <string>
#include <vector>

namespace subnetsim::app {

// An output directory: not empty, not an existing non-directory, and one this process can
// create (it is created now, if missing). Returns what is wrong ("" when usable); `option` names
// the option in the message, e.g. "-o".
std::string output_directory_problem(const std::string& option, const std::string& dir);

// An output file: not empty, not an existing directory, and its directory exists or is
// `will_exist` (the command's output directory, which it creates: e.g. run -o ci/run --junit
// ci/run/junit.xml); and not `will_exist` itself.
std::string output_file_problem(const std::string& option, const std::string& file,
                                const std::string& will_exist = "");

// A --junit report's path: a name (an empty one, a CI variable left unset, would lose the
// report without a word), none of `inputs` (the scenario files), and not an existing file that
// is not a JUnit report (a typo naming a note, a summary.json). "" when usable; then
// remove_stale_junit removes an earlier report there, so that a command stopping before it
// writes its own leaves none behind. Both take the path a symbolic link resolves to
// (results::report_file), as the commands pass it: the link itself stays. `given`, the path as
// the user wrote it, is checked too: /dev/stdout resolves to no path at all ("pipe:[...]").
// Neither may be a device, a pipe or a socket.
std::string junit_target_problem(const std::string& junit, const std::vector<std::string>& inputs,
                                 const std::string& given = "");
void remove_stale_junit(const std::string& junit);
// When the options could not be parsed: the report a raw "--junit FILE", "--junit=FILE" (or an
// abbreviation) names is removed when it is a JUnit report (or empty), so that a command
// refused for its options (a bad --horizon, an unknown option) leaves no earlier report a CI job
// would read as its own. Never a lock file, nor a file another argument names, nor anything
// after "--" (positional there).
void remove_stale_junit_named_in(const std::vector<std::string>& args);

}  // namespace subnetsim::app
