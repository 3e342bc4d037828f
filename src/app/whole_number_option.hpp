// WholeNumber<Min, Max>: a command-line value that must be a whole number in [Min, Max], written
// in decimal digits (or as a JSON number that is whole, "1e3", as --set reads it). Boost's own conversion to an unsigned type takes "-1" and wraps it to
// the largest value (a run with 4 billion threads, a horizon of 18 quintillion blocks); this
// type rejects it when the arguments are parsed, naming the option:
//   --threads: expected a whole number from 1 to 1024, got "-1"
// Invariant: value is in [Min, Max].
#pragma once

#include <boost/any.hpp>
#include <boost/program_options.hpp>
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

namespace subnetsim::app {

template <std::uint64_t Min, std::uint64_t Max>
struct WholeNumber {
  static_assert(Min <= Max);
  std::uint64_t value = Min;
};

// Found by Boost.Program_options through argument-dependent lookup.
template <std::uint64_t Min, std::uint64_t Max>
void validate(boost::any& out, const std::vector<std::string>& values, WholeNumber<Min, Max>*, int) {
  namespace po = boost::program_options;
  po::validators::check_first_occurrence(out);
  const std::string& text = po::validators::get_single_string(values);
  std::uint64_t v = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  const bool digits_only = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  bool ok = digits_only && ec == std::errc() && ptr == end;
  if (!digits_only) {
    // A whole number in a JSON number's other forms, as --set takes it ("1e3", "7200.0"), up to
    // 2^53 (a double is exact there); still no sign, nothing else.
    double x = 0.0;
    const auto [dptr, dec] = std::from_chars(text.data(), end, x);
    ok = dec == std::errc() && dptr == end && text.find_first_of("+-") == std::string::npos &&
         x >= 0 && x <= 0x1p53 && x == static_cast<double>(static_cast<std::uint64_t>(x));
    if (ok) v = static_cast<std::uint64_t>(x);
  }
  if (!ok || v < Min || v > Max)
    throw po::error_with_option_name("%canonical_option%: expected a whole number from " +
                                     std::to_string(Min) + " to " + std::to_string(Max) +
                                     ", got \"" + text + "\"");
  out = WholeNumber<Min, Max>{v};
}

// Common ranges.
using ThreadCount = WholeNumber<1, 1024>;  // worker threads (or sweep jobs)
using SeedValue = WholeNumber<0, UINT64_MAX>;
using BlockCount = WholeNumber<1, 1'000'000'000'000>;  // as the scenario's horizon_blocks
using PositiveCount = WholeNumber<1, UINT64_MAX>;

}  // namespace subnetsim::app
