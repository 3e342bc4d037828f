#include "subnetsim/sweep/design.hpp"

#include <algorithm>
#include <boost/random/uniform_int_distribution.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <numeric>
#include <set>

#include "subnetsim/core/diagnostics.hpp"
#include "subnetsim/core/file_text.hpp"
#include "subnetsim/core/json_text.hpp"
#include "subnetsim/core/rng.hpp"
#include "subnetsim/core/version.hpp"
#include "subnetsim/scenario/loader.hpp"
#include "subnetsim/scenario/override_pointer.hpp"
#include "subnetsim/scenario/strict_json.hpp"

namespace subnetsim::sweep {

namespace {

constexpr std::uint64_t kMaxRuns = 10'000'000;
constexpr std::uint64_t kSeedMask = (std::uint64_t{1} << 53) - 1;

// Splits at commas that are not inside brackets, braces or a JSON string.
std::vector<std::string> split_values(const std::string& text) {
  std::vector<std::string> out(1);
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\' && i + 1 < text.size()) {
        out.back() += c;
        out.back() += text[++i];
        continue;
      }
      if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == ',' && depth == 0) {
      out.emplace_back();
      continue;
    }
    out.back() += c;
  }
  return out;
}

// A value as --set reads it: JSON, or a bare word taken as a string. JSON is parsed strictly:
// a duplicate key sets `problem` (nlohmann alone would keep the last one without a word).
std::optional<json> parse_value(const std::string& text, std::string& problem) {
  if (core::is_json(text)) {
    core::Diagnostics diags;
    json v = scenario::parse_strict_json(text, "", diags);
    if (!v.is_discarded()) return v;
    const core::Diagnostic& d = diags.items().front();
    problem = (d.pointer.empty() ? "" : d.pointer + ": ") + d.message;
    return std::nullopt;
  }
  if (!text.empty() && std::isalpha(static_cast<unsigned char>(text[0]))) return json(text);
  return std::nullopt;
}

std::optional<double> parse_number(const std::string& text) {
  double x = 0.0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, x);
  if (ec != std::errc() || ptr != end || !std::isfinite(x)) return std::nullopt;
  return x;
}

