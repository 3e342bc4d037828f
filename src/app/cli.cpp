// Command dispatch: global options, then one subcommand with its own options and --help.
#include "subnetsim/app/cli.hpp"

#include <spdlog/spdlog.h>

#include <boost/program_options.hpp>
#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "commands.hpp"
#include "subnetsim/core/diagnostics.hpp"
#include "subnetsim/core/logging.hpp"
#include "subnetsim/core/version.hpp"

namespace subnetsim::app {

namespace po = boost::program_options;

namespace {

void print_usage(std::ostream& out) {
  out << "usage: subnetsim [--version] [-v|-q|--log-level LEVEL] <command> [options]\n\n"
         "commands:\n";
  for (const auto& c : commands()) {
    out << "  " << c.name;
    for (std::size_t i = std::string_view(c.name).size(); i < 10; ++i) out << ' ';
    out << c.summary << '\n';
  }
  out << "\n`subnetsim <command> --help` describes a command's options.\n"
         "exit status: 0 ok, 1 expectations failed, 2 bad input, 3 invariant broken, 4 internal error,\n"
         "130 interrupted (Ctrl-C, SIGTERM)\n";
}

}  // namespace

int main(int argc, char** argv) {
  // A closed pipe (`run ... 2>&1 | head`) or a file-size limit must not kill a run midway with a
  // signal: writes then fail, and the failure is reported (exit 4 for an output file), while
  // messages to a closed terminal are simply lost.
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGXFSZ, SIG_IGN);
  core::init_logging();
  std::vector<std::string> args(argv + 1, argv + argc);
  // Global options come before the command name.
  std::size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--version") {
      std::cout << "subnetsim " << core::version() << " (git " << core::git_hash() << ")\n";
      return core::kExitOk;
    } else if (a == "-h" || a == "--help") {
      print_usage(std::cout);
      return core::kExitOk;
    } else if (a == "-v" || a == "--verbose") {
      core::set_log_level("debug");
    } else if (a == "-q" || a == "--quiet") {
      core::set_log_level("error");
    } else if (a == "--log-level" || a.rfind("--log-level=", 0) == 0) {
      std::string level;
      if (a == "--log-level") {
        if (i + 1 >= args.size()) {
          std::cerr << "subnetsim: --log-level needs a value (trace, debug, info, warn, error, off)\n";
          return core::kExitBadInput;
        }
        level = args[++i];
      } else {
        level = a.substr(12);
      }
      if (!core::set_log_level(level)) {
        std::cerr << "subnetsim: --log-level: expected trace, debug, info, warn, error, critical "
                     "or off, got \""
                  << level << "\"\n";
        return core::kExitBadInput;
      }
    } else {
      break;
    }
  }
  if (i >= args.size()) {
    print_usage(std::cerr);
    return core::kExitBadInput;
  }
  const std::string name = args[i];
  const std::vector<std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
  for (const auto& c : commands()) {
    if (name != c.name) continue;
    try {
      return c.run(rest);
    } catch (const po::error& e) {
      std::cerr << "subnetsim " << name << ": " << e.what() << " (see subnetsim " << name
                << " --help)\n";
      return core::kExitBadInput;
    } catch (const std::bad_alloc&) {
      // Said as what it is ("std::bad_alloc" told nothing): too large a problem for the memory
      // there is (or the ulimit), not a defect.
      std::cerr << "subnetsim " << name << ": " << core::kOutOfMemoryText << '\n';
      return core::kExitInternalError;
    } catch (const std::exception& e) {
      std::cerr << "subnetsim " << name << ": internal error: " << e.what() << '\n';
      return core::kExitInternalError;
    }
  }
  std::cerr << "subnetsim: unknown command \"" << name << "\"\n\n";
  print_usage(std::cerr);
  return core::kExitBadInput;
}

}  // namespace subnetsim::app
