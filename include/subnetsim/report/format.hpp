// Number and text formatting for stories and reports: thousands separators, short percentages,
// compact decimals, and HTML escaping.
//
// Invariants: every function is pure and locale-independent ('.' decimal point, ',' thousands
// separator); non-finite numbers print as "n/a".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace subnetsim::report {

// 4812 -> "4,812".
std::string group_digits(std::uint64_t value);
// A number with thousands separators and at most `decimals` decimals, trailing zeros dropped:
// (1250.5, 2) -> "1,250.5"; (-3, 2) -> "-3".
std::string fmt_number(double value, int decimals = 2);
// A value with `digits` significant digits, no exponent for ordinary magnitudes: 0.1234 -> "0.123".
std::string fmt_short(double value, int digits = 3);
// A fraction as a percentage with up to one decimal: 0.1 -> "10%", 0.7126 -> "71.3%"; below 1%
// with two significant digits: 0.000069 -> "0.0069%".
std::string fmt_percent(double fraction);

// `value` as fmt_percent / fmt_short write it, with more digits when it would otherwise read
// the same as the `bound` it is compared with (24.97% of a 25% margin read "25%").
std::string fmt_percent_apart(double fraction, double bound);
std::string fmt_short_apart(double value, double bound);
// Text made safe inside HTML elements and attribute values (& < > " ').
std::string html_escape(std::string_view text);

}  // namespace subnetsim::report
