#include <catch2/catch.hpp>

#include "report_test_support.hpp"
#include "subnetsim/report/story_teller.hpp"

using report_test::event;
using report_test::kTao;
using subnetsim::report::StoryTeller;

namespace {
std::string told(const subnetsim::metrics::EventRecord& e) {
  static const StoryTeller teller(report_test::load(report_test::kStoryScenario));
  const auto s = teller.sentence(e);
  REQUIRE(s);
  return *s;
}
}  // namespace

TEST_CASE("story: a slash for low trust names the rule's fraction, destination, threshold and jail") {
  CHECK(told(event(4812, "slash", "validators/3", 3, "low_trust", 0.12, 0.5, 1250 * kTao, "burn",
                   "validator trust below threshold for 3 epochs; jailed 5 epochs")) ==
        "block 4,812: validator validators/3 (uid 3, subnet 1) was slashed 10% of its stake (1,250 TAO, "
        "burned) because its validator trust stayed below 0.5 for 3 epochs (measured 0.12); jailed 5 epochs");
}

TEST_CASE("story: a slash for weight distance, with nominators' share and the treasury") {
  CHECK(
      told(event(100, "slash", "validators/1", 1, "far", 0.4567, 0.3, 12 * kTao + kTao / 2,
                 "treasury", "weights far from consensus for 2 epochs; 2.5 TAO from nominators")) ==
      "block 100: validator validators/1 (uid 1, subnet 1) was slashed 20% of its stake and 5% of "
      "its "
      "nominators' (12.5 TAO, sent to the treasury) because its weights stayed more than 0.3 from "
      "consensus for 2 epochs (measured 0.457)");
  // Without nominators (the event says none lost anything), the rule's share of theirs is not told.
  CHECK(told(event(100, "slash", "validators/1", 1, "far", 0.4567, 0.3, 10 * kTao, "treasury",
                   "weights far from consensus for 2 epochs")) ==
        "block 100: validator validators/1 (uid 1, subnet 1) was slashed 20% of its stake (10 TAO, "
        "sent to "
        "the treasury) because its weights stayed more than 0.3 from consensus for 2 epochs "
        "(measured 0.457)");
}

TEST_CASE("story: the script's slash under a trust rule does not claim the trigger fired") {
  // events.csv leaves measured and threshold empty (read back as NaN or 0); the detail says it.
  CHECK(told(event(60, "slash", "validators/3", 3, "low_trust", 0, 0, 100 * kTao, "burn",
                   "scripted slash; jailed 5 epochs")) ==
        "block 60: validator validators/3 (uid 3, subnet 1) was slashed 10% of its stake (100 TAO, "
        "burned) by "
        "the script under rule low_trust; jailed 5 epochs");
}

TEST_CASE("story: a slash under a rule the scenario does not know says what the event carries") {
  CHECK(told(event(7, "slash", "validators/0", 0, "gone", 0, 0, 3 * kTao, "burn", "scripted slash")) ==
        "block 7: validator validators/0 (uid 0, subnet 1) was slashed 3 TAO (burn) under rule gone: scripted slash");
}

TEST_CASE("story: proposals open, pass, fail and fail for lack of quorum") {
  CHECK(told(event(7200, "proposal", "", -1, "double_min_stake", 1000, 2000, 0, "",
                   "vote opens: set /subnets/1/min_validator_stake_tao to 2000")) ==
        "block 7,200: the proposal double_min_stake opened: min_validator_stake_tao 1000 -> 2000 if more than 50% "
        "of the voting stake says yes with a turnout of at least 50%; voting closes at block 14,400");
  CHECK(told(event(14400, "vote_passed", "", -1, "double_min_stake", 0.71, 0.5, 3550 * kTao, "",
                   "yes 3,550 TAO, no 1,450 TAO, turnout 80%: passed, /subnets/1/min_validator_stake_tao 1000 -> 2000")) ==
        "block 14,400: the proposal double_min_stake passed with 71% yes (turnout 80%, quorum 50%): "
        "min_validator_stake_tao 1000 -> 2000");
  CHECK(told(event(14400, "vote_failed", "", -1, "double_min_stake", 0.4, 0.5, 2 * kTao, "",
                   "yes 2 TAO, no 3 TAO, turnout 90%: failed")) ==
        "block 14,400: the proposal double_min_stake failed with 40% yes (more than 50% needed; turnout 90%, quorum 50%)");
  CHECK(told(event(14400, "vote_failed", "", -1, "double_min_stake", 1, 0.5, kTao, "",
                   "yes 1 TAO, no 0 TAO, turnout 10%: failed (no quorum)")) ==
        "block 14,400: the proposal double_min_stake failed for lack of quorum (100% yes; turnout 10%, quorum 50%)");
}

