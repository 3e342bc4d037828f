#include <catch2/catch.hpp>
#include <sstream>

#include "report_test_support.hpp"
#include "subnetsim/report/story.hpp"
#include "subnetsim/report/story_printer.hpp"

using report_test::event;
using report_test::kTao;
using subnetsim::report::Story;
using Lines = std::vector<std::string>;

namespace {
subnetsim::metrics::EventRecord genesis(const std::string& agent, std::int32_t uid) {
  return event(0, "register", agent, uid, "", 0, 0, 0, "", "registered at genesis");
}
subnetsim::metrics::EventRecord rate_limited(std::uint64_t block, const std::string& agent, int since) {
  return event(block, "refuse", agent, 0, "set_weights", 0, 0, 0, "",
               "rate limited: " + std::to_string(since) + " blocks since the last weights, limit 100");
}
}  // namespace

TEST_CASE("story summary: genesis registrations become one line per subnet batch, by group") {
  Story story(report_test::load(report_test::kStoryScenario));
  CHECK(story.add(genesis("validators/0", 0)).empty());
  CHECK(story.add(genesis("validators/1", 1)).empty());
  CHECK(story.add(genesis("miners/0", 2)).empty());
  const Lines after = story.add(event(1000, "register", "late/0", 3, "", 0, 0, 2000000000, "burn", "registered"));
  CHECK(after == Lines{"block 0: 3 agents registered at genesis on subnet 1: 2 validators, 1 miners",
                       "block 1,000: miner late/0 (uid 3, subnet 1) registered, burning 2 TAO"});
  // Batches span subnets: a block's registrations at genesis are one line.
  auto other = genesis("miners/1", 0);
  other.netuid = 2;
  story.add(genesis("miners/0", 0));
  story.add(other);
  story.add(genesis("validators/0", 1));
  CHECK(story.flush() == Lines{"block 0: 3 agents registered at genesis on 2 subnets: 2 miners, 1 validators"});
  // A batch at a later block (a scripted subnet) is told as such, when flushed.
  auto late = genesis("miners/9", 0);
  late.block = 3000;
  late.netuid = 2;
  CHECK(story.add(late).empty());
  CHECK(story.flush() == Lines{"block 3,000: 1 agent registered for free on the new subnet 2: 1 miners"});
  CHECK(story.finish().empty());
}

TEST_CASE("story summary: permit changes of one block and subnet are counted, a single one keeps its reason") {
  Story story(report_test::load(report_test::kStoryScenario));
  auto permit = [](std::uint64_t block, const std::string& kind, const std::string& agent) {
    return event(block, kind, agent, 0, "", 0, 0, 0, "", "its stake 1 TAO is among the top 64 of the subnet");
  };
  CHECK(story.add(permit(35, "permit_gained", "miners/0")).empty());
  CHECK(story.add(permit(35, "permit_gained", "miners/1")).empty());
  CHECK(story.add(permit(35, "permit_gained", "validators/0")).empty());
  CHECK(story.add(permit(35, "permit_lost", "miners/2")) ==
        Lines{"block 35: 3 agents gained a validator permit on subnet 1: 2 miners, 1 validators"});
  CHECK(story.add(permit(47, "permit_lost", "validators/1")) ==
        Lines{"block 35: miner miners/2 (uid 0, subnet 1) lost its validator permit: its stake 1 TAO is among the top "
              "64 of the subnet"});
  CHECK(story.add(permit(47, "permit_lost", "validators/2")).empty());
  // Lost for one reason: the line says it, as a single loss does.
  CHECK(story.flush() ==
        Lines{"block 47: 2 agents lost their validator permit on subnet 1: 2 validators (each: its "
              "stake 1 TAO is among the top 64 of the subnet)"});
  auto jailed = [](const std::string& agent, int epoch) {
    return event(
        95, "permit_lost", agent, 1, "", 0, 0, 0, "",
        "it is jailed through epoch " + std::to_string(epoch) + " (slashed under rule low_trust)");
  };
  CHECK(story.add(jailed("validators/3", 8)).empty());
  CHECK(story.add(jailed("validators/4", 8)).empty());
  CHECK(
      story.flush() ==
      Lines{"block 95: 2 agents lost their validator permit on subnet 1: 2 validators (each: it is "
            "jailed through epoch 8; slashed under rule low_trust)"});
  // The same reason but for its numbers: one example.
  CHECK(story.add(jailed("validators/5", 8)).empty());
  CHECK(story.add(jailed("validators/6", 9)).empty());
  CHECK(story.flush() ==
        Lines{"block 95: 2 agents lost their validator permit on subnet 1: 2 validators (e.g. "
              "validators/5: it is jailed through epoch 8; slashed under rule low_trust)"});
  // A reason with asides of its own reads as clauses, not brackets in brackets (it read "(each:
  // it has no stake (a permit goes only to stake, spec §3.3) (a uid its agent left to register
  // again))").
  auto left = [](const std::string& agent) {
    return event(
        251, "permit_lost", agent, 0, "", 0, 0, 0, "",
        "it has no stake (a permit goes only to stake, spec §3.3) (a uid its agent left to "
        "register again)");
  };
  CHECK(story.add(left("miners/3")).empty());
  CHECK(story.add(left("miners/4")).empty());
  CHECK(story.flush() ==
        Lines{"block 251: 2 agents lost their validator permit on subnet 1: 2 miners (each: it has "
              "no stake, and a permit goes only to stake, spec §3.3; a uid its agent left to "
              "register again)"});
  CHECK(story.add(left("miners/5")).empty());
  CHECK(story.flush() ==
        Lines{"block 251: miner miners/5 (uid 0, subnet 1) lost its validator permit: it has no "
              "stake, and a permit goes only to stake, spec §3.3; a uid its agent left to register "
              "again"});
  auto before_slash = [](const std::string& agent) {
    return event(731, "permit_lost", agent, 0, "", 0, 0, 0, "",
                 "its stake 24.6778 TAO (at the epoch, before this block's slash) is not among the "
                 "top 8 of the subnet");
  };
  CHECK(story.add(before_slash("validators/7")).empty());
  CHECK(story.add(before_slash("validators/8")).empty());
  CHECK(
      story.flush() ==
      Lines{"block 731: 2 agents lost their validator permit on subnet 1: 2 validators (each: its "
            "stake 24.6778 TAO, at the epoch, before this block's slash, is not among the top 8 "
            "of the subnet)"});
  CHECK(story.permit_summary().empty());  // every change above was an agent's first of its kind
}

