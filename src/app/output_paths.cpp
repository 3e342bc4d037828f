// See output_paths.hpp.
#include "output_paths.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>

#include "subnetsim/results/junit.hpp"

namespace subnetsim::app {

namespace fs = std::filesystem;

namespace {
// The lock files run, sweep and cases keep in their output directories: empty, and never a
// report's to replace (removing one another process holds would let a second writer in).
bool is_lock_file(const std::string& path) {
  // .run.lock, .cases.lock, .sweep.lock, .shards-of-N.lock, .shard-I-of-N.lock, and any later
  // one: every lock subnetsim keeps is a dot-file ending in .lock.
  const std::string name = fs::path(path).filename().string();
  return name.size() > 5 && name[0] == '.' && name.ends_with(".lock");
}
}  // namespace

std::string output_directory_problem(const std::string& option, const std::string& dir) {
  if (dir.empty()) return option + ": expected a directory, got an empty path";
  // The files written in it must fit the system's path limit too ("resolved_scenario.json.
  // partial" and a run's other names): found now, not as a failed write (exit 4) after a
  // directory holding only a lock file was made.
  constexpr std::size_t kLongestName = 48, kPathMax = PATH_MAX;
  if (dir.size() + 1 + kLongestName >= kPathMax)
    return option + ": the path is too long (" + std::to_string(dir.size()) +
           " characters): the files in it would pass the system's limit of " +
           std::to_string(kPathMax) + " (expected at most " +
           std::to_string(kPathMax - 1 - kLongestName) + ")";
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    return option + ": \"" + dir + "\" is a file, expected a directory (new or existing)";
  if (fs::is_symlink(fs::symlink_status(dir, ec)) && !fs::exists(dir, ec))
    return option + ": \"" + dir + "\" is a symbolic link to \"" +
           fs::read_symlink(dir, ec).string() +
           "\", which does not exist: expected a directory (new or existing)";
  // A file on the way (a/b where a is a file) means the directory can never be created.
  for (fs::path p = fs::path(dir).parent_path(); !p.empty(); p = p.parent_path()) {
    if (fs::exists(p, ec) && !fs::is_directory(p, ec))
      return option + ": \"" + p.string() + "\" is a file, so \"" + dir + "\" cannot be created";
    if (p == p.parent_path()) break;
  }
  // A directory the command cannot make (no permission, a read-only or special file system) is
  // found now, by making it: the command makes it anyway. (It failed only when the run began
  // writing: exit 4 after the work, where the same mistake given as a file is 2.) Nothing is
  // taken away again: shards or ranks starting together on one new path would remove each
  // other's files; and making a directory another process just made is no error.
  if (!fs::exists(dir, ec)) {
    std::error_code made;
    fs::create_directories(dir, made);
    if (made && !fs::is_directory(dir, ec))
      return option + ": \"" + dir + "\" cannot be created (" + made.message() + ")";
  }
  return "";
}

std::string junit_target_problem(const std::string& junit, const std::vector<std::string>& inputs,
                                 const std::string& given) {
  if (junit.empty()) return "--junit: expected a file name (e.g. junit.xml), got an empty path";
  if (is_lock_file(junit))
    return "--junit: \"" + junit +
           "\" is a lock file subnetsim keeps beside its outputs, expected another name (e.g. "
           "junit.xml)";
  std::error_code ec;
  // A device, a pipe or a socket: the report is written beside it and renamed over it when
  // complete, which would replace /dev/null itself (as root) with a file. Refused.
  auto special = [&](const std::string& path) {
    std::error_code status_ec;
    const fs::file_status st = fs::status(path, status_ec);
    return !path.empty() && !status_ec && fs::exists(st) && !fs::is_regular_file(st) &&
           !fs::is_directory(st);
  };
  if (special(junit) || special(given))
    return "--junit: \"" + (given.empty() ? junit : given) +
           "\" is not a regular file (a device, a pipe or a socket), expected a file name (e.g. "
           "junit.xml)";
  for (const std::string& input : inputs)
    if (fs::exists(junit, ec) && fs::equivalent(junit, input, ec))
      return "--junit: \"" + junit +
             "\" is the scenario file itself, expected another name (e.g. junit.xml)";
  // An empty file (made by `touch`, or a report cut short) holds nothing to lose.
  if (fs::is_regular_file(junit, ec) && !results::is_junit_report(junit) &&
      fs::file_size(junit, ec) != 0)
    return "--junit: \"" + junit +
           "\" exists and is not a JUnit report (it would be overwritten), expected a new file "
           "or an "
           "earlier report (e.g. junit.xml)";
  return "";
}

void remove_stale_junit(const std::string& junit) {
  std::error_code ec;
  if (fs::is_regular_file(junit, ec)) fs::remove(junit, ec);
}

void remove_stale_junit_named_in(const std::vector<std::string>& args) {
  // "--junit F", "--junit=F", and the abbreviations the option parser accepts ("--jun F").
  auto option_name = [](const std::string& arg) {
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) return std::string();
    return arg.substr(2,
                      arg.find('=') == std::string::npos ? std::string::npos : arg.find('=') - 2);
  };
  std::error_code ec;
  auto same_file = [&](const std::string& a, const std::string& b) {
    return a == b || (fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec));
  };
  // Past "--" every argument is positional: a file the command reads, not an option.
  const std::size_t end =
      static_cast<std::size_t>(std::find(args.begin(), args.end(), "--") - args.begin());
  // What each argument names as a file: itself, or the value of an --option=VALUE.
  auto named_by = [](const std::string& arg) {
    const auto eq = arg.find('=');
    return arg.rfind("--", 0) == 0 && eq != std::string::npos ? arg.substr(eq + 1) : arg;
  };
  for (std::size_t i = 0; i < end; ++i) {
    const std::string name = option_name(args[i]);
    if (name.empty() || std::string("junit").rfind(name, 0) != 0) continue;
    const bool inline_value = args[i].find('=') != std::string::npos;
    if (!inline_value && i + 1 >= end) continue;
    const std::string junit =
        results::report_file(inline_value ? args[i].substr(args[i].find('=') + 1) : args[i + 1]);
    if (junit.empty() || is_lock_file(junit) || !fs::is_regular_file(junit, ec)) continue;
    // Never a file the command reads: another argument naming it (the scenario, a case).
    bool named_elsewhere = false;
    for (std::size_t k = 0; k < args.size(); ++k)
      if (k != i && !(k == i + 1 && !inline_value) && same_file(named_by(args[k]), junit))
        named_elsewhere = true;
    if (named_elsewhere) continue;
    if (fs::file_size(junit, ec) == 0 || results::is_junit_report(junit)) fs::remove(junit, ec);
  }
}

