// Comparison of one epoch step with its `expect` / `reference_exact` block (see conform_case.hpp).
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string_view>

#include "conform_case.hpp"
#include "subnetsim/core/edit_distance.hpp"
#include "subnetsim/core/json_text.hpp"

namespace subnetsim::app::conform {
namespace {

using nlohmann::json;

// What kind of number a quantity is, which decides how it is compared.
enum class Kind { kU16, kRao, kBool, kFraction };

// Values are compared as long double: every u64 rao amount is exact in its 64-bit mantissa
// (a double rounds those above 2^53, and 2^63 - 1 would compare equal to 2^63).
using Value = long double;

std::string fmt(Value v, Kind kind) {
  if (kind == Kind::kBool) return v != 0 ? "true" : "false";
  char buf[64];
  if (kind == Kind::kFraction)
    std::snprintf(buf, sizeof buf, "%.10Lg", v);
  else
    std::snprintf(buf, sizeof buf, "%.0Lf", v);
  return buf;
}

// Numbers in a logged string, in order ("[[(2, 0.66), ...]]" -> 2, 0.66, ...). `decimals` gets
// how many digits followed the point of each (to judge a truncated prefix).
std::vector<double> numbers_in(const std::string& s, std::vector<int>* decimals = nullptr) {
  std::vector<double> out;
  auto is_word = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
  for (std::size_t k = 0; k < s.size();) {
    const auto ch = static_cast<unsigned char>(s[k]);
    if (std::isalpha(ch) || ch == '_') {  // a word: "true"/"false" count, names like I32F32 not
      std::size_t end = k;
      while (end < s.size() && is_word(s[end])) ++end;
      const std::string word = s.substr(k, end - k);
      if (word == "true" || word == "false") {
        out.push_back(word == "true" ? 1 : 0);
        if (decimals) decimals->push_back(0);
      }
      k = end;
      continue;
    }
    const bool sign =
        ch == '-' && k + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[k + 1]));
    if (!sign && !std::isdigit(ch)) {
      ++k;
      continue;
    }
    std::size_t used = 0;
    out.push_back(number_at(s, k, used));
    if (used == 0) {  // a lone sign or similar: not a number after all
      ++k;
      continue;
    }
    if (decimals) {
      const std::string tok = s.substr(k, used);
      const auto dot = tok.find('.');
      const auto exp = tok.find_first_of("eE");
      decimals->push_back(
          dot == std::string::npos
              ? 0
              : static_cast<int>((exp == std::string::npos ? tok.size() : exp) - dot - 1));
    }
    k += used;
  }
  return out;
}

class Checker {
 public:
  Checker(bool reference, const Case& c, CheckMode mode, std::vector<Mismatch>& mismatches)
      : reference_(reference), case_(c), mode_(mode), mismatches_(mismatches) {}

  bool close(Value expected, Value got, Kind kind) const {
    const Tolerance& tol = case_.tolerance;
    switch (kind) {
      case Kind::kBool:
        return (expected != 0) == (got != 0);
      case Kind::kU16:
        if (mode_.float_backend && std::fabs(expected - got) <= 3) return true;
        if (reference_ || tol.exact) return expected == got;
        if (tol.fraction >= 1 && !tol.percent)
          return std::fabs(expected - got) <= tol.fraction;  // u16 steps
        return std::fabs(expected - got) / 65535.0L <= tol.fraction + 1e-12;
      case Kind::kRao:
        if (mode_.float_backend &&
            std::fabs(expected - got) <= std::max(2.0L, 1e-5L * std::fabs(expected)))
          return true;
        if (reference_ || tol.exact) return expected == got;
        return std::fabs(expected - got) <= (tol.fraction < 1 || tol.percent
                                                 ? tol.fraction * std::fabs(expected)
                                                 : tol.fraction);
      case Kind::kFraction:
        // A tolerance of 1 or more counts u16 steps here too (a fraction is u16/65535).
        return std::fabs(expected - got) <=
               static_cast<Value>(std::max(1e-6, tol.exact ? 0.0
                                                 : tol.fraction >= 1 && !tol.percent
                                                     ? tol.fraction / 65535.0
                                                     : tol.fraction));
    }
    return false;
  }

