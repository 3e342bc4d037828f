// The cases' outputs: tidy CSV, Markdown tables, the HTML page with its charts.
#include <filesystem>

#include "subnetsim/cases/cases.hpp"
#include "subnetsim/metrics/csv_file.hpp"
#include "subnetsim/metrics/csv_writer.hpp"
#include "subnetsim/report/format.hpp"
#include "subnetsim/report/svg_chart.hpp"

namespace subnetsim::cases {

namespace {

using Table = std::vector<std::vector<std::string>>;  // header row first

// Per case: validator, stake share, then per variant "total (share)".
Table comparison(const CaseResult& c) {
  Table t;
  std::vector<std::string> header = {"validator", "stake share"};
  for (const VariantRun& r : c.runs) header.push_back(r.variant + (r.variant == c.own_variant ? " (own)" : ""));
  t.push_back(header);
  const VariantRun* reference = nullptr;  // the stake share comes from the first completed run
  for (const VariantRun& r : c.runs)
    if (r.completed && reference == nullptr) reference = &r;
  for (const std::string& v : c.validators) {
    std::vector<std::string> row = {v, reference ? report::fmt_percent(stake_share(*reference, c.validators, v)) : "-"};
    for (const VariantRun& r : c.runs)
      row.push_back(r.completed ? report::fmt_number(dividend_total(r, v), 2) + " (" +
                                      report::fmt_percent(dividend_share(r, c.validators, v)) + ")"
                                : "failed");
    t.push_back(row);
  }
  return t;
}

std::string expectations_line(const CaseResult& c) {
  for (const VariantRun& r : c.runs) {
    if (r.variant != c.own_variant || r.expectations.empty()) continue;
    const std::size_t failed = results::count_failed(r.expectations);
    return "Expectations under " + r.variant + ": " + std::to_string(r.expectations.size() - failed) +
           " of " + std::to_string(r.expectations.size()) + " met.";
  }
  return {};
}

std::size_t epochs_of(const CaseResult& c) {
  for (const VariantRun& r : c.runs)
    if (r.completed) return r.epochs.size();
  return 0;
}

const char* kExplanation =
    "Each cell is a validator group's dividends summed over the run's epochs (each epoch's "
    "dividends are shares of that epoch's validator emission, so the cells of a column add up to "
    "the number of epochs that paid dividends: all but a new subnet's first, less any epoch in "
    "which no miner's weights reached kappa, when the chain pays validators by stake instead, "
    "which these cells leave out) and, in brackets, "
    "its share of the total. Compare the share with the "
    "stake share: above it, the variant rewards that validator beyond its stake. \"(own)\" marks "
    "the variant the scenario itself runs.";

}  // namespace

std::string cases_csv(const std::vector<CaseResult>& cases) {
  std::vector<std::string> miners;  // every miner group of any case, in order of appearance
  for (const CaseResult& c : cases)
    for (const std::string& m : c.miners)
      if (std::find(miners.begin(), miners.end(), m) == miners.end()) miners.push_back(m);
  std::string out = "case,variant,epoch,block,validator,stake_tao,dividends,bond_total";
  for (const std::string& m : miners) out += ",incentive_" + metrics::csv_field(m);
  out += '\n';
  for (const CaseResult& c : cases)
    for (const VariantRun& r : c.runs)
      for (std::size_t i = 0; r.completed && i < r.blocks.size(); ++i)
        for (const std::string& v : c.validators) {
          out += metrics::csv_field(c.id) + ',' + r.variant + ',' + std::to_string(r.epochs[i]) + ',' +
                 std::to_string(r.blocks[i]) + ',' + metrics::csv_field(v) + ',' +
                 metrics::csv_number(r.stake_tao.at(v)[i]) + ',' + metrics::csv_number(r.dividends.at(v)[i]) + ',' +
                 (r.bonds.count(v) ? metrics::csv_number(r.bonds.at(v)[i]) : std::string());
          for (const std::string& m : miners) {
            auto it = r.incentive.find(m);
            out += ',' + (it == r.incentive.end() ? std::string() : metrics::csv_number(it->second[i]));
          }
          out += '\n';
        }
  return out;
}

std::string cases_markdown(const std::vector<CaseResult>& cases) {
  std::string out = "# Yuma cases\n\n" + std::string(kExplanation) + "\n";
  for (const CaseResult& c : cases) {
    out += "\n## " + c.id + "\n\n";
    if (!c.description.empty()) out += c.description + "\n\n";
    out += std::to_string(epochs_of(c)) + " epochs.\n\n";
    const Table t = comparison(c);
    for (std::size_t i = 0; i < t.size(); ++i) {
      out += '|';
      for (const std::string& cell : t[i]) out += ' ' + cell + " |";
      out += '\n';
      if (i == 0) {
        out += '|';
        for (std::size_t k = 0; k < t[0].size(); ++k) out += k < 2 ? "---|" : "--:|";
        out += '\n';
      }
    }
    if (const std::string e = expectations_line(c); !e.empty()) out += '\n' + e + '\n';
  }
  return out;
}

std::string cases_html(const std::vector<CaseResult>& cases) {
  using report::html_escape;
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Yuma cases - subnetsim</title>\n"
      "<style>\nbody { font-family: sans-serif; margin: 1.5em; color: #222; max-width: 1400px; }\n"
      ".row { display: flex; flex-wrap: wrap; gap: 0.5em; }\n"
      ".row > div { flex: 1 1 380px; min-width: 300px; }\n"
      "svg.chart { width: 100%; height: auto; display: block; }\n"
      "svg.chart .tick { fill: #444; font-size: 11px; }\nsvg.chart .legend { fill: #222; font-size: 11px; }\n"
      "table { border-collapse: collapse; margin: 0.5em 0 1.5em; }\n"
      "th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }\n"
      "th:first-child, td:first-child { text-align: left; }\n.note { color: #555; }\n</style>\n</head>\n<body>\n"
      "<h1>Yuma cases</h1>\n<p class=\"note\">" +
      html_escape(kExplanation) +
      " The charts show each validator group's dividends per epoch (its share of the epoch's "
      "validator emission), one chart per variant.</p>\n";
  for (const CaseResult& c : cases) {
    out += "<h2 id=\"" + html_escape(c.id) + "\">" + html_escape(c.id) + "</h2>\n";
    if (!c.description.empty()) out += "<p>" + html_escape(c.description) + "</p>\n";
    out += "<div class=\"row\">\n";
    for (const VariantRun& r : c.runs) {
      report::LineChart chart(r.variant + (r.variant == c.own_variant ? " (own)" : ""), "epoch", "dividends");
      chart.set_y_range(0.0, 1.0);
      for (const std::string& v : c.validators) {
        report::Series s;
        s.name = v;
        for (std::size_t i = 0; r.completed && i < r.blocks.size(); ++i) {
          s.x.push_back(static_cast<double>(r.epochs[i]));
          s.y.push_back(r.dividends.at(v)[i]);
        }
        chart.add(std::move(s));
      }
      out += "<div>\n" + chart.svg() + "</div>\n";
    }
    out += "</div>\n<table>\n";
    const Table t = comparison(c);
    for (std::size_t i = 0; i < t.size(); ++i) {
      out += "<tr>";
      for (const std::string& cell : t[i]) out += (i == 0 ? "<th>" : "<td>") + html_escape(cell) + (i == 0 ? "</th>" : "</td>");
      out += "</tr>\n";
    }
    out += "</table>\n";
    if (const std::string e = expectations_line(c); !e.empty()) out += "<p class=\"note\">" + html_escape(e) + "</p>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

std::string write_outputs(const std::vector<CaseResult>& cases, const std::string& out_dir) {
  try {
    std::filesystem::create_directories(out_dir);
    metrics::write_file_atomically(out_dir, "cases.csv", cases_csv(cases));
    metrics::write_file_atomically(out_dir, "cases.md", cases_markdown(cases));
    metrics::write_file_atomically(out_dir, "cases.html", cases_html(cases));
  } catch (const std::exception& e) {
    return out_dir + ": " + e.what();
  }
  return {};
}

}  // namespace subnetsim::cases
