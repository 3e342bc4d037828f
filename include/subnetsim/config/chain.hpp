// Chain-wide settings, the emission schedule, per-subnet hyperparameters and the token market.
//
// Fractions are doubles in [0, 1]; the chain stores most of them as u16 ratios, converted with
// round(x * 65535). Defaults are the chain's own u16 values divided by 65535 (kappa defaults to
// 32767/65535 = 0.49999237..., not 0.5), so a default scenario reproduces the chain exactly.
// Amounts of value are TAO in the config and integer rao once in the chain state.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "subnetsim/config/names.hpp"
#include "subnetsim/consensus/epoch.hpp"

namespace subnetsim::config {

enum class EpochSchedule { kLastEpochBlock, kLegacyModulo };
inline constexpr EnumName<EpochSchedule> kEpochScheduleNames[] = {
    {EpochSchedule::kLastEpochBlock, "last_epoch_block"},
    {EpochSchedule::kLegacyModulo, "legacy_modulo"}};

inline constexpr EnumName<consensus::Variant> kYumaNames[] = {
    {consensus::Variant::kClassic, "classic"},
    {consensus::Variant::kYuma3, "yuma3"},
    {consensus::Variant::kYuma3Liquid, "yuma3_liquid"},
    {consensus::Variant::kClassicLiquidV1, "classic_liquid_v1"},
    {consensus::Variant::kLegacySigmoid, "legacy_sigmoid"}};

inline constexpr EnumName<consensus::BackendKind> kBackendNames[] = {
    {consensus::BackendKind::kFloat, "float"}, {consensus::BackendKind::kExact, "exact"}};

struct ChainConfig {
  double block_time_s = 12.0;
  EpochSchedule epoch_schedule = EpochSchedule::kLastEpochBlock;
  std::uint32_t max_epochs_per_block = 2;
  std::uint32_t subnet_count = 0;  // subnets 1..count created with subnet_defaults
  double total_supply_tao = 21'000'000.0;
  double initial_issuance_tao = 0.0;
  double tao_weight = 0.0;
  consensus::BackendKind consensus_backend = consensus::BackendKind::kFloat;
};

enum class EmissionSchedule { kHalving, kYearlyDecay, kFlat, kTable };
inline constexpr EnumName<EmissionSchedule> kEmissionScheduleNames[] = {
    {EmissionSchedule::kHalving, "halving"},
    {EmissionSchedule::kYearlyDecay, "yearly_decay"},
    {EmissionSchedule::kFlat, "flat"},
    {EmissionSchedule::kTable, "table"}};

enum class SubnetSplit { kEqual, kWeights, kStake };
inline constexpr EnumName<SubnetSplit> kSubnetSplitNames[] = {
    {SubnetSplit::kEqual, "equal"}, {SubnetSplit::kWeights, "weights"}, {SubnetSplit::kStake, "stake"}};

struct EmissionStep {
  std::uint64_t from_block = 0;
  double tao_per_block = 0.0;
};

struct EmissionConfig {
  EmissionSchedule schedule = EmissionSchedule::kHalving;
  double tao_per_block = 1.0;        // initial rate (halving, yearly_decay) or the rate (flat)
  double yearly_decay = 0.10;        // yearly_decay: rate multiplied by (1 - this) each year
  std::uint64_t blocks_per_year = 2'629'800;
  std::vector<EmissionStep> table;   // table: rate from each step's block on, ascending
  SubnetSplit subnet_split = SubnetSplit::kEqual;
  std::map<std::uint16_t, double> subnet_weights;  // weights: netuid -> relative weight
};

// The chain's "18%": SubnetOwnerCut and the delegate take (default and MaxDelegateTake) are the
// u16 ratio 11796/65535 = 0.1799954..., which the docs round to 18% (spec §5.3, §5.4, §7).
inline constexpr std::uint16_t kChainEighteenPercentU16 = 11796;
inline constexpr double kChainEighteenPercent = kChainEighteenPercentU16 / 65535.0;

// Where a subnet's emission goes; fractions sum to 1. The default is the `bittensor` preset:
// the owner cut, then the rest in halves to miners and validators (the docs' 18/41/41).
struct EmissionSplit {
  std::string preset = "bittensor";  // bittensor | guide | ocean | gensyn | custom
  double owner = kChainEighteenPercent, miners = (1.0 - kChainEighteenPercent) / 2,
         validators = (1.0 - kChainEighteenPercent) / 2, treasury = 0.0, community = 0.0;
  bool operator==(const EmissionSplit&) const = default;
};

// The named splits, in the order the documentation lists them: bittensor (the chain's owner cut,
// then the rest in halves, spec §5.3), guide (41/33/20/6), ocean (51 data providers as miners,
// 24 compute as validators, 10 team as treasury, 15 community), gensyn (60/25/15 treasury).
inline constexpr const char* kEmissionSplitPresets[] = {"bittensor", "guide", "ocean", "gensyn"};
// The split a preset names (its `preset` set to the name); nullopt for any other name,
// "custom" included (a custom split is its fractions).
std::optional<EmissionSplit> emission_split_preset(std::string_view name);

struct SubnetParams {
  std::uint16_t tempo = 12;
  consensus::Variant yuma = consensus::Variant::kYuma3;
  std::uint32_t activity_cutoff_factor_milli = 13889;
  double kappa = 32767.0 / 65535.0;
  double bonds_penalty = 1.0;
  double bonds_moving_average = 0.9;
  double alpha_low = 45875.0 / 65535.0, alpha_high = 58982.0 / 65535.0;
  std::int32_t alpha_sigmoid_steepness = 1000;
  double rho = 10.0;
  std::uint16_t max_allowed_uids = 256;
  std::uint16_t max_allowed_validators = 64;
  std::uint16_t immunity_period = 5000;
  std::uint16_t min_non_immune_uids = 10;
  std::uint16_t min_allowed_weights = 1;
  double max_weights_limit = 1.0;
  std::uint64_t weights_rate_limit = 100;
  bool commit_reveal = false;
  std::uint32_t reveal_period_epochs = 1;
  double stake_threshold_tao = 0.0;
  double min_validator_stake_tao = 0.0;
  double validator_take = kChainEighteenPercent;  // applied as its u16 ratio, as on chain
  double burn_tao = 1.0, min_burn_tao = 0.0005, max_burn_tao = 100.0;
  std::uint32_t burn_half_life_blocks = 360;
  double burn_increase_mult = 1.26;
  std::uint32_t max_registrations_per_block = 1;
  EmissionSplit emission_split;

