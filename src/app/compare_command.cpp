// subnetsim compare RUN_DIR GOLDEN_DIR [--tolerance NAME=REL]... [--default-tolerance REL]
#include <boost/program_options.hpp>
#include <cmath>
#include <iostream>

#include "commands.hpp"
#include "subnetsim/core/diagnostics.hpp"
#include "subnetsim/metrics/csv_table.hpp"
#include "subnetsim/results/compare.hpp"

namespace subnetsim::app {

namespace po = boost::program_options;

namespace {

// A relative tolerance: a finite number >= 0.
bool tolerance_value(const std::string& text, double& value) {
  const auto v = metrics::CsvTable::number(text);
  if (!v || !std::isfinite(*v) || *v < 0) return false;
  value = *v;
  return true;
}

}  // namespace

int compare_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "usage: subnetsim compare RUN_DIR GOLDEN_DIR [options]\n\n"
      "Compares two run directories series by series: every column of every CSV file (same header,\n"
      "rows in order) and every number of summary.json except run-environment fields (wall time,\n"
      "tool version, file list). Numbers match within a relative tolerance (default exact, with a\n"
      "1e-12 absolute floor near zero); text must be equal. Prints one line per differing series\n"
      "(file, column, first differing row with both values, how many rows differ), then\n"
      "\"N series compared, M differ\".\n"
      "Exit status: 0 equal within tolerance, 1 they differ, 2 bad input (missing directory,\n"
      "unreadable file).\n\n"
      "options");
  std::vector<std::string> tolerances, dirs;
  std::string default_text = "0";
  opts.add_options()("help,h", "show this help")(
      "tolerance", po::value(&tolerances)->composing(),
      "NAME=REL: relative tolerance for a column (any file) or a summary path, e.g. price_usd=1e-6")(
      "default-tolerance", po::value(&default_text), "relative tolerance for every other series (default 0)");
  po::variables_map vm;
  if (parse_command(args, opts, 2, dirs, vm)) return core::kExitOk;
  if (dirs.size() != 2) {
    std::cerr << "subnetsim compare: expected RUN_DIR and GOLDEN_DIR (see subnetsim compare --help)\n";
    return core::kExitBadInput;
  }
  results::CompareOptions options;
  if (!tolerance_value(default_text, options.default_tolerance)) {
    std::cerr << "subnetsim compare: --default-tolerance: expected a number >= 0, got \"" << default_text << "\"\n";
    return core::kExitBadInput;
  }
  for (const auto& t : tolerances) {
    const auto eq = t.find('=');
    double rel = 0.0;
    if (eq == std::string::npos || eq == 0 || !tolerance_value(t.substr(eq + 1), rel)) {
      std::cerr << "subnetsim compare: --tolerance: expected NAME=REL with REL a number >= 0 (e.g. price_usd=1e-6), "
                   "got \""
                << t << "\"\n";
      return core::kExitBadInput;
    }
    // The same name twice: one tolerance would be ignored.
    if (const auto [it, added] = options.tolerance.emplace(t.substr(0, eq), rel); !added) {
      std::cerr << "subnetsim compare: --tolerance: " << it->first << " is given twice (" << t
                << " after a value of " << it->second << "): drop one\n";
      return core::kExitBadInput;
    }
  }
  results::Comparison comparison = results::compare_runs(dirs[0], dirs[1], options);
  if (!comparison.error.empty()) {
    std::cerr << "subnetsim compare: " << comparison.error << '\n';
    return core::kExitBadInput;
  }
  // The note is a diagnostic (stderr): stdout holds only the differences and the count, for a
  // CI job to read.
  if (!comparison.note.empty()) std::cerr << "note: " << comparison.note << '\n';
  comparison.note.clear();
  results::print_comparison(std::cout, comparison);
  return comparison.equal() ? core::kExitOk : core::kExitExpectationsFailed;
}

}  // namespace subnetsim::app