TEST_CASE("story: parameter values have at most 6 significant digits, integers whole") {
  // kappa and alpha_low are stored as u16 fractions: 0.5 is 0.49999237048905165, and the story
  // printed every digit of it.
  CHECK(told(event(100, "proposal", "", -1, "double_min_stake", 0.49999237048905165, 0.6, 0, "",
                   "vote opens: set /subnets/1/min_validator_stake_tao to 0.6")) ==
        "block 100: the proposal double_min_stake opened: min_validator_stake_tao 0.499992 -> 0.6 "
        "if more than "
        "50% of the voting stake says yes with a turnout of at least 50%; voting closes at block "
        "14,400");
  CHECK(told(event(100, "proposal", "", -1, "double_min_stake", 21000000, 1234567, 0, "", ""))
            .find("min_validator_stake_tao 21000000 -> 1234567 if") != std::string::npos);
  CHECK(told(event(200, "vote_passed", "", -1, "double_min_stake", 1, 0.5, kTao, "",
                   "yes 1 TAO, no 0 TAO, turnout 49.367%: passed, /subnets/1/kappa "
                   "0.49999237048905165 -> 0.6")) ==
        "block 200: the proposal double_min_stake passed with 100% yes (turnout 49.4%, quorum "
        "50%): kappa "
        "0.499992 -> 0.6");
  CHECK(told(event(
            400, "vote_passed", "", -1, "double_min_stake", 1, 0.5, kTao, "",
            "yes 1 TAO, no 0 TAO, turnout 49.367%: passed, but /subnets/1/alpha_low stays "
            "0.7000076295109483: "
            "refused, alpha_low 0.95 would exceed alpha_high (0.9000076295109484) of subnet 1")) ==
        "block 400: the proposal double_min_stake passed with 100% yes (turnout 49.4%, quorum "
        "50%), but the chain "
        "refused the change (alpha_low 0.95 would exceed alpha_high (0.900008) of subnet 1): "
        "alpha_low stays "
        "0.700008");
  auto script = event(1000, "script", "", -1, "set_param", 0, 0, 0, "",
                      "/subnets/1/kappa 0.49999237048905165 -> 0.7");
  CHECK(told(script) == "block 1,000: the script changed /subnets/1/kappa 0.499992 -> 0.7");
  CHECK(told(event(60, "refuse", "", -1, "set_param", 0, 0, 0, "",
                   "alpha_high 0.8 would fall below alpha_low (0.85) of subnet 1 "
                   "(/subnets/1/alpha_high stays "
                   "0.9000076295109484)")) ==
        "block 60: the script's set_param was refused: alpha_high 0.8 would fall below alpha_low "
        "(0.85) of subnet 1 "
        "(/subnets/1/alpha_high stays 0.900008)");
}

TEST_CASE("story: a proposal on a named parameter says the names (events.csv has indices)") {
  // measured and threshold: the indices of "classic" and "yuma3" in the variants' names.
  CHECK(told(event(9000, "proposal", "", -1, "to_yuma3", 0, 1, 0, "",
                   "vote opens: set /subnets/1/yuma to yuma3")) ==
        "block 9,000: the proposal to_yuma3 opened: yuma classic -> yuma3 if more than 50% of the "
        "voting "
        "stake says yes with a turnout of at least 50%; voting closes at block 16,200");
}

TEST_CASE("story: a passed proposal the chain refuses, a dotted path, a refused script change") {
  // Once: "...quorum 10%): but /subnets/1/alpha_low stays 0.700008: refused, ..." (the detail's
  // "but" taken for the path), a dotted path printed whole, and a refused set_param told as
  // "the script changed ...".
  CHECK(
      told(event(40, "vote_passed", "", -1, "double_min_stake", 0.581, 0.5, 5 * kTao, "",
                 "yes 5 TAO, no 3.6 TAO, turnout 55.2%: passed, but /subnets/1/alpha_low stays "
                 "0.700008: refused, alpha_low 0.95 would exceed alpha_high (0.9) of subnet 1")) ==
      "block 40: the proposal double_min_stake passed with 58.1% yes (turnout 55.2%, quorum 50%), "
      "but the chain refused the change (alpha_low 0.95 would exceed alpha_high (0.9) of subnet "
      "1): alpha_low stays 0.700008");
  CHECK(told(event(50, "vote_passed", "", -1, "double_min_stake", 0.7, 0.5, 5 * kTao, "",
                   "yes 5 TAO, no 1 TAO, turnout 80%: passed, subnets.1.min_validator_stake_tao "
                   "25000 -> 5000")) ==
        "block 50: the proposal double_min_stake passed with 70% yes (turnout 80%, quorum 50%): "
        "min_validator_stake_tao 25000 -> 5000");
  CHECK(told(event(60, "refuse", "", -1, "set_param", 0, 0, 0, "",
                   "alpha_high 0.8 would fall below alpha_low (0.85) of subnet 1 "
                   "(/subnets/1/alpha_high stays 0.900008)")) ==
        "block 60: the script's set_param was refused: alpha_high 0.8 would fall below alpha_low "
        "(0.85) of subnet 1 (/subnets/1/alpha_high stays 0.900008)");
}

