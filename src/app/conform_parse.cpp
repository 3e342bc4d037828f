// Parsing of conformance files into typed cases (see conform_case.hpp). Every accessor names the
// JSON pointer of the value it reads, so a malformed file is reported precisely.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>
#include <span>
#include <string_view>

#include "conform_case.hpp"
#include "subnetsim/chain/epoch_driver.hpp"
#include "subnetsim/core/edit_distance.hpp"
#include "subnetsim/core/json_text.hpp"

namespace subnetsim::app::conform {
namespace {

using nlohmann::json;

std::string escape_token(std::string_view key) {
  std::string out;
  for (char ch : key) {
    if (ch == '~')
      out += "~0";
    else if (ch == '/')
      out += "~1";
    else
      out += ch;
  }
  return out;
}

std::string child(const std::string& ptr, std::string_view key) {
  return ptr + "/" + escape_token(key);
}
std::string child(const std::string& ptr, std::size_t index) {
  return ptr + "/" + std::to_string(index);
}

// What was found instead of what was expected: its JSON text, cut short.
std::string found(const json& v) {
  std::string text = core::dump_json(v);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return ", got " + text;
}

const json& member(const json& obj, const std::string& ptr, std::string_view key) {
  if (!obj.is_object()) throw FormatError(ptr, "expected an object" + found(obj));
  const auto it = obj.find(key);
  if (it == obj.end()) throw FormatError(child(ptr, key), "missing required field");
  return *it;
}

const json* optional_member(const json& obj, std::string_view key) {
  const auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

std::uint64_t as_u64(const json& v, const std::string& ptr, std::uint64_t max) {
  if (v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0)) {
    const auto x = v.get<std::uint64_t>();
    if (x > max)
      throw FormatError(ptr,
                        "must be at most " + std::to_string(max) + ", got " + core::dump_json(v));
    return x;
  }
  if (v.is_number_float()) {
    // A whole number written with a point or exponent, or an integer too large for u64 (which
    // the JSON reader keeps as a double): at most 2^64 - 2048, the largest double below 2^64.
    const double d = v.get<double>();
    if (d >= 0 && d == std::floor(d) && d < 0x1p64 && static_cast<std::uint64_t>(d) <= max)
      return static_cast<std::uint64_t>(d);
    if (d >= 0x1p64)
      throw FormatError(ptr,
                        "must be at most " + std::to_string(max) + ", got " + core::dump_json(v));
  }
  throw FormatError(ptr, "expected an unsigned integer, got " + core::dump_json(v));
}

std::uint16_t as_u16(const json& v, const std::string& ptr) {
  return static_cast<std::uint16_t>(as_u64(v, ptr, 65535));
}

bool as_bool(const json& v, const std::string& ptr) {
  if (!v.is_boolean()) throw FormatError(ptr, "expected true or false, got " + core::dump_json(v));
  return v.get<bool>();
}

template <class F>
auto as_vector(const json& v, const std::string& ptr, F&& element) {
  if (!v.is_array()) throw FormatError(ptr, "expected an array" + found(v));
  std::vector<decltype(element(v[0], ptr))> out;
  for (std::size_t k = 0; k < v.size(); ++k) out.push_back(element(v[k], child(ptr, k)));
  return out;
}

std::vector<std::uint64_t> u64_vector(const json& v, const std::string& ptr, std::size_t n) {
  auto out = as_vector(v, ptr, [](const json& e, const std::string& p) {
    return as_u64(e, p, std::numeric_limits<std::uint64_t>::max());
  });
  if (out.size() != n)
    throw FormatError(
        ptr, "expected " + std::to_string(n) + " entries, got " + std::to_string(out.size()));
  return out;
}

std::vector<std::uint16_t> u16_vector(const json& v, const std::string& ptr) {
  return as_vector(v, ptr, [](const json& e, const std::string& p) { return as_u16(e, p); });
}

// Sparse rows `{ "uid": [[j, v], ...] }`.
consensus::SparseRowsU16 sparse_rows(const json& v, const std::string& ptr, std::size_t n) {
  if (!v.is_object()) throw FormatError(ptr, "expected an object of sparse rows" + found(v));
  consensus::SparseRowsU16 rows(n);
  for (const auto& [key, row] : v.items()) {
    const std::string row_ptr = child(ptr, key);
    std::size_t uid = 0;
    try {
      std::size_t used = 0;
      uid = std::stoul(key, &used);
      if (used != key.size()) throw std::invalid_argument(key);
    } catch (const std::exception&) {
      throw FormatError(row_ptr, "row key must be a uid" + found(json(key)));
    }
    if (uid >= n) throw FormatError(row_ptr, "uid " + key + " is not < n = " + std::to_string(n));
    if (!row.is_array())
      throw FormatError(row_ptr, "expected an array of [j, value] pairs" + found(row));
    for (std::size_t k = 0; k < row.size(); ++k) {
      const std::string p = child(row_ptr, k);
      if (!row[k].is_array() || row[k].size() != 2)
        throw FormatError(p, "expected [j, value]" + found(row[k]));
      const std::uint16_t j = as_u16(row[k][0], child(p, 0));
      if (j >= n)
        throw FormatError(child(p, 0),
                          "column " + std::to_string(j) + " is not < n = " + std::to_string(n));
      rows[uid].emplace_back(j, as_u16(row[k][1], child(p, 1)));
    }
    // The chain never stores a column twice in a row (set_weights refuses duplicates).
    std::vector<std::uint16_t> columns;
    for (const auto& e : rows[uid]) columns.push_back(e.first);
    if (const auto rep = first_repeat(columns))
      throw FormatError(child(child(row_ptr, rep->second), 0),
                        "column " + std::to_string(columns[rep->second]) +
                            " is listed twice in the row (also at /" + std::to_string(rep->first) +
                            ")");
  }
  return rows;
}

// The case tolerance: "exact ...", a number, or text stating the allowed difference.
Tolerance parse_tolerance(const json* v, const std::string& ptr) {
  Tolerance t;
  if (v == nullptr) return t;
  if (v->is_number()) {
    const double d = v->get<double>();
    if (!(d >= 0))
      throw FormatError(ptr, "a tolerance must be 0 or more, got " + core::dump_json(*v));
    t.exact = d == 0.0;
    t.fraction = d;
    return t;
  }
  if (!v->is_string()) throw FormatError(ptr, "expected a number or a text" + found(*v));
  const std::string s = v->get<std::string>();
  if (s.rfind("exact", 0) == 0) return t;
  // The bound is the number after a comparison ("<=", "≤", "<", "±", "+/-" or "within":
  // "|u16/65535 - target| < 1e-3", "|diff| <= 10 rao"; the first one a number follows), else
  // after a word that names one ("epsilon 1e-3", "tolerance: 0.01"), else the text itself when
  // it starts with a number ("1e-3", "0.1%"). Any other number in the text is not a bound:
  // "assert_eq! (test runs 3 epochs)" or "... on u16 values (tempo 1)" demand equality (taking
  // the first stand-alone number made them tolerances of 3 and 1; "< 1e-3" read 65535 from
  // "u16/65535", so anything passed), as does "assert_eq! on Vec<u16>" ("<" without a number).
  auto digit = [&s](std::size_t k) {
    return k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]));
  };
  auto number_after = [&](std::size_t k) -> std::optional<std::size_t> {
    while (k < s.size() && (s[k] == ' ' || s[k] == ':' || s[k] == '=')) ++k;
    if (digit(k) || (k < s.size() && s[k] == '.' && digit(k + 1))) return k;
    return std::nullopt;
  };
  // The number at k: "0.1%" or "0.1 percent" is a fraction of 0.001 (of full scale for u16
  // values, relative for rao).
  auto bound_at = [&](std::size_t k) {
    std::size_t used = 0;
    double d = number_at(s, k, used);
    std::size_t after = k + used;
    while (after < s.size() && s[after] == ' ') ++after;
    if (s.compare(after, 1, "%") == 0 || s.compare(after, 7, "percent") == 0) {
      d /= 100.0;
      t.percent = true;
    }
    t.exact = false;
    t.fraction = d;
    return t;
  };
  static const char* const kOperators[] = {"<=", "\xe2\x89\xa4", "<", "\xc2\xb1", "+/-", "within"};
  for (std::size_t at = 0; at < s.size(); ++at)
    for (const char* op : kOperators)  // "<=" before "<": the longest at a place
      if (s.compare(at, std::strlen(op), op) == 0) {
        if (const auto k = number_after(at + std::strlen(op))) return bound_at(*k);
        break;
      }
  for (const char* word : {"epsilon", "tolerance"})
    if (const std::size_t at = s.find(word); at != std::string::npos)
      if (const auto k = number_after(at + std::strlen(word))) return bound_at(*k);
  if (const auto k = number_after(0)) return bound_at(*k);
  return t;  // e.g. "string match of logged values": exact rao, fractions at the README's 1e-6
}

