#include <algorithm>
#include <cmath>

#include "subnetsim/report/format.hpp"
#include "subnetsim/report/svg_chart.hpp"
#include "svg_util.hpp"

namespace subnetsim::report {

namespace {
constexpr double kLabelWidth = 190, kTextWidth = 190, kMaxTextWidth = 380, kTop = 28, kBottom = 40;
}

BarChart::BarChart(std::string title, std::string value_label, double max_value)
    : title_(std::move(title)), value_label_(std::move(value_label)), max_value_(max_value) {}

std::string BarChart::svg() const {
  double top = max_value_;
  if (top <= 0)
    for (const Bar& b : bars_) top = std::max(top, std::isfinite(b.value) ? b.value : 0.0);
  const std::vector<double> ticks = nice_ticks(0, top > 0 ? top : 1, 6);
  if (max_value_ <= 0) top = ticks.back();
  // The text after the bars gets more room when it needs it (a vote's "failed, no quorum
  // (turnout 49.7% < quorum 90%)" ran past the chart's edge): about 6.6 px a character at 12 px.
  std::size_t longest = 0;
  for (const Bar& b : bars_) longest = std::max(longest, b.text.size());
  const double text_w =
      std::clamp(static_cast<double>(longest) * 6.6 + 12, kTextWidth, kMaxTextWidth);
  const double plot_w = kWidth - kLabelWidth - text_w;
  const double plot_h = std::max<double>(1, static_cast<double>(bars_.size())) * kRowHeight;
  const auto sx = [&](double v) { return kLabelWidth + std::clamp(v / top, 0.0, 1.0) * plot_w; };
  const int height = static_cast<int>(kTop + plot_h + kBottom);

  std::string out = svg::open(kWidth, height, title_);
  out += svg::text(kLabelWidth, 16, title_, "start", "font-weight=\"bold\" font-size=\"13\"");
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
  for (double t : ticks) {
    if (t > top + 1e-12) continue;
    out += svg::line(sx(t), kTop, sx(t), kTop + plot_h + 4, "#e3e3e3");
    out += svg::text(sx(t), kTop + plot_h + 16, tick_label(t, step, tick_extent(ticks)), "middle",
                     "class=\"tick\"");
  }
  out += svg::text(kLabelWidth + plot_w / 2, kTop + plot_h + 34, value_label_, "middle");
  if (bars_.empty()) out += svg::text(kLabelWidth + plot_w / 2, kTop + 16, "no data", "middle", "fill=\"#888\"");
  for (std::size_t i = 0; i < bars_.size(); ++i) {
    const Bar& b = bars_[i];
    const double y = kTop + static_cast<double>(i) * kRowHeight;
    const double v = std::isfinite(b.value) ? b.value : 0.0;
    std::string label = b.label.size() > 30 ? b.label.substr(0, 29) + "…" : b.label;
    out += svg::text(kLabelWidth - 8, y + kRowHeight / 2 + 4, label, "end");
    out += "<rect x=\"" + svg::px(kLabelWidth) + "\" y=\"" + svg::px(y + 4) + "\" width=\"" +
           svg::px(sx(v) - kLabelWidth) + "\" height=\"" + svg::px(kRowHeight - 8) + "\" fill=\"" +
           (b.colour.empty() ? palette(0) : b.colour) + "\"><title>" + html_escape(b.label) + ": " +
           html_escape(b.text.empty() ? fmt_short(v, 4) : b.text) + "</title></rect>\n";
    if (b.reference)
      out += "<line x1=\"" + svg::px(sx(*b.reference)) + "\" y1=\"" + svg::px(y + 1) + "\" x2=\"" +
             svg::px(sx(*b.reference)) + "\" y2=\"" + svg::px(y + kRowHeight - 1) +
             "\" stroke=\"#000\" stroke-width=\"2\"/>\n";
    out += svg::text(kLabelWidth + plot_w + 8, y + kRowHeight / 2 + 4, b.text.empty() ? fmt_short(v, 4) : b.text);
  }
  out += svg::line(kLabelWidth, kTop, kLabelWidth, kTop + plot_h, "#888");
  return out + "</svg>\n";
}

}  // namespace subnetsim::report