  void report(const std::string& key, const std::string& where, const std::string& expected,
              const std::string& got) {
    mismatches_.push_back({key, where, expected, got});
  }

  // The expectation itself is malformed (a format error, not a difference): `what` it should
  // be, and the value found.
  void malformed(const std::string& key, const std::string& where, const std::string& what,
                 const std::string& found) {
    Mismatch m{key, where, what, found};
    m.malformed = true;
    mismatches_.push_back(std::move(m));
  }

  // The expected value as `kind` requires it: true/false for a flag, an integer from 0 to
  // 65535 for a u16 quantity, a whole number of rao from 0 to 2^64 - 1, any number for a
  // fraction. Anything else makes the expectation malformed (NaN returned).
  Value number(const json& v, const std::string& key, const std::string& where, Kind kind) {
    const Value bad = std::nanl("");
    switch (kind) {
      case Kind::kBool:
        if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
        malformed(key, where, "true or false", core::dump_json(v));
        return bad;
      case Kind::kFraction:
        if (v.is_number()) return v.get<double>();
        malformed(key, where, "a number", core::dump_json(v));
        return bad;
      case Kind::kU16:
      case Kind::kRao: {
        const bool u16 = kind == Kind::kU16;
        const std::string what =
            u16 ? "an integer from 0 to 65535" : "a whole number of rao from 0 to 2^64 - 1";
        Value x = -1;
        if (v.is_number_unsigned()) {
          x = static_cast<Value>(v.get<std::uint64_t>());
        } else if (v.is_number_integer()) {
          x = static_cast<Value>(v.get<std::int64_t>());  // negative: refused below
        } else if (v.is_number_float()) {
          // A whole number written with a point or an exponent (1e6); a double, so exact
          // only up to 2^53.
          const double d = v.get<double>();
          if (d == std::floor(d)) x = d;
        }
        if (x >= 0 && x <= (u16 ? 65535.0L : 18446744073709551615.0L)) return x;
        malformed(key, where, what, core::dump_json(v));
        return bad;
      }
    }
    return bad;
  }

  // A per-uid vector given whole (list), partly ({"uid": v}) or as a logged string.
  void vector(const std::string& key, const json& expected, Kind kind,
              const std::function<Value(std::size_t)>& got, std::size_t n, bool prefix = false) {
    if (expected.is_array()) {
      if (expected.size() != n) {
        malformed(key, "length", "a list of n = " + std::to_string(n) + " values",
                  std::to_string(expected.size()) + " values");
        return;
      }
      for (std::size_t i = 0; i < n; ++i)
        one(key, "uid " + std::to_string(i), expected[i], kind, got(i));
    } else if (expected.is_object()) {
      for (const auto& [uid_key, v] : expected.items()) {
        const auto uid = parse_uid(uid_key, n);
        if (!uid) {
          malformed(key, "uid " + uid_key,
                    "a uid below n = " + std::to_string(n) + " (no leading zeros)",
                    "\"" + uid_key + "\"");
          continue;
        }
        one(key, "uid " + uid_key, v, kind, got(*uid));
      }
    } else if (expected.is_string()) {
      std::vector<Value> ours(n);
      for (std::size_t i = 0; i < n; ++i) ours[i] = got(i);
      numbers(key, expected.get<std::string>(), ours, kind, prefix);
    } else {
      malformed(key, "value", "a list, an object or a string", core::dump_json(expected));
    }
  }

