// The `coinbase_cases` of the public conformance file (subtensor's coinbase.rs tests) through
// the simulator's emission split: the owner's cut of a subnet's emission, and a block's TAO
// shared across subnets in proportion to a weight per subnet (the chain's moving prices).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "public_conformance.hpp"
#include "subnetsim/economics/emission_split.hpp"

using subnetsim::config::EmissionSplit;
using subnetsim::core::Rao;
using subnetsim::economics::SubnetShares;
using subnetsim::economics::WithinSubnetSplit;

namespace {

const nlohmann::json& coinbase_case(const std::string& id) {
  return subnetsim::testing::public_case("coinbase_cases", id);
}

}  // namespace

TEST_CASE("coinbase: the owner's cut is SubnetOwnerCut/65535 of the subnet's emission",
          "[economics][conformance]") {
  const auto& c = coinbase_case("coinbase.test_owner_cut_base");
  REQUIRE(c.at("cases").size() >= 2);
  const Rao alpha_out(1'000'000'000);  // per block, as the description states
  for (const auto& sub : c.at("cases")) {
    const auto cut = sub.at("subnet_owner_cut_u16").get<std::uint64_t>();
    EmissionSplit fractions;
    fractions.preset = "custom";
    fractions.owner = static_cast<double>(cut) / 65535.0;
    fractions.miners = 1.0 - fractions.owner;
    fractions.validators = 0.0;
    const auto part = WithinSubnetSplit(fractions).split(alpha_out);
    INFO("cut " << cut);
    CHECK(part.owner.raw() == sub.at("expect_PendingOwnerCut").get<std::uint64_t>());
    CHECK(part.total() == alpha_out);
  }
}

TEST_CASE("coinbase: a block's TAO is shared in proportion to each subnet's weight",
          "[economics][conformance]") {
  const auto& c = coinbase_case("coinbase.test_coinbase_tao_issuance_different_prices");
  const auto& in = c.at("inputs");
  const auto& expect = c.at("expect");
  const auto prices = in.at("moving_price").get<std::vector<double>>();
  const auto reserve = in.at("initial_subnet_tao").get<std::vector<std::uint64_t>>();
  const Rao block(in.at("block_emission_rao").get<std::uint64_t>());
  // "|diff| <= 10 rao".
  constexpr double kTolerance = 10;
  REQUIRE(c.at("tolerance").get<std::string>().find("10 rao") != std::string::npos);

  std::map<std::uint16_t, double> weights;
  std::vector<std::uint16_t> netuids;
  for (std::size_t k = 0; k < prices.size(); ++k) {
    netuids.push_back(static_cast<std::uint16_t>(k + 1));
    weights[netuids.back()] = prices[k];
  }
  SubnetShares shares;
  shares.set_weights(weights, netuids);
  std::vector<Rao> out(netuids.size());
  const Rao minted = shares.split(block, out);

  const auto after = expect.at("SubnetTAO_after").get<std::vector<double>>();
  REQUIRE(after.size() == out.size());
  for (std::size_t k = 0; k < out.size(); ++k) {
    INFO("subnet " << netuids[k]);
    CHECK(std::abs(static_cast<double>(reserve[k] + out[k].raw()) - after[k]) <= kTolerance);
  }
  // All of the block's TAO is issued and, in the subnets' reserves, counts as stake.
  CHECK(std::abs(static_cast<double>(minted.raw()) - expect.at("TotalIssuance").get<double>()) <=
        kTolerance);
  CHECK(std::abs(static_cast<double>(minted.raw()) - expect.at("TotalStake").get<double>()) <=
        kTolerance);
}