consensus::Variant variant_of(const json& hp, const std::string& ptr, bool yuma3, bool liquid,
                              std::vector<std::string>& warnings) {
  if (const json* v = optional_member(hp, "variant")) {
    if (!v->is_string())
      throw FormatError(child(ptr, "variant"), "expected a variant name" + found(*v));
    const auto parsed = consensus::variant_from_name(v->get<std::string>());
    if (!parsed) throw FormatError(child(ptr, "variant"), "unknown variant " + core::dump_json(*v));
    using consensus::Variant;
    // The named variant decides (it can name eras the two flags cannot); say so when the flags
    // read otherwise. Liquid alpha v1 ran only with LiquidAlphaOn (spec §3.8).
    const bool named_yuma3 = *parsed == Variant::kYuma3 || *parsed == Variant::kYuma3Liquid;
    const bool named_liquid =
        *parsed == Variant::kYuma3Liquid || *parsed == Variant::kClassicLiquidV1;
    if (*parsed == Variant::kClassicLiquidV1 && !liquid) {
      warnings.push_back(child(ptr, "variant") +
                         ": classic_liquid_v1 with liquid_alpha_enabled false: the plain EMA "
                         "(classic), as the chain ran it");
      return Variant::kClassic;
    }
    if (named_yuma3 != yuma3 || named_liquid != liquid)
      warnings.push_back(child(ptr, "variant") + ": " + core::dump_json(*v) +
                         " decides the algorithm; " + "yuma3_enabled " +
                         (yuma3 ? "true" : "false") + " and liquid_alpha_enabled " +
                         (liquid ? "true" : "false") + " read otherwise");
    return *parsed;
  }
  if (yuma3) return liquid ? consensus::Variant::kYuma3Liquid : consensus::Variant::kYuma3;
  return consensus::Variant::kClassic;  // the current classic path ignores liquid alpha (§3.8)
}

