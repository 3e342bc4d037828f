// Registration and pruning (spec §6): registering into a full subnet replaces the
// lowest-emission uid outside immunity; the burn is paid (burned grows), rises x
// burn_increase_mult after each registration and decays with its half-life; the per-block limit
// and an insufficient balance refuse with a reason.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>

#include "sim_test_support.hpp"
#include "subnetsim/economics/burn.hpp"

using namespace sim_test;
using E = Epoch;
using subnetsim::economics::mul_floor;
using subnetsim::economics::U64F64;

namespace {

// A full subnet of 10 uids: 3 validators, one poor miner ("low", quality 0.05) and six at 0.5;
// `late` groups join later. `overrides` replaces subnet fields ("name": value).
std::string full_subnet(const std::string& late,
                        const std::map<std::string, std::string>& overrides = {}) {
  std::map<std::string, std::string> fields = {{"tempo", "12"},
                                               {"weights_rate_limit", "0"},
                                               {"max_allowed_uids", "10"},
                                               {"immunity_period", "100"},
                                               {"min_non_immune_uids", "0"},
                                               {"burn_tao", "1"},
                                               {"burn_half_life_blocks", "360"}};
  for (const auto& [k, v] : overrides) fields[k] = v;
  std::string subnet;
  for (const auto& [k, v] : fields)
    subnet += (subnet.empty() ? "" : ", ") + ("\"" + k + "\": ") + v;
  return R"({"name": "registration", "seed": 4, "horizon_blocks": 600,
    "emission": {"schedule": "flat", "tao_per_block": 1},
    "subnets": {"1": {)" +
         subnet + R"(}},
    "agents": {
      "v": {"type": "honest_validator", "count": 3, "stake_tao": 1000, "noise": 0.01},
      "low": {"type": "honest_miner", "count": 1, "quality": {"dist": "constant", "value": 0.05}},
      "mid": {"type": "honest_miner", "count": 6, "quality": {"dist": "constant", "value": 0.5}})" +
         late + "}}";
}

const Epoch* last_before(const Recorder& rec, std::uint64_t block) {
  const Epoch* out = nullptr;
  for (const auto* e : rec.of_subnet(1))
    if (e->block < block) out = e;
  return out;
}

}  // namespace

TEST_CASE("a full subnet prunes its lowest-emission non-immune uid for a late joiner",
          "[sim][registration]") {
  const Run r =
      run_ok(full_subnet(R"(, "late": {"type": "honest_miner", "count": 1, "join_block": 300,
      "balance_tao": 10, "quality": {"dist": "constant", "value": 0.9}})"));
  const auto prunes = r.rec.of_kind("prune");
  REQUIRE(prunes.size() == 1);
  CHECK(r.result.prunings == 1);
  const auto& p = prunes[0];
  CHECK(p.block == 300);
  CHECK(p.agent == "low/0");
  // It was the lowest-paid uid at the last epoch.
  const Epoch* before = last_before(r.rec, 300);
  REQUIRE(before != nullptr);
  REQUIRE(before->n() == 10);
  for (std::size_t u = 0; u < before->n(); ++u)
    if (static_cast<int>(u) != p.uid)
      CHECK(before->paid_rao[u] > before->paid_rao[static_cast<std::size_t>(p.uid)]);
  // The newcomer takes that uid; the pruned miner is gone from the records.
  const auto reg = r.rec.of_kind("register", "late/0");
  REQUIRE(reg.size() == 1);
  CHECK(reg[0].block == 300);
  CHECK(reg[0].uid == p.uid);
  const auto& last = *r.rec.of_subnet(1).back();
  CHECK(last.n() == 10);
  CHECK(last.uid_of("low/0") == -1);
  CHECK(last.uid_of("late/0") == p.uid);
  CHECK(r.rec.mean(1, &E::incentive, "late/0", 400) > r.rec.mean(1, &E::incentive, "mid/0", 400));
}

TEST_CASE("immunity protects a new registration from the next pruning", "[sim][registration]") {
  // The first joiner is worse than anyone (quality 0.01); the second joins 50 blocks later.
  const std::string late = R"(, "late": {"type": "honest_miner", "count": 1, "join_block": 300,
      "balance_tao": 10, "quality": {"dist": "constant", "value": 0.01}},
    "late2": {"type": "honest_miner", "count": 1, "join_block": 350, "balance_tao": 10})";
  SECTION("immunity 100 blocks: someone else goes") {
    const Run r = run_ok(full_subnet(late));
    const auto prunes = r.rec.of_kind("prune");
    REQUIRE(prunes.size() == 2);
    CHECK(prunes[0].agent == "low/0");
    CHECK(prunes[1].block == 350);
    CHECK(prunes[1].agent.rfind("mid/", 0) == 0);
  }
  SECTION("no immunity: the newcomer with the lowest emission goes") {
    const Run r = run_ok(full_subnet(late, {{"immunity_period", "0"}}));
    const auto prunes = r.rec.of_kind("prune");
    REQUIRE(prunes.size() == 2);
    CHECK(prunes[1].agent == "late/0");
  }
  SECTION("everyone immune and min_non_immune_uids not met: the best immune uid goes") {
    // immunity 1000: all immune; with fewer non-immune uids than the minimum the rule takes the
    // lowest-emission immune one.
    const Run r =
        run_ok(full_subnet(late, {{"immunity_period", "1000"}, {"min_non_immune_uids", "10"}}));
    const auto prunes = r.rec.of_kind("prune");
    REQUIRE(prunes.size() == 2);
    CHECK(prunes[0].agent == "low/0");
    CHECK(prunes[1].agent == "late/0");
    CHECK(prunes[1].detail.rfind(subnetsim::metrics::kPrunedAmongImmune, 0) == 0);
    CHECK(prunes[0].detail.rfind(subnetsim::metrics::kPrunedAmongImmune, 0) == 0);
  }
  SECTION("no uid immune and no more outside immunity than the minimum: the registration fails") {
    // immunity 100, every uid registered at 0: at 300 all ten are outside immunity, and ten is
    // not more than min_non_immune_uids = 10, so only an immune uid could go, and none is.
    const Run r = run_ok(full_subnet(late, {{"min_non_immune_uids", "10"}}));
    CHECK(r.rec.of_kind("prune").empty());
    CHECK(r.rec.of_kind("register", "late/0").empty());
    const auto refused = r.rec.of_kind("refuse", "late/0");
    REQUIRE(refused.size() == 1);
    CHECK(refused[0].block == 300);
    CHECK(refused[0].detail.find("no uid can be replaced") != std::string::npos);
    // Nothing was burned for it: the run's only burns would be these registrations.
    CHECK(r.result.registrations == 10);
    CHECK(r.result.burned_rao == 0);
  }
}

