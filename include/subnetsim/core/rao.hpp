// Rao: an amount of TAO (or alpha) as the chain holds it, an integer number of rao
// (1 TAO = 1e9 rao). Every balance, stake and emission in the simulation is a Rao, so
// conservation checks are exact sums, never float comparisons.
//
// Invariant: the value is non-negative. Subtraction that would go below zero is a programming
// error (checked), because the ledger refuses such transfers before doing them.
#pragma once

#include <cmath>
#include <compare>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace subnetsim::core {

inline constexpr std::uint64_t kRaoPerTao = 1'000'000'000ULL;

// A raw rao count in TAO, for outputs (the same value as Rao(rao).tao()).
constexpr double rao_to_tao(std::uint64_t rao) {
  return static_cast<double>(rao) / static_cast<double>(kRaoPerTao);
}

class Rao {
 public:
  constexpr Rao() = default;
  constexpr explicit Rao(std::uint64_t rao) : rao_(rao) {}
  // TAO from a config value: rounded to the nearest rao; negative or non-finite values are a
  // programming error (the loader has range-checked them).
  static Rao from_tao(double tao) {
    if (!(tao >= 0.0) || tao > 1.8e10) throw std::logic_error("Rao::from_tao: out of range");
    // Rounded in doubles, then converted: std::llround returns a signed 64-bit count, which
    // cannot hold 9.3e9 TAO and more (it gave 2^63 rao: a total supply of 1e10 TAO capped the
    // issuance there, silently).
    return Rao(static_cast<std::uint64_t>(std::round(tao * static_cast<double>(kRaoPerTao))));
  }

  // floor(rao) of a computed amount (a stake times a shock factor, say): an amount that 64 bits
  // cannot count (>= 2^64 rao) throws std::overflow_error, which stops a run with exit 3, rather
  // than converting to an arbitrary value. Negative or NaN amounts are a programming error.
  static Rao floor_of(double rao) {
    if (!(rao >= 0.0)) throw std::logic_error("Rao::floor_of: negative or NaN amount");
    if (rao >= 0x1p64) throw std::overflow_error("Rao overflow");
    return Rao(static_cast<std::uint64_t>(rao));
  }

  constexpr std::uint64_t raw() const { return rao_; }
  constexpr double tao() const { return rao_to_tao(rao_); }

  constexpr Rao& operator+=(Rao o) {
    if (rao_ > std::numeric_limits<std::uint64_t>::max() - o.rao_) throw std::overflow_error("Rao overflow");
    rao_ += o.rao_;
    return *this;
  }
  constexpr Rao& operator-=(Rao o) {
    if (o.rao_ > rao_) throw std::logic_error("Rao underflow: a transfer exceeded its source");
    rao_ -= o.rao_;
    return *this;
  }
  friend constexpr Rao operator+(Rao a, Rao b) { return a += b; }
  friend constexpr Rao operator-(Rao a, Rao b) { return a -= b; }
  friend constexpr auto operator<=>(Rao, Rao) = default;

 private:
  std::uint64_t rao_ = 0;
};

// floor(amount * numerator / denominator) without overflow (128-bit intermediate).
__extension__ typedef unsigned __int128 U128;  // __extension__: accepted under -Wpedantic

// floor(a * b / c), c > 0, as static_cast<uint64_t>(U128(a) * b / c): the low 64 bits when the
// quotient does not fit. When c fits 64 bits and the quotient does too (the usual case: a share
// b <= c of an amount a), one x86-64 DIV of the 128-bit product does it inline, where the U128
// division calls libgcc's __udivti3, which gets to the same DIV through a call and branches on
// the operands (shares of every subnet's emission at every accrual, of every uid's pay at every
// epoch: 1% of network-year's profile).
inline std::uint64_t mul_div(std::uint64_t a, std::uint64_t b, U128 c) {
#if defined(__x86_64__) && defined(__GNUC__)
  if ((c >> 64) == 0) {
    const U128 p = static_cast<U128>(a) * b;
    const auto hi = static_cast<std::uint64_t>(p >> 64), lo = static_cast<std::uint64_t>(p);
    const auto d = static_cast<std::uint64_t>(c);
    if (hi < d) {  // the quotient fits: DIV cannot fault
      std::uint64_t q, r;
      __asm__("divq %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(d) : "cc");
      return q;
    }
  }
#endif
  return static_cast<std::uint64_t>(static_cast<U128>(a) * b / c);
}

inline Rao mul_div_floor(Rao amount, std::uint64_t numerator, std::uint64_t denominator) {
  if (denominator == 0) return Rao(0);
  return Rao(mul_div(amount.raw(), numerator, denominator));
}

std::string format_tao(Rao amount);  // "1,250.5 TAO"-style (4 decimals; to the rao below 0.00005),
                                     // for stories and logs
// The same to the last rao ("0.500000001 TAO"): for two amounts format_tao would print alike.
std::string format_tao_exact(Rao amount);

// floor(amount × x), with x read as the decimal it was written as in a scenario (the shortest
// one that reads back as the same double: 0.7 is 7/10 exactly, not 0.69999999999999996), so
// that 3,000 TAO × 0.7 is 2,100 TAO to the rao. x >= 0 (NaN and negatives count as 0); a
// decimal finer than 1e-18 is rounded to it. Throws std::overflow_error past 2^64 - 1 rao.
Rao scale_by_decimal(Rao amount, double x);

}  // namespace subnetsim::core
