// Ledger: where every rao of the simulated economy is, and the only code that moves it.
//
// Value sits in exactly one of: a coldkey's free balance, a stake position (hotkey, nominator
// coldkey), or a pool (pending emission and other in-protocol holdings, by PoolId). Burned value
// is counted but held by nobody. Minting raises issuance; recycling lowers it (as on chain).
//
// Invariant (conservation, exact in integer rao, verified by audit()):
//     issuance == Σ balances + Σ stakes + Σ pools + burned
// Every transfer either completes or refuses (returns false, changes nothing): a source never
// goes negative. Running totals are kept incrementally; audit() recomputes them from scratch, so
// a bookkeeping bug is caught rather than trusted.
#pragma once

#include <boost/container/small_vector.hpp>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "subnetsim/core/rao.hpp"

namespace subnetsim::chain {

using core::Rao;
using ColdkeyId = std::uint32_t;
using HotkeyId = std::uint32_t;
using PoolId = std::uint32_t;

struct StakePosition {
  ColdkeyId coldkey;
  Rao amount;
};

class Ledger {
 public:
  // Accounts and pools. Genesis amounts are minted (they count as issued).
  ColdkeyId add_coldkey(Rao genesis_balance = Rao(0));
  HotkeyId add_hotkey(ColdkeyId owner);
  PoolId add_pool();

  std::size_t coldkey_count() const { return balances_.size(); }
  std::size_t hotkey_count() const { return hotkeys_.size(); }
  Rao balance(ColdkeyId c) const { return balances_.at(c); }
  Rao stake(HotkeyId h) const { return hotkeys_.at(h).total; }
  Rao stake_of(HotkeyId h, ColdkeyId c) const;
  Rao self_stake(HotkeyId h) const { return stake_of(h, owner(h)); }
  ColdkeyId owner(HotkeyId h) const { return hotkeys_.at(h).owner; }
  std::span<const StakePosition> positions(HotkeyId h) const {
    const auto& p = hotkeys_.at(h).positions;
    return {p.data(), p.size()};
  }
  Rao pool(PoolId p) const { return pools_.at(p); }

  Rao issuance() const { return issuance_; }
  Rao burned() const { return burned_; }
  Rao recycled() const { return recycled_; }
  Rao total_balances() const { return total_balances_; }
  Rao total_stake() const { return total_stake_; }
  Rao total_pools() const { return total_pools_; }

  // --- minting (issuance grows) ---
  void mint_to_pool(PoolId p, Rao amount);
  void mint_to_balance(ColdkeyId c, Rao amount);
  void mint_to_stake(HotkeyId h, ColdkeyId c, Rao amount);

  // --- transfers (false = refused, nothing changed) ---
  bool transfer(ColdkeyId from, ColdkeyId to, Rao amount);
  bool stake_from_balance(ColdkeyId c, HotkeyId h, Rao amount);
  bool unstake_to_balance(ColdkeyId c, HotkeyId h, Rao amount);
  bool move_stake(ColdkeyId c, HotkeyId from, HotkeyId to, Rao amount);
  bool pool_to_stake(PoolId p, HotkeyId h, ColdkeyId c, Rao amount);
  bool pool_to_balance(PoolId p, ColdkeyId c, Rao amount);
  bool pool_to_pool(PoolId from, PoolId to, Rao amount);
  bool stake_to_pool(HotkeyId h, ColdkeyId c, PoolId p, Rao amount);

  // --- sinks ---
  bool burn_balance(ColdkeyId c, Rao amount);       // burned: still counted in issuance
  bool burn_pool(PoolId p, Rao amount);
  bool recycle_pool(PoolId p, Rao amount);          // recycled: issuance falls

  // Pays `amount` from pool `p` to hotkey h's nominators: the owner first keeps
  // floor(amount * take_q32 / 2^32) ("validator take", the chain's U96F32 product; take_q32 is at
  // most 2^32), the rest is shared pro rata to each position's stake (floor), and the rounding
  // remainder goes to the owner's own position. With no stake on h, everything goes to the
  // owner. Refused if the pool lacks the amount.
  bool distribute_to_nominators(PoolId p, HotkeyId h, Rao amount, std::uint64_t take_q32);

  // Takes floor(position * fraction_ppb / 1e9) from each position of h (only the owner's when
  // `owner_only`) into pool p. Returns the total taken.
  Rao slash_into_pool(HotkeyId h, std::uint64_t fraction_ppb, bool owner_only, PoolId p);

  // The conservation identity on the running totals, O(1): cheap enough for every epoch.
  bool conserved() const {
    return total_balances_ + total_stake_ + total_pools_ + burned_ == issuance_;
  }
  // Recomputes every total from scratch (O(accounts + positions)); empty string when
  // conservation holds, else a message naming the mismatch.
  std::string audit() const;

 private:
  struct Hotkey {
    ColdkeyId owner;
    Rao total;
    // Sorted by coldkey. Most hotkeys hold only their owner's stake: that position lives in
    // the record itself, so paying a hotkey touches one cache line rather than two (a miss
    // each in a large network, whose records are cold when a subnet's epoch comes round).
    boost::container::small_vector<StakePosition, 1> positions;
  };
  Rao* find_position(HotkeyId h, ColdkeyId c);
  void add_to_position(HotkeyId h, ColdkeyId c, Rao amount);
  bool take_from_position(HotkeyId h, ColdkeyId c, Rao amount);

  std::vector<Rao> balances_;
  std::vector<Hotkey> hotkeys_;
  std::vector<Rao> pools_;
  Rao issuance_, burned_, recycled_;
  Rao total_balances_, total_stake_, total_pools_;
};

}  // namespace subnetsim::chain
