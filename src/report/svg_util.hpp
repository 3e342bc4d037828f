// Helpers shared by the SVG chart builders (internal to the report module).
#pragma once

#include <string>

namespace subnetsim::report::svg {

// A coordinate with one decimal: 12.345 -> "12.3".
std::string px(double v);
// <svg ...> opening tag of a chart w x h with an accessible title.
std::string open(int width, int height, const std::string& title);
// <text> at (x, y); anchor "start", "middle" or "end"; extra attributes appended verbatim.
std::string text(double x, double y, const std::string& content, const char* anchor = "start",
                 const std::string& extra = "");
// <line> from (x1, y1) to (x2, y2) with a stroke colour and optional dash pattern.
std::string line(double x1, double y1, double x2, double y2, const std::string& stroke,
                 const std::string& dash = "");

}  // namespace subnetsim::report::svg
