// Sections drawn from summary.json and globals.csv, and the section frame.
#include <algorithm>
#include <cmath>

#include "sections.hpp"
#include "subnetsim/report/format.hpp"

namespace subnetsim::report::sections {

using nlohmann::json;

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
  return v.dump();
}

std::string number_box(const std::string& label, const std::string& value, const std::string& cls = "") {
  return "<div" + (cls.empty() ? "" : " class=\"" + cls + "\"") + "><dt>" + html_escape(label) + "</dt><dd>" +
         html_escape(value) + "</dd></div>\n";
}

// An array of objects (e.g. expectation results) as a table: one column per key of its items.
std::string table_of_objects(const json& items) {
  std::vector<std::string> keys;
  for (const auto& item : items)
    for (const auto& [key, v] : item.items())
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  std::string t = "<table>\n<tr>";
  for (const auto& k : keys) t += "<th>" + html_escape(k) + "</th>";
  t += "</tr>\n";
  for (const auto& item : items) {
    t += "<tr>";
    for (const auto& k : keys) t += "<td>" + (item.contains(k) ? html_escape(value_text(item[k])) : "") + "</td>";
    t += "</tr>\n";
  }
  return t + "</table>";
}

// Nested objects as rows "a.b.c | value"; arrays of objects as a table in the row.
void flatten(const json& obj, const std::string& prefix, std::string& rows) {
  for (const auto& [key, v] : obj.items()) {
    if (v.is_object()) {
      flatten(v, prefix + key + ".", rows);
      continue;
    }
    const bool objects = v.is_array() && !v.empty() &&
                         std::all_of(v.begin(), v.end(), [](const json& item) { return item.is_object(); });
    rows += "<tr><th>" + html_escape(prefix + key) + "</th><td>" +
            (objects ? table_of_objects(v) : html_escape(value_text(v))) + "</td></tr>\n";
  }
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
      std::string rows;
      flatten(v, "", rows);
      tables += "<h3>" + html_escape(key) + "</h3>\n<table class=\"metrics\">\n" + rows + "</table>\n";
    } else {
      others += number_box(key, value_text(v));
    }
  }
  body += others + "</dl>\n" + tables;
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
