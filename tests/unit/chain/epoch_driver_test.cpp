// The chain-side driver's rules: activity cutoff, stake threshold, masks, bond mask, set_weights
// upscaling, replacement, bonds reset, persistence of permits and bonds, pruning choice.
#include "subnetsim/chain/epoch_driver.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <stdexcept>
#include <vector>

using subnetsim::chain::ChainEpochParams;
using subnetsim::chain::EpochDriver;
using subnetsim::chain::SubnetState;
using Row = subnetsim::consensus::SparseRowU16;

namespace {
SubnetState make_state(std::size_t n, std::uint64_t block) {
  SubnetState s;
  s.resize(n, block);
  for (std::size_t i = 0; i < n; ++i) s.stake_rao[i] = 1000;
  s.validator_permit.assign(n, true);
  return s;
}
}  // namespace

TEST_CASE("activity cutoff is max(1, factor * tempo / 1000)", "[chain]") {
  ChainEpochParams p;
  p.tempo = 360;
  CHECK(subnetsim::chain::activity_cutoff_blocks(p) == 5000);
  p.tempo = 1;
  CHECK(subnetsim::chain::activity_cutoff_blocks(p) == 13);
  p.tempo = 0;
  CHECK(subnetsim::chain::activity_cutoff_blocks(p) == 1);
}

TEST_CASE("bond mask block uses tempo until a mechanism step is recorded", "[chain]") {
  ChainEpochParams p;
  p.tempo = 10;
  SubnetState s = make_state(2, 0);
  CHECK(subnetsim::chain::bond_mask_last_tempo(s, p, 25) == 15);
  CHECK(subnetsim::chain::bond_mask_last_tempo(s, p, 5) == 0);  // saturates
  s.last_mechanism_step_block = 20;
  CHECK(subnetsim::chain::bond_mask_last_tempo(s, p, 25) == 21);
}

TEST_CASE("set_weights stores the max-upscaled row in submission order, zeros kept", "[chain]") {
  SubnetState s = make_state(4, 1);
  const std::vector<std::uint16_t> uids{3, 2, 1}, values{21845, 0, 43690};
  subnetsim::chain::set_weights(s, 0, uids, values, 7);
  CHECK(s.weights[0] == Row{{3, 32768}, {2, 0}, {1, 65535}});
  CHECK(s.last_update[0] == 7);
  // Already scaled (max 65535): stored as submitted, over a longer previous row.
  const std::vector<std::uint16_t> uids2{1, 2}, values2{65535, 7};
  subnetsim::chain::set_weights(s, 0, uids2, values2, 8);
  CHECK(s.weights[0] == Row{{1, 65535}, {2, 7}});
  CHECK(s.last_update[0] == 8);
}

TEST_CASE("masks: inactive, threshold with owner exemption, permits, diagonal, outdated, CR",
          "[chain]") {
  ChainEpochParams p;
  p.tempo = 1;  // cutoff 13 blocks
  p.stake_threshold = 500;
  p.subnet_owner_uid = 3;
  p.commit_reveal_enabled = true;
  SubnetState s = make_state(5, 1);
  s.stake_rao = {1000, 400, 1000, 100, 1000};
  s.validator_permit = {true, true, false, false, true};
  s.last_update = {20, 20, 20, 20, 2};
  s.block_at_registration = {1, 1, 1, 1, 15};
  s.earliest_commit_block[1] = 10;  // committed before uid 4 re-registered at 15
  for (std::uint16_t i = 0; i < 5; ++i) s.weights[i] = Row{{0, 1}, {1, 1}, {2, 1}, {3, 1}, {4, 1}};
  EpochDriver d;
  d.build_input(s, p, 20, 0);
  const auto& in = d.last_input();
  CHECK(in.inactive == std::vector<bool>{false, false, false, false, true});    // 2 + 13 < 20
  CHECK(in.stake_rao == std::vector<std::uint64_t>{1000, 0, 1000, 100, 1000});  // owner exempt
  CHECK(in.permit == std::vector<bool>{true, true, false, true, true});         // owner forced
  CHECK(in.weights[0] == Row{{1, 1}, {2, 1}, {3, 1}, {4, 1}});                  // diagonal dropped
  CHECK(in.weights[1] == Row{{0, 1}, {2, 1}, {3, 1}});                  // CR: commit 10 < reg 15
  CHECK(in.weights[2].empty());                                         // no permit
  CHECK(in.weights[3] == Row{{0, 1}, {1, 1}, {2, 1}, {3, 1}, {4, 1}});  // owner keeps self
  CHECK(in.weights[4] == Row{{0, 1}, {1, 1}, {2, 1}, {3, 1}});          // lu 2 <= reg 15 of uid 4
}

