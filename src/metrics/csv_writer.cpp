#include "subnetsim/metrics/csv_writer.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace subnetsim::metrics {

namespace fs = std::filesystem;

namespace {
constexpr auto kFlushEvery = std::chrono::seconds(2);

// The agent group of "group/index"; "" for a uid no agent holds.
std::string_view group_of(const std::string& agent) {
  const auto slash = agent.rfind('/');
  return slash == std::string::npos ? std::string_view(agent) : std::string_view(agent).substr(0, slash);
}
}  // namespace

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string csv_number(double x) {
  if (std::isnan(x)) return "";
  char buf[40];
  const int n = std::snprintf(buf, sizeof buf, "%.9g", x);
  std::string text(buf, static_cast<std::size_t>(n));
  // A whole number keeps a decimal point ("0.0", "300.0"): a real column that happened to
  // hold only whole numbers was read by pandas as int64 in one run and float64 in the next.
  if (text.find_first_of(".ein") == std::string::npos) text += ".0";
  return text;
}

std::string csv_tao(std::uint64_t rao) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%llu.%09llu", static_cast<unsigned long long>(rao / 1'000'000'000ULL),
                static_cast<unsigned long long>(rao % 1'000'000'000ULL));
  return buf;
}

CsvRunWriter::CsvRunWriter(std::string directory, std::uint32_t every_epochs, bool per_uid)
    : dir_(std::move(directory)), every_epochs_(every_epochs == 0 ? 1 : every_epochs), per_uid_(per_uid),
      last_flush_(std::chrono::steady_clock::now()) {
  events_csv_.open(dir_, "events.csv",
                   "block,netuid,kind,agent,uid,rule,measured,threshold,amount_tao,destination,detail");
  if (per_uid_)
    epochs_csv_.open(dir_, "epochs.csv",
                     "block,netuid,epoch,uid,agent,stake_tao,consensus,incentive,dividends,"
                     "validator_trust,emission_tao,permit,bond_total");
  classes_csv_.open(dir_, "classes.csv",
                    "block,netuid,epoch,group,uids,stake_tao,incentive,dividends,consensus_mean,"
                    "validator_trust_mean,emission_tao,permits");
  globals_csv_.open(dir_, "globals.csv",
                    "block,issuance_tao,total_stake_tao,total_balances_tao,burned_tao,slashed_tao,"
                    "price_usd,emitted_owner_tao,emitted_miners_tao,emitted_validators_tao,"
                    "emitted_treasury_tao,emitted_community_tao");
}

void CsvRunWriter::on_event(const EventRecord& r) {
  ++events_;
  std::string& row = events_csv_.row();
  row += std::to_string(r.block) + ',' + std::to_string(r.netuid) + ',' + r.kind + ',' + csv_field(r.agent) +
         ',' + (r.uid >= 0 ? std::to_string(r.uid) : "") + ',' + csv_field(r.rule) + ',' + csv_number(r.measured) +
         ',' + csv_number(r.threshold) + ',' + csv_tao(r.amount_rao) + ',' + r.destination + ',' +
         csv_field(r.detail);
  events_csv_.end_row();
}

void CsvRunWriter::on_epoch(const EpochRecord& r) {
  if (r.epoch % every_epochs_ != 0) return;
  write_classes(r);
  if (!per_uid_) return;
  const std::string prefix = std::to_string(r.block) + ',' + std::to_string(r.netuid) + ',' + std::to_string(r.epoch) + ',';
  for (std::size_t u = 0; u < r.n; ++u) {
    std::string& row = epochs_csv_.row();
    row += prefix;
    row += std::to_string(u) + ',' + csv_field(r.agent[u]) + ',' + csv_tao(r.stake_rao[u]) + ',' +
           csv_number(r.consensus[u]) + ',' + csv_number(r.incentive[u]) + ',' + csv_number(r.dividends[u]) +
           ',' + csv_number(r.validator_trust[u]) + ',' + csv_tao(r.paid_rao[u]) + ',' +
           (r.permit[u] ? '1' : '0') + ',' + csv_number(r.bond_total[u]);
    epochs_csv_.end_row();
  }
}

void CsvRunWriter::write_classes(const EpochRecord& r) {
  struct Sum {
    std::size_t uids = 0, permits = 0;
    std::uint64_t stake = 0, paid = 0;
    double incentive = 0, dividends = 0, consensus = 0, trust = 0;
  };
  // Groups in name order: the output does not depend on uid order.
  std::map<std::string_view, Sum> sums;
  for (std::size_t u = 0; u < r.n; ++u) {
    if (r.agent[u].empty()) continue;
    Sum& s = sums[group_of(r.agent[u])];
    ++s.uids;
    s.permits += r.permit[u] ? 1 : 0;
    s.stake += r.stake_rao[u];
    s.paid += r.paid_rao[u];
    s.incentive += r.incentive[u];
    s.dividends += r.dividends[u];
    s.consensus += r.consensus[u];
    s.trust += r.validator_trust[u];
  }
  for (const auto& [group, s] : sums) {
    const double n = static_cast<double>(s.uids);
    std::string& row = classes_csv_.row();
    row += std::to_string(r.block) + ',' + std::to_string(r.netuid) + ',' + std::to_string(r.epoch) + ',' +
           csv_field(std::string(group)) + ',' + std::to_string(s.uids) + ',' + csv_tao(s.stake) + ',' +
           csv_number(s.incentive) + ',' + csv_number(s.dividends) + ',' + csv_number(s.consensus / n) + ',' +
           csv_number(s.trust / n) + ',' + csv_tao(s.paid) + ',' + std::to_string(s.permits);
    classes_csv_.end_row();
  }
}

void CsvRunWriter::on_sample(const GlobalSample& s) {
  std::string& row = globals_csv_.row();
  row += std::to_string(s.block) + ',' + csv_tao(s.issuance_rao) + ',' + csv_tao(s.total_stake_rao) + ',' +
         csv_tao(s.total_balances_rao) + ',' + csv_tao(s.burned_rao) + ',' + csv_tao(s.slashed_rao) + ',' +
         csv_number(s.price_usd) + ',' + csv_tao(s.emitted_owner_rao) + ',' + csv_tao(s.emitted_miners_rao) +
         ',' + csv_tao(s.emitted_validators_rao) + ',' + csv_tao(s.emitted_treasury_rao) + ',' +
         csv_tao(s.emitted_community_rao);
  globals_csv_.end_row();
  flush_if_due();
}

void CsvRunWriter::flush_if_due() {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_flush_ < kFlushEvery) return;
  last_flush_ = now;
  for (CsvFile* f : {&events_csv_, &epochs_csv_, &classes_csv_, &globals_csv_}) f->flush();
}

std::vector<std::string> CsvRunWriter::finish() {
  std::vector<std::string> names;
  for (CsvFile* f : {&events_csv_, &epochs_csv_, &classes_csv_, &globals_csv_})
    if (auto name = f->finish(); !name.empty()) names.push_back(name);
  return names;
}

void write_file_atomically(const std::string& directory, const std::string& name,
                           const std::string& content) {
  const fs::path tmp = fs::path(directory) / (name + ".partial");
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw std::runtime_error("cannot write " + tmp.string() + ": " + std::strerror(errno));
    f << content;
    if (!f.flush()) throw std::runtime_error("cannot write " + tmp.string() + " (disk full?)");
  }
  fs::rename(tmp, fs::path(directory) / name);
}

}  // namespace subnetsim::metrics
