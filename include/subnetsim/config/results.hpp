// What a run must leave behind: expectations checked for CI and the outputs to write.
#pragma once

#include <cstdint>
#include <string>

#include "subnetsim/config/names.hpp"

namespace subnetsim::config {

enum class CompareOp { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual, kWithin };
inline constexpr EnumName<CompareOp> kCompareOpNames[] = {
    {CompareOp::kLess, "<"},          {CompareOp::kLessEqual, "<="}, {CompareOp::kGreater, ">"},
    {CompareOp::kGreaterEqual, ">="}, {CompareOp::kEqual, "=="},    {CompareOp::kWithin, "within"}};

enum class AtKind { kEnd, kBlock, kRange };

struct Expectation {
  std::string metric;  // dotted path into summary.json, or a series name
  AtKind at = AtKind::kEnd;
  std::uint64_t from_block = 0, to_block = 0;  // kBlock: from == to
  CompareOp op = CompareOp::kLess;
  double value = 0.0;
  double tolerance = 0.0;  // ==: absolute tolerance; within: |x - value| <= tolerance
};

struct OutputsConfig {
  std::uint32_t every_epochs = 1;  // sample the series every this many epochs of each subnet
  bool per_uid = true;             // write the per-uid series
  bool report = false;             // also write report.html
};

}  // namespace subnetsim::config
