// The page around the sections: head, print-friendly CSS, header, footer; and writing it.
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "sections.hpp"
#include "subnetsim/core/json_text.hpp"
#include "subnetsim/core/version.hpp"
#include "subnetsim/metrics/csv_writer.hpp"
#include "subnetsim/report/format.hpp"
#include "subnetsim/report/report.hpp"

namespace subnetsim::report {

namespace fs = std::filesystem;

namespace {

constexpr const char* kCss = R"(
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1d1d1d;
       max-width: 920px; margin: 24px auto; padding: 0 16px; line-height: 1.45; background: #fff; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; border-bottom: 2px solid #1f5fa8; padding-bottom: 2px; margin-top: 1.8em; }
h3 { font-size: 1.05em; margin-top: 1.2em; }
.meta { color: #555; font-size: 0.9em; }
.description { font-size: 1.02em; }
dl.numbers { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 8px; }
dl.numbers div { border: 1px solid #ccc; border-radius: 4px; padding: 6px 10px; }
dl.numbers dt { font-size: 0.8em; color: #555; }
dl.numbers dd { margin: 0; font-size: 1.15em; font-weight: 600; }
.good { color: #1e7a2e; } .bad { color: #b3261e; } .warn { color: #9a5b00; }
dl.numbers div.good { border-color: #1e7a2e; } dl.numbers div.bad { border-color: #b3261e; }
.note { color: #555; font-style: italic; }
.warning { color: #b3261e; font-weight: 600; }
figure { margin: 12px 0; break-inside: avoid; page-break-inside: avoid; }
svg.chart { max-width: 100%; height: auto; display: block; }
svg.chart .tick { fill: #444; font-size: 11px; }
svg.chart .legend { fill: #222; font-size: 11px; }
table { border-collapse: collapse; font-size: 0.9em; margin: 8px 0; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
table.metrics { font-size: 0.82em; }
table.metrics th { font-weight: 600; color: #333; background: #f4f6f9; }
div.wide { overflow-x: auto; }
dl.numbers.small { grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 6px; }
dl.numbers.small div { padding: 3px 8px; }
dl.numbers.small dd { font-size: 0.95em; }
h4 { font-size: 0.95em; margin: 0.8em 0 0.3em; }
ol.story, ul.story { font-size: 0.92em; padding-left: 2.2em; }
ol.story li, ul.story li { margin: 2px 0; }
footer { margin-top: 2.5em; color: #777; font-size: 0.8em; border-top: 1px solid #ddd; padding-top: 6px; }
@media print {
  body { max-width: none; margin: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  dl.numbers div, li { break-inside: avoid; }
  /* On paper nothing scrolls: wide tables shrink to the page instead of being cut off. */
  div.wide { overflow: visible; }
  table.metrics { font-size: 6.5pt; width: 100%; }
  table.metrics th, table.metrics td { padding: 1px 3px; overflow-wrap: anywhere; }
}
)";

// Adds (or updates) `name` in the run's manifest.json file list, when the run has one: the
// manifest lists every file of the directory, and report.html can be written after the run.
// A manifest that is missing (a killed run) or not the run's JSON is left as it is.
void record_in_manifest(const fs::path& run_dir, const std::string& name) {
  const fs::path path = run_dir / "manifest.json";
  std::ifstream in(path, std::ios::binary);
  if (!in) return;
  nlohmann::ordered_json manifest = core::parse_ordered_json_or_discarded(in);
  if (!manifest.is_object() || !manifest.contains("files") || !manifest["files"].is_array()) return;
  std::error_code ec;
  const auto bytes = fs::file_size(run_dir / name, ec);
  if (ec) return;
  nlohmann::ordered_json& files = manifest["files"];
  nlohmann::ordered_json kept = nlohmann::ordered_json::array();
  for (const auto& f : files)
    if (!(f.is_object() && f.contains("name") && f["name"].is_string() &&
          f["name"].get<std::string>() == name))
      kept.push_back(f);
  kept.push_back({{"name", name}, {"bytes", bytes}});
  files = std::move(kept);
  try {
    metrics::write_file_atomically(run_dir.string(), "manifest.json",
                                   core::dump_json(manifest, 2) + "\n");
  } catch (const std::exception&) {
    // Not writable: the report is written all the same; the manifest stays as the run left it.
  }
}

// The run directory's own name: the page lives in it, and the path it was given by (o/x,
// /tmp/y/x) would make the same run's report differ from one place to another.
std::string directory_name(const std::string& dir) {
  fs::path p = fs::path(dir).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();  // "runs/demo/"
  if (p.empty() || p.filename() == "." || p.filename() == "..") {
    std::error_code ec;
    const fs::path absolute = fs::weakly_canonical(fs::absolute(dir, ec), ec);
    if (!ec && !absolute.filename().empty()) p = absolute;
  }
  return p.filename().string();
}

}  // namespace

std::string render_report(const RunData& run) {
  const config::Scenario& s = run.scenario;
  std::string meta = "run directory " + directory_name(run.dir) + " · seed " +
                     std::to_string(s.seed) + " · horizon " + group_digits(s.horizon_blocks) +
                     " blocks";
  if (run.summary.contains("tool") && run.summary["tool"].is_object()) {
    const auto& tool = run.summary["tool"];
    meta += " · subnetsim " + tool.value("version", std::string("?")) + " (git " + tool.value("git", std::string("?")) + ")";
  }
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
                     html_escape(s.name) + " - subnetsim report</title>\n<style>" + kCss + "</style>\n</head>\n<body>\n";
  html += "<header>\n<h1>" + html_escape(s.name) + "</h1>\n<p class=\"meta\">" + html_escape(meta) + "</p>\n";
  if (!s.description.empty()) html += "<p class=\"description\">" + html_escape(s.description) + "</p>\n";
  for (const auto& n : run.notes) html += sections::note(n);
  html += "</header>\n<main>\n";
  html += sections::summary(run);
  html += sections::stake(run);
  html += sections::rewards(run);
  html += sections::concentration(run);
  html += sections::supply(run);
  html += sections::governance(run);
  html += sections::story(run);
  html += "</main>\n<footer>Written by subnetsim " + html_escape(core::version()) +
          " from the files of the run directory; every chart is drawn inline and the page needs "
          "nothing else.</footer>\n</body>\n</html>\n";
  return html;
}

std::string write_report(const std::string& run_dir, const std::string& out_file) {
  RunDataResult loaded = load_run(run_dir);
  if (!loaded.ok()) return loaded.error;
  const fs::path out = out_file.empty() ? fs::path(run_dir) / "report.html" : fs::path(out_file);
  std::string html;
  try {
    html = render_report(*loaded.data);
  } catch (const nlohmann::json::exception& e) {
    // A summary.json edited by hand, or of another tool: a field of another type than this
    // version writes (a number for "status").
    return (fs::path(run_dir) / "summary.json").string() +
           ": a field has a type this version does not write (" + e.what() + ")";
  }
  const fs::path partial = out.string() + ".partial";
  {
    std::ofstream f(partial, std::ios::binary | std::ios::trunc);
    if (!f) return out.string() + ": cannot write";
    f << html;
    if (!f.flush()) return out.string() + ": cannot write";
  }
  std::error_code ec;
  fs::rename(partial, out, ec);
  if (ec) return out.string() + ": cannot write: " + ec.message();
  if (fs::equivalent(out, fs::path(run_dir) / "report.html", ec))
    record_in_manifest(run_dir, "report.html");
  return "";
}

}  // namespace subnetsim::report
