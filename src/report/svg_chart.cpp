// Ticks, labels, downsampling, palette and SVG primitives shared by the charts.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "subnetsim/report/format.hpp"
#include "subnetsim/report/svg_chart.hpp"
#include "svg_util.hpp"

namespace subnetsim::report {

std::vector<double> nice_ticks(double lo, double hi, int max_ticks) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {0.0, 1.0};
  if (hi < lo) std::swap(lo, hi);
  if (hi == lo) {
    const double pad = lo == 0 ? 1.0 : std::fabs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  max_ticks = std::max(max_ticks, 2);
  const double raw = (hi - lo) / (max_ticks - 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude * 10;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * magnitude >= raw * (1 - 1e-9)) {
      step = m * magnitude;
      break;
    }
  // Ticks covering [lo, hi]: from the last multiple of step at or below lo to the first at or
  // above hi; the step grows until that fits in max_ticks.
  for (;;) {
    const double first = std::floor(lo / step + 1e-9) * step, last = std::ceil(hi / step - 1e-9) * step;
    const double count_d = std::round((last - first) / step) + 1;  // as a double: no overflow
    if (count_d <= max_ticks) {
      const auto count = static_cast<int>(count_d);
      std::vector<double> ticks;
      for (int i = 0; i < count; ++i) {
        const double t = first + i * step;
        ticks.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
      }
      return ticks;
    }
    const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    step *= mantissa < 1.5 ? 2.0 : mantissa < 3 ? 2.5 : 2.0;
  }
}

std::string tick_label(double value, double step, double extent) {
  if (value == 0) return "0";
  if (extent >= 1e6 && step >= 1e5) return fmt_short(value / 1e6, 4) + "M";
  if (extent >= 1e5 && step >= 1e4) return fmt_short(value / 1e3, 4) + "k";
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  return fmt_number(value, std::min(decimals + 1, 9));
}

double tick_extent(const std::vector<double>& ticks) {
  double e = 0.0;
  for (double t : ticks) e = std::max(e, std::fabs(t));
  return e;
}

std::vector<std::size_t> downsample_indices(std::size_t n, std::size_t max_points) {
  std::vector<std::size_t> out;
  if (n <= max_points) {
    for (std::size_t i = 0; i < n; ++i) out.push_back(i);
    return out;
  }
  if (max_points < 2) return max_points == 1 ? std::vector<std::size_t>{0} : out;
  for (std::size_t k = 0; k < max_points; ++k)
    out.push_back(static_cast<std::size_t>(
        std::floor(static_cast<double>(k) * static_cast<double>(n - 1) / static_cast<double>(max_points - 1) + 0.5)));
  return out;
}

std::string palette(std::size_t i) {
  static const char* kColours[] = {"#1f5fa8", "#d1342f", "#2a9d3a", "#e08a00", "#7b4fb5", "#8c564b",
                                   "#d6559f", "#1aa5b8", "#9a9a1c", "#3b3b3b", "#5fa8e8", "#f08f7a"};
  return kColours[i % std::size(kColours)];
}

namespace svg {

std::string px(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return std::string(buf) == "-0.0" ? "0.0" : buf;
}

std::string open(int width, int height, const std::string& title) {
  const std::string w = std::to_string(width), h = std::to_string(height);
  return "<svg class=\"chart\" viewBox=\"0 0 " + w + " " + h +
         "\" width=\"" + w + "\" height=\"" + h + "\" role=\"img\" aria-label=\"" + html_escape(title) +
         "\" font-family=\"sans-serif\" font-size=\"12\">\n<title>" + html_escape(title) + "</title>\n";
}

std::string text(double x, double y, const std::string& content, const char* anchor, const std::string& extra) {
  return "<text x=\"" + px(x) + "\" y=\"" + px(y) + "\" text-anchor=\"" + anchor + "\"" +
         (extra.empty() ? "" : " " + extra) + ">" + html_escape(content) + "</text>\n";
}

std::string line(double x1, double y1, double x2, double y2, const std::string& stroke, const std::string& dash) {
  return "<line x1=\"" + px(x1) + "\" y1=\"" + px(y1) + "\" x2=\"" + px(x2) + "\" y2=\"" + px(y2) +
         "\" stroke=\"" + stroke + "\"" + (dash.empty() ? "" : " stroke-dasharray=\"" + dash + "\"") + "/>\n";
}

}  // namespace svg
}  // namespace subnetsim::report
