// A sweep's design and its expansion into runs.
//
// A design names scenario fields by the same paths as `--set` (dotted, or JSON pointers) and
// gives each either a list of values (`--param PATH=V1,V2`) or a range to sample
// (`--sample PATH=LO:HI`). The listed parameters combine as a Cartesian product (the first
// parameter varies slowest), or pairwise with `zip`; sampled parameters give `samples` points
// (Latin hypercube or uniform random); when both are present every grid point is combined
// with every sampled point. Each point runs `replicates` times.
//
// Invariants: expansion is a pure function of the design and the master seed; a run's seed is
// a hash of (master seed, the point's parameter values, replicate index), never of run order,
// so adding points, sharding or changing the number of workers never changes a run's seed.
// Run ids ("p0003-r01") sort as strings in the order of their run index.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace subnetsim::sweep {

using json = nlohmann::ordered_json;

struct Param {
  std::string path;          // as in --set: "subnets.1.kappa" or "/subnets/1/kappa"
  std::vector<json> values;  // JSON values
  std::string source;        // how the user wrote it, for messages ("--param subnets.1.kappa=0.3,0.5")
};

struct SampleRange {
  std::string path;
  double lo = 0.0, hi = 0.0;
  bool integer = false;  // both bounds written as integers: sampled values are integers in [lo, hi]
  std::string source;
};

enum class Method { kLhs, kRandom };

struct Design {
  std::vector<Param> params;
  bool zip = false;
  std::vector<SampleRange> samples;
  std::uint64_t sample_count = 0;
  Method method = Method::kLhs;
  std::uint64_t replicates = 1;
  // Which of "samples", "method", "replicates" and "zip" the grid file gave, and its name: a
  // flag giving another value is refused (one of the two would be ignored), and a setting with
  // nothing to act on (method without samples, zip without params) is named where it was given.
  std::vector<std::string> from_file;
  std::string file;
};

// The expanded sweep: what sweep.json records, and all that merging needs.
struct Plan {
  std::string scenario;                  // the scenario file as given
  // SHA-256 of what that file resolves to with the shared overrides (and of its price path, if
  // it reads one from a CSV file): a rerun resumes only a sweep of the same content, however
  // the path is spelled, and an edited scenario is a different sweep.
  std::string scenario_sha256;
  std::vector<std::string> overrides;    // --set (and --horizon) overrides shared by every run
  std::uint64_t master_seed = 0;
  json design;                           // the design as the user gave it (design_json)
  std::vector<std::string> columns;      // parameter paths, one per column of index.csv
  std::vector<std::string> sources;      // per column: how the user wrote it (for messages)
  std::vector<std::vector<json>> points; // per point, one value per column
  std::uint64_t replicates = 1;
  // The build that made the sweep ({"name", "version", "git"}); null: this one. A resume by
  // another build is refused: its runs' numbers may differ from the skipped ones.
  json tool;
  // Read from a sweep.json written before the build was recorded: plan_json leaves "tool" out,
  // as that sweep's shard indexes were tagged without it (a merge still matches them).
  bool tool_unrecorded = false;
};

struct Run {
  std::size_t index = 0;  // point * replicates + replicate: the order of run ids
  std::size_t point = 0;
  std::uint64_t replicate = 0;
  std::uint64_t seed = 0;
  std::string id;         // "p0003-r01"
};

// "PATH=V1,V2,...": values are JSON (a bare word is a string, as in --set); commas inside
// brackets, braces or strings do not split. Returns the problem ("" when fine).
std::string parse_param(const std::string& spec, Param& out);
// "PATH=LO:HI" with LO <= HI finite numbers.
std::string parse_sample(const std::string& spec, SampleRange& out);
std::optional<Method> method_from_name(const std::string& name);
const char* method_name(Method m);

// Reads a grid file into `design`: {"params": {PATH: [values...]}, "zip": bool,
// "sample": {PATH: [LO, HI]}, "samples": N, "method": "lhs"|"random", "replicates": N}; every
// key optional. Lists are appended to what `design` already has; zip, samples, method and
// replicates are taken from the file. Returns the problems, one "FILE: /pointer: what" line each.
std::string read_grid(const std::string& file, Design& design);

// A range written in integers samples integers only where the scenario holds an integer: on a
// field that `resolved` (the base scenario with every default) holds as a real number, 0:1
// samples the whole range, not its two ends. Ranges on paths it does not hold keep the rule of
// their bounds.
void type_samples_by_field(const nlohmann::json& resolved, Design& design);

// The design as sweep.json records it.
json design_json(const Design& d);

// Expands the design: grid points (product or zip) times sampled points. Returns the problem
// ("" when fine): zip of unequal lengths, a path given twice, no replicates, ...
// `scenario` (the base scenario resolved, when known) names fields as --set finds them: a path
// written two ways (agents.val.big.noise and /agents/val.big/noise, for a group "val.big") is
// one field, swept twice or overlapping a --set.
std::string expand(const Design& d, std::uint64_t master_seed, Plan& plan,
                   const nlohmann::json* scenario = nullptr);

// The sampled values: `count` points of `ranges.size()` values each, deterministic in the
// master seed; dimension d's stream depends only on its path, so adding a dimension leaves the
// others' values alone. Latin hypercube: in each dimension each of the `count` equal strata
// holds exactly one point.
std::vector<std::vector<double>> sample_points(const std::vector<SampleRange>& ranges, std::uint64_t count,
                                               Method method, std::uint64_t master_seed);

// A run's seed: hash(master seed, the point's "path=value" pairs, replicate), below 2^53 so
// any JSON reader holds it exactly.
std::uint64_t run_seed(std::uint64_t master_seed, const std::vector<std::string>& columns,
                       const std::vector<json>& point, std::uint64_t replicate);

// Every run of the plan, in run-id order.
std::vector<Run> plan_runs(const Plan& plan);

// "path=value" overrides for one point (values as JSON text).
std::vector<std::string> point_overrides(const Plan& plan, std::size_t point);

// "subnets.1.kappa" and "/subnets/1/kappa" name the same field: both become the JSON pointer.
std::string normalized_path(const std::string& path);

// A note on points of the same values (sampled integers, or a range of one value, can repeat):
// their runs get the same seeds and are copies, not independent samples. "" when none repeat.
std::string repeated_points_note(const Plan& plan);

// A parameter value as an index.csv cell: strings bare, everything else as JSON text.
std::string value_cell(const json& v);

// sweep.json and back.
json plan_json(const Plan& plan);
// Returns the problem ("" when fine).
std::string plan_from_json(const json& j, Plan& plan);

}  // namespace subnetsim::sweep
