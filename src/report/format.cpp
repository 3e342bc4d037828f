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
