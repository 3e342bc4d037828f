#include "subnetsim/runner/summary.hpp"

#include <cmath>
#include <map>

#include "subnetsim/core/rao.hpp"
#include "subnetsim/metrics/concentration.hpp"
#include "subnetsim/metrics/csv_file.hpp"

namespace subnetsim::runner {

namespace {

constexpr auto tao = core::rao_to_tao;  // summary values are in TAO

// Net wealth of one agent or a sum of agents, in TAO and USD, at the start and the end.
struct Wealth {
  double start_tao = 0, end_tao = 0, start_usd = 0, end_usd = 0;

  void add(const sim::AgentOutcome& a, double p0, double p1) {
    start_tao += tao(a.initial_wealth_rao) - (p0 > 0 ? a.initial_debt_usd / p0 : 0.0);
    end_tao += tao(a.final_wealth_rao) - (p1 > 0 ? a.final_debt_usd / p1 : 0.0);
    start_usd += tao(a.initial_wealth_rao) * p0 - a.initial_debt_usd;
    end_usd += tao(a.final_wealth_rao) * p1 - a.final_debt_usd;
  }
};

// Simple annualised rate; NaN when there was nothing to begin with.
double annualised(double start, double end, double years) {
  if (!(start > 0) || !(years > 0)) return std::nan("");
  return (end - start) / start / years;
}

nlohmann::ordered_json number_or_null(double x) { return std::isfinite(x) ? nlohmann::ordered_json(x) : nlohmann::ordered_json(); }

// A yield in agents.csv: empty where summary.json has null (a start of nothing, or a value
// beyond a double: a run stopped on a price overflow left "inf" here against the summary's null).
std::string yield_cell(double x) {
  return std::isfinite(x) ? metrics::csv_number(x) : std::string();
}

nlohmann::ordered_json yields(const Wealth& w, double years) {
  return {{"initial_tao", w.start_tao},
          {"final_tao", w.end_tao},
          {"apy_tao", number_or_null(annualised(w.start_tao, w.end_tao, years))},
          {"apy_usd", number_or_null(annualised(w.start_usd, w.end_usd, years))}};
}

// One role's section: count, pay, concentration of pay, yields.
nlohmann::ordered_json role_section(const sim::RunResult& r, const std::string& role, double years) {
  std::vector<double> paid;
  Wealth w;
  std::size_t liquidated = 0;
  for (const auto& a : r.agents) {
    if (a.role != role) continue;
    paid.push_back(tao(a.paid_rao));
    w.add(a, r.initial_price_usd, r.final_price_usd);
    liquidated += a.liquidated ? 1 : 0;
  }
  nlohmann::ordered_json j = yields(w, years);
  j["count"] = paid.size();
  double total = 0;
  for (double p : paid) total += p;
  j["paid_tao"] = total;
  if (role == "staker") {
    j["liquidated"] = liquidated;
  } else {
    j["gini"] = metrics::gini(paid);
    j["top_1pct_share"] = metrics::top_share(paid, 0.01);
    j["top_5pct_share"] = metrics::top_share(paid, 0.05);
    j["top_10pct_share"] = metrics::top_share(paid, 0.10);
    j["top_20pct_share"] = metrics::top_share(paid, 0.20);
  }
  return j;
}

nlohmann::ordered_json emission_section(const sim::EmissionTotals& e) {
  const double total = tao(e.total());
  auto share = [total](std::uint64_t rao) { return total > 0 ? tao(rao) / total : 0.0; };
  nlohmann::ordered_json j;
  j["total_tao"] = total;
  const std::pair<const char*, std::uint64_t> parts[] = {{"owner", e.owner_rao},
                                                         {"miners", e.miners_rao},
                                                         {"validators", e.validators_rao},
                                                         {"treasury", e.treasury_rao},
                                                         {"community", e.community_rao}};
  for (const auto& [name, rao] : parts) {
    j[std::string(name) + "_tao"] = tao(rao);
    j["shares"][name] = share(rao);
  }
  return j;
}

}  // namespace

double blocks_per_year(const config::Scenario& s) { return 365.25 * 86400.0 / s.chain.block_time_s; }

nlohmann::ordered_json summary_metrics(const sim::RunResult& r, const config::Scenario& s) {
  const double years = static_cast<double>(r.blocks) / blocks_per_year(s);
  nlohmann::ordered_json j;
  j["years"] = years;
  j["emission"] = emission_section(r.emitted);
  j["miners"] = role_section(r, "miner", years);
  j["validators"] = role_section(r, "validator", years);
  j["stakers"] = role_section(r, "staker", years);

  std::vector<double> validator_stake;
  for (const auto& a : r.agents)
    if (a.role == "validator") validator_stake.push_back(tao(a.hotkey_stake_rao));
  j["stake"] = {{"total_tao", tao(r.total_stake_rao)},
                {"validators_tao", [&] { double t = 0; for (double x : validator_stake) t += x; return t; }()},
                {"nakamoto_coefficient", metrics::nakamoto(validator_stake)},
                {"validators_gini", metrics::gini(validator_stake)}};

  std::map<std::string, std::vector<const sim::AgentOutcome*>> by_group;
  for (const auto& a : r.agents) by_group[a.group].push_back(&a);
  nlohmann::ordered_json classes = nlohmann::ordered_json::object();
  for (const auto& [group, members] : by_group) {
    Wealth w;
    double paid = 0;
    std::size_t liquidated = 0;
    for (const auto* a : members) {
      w.add(*a, r.initial_price_usd, r.final_price_usd);
      paid += tao(a->paid_rao);
      liquidated += a->liquidated ? 1 : 0;
    }
    nlohmann::ordered_json c = yields(w, years);
    c["type"] = members.front()->type;
    c["role"] = members.front()->role;
    c["count"] = members.size();
    c["paid_tao"] = paid;
    c["liquidated"] = liquidated;
    classes[group] = std::move(c);
  }
  j["classes"] = std::move(classes);

  nlohmann::ordered_json governance = nlohmann::ordered_json::object();
  for (const auto& p : r.proposals)
    governance[p.id] = {{"path", p.path},       {"closed_block", p.closed_block},
                        {"passed", p.passed},   {"applied", p.applied},
                        {"yes_share", p.yes_share}, {"turnout", p.turnout}};
  j["governance"] = std::move(governance);
  return j;
}

std::string agents_csv(const sim::RunResult& r, const config::Scenario& s) {
  using metrics::csv_field;
  using metrics::csv_number;
  using metrics::csv_tao;
  const double years = static_cast<double>(r.blocks) / blocks_per_year(s);
  std::string out =
      "agent,group,type,role,netuid,uid,initial_tao,final_tao,paid_tao,hotkey_stake_tao,debt_usd,"
      "liquidated,apy_tao,apy_usd\n";
  for (const auto& a : r.agents) {
    Wealth w;
    w.add(a, r.initial_price_usd, r.final_price_usd);
    out += csv_field(a.name) + ',' + csv_field(a.group) + ',' + a.type + ',' + a.role + ',' +
           std::to_string(a.netuid) + ',' + (a.uid >= 0 ? std::to_string(a.uid) : "") + ',' +
           csv_tao(a.initial_wealth_rao) + ',' + csv_tao(a.final_wealth_rao) + ',' +
           csv_tao(a.paid_rao) + ',' + csv_tao(a.hotkey_stake_rao) + ',' +
           csv_number(a.final_debt_usd) + ',' + (a.liquidated ? "1" : "0") + ',' +
           yield_cell(annualised(w.start_tao, w.end_tao, years)) + ',' +
           yield_cell(annualised(w.start_usd, w.end_usd, years)) + '\n';
  }
  return out;
}

}  // namespace subnetsim::runner
