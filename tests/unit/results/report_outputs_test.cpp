// The two ways outcomes are shown: the aligned table and JUnit XML.
#include <catch2/catch.hpp>
#include <sstream>

#include "subnetsim/results/junit.hpp"
#include "subnetsim/results/outcome_table.hpp"
#include "temp_run_dir.hpp"

using subnetsim::config::CompareOp;
using subnetsim::results::ExpectationOutcome;

namespace {

ExpectationOutcome outcome(const std::string& metric, CompareOp op, double value, bool passed,
                           std::optional<double> actual, const std::string& reason) {
  ExpectationOutcome o;
  o.expectation.metric = metric;
  o.expectation.op = op;
  o.expectation.value = value;
  o.passed = passed;
  o.actual = actual;
  o.reason = reason;
  return o;
}

const std::vector<ExpectationOutcome> kOutcomes = {
    outcome("slashed_tao", CompareOp::kGreater, 0, true, 12.5, "summary.json"),
    outcome("miners.gini", CompareOp::kLess, 0.5, false, 0.62, "summary.json: 0.62 is not < 0.5"),
    outcome("a<b&\"c\"", CompareOp::kLess, 1, false, std::nullopt, "unknown metric \"a<b&'c'\"\x01"),
};

}  // namespace

TEST_CASE("the outcome table is aligned and ends with the counts", "[results]") {
  std::ostringstream out;
  subnetsim::results::print_outcomes(out, kOutcomes);
  CHECK(out.str() ==
        "result  metric       at   expected  actual  reason\n"
        "PASS    slashed_tao  end  > 0       12.5    summary.json\n"
        "FAIL    miners.gini  end  < 0.5     0.62    summary.json: 0.62 is not < 0.5\n"
        "FAIL    a<b&\"c\"      end  < 1       -       unknown metric \"a<b&'c'\"\x01\n"
        "3 expectations: 1 passed, 2 failed\n");
  std::ostringstream none;
  subnetsim::results::print_outcomes(none, {});
  CHECK(none.str() == "0 expectations: 0 passed, 0 failed\n");
}

TEST_CASE("the outcome table counts a UTF-8 character as one column, not its bytes", "[results]") {
  std::ostringstream out;
  // "gini", a plus-minus sign, a euro sign: 8 characters in 11 bytes.
  subnetsim::results::print_outcomes(
      out, {outcome("gini \xc2\xb1 \xe2\x82\xac", CompareOp::kLess, 1, true, 0.5, "summary.json")});
  CHECK(out.str() ==
        "result  metric    at   expected  actual  reason\n"
        "PASS    gini \xc2\xb1 \xe2\x82\xac  end  < 1       0.5     summary.json\n"
        "1 expectation: 1 passed, 0 failed\n");
}

