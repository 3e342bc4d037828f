#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "subnetsim/report/format.hpp"
#include "subnetsim/report/svg_chart.hpp"
#include "svg_util.hpp"

namespace subnetsim::report {

namespace {
constexpr double kLeft = 78, kRight = 20, kPlotTop = 28, kPlotBottom = 44;  // plot margins
constexpr double kLegendRow = 18, kLegendColumn = 210;
constexpr int kLegendPerRow = 4;
}  // namespace

LineChart::LineChart(std::string title, std::string x_label, std::string y_label)
    : title_(std::move(title)), x_label_(std::move(x_label)), y_label_(std::move(y_label)) {}

std::string LineChart::svg() const {
  // Data ranges (finite points only); y includes 0 unless fixed.
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo, y_lo = 0, y_hi = 0;
  bool any = false;
  for (const Series& s : series_)
    for (std::size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      any = true;
      x_lo = std::min(x_lo, s.x[i]), x_hi = std::max(x_hi, s.x[i]);
      y_lo = std::min(y_lo, s.y[i]), y_hi = std::max(y_hi, s.y[i]);
    }
  if (!any) x_lo = 0, x_hi = 1;
  // Blocks and shares start at 0: a small positive offset (the first epoch's block) would
  // otherwise hide the axis origin.
  if (x_lo > 0 && x_lo < 0.2 * (x_hi - x_lo)) x_lo = 0;
  if (x_range_) std::tie(x_lo, x_hi) = *x_range_;
  const std::vector<double> x_ticks = nice_ticks(x_lo, x_hi, 8);
  std::vector<double> y_ticks = nice_ticks(y_lo, y_hi, 6);
  if (y_range_) y_ticks = nice_ticks(y_range_->first, y_range_->second, 6);
  // The x axis spans the data (ticks inside it); the y axis spans its ticks.
  if (x_hi == x_lo) x_lo = x_ticks.front(), x_hi = x_ticks.back();
  const double y0 = y_range_ ? y_range_->first : y_ticks.front();
  const double y1 = y_range_ ? y_range_->second : y_ticks.back();

  const double plot_w = kWidth - kLeft - kRight, plot_h = kPlotHeight;
  const auto sx = [&](double x) { return kLeft + (x - x_lo) / (x_hi - x_lo) * plot_w; };
  const auto sy = [&](double y) { return kPlotTop + (y1 - y) / (y1 - y0) * plot_h; };
  // Every named series has a legend entry, a chart's only line too: the axes do not say which
  // group or quantity it is.
  const auto named = static_cast<std::size_t>(
      std::count_if(series_.begin(), series_.end(), [](const Series& s) { return !s.name.empty(); }));
  const std::size_t legend_rows = (named + kLegendPerRow - 1) / kLegendPerRow;
  const int height = static_cast<int>(kPlotTop + plot_h + kPlotBottom +
                                      static_cast<double>(legend_rows) * kLegendRow + 6);

  std::string out = svg::open(kWidth, height, title_);
  out += svg::text(kLeft, 16, title_, "start", "font-weight=\"bold\" font-size=\"13\"");
  out += "<rect x=\"" + svg::px(kLeft) + "\" y=\"" + svg::px(kPlotTop) + "\" width=\"" +
         svg::px(plot_w) + "\" height=\"" + svg::px(plot_h) +
         "\" fill=\"none\" stroke=\"#888\"/>\n";
  const double y_step = y_ticks.size() > 1 ? y_ticks[1] - y_ticks[0] : 1;
  for (double t : y_ticks) {
    if (t < y0 - 1e-12 || t > y1 + 1e-12) continue;
    out += svg::line(kLeft, sy(t), kLeft + plot_w, sy(t), "#e3e3e3");
    out += svg::text(kLeft - 6, sy(t) + 4, tick_label(t, y_step, tick_extent(y_ticks)), "end",
                     "class=\"tick\"");
  }
  const double x_step = x_ticks.size() > 1 ? x_ticks[1] - x_ticks[0] : 1;
  for (double t : x_ticks) {
    if (t < x_lo - 1e-12 || t > x_hi + 1e-12) continue;
    out += svg::line(sx(t), kPlotTop + plot_h, sx(t), kPlotTop + plot_h + 5, "#888");
    out += svg::text(sx(t), kPlotTop + plot_h + 18, tick_label(t, x_step, tick_extent(x_ticks)),
                     "middle", "class=\"tick\"");
  }
  out += svg::text(kLeft + plot_w / 2, kPlotTop + plot_h + 36, x_label_, "middle");
  out += svg::text(16, kPlotTop + plot_h / 2, y_label_, "middle",
                   "transform=\"rotate(-90 16 " + svg::px(kPlotTop + plot_h / 2) + ")\"");
  if (!any)
    out +=
        svg::text(kLeft + plot_w / 2, kPlotTop + plot_h / 2, "no data", "middle", "fill=\"#888\"");

  std::size_t entry = 0;  // legend entries so far
  for (std::size_t k = 0; k < series_.size(); ++k) {
    const Series& s = series_[k];
    const std::string colour = s.colour.empty() ? palette(k) : s.colour;
    // Runs of finite points: a non-finite one (a gap in the data) ends a run, and the line
    // breaks there rather than joining its two sides with a straight line.
    std::vector<std::vector<std::size_t>> runs(1);
    std::size_t finite = 0;
    for (std::size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i) {
      if (std::isfinite(s.x[i]) && std::isfinite(s.y[i])) {
        runs.back().push_back(i), ++finite;
      } else if (!runs.back().empty()) {
        runs.emplace_back();
      }
    }
    if (runs.back().empty() && runs.size() > 1) runs.pop_back();
    for (const auto& run : runs) {
      // Each run gets its share of the points (its ends always kept).
      const std::size_t share =
          std::max<std::size_t>(std::min<std::size_t>(run.size(), 2),
                                kMaxPoints * run.size() / std::max<std::size_t>(finite, 1));
      std::string points;
      for (std::size_t j : downsample_indices(run.size(), share)) {
        const std::size_t i = run[j];
        points += (points.empty() ? "" : " ") + svg::px(sx(s.x[i])) + "," + svg::px(sy(s.y[i]));
      }
      out += "<polyline fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"1.6\"" +
             (s.dashed ? " stroke-dasharray=\"5 4\"" : "") + " points=\"" + points + "\"><title>" +
             html_escape(s.name) + "</title></polyline>\n";
      // A line of one point draws nothing: a dot shows it.
      if (run.size() == 1)
        out += "<circle cx=\"" + svg::px(sx(s.x[run[0]])) + "\" cy=\"" + svg::px(sy(s.y[run[0]])) +
               "\" r=\"2.5\" fill=\"" + colour + "\"><title>" + html_escape(s.name) +
               "</title></circle>\n";
    }
    if (!s.name.empty()) {
      const double lx = kLeft + static_cast<double>(entry % kLegendPerRow) * kLegendColumn;
      const double ly = kPlotTop + plot_h + kPlotBottom +
                        static_cast<double>(entry / kLegendPerRow) * kLegendRow + 4;
      ++entry;
      // The swatch: a thick stroke, dashed like its line.
      out += "<path d=\"M" + svg::px(lx) + " " + svg::px(ly - 4) + "h22\" stroke=\"" + colour +
             "\" stroke-width=\"3\"" + (s.dashed ? " stroke-dasharray=\"5 3\"" : "") + "/>\n";
      std::string name = s.name.size() > 28 ? s.name.substr(0, 27) + "…" : s.name;
      out += svg::text(lx + 28, ly, name, "start", "class=\"legend\"");
    }
  }
  for (const Marker& m : markers_)
    out += "<circle cx=\"" + svg::px(sx(m.x)) + "\" cy=\"" + svg::px(sy(m.y)) +
           "\" r=\"3.5\" fill=\"#fff\" stroke=\"#c00\" stroke-width=\"1.5\"><title>" + html_escape(m.label) +
           "</title></circle>\n";
  return out + "</svg>\n";
}

}  // namespace subnetsim::report