TEST_CASE("registration burn: paid into burned, x burn_increase_mult after each registration",
          "[sim][registration]") {
  // Three joiners in one block (limit 3): no decay between them, so each pays
  // floor(previous x 1.26) exactly.
  const Run r = run_ok(full_subnet(
      R"(, "late": {"type": "honest_miner", "count": 3, "join_block": 300, "balance_tao": 10})",
      {{"max_allowed_uids", "64"}, {"max_registrations_per_block", "3"}}));
  const auto reg = r.rec.of_kind("register", "");
  std::vector<std::uint64_t> paid;
  std::uint64_t total = 0;
  for (const auto& e : reg)
    if (e.block == 300) paid.push_back(e.amount_rao), total += e.amount_rao;
  REQUIRE(paid.size() == 3);
  const U64F64 mult = U64F64::from_double(1.26);
  CHECK(paid[1] == mul_floor(paid[0], mult));
  CHECK(paid[2] == mul_floor(paid[1], mult));
  // The first has decayed from 1 TAO over the 299 blocks 2..300 of a 360-block half-life (the
  // chain decays the burn from block 2 on; 300 blocks before, 0.19% lower).
  CHECK(static_cast<double>(paid[0]) == Approx(1e9 * std::pow(0.5, 299.0 / 360.0)).epsilon(1e-5));
  CHECK(r.result.burned_rao == total);
  CHECK(r.result.registrations == 10 + 3);
  for (const auto& s : r.rec.samples) CHECK(s.burned_rao == (s.block < 300 ? 0 : total));
}

