// The simulation's internal state (Simulation::Impl), shared by the files of src/sim/.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "held_observer.hpp"
#include "subnetsim/agents/agent.hpp"
#include "subnetsim/chain/epoch_driver.hpp"
#include "subnetsim/chain/ledger.hpp"
#include "subnetsim/config/param_paths.hpp"
#include "subnetsim/core/rao.hpp"
#include "subnetsim/core/rng.hpp"
#include "subnetsim/economics/burn.hpp"
#include "subnetsim/economics/emission_schedule.hpp"
#include "subnetsim/economics/emission_split.hpp"
#include "subnetsim/economics/price.hpp"
#include "subnetsim/engine/event_queue.hpp"
#include "subnetsim/sim/simulation.hpp"
#include "subnetsim/sim/thread_pool.hpp"

namespace subnetsim::sim {

using agents::AgentIndex;
using chain::ColdkeyId;
using chain::HotkeyId;
using chain::PoolId;
using core::Rao;

inline constexpr HotkeyId kNoHotkey = std::numeric_limits<HotkeyId>::max();
inline constexpr std::int64_t kNoAgent = -1;

// A USD value (the price, a debt) that left the range of a double: thrown where it is
// computed, it stops the run as an amount beyond 64-bit rao does (exit 3), with what it was.
struct UsdOverflow : std::overflow_error {
  using std::overflow_error::overflow_error;
};

// Queue payloads, one per kind of scheduled work.
struct ScriptDue { std::size_t index; };
struct ProposalOpen { std::string id; };
struct ProposalClose { std::string id; };
// `stakes`: a first join stakes the group's stake_tao once registered; a re-registration
// retried a block later (max_registrations_per_block) does not, as one at once does not.
// `retry`: scheduled by a refused registration; only the agent's latest retry stands (an older
// one, overtaken by a new refusal, is dropped when it comes).
struct JoinDue {
  AgentIndex agent;
  bool stakes = true;
  bool retry = false;
};
// `generation`: the subnet's epoch_generation when scheduled; a tempo change bumps it and
// schedules anew, and the events of an older generation are dropped when they come.
struct SubnetDecide {
  std::uint16_t netuid;
  std::uint32_t generation = 0;
};
struct EpochDue {
  std::uint16_t netuid;
  std::uint32_t generation = 0;
};
struct PriceUpdate {};
struct SampleDue {};
struct Wake {};  // comes back online, etc.: nothing to do but visit the block
using Payload = std::variant<ScriptDue, ProposalOpen, ProposalClose, JoinDue, SubnetDecide,
                             EpochDue, PriceUpdate, SampleDue, Wake>;

struct PendingCommit {
  std::uint16_t uid;
  std::vector<std::uint16_t> uids, values;
  std::uint64_t commit_block;
  // SubnetRuntime::epoch_index at the commit, the chain's epoch index the commit is filed
  // under: it is revealed by the epoch run when epoch_index is commit_epoch + period - 1, the
  // period read then (reveal_due_commits).
  std::uint64_t commit_epoch;
};

struct SubnetRuntime {
  std::uint16_t netuid = 0;
  // scenario.subnets[netuid], set by add_subnet: map nodes never move, and the hot paths (every
  // agent's observation and action) read it without a tree lookup.
  const config::SubnetParams* subnet_params = nullptr;
  std::uint64_t creation_block = 0;
  // The within-subnet split of emission, made from the fractions it was made from: every
  // accrual (a visit to any block with work) splits every subnet's emission, and a split set by
  // the script or a vote is made again when first met.
  config::EmissionSplit split_from;
  std::optional<economics::WithinSubnetSplit> split;
  std::int64_t last_epoch_block = 0;  // may start negative (staggering)
  std::uint32_t epoch_generation = 0;  // of the scheduled SubnetDecide/EpochDue (see EpochDue)
  std::uint64_t next_epoch_block = 0;  // the block its queued epoch is due (deferred: the next)
  // A tempo change in a block where an epoch is due: the epoch still runs there, but if
  // max_epochs_per_block defers it, the cycle restarts at this block instead (0: none).
  std::uint64_t cycle_reset_at = 0;
  std::uint64_t epoch_index = 0;
  chain::SubnetState state;
  ColdkeyId owner_coldkey = 0;
  PoolId miners_pool = 0, validators_pool = 0, slash_pool = 0;
  std::vector<std::int64_t> agent_of_uid;  // agent index or kNoAgent
  // The agent that left this uid to register again (a churner) and still owns its hotkey, until
  // a registration replaces it; kNoAgent otherwise. What the uid is paid meanwhile is that
  // agent's (its stake grows by it): counted in its paid_rao.
  std::vector<std::int64_t> former_agent_of_uid;
  std::vector<std::uint64_t> identity_of_uid;  // its agent's Agent::identity, 0 for none
  std::vector<HotkeyId> hotkey_of_uid;
  std::vector<std::string> agent_name;     // "group/index" of each uid's agent, "" if none
  std::vector<double> output;              // miner outputs published this epoch
  std::vector<double> last_output;         // ... and in the previous one
  std::vector<double> consensus, incentive, dividends, validator_trust, bond_total;
  std::vector<std::uint64_t> held_stake_rao;  // each uid's hotkey stake at its last epoch, jailed or not
  std::vector<std::uint64_t> paid_rao;     // last epoch's payment per uid
  std::vector<AgentIndex> agents;          // agents living on this subnet, by index
  // subnet_decide's roster, kept while Impl::roster_generation is unchanged: those of `agents`
  // that take part (joined, not liquidated) by role, and its validators (any state), in index
  // order. Rebuilt only when some agent joins, is liquidated or switches strategy: reading
  // every agent's record each epoch costs a cache miss per agent in a large network.
  std::array<std::vector<AgentIndex>, 3> roster;  // indexed by agents::Role
  std::vector<AgentIndex> roster_validators;
  // Its validator agents, registered or not: kept as agents join (a validator stays one, even
  // after a switch_strategy), for the stakers' delegations (delegations_of).
  std::vector<AgentIndex> validator_agents;
  std::vector<AgentIndex> roster_leveraged;  // its stakers with a loan, liquidated or not
  std::uint64_t roster_built_at = UINT64_MAX;
  std::vector<PendingCommit> commits;
  economics::RegistrationBurn burn{config::SubnetParams{}};
  // The block the burn value refers to: its decay steps are those of the blocks after it. Never
  // below 1: the chain's on_initialize decays the burn from block 2 on (burn_clock).
  std::uint64_t burn_block = 1;
  std::uint64_t registrations_block = 0, registrations_in_block = 0;
  // Slashing: consecutive epochs each (rule, uid) has met its condition; jail end per uid.
  std::map<std::pair<std::string, std::uint16_t>, std::uint32_t> strikes;
  std::vector<std::uint64_t> jailed_until_epoch;
  std::vector<std::uint8_t> permit_before;  // permits as the epoch found them (for permit events)
};

// Hot fields first: an epoch reads or writes them for each of its subnet's agents, and in a
// large network the records are cold by then (see agents::Agent); aligned so that they take one
// cache line (Impl::prefetch_agent fetches it ahead).
struct alignas(64) AgentRuntime {
  std::uint16_t netuid = 0;
  bool joined = false;
  bool liquidated = false;
  ColdkeyId coldkey = 0;
  HotkeyId hotkey = kNoHotkey;  // miners and validators
  std::int32_t uid = agents::kNoUid;
  std::uint64_t paid_rao = 0;  // emission paid to its hotkey, cumulative
  std::optional<double> take;  // validators: its own take, once it changed it (else the subnet's)
  // Cold.
  std::string name;  // "group/index"
  // A refused registration: the block of its one pending retry (0: none), or priced out for
  // good (the burn never decays to its balance within the run). Cleared when it registers.
  std::uint64_t retry_at = 0;
  bool priced_out = false;
  double debt_usd = 0.0;        // leveraged stakers: what they owe, interest included
  std::uint64_t debt_block = 0;  // block the debt was last brought up to date
  // A loan (a leveraged staker's, opened at genesis or by a switch to leveraged_staker) is a
  // position, not a behaviour: its interest and margin calls go on at the terms it was opened
  // with, whatever type the staker switches to, until a liquidation closes it.
  bool has_loan = false;
  double loan_rate_per_year = 0.0, loan_margin = 0.0;
  Rao initial_wealth;           // balance + stake after genesis funding
  double initial_debt_usd = 0.0;
  std::uint64_t take_changed_block = 0;  // the chain's LastTxBlockDelegateTake (0: no limit yet)
};
// The hot fields fill the first line (offsetof on a record with a std::string: GCC computes it,
// and warns).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
static_assert(offsetof(AgentRuntime, name) <= 64, "an AgentRuntime's hot fields must fit a line");
#pragma GCC diagnostic pop

// The chain's delegate-take rules (subtensor: MaxDelegateTake 11_796/65_535, which it presents
// as 18% and which is our default validator_take; MinDelegateTake 0; TxDelegateTakeRateLimit
// 216_000 blocks for increases). Takes are u16 ratios on chain and compared as such.
inline constexpr std::uint16_t kMaxDelegateTakeU16 = config::kChainEighteenPercentU16;
inline constexpr std::uint64_t kTakeIncreaseRateLimit = 216000;

struct Proposal {
  config::Proposal cfg;
  config::ParamPath path;
};

// What a leveraged staker borrows on `collateral`: (leverage - 1) x it, floored to the rao.
Rao loan_on(const config::LeveragedStaker& lev, Rao collateral);

struct Simulation::Impl {
  Impl(config::Scenario s, RunOptions o, metrics::Observer& obs);

