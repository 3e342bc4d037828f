#include "subnetsim/results/expectation_text.hpp"

#include "subnetsim/results/number_text.hpp"

namespace subnetsim::results {

using config::AtKind;
using config::CompareOp;

std::string at_text(const config::Expectation& e) {
  switch (e.at) {
    case AtKind::kEnd: return "end";
    case AtKind::kBlock: return "block " + std::to_string(e.from_block);
    case AtKind::kRange: break;
  }
  return "blocks [" + std::to_string(e.from_block) + ", " + std::to_string(e.to_block) + "]";
}

std::string expected_text(const config::Expectation& e) {
  const std::string v = number_text(e.value);
  switch (e.op) {
    case CompareOp::kLess: return "< " + v;
    case CompareOp::kLessEqual: return "<= " + v;
    case CompareOp::kGreater: return "> " + v;
    case CompareOp::kGreaterEqual: return ">= " + v;
    case CompareOp::kEqual: return e.tolerance > 0 ? "== " + v + " +/- " + number_text(e.tolerance) : "== " + v;
    case CompareOp::kWithin: break;
  }
  return "within " + number_text(e.tolerance) + " of " + v;
}

std::string expectation_title(const config::Expectation& e) {
  return e.metric + " " + expected_text(e) + " at " + at_text(e);
}

}  // namespace subnetsim::results