TEST_CASE(
    "registration burn: no decay in block 1, one step in block 2, as the chain's "
    "on_initialize",
    "[sim][registration]") {
  // subtensor decays the burn only when current_block > 1. Joiners at blocks 1 and 2: the
  // first pays the genesis burn whole, the second that raised x1.26 and decayed once. Once
  // failed: block 1 decayed too (0.19% below the chain's at block 100 of a 360-block half-life).
  const Run r = run_ok(full_subnet(
      R"(, "a": {"type": "honest_miner", "count": 1, "join_block": 1, "balance_tao": 10},
      "b": {"type": "honest_miner", "count": 1, "join_block": 2, "balance_tao": 10})",
      {{"max_allowed_uids", "64"}}));
  const auto a = r.rec.of_kind("register", "a/0"), b = r.rec.of_kind("register", "b/0");
  REQUIRE((a.size() == 1 && b.size() == 1));
  CHECK(a[0].block == 1);
  CHECK(a[0].amount_rao == 1'000'000'000);
  CHECK(b[0].amount_rao ==
        subnetsim::economics::mul_by_q32(mul_floor(1'000'000'000, U64F64::from_double(1.26)),
                                         subnetsim::economics::burn_decay_factor_q32(360)));
}

TEST_CASE("a refusal for a balance a shade below the burn shows both to the rao",
          "[sim][registration]") {
  // Burn 0.50000001 TAO at block 1 (no decay there), balance 0.5 TAO. Once failed: "balance
  // 0.5 TAO below the burn 0.5 TAO", both rounded to four decimals.
  const Run r = run_ok(full_subnet(
      R"(, "a": {"type": "honest_miner", "count": 1, "join_block": 1, "balance_tao": 0.5})",
      {{"max_allowed_uids", "64"}, {"burn_tao", "0.50000001"}}));
  const auto refused = r.rec.of_kind("refuse", "a/0");
  REQUIRE(!refused.empty());
  CHECK(refused[0].detail.rfind("balance 0.5 TAO below the burn 0.50000001 TAO", 0) == 0);
}

TEST_CASE("registration burn: decays by half every half-life, down to min_burn",
          "[sim][registration]") {
  // Half-life 90 blocks. Joiners at 100, 280 (two half-lives later: the raised burn quartered)
  // and 590 (3.4 half-lives later: below the minimum, so the minimum).
  const Run r = run_ok(full_subnet(
      R"(, "a": {"type": "honest_miner", "count": 1, "join_block": 100, "balance_tao": 10},
      "b": {"type": "honest_miner", "count": 1, "join_block": 280, "balance_tao": 10},
      "c": {"type": "honest_miner", "count": 1, "join_block": 590, "balance_tao": 10})",
      {{"max_allowed_uids", "64"}, {"burn_half_life_blocks", "90"}, {"min_burn_tao", "0.1"}}));
  const auto a = r.rec.of_kind("register", "a/0"), b = r.rec.of_kind("register", "b/0"),
             c = r.rec.of_kind("register", "c/0");
  REQUIRE((a.size() == 1 && b.size() == 1 && c.size() == 1));
  CHECK(static_cast<double>(a[0].amount_rao) ==
        Approx(1e9 * std::pow(0.5, 99.0 / 90.0)).epsilon(1e-5));  // blocks 2..100
  CHECK(static_cast<double>(b[0].amount_rao) ==
        Approx(static_cast<double>(a[0].amount_rao) * 1.26 / 4).epsilon(1e-5));
  CHECK(c[0].amount_rao == 100'000'000);
}

