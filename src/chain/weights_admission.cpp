// The chain's set_weights admission rules (see weights_admission.hpp).
#include "subnetsim/chain/weights_admission.hpp"

#include <algorithm>
#include <cstdio>

#include "subnetsim/core/rao.hpp"

namespace subnetsim::chain {
namespace {

// An I32F32 share in [0, 1] with ten decimals: two quotients one raw unit (2.3e-10) apart
// print differently, so a refusal never reads "0.5 above 0.5".
std::string share_text(std::uint64_t q32) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10f", static_cast<double>(q32) * 0x1p-32);
  return buf;
}

// Σ values, the largest value, and whether any uid is not above the one before. Plain loops
// without early exits or short circuits, so that they vectorise; the sum fits 32 bits (a row
// has fewer than 65,536 entries of at most 65,535).
struct RowStats {
  std::uint32_t sum = 0, max = 0, descents = 0;
};

[[gnu::always_inline]] inline RowStats row_stats_body(std::span<const std::uint16_t> uids,
                                                      std::span<const std::uint16_t> values) {
  RowStats r;
  for (const std::uint16_t v : values) {
    r.sum += v;
    r.max = v > r.max ? v : r.max;
  }
  for (std::size_t i = 1; i < uids.size(); ++i)
    r.descents |= static_cast<std::uint32_t>(uids[i] <= uids[i - 1]);
  return r;
}

RowStats row_stats(std::span<const std::uint16_t> uids, std::span<const std::uint16_t> values) {
  return row_stats_body(uids, values);
}

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__AVX2__)
// The same loops compiled for AVX2 (chosen at run time): SSE2 has no unsigned 16-bit compare,
// max or widening load, and its form of them cost 4% of a subnet's epoch. Integer sums and
// maxima: the same results either way.
__attribute__((target("avx2"))) RowStats row_stats_avx2(std::span<const std::uint16_t> uids,
                                                        std::span<const std::uint16_t> values) {
  return row_stats_body(uids, values);
}
#define SUBNETSIM_ADMISSION_AVX2 1
#endif

RowStats stats_of(std::span<const std::uint16_t> uids, std::span<const std::uint16_t> values) {
#if defined(SUBNETSIM_ADMISSION_AVX2)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) return row_stats_avx2(uids, values);
#endif
  return row_stats(uids, values);
}

}  // namespace

std::string check_set_weights(const SubnetState& state, const WeightLimits& limits,
                              std::uint16_t own, std::span<const std::uint16_t> uids,
                              std::span<const std::uint16_t> values, std::uint64_t stake_rao,
                              bool permit, std::vector<std::uint8_t>& seen) {
  if (uids.size() != values.size()) return "uids and values differ in length";
  // The chain's is_self_weight: exempt from the permit, the length and the largest share.
  const bool self_only = uids.size() == 1 && uids[0] == own;
  if (!self_only && !permit) return "no validator permit";
  const std::size_t min_length = std::min<std::size_t>(limits.min_allowed_weights, state.n);
  if (!self_only && uids.size() < min_length)
    return "fewer than min_allowed_weights: " + std::to_string(uids.size()) +
           (uids.size() == 1 ? " weight" : " weights") + ", the minimum is " +
           (min_length == limits.min_allowed_weights
                ? std::to_string(min_length)
                : "the subnet's " + std::to_string(min_length) + " uids (min_allowed_weights " +
                      std::to_string(limits.min_allowed_weights) + " is capped at n)");
  // No descents: strictly ascending, so no uid repeats and the last is the largest.
  const RowStats stats = stats_of(uids, values);
  const std::uint64_t sum = stats.sum;
  const std::uint32_t max = stats.max, descents = stats.descents;
  if (descents != 0 || (!uids.empty() && uids.back() >= state.n)) {
    // Not in uid order (agents submit in order; scripts need not): find the first bad uid.
    seen.assign(state.n, 0);
    for (const std::uint16_t u : uids) {
      if (u >= state.n) return "uid " + std::to_string(u) + " does not exist";
      if (seen[u]++) return "duplicate uid " + std::to_string(u);
    }
  }
  // check_vec_max_limited: max / sum and limit / 65535 as I32F32 quotients ((a << 32) / b,
  // truncated); an all-zero row has nothing to normalise and passes.
  if (!self_only && limits.max_weight_limit_u16 != 65535 && sum > 0) {
    const std::uint64_t share_q32 = (std::uint64_t{max} << 32) / sum;
    const std::uint64_t limit_q32 = (std::uint64_t{limits.max_weight_limit_u16} << 32) / 65535;
    if (share_q32 > limit_q32)
      return "largest weight exceeds max_weights_limit: " + share_text(share_q32) +
             " of the row, the limit is " + share_text(limit_q32);
  }
  return stake_refusal(stake_rao, limits.stake_threshold_rao);
}

std::string stake_refusal(std::uint64_t stake_rao, std::uint64_t threshold_rao) {
  if (stake_rao >= threshold_rao) return {};
  // To the last rao: a stake a rao short must not read as equal to the threshold.
  return "stake below stake_threshold: " + core::format_tao_exact(core::Rao(stake_rao)) +
         ", the threshold is " + core::format_tao_exact(core::Rao(threshold_rao));
}

}  // namespace subnetsim::chain
