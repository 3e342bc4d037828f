// Internal to compare_runs: the comparison of one CSV file's tables and of two summaries, and the
// number rule they share.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "subnetsim/metrics/csv_table.hpp"
#include "subnetsim/results/compare.hpp"

namespace subnetsim::results::detail {

double tolerance_for(const CompareOptions& options, const std::string& name);

// Whether two numbers match within `rel` (NaN matches only NaN); `relative` receives
// |a - b| / max(|a|, |b|) (0 when equal, NaN when one is NaN).
bool numbers_match(double a, double b, double rel, double floor, double& relative);

// Whether two fields match (numbers within `rel`, text exactly); when both are numbers,
// `relative` receives |a - b| / max(|a|, |b|) (0 when both are 0).
bool fields_match(const std::string& a, const std::string& b, double rel, double floor, double& relative,
                  bool& numeric);

// "run 1.5, golden 1.6 (relative difference 0.0625)" or "run \"x\", golden \"y\"".
std::string both_values(const std::string& a, const std::string& b, bool numeric, double relative);

void compare_tables(const std::string& file, const metrics::CsvTable& run, const metrics::CsvTable& golden,
                    const CompareOptions& options, Comparison& out);

void compare_summaries(const nlohmann::json& run, const nlohmann::json& golden, const CompareOptions& options,
                       Comparison& out);

}  // namespace subnetsim::results::detail