// Warns about each key of `obj` not in `known` (something the run will not model), with the
// known key it is a near miss of, if any ("expected": did you mean "expect"?).
void warn_unknown(const json& obj, const std::string& ptr, std::span<const std::string_view> known,
                  const std::string& what, std::vector<std::string>& warnings) {
  if (!obj.is_object()) return;
  const std::vector<std::string> names(known.begin(), known.end());
  for (const auto& [key, value] : obj.items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    const std::string near = core::nearest_name(key, names);
    warnings.push_back(child(ptr, key) + ": unknown " + what + ", not modelled (ignored)" +
                       (near.empty() ? "" : "; did you mean \"" + near + "\"?"));
  }
}

// The hyperparameters the format defines (conformance README) and the two this reader adds
// (`variant`, `rho`, for the legacy variants).
constexpr std::string_view kHyperparameters[] = {"tempo",
                                                 "kappa_u16",
                                                 "bonds_penalty_u16",
                                                 "bonds_moving_average",
                                                 "max_allowed_validators",
                                                 "activity_cutoff_factor_milli",
                                                 "activity_cutoff_blocks",
                                                 "stake_threshold",
                                                 "yuma3_enabled",
                                                 "liquid_alpha_enabled",
                                                 "alpha_low_high_u16",
                                                 "alpha_sigmoid_steepness",
                                                 "subnet_owner_uid",
                                                 "commit_reveal_enabled",
                                                 "tao_weight",
                                                 "last_mechanism_step_block",
                                                 "bonds_reset_enabled",
                                                 "variant",
                                                 "rho"};