TEST_CASE(
    "story summary: an agent's permit changes after its first gain and first loss are counted, not "
    "told") {
  // Miners trading spare permits every epoch (weight-copying): 375 of its 383 story lines were
  // permit changes.
  Story story(report_test::load(report_test::kStoryScenario));
  auto permit = [](std::uint64_t block, const std::string& kind, const std::string& agent) {
    return event(block, kind, agent, 0, "", 0, 0, 0, "",
                 "its stake 1 TAO is among the top 64 of the subnet");
  };
  CHECK(story.add(permit(10, "permit_gained", "miners/0")).empty());
  CHECK(story.add(permit(20, "permit_lost", "miners/0")) ==
        Lines{"block 10: miner miners/0 (uid 0, subnet 1) gained a validator permit: its stake 1 "
              "TAO is among "
              "the top 64 of the subnet"});
  CHECK(story.flush().size() == 1);  // its first loss, told
  for (std::uint64_t block = 30; block < 90; block += 20) {
    CHECK(story.add(permit(block, "permit_gained", "miners/0")).empty());
    CHECK(story.add(permit(block + 10, "permit_lost", "miners/0")).empty());
  }
  CHECK(story.add(permit(95, "permit_gained", "miners/1")).empty());  // a first: batched
  CHECK(story.flush().size() == 1);
  CHECK(story.add(permit(99, "permit_lost", "miners/1")).empty());
  CHECK(story.add(permit(99, "permit_gained", "miners/1")).empty());  // again: counted
  CHECK(story.flush().size() == 1);
  CHECK(story.permit_summary() == Lines{"blocks 30 to 99: 7 more permit changes (an agent's gains "
                                        "after its first, and losses after its "
                                        "first): miners/0 6, miners/1 1"});
  CHECK(story.permit_summary().empty());
}

TEST_CASE("story summary: only the first refusal of each action and reason is told, repeats are counted") {
  Story story(report_test::load(report_test::kStoryScenario));
  CHECK(story.add(rate_limited(12, "validators/0", 3)) ==
        Lines{"block 12: validator validators/0 (uid 0, subnet 1) was refused set_weights: rate limited: 3 blocks "
              "since the last weights, limit 100"});
  CHECK(story.add(rate_limited(24, "validators/0", 12)).empty());
  CHECK(story.add(rate_limited(30, "validators/1", 5)).empty());
  CHECK(story.add(rate_limited(36, "validators/0", 12)).empty());
  CHECK(story.add(event(40, "refuse", "miners/0", 4, "set_weights", 0, 0, 0, "", "not registered")).size() == 1);
  CHECK(story.finish() ==
        Lines{"blocks 12 to 36: set_weights was refused 4 times (rate limited): validators/0 3, validators/1 1"});
  CHECK(story.finish().empty());
}

TEST_CASE("story summary: at most four agents are named, the rest counted together") {
  Story story(report_test::load(report_test::kStoryScenario));
  for (int i = 0; i < 6; ++i)
    for (int k = 0; k <= i; ++k) story.add(rate_limited(100, "miners/" + std::to_string(i), 1));
  CHECK(story.finish() == Lines{"block 100: set_weights was refused 21 times (rate limited): miners/5 6, miners/4 5, "
                                "miners/3 4, miners/2 3 and 2 other agents 3"});
}

