// subnetsim report RUN_DIR [-o FILE]
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>
#include <optional>

#include "commands.hpp"
#include "output_paths.hpp"
#include "subnetsim/core/diagnostics.hpp"
#include "subnetsim/core/file_lock.hpp"
#include "subnetsim/core/file_text.hpp"
#include "subnetsim/report/report.hpp"
#include "subnetsim/runner/execute.hpp"

namespace subnetsim::app {

namespace fs = std::filesystem;
namespace po = boost::program_options;

int report_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "usage: subnetsim report RUN_DIR [options]\n\n"
      "Writes one self-contained HTML page about a run directory (made by subnetsim run): key "
      "numbers,\n"
      "charts (validator stake with slashes, incentive and dividends, reward concentration, "
      "issuance\n"
      "and price, governance votes) and the run's story in plain sentences. It needs no network;\n"
      "open it in any browser or print it.\n"
      "Exit status: 0 written, 2 bad input (missing directory, unreadable or malformed file) or a\n"
      "run still writing to the directory.\n\n"
      "options");
  std::string out_file;
  std::vector<std::string> files;
  opts.add_options()("help,h", "show this help")(
      "output,o", po::value(&out_file), "the HTML file to write (default: RUN_DIR/report.html)");
  po::variables_map vm;
  if (parse_command(args, opts, 1, files, vm)) return core::kExitOk;
  if (files.empty()) {
    std::cerr << "subnetsim report: no run directory given (see subnetsim report --help)\n";
    return core::kExitBadInput;
  }
  if (vm.count("output")) {
    std::string problem = output_file_problem("-o", out_file);
    // In the run's directory, the report must not take the name of one of the run's files.
    const fs::path o(out_file);
    std::error_code ec;
    if (problem.empty() && o.filename() != "report.html" &&
        runner::is_run_file(o.filename().string()) &&
        fs::weakly_canonical(
            fs::absolute(o.parent_path().empty() ? fs::path(".") : o.parent_path()), ec) ==
            fs::weakly_canonical(fs::absolute(files.front()), ec))
      problem = "-o: \"" + out_file + "\" is one of the run's own files in " + files.front() +
                ", expected another name (e.g. report.html)";
    // Only an earlier report is replaced: any other file there (a scenario, another run's
    // summary.json) is refused and left as it is.
    if (problem.empty() && fs::is_regular_file(o, ec) && fs::file_size(o, ec) != 0) {
      const std::string head = core::read_file_head(o, 65536);
      if (head.rfind("<!DOCTYPE html>", 0) != 0 ||
          head.find(" - subnetsim report</title>") == std::string::npos)
        problem = "-o: \"" + out_file +
                  "\" exists and is not a subnetsim report (it would be overwritten), expected a "
                  "new file or an "
                  "earlier report";
    }
    if (!problem.empty()) {
      std::cerr << "subnetsim report: " << problem << '\n';
      return core::kExitBadInput;
    }
  }
  // A run's directory (it has the run's lock file) is read under a shared lock: a run writing
  // there holds it exclusively, so the report neither reads half a run nor lands in the
  // directory of the run that replaces it. (A directory without one, a copy, is read as it is.)
  const auto lock_path = std::filesystem::path(files.front()) / ".run.lock";
  bool busy = false;
  // Opened read-only: a reader may not be allowed to write the lock file (another user's run).
  const std::optional<core::FileLock> reading =
      core::FileLock::try_lock_shared_existing(lock_path.string(), busy);
  if (!reading && busy) {
    std::cerr << "subnetsim report: " << files.front()
              << ": a run is writing to this directory: wait for it to end\n";
    return core::kExitBadInput;
  }
  const std::string error = report::write_report(files.front(), out_file);
  if (!error.empty()) {
    std::cerr << "subnetsim report: " << error << '\n';
    return core::kExitBadInput;
  }
  std::cerr << "report written to "
            << (out_file.empty() ? (std::filesystem::path(files.front()) / "report.html").string() : out_file) << '\n';
  return core::kExitOk;
}

}  // namespace subnetsim::app
