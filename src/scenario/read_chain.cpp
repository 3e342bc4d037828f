// Reading the chain, emission, subnet and market sections into their config structs.
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "read_sections.hpp"
#include "subnetsim/core/json_text.hpp"

namespace subnetsim::scenario {

using namespace config;

namespace {
constexpr double kMaxTao = 21e6;  // no amount of TAO can exceed the total supply
}

void read_chain(ObjectReader r, ChainConfig& c) {
  r.real("block_time_s", c.block_time_s, 0.001, 3600);
  r.enumeration<EpochSchedule>("epoch_schedule", c.epoch_schedule, kEpochScheduleNames);
  r.integer<std::uint32_t>("max_epochs_per_block", c.max_epochs_per_block, 1, 1024);
  r.integer<std::uint32_t>("subnet_count", c.subnet_count, 0, 4096);
  // 64-bit rao count at most 18,446,744,073 TAO; the ledger's totals must fit.
  r.real("total_supply_tao", c.total_supply_tao, 1, 1.8e10);
  r.real("initial_issuance_tao", c.initial_issuance_tao, 0, 1e12);
  // Any number is read; only 0 is accepted below, with the reason.
  r.real("tao_weight", c.tao_weight, -1e300, 1e300);
  r.enumeration<consensus::BackendKind>("consensus_backend", c.consensus_backend, kBackendNames);
  r.finish();
  if (c.initial_issuance_tao > c.total_supply_tao)
    r.context().error(r.pointer_of("initial_issuance_tao"),
                      "must not exceed total_supply_tao (" + format_number(c.total_supply_tao) +
                          "), got " + format_number(c.initial_issuance_tao));
  // The field exists so that a file written with the chain's parameters loads; a weight other
  // than 0 would be silently ignored, which the format never does.
  if (c.tao_weight != 0.0)
    r.context().error(
        r.pointer_of("tao_weight"),
        "the simulation has no root network (each subnet's stake is TAO staked there), "
        "so a weight of root stake would change nothing: expected 0, got " +
            format_number(c.tao_weight));
}

void read_emission(ObjectReader r, EmissionConfig& e) {
  r.enumeration<EmissionSchedule>("schedule", e.schedule, kEmissionScheduleNames);
  r.real("tao_per_block", e.tao_per_block, 0, 1e6);
  r.real("yearly_decay", e.yearly_decay, 0, 1);
  r.integer<std::uint64_t>("blocks_per_year", e.blocks_per_year, 1, 1'000'000'000);
  r.object_array("table", [&](std::size_t i, ObjectReader& step) {
    EmissionStep st;
    step.integer<std::uint64_t>("from_block", st.from_block, 0, UINT64_MAX, Need::kRequired);
    step.real("tao_per_block", st.tao_per_block, 0, 1e6, Need::kRequired);
    step.finish();
    if (i > 0 && !e.table.empty() && st.from_block <= e.table.back().from_block)
      r.context().error(step.pointer_of("from_block"),
                        "must be greater than the previous step's (" +
                            std::to_string(e.table.back().from_block) + "), got " +
                            std::to_string(st.from_block));
    e.table.push_back(st);
  });
  if (e.schedule == EmissionSchedule::kTable && e.table.empty())
    r.context().error(r.pointer_of("table"),
                      "schedule \"table\" needs at least one step, got none");
  if (e.schedule != EmissionSchedule::kTable && !e.table.empty())
    r.context().error(r.pointer_of("table"),
                      "only schedule \"table\" reads a table, got schedule \"" +
                          std::string(enum_name<EmissionSchedule>(kEmissionScheduleNames, e.schedule)) + "\"");
  r.enumeration<SubnetSplit>("subnet_split", e.subnet_split, kSubnetSplitNames);
  read_netuid_numbers(r, "subnet_weights", 0, 1e12, e.subnet_weights);
  // Only when none is written: a key that was refused is reported by itself.
  const json* written = r.raw("subnet_weights");
  if (e.subnet_split == SubnetSplit::kWeights &&
      (written == nullptr || (written->is_object() && written->empty())))
    r.context().error(r.pointer_of("subnet_weights"),
                      "subnet_split \"weights\" needs subnet_weights, {\"netuid\": weight} (a "
                      "subnet without a weight gets no emission), got none");
  // Weights with another split are judged with the script (check_references): one may switch
  // to "weights" during the run.
  double weight_sum = 0.0;
  for (const auto& [netuid, w] : e.subnet_weights) weight_sum += w;
  if (!e.subnet_weights.empty() && !(weight_sum > 0))
    r.context().error(r.pointer_of("subnet_weights"),
                      "needs at least one weight > 0 (all zero: no subnet would get any emission)");
  r.finish();
}

namespace {
// "\"bittensor\", \"guide\", \"ocean\", \"gensyn\" or \"custom\"".
std::string quoted_presets_and_custom() {
  std::vector<std::string_view> names(std::begin(kEmissionSplitPresets),
                                      std::end(kEmissionSplitPresets));
  names.push_back("custom");
  return quoted_choices(names);
}
}  // namespace

void read_emission_split(ObjectReader r, EmissionSplit& s) {
  r.string("preset", s.preset);
  const bool known = s.preset == "custom" || emission_split_preset(s.preset).has_value();
  if (const auto preset = emission_split_preset(s.preset)) s = *preset;
  if (!known)
    r.context().error(r.pointer_of("preset"), "expected one of " + quoted_presets_and_custom() +
                                                  ", got " + describe(json(s.preset)));
  const bool custom = s.preset == "custom";
  // Fractions beside a preset are one mistake, said once (at the first), whatever their number.
  std::vector<std::string> beside_preset;
  for (auto [key, field] : {std::pair{"owner", &s.owner}, {"miners", &s.miners},
                            {"validators", &s.validators}, {"treasury", &s.treasury},
                            {"community", &s.community}}) {
    const double before = *field;
    r.real(key, *field, 0, 1);
    if (!custom && *field != before && known) beside_preset.emplace_back(key);
  }
  if (!beside_preset.empty()) {
    std::string keys;
    for (const auto& k : beside_preset) keys += (keys.empty() ? "" : ", ") + k;
    r.context().error(
        r.pointer_of(beside_preset.front()),
        "fractions (" + keys + ") can only be set with \"preset\": \"custom\", got \"preset\": " +
            core::dump_json(json(s.preset)) +
            " (a preset sets them all: leave them out, or set them to null where a base "
            "gives them)");
  }
  const double sum = s.owner + s.miners + s.validators + s.treasury + s.community;
  // Not after a fraction was refused: the sum would be of the values kept instead of it.
  bool refused = false;
  for (const char* key : {"owner", "miners", "validators", "treasury", "community"})
    refused = refused || r.context().reported(r.pointer_of(key));
  if (custom && !refused && std::fabs(sum - 1.0) > 1e-9) {
    // Six digits: a field left out keeps the split's value, e.g. the chain's 0.410002 for
    // miners, which the full 17 digits would make look like an error of its own.
    auto six = [](double x) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6g", x);
      return std::string(buf);
    };
    // The sum itself with as many digits as show how far from 1 it is (1.0000046, not 1).
    auto enough = [](double x) {
      char buf[40];
      for (int digits = 6; digits <= 17; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, x);
        if (std::fabs(std::strtod(buf, nullptr) - 1.0) > 1e-9) break;
      }
      return std::string(buf);
    };
    r.context().error(
        r.pointer(), "the fractions must sum to 1, got " + enough(sum) + " (owner " + six(s.owner) +
                         " + miners " + six(s.miners) + " + validators " + six(s.validators) +
                         " + treasury " + six(s.treasury) + " + community " + six(s.community) +
                         "; a fraction not given keeps its value from the split before, by default "
                         "the bittensor preset's)");
  }
  r.finish();
}