chain::ChainEpochParams parse_params(const json& hp, const std::string& ptr,
                                     std::optional<std::uint64_t>& cutoff_blocks,
                                     std::vector<std::string>& warnings) {
  warn_unknown(hp, ptr, kHyperparameters, "hyperparameter", warnings);
  // Fields the format lists whose absence has an obvious reading: run with it, and say so.
  if (hp.is_object()) {
    for (const auto& [key, assumed] :
         {std::pair<std::string_view, std::string_view>{
              "activity_cutoff_blocks", "the factor rule's max(1, factor * tempo / 1000)"},
          {"subnet_owner_uid", "no owner (the format writes null for none)"},
          {"tao_weight", "0"},
          {"last_mechanism_step_block", "0"}})
      if (!hp.contains(key))
        warnings.push_back(child(ptr, key) + ": missing; " + std::string(assumed) + " assumed");
  }
  chain::ChainEpochParams p;
  auto u64 = [&](std::string_view key, std::uint64_t max) {
    return as_u64(member(hp, ptr, key), child(ptr, key), max);
  };
  p.tempo = static_cast<std::uint16_t>(u64("tempo", 65535));
  p.epoch.kappa_u16 = static_cast<std::uint16_t>(u64("kappa_u16", 65535));
  p.epoch.bonds_penalty_u16 = static_cast<std::uint16_t>(u64("bonds_penalty_u16", 65535));
  p.epoch.bonds_moving_average_ppm = u64("bonds_moving_average", 1000000);
  p.epoch.max_allowed_validators = static_cast<std::uint16_t>(u64("max_allowed_validators", 65535));
  p.activity_cutoff_factor_milli =
      static_cast<std::uint32_t>(u64("activity_cutoff_factor_milli", UINT32_MAX));
  if (const json* v = optional_member(hp, "activity_cutoff_blocks"))
    cutoff_blocks = as_u64(*v, child(ptr, "activity_cutoff_blocks"), UINT64_MAX);
  p.stake_threshold = u64("stake_threshold", UINT64_MAX);
  const bool yuma3 = as_bool(member(hp, ptr, "yuma3_enabled"), child(ptr, "yuma3_enabled"));
  const bool liquid =
      as_bool(member(hp, ptr, "liquid_alpha_enabled"), child(ptr, "liquid_alpha_enabled"));
  p.epoch.variant = variant_of(hp, ptr, yuma3, liquid, warnings);
  const std::string alpha_ptr = child(ptr, "alpha_low_high_u16");
  const auto alphas = u16_vector(member(hp, ptr, "alpha_low_high_u16"), alpha_ptr);
  if (alphas.size() != 2)
    throw FormatError(alpha_ptr,
                      "expected [low, high], got " + std::to_string(alphas.size()) + " entries");
  p.epoch.alpha_low_u16 = alphas[0];
  p.epoch.alpha_high_u16 = alphas[1];
  if (alphas[0] > alphas[1])
    warnings.push_back(alpha_ptr + ": low " + std::to_string(alphas[0]) + " is above high " +
                       std::to_string(alphas[1]) +
                       ": the chain refuses such bounds; run as given (liquid alpha clamps to "
                       "them)");
  const json& steep = member(hp, ptr, "alpha_sigmoid_steepness");
  if (!steep.is_number_integer() || steep.get<std::int64_t>() < -32768 ||
      steep.get<std::int64_t>() > 32767)
    throw FormatError(child(ptr, "alpha_sigmoid_steepness"),
                      "expected an integer from -32768 to 32767" + found(steep));
  p.epoch.alpha_sigmoid_steepness = static_cast<std::int16_t>(steep.get<std::int64_t>());
  if (const json* v = optional_member(hp, "subnet_owner_uid"))
    p.subnet_owner_uid = as_u16(*v, child(ptr, "subnet_owner_uid"));
  p.commit_reveal_enabled =
      as_bool(member(hp, ptr, "commit_reveal_enabled"), child(ptr, "commit_reveal_enabled"));
  if (const json* v = optional_member(hp, "bonds_reset_enabled"))
    p.bonds_reset_enabled = as_bool(*v, child(ptr, "bonds_reset_enabled"));
  if (const json* v = optional_member(hp, "rho"))
    p.epoch.rho = static_cast<std::uint16_t>(as_u64(*v, child(ptr, "rho"), 65535));
  // tao_weight only shapes how stake_rao was derived; the file's stakes are the epoch's stakes.
  if (const json* v = optional_member(hp, "tao_weight")) {
    if (!v->is_number() || v->get<double>() < 0)
      throw FormatError(child(ptr, "tao_weight"),
                        "expected a number >= 0, got " + core::dump_json(*v));
    if (v->get<double>() != 0)
      warnings.push_back(child(ptr, "tao_weight") + ": " + core::dump_json(*v) +
                         ": stake_rao is taken as the epoch's stake as given (tao_weight only "
                         "shaped how it was derived; there is no root stake here)");
  }
  if (p.commit_reveal_enabled)
    warnings.push_back(child(ptr, "commit_reveal_enabled") +
                       ": true: the commit mask (spec §3.5) drops a weight on a uid registered "
                       "after the row's commit; set_weights carries no commit block, so only "
                       "initial_state.earliest_commit_block gives one");
  return p;
}

