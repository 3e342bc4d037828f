// The epoch interface shared by the two numeric backends (spec §3, ../shared/spec/yuma-consensus.md).
//
// An EpochInput is one subnet's state exactly as the chain's epoch sees it after the chain-side
// driver (module `chain`) has applied every *boolean* mask: activity, permits, diagonal, outdated
// weights, commit-reveal, the recently-registered bond mask and the stake threshold. What remains
// is arithmetic, and arithmetic is the backend's job: stake normalisation, active stake, row
// normalisation, the weighted median, clipping, trust, incentive, bonds, dividends, emission
// shares, top-k permits and u16 quantisation.
//
// Two backends implement it (make_backend):
//   exact  emulates subtensor's I32F32/I64F64 fixed point bit for bit on the sparse rows;
//   float  converts to dense column-major Eigen arrays (validators x miners) and runs the
//          vectorised double-precision kernel.
//
// Invariants of an EpochInput: every vector has n entries; weights and bonds have n rows; every
// column index in a sparse row is < n; rows are in the order the chain stores them (weights: the
// order submitted, zero values kept; bonds: ascending column).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace subnetsim::consensus {

// One stored sparse row: (column uid, value) pairs. Value semantics depend on the matrix.
using SparseRowU16 = std::vector<std::pair<std::uint16_t, std::uint16_t>>;
using SparseRowsU16 = std::vector<SparseRowU16>;
using SparseRowF64 = std::vector<std::pair<std::uint16_t, double>>;
using SparseRowsF64 = std::vector<SparseRowF64>;

// Which algorithm, by name (see variant_from_name). All current chain behaviour is classic or
// yuma3; the legacy ones reproduce historical eras (spec §8).
enum class Variant {
  kClassic,           // Yuma3On=false: column-normalised bonds EMA, max-upscaled storage
  kYuma3,             // Yuma3On=true, fixed alpha
  kYuma3Liquid,       // Yuma3On=true, LiquidAlphaOn=true: per-entry alpha sigmoid (§3.9)
  kClassicLiquidV1,   // [LEGACY 2024-07..2025-03] classic bonds with per-column liquid alpha v1
  kLegacySigmoid,     // [LEGACY <= 2023-03] sigmoid-of-trust consensus, no clipping
};
std::optional<Variant> variant_from_name(std::string_view name);
const char* variant_name(Variant v);  // "classic", "yuma3", "yuma3_liquid", "classic_liquid_v1", "legacy_sigmoid"

// Hyperparameters in the chain's own storage units (spec §7).
struct EpochParams {
  Variant variant = Variant::kClassic;
  std::uint16_t kappa_u16 = 32767;              // Kappa/65535
  std::uint16_t bonds_penalty_u16 = 65535;      // beta = BondsPenalty/65535
  std::uint64_t bonds_moving_average_ppm = 900000;  // EMA factor alpha = 1 - BMA/1e6
  std::uint16_t alpha_low_u16 = 45875;          // liquid alpha bounds, /65535
  std::uint16_t alpha_high_u16 = 58982;
  std::int16_t alpha_sigmoid_steepness = 1000;  // Y3 liquid alpha slope = steepness/100
  std::uint16_t rho = 10;                       // legacy sigmoid consensus only
  std::uint16_t max_allowed_validators = 64;    // top-k for the permits of the next epoch
  // Float backend only: store Yuma 3 bonds that only decay (no instant bond reaches them) with
  // the chain's fixed-point steps, as the exact backend does, so that they do not drift a unit
  // from the chain's over epochs. `conform` turns it on (its bound on rao holds over many
  // epochs); a simulation leaves it off: every entry within a unit of u16 of the chain's, and
  // no fixed-point work for the ~10% of entries a noisy validator's zero weights leave decaying.
  bool chain_decay_rounding = false;
};

struct EpochInput {
  std::size_t n = 0;
  // Stake per uid in rao after the stake-threshold filter (filtered uids hold 0).
  std::vector<std::uint64_t> stake_rao;
  // Validator permits stored by the previous epoch (owner forced true by the driver).
  std::vector<bool> permit;
  // inactive[i]: last_update[i] + cutoff < block. Active stake A_i = 0 when inactive or !permit.
  std::vector<bool> inactive;
  // uid forced to hold a new permit (the subnet owner), if any.
  std::optional<std::uint16_t> owner_uid;
  // Weights as stored (u16, NOT divided by 65535) after row/diagonal/outdated/CR masks:
  // rows without permit are empty.
  SparseRowsU16 weights;
  // Stored bonds (u16) after the recently-registered mask (entries dropped).
  SparseRowsU16 bonds;
  std::uint64_t rao_emission = 0;
  // Fill EpochOutput::weights_normalized and delta_bonds_normalized. Only the conformance
  // epoch logs read them; the simulation leaves this off and saves two V x M copies an epoch.
  bool record_matrices = false;
};

struct EpochOutput {
  // Stored per-uid outputs, floor(x * 65535) of the backend's value.
  std::vector<std::uint16_t> consensus_u16, incentive_u16, dividends_u16, validator_trust_u16,
      stake_weight_u16;
  // Emission in rao: combined (Emission storage), server (miners) and validator parts.
  std::vector<std::uint64_t> emission_rao, server_emission_rao, validator_emission_rao;
  std::vector<bool> new_permit;
  // Bond rows to store: EMA rows of uids with new_permit (classic: column max-upscaled; Y3: raw),
  // empty rows for everyone else.
  SparseRowsU16 new_bonds;

  // Intermediate values as fractions, for the epoch_logs conformance cases and for metrics.
  std::vector<double> stake;             // S, normalised stake
  std::vector<double> active_stake;      // A
  std::vector<double> consensus;         // C
  std::vector<double> validator_trust;   // VT
  std::vector<double> incentive;         // I
  std::vector<double> dividends;         // D, normalised
  std::vector<double> validator_share;   // validator emission shares
  std::vector<double> server_share;      // server emission shares
  std::vector<double> combined_share;    // normalised I + D (with the zero-sum fallbacks)
  // Only with EpochInput::record_matrices (else empty):
  SparseRowsF64 weights_normalized;      // W after masks and row normalisation
  SparseRowsF64 delta_bonds_normalized;  // classic only: column-normalised instant bonds
};

class EpochBackend {
 public:
  virtual ~EpochBackend() = default;
  virtual const char* name() const = 0;
  // Runs one epoch. `out` is overwritten; backends reuse its storage and their own workspace
  // between calls, so a steady-state epoch of unchanged size allocates nothing.
  virtual void run(const EpochParams& params, const EpochInput& in, EpochOutput& out) = 0;
};

enum class BackendKind { kFloat, kExact };
std::optional<BackendKind> backend_from_name(std::string_view name);  // "float" | "exact"
std::unique_ptr<EpochBackend> make_backend(BackendKind kind);

}  // namespace subnetsim::consensus
