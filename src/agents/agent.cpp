#include "subnetsim/agents/agent.hpp"

#include <algorithm>
#include <boost/random/beta_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <cstddef>

#include "subnetsim/agents/noisy_scores.hpp"
#include "subnetsim/agents/quantise.hpp"
#include "subnetsim/core/normal.hpp"

namespace subnetsim::agents {

using namespace config;

Role role_of(const AgentParams& params) {
  const auto i = params.index();
  if (i <= 4) return Role::kMiner;
  if (i <= 9 || std::holds_alternative<ScriptedValidator>(params)) return Role::kValidator;
  return Role::kStaker;
}

Agent::Agent(const AgentGroup& group, std::uint32_t index_in_group, std::uint64_t seed,
             std::uint64_t blocks_per_day, std::vector<AgentIndex> favoured,
             std::vector<AgentIndex> delegate_to)
    : role_(role_of(group.params)),
      noise_seed_(core::stream_seed(seed, group.id, index_in_group, "noise")),
      blocks_per_day_(std::max<std::uint64_t>(1, blocks_per_day)),
      rng_(core::make_rng(seed, group.id, index_in_group, "agent")),
      params_(group.params),
      group_(group.id),
      index_(index_in_group),
      identity_(core::stream_seed(0, group.id, index_in_group, "identity")),
      favoured_(std::move(favoured)),
      delegate_to_(std::move(delegate_to)) {
  std::visit(
      [&](const auto& p) {
        if constexpr (requires { p.quality; }) quality_ = draw(p.quality);
      },
      params_);
}

void Agent::resolve_schedule(const std::function<std::vector<AgentIndex>(const std::string&)>& members) {
  const auto* p = std::get_if<ScriptedValidator>(&params_);
  if (p == nullptr) return;
  schedule_targets_.assign(p->schedule.size(), {});
  for (std::size_t i = 0; i < p->schedule.size(); ++i)
    for (const ScheduleTarget& t : p->schedule[i].targets) {
      const std::vector<AgentIndex> group = members(t.group);
      if (t.index >= 0) {
        if (static_cast<std::size_t>(t.index) < group.size())
          schedule_targets_[i].emplace_back(group[static_cast<std::size_t>(t.index)], t.weight);
      } else {
        for (AgentIndex a : group)
          schedule_targets_[i].emplace_back(a, t.weight / static_cast<double>(group.size()));
      }
    }
}

void Agent::switch_to(const AgentParams& params, std::vector<AgentIndex> favoured,
                      std::vector<AgentIndex> delegate_to) {
  params_ = params;
  role_ = role_of(params);
  memory_.clear();
  favoured_ = std::move(favoured);
  // A staker delegates what it holds as balance to its (new) validators when they are there:
  // what a loan opened by the switch lent it, or what the switch unstaked (the simulation moves
  // its delegations, sim/script.cpp). Nothing to delegate is no action.
  delegated_to_.clear();
  delegate_to_ = std::move(delegate_to);
}

double Agent::draw(const Distribution& d) {
  double x = 0.0;
  switch (d.dist) {
    case Dist::kConstant: x = d.value; break;
    case Dist::kUniform:
      // Boost's uniform needs lo < hi: with lo == hi its loop never ends (a hang at setup).
      x = d.lo < d.hi ? boost::random::uniform_real_distribution<double>(d.lo, d.hi)(rng_) : d.lo;
      break;
    case Dist::kNormal: x = d.mean + gaussian(d.sd); break;
    case Dist::kBeta: x = boost::random::beta_distribution<double>(d.a, d.b)(rng_); break;
  }
  return std::clamp(x, 0.0, 1.0);
}

double Agent::gaussian(double sd) {
  if (sd <= 0.0) return 0.0;
  return sd * core::standard_normal(rng_);
}

// The hot fields end within kHotBytes (Simulation::Impl::prefetch_agent fetches those).
// offsetof on a class with non-standard members is conditionally supported; GCC computes it,
// and warns.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
void Agent::check_layout() {
  static_assert(alignof(Agent) == 64 && offsetof(Agent, group_) <= kHotBytes,
                "an Agent's hot fields must fit its first kHotBytes");
}
#pragma GCC diagnostic pop

void Agent::decide(const Observation& obs, Decision& out) {
  if (offline(obs.subnet->block)) return;
  switch (role_) {
    case Role::kMiner:
      decide_miner(obs, out.actions);
      break;
    case Role::kValidator:
      decide_validator(obs, out);
      break;
    case Role::kStaker:
      decide_staker(obs, out.actions);
      break;
  }
  ++epochs_;
  last_block_ = obs.subnet->block;
}

void Agent::decide_miner(const Observation& obs, std::vector<Action>& out) {
  const SubnetView& v = *obs.subnet;
  double published = quality_;
  if (const auto* hm = std::get_if<HonestMiner>(&params_)) {
    quality_ = std::clamp(quality_ + gaussian(hm->drift_per_epoch), 0.0, 1.0);
    published = quality_;
  } else if (const auto* im = std::get_if<InnovatorMiner>(&params_)) {
    // A Poisson process of jumps: how many since the last decision (at a high rate, several
    // an epoch; it was at most one, which capped the rate at one jump per epoch).
    const double days = static_cast<double>(v.block - std::min(last_block_, v.block)) /
                        static_cast<double>(blocks_per_day_);
    const double mean = im->jumps_per_day * days;
    if (epochs_ > 0 && mean > 0.0) {
      const int jumps = boost::random::poisson_distribution<int, double>(mean)(rng_);
      quality_ = std::min(1.0, quality_ + jumps * im->jump_size);
    }
    published = quality_;
  } else if (const auto* cm = std::get_if<ClonerMiner>(&params_)) {
    // The best visible miner is the one with the highest incentive last epoch; its output is
    // copied lag_epochs later, scaled down by the duplicate penalty.
    // Miners decide together, so what it can see is the outputs of the previous epoch.
    std::int64_t best = -1;
    for (std::size_t u = 0; u < v.n; ++u)
      if (static_cast<std::int32_t>(u) != obs.own_uid && v.last_output[u] >= 0.0 &&
          (best < 0 || v.incentive[u] > v.incentive[static_cast<std::size_t>(best)]))
        best = static_cast<std::int64_t>(u);
    memory_.insert(
        memory_.begin(),
        std::vector<double>{best >= 0 ? v.last_output[static_cast<std::size_t>(best)] : 0.0});
    while (memory_.size() > cm->lag_epochs + 1) memory_.pop_back();
    published = memory_.size() > cm->lag_epochs ? memory_.back()[0] * (1.0 - cm->duplicate_penalty) : 0.0;
    quality_ = published;
  } else if (const auto* ch = std::get_if<ChurnerMiner>(&params_)) {
    if (epochs_ > 0 && epochs_ % ch->churn_every_epochs == 0) out.emplace_back(Reregister{});
  }
  out.emplace_back(PublishOutput{published});
}

void Agent::weights_from_scores(const SubnetView& v, std::int32_t own_uid,
                                const std::vector<double>& score, Decision& out) {
  // The storage is the Decision's, reused by the next decision (a no-op resize once it has
  // grown); the action spans the kept length.
  out.weight_uids.resize(v.n);
  out.weight_values.resize(v.n);
  const std::size_t own = own_uid >= 0 ? static_cast<std::size_t>(own_uid) : v.n;
  const std::size_t kept =
      quantise_scores(score.data(), v.n, own, out.weight_uids.data(), out.weight_values.data());
  if (kept == 0) return;
  out.actions.emplace_back(
      SetWeights{{out.weight_uids.data(), kept}, {out.weight_values.data(), kept}});
}

void Agent::decide_validator(const Observation& obs, Decision& out) {
  const SubnetView& v = *obs.subnet;
  // Scratch of the thread, not of the agent: the next validator's decision on this thread
  // finds it in cache (a network holds thousands of validators, and their private scratch
  // would be cold at every decision).
  thread_local std::vector<double> score;
  // Sized, not cleared: observed() writes every entry (0 where there is no output), and the
  // other ways of scoring clear it first (a fill per validator was 1% of a network's time).
  score.resize(v.n);
  auto clear_scores = [] { std::fill(score.begin(), score.end(), 0.0); };
  // Observed quality: each published output plus noise. The noise on a miner is keyed by this
  // validator, the subnet's epoch and the miner's identity, so that it is the same whatever
  // other miners there are (drawn in turn from one stream, a miner added, gone or offline
  // changed every later miner's noise).
  const std::uint64_t epoch_key = core::mix64(noise_seed_ ^ core::mix64(v.epoch));
  // A view without identities (built by hand) keys by uid instead.
  thread_local std::vector<std::uint64_t> uid_keys;
  const std::uint64_t* id = v.identity.data();
  if (v.identity.size() < v.n) {
    uid_keys.resize(v.n);
    for (std::size_t u = 0; u < v.n; ++u) uid_keys[u] = u + 1;
    id = uid_keys.data();
  }
  auto key = [epoch_key, id](std::size_t u) { return epoch_key + id[u]; };
  auto observed = [&](double noise, double sharpness) {
    const double* output = v.output.data();
    double* sc = score.data();
    if (noise <= 0.0) {
      for (std::size_t u = 0; u < v.n; ++u) {
        const double x = std::max(0.0, output[u]);
        sc[u] = output[u] < 0.0 ? 0.0 : sharpness == 1.0 ? x : std::pow(x, sharpness);
      }
      return;
    }
    // The draws in one batch (the fastest form), for the uids with an output.
    thread_local std::vector<double> normal;
    normal.resize(v.n);
    core::keyed_standard_normals(epoch_key, id, output, v.n, normal.data());
    const double* z = normal.data();
    if (sharpness == 1.0) {
      noisy_scores(output, z, noise, v.n, sc);
    } else {
      for (std::size_t u = 0; u < v.n; ++u) {
        const double x = std::max(0.0, output[u] + noise * z[u]);
        sc[u] = output[u] < 0.0 ? 0.0 : std::pow(x, sharpness);
      }
    }
  };
  if (const auto* p = std::get_if<CopierValidator>(&params_)) {
    // Remember consensus every epoch, even when the rate limit forbids setting weights.
    memory_.insert(memory_.begin(), std::vector<double>(v.consensus.begin(), v.consensus.end()));
    while (memory_.size() > p->lag_epochs + 1) memory_.pop_back();
  }
  if (!obs.may_set_weights) return;
  if (const auto* hv = std::get_if<HonestValidator>(&params_)) {
    // Counted from its last weights: its first weights wait for nothing.
    if (weights_set_ && hv->weights_every_blocks > 0 &&
        v.block - last_set_ < hv->weights_every_blocks)
      return;
    observed(hv->noise, hv->sharpness);
    if (hv->winner_takes_all) {
      // One-hot at the best observed miner (the lowest uid among equals).
      std::size_t best = v.n;
      for (std::size_t u = 0; u < v.n; ++u)
        if (static_cast<std::int32_t>(u) != obs.own_uid && score[u] > 0.0 && (best == v.n || score[u] > score[best]))
          best = u;
      for (std::size_t u = 0; u < v.n; ++u) score[u] = u == best ? 1.0 : 0.0;
    }
  } else if (std::holds_alternative<ScriptedValidator>(params_)) {
    clear_scores();
    if (!scripted_scores(obs, score)) return;
  } else if (const auto* lv = std::get_if<LazyValidator>(&params_)) {
    if (lv->inactive_from_block > 0 && v.block >= lv->inactive_from_block) return;
    if (epochs_ % lv->update_every_epochs != 0) return;
    observed(lv->noise, lv->sharpness);
  } else if (const auto* cp = std::get_if<CopierValidator>(&params_)) {
    // The consensus of lag_epochs + 1 epochs ago, which it must have seen: until it has (after
    // joining late, or switching to copying), it sets no weights rather than copy a fresher one.
    if (memory_.size() <= cp->lag_epochs) return;
    clear_scores();
    const auto& past = memory_.back();
    for (std::size_t u = 0; u < v.n && u < past.size(); ++u) score[u] = past[u];
  } else if (const auto* ca = std::get_if<CartelValidator>(&params_)) {
    observed(ca->noise, ca->sharpness);
    double rest = 0.0;
    for (double s : score) rest += s;
    std::vector<std::size_t> mine;
    for (AgentIndex a : favoured_)
      if (a < obs.uid_of_agent.size() && obs.uid_of_agent[a] >= 0)
        mine.push_back(static_cast<std::size_t>(obs.uid_of_agent[a]));
    if (!mine.empty()) {
      for (std::size_t u : mine) rest -= score[u];
      const double scale_rest = rest > 0.0 ? (1.0 - ca->favour_share) / rest : 0.0;
      for (double& s : score) s *= scale_rest;
      for (std::size_t u : mine) score[u] = ca->favour_share / static_cast<double>(mine.size());
    }
  } else if (const auto* av = std::get_if<AdversarialValidator>(&params_)) {
    clear_scores();
    for (std::size_t u = 0; u < v.n; ++u) {
      if (v.output[u] < 0.0) continue;
      // Random grades keyed as the noise is: a miner's grade does not depend on the others.
      score[u] = av->mode == AdversarialMode::kInverted
                     ? std::pow(1.0 - v.output[u], av->sharpness)
                     : static_cast<double>(core::mix64(key(u)) >> 11) * 0x1p-53;
    }
  } else {
    clear_scores();  // no validator kind left: nothing scored, nothing submitted
  }
  last_set_ = v.block;
  weights_set_ = true;
  weights_from_scores(v, obs.own_uid, score, out);
}

bool Agent::scripted_scores(const Observation& obs, std::vector<double>& score) const {
  // The step in force for the epoch these weights enter: this subnet's next epoch, numbered as
  // in the outputs (epochs run so far + 1).
  const auto& schedule = std::get<ScriptedValidator>(params_).schedule;
  const std::uint64_t next_epoch = obs.subnet->epoch + 1;
  std::size_t step = schedule.size();
  for (std::size_t i = 0; i < schedule.size() && i < schedule_targets_.size(); ++i)
    if (schedule[i].from_epoch <= next_epoch) step = i;
  if (step == schedule.size()) return false;
  for (const auto& [agent, weight] : schedule_targets_[step]) {
    if (agent >= obs.uid_of_agent.size()) continue;
    const std::int32_t uid = obs.uid_of_agent[agent];
    if (uid >= 0 && uid != obs.own_uid && static_cast<std::size_t>(uid) < score.size())
      score[static_cast<std::size_t>(uid)] += weight;
  }
  return true;
}

void Agent::decide_staker(const Observation& obs, std::vector<Action>& out) {
  // Delegate to each chosen validator once it is there (has a hotkey): the balance is spread
  // evenly over the targets still waiting, so a late validator gets its share when it joins.
  if (delegated_to_.size() != delegate_to_.size()) delegated_to_.assign(delegate_to_.size(), false);
  std::size_t waiting = 0;
  for (bool d : delegated_to_) waiting += d ? 0 : 1;
  if (waiting > 0) {
    for (std::size_t i = 0; i < delegate_to_.size(); ++i) {
      if (delegated_to_[i]) continue;
      const bool present = std::any_of(obs.validators.begin(), obs.validators.end(),
                                       [&](const ValidatorInfo& v) { return v.agent == delegate_to_[i]; });
      if (!present) continue;
      out.emplace_back(Delegate{delegate_to_[i], static_cast<std::uint32_t>(waiting--)});
      delegated_to_[i] = true;
    }
    return;
  }
  const auto* p = std::get_if<YieldChaserStaker>(&params_);
  if (p == nullptr || epochs_ % p->check_every_epochs != 0 || obs.validators.empty()) return;
  if (boost::random::uniform_real_distribution<double>(0.0, 1.0)(rng_) < p->inertia) return;
  const ValidatorInfo* best = nullptr;
  // What a nominator earns per TAO delegated: the dividends after the validator's take, shared
  // by stake (a validator that cuts its take pays its nominators more at the same dividends).
  auto yield = [](const ValidatorInfo& i) {
    return i.stake_tao > 0 ? i.dividends_tao * (1.0 - i.take) / i.stake_tao : 0.0;
  };
  for (const auto& info : obs.validators)
    if (best == nullptr || yield(info) > yield(*best)) best = &info;
  // Wherever its stake is now (any validator of the subnet), it all goes to the best.
  for (const auto& info : obs.validators)
    if (info.agent != best->agent) out.emplace_back(MoveStake{info.agent, best->agent, 1.0});
}

}  // namespace subnetsim::agents
