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
// A parameter's value as stories tell it: an integer whole, without separators (1500, 21000000),
// any other number with at most 6 significant digits (0.49999237048905165 -> "0.499992"). Only
// for reading: CSV and JSON outputs keep every digit.
std::string fmt_param(double value);
// `text` with each decimal number of more than 6 significant digits written as fmt_param
// writes it ("kappa 0.49999237048905165 -> 0.6" -> "kappa 0.499992 -> 0.6"); the rest of the
// text as it is. A number glued to a word, a '/' or a ',' (a path, "x0.5", a part of
// "1,020.5640453") is left alone.
std::string shorten_numbers(std::string_view text);
// Text made safe inside HTML elements and attribute values (& < > " ').
std::string html_escape(std::string_view text);

}  // namespace subnetsim::report