TEST_CASE("registration limits: one per block, the rest retry the next block, too poor is refused",
          "[sim][registration]") {
  const Run r = run_ok(full_subnet(
      R"(, "late": {"type": "honest_miner", "count": 3, "join_block": 300, "balance_tao": 10},
      "poor": {"type": "honest_miner", "count": 1, "join_block": 200, "balance_tao": 0.1})",
      {{"max_allowed_uids", "64"}}));
  std::vector<std::uint64_t> blocks;
  for (const auto& e : r.rec.of_kind("register"))
    if (e.agent.rfind("late/", 0) == 0) blocks.push_back(e.block);
  CHECK(blocks == std::vector<std::uint64_t>{300, 301, 302});
  std::size_t limited = 0;
  for (const auto& e : r.rec.of_kind("refuse"))
    if (e.rule == "register" && e.detail == "max_registrations_per_block reached") ++limited;
  CHECK(limited == 3);  // two at 300, one at 301
  const auto poor = r.rec.of_kind("refuse", "poor/0");
  REQUIRE(poor.size() == 1);
  CHECK(poor[0].block == 200);
  CHECK(poor[0].detail.find("below the burn") != std::string::npos);
  CHECK(r.rec.of_kind("register", "poor/0").empty());
}

TEST_CASE("an agent refused for its balance registers once the burn has decayed to it, not before",
          "[sim][registration]") {
  // Burn 1 TAO halving every 90 blocks from block 2: 0.5 TAO is there about 90 blocks after
  // block 1.
  // "floor" can never pay: min_burn_tao is above its balance.
  const Run r = run_ok(full_subnet(
      R"(, "poor": {"type": "honest_miner", "count": 1, "join_block": 20, "balance_tao": 0.5},
      "floor": {"type": "honest_miner", "count": 1, "join_block": 20, "balance_tao": 0.05})",
      {{"max_allowed_uids", "64"}, {"burn_half_life_blocks", "90"}, {"min_burn_tao", "0.1"}}));
  const auto refused = r.rec.of_kind("refuse", "poor/0");
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].block == 20);
  const std::string marker = "tries again at block ";
  const auto at = refused[0].detail.find(marker);
  REQUIRE(at != std::string::npos);
  const std::uint64_t retry = std::stoull(refused[0].detail.substr(at + marker.size()));
  CHECK(retry >= 89);
  CHECK(retry <= 91);
  const auto registered = r.rec.of_kind("register", "poor/0");
  REQUIRE(registered.size() == 1);
  CHECK(registered[0].block == retry);
  CHECK(registered[0].amount_rao <= 500'000'000);
  CHECK(registered[0].amount_rao > 499'000'000);  // the burn was just above 0.5 TAO a block before
  const auto never = r.rec.of_kind("refuse", "floor/0");
  REQUIRE(never.size() == 1);
  CHECK(never[0].detail ==
        "balance 0.05 TAO below the burn 0.8639 TAO, and the burn never decays below it "
        "(min_burn_tao 0.1 TAO): it does not try again");
  CHECK(r.rec.of_kind("register", "floor/0").empty());
}

TEST_CASE("a change of the burn's terms sends the agents refused for their balance to try again",
          "[sim][registration]") {
  // "floor" is priced out for good under min_burn_tao 0.1 (its balance is 0.05). The script
  // lowers min_burn_tao at block 50: floor tries again there, is refused and told when the
  // burn will have decayed to 0.05 TAO; then it sets the burn to 0.01 TAO at block 100, and
  // floor registers there, long before that. "poor" (balance 0.5) registers at its own retry
  // near block 90 whatever the min_burn_tao change does.
  std::string scenario = full_subnet(
      R"(, "poor": {"type": "honest_miner", "count": 1, "join_block": 20, "balance_tao": 0.5},
      "floor": {"type": "honest_miner", "count": 1, "join_block": 20, "balance_tao": 0.05})",
      {{"max_allowed_uids", "64"}, {"burn_half_life_blocks", "90"}, {"min_burn_tao", "0.1"}});
  const std::string agents = R"("agents": {)";
  const auto at = scenario.find(agents);
  REQUIRE(at != std::string::npos);
  scenario.insert(at, R"("script": [
      {"at_block": 50, "do": "set_param", "path": "/subnets/1/min_burn_tao", "value": 0.001},
      {"at_block": 100, "do": "set_param", "path": "/subnets/1/burn_tao", "value": 0.01}],
    )");
  const Run r = run_ok(scenario);
  const auto refused = r.rec.of_kind("refuse", "floor/0");
  REQUIRE(refused.size() == 2);
  CHECK(refused[0].block == 20);
  CHECK_THAT(refused[0].detail, Catch::EndsWith("it does not try again"));
  CHECK(refused[1].block == 50);
  CHECK_THAT(refused[1].detail, Catch::Contains("tries again at block"));
  const auto floor = r.rec.of_kind("register", "floor/0");
  REQUIRE(floor.size() == 1);
  CHECK(floor[0].block == 100);
  CHECK(floor[0].amount_rao == 10'000'000);
  const auto poor = r.rec.of_kind("register", "poor/0");
  REQUIRE(poor.size() == 1);
  CHECK(poor[0].block >= 89);
  CHECK(poor[0].block <= 91);
}