  consensus::EpochParams epoch_params() const;  // the chain's u16/ppm encodings
};

// round(x * 65535) clamped to [0, 65535]: a fraction as the chain's u16 ratio.
std::uint16_t fraction_to_u16(double x);
// A u16 ratio as the chain takes it in U96F32 arithmetic, on a 2^-32 grid:
// floor(u * 2^32 / 65535) (from_num(u) / from_num(u16::MAX) truncates). A part of an amount is
// then floor(amount * q / 2^32), as the chain's owner cut and delegate take (spec §5.3, §5.4).
constexpr std::uint64_t u16_ratio_q32(std::uint16_t u) { return (std::uint64_t{u} << 32) / 65535; }

enum class PriceModel { kConstant, kGbm, kPath };
inline constexpr EnumName<PriceModel> kPriceModelNames[] = {
    {PriceModel::kConstant, "constant"}, {PriceModel::kGbm, "gbm"}, {PriceModel::kPath, "path"}};

struct PricePoint {
  std::uint64_t block = 0;
  double usd = 0.0;
};

struct MarketConfig {
  PriceModel model = PriceModel::kConstant;
  double initial_usd = 300.0;
  double drift_per_year = 0.0;       // gbm: mu
  double volatility_per_year = 0.6;  // gbm: sigma
  std::uint64_t update_every_blocks = 300;
  std::vector<PricePoint> path;      // path: linear interpolation between points
  std::string path_csv;              // path: alternatively a CSV file "block,usd" (relative to the scenario)
};

}  // namespace subnetsim::config
