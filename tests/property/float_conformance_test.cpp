// Replays the public conformance cases (../shared/conformance/subtensor-public.json) through the
// chain driver with the float backend and checks every `reference_exact` block within the float
// tolerances of the conformance README: ±3 on u16, rel 1e-5 or ±2 rao on rao, flags identical.
// Also runs the exact backend on the same steps and checks float against it the same way.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "subnetsim/chain/epoch_driver.hpp"
#include "subnetsim/consensus/epoch.hpp"
#include "subnetsim/core/json_text.hpp"

#ifndef BOND_TOL
#define BOND_TOL 3
#endif
namespace {

using nlohmann::json;
using subnetsim::chain::ChainEpochParams;
using subnetsim::chain::SubnetState;
namespace consensus = subnetsim::consensus;
namespace chain = subnetsim::chain;

ChainEpochParams params_of(const json& h) {
  ChainEpochParams p;
  p.tempo = h.at("tempo").get<std::uint16_t>();
  p.activity_cutoff_factor_milli = h.at("activity_cutoff_factor_milli").get<std::uint32_t>();
  p.stake_threshold = h.at("stake_threshold").get<std::uint64_t>();
  if (!h.at("subnet_owner_uid").is_null())
    p.subnet_owner_uid = h.at("subnet_owner_uid").get<std::uint16_t>();
  p.commit_reveal_enabled = h.at("commit_reveal_enabled").get<bool>();
  p.bonds_reset_enabled = h.value("bonds_reset_enabled", false);
  auto& e = p.epoch;
  const bool y3 = h.at("yuma3_enabled").get<bool>();
  const bool liquid = h.at("liquid_alpha_enabled").get<bool>();
  e.variant = y3 ? (liquid ? consensus::Variant::kYuma3Liquid : consensus::Variant::kYuma3)
                 : consensus::Variant::kClassic;
  e.kappa_u16 = h.at("kappa_u16").get<std::uint16_t>();
  e.bonds_penalty_u16 = h.at("bonds_penalty_u16").get<std::uint16_t>();
  e.bonds_moving_average_ppm = h.at("bonds_moving_average").get<std::uint64_t>();
  e.max_allowed_validators = h.at("max_allowed_validators").get<std::uint16_t>();
  e.alpha_low_u16 = h.at("alpha_low_high_u16")[0].get<std::uint16_t>();
  e.alpha_high_u16 = h.at("alpha_low_high_u16")[1].get<std::uint16_t>();
  e.alpha_sigmoid_steepness = h.at("alpha_sigmoid_steepness").get<std::int16_t>();
  return p;
}

consensus::SparseRowsU16 rows_of(const json& j, std::size_t n) {
  consensus::SparseRowsU16 rows(n);
  for (const auto& [uid, row] : j.items())
    for (const auto& e : row)
      rows[std::stoul(uid)].emplace_back(e[0].get<std::uint16_t>(), e[1].get<std::uint16_t>());
  return rows;
}

SubnetState state_of(const json& s) {
  SubnetState st;
  const auto n = s.at("n").get<std::size_t>();
  st.resize(n, 0);
  st.stake_rao = s.at("stake_rao").get<std::vector<std::uint64_t>>();
  st.block_at_registration = s.at("block_at_registration").get<std::vector<std::uint64_t>>();
  st.last_update = s.at("last_update").get<std::vector<std::uint64_t>>();
  st.validator_permit = s.at("validator_permit").get<std::vector<bool>>();
  st.weights = rows_of(s.at("weights_u16"), n);
  st.bonds = rows_of(s.at("bonds_u16"), n);
  return st;
}

// Compares one uid vector; returns a description of the first mismatch or "".
template <typename T>
std::string compare_vec(const char* what, const std::vector<T>& want, const std::vector<T>& got,
                        double abs_tol, double rel_tol) {
  if (want.size() != got.size()) return std::string(what) + ": size";
  for (std::size_t i = 0; i < want.size(); ++i) {
    const double w = static_cast<double>(want[i]), g = static_cast<double>(got[i]);
    if (std::fabs(w - g) > std::max(abs_tol, rel_tol * std::fabs(w)))
      return std::string(what) + " uid " + std::to_string(i) + ": want " + std::to_string(w) +
             " got " + std::to_string(g);
  }
  return "";
}

std::string compare_bonds(const consensus::SparseRowsU16& want,
                          const consensus::SparseRowsU16& got) {
  for (std::size_t i = 0; i < want.size(); ++i) {
    std::vector<int> w(want.size() * 0 + 65536, -1);
    for (auto [j, v] : want[i]) w[j] = v;
    std::vector<int> g(65536, -1);
    for (auto [j, v] : got[i]) g[j] = v;
    for (std::size_t j = 0; j < want.size(); ++j) {
      const bool differ = (w[j] < 0) != (g[j] < 0) || std::abs(w[j] - g[j]) > BOND_TOL;
      // A bond that floors to 0 may be present on one side and absent on the other.
      if (differ && std::max(w[j], g[j]) > BOND_TOL)
        return "bond[" + std::to_string(i) + "][" + std::to_string(j) + "] want " +
               std::to_string(w[j]) + " got " + std::to_string(g[j]);
    }
  }
  return "";
}

std::string compare_outputs(const SubnetState& want, const SubnetState& got) {
  for (const auto& msg :
       {compare_vec("dividends", want.dividends_u16, got.dividends_u16, 3, 0),
        compare_vec("incentive", want.incentive_u16, got.incentive_u16, 3, 0),
        compare_vec("consensus", want.consensus_u16, got.consensus_u16, 3, 0),
        compare_vec("trust", want.validator_trust_u16, got.validator_trust_u16, 3, 0),
        compare_vec("stake", want.stake_weight_u16, got.stake_weight_u16, 3, 0),
        compare_vec("emission", want.emission_rao, got.emission_rao, 2, 1e-5),
        compare_vec("server", want.server_emission_rao, got.server_emission_rao, 2, 1e-5),
        compare_vec("validator", want.validator_emission_rao, got.validator_emission_rao, 2, 1e-5),
        compare_vec("permit", want.validator_permit, got.validator_permit, 0, 0),
        compare_bonds(want.bonds, got.bonds)})
    if (!msg.empty()) return msg;
  return "";
}

SubnetState expected_of(const json& ref, std::size_t n) {
  SubnetState s;
  s.resize(n, 0);
  s.dividends_u16 = ref.at("dividends_u16").get<std::vector<std::uint16_t>>();
  s.incentive_u16 = ref.at("incentive_u16").get<std::vector<std::uint16_t>>();
  s.consensus_u16 = ref.at("consensus_u16").get<std::vector<std::uint16_t>>();
  s.validator_trust_u16 = ref.at("validator_trust_u16").get<std::vector<std::uint16_t>>();
  s.stake_weight_u16 = ref.at("stake_weight_u16").get<std::vector<std::uint16_t>>();
  s.emission_rao = ref.at("emission_rao").get<std::vector<std::uint64_t>>();
  s.server_emission_rao = ref.at("server_emission_rao").get<std::vector<std::uint64_t>>();
  s.validator_emission_rao = ref.at("validator_emission_rao").get<std::vector<std::uint64_t>>();
  s.validator_permit = ref.at("new_validator_permit").get<std::vector<bool>>();
  s.bonds = rows_of(ref.at("stored_bonds_u16"), n);
  return s;
}

void apply_step(SubnetState& st, const ChainEpochParams& p, const json& step) {
  const auto op = step.at("op").get<std::string>();
  const auto block = step.at("block").get<std::uint64_t>();
  if (op == "set_weights") {
    auto uids = step.at("uids").get<std::vector<std::uint16_t>>();
    auto vals = step.at("values_submitted").get<std::vector<std::uint16_t>>();
    chain::set_weights(st, step.at("uid").get<std::uint16_t>(), uids, vals, block);
  } else if (op == "replace_neuron") {
    chain::replace_neuron(st, step.at("uid").get<std::uint16_t>(), block,
                          step.at("new_stake_rao").get<std::uint64_t>());
  } else if (op == "reset_bonds_column") {
    chain::reset_bonds_column(st, p, step.at("uid").get<std::uint16_t>());
  }
}

}  // namespace

