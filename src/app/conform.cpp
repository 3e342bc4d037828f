// `conform`: replays conformance cases through the chain-side driver (see conform.hpp).
#include "subnetsim/app/conform.hpp"

#include <filesystem>
#include <new>
#include <ostream>
#include <sstream>

#include "conform_case.hpp"
#include "subnetsim/chain/epoch_driver.hpp"
#include "subnetsim/core/file_text.hpp"
#include "subnetsim/core/json_error.hpp"
#include "subnetsim/core/json_text.hpp"

namespace subnetsim::app {
namespace {

// A conformance file is read whole; one past this size is refused as it is read (a device such
// as /dev/zero has no end). The public file is 74 kB: room for cases of full 256 x 256 matrices.
constexpr std::size_t kMaxConformFileBytes = std::size_t{128} << 20;

using conform::Case;
using conform::Mismatch;
using conform::Op;

struct CaseResult {
  bool pass = true;
  std::string first;      // "step k, quantity, uid, expected, got"
  std::size_t extra = 0;  // further mismatches
  std::vector<std::string> malformed;  // "POINTER: where: expected X, got Y", format errors
};

void note(CaseResult& r, std::size_t step, const std::vector<Mismatch>& ms) {
  for (const Mismatch& m : ms) {
    if (m.malformed) {
      r.malformed.push_back((nlohmann::json::json_pointer(m.pointer) / m.quantity).to_string() +
                            ": " + m.where + ": expected " + m.expected + ", got " + m.got);
      continue;
    }
    if (r.pass) {
      r.pass = false;
      std::ostringstream s;
      s << "step " << step << ", " << m.quantity << ", " << m.where << ", expected " << m.expected
        << ", got " << m.got;
      r.first = s.str();
    } else {
      ++r.extra;
    }
  }
}

CaseResult run_case(const Case& c, consensus::EpochBackend& backend, conform::CheckMode mode) {
  CaseResult result;
  chain::SubnetState state = c.state;
  chain::EpochDriver driver;
  std::vector<Mismatch> ms;
  for (std::size_t k = 0; k < c.steps.size(); ++k) {
    const conform::Step& s = c.steps[k];
    ms.clear();
    switch (s.op) {
      case Op::kSetWeights: {
        chain::set_weights(state, s.uid, s.uids, s.values_submitted, s.block);
        const auto& row = state.weights[s.uid];
        if (s.has_stored)
          for (std::size_t e = 0; e < row.size() && e < s.stored_u16.size(); ++e)
            if (const std::uint16_t stored = row[e].second; stored != s.stored_u16[e])
              ms.push_back(
                  {"stored_u16",
                   "entry " + std::to_string(e) + " (uid " + std::to_string(s.uids[e]) + ")",
                   std::to_string(s.stored_u16[e]), std::to_string(stored)});
        break;
      }
      case Op::kReplaceNeuron:
        chain::replace_neuron(state, s.uid, s.block, s.new_stake_rao);
        break;
      case Op::kResetBondsColumn:
        chain::reset_bonds_column(state, c.params, s.uid);
        break;
      case Op::kEpoch: {
        const consensus::EpochOutput& out =
            driver.run(state, c.params, s.block, s.rao_emission, backend);
        if (s.expect) conform::check_block(*s.expect, false, c, out, state, mode, ms);
        for (Mismatch& m : ms) m.pointer = s.pointer + "/expect";
        const std::size_t from_expect = ms.size();
        if (s.reference_exact)
          conform::check_block(*s.reference_exact, true, c, out, state, mode, ms);
        for (std::size_t i = from_expect; i < ms.size(); ++i)
          ms[i].pointer = s.pointer + "/reference_exact";
        break;
      }
    }
    note(result, k, ms);
  }
  return result;
}

}  // namespace

int run_conform(const std::string& file, consensus::BackendKind backend_kind, std::ostream& out,
                std::ostream& err) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    err << file << ": is a directory; expected a conformance file (JSON)\n";
    return 2;
  }
  std::string text;
  if (const std::string problem = core::file_read_problem(
          core::read_file_text(file, text, kMaxConformFileBytes), kMaxConformFileBytes);
      !problem.empty()) {
    err << file << ": " << problem << "\n";
    return 2;
  }
  if (const std::string nul = core::nul_byte_problem(text); !nul.empty()) {
    err << file << ": not valid JSON: " << nul << "\n";
    return 2;
  }
  nlohmann::json doc;
  try {
    doc = core::parse_json(text);
  } catch (const nlohmann::json::exception& e) {
    err << file << ": not valid JSON: " << core::json_error_message(text, e.what()) << "\n";
    return 2;
  }
  std::vector<Case> cases;
  try {
    cases = conform::parse_cases(doc);
  } catch (const conform::FormatError& e) {
    err << file << ": " << (e.pointer.empty() ? "/" : e.pointer) << ": " << e.what() << "\n";
    return 2;
  }

  for (const Case& c : cases)
    for (const std::string& w : c.warnings) err << file << ": warning: " << w << "\n";

  std::unique_ptr<consensus::EpochBackend> backend;
  try {
    backend = consensus::make_backend(backend_kind);
  } catch (const std::exception& e) {
    err << "conform: backend unavailable: " << e.what() << "\n";
    return 4;
  }
  const conform::CheckMode mode{backend_kind == consensus::BackendKind::kFloat};

  // Every case runs before anything is printed: a malformed expectation (seen only when its
  // step is checked) makes the file bad input, with no verdicts.
  std::vector<CaseResult> results;
  bool malformed = false;
  for (const Case& c : cases) {
    CaseResult& r = results.emplace_back();
    try {
      r = run_case(c, *backend, mode);
    } catch (const std::bad_alloc&) {
      r.pass = false;
      r.first = "out of memory with n = " + std::to_string(c.state.n) + " uids (the " +
                backend->name() + " backend's epoch needs up to n x n values)";
    } catch (const std::exception& e) {
      r.pass = false;
      r.first = std::string("internal error: ") + e.what();
    }
    for (const std::string& m : r.malformed) err << file << ": " << m << "\n";
    malformed = malformed || !r.malformed.empty();
  }
  if (malformed) return 2;

  std::size_t passed = 0, failed = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const CaseResult& r = results[i];
    if (r.pass) {
      ++passed;
      out << "PASS " << c.id << "\n";
    } else {
      ++failed;
      out << "FAIL " << c.id << ": " << r.first;
      if (r.extra > 0) out << " (+" << r.extra << " more)";
      out << "\n";
    }
  }
  out << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace subnetsim::app