// The initial_state fields the format defines, and earliest_commit_block (commit-reveal).
constexpr std::string_view kStateFields[] = {"n",
                                             "block",
                                             "stake_rao",
                                             "block_at_registration",
                                             "last_update",
                                             "validator_permit",
                                             "weights_u16",
                                             "bonds_u16",
                                             "earliest_commit_block"};

chain::SubnetState parse_state(const json& st, const std::string& ptr, std::uint64_t lms,
                               std::vector<std::string>& warnings) {
  warn_unknown(st, ptr, kStateFields, "initial_state field", warnings);
  chain::SubnetState s;
  const std::size_t n = as_u64(member(st, ptr, "n"), child(ptr, "n"), 65535);
  s.resize(n, 0);
  // The block the state was taken at: each step gives its own block, but the field is part of
  // the format and must be a block number.
  as_u64(member(st, ptr, "block"), child(ptr, "block"), UINT64_MAX);
  s.stake_rao = u64_vector(member(st, ptr, "stake_rao"), child(ptr, "stake_rao"), n);
  s.block_at_registration =
      u64_vector(member(st, ptr, "block_at_registration"), child(ptr, "block_at_registration"), n);
  s.last_update = u64_vector(member(st, ptr, "last_update"), child(ptr, "last_update"), n);
  const std::string permit_ptr = child(ptr, "validator_permit");
  const auto permits = as_vector(member(st, ptr, "validator_permit"), permit_ptr,
                                 [](const json& e, const std::string& p) { return as_bool(e, p); });
  if (permits.size() != n)
    throw FormatError(permit_ptr, "expected " + std::to_string(n) + " entries, got " +
                                      std::to_string(permits.size()));
  s.validator_permit.assign(permits.begin(), permits.end());
  if (const json* v = optional_member(st, "weights_u16"))
    s.weights = sparse_rows(*v, child(ptr, "weights_u16"), n);
  if (const json* v = optional_member(st, "bonds_u16"))
    s.bonds = sparse_rows(*v, child(ptr, "bonds_u16"), n);
  if (const json* v = optional_member(st, "earliest_commit_block")) {
    const std::string p = child(ptr, "earliest_commit_block");
    if (!v->is_array() || v->size() != n)
      throw FormatError(p, "expected an array of n = " + std::to_string(n) +
                               " entries (null = no commit)" + found(*v));
    for (std::size_t k = 0; k < n; ++k)
      s.earliest_commit_block[k] =
          (*v)[k].is_null() ? chain::kNoCommit : as_u64((*v)[k], child(p, k), UINT64_MAX);
  }
  s.last_mechanism_step_block = lms;
  return s;
}