TEST_CASE("bond mask drops columns registered at or after last_tempo", "[chain]") {
  ChainEpochParams p;
  p.tempo = 10;
  SubnetState s = make_state(3, 1);
  s.block_at_registration = {1, 1, 15};
  s.bonds[0] = Row{{1, 100}, {2, 200}};
  EpochDriver d;
  d.build_input(s, p, 25, 0);  // last_tempo = 15: uid 2 (reg 15) is masked
  CHECK(d.last_input().bonds[0] == Row{{1, 100}});
  d.build_input(s, p, 26, 0);  // last_tempo = 16
  CHECK(d.last_input().bonds[0] == Row{{1, 100}, {2, 200}});
}

TEST_CASE("replace_neuron resets the uid and zeroes (but keeps) others' weights on it", "[chain]") {
  SubnetState s = make_state(3, 1);
  s.weights[0] = Row{{1, 10}, {2, 20}};
  s.weights[2] = Row{{2, 5}};
  s.bonds[2] = Row{{1, 7}};
  s.emission_rao[2] = 99;
  subnetsim::chain::replace_neuron(s, 2, 9, 42);
  CHECK(s.weights[0] == Row{{1, 10}, {2, 0}});
  CHECK(s.weights[2].empty());
  CHECK(s.bonds[2].empty());
  CHECK(s.block_at_registration[2] == 9);
  CHECK(s.last_update[2] == 9);
  CHECK_FALSE(s.validator_permit[2]);
  CHECK(s.stake_rao[2] == 42);
  CHECK(s.emission_rao[2] == 0);
  CHECK(s.valid());
}

TEST_CASE("reset_bonds_column acts only when bonds reset is enabled", "[chain]") {
  ChainEpochParams p;
  SubnetState s = make_state(3, 1);
  s.bonds[0] = Row{{1, 10}, {2, 20}};
  CHECK_FALSE(subnetsim::chain::reset_bonds_column(s, p, 1));
  CHECK(s.bonds[0].size() == 2);
  p.bonds_reset_enabled = true;
  CHECK(subnetsim::chain::reset_bonds_column(s, p, 1));
  CHECK(s.bonds[0] == Row{{2, 20}});
}

TEST_CASE("epoch persists new top-k permits (stable ties) and bonds of permit holders only",
          "[chain]") {
  auto backend = subnetsim::consensus::make_backend(subnetsim::consensus::BackendKind::kExact);
  ChainEpochParams p;
  p.tempo = 1;
  p.epoch.max_allowed_validators = 2;
  SubnetState s = make_state(4, 1);
  s.stake_rao = {5, 5, 5, 0};  // ties: the lowest uids sort first, so the higher uids win
  s.validator_permit = {true, true, true, false};
  s.bonds[0] = Row{{3, 1}};  // uid 0 held a permit and loses it: its row is cleared
  s.bonds[3] = Row{{0, 9}};  // uid 3 never held one: cleared too (persist writes every uid)
  for (std::uint16_t i = 0; i < 3; ++i)
    subnetsim::chain::set_weights(s, i, std::vector<std::uint16_t>{3},
                                  std::vector<std::uint16_t>{1}, 2);
  EpochDriver d;
  const auto& out = d.run(s, p, 3, 1000000000, *backend);
  CHECK(out.new_permit == std::vector<bool>{false, true, true, false});
  CHECK(s.validator_permit == out.new_permit);
  CHECK(s.bonds[0].empty());
  CHECK_FALSE(s.bonds[1].empty());
  CHECK(s.bonds[3].empty());
  CHECK(s.last_mechanism_step_block == 0);
  d.run(s, p, 4, 0, *backend, /*mark_mechanism_step=*/true);
  CHECK(s.last_mechanism_step_block == 4);
}

TEST_CASE("pruning picks the lowest (emission, registration, uid) outside the immortal set",
          "[chain]") {
  SubnetState s = make_state(4, 0);
  s.emission_rao = {0, 5, 5, 9};
  s.block_at_registration = {0, 100, 50, 0};
  const std::vector<std::uint16_t> immortal{0};
  using subnetsim::chain::choose_uid_to_replace;
  // At block 200 with immunity 1000 every uid is immune: the immune minimum is uid 2.
  auto r = choose_uid_to_replace(s, 200, 1000, 10, immortal);
  REQUIRE(r);
  CHECK(r->uid == 2);
  CHECK_FALSE(r->outside_immunity);
  CHECK(r->non_immune_count == 0);
  // With more non-immune uids than the minimum, the non-immune minimum wins.
  r = choose_uid_to_replace(s, 5000, 1000, 1, immortal);
  REQUIRE(r);
  CHECK(r->uid == 2);
  CHECK(r->outside_immunity);
  CHECK(r->non_immune_count == 3);
  s.emission_rao[3] = 1;
  CHECK(choose_uid_to_replace(s, 5000, 1000, 1, immortal)->uid == 3);
  // Three uids outside immunity, none inside, and a minimum of 3: only an immune uid may go, and
  // there is none, so the registration fails (spec §6.2, the chain's best_immune.map).
  CHECK_FALSE(choose_uid_to_replace(s, 5000, 1000, 3, immortal));
  // One immune uid (registered at 4500) and two outside: with a minimum of 2 it is the one.
  s.block_at_registration[1] = 4500;
  r = choose_uid_to_replace(s, 5000, 1000, 2, immortal);
  REQUIRE(r);
  CHECK(r->uid == 1);
  CHECK_FALSE(r->outside_immunity);
  CHECK(r->non_immune_count == 2);
}