TEST_CASE("story: a liquidation gives equity, margin, price and what the lender took") {
  auto e = event(5000, "liquidate", "stakers/0", -1, "", 0.08, 0.1, 1234 * kTao + kTao / 2, "lender",
                 "equity fell below the maintenance margin at $312.5");
  CHECK(told(e) ==
        "block 5,000: staker stakers/0 (subnet 1) was liquidated at $312.5: its equity fell to 8% of its "
        "position, below the 10% maintenance margin; the lender took 1,234.5 TAO");
}

TEST_CASE("story: script events") {
  auto script = [](std::string action, std::string agent, std::string detail, std::uint64_t amount = 0) {
    auto e = event(3000, "script", std::move(agent), -1, std::move(action), 0, 0, amount, "", std::move(detail));
    return told(e);
  };
  CHECK(script("set_param", "", "/subnets/1/kappa 0.5 -> 0.6") == "block 3,000: the script changed /subnets/1/kappa 0.5 -> 0.6");
  CHECK(script("price_shock", "", "price $400 -> $200") == "block 3,000: the script shocked the TAO price: $400 -> $200 (-50%)");
  CHECK(script("price_shock", "", "price $100 -> $125") == "block 3,000: the script shocked the TAO price: $100 -> $125 (+25%)");
  CHECK(script("stake_shock", "validators", "stake of group validators x0.5", 500 * kTao) ==
        "block 3,000: the script multiplied the stake of group validators by 0.5: 500 TAO burned");
  CHECK(script("switch_strategy", "validators", "group validators now behaves as lazy_validator") ==
        "block 3,000: the script switched group validators to lazy_validator");
  CHECK(script("take_offline", "miners", "group miners offline for 100 blocks") ==
        "block 3,000: the script took group miners offline for 100 blocks");
  CHECK(script("take_offline", "miners", "group miners goes offline for good") ==
        "block 3,000: the script took group miners offline for good");
  CHECK(script("slash", "validators", "scripted slash of group validators under rule far") ==
        "block 3,000: the script slashed group validators under rule far");
  // The amount moved, which events.csv has (it read "the script did move_stake: self-stake of
  // group big x0.5 moved to group small").
  auto moved = event(700, "script", "validators", -1, "move_stake", 0, 0, 5083033193596ULL,
                     "miners", "self-stake of group validators x0.5 moved to group miners");
  moved.netuid = 0;
  CHECK(told(moved) ==
        "block 700: the script moved 5,083.03 TAO, 50% of the self-stake of group validators, to "
        "group miners");
  // A group named like a factor ("x2") is not read as one.
  auto moved_x2 = event(700, "script", "x2", -1, "move_stake", 0, 0, 10 * kTao, "miners",
                        "self-stake of group x2 x0.5 moved to group miners");
  moved_x2.netuid = 0;
  CHECK(told(moved_x2) ==
        "block 700: the script moved 10 TAO, 50% of the self-stake of group x2, to group miners");
  CHECK(script("stake_shock", "x2", "stake of group x2 x3", 20 * kTao) ==
        "block 3,000: the script multiplied the stake of group x2 by 3: 20 TAO minted");
  // The script's own stake shock, refused (no agent's refusal).
  auto refused = event(5, "refuse", "", -1, "stake_shock", 0, 0, 0, "",
                       "stake of group v x10 would mint 18,000 TAO, more than the 1,700 TAO left "
                       "below total_supply_tao: the stakes stay as they are");
  refused.netuid = 0;
  CHECK(
      told(refused) ==
      "block 5: the script's stake_shock was refused: stake of group v x10 would mint 18,000 TAO, "
      "more than the 1,700 TAO left below total_supply_tao: the stakes stay as they are");
  auto created = event(3000, "script", "", -1, "create_subnet", 0, 0, 0, "", "subnet 2 created");
  created.netuid = 2;
  CHECK(told(created) == "block 3,000: the script created subnet 2");
}

