// Sections drawn from summary.json and globals.csv, and the section frame.
#include <algorithm>
#include <cmath>
#include <string_view>

#include "sections.hpp"
#include "subnetsim/core/json_text.hpp"
#include "subnetsim/core/number_text.hpp"
#include "subnetsim/report/format.hpp"

namespace subnetsim::report::sections {

using json = nlohmann::ordered_json;

std::string wrap(const std::string& id, const std::string& title, const std::string& body) {
  return "<section id=\"" + id + "\">\n<h2>" + html_escape(title) + "</h2>\n" + body + "</section>\n";
}

std::string note(const std::string& text) { return "<p class=\"note\">" + html_escape(text) + "</p>\n"; }

namespace {

std::string value_text(const json& v) {
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) {
    const double x = v.get<double>();
    if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 1e15)
      return (x < 0 ? "-" : "") + group_digits(static_cast<std::uint64_t>(std::fabs(x)));
    return std::fabs(x) >= 1000 ? fmt_number(x, 2) : fmt_short(x, 4);
  }
  if (v.is_array()) {
    if (v.size() > 8) return group_digits(v.size()) + " values";
    std::string s;
    for (const auto& item : v) s += (s.empty() ? "" : ", ") + value_text(item);
    return s;
  }
  if (v.is_null()) return "n/a";
  return core::dump_json(v);
}

// Yields (apy_tao, apy_usd) are fractions a year in summary.json (0.18 = 18%): the report shows
// them as percentages and says so in their label, so that 17.36 does not read as 17%.
bool is_yield(const std::string& key) {
  auto ends = [&](std::string_view tail) {
    return key.size() >= tail.size() &&
           key.compare(key.size() - tail.size(), tail.size(), tail) == 0;
  };
  return ends("apy_tao") || ends("apy_usd");
}
std::string label_of(const std::string& key) { return is_yield(key) ? key + " (% a year)" : key; }
std::string shown(const std::string& key, const json& v) {
  return is_yield(key) && v.is_number() ? fmt_percent(v.get<double>()) : value_text(v);
}

std::string number_box(const std::string& label, const std::string& value, const std::string& cls = "") {
  return "<div" + (cls.empty() ? "" : " class=\"" + cls + "\"") + "><dt>" + html_escape(label) + "</dt><dd>" +
         html_escape(value) + "</dd></div>\n";
}

// A value of such a table, a number to all its digits: an expectation's actual value is read
// against its bound (0.18 would pass "within 1e-06 of 0.1799954" only to the eye).
std::string exact_text(const json& v) {
  return v.is_number_float() ? core::number_text(v.get<double>()) : value_text(v);
}

// An array of objects (e.g. expectation results) as a table: one column per key of its items,
// numbers to all their digits.
std::string table_of_objects(const json& items) {
  std::vector<std::string> keys;
  for (const auto& item : items)
    for (const auto& [key, v] : item.items())
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  std::string t = "<div class=\"wide\"><table class=\"metrics\">\n<tr>";
  for (const auto& k : keys) t += "<th>" + html_escape(k) + "</th>";
  t += "</tr>\n";
  for (const auto& item : items) {
    t += "<tr>";
    for (const auto& k : keys)
      t += "<td>" + (item.contains(k) ? html_escape(exact_text(item[k])) : "") + "</td>";
    t += "</tr>\n";
  }
  return t + "</table></div>";
}

using Leaves = std::vector<std::pair<std::string, const json*>>;

// The leaves of an object as (dotted path, value); arrays stay whole.
void leaves(const json& obj, const std::string& prefix, Leaves& out) {
  for (const auto& [key, v] : obj.items()) {
    if (v.is_object()) leaves(v, prefix + key + ".", out);
    else out.emplace_back(prefix + key, &v);
  }
}

bool array_of_objects(const json& v) {
  return v.is_array() && !v.empty() && std::all_of(v.begin(), v.end(), [](const json& i) { return i.is_object(); });
}

constexpr std::size_t kMaxMatrixColumns = 14;

// One object of summary.json (a metric section such as "miners" or "classes"): an object of
// like objects becomes one table (a row per entry, a column per leaf); anything else a grid
// of small boxes, with arrays of objects (expectation results) as tables after it.
std::string metric_section(const std::string& name, const json& v) {
  std::string out = "<h3>" + html_escape(name) + "</h3>\n";
  const bool rows_of_objects =
      !v.empty() && std::all_of(v.begin(), v.end(), [](const json& i) { return i.is_object(); });
  if (rows_of_objects) {
    std::vector<std::string> columns;
    std::vector<std::pair<std::string, Leaves>> rows;
    for (const auto& [key, row] : v.items()) {
      Leaves l;
      leaves(row, "", l);
      for (const auto& [path, value] : l)
        if (std::find(columns.begin(), columns.end(), path) == columns.end()) columns.push_back(path);
      rows.emplace_back(key, std::move(l));
    }
    if (columns.size() <= kMaxMatrixColumns) {
      out += "<div class=\"wide\"><table class=\"metrics\">\n<tr><th></th>";
      for (const auto& c : columns) out += "<th>" + html_escape(label_of(c)) + "</th>";
      out += "</tr>\n";
      for (const auto& [key, l] : rows) {
        out += "<tr><th>" + html_escape(key) + "</th>";
        for (const auto& c : columns) {
          const auto it = std::find_if(l.begin(), l.end(), [&](const auto& p) { return p.first == c; });
          out += "<td>" + (it == l.end() ? "" : html_escape(shown(c, *it->second))) + "</td>";
        }
        out += "</tr>\n";
      }
      return out + "</table></div>\n";
    }
  }
  Leaves l;
  leaves(v, "", l);
  std::string boxes, tables;
  for (const auto& [path, value] : l) {
    if (array_of_objects(*value)) tables += "<h4>" + html_escape(name + "." + path) + "</h4>\n" + table_of_objects(*value) + "\n";
    else
      boxes += number_box(label_of(path), shown(path, *value));
  }
  if (!boxes.empty()) out += "<dl class=\"numbers small\">\n" + boxes + "</dl>\n";
  return out + tables;
}

}  // namespace