TEST_CASE("refused registrations: one pending retry an agent, none past the run's end",
          "[sim][registration]") {
  // Churners whose churn turn comes while they wait for a retry (or after they gave up) add no
  // try of their own; late miners priced out until after the horizon are told so at once.
  const Run r = run_ok(full_subnet(
      R"(, "late": {"type": "honest_miner", "count": 4, "join_block": 10, "balance_tao": 0.5, "stake_tao": 0.1},
      "ch": {"type": "churner_miner", "count": 2, "churn_every_epochs": 2, "stake_tao": 0.3},
      "slow": {"type": "honest_miner", "count": 1, "join_block": 20, "balance_tao": 0.001})",
      {{"max_allowed_uids", "64"}, {"min_burn_tao", "0.0005"}}));
  std::map<std::pair<std::uint64_t, std::string>, int> per_block;
  std::map<std::string, std::uint64_t> gave_up;
  for (const auto& e : r.rec.of_kind("refuse")) {
    CHECK(++per_block[{e.block, e.agent}] == 1);  // never twice in a block
    if (e.detail.find("it does not try again") != std::string::npos)
      gave_up.emplace(e.agent, e.block);
  }
  // An agent that gave up is refused no more.
  for (const auto& [agent, block] : gave_up)
    for (const auto& e : r.rec.of_kind("refuse", agent)) CHECK(e.block <= block);
  const auto slow = r.rec.of_kind("refuse", "slow/0");
  REQUIRE(slow.size() == 1);
  CHECK_THAT(slow[0].detail,
             Catch::EndsWith(", and the burn does not decay to it before the run ends: it does not "
                             "try again"));
}

TEST_CASE("a retry refused for a full subnet leaves the churner trying at its own turns",
          "[sim][registration]") {
  // Two free uids: of two churners churning at block 35, the first takes one, the second is
  // refused for the block's limit and retried at 36, where a late miner (scheduled first) has
  // just taken the last: the subnet is full (no uid can go: min_non_immune_uids is above n).
  // That refusal schedules no retry; the second churner's later turns must still try (they
  // were skipped for good, its spent retry still counted as pending).
  const Run r = run_ok(full_subnet(
      R"(, "ch": {"type": "churner_miner", "count": 2, "churn_every_epochs": 2, "balance_tao": 100},
      "late": {"type": "honest_miner", "count": 1, "join_block": 36, "balance_tao": 10})",
      {{"max_allowed_uids", "14"}, {"immunity_period", "0"}, {"min_non_immune_uids", "100"}}));
  std::set<std::uint64_t> full_blocks;
  for (const auto& e : r.rec.of_kind("refuse", "ch/1"))
    if (e.detail.rfind("the subnet is full", 0) == 0) full_blocks.insert(e.block);
  CHECK(full_blocks.size() > 2);
}

TEST_CASE("registration burn follows the chain's Q32 per-block decay (economics::RegistrationBurn)",
          "[sim][registration]") {
  // Two registrations 100 blocks apart: the chain decays the raised burn once per block in
  // Q32 (spec §6.1), flooring each step; economics::RegistrationBurn does exactly that.
  const Run r = run_ok(full_subnet(
      R"(, "a": {"type": "honest_miner", "count": 1, "join_block": 200, "balance_tao": 10},
      "b": {"type": "honest_miner", "count": 1, "join_block": 300, "balance_tao": 10})",
      {{"max_allowed_uids", "64"}}));
  const auto a = r.rec.of_kind("register", "a/0"), b = r.rec.of_kind("register", "b/0");
  REQUIRE((a.size() == 1 && b.size() == 1));
  subnetsim::economics::RegistrationBurn burn(subnetsim::core::Rao(a[0].amount_rao),
                                              subnetsim::core::Rao(500'000),
                                              subnetsim::core::Rao(100 * kTao), 360, 1.26);
  burn.on_registration();
  burn.decay_blocks(100);
  // (The simulation once decayed with one double pow(0.5, blocks / half_life).)
  CHECK(b[0].amount_rao == burn.price().raw());
}