  // setup.cpp
  void build();
  SubnetRuntime& add_subnet(std::uint16_t netuid, std::uint64_t block);
  void schedule_next_epoch(SubnetRuntime& sn, std::uint64_t after_block);
  // The subnet's epoch cycle restarts at `block` (LastEpochBlock = block under that rule), the
  // epoch queued under the old cycle dropped.
  void restart_cycle(SubnetRuntime& sn, std::uint64_t block);
  // The order in which the epochs due in one block run, and so which ones MaxEpochsPerBlock
  // defers: the chain's, which walks NetworksAdded (an Identity-hashed map of u16 netuids) in the
  // order of the keys' little-endian bytes: ascending below 256, and 256 (bytes 00 01) before 1
  // (01 00). A deferred subnet competes again by this order, not after the ones newly due.
  static std::uint32_t epoch_rank(std::uint16_t netuid) {
    return static_cast<std::uint32_t>(((netuid & 0xffu) << 8) | (netuid >> 8));
  }

  // loop.cpp
  RunResult run();
  void accrue_through(std::uint64_t block);
  void handle(const engine::EventKey& key, const Payload& p);
  void stop_on_overflow(std::uint64_t block, const std::overflow_error& e);
  void record_sample(std::uint64_t block);  // globals.csv's row of `block`, as it ends

