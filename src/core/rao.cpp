#include "subnetsim/core/rao.hpp"

#include <cstdio>

namespace subnetsim::core {

std::string format_tao(Rao amount) {
  // Whole TAO with thousands separators, then up to 4 decimals, rounded half up (as the
  // events' amount columns would be read at 4 decimals, not cut).
  std::uint64_t whole = amount.raw() / kRaoPerTao;
  std::uint64_t frac = (amount.raw() % kRaoPerTao + 50'000) / 100'000;  // 4 decimals
  if (frac == 10'000) {
    ++whole;
    frac = 0;
  }
  std::string digits = std::to_string(whole), grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  if (frac != 0) {
    char buf[8];
    std::snprintf(buf, sizeof buf, ".%04llu", static_cast<unsigned long long>(frac));
    std::string f(buf);
    while (f.back() == '0') f.pop_back();
    grouped += f;
  }
  return grouped + " TAO";
}

}  // namespace subnetsim::core