TEST_CASE("JUnit XML: counts, one test case per expectation, failures escaped", "[results]") {
  const std::string xml = subnetsim::results::junit_xml("demo & co", kOutcomes);
  CHECK(xml ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"demo &amp; co\" tests=\"3\" failures=\"2\">\n"
        "  <testsuite name=\"demo &amp; co\" tests=\"3\" failures=\"2\" errors=\"0\" skipped=\"0\">\n"
        "    <testcase classname=\"demo &amp; co\" name=\"slashed_tao &gt; 0 at end\"/>\n"
        "    <testcase classname=\"demo &amp; co\" name=\"miners.gini &lt; 0.5 at end\">\n"
        "      <failure type=\"expectation\" message=\"summary.json: 0.62 is not &lt; 0.5\">"
        "expected &lt; 0.5 at end, got 0.62</failure>\n"
        "    </testcase>\n"
        "    <testcase classname=\"demo &amp; co\" name=\"a&lt;b&amp;&quot;c&quot; &lt; 1 at end\">\n"
        "      <failure type=\"expectation\" message=\"unknown metric &quot;a&lt;b&amp;&apos;c&apos;&quot;?\">"
        "expected &lt; 1 at end, got none</failure>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "</testsuites>\n");
  CHECK(subnetsim::results::xml_escape("a\nb\tc\r") == "a&#10;b&#9;c&#13;");
  CHECK(subnetsim::results::xml_escape("gini \xc2\xb1") == "gini \xc2\xb1");  // UTF-8 kept
  // What XML 1.0 does not allow becomes '?': U+FFFE and U+FFFF (valid in JSON), malformed,
  // truncated and overlong UTF-8, a surrogate. Four-byte characters are kept.
  CHECK(subnetsim::results::xml_escape("a\xef\xbf\xbe b\xef\xbf\xbf") == "a? b?");
  CHECK(subnetsim::results::xml_escape("\xff x \xc3") == "? x ?");
  CHECK(subnetsim::results::xml_escape("\xc0\xaf") == "?");
  CHECK(subnetsim::results::xml_escape("\xf8\x90\x80\x80 \xfc\x80") == "???? ??");  // no lead bytes
  CHECK(subnetsim::results::xml_escape("\xf5\x80\x80\x80") == "?");                 // past U+10FFFF
  CHECK(subnetsim::results::xml_escape("\xed\xa0\x80") == "?");
  CHECK(subnetsim::results::xml_escape("\xf0\x9f\x98\x80 \xe2\x82\xac") ==
        "\xf0\x9f\x98\x80 \xe2\x82\xac");
}

TEST_CASE(
    "JUnit XML with several suites (cases): the counts are the sums, a run that did not finish is "
    "an error",
    "[results]") {
  using subnetsim::results::JunitSuite;
  const std::string xml = subnetsim::results::junit_suites_xml(
      "cases",
      {JunitSuite{"kappa", {kOutcomes[0], kOutcomes[1]}, ""},
       JunitSuite{"clip", {}, "interrupted after block 7"}, JunitSuite{"other-variant", {}, ""}});
  CHECK(
      xml ==
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"cases\" tests=\"3\" failures=\"1\" errors=\"1\">\n"
      "  <testsuite name=\"kappa\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\">\n"
      "    <testcase classname=\"kappa\" name=\"slashed_tao &gt; 0 at end\"/>\n"
      "    <testcase classname=\"kappa\" name=\"miners.gini &lt; 0.5 at end\">\n"
      "      <failure type=\"expectation\" message=\"summary.json: 0.62 is not &lt; 0.5\">"
      "expected &lt; 0.5 at end, got 0.62</failure>\n"
      "    </testcase>\n"
      "  </testsuite>\n"
      "  <testsuite name=\"clip\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n"
      "    <testcase classname=\"clip\" name=\"run\">\n"
      "      <error type=\"run\" message=\"interrupted after block 7\">interrupted after block "
      "7</error>\n"
      "    </testcase>\n"
      "  </testsuite>\n"
      "  <testsuite name=\"other-variant\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\">\n"
      "  </testsuite>\n"
      "</testsuites>\n");
  // One suite is the one-run report, error or not.
  CHECK(subnetsim::results::junit_suites_xml("s", {JunitSuite{"s", kOutcomes, ""}}) ==
        subnetsim::results::junit_xml("s", kOutcomes));
  CHECK(subnetsim::results::junit_suites_xml("s", {JunitSuite{"s", {}, "boom"}}) ==
        subnetsim::results::junit_error_xml("s", "boom"));
}

TEST_CASE("write_junit replaces the file whole", "[results]") {
  TempRunDir dir("junit");
  const std::string path = (dir.path / "results.xml").string();
  dir.write("results.xml", "old");
  subnetsim::results::write_junit(path, "s", kOutcomes);
  CHECK(dir.read("results.xml") == subnetsim::results::junit_xml("s", kOutcomes));
  CHECK_FALSE(std::filesystem::exists(dir.path / "results.xml.partial"));
  CHECK_THROWS(subnetsim::results::write_junit((dir.path / "no" / "such" / "x.xml").string(), "s", kOutcomes));
}

TEST_CASE("is_junit_report: our reports and other tools', nothing else", "[results]") {
  using subnetsim::results::is_junit_report;
  TempRunDir dir("is-junit");
  subnetsim::results::write_junit((dir.path / "ours.xml").string(), "s", kOutcomes);
  subnetsim::results::write_junit_error((dir.path / "error.xml").string(), "s", "stopped");
  dir.write("theirs.xml",
            "<?xml version=\"1.0\"?>\n<!-- pytest: a > b, <c> -->\n<testsuite name=\"x\" "
            "tests=\"0\"/>\n");
  dir.write("note.txt", "important\n");
  dir.write("summary.json", "{\"blocks\": 10}\n");
  dir.write("other.xml", "<?xml version=\"1.0\"?>\n<project/>\n");
  dir.write("notes.xml", "<testsuite-notes>keep</testsuite-notes>\n");
  // Text before the root is no XML prolog: a scenario or notes that mention the element.
  dir.write("scenario.json", "{\"name\": \"x\", \"description\": \"<testsuite> demo\"}\n");
  dir.write("notes.md", "# CI\n<testsuite name=\"a\"/> is what we write\n");
  dir.write("bom.xml", "\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!DOCTYPE x>\n<testsuites/>\n");
  dir.write("bare.xml", "<testsuites>");
  CHECK(is_junit_report((dir.path / "ours.xml").string()));
  CHECK(is_junit_report((dir.path / "error.xml").string()));
  CHECK(is_junit_report((dir.path / "theirs.xml").string()));
  CHECK_FALSE(is_junit_report((dir.path / "note.txt").string()));
  CHECK_FALSE(is_junit_report((dir.path / "summary.json").string()));
  CHECK_FALSE(is_junit_report((dir.path / "other.xml").string()));
  CHECK_FALSE(is_junit_report((dir.path / "notes.xml").string()));  // a name that only begins so
  CHECK_FALSE(is_junit_report((dir.path / "scenario.json").string()));
  CHECK_FALSE(is_junit_report((dir.path / "notes.md").string()));
  CHECK(is_junit_report((dir.path / "bom.xml").string()));
  CHECK(is_junit_report((dir.path / "bare.xml").string()));
  CHECK_FALSE(is_junit_report((dir.path / "absent.xml").string()));
}
