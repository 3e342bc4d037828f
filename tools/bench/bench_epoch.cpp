// Epoch benchmark: median microseconds per epoch, one thread, for a grid of validators x miners,
// variants (classic, yuma3, yuma3_liquid) and backends:
//   kernel  the pure float kernel (run_epoch_kernel) on the dense V x M problem;
//   float   the float backend through EpochBackend::run (sparse input -> dense -> sparse output);
//   exact   the fixed-point backend through make_backend(BackendKind::kExact), if available.
// Both backends get the same random problem as a sparse EpochInput: uids 0..V-1 are permitted,
// active validators with stake and full weight/bond rows over the miners V..V+M-1.
//
// Usage: bench_epoch [--json] [google-benchmark flags]. --json prints one JSON array of
// {variant, backend, validators, miners, us_per_epoch}; otherwise a table.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "subnetsim/consensus/epoch.hpp"
#include "subnetsim/consensus/kernel.hpp"

namespace {

namespace sc = subnetsim::consensus;

struct Shape {
  int validators, miners;
};
constexpr Shape kShapes[] = {{4, 8}, {16, 64}, {64, 256}, {256, 256}, {64, 1024}};
constexpr sc::Variant kVariants[] = {sc::Variant::kClassic, sc::Variant::kYuma3,
                                     sc::Variant::kYuma3Liquid};

// One random problem, as the dense kernel inputs and as the sparse backend input.
struct Problem {
  sc::EpochParams params;
  sc::EpochInput input;
  Eigen::ArrayXd a;
  sc::ColMajorArrayXXd w, b;
  sc::ColMajorMaskXX present;
};

Problem make_problem(Shape s, sc::Variant variant) {
  std::mt19937_64 rng(0xbe7c4 + static_cast<std::uint64_t>(s.validators * 100003 + s.miners));
  auto u16 = [&rng] { return static_cast<std::uint16_t>(rng() % 65536); };
  const auto v = static_cast<std::size_t>(s.validators), m = static_cast<std::size_t>(s.miners);
  const bool yuma3 = variant == sc::Variant::kYuma3 || variant == sc::Variant::kYuma3Liquid;
  Problem p;
  p.params.variant = variant;
  p.params.max_allowed_validators = static_cast<std::uint16_t>(v);
  auto& in = p.input;
  in.n = v + m;
  in.stake_rao.assign(in.n, 0);
  in.permit.assign(in.n, false);
  in.inactive.assign(in.n, false);
  in.weights.assign(in.n, {});
  in.bonds.assign(in.n, {});
  in.rao_emission = 1'000'000'000;
  p.a.resize(static_cast<Eigen::Index>(v));
  p.w.resize(static_cast<Eigen::Index>(v), static_cast<Eigen::Index>(m));
  p.b.resize(static_cast<Eigen::Index>(v), static_cast<Eigen::Index>(m));
  p.present.setOnes(static_cast<Eigen::Index>(v), static_cast<Eigen::Index>(m));
  double total = 0.0;
  for (std::size_t i = 0; i < v; ++i) {
    in.stake_rao[i] = 1'000'000'000ULL + rng() % 1'000'000'000'000ULL;
    in.permit[i] = true;
    total += static_cast<double>(in.stake_rao[i]);
    for (std::size_t j = 0; j < m; ++j) {
      const std::uint16_t w = u16(), b = u16();
      in.weights[i].emplace_back(static_cast<std::uint16_t>(v + j), w);
      in.bonds[i].emplace_back(static_cast<std::uint16_t>(v + j), b);
      p.w(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = w;
      p.b(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = yuma3 ? b / 65535.0 : b;
    }
  }
  for (std::size_t i = 0; i < v; ++i)
    p.a(static_cast<Eigen::Index>(i)) = static_cast<double>(in.stake_rao[i]) / total;
  return p;
}

struct Meta {
  std::string variant, backend;
  int validators, miners;
};
std::map<std::string, Meta> g_meta;  // benchmark name -> what it measures

// Collects the median of every benchmark's repetitions; prints JSON or a table at the end.
class MedianReporter : public benchmark::BenchmarkReporter {
 public:
  explicit MedianReporter(bool json) : json_(json) {}
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& r : runs) {
      if (r.error_occurred || r.run_type != Run::RT_Aggregate || r.aggregate_name != "median")
        continue;
      const auto it = g_meta.find(r.run_name.function_name);
      if (it != g_meta.end()) rows_.emplace_back(it->second, r.GetAdjustedRealTime());
      if (!json_) {
        std::fprintf(stderr, "  %-40s %10.2f us\n", r.run_name.function_name.c_str(),
                     r.GetAdjustedRealTime());
      }
    }
  }
  void Finalize() override {
    if (json_) {
      std::printf("[\n");
      for (std::size_t k = 0; k < rows_.size(); ++k) {
        const auto& [m, us] = rows_[k];
        std::printf(
            "  {\"variant\": \"%s\", \"backend\": \"%s\", \"validators\": %d, \"miners\": %d, "
            "\"us_per_epoch\": %.3f}%s\n",
            m.variant.c_str(), m.backend.c_str(), m.validators, m.miners, us,
            k + 1 < rows_.size() ? "," : "");
      }
      std::printf("]\n");
      return;
    }
    std::printf("%-14s %-7s %10s %7s %14s\n", "variant", "backend", "validators", "miners",
                "us_per_epoch");
    for (const auto& [m, us] : rows_)
      std::printf("%-14s %-7s %10d %7d %14.2f\n", m.variant.c_str(), m.backend.c_str(),
                  m.validators, m.miners, us);
  }

 private:
  bool json_;
  std::vector<std::pair<Meta, double>> rows_;
};

void register_all(bool have_exact) {
  for (sc::Variant variant : kVariants) {
    for (Shape s : kShapes) {
      for (const char* backend : {"kernel", "float", "exact"}) {
        const bool exact = std::strcmp(backend, "exact") == 0;
        if (exact && !have_exact) continue;
        const std::string name = std::string(sc::variant_name(variant)) + "/" + backend + "/" +
                                 std::to_string(s.validators) + "x" + std::to_string(s.miners);
        g_meta[name] = Meta{sc::variant_name(variant), backend, s.validators, s.miners};
        const bool kernel = std::strcmp(backend, "kernel") == 0;
        auto* b = benchmark::RegisterBenchmark(
            name.c_str(), [variant, s, kernel, exact](benchmark::State& state) {
              const Problem p = make_problem(s, variant);
              if (kernel) {
                // As the float backend runs it: W and ΔB are not stored (see KernelParams).
                auto kp = sc::KernelParams::from_epoch_params(p.params);
                kp.record_weights = false;
                kp.record_delta = false;
                sc::KernelWorkspace ws;
                sc::run_epoch_kernel(kp, p.a, p.w, p.present, p.b, ws);  // warm-up, untimed
                for (auto _ : state) {
                  sc::run_epoch_kernel(kp, p.a, p.w, p.present, p.b, ws);
                  benchmark::DoNotOptimize(ws.dividends.data());
                  benchmark::ClobberMemory();
                }
                return;
              }
              auto backend_ptr =
                  sc::make_backend(exact ? sc::BackendKind::kExact : sc::BackendKind::kFloat);
              sc::EpochOutput out;
              // One untimed epoch first: the figures are of the steady state, in which the
              // backend's workspace and the output have their sizes (no allocation, no first
              // touch of fresh pages), as in a simulation's epochs after its first.
              backend_ptr->run(p.params, p.input, out);
              for (auto _ : state) {
                backend_ptr->run(p.params, p.input, out);
                benchmark::DoNotOptimize(out.dividends.data());
                benchmark::ClobberMemory();
              }
            });
        b->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly(true)->MinTime(0.05);
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  bool json = false;
  std::vector<char*> args;
  for (int k = 0; k < argc; ++k) {
    if (std::strcmp(argv[k], "--json") == 0) {
      json = true;
    } else {
      args.push_back(argv[k]);
    }
  }
  bool have_exact = true;
  try {
    (void)sc::make_backend(sc::BackendKind::kExact);
  } catch (const std::exception& e) {
    have_exact = false;
    std::fprintf(stderr, "exact backend unavailable, skipped: %s\n", e.what());
  }
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  register_all(have_exact);
  MedianReporter reporter(json);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
