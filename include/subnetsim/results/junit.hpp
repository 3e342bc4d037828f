// JUnit XML for CI: one <testsuite> (inside <testsuites>) whose test cases are the expectations.
//
// Invariants: well-formed XML 1.0 in UTF-8 whatever the names hold (markup characters escaped,
// characters XML cannot carry replaced by '?'); tests/failures counts agree with the cases; one
// <testcase name="TITLE"> per outcome in order, TITLE as expectation_title() writes it, with a
// <failure message="REASON"> child exactly when the expectation failed; write_junit replaces the
// file atomically (a reader never sees half of it).
#pragma once

#include <string>
#include <vector>

#include "subnetsim/results/expectation.hpp"

namespace subnetsim::results {

std::string junit_xml(const std::string& suite_name, const std::vector<ExpectationOutcome>& outcomes);

// Several suites in one report (subnetsim cases: one per case). A suite with an `error` (its run
// did not finish) holds one test case "run" with an <error>, as junit_error_xml writes it; the
// counts of <testsuites> are the sums. junit_xml and junit_error_xml are its one-suite forms.
struct JunitSuite {
  std::string name;
  std::vector<ExpectationOutcome> outcomes;
  std::string error;  // non-empty: the run did not finish, and why
};
std::string junit_suites_xml(const std::string& name, const std::vector<JunitSuite>& suites);
void write_junit_suites(const std::string& path, const std::string& name,
                        const std::vector<JunitSuite>& suites);

// Throws std::runtime_error (naming the file) when it cannot be written.
void write_junit(const std::string& path, const std::string& suite_name,
                 const std::vector<ExpectationOutcome>& outcomes);

// A run that did not finish (a broken invariant, an interruption, an output it could not
// write): one test case "run" with an <error> carrying `message`, so that CI reads a failure,
// never a stale report of an earlier run.
std::string junit_error_xml(const std::string& suite_name, const std::string& message);
void write_junit_error(const std::string& path, const std::string& suite_name,
                       const std::string& message);

// Whether the file at `path` is a JUnit report (XML whose root is <testsuites>, as these
// functions and other tools write it): what a run may remove so that no stale report of an
// earlier run is left behind. False for any other file, or one it cannot read.
bool is_junit_report(const std::string& path);

// The file a report named `path` is: `path` itself, or, when it is a symbolic link (a CI
// workspace linking its reports into an artifacts folder), the file its links end at, existing
// or not. Writing and removing a report go there, so the link stays and keeps pointing at it.
// A chain of more than 40 links (a loop) is left as it is.
std::string report_file(const std::string& path);

// Text escaped for XML content and attribute values.
std::string xml_escape(const std::string& text);

}  // namespace subnetsim::results
