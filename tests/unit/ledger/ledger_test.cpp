// The ledger moves value exactly and refuses what it cannot do; audit() catches drift.
#include "subnetsim/chain/ledger.hpp"

#include <catch2/catch.hpp>

#include "subnetsim/config/chain.hpp"
#include "subnetsim/core/rng.hpp"

using subnetsim::chain::Ledger;
using subnetsim::core::Rao;

TEST_CASE("minting, staking and burning conserve value", "[ledger]") {
  Ledger l;
  auto alice = l.add_coldkey(Rao(1000));
  auto bob = l.add_coldkey(Rao(500));
  auto hk = l.add_hotkey(alice);
  auto pool = l.add_pool();
  CHECK(l.issuance() == Rao(1500));
  CHECK(l.stake_from_balance(alice, hk, Rao(600)));
  CHECK_FALSE(l.stake_from_balance(bob, hk, Rao(501)));  // more than bob has: refused
  CHECK(l.balance(bob) == Rao(500));
  CHECK(l.stake_from_balance(bob, hk, Rao(400)));
  CHECK(l.stake(hk) == Rao(1000));
  l.mint_to_pool(pool, Rao(100));
  CHECK(l.issuance() == Rao(1600));
  CHECK(l.burn_balance(alice, Rao(50)));
  CHECK(l.burned() == Rao(50));
  CHECK(l.issuance() == Rao(1600));  // burning keeps issuance, as on chain
  CHECK(l.recycle_pool(pool, Rao(10)));
  CHECK(l.issuance() == Rao(1590));  // recycling lowers it
  CHECK(l.audit().empty());
  CHECK_FALSE(l.unstake_to_balance(bob, hk, Rao(401)));
  CHECK(l.unstake_to_balance(bob, hk, Rao(400)));
  CHECK(l.positions(hk).size() == 1);  // empty positions disappear
  CHECK(l.audit().empty());
}

TEST_CASE("delegation pays the take, then pro rata, remainder to the owner", "[ledger]") {
  Ledger l;
  auto owner = l.add_coldkey(Rao(0));
  auto n1 = l.add_coldkey(Rao(300));
  auto n2 = l.add_coldkey(Rao(100));
  auto hk = l.add_hotkey(owner);
  auto pool = l.add_pool();
  l.mint_to_stake(hk, owner, Rao(600));
  REQUIRE(l.stake_from_balance(n1, hk, Rao(300)));
  REQUIRE(l.stake_from_balance(n2, hk, Rao(100)));
  l.mint_to_pool(pool, Rao(1001));
  // take 18% of 1001 = 180 (floor); rest 821 over 1000 stake: owner 492.6 -> 492, n1 246.3 -> 246,
  // n2 82.1 -> 82; remainder 821 - 820 = 1 to the owner.
  REQUIRE(l.distribute_to_nominators(pool, hk, Rao(1001), subnetsim::config::u16_ratio_q32(11796)));
  CHECK(l.stake_of(hk, owner) == Rao(600 + 180 + 492 + 1));
  CHECK(l.stake_of(hk, n1) == Rao(300 + 246));
  CHECK(l.stake_of(hk, n2) == Rao(100 + 82));
  CHECK(l.pool(pool) == Rao(0));
  CHECK(l.audit().empty());
}

TEST_CASE("slashing takes a fraction of positions into a pool", "[ledger]") {
  Ledger l;
  auto owner = l.add_coldkey(Rao(0));
  auto n1 = l.add_coldkey(Rao(1000));
  auto hk = l.add_hotkey(owner);
  auto pool = l.add_pool();
  l.mint_to_stake(hk, owner, Rao(10'000));
  REQUIRE(l.stake_from_balance(n1, hk, Rao(1000)));
  CHECK(l.slash_into_pool(hk, 100'000'000, /*owner_only=*/true, pool) == Rao(1000));
  CHECK(l.stake_of(hk, n1) == Rao(1000));
  CHECK(l.slash_into_pool(hk, 500'000'000, /*owner_only=*/false, pool) == Rao(4500 + 500));
  CHECK(l.pool(pool) == Rao(6000));
  CHECK(l.audit().empty());
}

TEST_CASE("random operations keep conservation exact", "[ledger][property]") {
  Ledger l;
  auto rng = subnetsim::core::make_rng(1, "ledger", 0, "ops");
  std::vector<subnetsim::chain::ColdkeyId> cks;
  std::vector<subnetsim::chain::HotkeyId> hks;
  for (int i = 0; i < 8; ++i) cks.push_back(l.add_coldkey(Rao(1'000'000)));
  for (int i = 0; i < 4; ++i) hks.push_back(l.add_hotkey(cks[i]));
  auto pool = l.add_pool();
  for (int step = 0; step < 20'000; ++step) {
    const auto c = cks[rng() % cks.size()];
    const auto h = hks[rng() % hks.size()];
    const Rao amt(rng() % 300'000);
    switch (rng() % 7) {
      case 0: l.stake_from_balance(c, h, amt); break;
      case 1: l.unstake_to_balance(c, h, amt); break;
      case 2: l.move_stake(c, h, hks[rng() % hks.size()], amt); break;
      case 3: l.mint_to_pool(pool, amt); break;
      case 4:
        l.distribute_to_nominators(pool, h, Rao(std::min(amt.raw(), l.pool(pool).raw())),
                                   rng() % ((1ULL << 32) + 1));
        break;
      case 5: l.slash_into_pool(h, rng() % 1'000'000'000, rng() % 2 == 0, pool); break;
      case 6: l.burn_pool(pool, Rao(std::min(amt.raw(), l.pool(pool).raw()))); break;
    }
  }
  INFO(l.audit());
  CHECK(l.audit().empty());
}
