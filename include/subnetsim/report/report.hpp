// report.html: one self-contained HTML page about a run directory: the scenario's title and
// description, the key numbers of summary.json (with any metric sections it holds), inline SVG
// charts (validator stake with slashes, incentive and dividends per group, reward concentration,
// issuance and price, governance votes) and the story (report::Story over events.csv).
//
// Invariants: the page references nothing outside itself (no network, no scripts, no fonts);
// every chart is an <svg> inside a <section> with a fixed id (summary, stake, rewards,
// concentration, supply, governance, story); missing optional files give a note instead of a
// chart; the output is written as FILE.partial and renamed, so report.html is always whole.
#pragma once

#include <string>

#include "subnetsim/report/run_data.hpp"

namespace subnetsim::report {

// The whole HTML document for a loaded run.
std::string render_report(const RunData& run);

// Reads run_dir and writes its report to out_file ("" = run_dir/report.html). Returns "" on
// success, else a one-line message naming the file at fault (missing directory, unreadable or
// malformed file, output not writable).
std::string write_report(const std::string& run_dir, const std::string& out_file = "");

}  // namespace subnetsim::report