void read_subnet_params(ObjectReader r, SubnetParams& p) {
  r.integer<std::uint16_t>("tempo", p.tempo, 1, 50400);
  r.enumeration<consensus::Variant>("yuma", p.yuma, kYumaNames);
  r.integer<std::uint32_t>("activity_cutoff_factor_milli", p.activity_cutoff_factor_milli, 1, 1'000'000);
  r.real("kappa", p.kappa, 0, 1);
  r.real("bonds_penalty", p.bonds_penalty, 0, 1);
  r.real("bonds_moving_average", p.bonds_moving_average, 0, 1);
  r.real("alpha_low", p.alpha_low, 0, 1);
  r.real("alpha_high", p.alpha_high, 0, 1);
  r.integer<std::int32_t>("alpha_sigmoid_steepness", p.alpha_sigmoid_steepness, -32768, 32767);
  r.real("rho", p.rho, 0, 65535);
  r.integer<std::uint16_t>("max_allowed_uids", p.max_allowed_uids, 1, 65535);
  r.integer<std::uint16_t>("max_allowed_validators", p.max_allowed_validators, 1, 65535);
  r.integer<std::uint16_t>("immunity_period", p.immunity_period);
  r.integer<std::uint16_t>("min_non_immune_uids", p.min_non_immune_uids);
  r.integer<std::uint16_t>("min_allowed_weights", p.min_allowed_weights);
  r.real("max_weights_limit", p.max_weights_limit, 0, 1);
  r.integer<std::uint64_t>("weights_rate_limit", p.weights_rate_limit, 0, 1'000'000'000);
  r.boolean("commit_reveal", p.commit_reveal);
  r.integer<std::uint32_t>("reveal_period_epochs", p.reveal_period_epochs, 1, 100);
  r.real("stake_threshold_tao", p.stake_threshold_tao, 0, kMaxTao);
  r.real("min_validator_stake_tao", p.min_validator_stake_tao, 0, kMaxTao);
  r.real("validator_take", p.validator_take, 0, 1);
  r.real("burn_tao", p.burn_tao, 0, kMaxTao);
  r.real("min_burn_tao", p.min_burn_tao, 0, kMaxTao);
  r.real("max_burn_tao", p.max_burn_tao, 0, kMaxTao);
  r.integer<std::uint32_t>("burn_half_life_blocks", p.burn_half_life_blocks, 1, 100'000'000);
  r.real("burn_increase_mult", p.burn_increase_mult, 1, 100);
  r.integer<std::uint32_t>("max_registrations_per_block", p.max_registrations_per_block, 1, 65535);
  read_emission_split(r.object("emission_split"), p.emission_split);
  r.finish();
  if (p.alpha_low > p.alpha_high)
    r.context().error(r.pointer_of("alpha_low"), "must not exceed alpha_high (" +
                                                     format_number(p.alpha_high) + "), got " +
                                                     format_number(p.alpha_low));
  if (p.min_burn_tao > p.max_burn_tao)
    r.context().error(r.pointer_of("min_burn_tao"), "must not exceed max_burn_tao (" +
                                                        format_number(p.max_burn_tao) + "), got " +
                                                        format_number(p.min_burn_tao));
  // The chain clamps the burn to its bounds; a starting value outside them would be changed
  // without a word.
  else if (p.burn_tao < p.min_burn_tao || p.burn_tao > p.max_burn_tao)
    r.context().error(r.pointer_of("burn_tao"), "must be within [min_burn_tao, max_burn_tao] = [" +
                                                    format_number(p.min_burn_tao) + ", " +
                                                    format_number(p.max_burn_tao) + "], got " +
                                                    format_number(p.burn_tao));
}

void read_market(ObjectReader r, MarketConfig& m) {
  r.enumeration<PriceModel>("model", m.model, kPriceModelNames);
  r.real("initial_usd", m.initial_usd, 0, 1e9);
  r.real("drift_per_year", m.drift_per_year, -10, 10);
  r.real("volatility_per_year", m.volatility_per_year, 0, 10);
  r.integer<std::uint64_t>("update_every_blocks", m.update_every_blocks, 1, 1'000'000'000);
  r.object_array("path", [&](std::size_t, ObjectReader& point) {
    PricePoint pp;
    point.integer<std::uint64_t>("block", pp.block, 0, UINT64_MAX, Need::kRequired);
    point.real("usd", pp.usd, 0, 1e9, Need::kRequired);
    point.finish();
    if (!m.path.empty() && pp.block <= m.path.back().block)
      r.context().error(point.pointer_of("block"), "must be greater than the previous point's (" +
                                                       std::to_string(m.path.back().block) +
                                                       "), got " + std::to_string(pp.block));
    m.path.push_back(pp);
  });
  r.string("path_csv", m.path_csv);
  r.finish();
  if (m.model == PriceModel::kPath && m.path.empty() && m.path_csv.empty())
    r.context().error(r.pointer_of("path"), "model \"path\" needs \"path\" or \"path_csv\", got neither");
  // A price path given alongside another model, or given twice, would be ignored in part.
  if (!m.path.empty() && !m.path_csv.empty())
    r.context().error(r.pointer_of("path_csv"),
                      "give the path once: \"path\" (inline) or \"path_csv\" (a file), got both");
  if (m.model != PriceModel::kPath)
    for (const char* key : {"path", "path_csv"})
      if ((key == std::string("path") ? !m.path.empty() : !m.path_csv.empty()))
        r.context().error(r.pointer_of(key), "only model \"path\" reads a price path, got model \"" +
                                                 std::string(enum_name<PriceModel>(kPriceModelNames, m.model)) +
                                                 "\"");
}

}  // namespace subnetsim::scenario