  // Compares the numbers of a logged string with `ours`, in order. A "(prefix)" string may end
  // with a number truncated by the log: it only has to be a prefix of ours.
  void numbers(const std::string& key, const std::string& text, const std::vector<Value>& ours,
               Kind kind, bool prefix) {
    std::vector<int> decimals;
    const std::vector<double> want = numbers_in(text, &decimals);
    // A string with nothing to compare would pass whatever it says.
    if (want.empty() && (prefix || !ours.empty())) {
      malformed(key, "value", "a logged string holding the numbers to compare",
                core::dump_json(json(text)).substr(0, 60));
      return;
    }
    if (!prefix && want.size() != ours.size()) {
      report(key, "count of numbers", std::to_string(want.size()), std::to_string(ours.size()));
      return;
    }
    for (std::size_t k = 0; k < want.size(); ++k) {
      if (k >= ours.size()) {
        report(key, "number " + std::to_string(k), fmt(want[k], kind), "(missing)");
        return;
      }
      bool ok = close(want[k], ours[k], kind);
      if (!ok && prefix && k + 1 == want.size()) {
        const Value step = std::pow(10.0L, -decimals[k]);
        ok = ours[k] >= want[k] - 1e-12L && ours[k] < want[k] + step;
      }
      if (!ok) report(key, "number " + std::to_string(k), fmt(want[k], kind), fmt(ours[k], kind));
    }
  }

  void one(const std::string& key, const std::string& where, const json& expected, Kind kind,
           Value got) {
    const Value want = number(expected, key, where, kind);
    if (std::isnan(want)) return;
    if (!close(want, got, kind)) report(key, where, fmt(want, kind), fmt(got, kind));
  }

  // Sparse rows as a flat number list (j, w, j, w, ...) for the logged matrix strings.
  void rows(const std::string& key, const json& expected, const consensus::SparseRowsF64& ours) {
    if (!expected.is_string()) {
      malformed(key, "value", "a logged string", core::dump_json(expected).substr(0, 60));
      return;
    }
    std::vector<Value> flat;
    for (const auto& row : ours)
      for (const auto& [j, w] : row) {
        flat.push_back(j);
        flat.push_back(w);
      }
    numbers(key, expected.get<std::string>(), flat, Kind::kFraction, false);
  }

  void bonds(const std::string& key, const json& expected, const chain::SubnetState& state) {
    if (!expected.is_object()) {
      malformed(key, "value", "an object", core::dump_json(expected).substr(0, 60));
      return;
    }
    auto stored_at = [&](std::size_t i, std::size_t j) -> Value {
      for (const auto& [c, v] : state.bonds[i])
        if (c == j) return v;
      return 0;
    };
    std::vector<bool> listed(state.n, false);
    for (const auto& [k, v] : expected.items()) {
      unsigned i = 0, j = 0;
      char tail = 0;
      if (std::sscanf(k.c_str(), "B[%u][%u]%c", &i, &j, &tail) == 2) {
        if (i >= state.n || j >= state.n)
          malformed(key, k, "uids below n = " + std::to_string(state.n), core::dump_json(v));
        else
          one(key, k, v, Kind::kU16, stored_at(i, j));
        continue;
      }
      const auto uid = parse_uid(k, state.n);
      if (!uid || !v.is_array()) {
        malformed(key, k,
                  "\"B[i][j]\" or a uid row (a uid below n = " + std::to_string(state.n) +
                      ": [[j, v], ...])",
                  "\"" + k + "\": " + core::dump_json(v).substr(0, 60));
        continue;
      }
      listed[*uid] = true;
      row(key, *uid, v, state);
    }
    // reference_exact as uid rows lists every non-empty row; given as "B[i][j]" keys it lists
    // entries, and asserts nothing of the others.
    bool entries = false;
    for (const auto& [k, v] : expected.items()) entries = entries || k.rfind("B[", 0) == 0;
    if (reference_ && !entries)
      for (std::size_t i = 0; i < state.n; ++i)
        if (!listed[i]) row(key, i, json::array(), state);
  }