TEST_CASE("a legacy absolute activity cutoff replaces the factor of tempo", "[chain]") {
  ChainEpochParams p;
  p.tempo = 360;
  p.legacy_activity_cutoff_blocks = 100;
  CHECK(subnetsim::chain::activity_cutoff_blocks(p) == 100);
}

namespace {
// Records what the backend was given, then either throws or runs the float backend.
class RecordingBackend final : public subnetsim::consensus::EpochBackend {
 public:
  explicit RecordingBackend(bool fail) : fail_(fail) {}
  const char* name() const override { return "recording"; }
  void run(const subnetsim::consensus::EpochParams& params,
           const subnetsim::consensus::EpochInput& in,
           subnetsim::consensus::EpochOutput& out) override {
    weights = in.weights;
    bonds = in.bonds;
    if (fail_) throw std::runtime_error("backend failed");
    inner_->run(params, in, out);
  }
  subnetsim::consensus::SparseRowsU16 weights, bonds;

 private:
  bool fail_;
  std::unique_ptr<subnetsim::consensus::EpochBackend> inner_ =
      subnetsim::consensus::make_backend(subnetsim::consensus::BackendKind::kFloat);
};
}  // namespace

TEST_CASE("run lends unmasked rows to the backend and gives them back even if it throws",
          "[chain]") {
  // Rows 0 and 1 need no mask (run lends them); row 2 holds its own diagonal (copied, masked).
  ChainEpochParams p;
  p.tempo = 10;
  SubnetState s = make_state(4, 1);
  s.last_update = {20, 20, 20, 20};
  s.weights[0] = Row{{1, 100}, {3, 200}};
  s.weights[1] = Row{{0, 7}};
  s.weights[2] = Row{{2, 5}, {3, 9}};
  s.bonds[0] = Row{{3, 400}};
  const SubnetState before = s;

  RecordingBackend failing(true);
  EpochDriver d;
  CHECK_THROWS_AS(d.run(s, p, 25, 1000, failing), std::runtime_error);
  CHECK(failing.weights[0] == before.weights[0]);
  CHECK(failing.weights[2] == Row{{3, 9}});  // the diagonal masked
  CHECK(failing.bonds[0] == before.bonds[0]);
  CHECK(s.weights == before.weights);  // nothing lost
  CHECK(s.bonds == before.bonds);

  RecordingBackend working(false);
  d.run(s, p, 25, 1000, working);
  CHECK(working.weights[0] == before.weights[0]);
  CHECK(working.weights[1] == before.weights[1]);
  CHECK(working.bonds[0] == before.bonds[0]);
  CHECK(s.weights == before.weights);  // weights are the submitted ones still
  CHECK(d.last_input().weights[0].empty());  // lent, and given back
  CHECK(d.last_input().weights[2] == Row{{3, 9}});
}

TEST_CASE("a long row is lent only when no entry is masked: the diagonal or a uid >= n anywhere",
          "[chain]") {
  // Rows of 20 entries: the check that decides whether a row can be lent unmasked runs eight
  // entries at a time where the CPU has AVX2. A diagonal or an out-of-range uid at any position
  // (in a block of eight or in the tail) must keep the row from being lent, and be masked.
  ChainEpochParams p;
  p.tempo = 10;
  const std::size_t n = 24;
  for (std::size_t pos = 0; pos < 20; ++pos) {
    for (const bool diagonal : {true, false}) {
      SubnetState s = make_state(n, 1);
      s.last_update.assign(n, 20);
      Row row;
      for (std::uint16_t k = 0; k < 20; ++k)
        row.push_back({static_cast<std::uint16_t>(k + 2), 100});
      // Row of uid 1: its own uid, or uid 30 (>= n), in place of the entry at `pos`.
      row[pos].first = diagonal ? 1 : 30;
      s.weights[1] = row;
      RecordingBackend backend(false);
      EpochDriver d;
      d.run(s, p, 25, 1000, backend);
      INFO("pos " << pos << (diagonal ? " diagonal" : " out of range"));
      Row want = row;
      want.erase(want.begin() + static_cast<std::ptrdiff_t>(pos));
      CHECK(backend.weights[1] == want);
      CHECK(d.last_input().weights[1] == want);  // copied and masked, not lent
    }
  }
}
