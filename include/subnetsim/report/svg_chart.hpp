// Small SVG chart builders for report.html: a line chart (series of x/y points, markers, axes
// with "nice" ticks, a legend) and a horizontal bar chart (labelled bars, optional reference tick
// per bar). Output is a standalone <svg> element: inline styles only, no scripts, no external
// references, so it prints and embeds anywhere.
//
// Invariants: a line chart draws at most kMaxPoints points per series (downsample_indices keeps
// the first and last point and spreads the rest evenly; a series broken into runs gives each run
// its share, and at least its two ends); a non-finite point is a gap in the data: it is not
// drawn, and the line breaks there (one <polyline> per run of finite points); an
// empty chart still renders its frame and says "no data"; every named series, a chart's only one
// too, has a legend entry (an unnamed one has none). Pixel coordinates are printed with
// one decimal, so output is deterministic for given input.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace subnetsim::report {

// Ticks at 1, 2 or 5 x 10^k covering [lo, hi] with at most max_ticks values (ascending). When
// lo == hi the range is widened around the value.
std::vector<double> nice_ticks(double lo, double hi, int max_ticks = 6);
// A tick's label: thousands separators, "k"/"M" when the axis reaches 1e5 / 1e6 (`extent`, the
// largest |tick| of the axis, so that one axis never mixes 50,000 with 100k), decimals as the
// step needs.
std::string tick_label(double value, double step, double extent);
// The largest |tick| of `ticks` (0 when none).
double tick_extent(const std::vector<double>& ticks);
// Indices of at most max_points of n points: all when n <= max_points, else evenly spread,
// always including 0 and n - 1.
std::vector<std::size_t> downsample_indices(std::size_t n, std::size_t max_points);
// The i-th colour of the chart palette (cycles after 12); kOtherColour for "others".
std::string palette(std::size_t i);
inline constexpr const char* kOtherColour = "#9a9a9a";

struct Series {
  std::string name;
  std::vector<double> x, y;
  std::string colour;   // "" = palette by position
  bool dashed = false;
};

class LineChart {
 public:
  static constexpr std::size_t kMaxPoints = 1000;
  static constexpr int kWidth = 880, kPlotHeight = 260;

  LineChart(std::string title, std::string x_label, std::string y_label);

  void add(Series s) { series_.push_back(std::move(s)); }
  // A circle at (x, y) with a hover title, e.g. a slash.
  void add_marker(double x, double y, std::string label) { markers_.push_back({x, y, std::move(label)}); }
  // Fixed ranges instead of the data's (the y range includes 0 by default).
  void set_x_range(double lo, double hi) { x_range_ = {lo, hi}; }
  void set_y_range(double lo, double hi) { y_range_ = {lo, hi}; }

  std::string svg() const;

 private:
  struct Marker {
    double x, y;
    std::string label;
  };
  std::string title_, x_label_, y_label_;
  std::vector<Series> series_;
  std::vector<Marker> markers_;
  std::optional<std::pair<double, double>> x_range_, y_range_;
};

struct Bar {
  std::string label;
  double value = 0.0;
  std::string text;                  // shown after the bar; "" = the value
  std::optional<double> reference;   // a tick across the bar (e.g. a threshold)
  std::string colour;                // "" = palette(0)
};

class BarChart {
 public:
  static constexpr int kWidth = 880, kRowHeight = 24;

  // max_value 0: the largest bar's value.
  BarChart(std::string title, std::string value_label, double max_value = 0.0);
  void add(Bar b) { bars_.push_back(std::move(b)); }
  std::string svg() const;

 private:
  std::string title_, value_label_;
  double max_value_;
  std::vector<Bar> bars_;
};

}  // namespace subnetsim::report