  void row(const std::string& key, std::size_t i, const json& expected,
           const chain::SubnetState& state) {
    consensus::SparseRowU16 want;
    for (const auto& e : expected) {
      // A column is a uid below n, a value a u16: anything else would be cut to 16 bits.
      const bool pair = e.is_array() && e.size() == 2;
      const bool column_ok =
          pair && e[0].is_number_unsigned() && e[0].get<std::uint64_t>() < state.n;
      const bool value_ok = pair && (e[1].is_number_unsigned() || e[1].is_number_integer()) &&
                            e[1].get<std::int64_t>() >= 0 && e[1].get<std::int64_t>() <= 65535;
      if (!column_ok || !value_ok) {
        malformed(key, "row " + std::to_string(i),
                  "[[j, v], ...] with each column j a uid below n = " + std::to_string(state.n) +
                      " and each value v an integer from 0 to 65535",
                  core::dump_json(e).substr(0, 60));
        return;
      }
      want.emplace_back(e[0].get<std::uint16_t>(), e[1].get<std::uint16_t>());
    }
    std::vector<std::uint16_t> columns;
    for (const auto& e : want) columns.push_back(e.first);
    if (const auto rep = first_repeat(columns)) {
      malformed(key, "row " + std::to_string(i), "each column once, as a stored row has it",
                "column " + std::to_string(columns[rep->second]) + " twice");
      return;
    }
    const auto& got = state.bonds[i];
    // reference_exact on the exact backend: the row as stored, entry by entry and in order.
    // Otherwise (an `expect`, or the float backend) each column's value within the tolerance,
    // whatever the order the row lists them in.
    if (!mode_.float_backend && reference_) {
      for (std::size_t k = 0; k < std::max(want.size(), got.size()); ++k) {
        const std::string where = "row " + std::to_string(i) + " entry " + std::to_string(k);
        auto show = [](const consensus::SparseRowU16& r, std::size_t k2) {
          if (k2 >= r.size()) return std::string("none");
          std::string t(1, '(');  // appended piecewise: GCC 12 misreports "(" + string
          t.append(std::to_string(r[k2].first)).append(", ").append(std::to_string(r[k2].second));
          return t.append(")");
        };
        if (k >= want.size() || k >= got.size() || want[k] != got[k]) {
          report(key, where, show(want, k), show(got, k));
          return;
        }
      }
      return;
    }
    auto at = [](const consensus::SparseRowU16& r, std::size_t j) -> Value {
      for (const auto& [c, v] : r)
        if (c == j) return v;
      return 0;
    };
    for (const consensus::SparseRowU16* r :
         {static_cast<const consensus::SparseRowU16*>(&want), &got})
      for (const auto& [j, v] : *r)
        if (!close(at(want, j), at(got, j), Kind::kU16))
          report(key, "B[" + std::to_string(i) + "][" + std::to_string(j) + "]",
                 fmt(at(want, j), Kind::kU16), fmt(at(got, j), Kind::kU16));
  }

  static std::optional<std::size_t> parse_uid(const std::string& key, std::size_t n) {
    if (key.empty() || (key.size() > 1 && key[0] == '0') ||
        !std::all_of(key.begin(), key.end(), [](unsigned char ch) { return std::isdigit(ch); }))
      return std::nullopt;
    std::size_t uid = 0;
    const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), uid);
    if (ec != std::errc() || end != key.data() + key.size() || uid >= n) return std::nullopt;
    return uid;
  }

 private:
  bool reference_;
  const Case& case_;
  CheckMode mode_;
  std::vector<Mismatch>& mismatches_;
};

}  // namespace