TEST_CASE("a late-joining validator stakes its stake_tao when it registers",
          "[sim][registration]") {
  // FORMAT.md: stake_tao is the agent's initial self-stake; join_block only delays its arrival.
  const Run r = run_ok(R"({"name": "late-validator", "horizon_blocks": 600,
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0}},
    "agents": {
      "v": {"type": "honest_validator", "count": 2, "stake_tao": 1000},
      "late": {"type": "honest_validator", "count": 1, "stake_tao": 1000, "join_block": 100, "balance_tao": 5},
      "m": {"type": "honest_miner", "count": 4}}})");
  const auto reg = r.rec.of_kind("register", "late/0");
  REQUIRE(reg.size() == 1);
  CHECK(reg[0].block == 100);
  // (Once failed: the stake was minted to the free balance and never staked, so the late
  // validator had no permit and never validated.)
  CHECK(r.rec.last_stake(1, "late/0") >= 1000 * kTao);
  CHECK(r.rec.mean(1, &E::dividends, "late/0", 200) > 0.2);
}

TEST_CASE("validator permits go to the top max_allowed_validators uids by stake",
          "[sim][registration]") {
  const Run r = run_ok(R"({"name": "permits", "horizon_blocks": 300,
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0, "max_allowed_validators": 2}},
    "agents": {
      "a": {"type": "honest_validator", "count": 1, "stake_tao": 3000},
      "b": {"type": "honest_validator", "count": 1, "stake_tao": 2000},
      "c": {"type": "honest_validator", "count": 1, "stake_tao": 1000},
      "m": {"type": "honest_miner", "count": 5}}})");
  for (const auto* e : r.rec.of_subnet(1)) {
    INFO("epoch at block " << e->block);
    std::size_t permits = 0;
    for (auto p : e->permit) permits += p;
    CHECK(permits == 2);
    CHECK(e->permit[static_cast<std::size_t>(e->uid_of("a/0"))] == 1);
    CHECK(e->permit[static_cast<std::size_t>(e->uid_of("b/0"))] == 1);
    CHECK(e->permit[static_cast<std::size_t>(e->uid_of("c/0"))] == 0);
  }
  // Without a permit, c never grades: no dividends, and its weights are not even submitted.
  CHECK(r.rec.mean(1, &E::dividends, "c/0") == 0.0);
  CHECK(r.rec.of_kind("refuse", "c/0").empty());
}

TEST_CASE("stake_threshold_tao: a validator below it holds no permit and earns nothing",
          "[sim][registration]") {
  const Run r = run_ok(R"({"name": "threshold", "horizon_blocks": 300,
    "subnets": {"1": {"tempo": 12, "weights_rate_limit": 0, "stake_threshold_tao": 500}},
    "agents": {
      "big": {"type": "honest_validator", "count": 2, "stake_tao": 1000},
      "small": {"type": "honest_validator", "count": 1, "stake_tao": 300},
      "m": {"type": "honest_miner", "count": 5}}})");
  for (const auto* e : r.rec.of_subnet(1)) {
    CHECK(e->permit[static_cast<std::size_t>(e->uid_of("small/0"))] == 0);
    CHECK(e->permit[static_cast<std::size_t>(e->uid_of("big/0"))] == 1);
  }
  CHECK(r.rec.mean(1, &E::dividends, "small/0") == 0.0);
  CHECK(r.rec.mean(1, &E::dividends, "big/0", 50) == Approx(0.5).margin(0.02));
}

