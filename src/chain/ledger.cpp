// GCC 12 sees a possible over-read in Boost's small_vector growth (copying from the inline
// buffer of one position when a second arrives), a known false positive at -O3; it holds for
// this file only, the one that grows positions.
#pragma GCC diagnostic ignored "-Wstringop-overread"

#include "subnetsim/chain/ledger.hpp"

#include <algorithm>

namespace subnetsim::chain {

namespace {
constexpr std::uint64_t kPpb = 1'000'000'000ULL;
}

ColdkeyId Ledger::add_coldkey(Rao genesis_balance) {
  balances_.push_back(Rao(0));
  const auto id = static_cast<ColdkeyId>(balances_.size() - 1);
  mint_to_balance(id, genesis_balance);
  return id;
}

HotkeyId Ledger::add_hotkey(ColdkeyId owner) {
  hotkeys_.push_back(Hotkey{owner, Rao(0), {}});
  return static_cast<HotkeyId>(hotkeys_.size() - 1);
}

PoolId Ledger::add_pool() {
  pools_.push_back(Rao(0));
  return static_cast<PoolId>(pools_.size() - 1);
}

Rao Ledger::stake_of(HotkeyId h, ColdkeyId c) const {
  const auto& pos = hotkeys_.at(h).positions;
  auto it = std::lower_bound(pos.begin(), pos.end(), c,
                             [](const StakePosition& p, ColdkeyId k) { return p.coldkey < k; });
  return (it != pos.end() && it->coldkey == c) ? it->amount : Rao(0);
}

Rao* Ledger::find_position(HotkeyId h, ColdkeyId c) {
  auto& pos = hotkeys_.at(h).positions;
  auto it = std::lower_bound(pos.begin(), pos.end(), c,
                             [](const StakePosition& p, ColdkeyId k) { return p.coldkey < k; });
  return (it != pos.end() && it->coldkey == c) ? &it->amount : nullptr;
}

void Ledger::add_to_position(HotkeyId h, ColdkeyId c, Rao amount) {
  auto& hk = hotkeys_.at(h);
  auto it = std::lower_bound(hk.positions.begin(), hk.positions.end(), c,
                             [](const StakePosition& p, ColdkeyId k) { return p.coldkey < k; });
  if (it != hk.positions.end() && it->coldkey == c) it->amount += amount;
  else hk.positions.insert(it, StakePosition{c, amount});
  hk.total += amount;
  total_stake_ += amount;
}

bool Ledger::take_from_position(HotkeyId h, ColdkeyId c, Rao amount) {
  Rao* p = find_position(h, c);
  if (p == nullptr ? amount.raw() != 0 : *p < amount) return false;
  if (p == nullptr) return true;
  *p -= amount;
  hotkeys_[h].total -= amount;
  total_stake_ -= amount;
  if (p->raw() == 0) {
    auto& pos = hotkeys_[h].positions;
    pos.erase(std::remove_if(pos.begin(), pos.end(),
                             [](const StakePosition& s) { return s.amount.raw() == 0; }),
              pos.end());
  }
  return true;
}

void Ledger::mint_to_pool(PoolId p, Rao amount) {
  pools_.at(p) += amount;
  total_pools_ += amount;
  issuance_ += amount;
}

void Ledger::mint_to_balance(ColdkeyId c, Rao amount) {
  balances_.at(c) += amount;
  total_balances_ += amount;
  issuance_ += amount;
}

void Ledger::mint_to_stake(HotkeyId h, ColdkeyId c, Rao amount) {
  add_to_position(h, c, amount);
  issuance_ += amount;
}

bool Ledger::transfer(ColdkeyId from, ColdkeyId to, Rao amount) {
  if (to >= balances_.size() || balances_.at(from) < amount) return false;
  balances_[from] -= amount;
  balances_.at(to) += amount;
  return true;
}

bool Ledger::stake_from_balance(ColdkeyId c, HotkeyId h, Rao amount) {
  if (balances_.at(c) < amount || h >= hotkeys_.size()) return false;
  balances_[c] -= amount;
  total_balances_ -= amount;
  add_to_position(h, c, amount);
  return true;
}

bool Ledger::unstake_to_balance(ColdkeyId c, HotkeyId h, Rao amount) {
  if (c >= balances_.size() || !take_from_position(h, c, amount)) return false;
  balances_[c] += amount;
  total_balances_ += amount;
  return true;
}

bool Ledger::move_stake(ColdkeyId c, HotkeyId from, HotkeyId to, Rao amount) {
  if (to >= hotkeys_.size() || !take_from_position(from, c, amount)) return false;
  add_to_position(to, c, amount);
  return true;
}

bool Ledger::pool_to_stake(PoolId p, HotkeyId h, ColdkeyId c, Rao amount) {
  if (pools_.at(p) < amount || h >= hotkeys_.size()) return false;
  pools_[p] -= amount;
  total_pools_ -= amount;
  add_to_position(h, c, amount);
  return true;
}

bool Ledger::pool_to_balance(PoolId p, ColdkeyId c, Rao amount) {
  if (pools_.at(p) < amount || c >= balances_.size()) return false;
  pools_[p] -= amount;
  total_pools_ -= amount;
  balances_[c] += amount;
  total_balances_ += amount;
  return true;
}

bool Ledger::pool_to_pool(PoolId from, PoolId to, Rao amount) {
  if (pools_.at(from) < amount || to >= pools_.size()) return false;
  pools_[from] -= amount;
  pools_[to] += amount;
  return true;
}

bool Ledger::stake_to_pool(HotkeyId h, ColdkeyId c, PoolId p, Rao amount) {
  if (p >= pools_.size() || !take_from_position(h, c, amount)) return false;
  pools_[p] += amount;
  total_pools_ += amount;
  return true;
}

bool Ledger::burn_balance(ColdkeyId c, Rao amount) {
  if (balances_.at(c) < amount) return false;
  balances_[c] -= amount;
  total_balances_ -= amount;
  burned_ += amount;
  return true;
}

bool Ledger::burn_pool(PoolId p, Rao amount) {
  if (pools_.at(p) < amount) return false;
  pools_[p] -= amount;
  total_pools_ -= amount;
  burned_ += amount;
  return true;
}

bool Ledger::recycle_pool(PoolId p, Rao amount) {
  if (pools_.at(p) < amount) return false;
  pools_[p] -= amount;
  total_pools_ -= amount;
  issuance_ -= amount;
  recycled_ += amount;
  return true;
}

bool Ledger::distribute_to_nominators(PoolId p, HotkeyId h, Rao amount, std::uint64_t take_q32) {
  if (pools_.at(p) < amount || h >= hotkeys_.size()) return false;
  pools_[p] -= amount;
  total_pools_ -= amount;
  Hotkey& hk = hotkeys_[h];
  constexpr std::uint64_t kQ32One = std::uint64_t{1} << 32;
  const Rao take = core::mul_div_floor(amount, std::min(take_q32, kQ32One), kQ32One);
  Rao rest = amount - take;
  Rao paid(0);
  const Rao base = hk.total;
  if (base.raw() != 0) {
    // Shares against the stake before this payment; positions are visited in coldkey order.
    auto& pos = hk.positions;
    for (auto& s : pos) {
      const Rao share = core::mul_div_floor(rest, s.amount.raw(), base.raw());
      s.amount += share;
      paid += share;
    }
    hk.total += paid;
    total_stake_ += paid;
  }
  add_to_position(h, hk.owner, take + (rest - paid));
  return true;
}

Rao Ledger::slash_into_pool(HotkeyId h, std::uint64_t fraction_ppb, bool owner_only, PoolId p) {
  Hotkey& hk = hotkeys_.at(h);
  Rao taken(0);
  for (auto& s : hk.positions) {
    if (owner_only && s.coldkey != hk.owner) continue;
    const Rao cut = core::mul_div_floor(s.amount, std::min(fraction_ppb, kPpb), kPpb);
    s.amount -= cut;
    taken += cut;
  }
  hk.positions.erase(std::remove_if(hk.positions.begin(), hk.positions.end(),
                                    [](const StakePosition& s) { return s.amount.raw() == 0; }),
                     hk.positions.end());
  hk.total -= taken;
  total_stake_ -= taken;
  pools_.at(p) += taken;
  total_pools_ += taken;
  return taken;
}

std::string Ledger::audit() const {
  Rao balances(0), stakes(0), pools(0);
  for (Rao b : balances_) balances += b;
  for (std::size_t h = 0; h < hotkeys_.size(); ++h) {
    Rao sum(0);
    for (const auto& s : hotkeys_[h].positions) sum += s.amount;
    if (sum != hotkeys_[h].total)
      return "hotkey " + std::to_string(h) + ": positions sum to " + std::to_string(sum.raw()) +
             " rao but its total says " + std::to_string(hotkeys_[h].total.raw());
    stakes += sum;
  }
  for (Rao p : pools_) pools += p;
  if (balances != total_balances_ || stakes != total_stake_ || pools != total_pools_)
    return "running totals drifted from the accounts";
  const Rao held = balances + stakes + pools + burned_;
  if (held != issuance_)
    return "issuance is " + std::to_string(issuance_.raw()) + " rao but balances + stakes + pools + "
           "burned hold " + std::to_string(held.raw()) + " rao";
  return {};
}

}  // namespace subnetsim::chain