Step parse_step(const json& js, const std::string& ptr, std::size_t n,
                std::vector<std::string>& warnings) {
  Step s;
  s.pointer = ptr;
  const json& op = member(js, ptr, "op");
  if (!op.is_string())
    throw FormatError(child(ptr, "op"), "expected an operation name" + found(op));
  const std::string name = op.get<std::string>();
  s.block = as_u64(member(js, ptr, "block"), child(ptr, "block"), UINT64_MAX);
  auto uid = [&] {
    const auto u = as_u16(member(js, ptr, "uid"), child(ptr, "uid"));
    if (u >= n)
      throw FormatError(child(ptr, "uid"),
                        "uid " + std::to_string(u) + " is not < n = " + std::to_string(n));
    return u;
  };
  if (name == "set_weights") {
    s.op = Op::kSetWeights;
    s.uid = uid();
    s.uids = u16_vector(member(js, ptr, "uids"), child(ptr, "uids"));
    for (std::size_t k = 0; k < s.uids.size(); ++k)
      if (s.uids[k] >= n)
        throw FormatError(child(child(ptr, "uids"), k), "uid " + std::to_string(s.uids[k]) +
                                                            " is not < n = " + std::to_string(n));
    // The chain refuses a submission that names a uid twice (spec §4), so no stored row has one.
    if (const auto rep = first_repeat(s.uids)) {
      const auto [m, k] = *rep;
      throw FormatError(child(child(ptr, "uids"), k),
                        "uid " + std::to_string(s.uids[k]) + " is listed twice (also at /" +
                            std::to_string(m) + "); the chain refuses duplicate uids");
    }
    s.values_submitted =
        u16_vector(member(js, ptr, "values_submitted"), child(ptr, "values_submitted"));
    if (s.values_submitted.size() != s.uids.size())
      throw FormatError(child(ptr, "values_submitted"),
                        "must have as many entries as uids (" + std::to_string(s.uids.size()) +
                            "), got " + std::to_string(s.values_submitted.size()));
    if (const json* v = optional_member(js, "stored_u16")) {
      s.stored_u16 = u16_vector(*v, child(ptr, "stored_u16"));
      s.has_stored = true;
      if (s.stored_u16.size() != s.uids.size())
        throw FormatError(child(ptr, "stored_u16"), "must have as many entries as uids (" +
                                                        std::to_string(s.uids.size()) + "), got " +
                                                        std::to_string(s.stored_u16.size()));
    }
  } else if (name == "epoch") {
    s.op = Op::kEpoch;
    s.rao_emission =
        as_u64(member(js, ptr, "rao_emission"), child(ptr, "rao_emission"), UINT64_MAX);
    for (const char* key : {"expect", "reference_exact"}) {
      const json* v = optional_member(js, key);
      if (v && !v->is_object())
        throw FormatError(child(ptr, key), "expected an object" + found(*v));
      if (v) (std::string_view(key) == "expect" ? s.expect : s.reference_exact) = *v;
    }
  } else if (name == "replace_neuron") {
    s.op = Op::kReplaceNeuron;
    s.uid = uid();
    // Required: the new hotkey's stake decides its permit and A; no default would be right.
    s.new_stake_rao =
        as_u64(member(js, ptr, "new_stake_rao"), child(ptr, "new_stake_rao"), UINT64_MAX);
  } else if (name == "reset_bonds_column") {
    s.op = Op::kResetBondsColumn;
    s.uid = uid();
  } else {
    throw FormatError(child(ptr, "op"), "unknown operation \"" + name + "\"");
  }
  // A field the operation does not have is ignored, and said: a misspelled "expect" would
  // otherwise leave the step with nothing checked and the case passing.
  static constexpr std::string_view kSetWeights[] = {
      "op", "block", "uid", "uids", "values_submitted", "stored_u16", "note"};
  static constexpr std::string_view kEpoch[] = {"op",     "block",           "rao_emission",
                                                "expect", "reference_exact", "note"};
  static constexpr std::string_view kReplace[] = {"op",      "block", "uid", "new_stake_rao",
                                                  "effects", "note"};
  static constexpr std::string_view kReset[] = {"op", "block", "uid", "note"};
  const std::span<const std::string_view> known =
      s.op == Op::kSetWeights      ? std::span<const std::string_view>(kSetWeights)
      : s.op == Op::kEpoch         ? std::span<const std::string_view>(kEpoch)
      : s.op == Op::kReplaceNeuron ? std::span<const std::string_view>(kReplace)
                                   : std::span<const std::string_view>(kReset);
  warn_unknown(js, ptr, known, "field of this " + name + " step", warnings);
  return s;
}

}  // namespace

std::optional<std::pair<std::size_t, std::size_t>> first_repeat(
    const std::vector<std::uint16_t>& keys) {
  std::vector<std::pair<std::uint16_t, std::size_t>> sorted(keys.size());
  for (std::size_t k = 0; k < keys.size(); ++k) sorted[k] = {keys[k], k};
  std::sort(sorted.begin(), sorted.end());
  std::optional<std::pair<std::size_t, std::size_t>> best;
  for (std::size_t k = 1; k < sorted.size(); ++k)
    if (sorted[k].first == sorted[k - 1].first &&
        (k < 2 || sorted[k - 2].first != sorted[k].first) &&
        (!best || sorted[k].second < best->second))
      best = std::pair{sorted[k - 1].second, sorted[k].second};  // a run's first two indices
  return best;
}