TEST_CASE(
    "min_validator_stake_tao: a validator below it keeps no bond row, as one without a permit",
    "[sim][registration]") {
  // W (500 TAO) held a permit and bonds until the minimum rises to 800 at block 60. The epoch
  // that withholds its permit must not store its bond row either (spec §3.11: only new permit
  // holders store rows): from then on its bond total is 0, not a decaying EMA.
  const Run r = run_ok(R"({"name": "minstake", "seed": 1, "horizon_blocks": 120,
    "emission": {"schedule": "flat", "tao_per_block": 1},
    "subnets": {"1": {"tempo": 12, "max_allowed_uids": 16, "max_allowed_validators": 4, "weights_rate_limit": 0}},
    "agents": {
      "V": {"type": "scripted_validator", "stake_tao": 1000, "schedule": [{"from_epoch": 0, "weights": {"m": 1}}]},
      "W": {"type": "scripted_validator", "stake_tao": 500, "schedule": [{"from_epoch": 0, "weights": {"m/0": 1}}]},
      "m": {"type": "honest_miner", "count": 2, "quality": {"dist": "constant", "value": 0.5}}},
    "script": [{"at_block": 60, "do": "set_param", "path": "/subnets/1/min_validator_stake_tao", "value": 800}]})");
  bool bonded_before = false;
  std::size_t after = 0;
  for (const auto* e : r.rec.of_subnet(1)) {
    const auto w = static_cast<std::size_t>(e->uid_of("W/0"));
    INFO("epoch at block " << e->block);
    if (e->block < 60) {
      bonded_before = bonded_before || e->bond_total[w] > 0.0;
    } else {
      CHECK(e->permit[w] == 0);
      CHECK(e->bond_total[w] == 0.0);
      ++after;
    }
  }
  CHECK(bonded_before);
  CHECK(after >= 4);
}

TEST_CASE("the default capacity is 256 uids: the 257th registration prunes",
          "[sim][registration]") {
  const Run r = run_ok(R"({"name": "cap", "horizon_blocks": 200,
    "subnets": {"1": {"tempo": 12, "immunity_period": 50}},
    "agents": {
      "v": {"type": "honest_validator", "count": 6, "stake_tao": 1000},
      "m": {"type": "honest_miner", "count": 250},
      "late": {"type": "honest_miner", "count": 2, "join_block": 100, "balance_tao": 10}}})");
  const auto recs = r.rec.of_subnet(1);
  CHECK(recs.front()->n() == 256);
  CHECK(recs.back()->n() == 256);
  CHECK(r.result.prunings == 2);
  for (const auto& p : r.rec.of_kind("prune")) CHECK(p.agent.rfind("m/", 0) == 0);
  CHECK(recs.back()->uid_of("late/0") >= 0);
  CHECK(recs.back()->uid_of("late/1") >= 0);
}

TEST_CASE("a genesis registration a full subnet refuses keeps the agent's stake as its balance",
          "[sim][registration]") {
  // Two uids, three agents at block 0, no immunity and the default min_non_immune_uids (10):
  // the third finds two uids outside immunity, not more than 10, and none immune to replace.
  // (The binary before this fix registered it with an unset hotkey and stopped, exit 4.)
  const Run r = run_ok(R"({"name": "genesis", "horizon_blocks": 50,
    "subnets": {"1": {"tempo": 12, "max_allowed_uids": 2, "immunity_period": 0}},
    "agents": {"v": {"type": "honest_validator", "count": 1, "stake_tao": 100},
               "w": {"type": "honest_miner", "count": 2, "stake_tao": 5}}})");
  // The miners register first (w/0, w/1), then v/0 finds the subnet full.
  const auto refused = r.rec.of_kind("refuse", "v/0");
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].block == 0);
  CHECK(refused[0].detail.find("no uid can be replaced") != std::string::npos);
  CHECK(r.rec.of_kind("register", "v/0").empty());
  CHECK(r.result.conservation_verified);
  const auto& v0 = outcome(r, "v/0");
  CHECK(v0.uid == -1);
  CHECK(v0.hotkey_stake_rao == 0);
  CHECK(v0.final_wealth_rao == 100 * kTao);  // its 100 TAO, as free balance
}