TEST_CASE("story summary: reasons ignore the numbers in them") {
  CHECK(Story::reason_of("rate limited: 3 blocks since the last weights, limit 100") == "rate limited");
  CHECK(Story::reason_of("uid 12 does not exist") == "uid N does not exist");
  CHECK(Story::reason_of("balance 1,234.5 TAO below the burn 2 TAO") == "balance N TAO below the burn N TAO");
  CHECK(Story::reason_of("fewer than min_allowed_weights: 4 weights, the minimum is 8") ==
        "fewer than min_allowed_weights");
}

TEST_CASE("story printer: prints lines as events arrive and the summaries at finish") {
  std::ostringstream out;
  subnetsim::report::StoryPrinter printer(report_test::load(report_test::kStoryScenario), out);
  printer.on_event(genesis("validators/0", 0));
  CHECK(out.str().empty());
  printer.on_event(rate_limited(12, "validators/0", 3));
  printer.on_event(rate_limited(24, "validators/0", 3));
  CHECK(out.str() ==
        "block 0: 1 agent registered at genesis on subnet 1: 1 validators\n"
        "block 12: validator validators/0 (uid 0, subnet 1) was refused set_weights: rate limited: 3 blocks since "
        "the last weights, limit 100\n");
  printer.on_event(event(40, "slash", "validators/1", 1, "gone", 0, 0, kTao, "burn", ""));
  printer.finish();
  // The summaries come after the story's last line (block 40): a heading says what they are,
  // or they read as the story going back to block 12.
  CHECK(out.str().ends_with(
      "block 12: validator validators/0 (uid 0, subnet 1) was refused set_weights: rate "
      "limited: 3 blocks since the last weights, limit 100\n"
      "block 40: validator validators/1 (uid 1, subnet 1) was slashed 1 TAO (burn) under "
      "rule gone\n"
      "Repeated refusals (the first of each is told above, in its place):\n"
      "blocks 12 to 24: set_weights was refused 2 times (rate limited): validators/0 2\n"));
  // A genesis batch still open at the end comes before the heading, and no refusals, no heading.
  std::ostringstream quiet;
  subnetsim::report::StoryPrinter alone(report_test::load(report_test::kStoryScenario), quiet);
  alone.on_event(genesis("validators/0", 0));
  alone.finish();
  CHECK(quiet.str() == "block 0: 1 agent registered at genesis on subnet 1: 1 validators\n");
}

TEST_CASE("story summary: a slash is told in full once per agent and rule, its repeats in short") {
  Story story(report_test::load(report_test::kStoryScenario));
  auto slash = [](std::uint64_t block, const std::string& agent, const std::string& rule, double measured,
                  std::uint64_t rao) {
    return event(block, "slash", agent, 3, rule, measured, 0.5, rao, "burn", "");
  };
  const Lines first = story.add(slash(4812, "validators/3", "low_trust", 0.12, 1'250'000'000'000ULL));
  REQUIRE(first.size() == 1);
  CHECK(first[0].rfind("block 4,812: validator validators/3 (uid 3, subnet 1) was slashed 10% of its stake", 0) == 0);
  CHECK(story.add(slash(4824, "validators/3", "low_trust", 0.11, 1'125'000'000'000ULL)) ==
        Lines{"block 4,824: validator validators/3 (uid 3, subnet 1) slashed again, the 2nd time under low_trust: "
              "1,125 TAO, burned (measured 0.11)"});
  CHECK(story.add(slash(4836, "validators/3", "low_trust", 0.1, 1'000'000'000'000ULL))[0].find("the 3rd time") !=
        std::string::npos);
  // Another validator, or another rule, starts again in full.
  CHECK(story.add(slash(4836, "validators/4", "low_trust", 0.1, 1'000'000'000'000ULL))[0].find("was slashed") !=
        std::string::npos);
}

TEST_CASE("story summary: a reason with numbers is told with the first refusal's, in block order") {
  Story story(report_test::load(report_test::kStoryScenario));
  auto take = [](std::uint64_t block, const std::string& agent, const std::string& detail) {
    return event(block, "refuse", agent, 0, "set_take", 0, 0, 0, "", detail);
  };
  const std::string above = "take 50% above the chain's maximum 17.9995% (11796/65535)";
  story.add(rate_limited(720, "validators/0", 3));
  story.add(rate_limited(730, "validators/0", 3));
  story.add(take(700, "validators/0", above));
  story.add(take(700, "validators/1", above));
  story.add(take(701, "validators/0", "take 60% above the chain's maximum 17.9995% (11796/65535)"));
  story.add(take(701, "validators/1", above));
  CHECK(story.finish() ==
        Lines{"blocks 700 to 701: set_take was refused 4 times (e.g. " + above +
                  "): validators/0 2, validators/1 2",
              "blocks 720 to 730: set_weights was refused 2 times (rate limited): validators/0 2"});
}
