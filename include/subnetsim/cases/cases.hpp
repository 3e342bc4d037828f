// Yuma cases: the community's classic teaching scenarios (scenarios/yuma-cases/), each run under
// several Yuma variants, and compared side by side: per-epoch dividends of every validator group,
// incentive of every miner group, total dividends against stake share.
//
// run_cases prepares every case under every variant first (a bad case or variant stops
// everything before anything runs), then runs each into OUT/runs/<case>/<variant>/ through
// runner::execute_run, and reads the per-epoch series back from its classes.csv. The scenario's
// `expect` list is checked on the run under the case's own variant only (its qualitative claim
// is about that variant).
//
// Invariants: cases are in input order (a directory's *.json files sorted by name), runs in the
// order of the variants asked; every series of a run has one value per epoch record.
#pragma once

#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "subnetsim/results/expectation.hpp"

namespace subnetsim::cases {

inline const std::vector<std::string> kDefaultVariants = {"classic", "yuma3", "yuma3_liquid"};

struct CasesOptions {
  std::vector<std::string> inputs;  // scenario files, or directories of them
  std::string out_dir;
  std::vector<std::string> variants = kDefaultVariants;
  std::optional<std::uint64_t> horizon;  // blocks; overrides every case's horizon_blocks
  std::vector<std::string> sets;         // --set path=value, applied to every case
  unsigned threads = 1;
  // Ctrl-C / SIGTERM: set, the run under way stops between blocks and no more start.
  const std::atomic<bool>* stop = nullptr;
  bool quiet =
      false;  // no progress lines (failures, and expectations left unchecked, are still said)
};

// One case under one variant, as read back from its run directory.
struct VariantRun {
  std::string variant;
  std::string dir;
  bool completed = false;
  std::string message;  // why not, when not completed
  std::vector<std::uint64_t> epochs, blocks;               // one per epoch record
  std::map<std::string, std::vector<double>> dividends;    // validator group -> per epoch
  std::map<std::string, std::vector<double>> stake_tao;    // validator group -> per epoch
  std::map<std::string, std::vector<double>> incentive;    // miner group -> per epoch
  // validator group -> per epoch: its uids' stored bond rows summed (epochs.csv `bond_total`);
  // empty when the run's epochs.csv has no such column
  std::map<std::string, std::vector<double>> bonds;
  std::vector<results::ExpectationOutcome> expectations;   // under the case's own variant only
};

struct CaseResult {
  std::string id;  // the file's stem: kappa-moves-first
  std::string file, name, description;
  std::string own_variant;  // the variant the scenario itself names (its first subnet's)
  std::vector<std::string> validators, miners;  // group ids, by name
  std::vector<VariantRun> runs;                 // in the order of the variants asked
};

struct CasesReport {
  std::vector<CaseResult> cases;
  bool interrupted = false;  // stopped by `stop`: the cases are those begun, not all
  int exit_code = 0;     // core::ExitCode
  std::string problems;  // one line each, when exit_code is not 0
};

// The scenario files the inputs name: files as given, a directory's *.json files by name.
// Empty with `error` set when an input does not exist or a directory holds no scenario.
std::vector<std::string> case_files(const std::vector<std::string>& inputs, std::string& error);

// "" when every name is a Yuma variant of the scenario format, else what is wrong with the first
// that is not: unknown variant "yuma4" (expected one of classic, yuma3, ...). Checked once, before
// any case is read, so a typo in --variants is one message, not one per case.
std::string check_variants(const std::vector<std::string>& variants);

// Runs every case under every variant; progress lines go to `log`.
CasesReport run_cases(const CasesOptions& options, std::ostream& log);

// Reads a finished run's per-epoch series of the named groups from DIR/classes.csv (groups
// summed over subnets at each block), and bonds from DIR/epochs.csv when it has them. Returns ""
// or what is wrong with a file.
std::string read_series(VariantRun& run, const std::vector<std::string>& validators,
                        const std::vector<std::string>& miners);

// Σ over epochs of a validator group's dividends (in epochs' worth of validator emission), and
// that as a share of every validator group's Σ.
double dividend_total(const VariantRun& run, const std::string& group);
double dividend_share(const VariantRun& run, const std::vector<std::string>& validators,
                      const std::string& group);
// A validator group's share of the validator groups' stake, averaged over epochs.
double stake_share(const VariantRun& run, const std::vector<std::string>& validators,
                   const std::string& group);

// The outputs: tidy CSV (one row per case x variant x epoch x validator group), a Markdown
// comparison table per case, and one self-contained HTML page (inline SVG, no scripts).
std::string cases_csv(const std::vector<CaseResult>& cases);
std::string cases_markdown(const std::vector<CaseResult>& cases);
std::string cases_html(const std::vector<CaseResult>& cases);
// Writes OUT/cases.csv, cases.md and cases.html; "" or why not.
std::string write_outputs(const std::vector<CaseResult>& cases, const std::string& out_dir);

}  // namespace subnetsim::cases
