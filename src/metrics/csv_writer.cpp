#include "subnetsim/metrics/csv_writer.hpp"

#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace subnetsim::metrics {

namespace fs = std::filesystem;

namespace {

// RFC 4180 quoting, only when needed.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", x);
  return buf;
}

std::string tao(std::uint64_t rao) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%llu.%09llu", static_cast<unsigned long long>(rao / 1'000'000'000ULL),
                static_cast<unsigned long long>(rao % 1'000'000'000ULL));
  return buf;
}

std::ofstream open_partial(const std::string& dir, const std::string& name, const char* header) {
  std::ofstream f(fs::path(dir) / (name + ".partial"), std::ios::binary | std::ios::trunc);
  if (!f) throw std::runtime_error("cannot write " + (fs::path(dir) / name).string());
  f << header << '\n';
  return f;
}

}  // namespace

CsvRunWriter::CsvRunWriter(std::string directory, std::uint32_t every_epochs, bool per_uid)
    : dir_(std::move(directory)), every_epochs_(every_epochs == 0 ? 1 : every_epochs), per_uid_(per_uid) {
  events_csv_ = open_partial(dir_, "events.csv",
                             "block,netuid,kind,agent,uid,rule,measured,threshold,amount_tao,destination,detail");
  if (per_uid_)
    epochs_csv_ = open_partial(dir_, "epochs.csv",
                               "block,netuid,epoch,uid,agent,stake_tao,consensus,incentive,dividends,"
                               "validator_trust,emission_tao,permit");
  globals_csv_ = open_partial(dir_, "globals.csv",
                              "block,issuance_tao,total_stake_tao,total_balances_tao,burned_tao,"
                              "slashed_tao,price_usd");
}

void CsvRunWriter::on_event(const EventRecord& r) {
  ++events_;
  events_csv_ << r.block << ',' << r.netuid << ',' << r.kind << ',' << csv_field(r.agent) << ','
              << (r.uid >= 0 ? std::to_string(r.uid) : "") << ',' << csv_field(r.rule) << ','
              << num(r.measured) << ',' << num(r.threshold) << ',' << tao(r.amount_rao) << ','
              << r.destination << ',' << csv_field(r.detail) << '\n';
}

void CsvRunWriter::on_epoch(const EpochRecord& r) {
  if (!per_uid_ || r.epoch % every_epochs_ != 0) return;
  for (std::size_t u = 0; u < r.n; ++u)
    epochs_csv_ << r.block << ',' << r.netuid << ',' << r.epoch << ',' << u << ','
                << csv_field(r.agent[u]) << ',' << tao(r.stake_rao[u]) << ',' << num(r.consensus[u])
                << ',' << num(r.incentive[u]) << ',' << num(r.dividends[u]) << ','
                << num(r.validator_trust[u]) << ',' << tao(r.paid_rao[u]) << ','
                << static_cast<int>(r.permit[u]) << '\n';
}

void CsvRunWriter::on_sample(const GlobalSample& s) {
  globals_csv_ << s.block << ',' << tao(s.issuance_rao) << ',' << tao(s.total_stake_rao) << ','
               << tao(s.total_balances_rao) << ',' << tao(s.burned_rao) << ',' << tao(s.slashed_rao)
               << ',' << num(s.price_usd) << '\n';
}

std::vector<std::string> CsvRunWriter::finish() {
  std::vector<std::string> names;
  auto close = [&](std::ofstream& f, const char* name) {
    if (!f.is_open()) return;
    f.close();
    fs::rename(fs::path(dir_) / (std::string(name) + ".partial"), fs::path(dir_) / name);
    names.push_back(name);
  };
  close(events_csv_, "events.csv");
  close(epochs_csv_, "epochs.csv");
  close(globals_csv_, "globals.csv");
  return names;
}

void write_file_atomically(const std::string& directory, const std::string& name,
                           const std::string& content) {
  const fs::path tmp = fs::path(directory) / (name + ".partial");
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw std::runtime_error("cannot write " + tmp.string());
    f << content;
  }
  fs::rename(tmp, fs::path(directory) / name);
}

}  // namespace subnetsim::metrics
