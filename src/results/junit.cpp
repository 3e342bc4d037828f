#include "subnetsim/results/junit.hpp"

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "subnetsim/core/file_text.hpp"
#include "subnetsim/metrics/csv_writer.hpp"
#include "subnetsim/results/expectation_text.hpp"
#include "subnetsim/results/number_text.hpp"

namespace subnetsim::results {

bool is_junit_report(const std::string& path) {
  const std::string head = core::read_file_head(path, 4096);
  // XML's prolog, and nothing else, may come before the root element: a byte-order mark, white
  // space, the declaration, comments, processing instructions, a doctype. Any other text first
  // (a JSON scenario, notes that mention "<testsuite>") is not a report.
  std::size_t at = head.compare(0, 3, "\xef\xbb\xbf") == 0 ? 3 : 0;
  while (at < head.size()) {
    if (std::string_view(" \t\r\n").find(head[at]) != std::string_view::npos) {
      ++at;
      continue;
    }
    if (head[at] != '<') return false;
    if (head.compare(at, 4, "<!--") == 0) {
      at = head.find("-->", at + 4);
      if (at == std::string::npos) return false;
      at += 3;
      continue;
    }
    if (head.compare(at, 2, "<?") == 0 || head.compare(at, 2, "<!") == 0) {
      at = head.find('>', at);
      if (at == std::string::npos) return false;
      ++at;
      continue;
    }
    // The root element. Its name ends at white space, '>' or '/': <testsuite-notes> is not a
    // report.
    for (const std::string name : {"<testsuites", "<testsuite"}) {
      if (head.compare(at, name.size(), name) != 0) continue;
      const std::size_t end = at + name.size();
      if (end < head.size() &&
          std::string_view(" \t\r\n>/").find(head[end]) != std::string_view::npos)
        return true;
    }
    return false;
  }
  return false;
}

namespace {
// `text` with each sequence that is not an XML 1.0 Char in UTF-8 (malformed or overlong UTF-8,
// surrogates, U+FFFE and U+FFFF) replaced by '?': a JSON string may hold U+FFFE, and a report
// holding it is not well-formed XML, which a CI server then fails to read.
std::string xml_chars_only(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0x80) {
      out += text[i++];
      continue;
    }
    // Lead bytes: C0..DF two bytes, E0..EF three, F0..F7 four (F5..F7 give code points past
    // U+10FFFF, refused below); 80..BF and F8..FF lead nothing.
    const std::size_t len = b0 >= 0xf8 ? 0 : b0 >= 0xf0 ? 4 : b0 >= 0xe0 ? 3 : b0 >= 0xc0 ? 2 : 0;
    std::uint32_t cp = len == 4 ? (b0 & 0x07u) : len == 3 ? (b0 & 0x0fu) : (b0 & 0x1fu);
    bool ok = len != 0 && i + len <= text.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      ok = (b & 0xc0u) == 0x80u;
      cp = (cp << 6) | (b & 0x3fu);
    }
    if (!ok) {  // not a UTF-8 sequence: one '?' a byte
      out += '?';
      ++i;
      continue;
    }
    // A sequence, but of no XML character: one '?' for it.
    static constexpr std::uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
    const bool allowed = cp >= kMin[len] && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) &&
                         cp != 0xfffe && cp != 0xffff;
    if (allowed)
      out.append(text, i, len);
    else
      out += '?';
    i += len;
  }
  return out;
}
}  // namespace

std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      case '\t': out += "&#9;"; break;
      default:
        // Control characters are not allowed in XML 1.0; bytes >= 0x80 are UTF-8, below.
        if (static_cast<unsigned char>(c) < 0x80)
          out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
        else
          out += c;
    }
  }
  return xml_chars_only(out);
}

std::string junit_suites_xml(const std::string& name, const std::vector<JunitSuite>& suites) {
  std::size_t tests = 0, failures = 0, errors = 0;
  for (const JunitSuite& s : suites) {
    tests += s.error.empty() ? s.outcomes.size() : 1;
    failures += s.error.empty() ? count_failed(s.outcomes) : 0;
    errors += s.error.empty() ? 0 : 1;
  }
  auto counts = [](std::size_t t, std::size_t f, std::size_t e, bool always_errors) {
    std::string c = " tests=\"" + std::to_string(t) + "\" failures=\"" + std::to_string(f) + "\"";
    if (always_errors || e > 0) c += " errors=\"" + std::to_string(e) + "\"";
    return c;
  };
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"" +
                    xml_escape(name) + "\"" + counts(tests, failures, errors, false) + ">\n";
  for (const JunitSuite& s : suites) {
    const std::string suite = xml_escape(s.name);
    if (!s.error.empty()) {
      // A run that did not finish: one test case "run" with an <error>.
      xml += "  <testsuite name=\"" + suite + "\"" + counts(1, 0, 1, true) +
             " skipped=\"0\">\n    <testcase classname=\"" + suite +
             "\" name=\"run\">\n      <error type=\"run\" message=\"" + xml_escape(s.error) +
             "\">" + xml_escape(s.error) + "</error>\n    </testcase>\n  </testsuite>\n";
      continue;
    }
    xml += "  <testsuite name=\"" + suite + "\"" +
           counts(s.outcomes.size(), count_failed(s.outcomes), 0, true) + " skipped=\"0\">\n";
    for (const auto& o : s.outcomes) {
      xml += "    <testcase classname=\"" + suite + "\" name=\"" +
             xml_escape(expectation_title(o.expectation)) + "\"";
      if (o.passed) {
        xml += "/>\n";
        continue;
      }
      const std::string actual = o.actual ? number_text(*o.actual) : "none";
      xml += ">\n      <failure type=\"expectation\" message=\"" + xml_escape(o.reason) + "\">" +
             xml_escape("expected " + expected_text(o.expectation) + " at " +
                        at_text(o.expectation) + ", got " + actual) +
             "</failure>\n    </testcase>\n";
    }
    xml += "  </testsuite>\n";
  }
  return xml + "</testsuites>\n";
}

std::string junit_xml(const std::string& suite_name,
                      const std::vector<ExpectationOutcome>& outcomes) {
  return junit_suites_xml(suite_name, {JunitSuite{suite_name, outcomes, ""}});
}

std::string report_file(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path p(path);
  std::error_code ec;
  for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(p, ec)); ++hops) {
    const fs::path target = fs::read_symlink(p, ec);
    if (ec) break;
    p = target.is_absolute() ? target : p.parent_path() / target;
  }
  return p.string();
}

namespace {
void write_xml(const std::string& path, const std::string& xml) {
  const std::filesystem::path p(report_file(path));
  const std::string dir = p.has_parent_path() ? p.parent_path().string() : std::string(".");
  metrics::write_file_atomically(dir, p.filename().string(), xml);
}
}  // namespace

void write_junit(const std::string& path, const std::string& suite_name,
                 const std::vector<ExpectationOutcome>& outcomes) {
  write_xml(path, junit_xml(suite_name, outcomes));
}

void write_junit_suites(const std::string& path, const std::string& name,
                        const std::vector<JunitSuite>& suites) {
  write_xml(path, junit_suites_xml(name, suites));
}

std::string junit_error_xml(const std::string& suite_name, const std::string& message) {
  return junit_suites_xml(suite_name, {JunitSuite{suite_name, {}, message}});
}

void write_junit_error(const std::string& path, const std::string& suite_name,
                       const std::string& message) {
  write_xml(path, junit_error_xml(suite_name, message));
}

}  // namespace subnetsim::results
