#include "subnetsim/report/format.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "subnetsim/core/number_text.hpp"

namespace subnetsim::report {

std::string group_digits(std::uint64_t value) {
  const std::string digits = std::to_string(value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

namespace {
void trim_zeros(std::string& s) {
  if (s.find('.') == std::string::npos) return;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
}
}  // namespace

std::string fmt_number(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(value));
  std::string s(buf);
  trim_zeros(s);
  const auto dot = s.find('.');
  const std::string whole = s.substr(0, dot), frac = dot == std::string::npos ? "" : s.substr(dot);
  std::string grouped = whole.size() > 15 ? whole : group_digits(std::stoull(whole));
  const bool negative = value < 0 && s != "0";
  return (negative ? "-" : "") + grouped + frac;
}

std::string fmt_short(double value, int digits) {
  if (!std::isfinite(value)) return "n/a";
  if (std::fabs(value) >= 1000) return fmt_number(value, 0);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, value);
  std::string s(buf);
  if (s.find('e') != std::string::npos) {
    const int decimals = digits - 1 - static_cast<int>(std::floor(std::log10(std::fabs(value))));
    std::snprintf(buf, sizeof buf, "%.*f", std::clamp(decimals, 0, 30), value);
    s = buf;
  }
  trim_zeros(s);
  return s == "-0" ? "0" : s;
}

std::string fmt_percent(double fraction) {
  const double p = fraction * 100.0;
  // Below 1%, two significant digits (0.0069%), so small shares do not read as 0%.
  if (p != 0 && std::fabs(p) < 1) return fmt_short(p, 2) + "%";
  return fmt_number(p, 1) + "%";
}

std::string fmt_percent_apart(double fraction, double bound) {
  std::string s = fmt_percent(fraction);
  if (fraction == bound || s != fmt_percent(bound)) return s;
  for (int decimals = 2; decimals <= 9; ++decimals) {
    s = fmt_number(fraction * 100.0, decimals) + "%";
    if (s != fmt_number(bound * 100.0, decimals) + "%") break;
  }
  return s;
}

std::string fmt_short_apart(double value, double bound) {
  std::string s = fmt_short(value);
  if (value == bound || s != fmt_short(bound)) return s;
  for (int digits = 4; digits <= 12; ++digits) {
    s = fmt_short(value, digits);
    if (s != fmt_short(bound, digits)) break;
  }
  return s;
}

std::string fmt_param(double value) {
  if (!std::isfinite(value)) return core::number_text(value);
  if (value == std::trunc(value) && std::fabs(value) < 1e15) return core::number_text(value);
  // Rounded to 6 significant digits, then written with the shortest digits that read back as
  // that (so 0.5000001 reads 0.5, and no exponent between 1e-4 and 1e15).
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", value);
  return core::number_text(std::strtod(buf, nullptr));
}

std::string shorten_numbers(std::string_view text) {
  const auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const char before = i > 0 ? text[i - 1] : ' ';
    const bool glued = std::isalnum(static_cast<unsigned char>(before)) != 0 || before == '.' ||
                       before == '_' || before == '/' || before == ',';
    if (!digit(text[i]) || glued) {
      out += text[i++];
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && digit(text[end])) ++end;
    bool decimal = false;
    if (end + 1 < text.size() && text[end] == '.' && digit(text[end + 1])) {
      decimal = true;
      ++end;
      while (end < text.size() && digit(text[end])) ++end;
    }
    if (end < text.size() && (text[end] == 'e' || text[end] == 'E')) {
      std::size_t exp = end + 1;
      if (exp < text.size() && (text[exp] == '+' || text[exp] == '-')) ++exp;
      if (exp < text.size() && digit(text[exp])) {
        decimal = true;
        end = exp;
        while (end < text.size() && digit(text[end])) ++end;
      }
    }
    const std::string token(text.substr(i, end - i));
    // A number followed by more of one (a version 0.1.0, a word) is not a value to round.
    const char after = end < text.size() ? text[end] : ' ';
    const bool followed = std::isalnum(static_cast<unsigned char>(after)) != 0 || after == '_' ||
                          (after == '.' && end + 1 < text.size() && digit(text[end + 1]));
    // Significant digits of the mantissa: all but the leading zeros (a trailing zero counts).
    std::size_t significant = 0;
    bool leading = true;
    for (const char c : token.substr(0, token.find_first_of("eE"))) {
      if (!digit(c) || (leading && c == '0')) continue;
      leading = false, ++significant;
    }
    out += decimal && !followed && significant > 6 ? fmt_param(std::strtod(token.c_str(), nullptr))
                                                   : token;
    i = end;
  }
  return out;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace subnetsim::report
