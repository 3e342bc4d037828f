// The sections of report.html (internal to the report module). Each returns one whole
// <section id="..."> element; ids: summary, stake, rewards, concentration, supply, governance,
// story. A section whose data is missing says so in a paragraph instead of drawing.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "subnetsim/report/run_data.hpp"
#include "subnetsim/report/svg_chart.hpp"

namespace subnetsim::report::sections {

inline constexpr std::size_t kMaxLines = 12;         // lines per chart before "others"
inline constexpr std::size_t kMaxStoryLines = 400;   // story lines shown in the report

std::string summary(const RunData& run);
std::string stake(const RunData& run);
std::string rewards(const RunData& run);
std::string concentration(const RunData& run);
std::string supply(const RunData& run);
std::string governance(const RunData& run);
std::string story(const RunData& run);

// <section id="ID"><h2>TITLE</h2> ... </section>
std::string wrap(const std::string& id, const std::string& title, const std::string& body);
// <p class="note">text</p>
std::string note(const std::string& text);

// Values of one column of epochs.csv summed per line name and block: name -> block -> sum.
// name_of(agent, permit, netuid, uid) gives the line a row belongs to, or "" to skip the row.
using Lines = std::map<std::string, std::map<double, double>>;
using NameOf = std::string (*)(const RunData& run, const std::string& agent, bool permit,
                               const std::string& netuid, const std::string& uid);
Lines collect(const RunData& run, const std::string& column, NameOf name_of);
// Stake (TAO) per validator and block, from epochs.csv: the agents whose role is validator
// (miners holding permits and uids no agent holds are left out), each NaN at the blocks its
// subnet recorded between its first and last record while it had no row (a gap, which the chart
// draws as a break in the line).
Lines collect_stake(const RunData& run);
// A share column (incentive, dividends) per agent group and block, from epochs.csv (or
// classes.csv without per-uid output): summed over a subnet's uids, and for a group on several
// subnets the mean over those recorded at that block, so that 1 is a whole subnet's.
Lines collect_shares(const RunData& run, const std::string& column);

// The largest kMaxLines lines as series (ranked by their largest value, or by their sum), the
// rest combined into one grey "others" series, each at its latest recorded value (subnets record
// at staggered blocks): their sum, or their mean (which keeps the scale of the lines drawn when
// thousands are left). With one_per_group, the largest line of each agent group ("copier/0":
// "copier") is drawn first, then the largest of the rest; drawn lines keep their rank order.
std::vector<Series> top_lines(const Lines& lines, bool by_sum, const std::string& others_noun,
                              bool others_mean, bool one_per_group = false);

}  // namespace subnetsim::report::sections