  // actions.cpp
  void subnet_decide(SubnetRuntime& sn, std::uint64_t block);
  void apply(AgentIndex a, const agents::Action& action, std::uint64_t block);
  // The same, for an agent of `sn` (its subnet, known to the caller: no lookup).
  void apply(AgentIndex a, const agents::Action& action, std::uint64_t block, SubnetRuntime& sn);
  bool register_agent(AgentIndex a, std::uint64_t block, bool genesis);
  // The subnet's burn or its dynamics changed: every agent refused for its balance there (a retry
  // pending, or priced out) tries again at this block, under the new terms.
  void registration_terms_changed(const SubnetRuntime& sn, std::uint64_t block);
  // Registers an agent arriving after genesis and stakes its stake_tao from its balance.
  void join(AgentIndex a, std::uint64_t block, bool free_registration);
  void refuse(AgentIndex a, std::uint64_t block, const std::string& action, const std::string& why);
  // The block a burn set at `block` refers to: the chain decays it in on_initialize of every
  // block after, but not in block 1 (`current_block > 1`), so a burn of block 0 decays first in
  // block 2, as one of block 1 does.
  static std::uint64_t burn_clock(std::uint64_t block) { return std::max<std::uint64_t>(block, 1); }
  // Decays the subnet's burn through `block` (spec §6.1): every block after burn_block.
  static void advance_burn(SubnetRuntime& sn, std::uint64_t block);
  // Why the chain's set_weights would refuse the row (uid u's, submitted by `hotkey`) now, or
  // "" (spec §4; the rate limit is the caller's): the subnet's limits, the hotkey's stake and
  // the uid's permit as they stand.
  std::string weights_refusal(const SubnetRuntime& sn, std::uint16_t u, HotkeyId hotkey,
                              std::span<const std::uint16_t> uids,
                              std::span<const std::uint16_t> values);
  // Whether uid u may not set weights at `block` for the subnet's rate limit (last_update 0 is
  // the chain's "never set": always allowed), and why (built only for a refusal).
  bool rate_limited(const SubnetRuntime& sn, std::uint16_t u, std::uint64_t block) const {
    const std::uint64_t last = sn.state.last_update[u];
    return last != 0 && block - last < params(sn).weights_rate_limit;
  }
  std::string rate_limit_refusal(const SubnetRuntime& sn, std::uint16_t u,
                                 std::uint64_t block) const;
  // Commit-reveal: stores the commits whose reveal epoch has come, each checked by the weights
  // rules as the chain's reveal checks them (a refused one is an event, the row stays as it was).
  void reveal_due_commits(SubnetRuntime& sn, std::uint64_t block);
  // The chain refuses a stake operation (add, remove, move) of less than its MinStake, 2,000,000
  // rao (spec §7; subtensor's AmountTooLow): agents' actions and the script's moves alike.
  static constexpr std::uint64_t kMinStakeRao = 2'000'000;
  static std::string below_min_stake(Rao amount);
  // The subnet as agents see it at `block` (spans into sn's vectors, valid until they resize).
  void fill_view(const SubnetRuntime& sn, std::uint64_t block, agents::SubnetView& view) const;
  agents::Observation observe(AgentIndex a, const SubnetRuntime& sn, std::uint64_t block,
                              const agents::SubnetView& view) const;