std::string summary(const RunData& run) {
  static const std::pair<const char*, const char*> kKnown[] = {
      {"blocks", "blocks"},
      {"epochs", "epochs"},
      {"issuance_tao", "issuance (TAO)"},
      {"total_stake_tao", "total stake (TAO)"},
      {"burned_tao", "burned (TAO)"},
      {"slashed_tao", "slashed (TAO)"},
      {"recycled_tao", "recycled (TAO)"},
      {"registrations", "registrations"},
      {"prunings", "prunings"},
      {"refused_actions", "refused actions"},
      {"liquidations", "liquidations"},
      {"years", "years simulated"},
      {"initial_price_usd", "initial price (USD)"},
      {"final_price_usd", "final price (USD)"},
      {"conservation_verified", "conservation verified"},
      {"status", "status"}};
  static const char* kSkipped[] = {"tool", "files", "scenario", "seed", "wall_time_s", "message", "visited_blocks"};
  const json& s = run.summary;
  if (s.empty()) return wrap("summary", "Key numbers", note("No summary.json: the run did not finish."));
  std::string body;
  if (s.contains("message")) body += "<p class=\"warning\">" + html_escape(value_text(s["message"])) + "</p>\n";
  body += "<dl class=\"numbers\">\n";
  for (const auto& [key, label] : kKnown) {
    if (!s.contains(key)) continue;
    std::string cls;
    if (std::string(key) == "conservation_verified") cls = s[key] == true ? "good" : "bad";
    if (std::string(key) == "status") cls = s[key] == "completed" ? "good" : "bad";
    body += number_box(label, value_text(s[key]), cls);
  }
  std::string others, tables;
  for (const auto& [key, v] : s.items()) {
    const auto known = [&](const char* k) { return key == k; };
    if (std::any_of(std::begin(kKnown), std::end(kKnown), [&](const auto& p) { return known(p.first); }) ||
        std::any_of(std::begin(kSkipped), std::end(kSkipped), known))
      continue;
    if (v.is_object()) {
      if (!v.empty()) tables += metric_section(key, v);
    } else {
      others += number_box(label_of(key), shown(key, v));
    }
  }
  body += others + "</dl>\n" + tables;
  // A yield is a year's rate, extrapolated from however long the run was: from a day, a loss
  // of a few percent reads as thousands of percent a year.
  if (const auto years = s.find("years"); years != s.end() && years->is_number() &&
                                          years->get<double>() < 1.0 / 12 &&
                                          body.find("(% a year)") != std::string::npos) {
    const std::string days = fmt_short(years->get<double>() * 365.25, 3);
    body += note("The yields (% a year) are annualised from a run of " + days +
                 (days == "1" ? " day" : " days") +
                 ": over so short a run, small gains and losses read as extreme rates.");
  }
  return wrap("summary", "Key numbers", body);
}

std::string supply(const RunData& run) {
  const std::string title = "Issuance, supply and price";
  if (!run.globals) return wrap("supply", title, note("No globals.csv in this run."));
  const metrics::CsvTable& t = *run.globals;
  const auto block = t.column("block");
  if (!block) return wrap("supply", title, note("globals.csv has no block column."));
  const auto series = [&](const std::string& column, const std::string& name) {
    Series s;
    s.name = name;
    if (const auto c = t.column(column))
      for (const auto& row : t.rows) {
        const auto b = metrics::CsvTable::number(row[*block]), v = metrics::CsvTable::number(row[*c]);
        if (b && v) s.x.push_back(*b), s.y.push_back(*v);
      }
    return s;
  };
  LineChart amounts("TAO in circulation and where it went", "block", "TAO");
  for (const auto& [column, name] : {std::pair{"issuance_tao", "issuance"}, {"total_stake_tao", "total stake"},
                                     {"total_balances_tao", "free balances"}, {"burned_tao", "burned"},
                                     {"slashed_tao", "slashed (cumulative)"}})
    if (t.column(column)) amounts.add(series(column, name));
  LineChart price("TAO price; circles mark scripted price shocks", "block", "price (USD)");
  Series p = series("price_usd", "price (USD)");
  for (const auto& e : run.events) {
    if (e.kind != "script" || e.rule != "price_shock" || p.x.empty()) continue;
    const auto at = std::lower_bound(p.x.begin(), p.x.end(), static_cast<double>(e.block));
    const std::size_t i = at == p.x.end() ? p.x.size() - 1 : static_cast<std::size_t>(at - p.x.begin());
    price.add_marker(p.x[i], p.y[i], "block " + group_digits(e.block) + ": " + e.detail);
  }
  price.add(std::move(p));
  return wrap("supply", title,
              "<p>Sampled once per recorded epoch from globals.csv.</p>\n<figure>" + amounts.svg() +
                  "</figure>\n<figure>" + price.svg() + "</figure>\n");
}

}  // namespace subnetsim::report::sections
