// Internal to `conform`: a conformance file parsed into typed cases (every field validated with
// its JSON pointer before anything runs), and the checker that compares one epoch step's outputs
// with its `expect` / `reference_exact` blocks.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "subnetsim/chain/subnet_state.hpp"
#include "subnetsim/consensus/epoch.hpp"

namespace subnetsim::app::conform {

// The number that starts at s[k] (digits, an optional sign, point and exponent), and in `used`
// how many characters it takes. Never throws: a number too large is +-infinity, too small 0
// (std::strtod's rules; numbers are read in the "C" locale, which conform never changes).
inline double number_at(const std::string& s, std::size_t k, std::size_t& used) {
  const char* begin = s.c_str() + k;
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  used = static_cast<std::size_t>(end - begin);
  return v;
}

// The first repeat in `keys`: the smallest k with keys[m] == keys[k] for some m < k, and the
// smallest such m, as (m, k); nullopt when every key is distinct. O(n log n): a row of a
// conformance file may list up to 65,535 uids.
std::optional<std::pair<std::size_t, std::size_t>> first_repeat(
    const std::vector<std::uint16_t>& keys);

// A malformed file: `pointer` is the JSON pointer of the offending value.
struct FormatError : std::runtime_error {
  FormatError(std::string pointer_, const std::string& what)
      : std::runtime_error(what), pointer(std::move(pointer_)) {}
  std::string pointer;
};

// How close `expect` values must be (the case's `tolerance`): exact, or `fraction`: below 1 an
// absolute difference on fractions (u16 quantities compared as u16/65535) and a relative one on
// rao amounts; 1 or more, a difference in the quantity's own units (u16 steps, rao).
struct Tolerance {
  bool exact = true;
  double fraction = 0.0;  // below 1 a fraction; from 1 up u16 steps or rao, unless `percent`
  bool percent = false;   // given in percent: a fraction whatever its size ("100%" is 1)
};

enum class Op { kSetWeights, kEpoch, kReplaceNeuron, kResetBondsColumn };

struct Step {
  Op op = Op::kEpoch;
  std::string pointer;
  std::uint64_t block = 0;
  std::uint16_t uid = 0;
  std::vector<std::uint16_t> uids, values_submitted, stored_u16;  // set_weights
  bool has_stored = false;
  std::uint64_t rao_emission = 0;                         // epoch
  std::uint64_t new_stake_rao = 0;                        // replace_neuron
  std::optional<nlohmann::json> expect, reference_exact;  // epoch
};

struct Case {
  std::string id;
  std::string pointer;
  chain::ChainEpochParams params;
  std::optional<std::uint64_t> activity_cutoff_blocks;  // as stated in the file
  chain::SubnetState state;
  std::vector<Step> steps;
  Tolerance tolerance;
  // Things the run ignores that may matter (an unknown hyperparameter), each "pointer: text".
  std::vector<std::string> warnings;
};

// Parses `doc` (the whole file); throws FormatError.
std::vector<Case> parse_cases(const nlohmann::json& doc);

// One mismatch, ready to print as "step k, quantity, uid, expected, got". A malformed one is a
// fault of the file rather than a difference (`expected` says what the value should be, `got`
// what it is); `pointer` is then the JSON pointer of its quantity.
struct Mismatch {
  Mismatch(std::string quantity_, std::string where_, std::string expected_, std::string got_)
      : quantity(std::move(quantity_)),
        where(std::move(where_)),
        expected(std::move(expected_)),
        got(std::move(got_)) {}
  std::string quantity, where, expected, got;
  bool malformed = false;
  std::string pointer;
};

// What the backend kind implies for comparisons (README "What passing means").
struct CheckMode {
  bool float_backend = false;
};

// Compares an epoch step's outputs (and the state persisted after it) with `block`, which is an
// `expect` (reference = false, the case tolerance applies) or a `reference_exact` (reference =
// true: identical for exact, the float bounds for float). Appends mismatches.
void check_block(const nlohmann::json& block, bool reference, const Case& c,
                 const consensus::EpochOutput& out, const chain::SubnetState& state, CheckMode mode,
                 std::vector<Mismatch>& mismatches);

}  // namespace subnetsim::app::conform
