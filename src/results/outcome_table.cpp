#include "subnetsim/results/outcome_table.hpp"

#include <array>
#include <ostream>
#include <string>

#include "subnetsim/results/expectation_text.hpp"
#include "subnetsim/results/number_text.hpp"

namespace subnetsim::results {
namespace {

// Columns a terminal gives `text`: one per UTF-8 character, not per byte (a plus-minus sign in
// a metric name is one character in two bytes; counting bytes put every column after it one
// space out). Continuation bytes (10xxxxxx) start no character. Wide (East Asian) characters
// count one: they are rare in metric names and would need tables we do not carry.
std::size_t display_width(const std::string& text) {
  std::size_t width = 0;
  for (const char ch : text) width += (static_cast<unsigned char>(ch) & 0xc0u) != 0x80u ? 1 : 0;
  return width;
}

}  // namespace

void print_outcomes(std::ostream& out, const std::vector<ExpectationOutcome>& outcomes) {
  using Row = std::array<std::string, 6>;
  std::vector<Row> rows{{"result", "metric", "at", "expected", "actual", "reason"}};
  for (const auto& o : outcomes)
    rows.push_back({o.passed ? "PASS" : "FAIL", o.expectation.metric, at_text(o.expectation),
                    expected_text(o.expectation), o.actual ? number_text(*o.actual) : "-", o.reason});
  std::array<std::size_t, 6> width{};
  for (const Row& r : rows)
    for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], display_width(r[c]));
  if (!outcomes.empty()) {
    for (const Row& r : rows) {
      std::string line;
      for (std::size_t c = 0; c + 1 < r.size(); ++c)
        line += r[c] + std::string(width[c] - display_width(r[c]) + 2, ' ');
      out << line << r.back() << '\n';
    }
  }
  const std::size_t failed = count_failed(outcomes);
  out << outcomes.size() << (outcomes.size() == 1 ? " expectation: " : " expectations: ")
      << outcomes.size() - failed << " passed, " << failed << " failed\n";
}

}  // namespace subnetsim::results