TEST_CASE("float backend replays the public conformance cases", "[float][conformance]") {
  std::ifstream file(std::string(SUBNETSIM_SHARED_DIR) + "/conformance/subtensor-public.json");
  if (!file) {
    WARN("conformance file not found; skipped");
    return;
  }
  const json doc = subnetsim::core::parse_json(file);
  auto float_backend = consensus::make_backend(consensus::BackendKind::kFloat);
  auto exact_backend = consensus::make_backend(consensus::BackendKind::kExact);
  for (const auto& c : doc.at("epoch_cases")) {
    const auto id = c.at("id").get<std::string>();
    const ChainEpochParams p = params_of(c.at("hyperparameters"));
    SubnetState st_float = state_of(c.at("initial_state"));
    SubnetState st_exact = st_float;
    chain::EpochDriver drv_float, drv_exact;
    std::size_t step_no = 0;
    for (const auto& step : c.at("steps")) {
      ++step_no;
      if (step.at("op") != "epoch") {
        apply_step(st_float, p, step);
        apply_step(st_exact, p, step);
        continue;
      }
      const auto block = step.at("block").get<std::uint64_t>();
      const auto rao = step.at("rao_emission").get<std::uint64_t>();
      drv_float.run(st_float, p, block, rao, *float_backend);
      drv_exact.run(st_exact, p, block, rao, *exact_backend);
      INFO(id << " step " << step_no);
      if (step.contains("reference_exact")) {
        const SubnetState want = expected_of(step.at("reference_exact"), st_float.n);
        CHECK(compare_outputs(want, st_float) == "");
      }
      CHECK(compare_outputs(st_exact, st_float) == "");
    }
  }
}
