#include "subnetsim/report/format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

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
