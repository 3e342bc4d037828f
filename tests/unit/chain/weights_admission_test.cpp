// The chain's set_weights admission rules (spec §4), one rule at a time, with the message each
// refusal gives; rows in uid order and rows in any order must get the same verdicts.
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "subnetsim/chain/weights_admission.hpp"

using subnetsim::chain::check_set_weights;
using subnetsim::chain::SubnetState;
using subnetsim::chain::WeightLimits;
using U16s = std::vector<std::uint16_t>;

namespace {

SubnetState state_of(std::size_t n) {
  SubnetState s;
  s.resize(n, 0);
  return s;
}

std::string check(const U16s& uids, const U16s& values, const WeightLimits& limits = {},
                  bool permit = true, std::uint64_t stake = 1000, std::uint16_t own = 0) {
  static std::vector<std::uint8_t> seen;
  return check_set_weights(state_of(6), limits, own, uids, values, stake, permit, seen);
}

}  // namespace

TEST_CASE("set_weights admission: a valid row, in uid order or not", "[chain][weights]") {
  CHECK(check({1, 2, 3}, {10, 20, 30}).empty());
  CHECK(check({3, 1, 5}, {10, 20, 30}).empty());
  CHECK(check({5}, {0}).empty());  // a single zero weight is a row
}

TEST_CASE("set_weights admission: lengths, permit, minimum count", "[chain][weights]") {
  CHECK(check({1, 2}, {10}) == "uids and values differ in length");
  CHECK(check({1, 2}, {10, 20}, {}, /*permit=*/false) == "no validator permit");
  CHECK(check({0}, {10}, {}, /*permit=*/false).empty());  // a self-weight needs no permit
  WeightLimits three;
  three.min_allowed_weights = 3;
  CHECK(check({1, 2}, {10, 20}, three) ==
        "fewer than min_allowed_weights: 2 weights, the minimum is 3");
  CHECK(check({1, 2, 4}, {10, 20, 5}, three).empty());
  WeightLimits more_than_n;
  more_than_n.min_allowed_weights = 50;  // capped at n = 6
  CHECK(check({0, 1, 2, 3, 4, 5}, {1, 1, 1, 1, 1, 1}, more_than_n).empty());
  CHECK(check({1, 2, 3, 4, 5}, {1, 1, 1, 1, 1}, more_than_n) ==
        "fewer than min_allowed_weights: 5 weights, the minimum is the subnet's 6 uids "
        "(min_allowed_weights 50 is capped at n)");
  // A self-weight alone is always allowed (the chain's is_self_weight): no minimum count.
  CHECK(check({0}, {10}, three).empty());
  CHECK(check({1}, {10}, three) == "fewer than min_allowed_weights: 1 weight, the minimum is 3");
}

TEST_CASE("set_weights admission: unknown and repeated uids, the first one named",
          "[chain][weights]") {
  CHECK(check({1, 6}, {10, 20}) == "uid 6 does not exist");           // in order, last too big
  CHECK(check({9, 1, 7}, {10, 20, 5}) == "uid 9 does not exist");     // the first in the row
  CHECK(check({2, 1, 2}, {10, 20, 30}) == "duplicate uid 2");         // out of order
  CHECK(check({1, 1}, {10, 20}) == "duplicate uid 1");                // in order but equal
  CHECK(check({3, 3, 9}, {10, 20, 30}) == "duplicate uid 3");         // the earlier problem wins
  CHECK(check({3, 9, 3}, {10, 20, 30}) == "uid 9 does not exist");
}

TEST_CASE("set_weights admission: largest share and stake threshold", "[chain][weights]") {
  WeightLimits half;
  half.max_weight_limit_u16 = 32768;  // 0.5 as the chain stores it: round(0.5 x 65535)
  CHECK(check({1, 2}, {60, 40}, half) ==
        "largest weight exceeds max_weights_limit: 0.5999999999 of the row, the limit is "
        "0.5000076294");
  CHECK(check({1, 2}, {50, 50}, half).empty());
  CHECK(check({1, 2}, {0, 0}, half).empty());  // an all-zero row has no largest share
  // Compared as the chain does, in I32F32: 65535 / 131069 (raw 2147500032) is within
  // 32768 / 65535 (raw 2147516416), though above 0.5 itself. Once refused: compared in double
  // against the fraction 0.5.
  CHECK(check({1, 2}, {65535, 65534}, half).empty());
  // One raw unit above: 65535 / 131068 is raw 2147516417.
  CHECK(check({1, 2}, {65535, 65533}, half) ==
        "largest weight exceeds max_weights_limit: 0.5000076296 of the row, the limit is "
        "0.5000076294");
  // A self-weight alone is exempt (its share is 1).
  CHECK(check({0}, {10}, half).empty());
  WeightLimits threshold;
  threshold.stake_threshold_rao = 1000;
  CHECK(check({1, 2}, {1, 1}, threshold, true, 999) ==
        "stake below stake_threshold: 0.000000999 TAO, the threshold is 0.000001 TAO");
  CHECK(check({1, 2}, {1, 1}, threshold, true, 1000).empty());
}