void check_block(const json& block, bool reference, const Case& c,
                 const consensus::EpochOutput& out, const chain::SubnetState& state, CheckMode mode,
                 std::vector<Mismatch>& mismatches) {
  Checker chk(reference, c, mode, mismatches);
  const std::size_t n = state.n;
  auto u16s = [](const std::vector<std::uint16_t>& v) {
    return [&v](std::size_t i) { return Value(v[i]); };
  };
  auto u64s = [](const std::vector<std::uint64_t>& v) {
    return [&v](std::size_t i) { return Value(v[i]); };
  };
  auto f64s = [](const std::vector<double>& v) {
    return [&v](std::size_t i) { return Value(v[i]); };
  };
  auto permits = [&out](std::size_t i) { return Value(out.new_permit[i] ? 1 : 0); };
  auto inactive = [&state](std::size_t i) { return Value(state.active[i] ? 0 : 1); };
  auto dividend_fraction = [&out](std::size_t i) { return Value(out.dividends_u16[i] / 65535.0); };

  // Every quantity conform computes: the names a file may give it by, and its check. One
  // table, so that the hint on an unknown name offers exactly the names that are known.
  using K = Kind;
  struct Quantity {
    std::vector<std::string> names;
    std::function<void(const std::string&, const json&)> check;
  };
  auto vector_of = [&chk, n](Kind kind, std::function<Value(std::size_t)> get, bool prefix = false) {
    return [&chk, n, kind, get, prefix](const std::string& key, const json& v) {
      chk.vector(key, v, kind, get, n, prefix);
    };
  };
  const std::vector<Quantity> quantities = {
      {{"dividends_u16"}, vector_of(K::kU16, u16s(out.dividends_u16))},
      {{"incentive_u16"}, vector_of(K::kU16, u16s(out.incentive_u16))},
      {{"consensus_u16"}, vector_of(K::kU16, u16s(out.consensus_u16))},
      {{"validator_trust_u16"}, vector_of(K::kU16, u16s(out.validator_trust_u16))},
      {{"stake_weight_u16"}, vector_of(K::kU16, u16s(out.stake_weight_u16))},
      {{"emission_rao", "Combined Emission (rao)"}, vector_of(K::kRao, u64s(out.emission_rao))},
      {{"server_emission_rao", "Server Emission (rao)"},
       vector_of(K::kRao, u64s(out.server_emission_rao))},
      {{"validator_emission_rao", "Validator Emission (rao)"},
       vector_of(K::kRao, u64s(out.validator_emission_rao))},
      {{"new_validator_permit", "new_validator_permits"}, vector_of(K::kBool, permits)},
      {{"inactive", "Inactive"}, vector_of(K::kBool, inactive)},
      {{"stored_bonds_u16"},
       [&chk, &state](const std::string& key, const json& v) { chk.bonds(key, v, state); }},
      {{"dividends_fraction"}, vector_of(K::kFraction, dividend_fraction)},
      {{"Normalised Stake"}, vector_of(K::kFraction, f64s(out.stake))},
      {{"Normalised Stake (prefix)"}, vector_of(K::kFraction, f64s(out.stake), true)},
      {{"Active Stake"}, vector_of(K::kFraction, f64s(out.active_stake))},
      {{"Consensus"}, vector_of(K::kFraction, f64s(out.consensus))},
      {{"Validator Trust"}, vector_of(K::kFraction, f64s(out.validator_trust))},
      {{"Incentive"}, vector_of(K::kFraction, f64s(out.incentive))},
      {{"Dividends"}, vector_of(K::kFraction, f64s(out.dividends))},
      {{"Normalized Validator Emission"}, vector_of(K::kFraction, f64s(out.validator_share))},
      {{"Normalized Server Emission"}, vector_of(K::kFraction, f64s(out.server_share))},
      {{"Normalized Combined Emission"}, vector_of(K::kFraction, f64s(out.combined_share))},
      {{"Weights (mask+norm)"},
       [&chk, &out](const std::string& key, const json& v) { chk.rows(key, v, out.weights_normalized); }},
      {{"ΔB (norm)"}, [&chk, &out](const std::string& key, const json& v) {
         chk.rows(key, v, out.delta_bonds_normalized);
       }}};
  for (const auto& [key, v] : block.items()) {
    if (key.find("NOT_ASSERTED") != std::string::npos || key == "note" || key.rfind('_', 0) == 0)
      continue;
    const auto q = std::find_if(quantities.begin(), quantities.end(), [&key](const Quantity& x) {
      return std::find(x.names.begin(), x.names.end(), key) != x.names.end();
    });
    if (q != quantities.end()) {
      q->check(key, v);
      continue;
    }
    // Not malformed: a quantity this runner does not compute cannot be said to hold, so the
    // case fails (once the whole file stopped, with no verdict for any case).
    std::vector<std::string> known;
    for (const auto& x : quantities) known.insert(known.end(), x.names.begin(), x.names.end());
    const std::string near = core::nearest_name(key, known);
    chk.report(key, "-", "a quantity conform computes",
               "none: conform does not know it" +
                   (near.empty() ? std::string() : " (did you mean " + near + "?)"));
  }
}

}  // namespace subnetsim::app::conform