  // epoch_step.cpp
  // An epoch of `sn` at `block`. prepare_epoch does what reads the state as the epoch finds it
  // (reveals, stakes, pools); compute_epoch what touches only the subnet (the driver's input,
  // the backend, persisting, the subnet's per-uid copies); finish_epoch the rest (permits by
  // minimum stake, payments, slashes, records, the audit). On one thread, or when epochs may
  // not overlap, run_epoch does all three at once. Otherwise compute_epoch runs as a pool task
  // while the main thread goes on with other subnets' decisions and epochs, and the epoch
  // completes (complete_oldest_epoch: wait, then finish_epoch) in launch order, when the main
  // thread reaches anything that could see it (complete_epochs_before) or needs its engine.
  void run_epoch(SubnetRuntime& sn, std::uint64_t block);
  struct InflightEpoch {
    SubnetRuntime* sn = nullptr;
    std::uint64_t block = 0;
    chain::ChainEpochParams params;
    Rao miners, validators;  // the pools as the epoch found them
    std::size_t engine = 0;  // engines[engine] computes it
    bool on_worker = false;
    ThreadPool::Ticket ticket = 0;
  };
  InflightEpoch prepare_epoch(SubnetRuntime& sn, std::uint64_t block);
  void compute_epoch(const InflightEpoch& e);
  void finish_epoch(const InflightEpoch& e);
  void complete_oldest_epoch();
  // Completes the epochs in flight that handling `p` must see: those of its subnet for its
  // decisions or epoch, all of them for anything else.
  void complete_epochs_before(const Payload& p);
  void complete_all_epochs();
  // Whether the scenario lets an epoch compute while the main thread goes on: nothing that one
  // subnet's later decisions or epoch could read of another's epoch results or write to what
  // they read (no leveraged stakers, whose margin calls at any subnet's decisions unstake from
  // other subnets' validators, and, to be safe, no stakers at all; no emission split by stake,
  // which reads every subnet's stake at every block). overlap_epochs: and there is a thread.
  bool epochs_may_overlap() const;
  bool overlap_epochs() const;
  // any_staker_ from the agents' roles now (setup.cpp; again after the script switches some).
  void note_stakers();
  // The agents of `group` on subnet `netuid`, in agent order (once setup has placed them).
  std::vector<AgentIndex> members_on(const std::string& group, std::uint16_t netuid) const;
  // Pays the epoch's shares of the pools, which held `miners` and `validators` when the epoch
  // began (emission accrued since, while the epoch computed, stays for the next one).
  void distribute(SubnetRuntime& sn, const consensus::EpochOutput& out, Rao miners, Rao validators);
  // permit_gained / permit_lost events for agents whose permit changed in this epoch, with why.
  void record_permit_changes(SubnetRuntime& sn, std::uint64_t block, Rao min_stake);
  // The uids apply_slashing slashed in the epoch being finished (their permit events say the
  // stake they tell is the epoch's, from before the slash).
  std::vector<std::uint16_t> slashed_in_epoch_;
  // Judges the validators that graded in the epoch whose masked input is `input`.
  void apply_slashing(SubnetRuntime& sn, const consensus::EpochInput& input, std::uint64_t block);
  // `next_epoch`: the subnet's epoch index of the first epoch the jail keeps the permit from
  // (sn.epoch_index + 1 within an epoch, before it is counted; sn.epoch_index between epochs).
  // `measured`: what the rule's trigger measured, or none when the script slashes (under any
  // rule: its trigger did not fire, and the event must not say it did). `not_paid`: uids slashed
  // in the same epoch, which get no share of a redistributed slash.
  Rao slash(SubnetRuntime& sn, std::uint16_t uid, const config::SlashingRule& rule,
            std::uint64_t block, std::optional<double> measured, std::uint64_t next_epoch,
            std::span<const std::uint16_t> not_paid = {});
  // A jail's last epoch (jailed_until_epoch) as epochs.csv numbers it.
  static std::uint64_t shown_epoch(std::uint64_t epoch_index) { return epoch_index + 1; }