bool is_integer_text(const std::string& text) {
  const std::size_t start = !text.empty() && text[0] == '-' ? 1 : 0;
  return text.size() > start &&
         std::all_of(text.begin() + static_cast<std::ptrdiff_t>(start), text.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

double uniform01(core::Rng& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

std::string escape_token(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

}  // namespace

std::string normalized_path(const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  std::string out = "/";
  for (char c : path) {
    if (c == '.')
      out += '/';
    else if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string parse_param(const std::string& spec, Param& out) {
  const std::string source = "--param " + spec;
  const auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
    return source + ": expected PATH=V1,V2,... (e.g. subnets.1.kappa=0.3,0.5)";
  out = Param{spec.substr(0, eq), {}, source};
  for (const std::string& token : split_values(spec.substr(eq + 1))) {
    std::string problem;
    auto v = parse_value(token, problem);
    if (!problem.empty()) return source + ": value \"" + token + "\": " + problem;
    if (token.empty() || !v) return source + ": value \"" + token + "\" is not valid JSON";
    out.values.push_back(std::move(*v));
  }
  return "";
}

std::string parse_sample(const std::string& spec, SampleRange& out) {
  const std::string source = "--sample " + spec;
  const auto eq = spec.find('=');
  const auto colon = spec.find(':', eq == std::string::npos ? 0 : eq);
  if (eq == std::string::npos || eq == 0 || colon == std::string::npos)
    return source + ": expected PATH=LO:HI (e.g. subnets.1.kappa=0.3:0.7)";
  const std::string lo_text = spec.substr(eq + 1, colon - eq - 1), hi_text = spec.substr(colon + 1);
  const auto lo = parse_number(lo_text), hi = parse_number(hi_text);
  if (!lo || !hi) return source + ": LO and HI must be finite numbers";
  if (*lo > *hi) return source + ": LO must not exceed HI";
  out = SampleRange{spec.substr(0, eq), *lo, *hi, is_integer_text(lo_text) && is_integer_text(hi_text), source};
  return "";
}

void type_samples_by_field(const nlohmann::json& resolved, Design& design) {
  for (SampleRange& r : design.samples) {
    if (!r.integer) continue;
    try {
      const std::string pointer = scenario::override_pointer(resolved, r.path);
      if (pointer.empty()) continue;
      const nlohmann::json::json_pointer at(pointer);
      if (resolved.contains(at) && resolved.at(at).is_number_float()) r.integer = false;
    } catch (const nlohmann::json::exception&) {
      // Not a pointer into the scenario: the loader names the path when the point is checked.
    }
  }
}

std::optional<Method> method_from_name(const std::string& name) {
  if (name == "lhs") return Method::kLhs;
  if (name == "random") return Method::kRandom;
  return std::nullopt;
}

const char* method_name(Method m) { return m == Method::kLhs ? "lhs" : "random"; }

std::string read_grid(const std::string& file, Design& design) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    return file + ": is a directory, expected a grid file (JSON)\n";
  std::string text;
  if (const std::string problem =
          core::file_read_problem(core::read_file_text(file, text, scenario::kMaxScenarioFileBytes),
                                  scenario::kMaxScenarioFileBytes);
      !problem.empty())
    return file + ": " + problem + "\n";
  core::Diagnostics diags;
  const json doc = scenario::parse_strict_json(text, file, diags);
  if (doc.is_discarded()) return diags.to_string();
  if (!doc.is_object()) return file + ": expected a JSON object (see subnetsim sweep --help)\n";
  // The objects' keys in the file's order: the first parameter varies slowest, as with flags
  // (json keeps its keys sorted; the text parsed again as ordered_json keeps them as written).
  const auto ordered = core::parse_ordered_json_or_discarded(text);
  auto keys_in_order = [&](const char* key) {
    std::vector<std::string> keys;
    if (ordered.is_object() && ordered.contains(key) && ordered.at(key).is_object())
      for (const auto& [k, v] : ordered.at(key).items()) keys.push_back(k);
    return keys;
  };
  std::string problems;
  design.file = file;
  auto problem = [&](const std::string& pointer, const std::string& what) {
    problems += file + ": " + pointer + ": " + what + "\n";
  };
  auto found = [](const json& v) {
    std::string shown = core::dump_json(v);
    if (shown.size() > 60) shown = shown.substr(0, 57) + "...";
    return ", got " + shown;
  };
  auto count = [&](const char* key, std::uint64_t& target, std::uint64_t min) {
    if (auto it = doc.find(key); it != doc.end()) {
      if (!it->is_number_unsigned() || it->get<std::uint64_t>() < min)
        problem(std::string("/") + key,
                "expected an integer >= " + std::to_string(min) + found(*it));
      else {
        target = it->get<std::uint64_t>();
        design.from_file.push_back(key);
      }
    }
  };
  for (const auto& [key, value] : doc.items())
    if (key != "params" && key != "zip" && key != "sample" && key != "samples" && key != "method" &&
        key != "replicates")
      problem("/" + escape_token(key),
              "unknown field (expected params, zip, sample, samples, method or replicates)");
  if (auto it = doc.find("params"); it != doc.end()) {
    if (!it->is_object())
      problem("/params", "expected an object {\"PATH\": [values...]}" + found(*it));
    else
      for (const std::string& path : keys_in_order("params")) {
        const json& values = it->at(path);
        const std::string pointer = "/params/" + escape_token(path);
        if (path.empty())
          problem(pointer, "expected a parameter path (e.g. subnets.1.kappa), got \"\"");
        else if (!values.is_array() || values.empty())
          problem(pointer, "expected a non-empty list of values" + found(values));
        else design.params.push_back(Param{path, std::vector<json>(values.begin(), values.end()), file + " " + pointer});
      }
  }
  if (auto it = doc.find("sample"); it != doc.end()) {
    if (!it->is_object())
      problem("/sample", "expected an object {\"PATH\": [LO, HI]}" + found(*it));
    else
      for (const std::string& path : keys_in_order("sample")) {
        const json& range = it->at(path);
        const std::string pointer = "/sample/" + escape_token(path);
        if (path.empty())
          problem(pointer, "expected a parameter path (e.g. subnets.1.kappa), got \"\"");
        else if (!range.is_array() || range.size() != 2 || !range[0].is_number() ||
                 !range[1].is_number() || range[0].get<double>() > range[1].get<double>())
          problem(pointer, "expected [LO, HI], two numbers with LO <= HI" + found(range));
        else
          design.samples.push_back(SampleRange{path, range[0].get<double>(), range[1].get<double>(),
                                               range[0].is_number_integer() && range[1].is_number_integer(),
                                               file + " " + pointer});
      }
  }
  if (auto it = doc.find("zip"); it != doc.end()) {
    if (!it->is_boolean()) {
      problem("/zip", "expected true or false" + found(*it));
    } else {
      design.zip = it->get<bool>();
      design.from_file.push_back("zip");
    }
  }
  if (auto it = doc.find("method"); it != doc.end()) {
    const auto m = it->is_string() ? method_from_name(it->get<std::string>()) : std::nullopt;
    if (!m)
      problem("/method", "expected \"lhs\" or \"random\"" + found(*it));
    else {
      design.method = *m;
      design.from_file.push_back("method");
    }
  }
  count("samples", design.sample_count, 1);
  count("replicates", design.replicates, 1);
  return problems;
}

json design_json(const Design& d) {
  json j;
  j["params"] = json::object();
  for (const Param& p : d.params) j["params"][p.path] = p.values;
  j["zip"] = d.zip;
  j["sample"] = json::object();
  for (const SampleRange& s : d.samples) {
    if (s.integer)
      j["sample"][s.path] = {static_cast<std::int64_t>(s.lo), static_cast<std::int64_t>(s.hi)};
    else
      j["sample"][s.path] = {s.lo, s.hi};
  }
  j["samples"] = d.sample_count;
  j["method"] = method_name(d.method);
  j["replicates"] = d.replicates;
  return j;
}

std::vector<std::vector<double>> sample_points(const std::vector<SampleRange>& ranges, std::uint64_t count,
                                               Method method, std::uint64_t master_seed) {
  std::vector<std::vector<double>> points(count, std::vector<double>(ranges.size()));
  const double n = static_cast<double>(count);
  for (std::size_t d = 0; d < ranges.size(); ++d) {
    const SampleRange& r = ranges[d];
    core::Rng rng = core::make_rng(master_seed, "sweep-sample " + normalized_path(r.path), 0, method_name(method));
    std::vector<std::uint64_t> stratum(count);
    std::iota(stratum.begin(), stratum.end(), std::uint64_t{0});
    if (method == Method::kLhs)
      for (std::uint64_t i = count; i > 1; --i)
        std::swap(stratum[i - 1], stratum[boost::random::uniform_int_distribution<std::uint64_t>(0, i - 1)(rng)]);
    for (std::uint64_t i = 0; i < count; ++i) {
      double v = uniform01(rng);  // a position in [0, 1)
      if (method == Method::kLhs) {
        const double k = static_cast<double>(stratum[i]);
        v = std::clamp((k + v) / n, k / n, std::nextafter((k + 1.0) / n, 0.0));
      }
      double x;
      if (r.integer) {
        x = std::min(r.hi, r.lo + std::floor((r.hi - r.lo + 1.0) * v));
      } else {
        x = std::min(r.hi, r.lo + (r.hi - r.lo) * v);
        if (method == Method::kLhs && r.hi > r.lo) {
          // Rounding in lo + (hi - lo) v may cross a stratum's edge: step back inside, so that
          // floor((x - lo) / (hi - lo) * N) is exactly the stratum.
          const auto k = static_cast<double>(stratum[i]);
          auto at = [&](double y) { return std::floor((y - r.lo) / (r.hi - r.lo) * n); };
          while (at(x) > k) x = std::nextafter(x, r.lo);
          while (at(x) < k) x = std::nextafter(x, r.hi);
        }
      }
      points[i][d] = x;
    }
  }
  return points;
}

std::string expand(const Design& d, std::uint64_t master_seed, Plan& plan,
                   const nlohmann::json* scenario) {
  // A field as --set finds it in the scenario, when known (a group id may hold dots).
  auto field_of = [scenario](const std::string& path) {
    const std::string pointer = scenario ? scenario::override_pointer(*scenario, path) : "";
    return pointer.empty() ? normalized_path(path) : pointer;
  };
  if (d.replicates == 0) return "--replicates: expected at least 1";
  // Named as the user gave them: the grid file's fields by pointer, else the flags.
  const bool ranges_in_file =
      !d.samples.empty() && d.samples.front().source.rfind(d.file + " ", 0) == 0 && !d.file.empty();
  const bool count_in_file =
      std::find(d.from_file.begin(), d.from_file.end(), "samples") != d.from_file.end();
  if (!d.samples.empty() && d.sample_count == 0)
    return ranges_in_file
               ? d.file +
                     ": /sample: ranges need a number of points to sample: \"samples\": N beside "
                     "them (or --samples N), got none"
               : "--sample needs --samples N (the number of sampled points, at least 1)";
  if (d.samples.empty() && d.sample_count > 0)
    return count_in_file
               ? d.file +
                     ": /samples: sampled points need ranges: a \"sample\" object {\"PATH\": [LO, "
                     "HI]} beside it (or --sample PATH=LO:HI), got none"
               : "--samples needs at least one --sample PATH=LO:HI";
  plan.master_seed = master_seed;
  plan.replicates = d.replicates;
  plan.design = design_json(d);
  plan.columns.clear();
  plan.sources.clear();
  plan.points.clear();
  std::set<std::string> seen;
  auto add_column = [&](const std::string& path, const std::string& source) {
    // Each run's seed is derived from the master seed, its point and its replicate, and
    // replaces the scenario's: a swept seed would be overwritten (and index.csv would have two
    // seed columns).
    if (field_of(path) == "/seed")
      return source + ": the seed cannot be swept: each run's seed is derived from the master "
                      "seed (--seed), its point and its replicate; use --replicates N for more "
                      "seeds, or one sweep per --seed";
    const std::string norm = field_of(path);
    if (!seen.insert(norm).second) return source + ": " + path + " is swept twice";
    // One path inside another (subnets.1 and subnets.1.tempo): the runs would use whichever
    // is applied last, and index.csv would record a value some runs never had.
    auto within = [](const std::string& a, const std::string& b) {
      return a.size() > b.size() && a.compare(0, b.size(), b) == 0 && a[b.size()] == '/';
    };
    for (std::size_t k = 0; k < plan.columns.size(); ++k) {
      const std::string other = field_of(plan.columns[k]);
      if (within(norm, other) || within(other, norm))
        return source + ": " + path + " overlaps " + plan.columns[k] + " (" + plan.sources[k] +
               "): one sets part of the other; sweep one of them";
    }
    for (const std::string& o : plan.overrides) {
      const std::string set_path = o.substr(0, o.find('='));
      const std::string set_norm = field_of(set_path);
      if (set_norm == norm || within(norm, set_norm) || within(set_norm, norm))
        return source + ": " + path + " is also set for every run by " +
               (set_norm == "/horizon_blocks" ? std::string("--horizon") : "--set " + o) +
               ": the swept value would win over it; drop one";
    }
    plan.columns.push_back(path);
    plan.sources.push_back(source);
    return std::string();
  };
  for (const Param& p : d.params) {
    if (auto e = add_column(p.path, p.source); !e.empty()) return e;
    // A value twice would be two points running the same scenario, counted apart (zipped, a
    // value may repeat: only a whole tuple may not, checked below).
    for (std::size_t i = 0; i < p.values.size() && !d.zip; ++i)
      for (std::size_t k = 0; k < i; ++k)
        if (p.values[i] == p.values[k])
          return p.source + ": the value " + core::dump_json(p.values[i]) + " is given twice (as " +
                 core::dump_json(p.values[k]) + " before): each value is one point of the sweep";
  }
  for (const SampleRange& s : d.samples)
    if (auto e = add_column(s.path, s.source); !e.empty()) return e;

  // Given alone it would change nothing: say so, as for --method without --sample, whether
  // the flag or the grid file gave it.
  const auto in_file = [&](const char* key) {
    return std::find(d.from_file.begin(), d.from_file.end(), key) != d.from_file.end();
  };
  if (d.zip && d.params.empty())
    return (in_file("zip") ? d.file + ": /zip: pairs the values of params lists"
                           : std::string("--zip pairs the values of --param lists")) +
           (d.samples.empty() ? "" : " (sampled parameters are drawn together already)") +
           ", and there is no --param PATH=V1,V2 nor params in a grid file";
  if (in_file("method") && d.samples.empty())
    return d.file + ": /method: chooses how sample points are drawn, and there is no sample " +
           "(no --sample PATH=LO:HI nor sample in the grid file)";
  // Grid points: indices into each parameter's values.
  std::vector<std::vector<std::size_t>> grid;
  if (d.zip && !d.params.empty()) {
    for (const Param& p : d.params)
      if (p.values.size() != d.params.front().values.size())
        return "--zip: every parameter needs the same number of values, but " + d.params.front().path + " has " +
               std::to_string(d.params.front().values.size()) + " and " + p.path + " has " +
               std::to_string(p.values.size());
    for (std::size_t i = 0; i < d.params.front().values.size(); ++i) {
      for (std::size_t k = 0; k < i; ++k) {
        bool same = true;
        for (const Param& p : d.params) same = same && p.values[i] == p.values[k];
        if (same)
          return "--zip: point " + std::to_string(i + 1) + " repeats point " + std::to_string(k + 1) +
                 " (the same value of every parameter): each point is one scenario of the sweep";
      }
      grid.emplace_back(d.params.size(), i);
    }
  } else {
    std::uint64_t total = 1;
    for (const Param& p : d.params) {
      total *= p.values.size();
      if (total > kMaxRuns) return "the sweep has more than " + std::to_string(kMaxRuns) + " points";
    }
    std::vector<std::size_t> at(d.params.size(), 0);
    for (std::uint64_t i = 0; i < total; ++i) {
      grid.push_back(at);
      for (std::size_t k = d.params.size(); k-- > 0;) {  // the last parameter varies fastest
        if (++at[k] < d.params[k].values.size()) break;
        at[k] = 0;
      }
    }
  }
  const std::uint64_t sampled = d.samples.empty() ? 1 : d.sample_count;
  if (static_cast<double>(grid.size()) * static_cast<double>(sampled) * static_cast<double>(d.replicates) >
      static_cast<double>(kMaxRuns))
    return "the sweep has more than " + std::to_string(kMaxRuns) +
           " runs (points x --replicates): split it into several sweeps";
  const auto samples = sample_points(d.samples, d.sample_count, d.method, master_seed);
  for (const auto& g : grid)
    for (std::uint64_t s = 0; s < sampled; ++s) {
      std::vector<json> point;
      for (std::size_t k = 0; k < d.params.size(); ++k) point.push_back(d.params[k].values[g[k]]);
      for (std::size_t k = 0; k < d.samples.size(); ++k) {
        const double x = samples[s][k];
        if (d.samples[k].integer) point.emplace_back(static_cast<std::int64_t>(x));
        else point.emplace_back(x);
      }
      plan.points.push_back(std::move(point));
    }
  return "";
}

namespace {
// A value as the run's seed sees it: a number by its value, not by how it was written (5, 5.0
// and 5e0 are one point, and seed its runs alike).
std::string seed_text(const json& v) {
  if (v.is_number_float()) {
    const double x = v.get<double>();
    if (x == std::floor(x) && std::fabs(x) <= 0x1p53)
      return core::dump_json(json(static_cast<std::int64_t>(x)));
  }
  return core::dump_json(v);
}
}  // namespace

std::uint64_t run_seed(std::uint64_t master_seed, const std::vector<std::string>& columns,
                       const std::vector<json>& point, std::uint64_t replicate) {
  std::string key;
  for (std::size_t k = 0; k < columns.size() && k < point.size(); ++k)
    key += normalized_path(columns[k]) + "=" + seed_text(point[k]) + "\n";
  return core::stream_seed(master_seed, key, replicate, "sweep-run") & kSeedMask;
}

std::vector<Run> plan_runs(const Plan& plan) {
  auto width = [](std::uint64_t n, std::size_t min) {
    return std::max(min, std::to_string(n > 0 ? n - 1 : 0).size());
  };
  const std::size_t wp = width(plan.points.size(), 4), wr = width(plan.replicates, 2);
  auto padded = [](std::uint64_t v, std::size_t w) {
    std::string s = std::to_string(v);
    return std::string(w > s.size() ? w - s.size() : 0, '0') + s;
  };
  std::vector<Run> runs;
  runs.reserve(plan.points.size() * plan.replicates);
  for (std::size_t p = 0; p < plan.points.size(); ++p)
    for (std::uint64_t r = 0; r < plan.replicates; ++r)
      runs.push_back(Run{runs.size(), p, r, run_seed(plan.master_seed, plan.columns, plan.points[p], r),
                         "p" + padded(p, wp) + "-r" + padded(r, wr)});
  return runs;
}

std::vector<std::string> point_overrides(const Plan& plan, std::size_t point) {
  std::vector<std::string> out;
  for (std::size_t k = 0; k < plan.columns.size(); ++k)
    out.push_back(plan.columns[k] + "=" + core::dump_json(plan.points[point][k]));
  return out;
}

std::string repeated_points_note(const Plan& plan) {
  std::map<std::vector<json>, std::vector<std::size_t>> by_values;
  for (std::size_t p = 0; p < plan.points.size(); ++p) by_values[plan.points[p]].push_back(p);
  std::size_t copies = 0;
  std::vector<const std::vector<std::size_t>*> groups;  // each set of points sharing values
  for (const auto& [values, points] : by_values) {
    if (points.size() < 2) continue;
    copies += points.size() - 1;
    groups.push_back(&points);
  }
  if (copies == 0) return "";
  // In the order of their first point; up to three named.
  std::sort(groups.begin(), groups.end(),
            [](const auto* a, const auto* b) { return a->front() < b->front(); });
  std::string example;
  for (std::size_t g = 0; g < groups.size() && g < 3; ++g) {
    example += g == 0 ? "points" : "; points";
    const auto& points = *groups[g];
    for (std::size_t k = 0; k < points.size() && k < 4; ++k)
      example += (k == 0 ? " " : ", ") + std::to_string(points[k]);
    if (points.size() > 4) example += ", ...";
    example += " share their values";
  }
  if (groups.size() > 3) example += "; and " + std::to_string(groups.size() - 3) + " more groups";
  return std::to_string(copies) + " of the " + std::to_string(plan.points.size()) +
         " points repeat another's values (" + example +
         "): a point's runs are seeded by its values, so these are copies of those runs, not "
         "new samples; widen the ranges or sample fewer points";
}

std::string value_cell(const json& v) {
  return v.is_string() ? v.get<std::string>() : core::dump_json(v);
}

json plan_json(const Plan& plan) {
  json j;
  if (!plan.tool_unrecorded)
    j["tool"] =
        plan.tool.is_null()
            ? json{{"name", "subnetsim"}, {"version", core::version()}, {"git", core::git_hash()}}
            : plan.tool;
  j["scenario"] = plan.scenario;
  j["scenario_sha256"] = plan.scenario_sha256;
  j["overrides"] = plan.overrides;
  j["master_seed"] = plan.master_seed;
  j["design"] = plan.design;
  j["columns"] = plan.columns;
  j["points"] = json::array();
  for (const auto& p : plan.points) j["points"].push_back(p);
  j["replicates"] = plan.replicates;
  j["runs"] = plan.points.size() * plan.replicates;
  return j;
}

std::string plan_from_json(const json& j, Plan& plan) {
  // sweep.json is written by sweep, but a hand edit or a truncated copy must get a message
  // naming the field, never an exception's text or an allocation of a wild size.
  if (!j.is_object())
    return "expected a sweep description (a JSON object), got " + core::dump_json(j).substr(0, 40);
  auto shown = [](const json& v) {
    std::string t = core::dump_json(v);
    return t.size() > 60 ? t.substr(0, 57) + "..." : t;
  };
  auto field = [&](const char* key, auto is_ok, const char* expected) -> std::string {
    const auto it = j.find(key);
    if (it == j.end()) return std::string("/") + key + ": missing (expected " + expected + ")";
    if (!is_ok(*it))
      return std::string("/") + key + ": expected " + expected + ", got " + shown(*it);
    return "";
  };
  auto is_string = [](const json& v) { return v.is_string(); };
  auto is_unsigned = [](const json& v) { return v.is_number_unsigned(); };
  auto is_strings = [](const json& v) {
    return v.is_array() &&
           std::all_of(v.begin(), v.end(), [](const json& x) { return x.is_string(); });
  };
  auto is_replicates = [](const json& v) {
    return v.is_number_unsigned() && v.get<std::uint64_t>() >= 1 &&
           v.get<std::uint64_t>() <= kMaxRuns;
  };
  for (const std::string& e :
       {field("scenario", is_string, "a file name"),
        field("scenario_sha256", is_string, "a SHA-256 in hex"),
        field("overrides", is_strings, "a list of path=value strings"),
        field("master_seed", is_unsigned, "an integer >= 0"),
        field(
            "design", [](const json& v) { return v.is_object(); }, "an object"),
        field("columns", is_strings, "a list of parameter paths"),
        field(
            "points", [](const json& v) { return v.is_array(); }, "a list of points"),
        field("replicates", is_replicates,
              ("an integer from 1 to " + std::to_string(kMaxRuns)).c_str())})
    if (!e.empty()) return e;
  // Written since the sweep's build is recorded; an older sweep.json lacks it (a resume by this
  // build is then refused as by another build, while a merge of its shards still matches).
  plan.tool_unrecorded = !j.contains("tool");
  plan.tool = j.contains("tool") ? j.at("tool") : json();
  plan.scenario = j.at("scenario").get<std::string>();
  plan.scenario_sha256 = j.at("scenario_sha256").get<std::string>();
  plan.overrides = j.at("overrides").get<std::vector<std::string>>();
  plan.master_seed = j.at("master_seed").get<std::uint64_t>();
  plan.design = j.at("design");
  plan.columns = j.at("columns").get<std::vector<std::string>>();
  plan.sources = plan.columns;
  plan.replicates = j.at("replicates").get<std::uint64_t>();
  const json& points = j.at("points");
  if (static_cast<double>(points.size()) * static_cast<double>(plan.replicates) >
      static_cast<double>(kMaxRuns))
    return "/replicates: expected at most " + std::to_string(kMaxRuns) +
           " runs in all (points x replicates), got " + std::to_string(points.size()) + " x " +
           std::to_string(plan.replicates);
  plan.points.clear();
  for (std::size_t i = 0; i < points.size(); ++i) {
    const json& p = points[i];
    if (!p.is_array() || p.size() != plan.columns.size())
      return "/points/" + std::to_string(i) + ": expected one value per column (" +
             std::to_string(plan.columns.size()) + "), got " + shown(p);
    plan.points.emplace_back(p.begin(), p.end());
  }
  return "";
}

}  // namespace subnetsim::sweep