TEST_CASE("story: registrations after genesis, prunings, deregistrations, stake moves, refusals") {
  CHECK(told(event(1000, "register", "late/0", 12, "", 0, 0, 1500000000, "burn", "registered")) ==
        "block 1,000: miner late/0 (uid 12, subnet 1) registered, burning 1.5 TAO");
  CHECK(told(event(812, "prune", "miners/7", 12, "", 0, 0, 0, "", "lowest emission outside immunity; replaced by late/0")) ==
        "block 812: miner miners/7 (uid 12, subnet 1) was pruned as the lowest emission outside immunity; its uid "
        "went to late/0");
  CHECK(told(event(812, "prune", "miners/7", 12, "", 0, 0, 0, "",
                   "lowest emission among the immune uids (3 outside immunity, min_non_immune_uids "
                   "10); replaced by late/0")) ==
        "block 812: miner miners/7 (uid 12, subnet 1) was pruned as the lowest emission among the immune "
        "uids (too few outside immunity); its uid went to late/0");
  CHECK(told(event(90, "deregister", "miners/2", 2, "", 0, 0, 0, "", "leaves to register again with a new hotkey")) ==
        "block 90: miner miners/2 (uid 2, subnet 1) deregistered to register again with a new hotkey");
  CHECK(told(event(50, "move_stake", "stakers/0", -1, "", 0, 0, 20 * kTao, "validators/2", "moves stake from validators/1")) ==
        "block 50: staker stakers/0 (subnet 1) moved 20 TAO of stake from validators/1 to validators/2");
  CHECK(told(event(12, "refuse", "validators/0", 0, "set_weights", 0, 0, 0, "",
                   "rate limited: 3 blocks since the last weights, limit 100")) ==
        "block 12: validator validators/0 (uid 0, subnet 1) was refused set_weights: rate limited: 3 blocks since the "
        "last weights, limit 100");
  CHECK(told(event(24, "permit_gained", "validators/2", 2, "", 1000, 0, 1000 * kTao, "",
                   "its stake 1,000 TAO is among the top 64 of the subnet")) ==
        "block 24: validator validators/2 (uid 2, subnet 1) gained a validator permit: its stake 1,000 TAO is among "
        "the top 64 of the subnet");
  CHECK(told(event(36, "permit_lost", "validators/2", 2, "", 0, 0, 0, "", "it is jailed through epoch 9")) ==
        "block 36: validator validators/2 (uid 2, subnet 1) lost its validator permit: it is jailed through epoch 9");
  CHECK(told(event(5, "mystery", "validators/0", 0, "", 0, 0, 0, "", "something odd")) ==
        "block 5: mystery validator validators/0 (uid 0, subnet 1): something odd");
}

TEST_CASE("story: burns below 1 TAO keep four significant digits, take changes and unstakes") {
  // The minimum burn and its x1.26 successor read as 0 with two decimals.
  CHECK(told(event(216000, "register", "late/0", 12, "", 0, 0, 500000, "burn", "registered")) ==
        "block 216,000: miner late/0 (uid 12, subnet 1) registered, burning 0.0005 TAO");
  CHECK(told(event(216001, "register", "late/1", 13, "", 0, 0, 629000, "burn", "registered")) ==
        "block 216,001: miner late/1 (uid 13, subnet 1) registered, burning 0.000629 TAO");
  // measured: the new take, threshold: the one before (events.csv)
  CHECK(told(event(710, "take", "validators/0", 0, "", 0.1, 0.179995, 0, "",
                   "take 17.9995% -> 10%")) ==
        "block 710: validator validators/0 (uid 0, subnet 1) changed its take from 18% to 10%");
  // measured: the fraction asked for; the amount moved
  CHECK(told(event(900, "unstake", "validators/1", 1, "", 0.5, 0, 2983180000000ULL, "balance",
                   "takes 50% of its stake back to its balance")) ==
        "block 900: validator validators/1 (uid 1, subnet 1) took 2,983.18 TAO (50% of its stake) "
        "back to its balance");
}

TEST_CASE("story: genesis registrations give no sentence of their own") {
  const StoryTeller teller(report_test::load(report_test::kStoryScenario));
  CHECK_FALSE(teller.sentence(event(0, "register", "miners/0", 0, "", 0, 0, 0, "", "registered at genesis")));
  CHECK(teller.role_of("miners/0") == "miner");
  CHECK(teller.role_of("nobody/0") == "");
  CHECK(StoryTeller::group_of("validators/3") == "validators");
}
