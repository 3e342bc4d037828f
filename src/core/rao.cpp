#include "subnetsim/core/rao.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string_view>

namespace subnetsim::core {

namespace {
// Whole TAO with thousands separators, then `decimals` (4 or 9) decimals rounded half up,
// trailing zeros dropped.
std::string tao_text(Rao amount, int decimals) {
  const std::uint64_t unit = decimals == 9 ? 1 : 100'000;  // rao per last decimal
  const std::uint64_t per_tao = kRaoPerTao / unit;
  std::uint64_t whole = amount.raw() / kRaoPerTao;
  std::uint64_t frac = (amount.raw() % kRaoPerTao + unit / 2) / unit;
  if (frac == per_tao) {
    ++whole;
    frac = 0;
  }
  std::string digits = std::to_string(whole), grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  if (frac != 0) {
    char buf[16];
    std::snprintf(buf, sizeof buf, ".%0*llu", decimals, static_cast<unsigned long long>(frac));
    std::string f(buf);
    while (f.back() == '0') f.pop_back();
    grouped += f;
  }
  return grouped + " TAO";
}
}  // namespace

// Rounded half up to 4 decimals, as the events' amount columns would be read, not cut. An
// amount that would round to 0 is shown to the rao: a stake of 3.2e-5 TAO read "0 TAO".
std::string format_tao(Rao amount) {
  const bool rounds_to_zero = amount.raw() > 0 && amount.raw() < 50'000;
  return tao_text(amount, rounds_to_zero ? 9 : 4);
}
std::string format_tao_exact(Rao amount) { return tao_text(amount, 9); }

Rao scale_by_decimal(Rao amount, double x) {
  if (!(x > 0.0) || amount.raw() == 0) return Rao(0);
  if (!std::isfinite(x)) throw std::overflow_error("Rao overflow");
  // The shortest decimal that reads back as x, "d.ddde±XX": x = M × 10^p, M its digits.
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  const std::string_view text(buf, static_cast<std::size_t>(res.ptr - buf));
  const std::size_t e = text.find('e');
  std::uint64_t m = 0;
  int digits = 0;
  for (std::size_t i = 0; i < e; ++i)
    if (text[i] >= '0' && text[i] <= '9')
      m = m * 10 + static_cast<std::uint64_t>(text[i] - '0'), ++digits;
  int exp10 = 0;
  const char* from = text.data() + e + 1 + (text[e + 1] == '+' ? 1 : 0);
  std::from_chars(from, text.data() + text.size(), exp10);
  int p = exp10 - (digits - 1);
  // Finer than 1e-18: round M to the 1e-18 grid (10^-p fits 64 bits up to p = -19).
  while (p < -18) {
    m = (m + 5) / 10;
    ++p;
  }
  U128 value = static_cast<U128>(amount.raw()) * m;
  constexpr U128 kMax = static_cast<U128>(UINT64_MAX);
  if (p >= 0) {
    for (int k = 0; k < p; ++k) {
      if (value > kMax) throw std::overflow_error("Rao overflow");
      value *= 10;
    }
  } else {
    U128 den = 1;
    for (int k = 0; k < -p; ++k) den *= 10;
    value /= den;
  }
  if (value > kMax) throw std::overflow_error("Rao overflow");
  return Rao(static_cast<std::uint64_t>(value));
}

}  // namespace subnetsim::core