  // script.cpp
  void run_script(const config::ScriptEvent& e, std::uint64_t block);
  // Sets a parameter (script or vote) with what must follow it; returns its earlier value as
  // the event tells it ("12", or "20 on subnet 1, 12 elsewhere" for /subnet_defaults).
  std::string change_param(const config::ParamPath& path, double value, std::uint64_t block);
  // State that follows a parameter just set (the burn, the price process, the backends, the
  // epoch schedule), given the value read before and each reached subnet's (an unchanged tempo
  // or epoch schedule leaves the queued epochs alone, subnet by subnet).
  void after_param_change(const config::ParamPath& path, std::uint64_t block, double before,
                          const std::map<std::uint16_t, double>& was);
  void open_proposal(const std::string& id, std::uint64_t block);
  void close_proposal(const std::string& id, std::uint64_t block);
  void update_price(std::uint64_t block);
  // Margin calls for `who` (stakers with a loan; others are skipped): all of them at a price
  // move, a subnet's own at its epoch.
  void check_liquidations(std::uint64_t block, std::span<const AgentIndex> who);
  // A staker's delegations: (hotkey, amount) for each validator of its subnet on which it holds
  // stake, wherever that is (a yield chaser's need not be on the validators it started with).
  std::vector<std::pair<HotkeyId, Rao>> delegations_of(AgentIndex a) const;
  // Opens a loan for `rt`: loan_on(lev, collateral) TAO, minted to the lender and lent,
  // owed in USD at the price `usd`, on lev's rate and margin. Returns what it borrowed; nothing
  // (and no loan) at leverage 1 or without collateral.
  Rao open_loan(AgentRuntime& rt, const config::LeveragedStaker& lev, Rao collateral,
                std::uint64_t block, double usd);
  // Whether a price update falls on `block` (the script's actions run before it).
  bool price_updates_at(std::uint64_t block) const;
  // What a switch_strategy did to its stakers' positions, counted for its event.
  struct StakerSwitchTally {
    std::size_t moved = 0, unstaked = 0, borrowed = 0, kept_loans = 0, refused = 0;
    std::string text() const;  // ": 3 stakers moved their delegations, ..." or ""
  };
  // A staker's switch_strategy beyond its behaviour: its delegations go to the validator group
  // the new params name, and a switch to leveraged_staker opens a loan when it has none. Each
  // move, unstake and loan is an event of its own (exact amounts); `tally` counts them.
  void switch_staker_positions(AgentIndex a, const std::vector<AgentIndex>& new_targets,
                               const config::AgentParams& to, std::uint64_t block,
                               StakerSwitchTally& tally);
  void before_param_change(const config::ParamPath& path, std::uint64_t block);
  std::string rate_now(const config::ParamPath& path, std::uint64_t block) const;
  std::string chain_refuses(const config::ParamPath& path, double value) const;
  // Interest on agent a's debt (a staker's loan), compounded continuously at the loan's rate
  // from the block it was last brought to, up to `block`.
  void accrue_debt(AgentIndex a, std::uint64_t block);

  // outcomes.cpp
  // Every coldkey's stake positions summed (one pass over all hotkeys).
  std::vector<Rao> stake_by_coldkey() const;
  void record_initial_wealth();
  void record_outcomes();

  // helpers
  void event(metrics::EventRecord r) const { observer.on_event(r); }
  const config::SubnetParams& params(const SubnetRuntime& sn) const { return *sn.subnet_params; }
  std::uint64_t blocks_per_day() const;