std::string output_file_problem(const std::string& option, const std::string& file,
                                const std::string& will_exist) {
  if (file.empty()) return option + ": expected a file name, got an empty path";
  std::error_code ec;
  if (fs::is_directory(file, ec))
    return option + ": \"" + file + "\" is a directory, expected a file name";
  // Written beside it and renamed over it: a device, a pipe or a socket would be replaced.
  if (const fs::file_status st = fs::status(file, ec);
      !ec && fs::exists(st) && !fs::is_regular_file(st))
    return option + ": \"" + file +
           "\" is not a regular file (a device, a pipe or a socket), expected a file name";
  // Paths compared as the file system would resolve them, existing or not ("a/./b" is "a/b").
  auto same = [&](const fs::path& a, const std::string& b) {
    return !b.empty() && fs::weakly_canonical(fs::absolute(a), ec) ==
                             fs::weakly_canonical(fs::absolute(fs::path(b)), ec);
  };
  if (same(file, will_exist))
    return option + ": \"" + file + "\" is also the output directory, expected a file name";
  const fs::path parent = fs::path(file).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec) && !same(parent, will_exist))
    return option + ": the directory of \"" + file + "\" does not exist";
  // Found now, not when the file is written after all the work (a year's run, then exit 4).
  const fs::path dir = parent.empty() ? fs::path(".") : parent;
  if (fs::is_directory(dir, ec) && ::access(dir.c_str(), W_OK | X_OK) != 0)
    return option + ": the directory of \"" + file + "\" is not writable (" + std::strerror(errno) +
           ")";
  return "";
}

}  // namespace subnetsim::app
