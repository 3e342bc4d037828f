// A sweep directory's own files (beside runs/<run id>/):
//   sweep.json                  the plan (scenario, overrides, master seed, design, points), so a
//                               rerun, a shard or a merge can check it belongs to the same sweep
//   index.csv, aggregates.csv   the tables (table.hpp), always rewritten atomically
//   index.shard-I-of-N.csv      the rows of shard I's runs (--shard I/N), combined by merge
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "subnetsim/sweep/design.hpp"
#include "subnetsim/sweep/table.hpp"

namespace subnetsim::sweep {

// Writes DIR/sweep.json, or checks that the one there describes the same plan. Returns the
// problem ("" when fine). Concurrent writers of the same plan (shards starting together) agree.
std::string claim_directory(const Plan& plan, const std::string& dir);

// Why DIR, when it has no sweep.json, must not become a sweep's (another tool's index.csv, a
// run's outputs); "" when it may. Checked before any lock file is made there.
std::string unclaimed_directory_problem(const std::string& dir);

// Reads DIR/sweep.json. Returns the problem ("" when fine).
std::string read_plan(const std::string& dir, Plan& plan);

// index.csv and aggregates.csv from every run's row.
void write_tables(const Plan& plan, const std::string& dir, const std::vector<RunRow>& rows);

std::string shard_file_name(std::size_t shard, std::size_t shards);  // 1-based shard
void write_shard_index(const Plan& plan, const std::string& dir, const std::vector<RunRow>& rows,
                       std::size_t shard, std::size_t shards);

// Reads the N shard indexes (N = `shards`, or found from the files when 0), checks that every
// shard is there, that each holds exactly its runs of this plan with their seeds, and returns
// the rows of all runs. Returns the problem ("" when fine).
std::string read_shards(const Plan& plan, const std::string& dir, std::size_t shards, std::vector<RunRow>& rows);

}  // namespace subnetsim::sweep