  config::Scenario scenario;
  RunOptions options;
  HeldObserver held_output;     // the run's observer, behind the hold of overlapping epochs
  metrics::Observer& observer;  // = held_output
  chain::Ledger ledger;
  // A driver and a backend for each epoch that may be in flight at once (one on one thread).
  struct EpochEngine {
    chain::EpochDriver driver;
    std::unique_ptr<consensus::EpochBackend> backend;
  };
  std::vector<EpochEngine> engines;
  std::size_t next_engine_ = 0;
  engine::EventQueue<Payload> queue;
  std::map<std::uint16_t, SubnetRuntime> subnets;
  std::vector<agents::Agent> agents;
  std::vector<AgentRuntime> runtime;
  std::vector<std::int32_t> uid_of_agent;  // mirror of runtime[a].uid for observations
  std::map<std::string, std::vector<AgentIndex>> groups;
  std::vector<AgentIndex> leveraged;
  std::map<std::uint16_t, std::vector<AgentIndex>> pending_agents;  // of subnets not created yet  // leveraged stakers, checked for margin calls
  std::map<std::string, Proposal> proposals;
  ColdkeyId treasury = 0, community = 0, lender = 0;
  PoolId emission_dust_pool = 0;
  std::uint64_t emitted_through = 0;  // emission accrued for blocks <= this
  economics::DecayAnchor decay_anchor;  // where a yearly decay last changed (emission_schedule.hpp)
  // The emission table in rao, converted once (the table is fixed for a run).
  std::shared_ptr<const economics::EmissionTable> emission_table;
  economics::BlockEmission block_emission() const {
    return economics::BlockEmission(scenario.emission,
                                    Rao::from_tao(scenario.chain.total_supply_tao), decay_anchor,
                                    emission_table);
  }
  std::uint64_t horizon = 0;
  double price_usd = 0.0;
  std::unique_ptr<economics::PriceProcess> price;
  Rao slashed_total;
  EmissionTotals emitted;
  RunResult result;
  // After everything an epoch task uses (engines, subnets): destroyed before them, so that
  // tasks still running finish first.
  std::unique_ptr<ThreadPool> workers;
  bool broken = false;
  // The conservation check failed (a `broken` run may also have stopped on an amount or a price
  // beyond its range, with conservation intact: the summary says which).
  bool conservation_broken = false;
  // With `broken`: the block the run stopped at (an epoch's own block when its audit failed, so
  // the same for any thread count); the summary counts the blocks up to it.
  std::uint64_t stopped_at_block = 0;
  std::uint64_t last_visited_ = 0;
  std::uint64_t last_sample_block_ = UINT64_MAX;  // none yet
  std::uint64_t sample_every = 1;
  std::vector<std::uint8_t> seen_scratch, permits_scratch;
  // subnet_decide's per-role scratch, kept between epochs so that its vectors keep their
  // capacity: who is due, each one's decision (actions and weight row), and the view.
  std::vector<agents::ValidatorInfo> infos_scratch;
  // Bumped whenever an agent joins, is liquidated, switches strategy or is added to a subnet:
  // every SubnetRuntime::roster built before it is stale.
  std::uint64_t roster_generation = 0;
  std::vector<agents::Decision> decided_scratch;
  static constexpr std::size_t kRecordsAhead = 8;  // decisions between a prefetch and its use
  static constexpr std::size_t kRowsAhead = 2;     // weight rows between a prefetch and its write
  void prefetch_agent(AgentIndex a) const;
  agents::SubnetView view_scratch;
  // accrue_through's per-subnet scratch, kept between visits.
  std::vector<std::uint16_t> accrue_netuids_;
  std::vector<Rao> accrue_stake_;
  std::vector<const economics::WithinSubnetSplit*> accrue_splits_;
  std::vector<SubnetRuntime*> accrue_runtimes_;
  economics::SubnetShares accrue_shares_;
  std::vector<Rao> accrue_per_subnet_;
  std::uint64_t epochs_block_ = 0, epochs_run_in_block_ = 0;
  // Overlapping epochs: threads for it (--threads >= 2), whether any agent is a staker now
  // (the script may switch one), and the epochs launched and not yet completed, oldest first.
  bool epoch_thread_ = false;
  bool any_staker_ = false;
  std::deque<InflightEpoch> inflight_;
};

}  // namespace subnetsim::sim