std::vector<Case> parse_cases(const json& doc) {
  const json& cases = member(doc, "", "epoch_cases");
  if (!cases.is_array()) throw FormatError("/epoch_cases", "expected an array" + found(cases));
  if (cases.empty())
    throw FormatError("/epoch_cases", "expected at least one case, got an empty array");
  std::vector<Case> out;
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const std::string ptr = child(std::string("/epoch_cases"), k);
    const json& js = cases[k];
    Case c;
    c.pointer = ptr;
    const json& id = member(js, ptr, "id");
    if (!id.is_string()) throw FormatError(child(ptr, "id"), "expected a string" + found(id));
    c.id = id.get<std::string>();
    // An id is printed on its own line of results: a line break or other control character
    // would forge or break one.
    if (c.id.empty() || std::any_of(c.id.begin(), c.id.end(),
                                    [](unsigned char ch) { return ch < 0x20 || ch == 0x7f; }))
      throw FormatError(child(ptr, "id"),
                        "expected a non-empty id without control characters" + found(id));
    for (std::size_t m = 0; m < out.size(); ++m)
      if (out[m].id == c.id)
        throw FormatError(child(ptr, "id"), "id " + core::dump_json(id) +
                                                " is also case /epoch_cases/" + std::to_string(m) +
                                                "'s: results are by id");
    const std::string hp_ptr = child(ptr, "hyperparameters");
    const json& hp = member(js, ptr, "hyperparameters");
    c.params = parse_params(hp, hp_ptr, c.activity_cutoff_blocks, c.warnings);
    c.params.record_matrices = true;  // epoch logs check "Weights (mask+norm)" and "ΔB (norm)"
    // The float backend's decaying Yuma 3 bonds follow the chain's truncations (epoch.hpp): the
    // bound on rao must hold after many epochs.
    c.params.epoch.chain_decay_rounding = true;
    // A stated cutoff that is not the factor-of-tempo one is the legacy absolute ActivityCutoff.
    if (c.activity_cutoff_blocks &&
        *c.activity_cutoff_blocks != chain::activity_cutoff_blocks(c.params)) {
      c.warnings.push_back(child(hp_ptr, "activity_cutoff_blocks") + ": " +
                           std::to_string(*c.activity_cutoff_blocks) +
                           " is not the factor rule's max(1, factor * tempo / 1000) = " +
                           std::to_string(chain::activity_cutoff_blocks(c.params)) +
                           ": used as the legacy absolute ActivityCutoff (spec §3.1)");
      c.params.legacy_activity_cutoff_blocks = c.activity_cutoff_blocks;
    }
    std::uint64_t lms = 0;
    if (const json* v = optional_member(hp, "last_mechanism_step_block"))
      lms = as_u64(*v, child(hp_ptr, "last_mechanism_step_block"), UINT64_MAX);
    c.state =
        parse_state(member(js, ptr, "initial_state"), child(ptr, "initial_state"), lms, c.warnings);
    if (c.params.subnet_owner_uid && *c.params.subnet_owner_uid >= c.state.n)
      throw FormatError(child(hp_ptr, "subnet_owner_uid"),
                        "owner uid " + std::to_string(*c.params.subnet_owner_uid) +
                            " is not < n = " + std::to_string(c.state.n));
    c.tolerance = parse_tolerance(optional_member(js, "tolerance"), child(ptr, "tolerance"));
    if (!js.contains("tolerance"))
      c.warnings.push_back(child(ptr, "tolerance") + ": missing; \"exact\" assumed");
    const std::string steps_ptr = child(ptr, "steps");
    const json& steps = member(js, ptr, "steps");
    if (!steps.is_array()) throw FormatError(steps_ptr, "expected an array" + found(steps));
    for (std::size_t s = 0; s < steps.size(); ++s)
      c.steps.push_back(parse_step(steps[s], child(steps_ptr, s), c.state.n, c.warnings));
    static constexpr std::string_view kCaseFields[] = {
        "id",         "source",          "variant",       "description", "setup_notes",
        "confidence", "hyperparameters", "initial_state", "steps",       "tolerance"};
    warn_unknown(js, ptr, kCaseFields, "case field", c.warnings);
    // A case without an epoch checks nothing: it could only pass vacuously.
    if (std::none_of(c.steps.begin(), c.steps.end(),
                     [](const Step& s) { return s.op == Op::kEpoch; }))
      throw FormatError(steps_ptr, "expected at least one \"epoch\" step, got " +
                                       std::to_string(steps.size()) + " steps without one");
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace subnetsim::app::conform
