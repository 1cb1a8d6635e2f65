// The ensemble driver's overheads and its parallel efficiency.
//
//   bench_farm                       Google Benchmark micro-benchmarks: per-task overhead
//                                    of the sweep machinery (no-op tasks, serial), and
//                                    the HDF5 write of a results file.
//   mpirun -np R bench_farm --farm [--tasks 256] [--task-ms 50] [--threads 1]
//                                    farm efficiency: `tasks` tasks of a sleep-free busy
//                                    model calibrated to `task-ms` each, run by the real
//                                    task farm on R ranks; prints one line of figures.
// scripts/scaling.sh runs the farm at 1 and 2 ranks; docs/performance.md has the method
// and the figures.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "icn/core/params.h"
#include "icn/design/design.h"
#include "icn/exec/comm.h"
#include "icn/exec/detail/wire.h"
#include "icn/exec/sweep.h"
#include "icn/io/results_file.h"
#include "icn/model/analytic.h"

namespace {

using Clock = std::chrono::steady_clock;

// A model whose one tick is `iters` rounds of a floating-point recurrence: pure CPU work,
// no sleep, no memory traffic, the same on every rank.
struct BusyParams {
  std::int64_t iters = 1000;
};

const icn::ParamTable<BusyParams>& busy_table() {
  static const icn::ParamTable<BusyParams> t(
      "model", {{"iters", &BusyParams::iters, 0, 1e12, "", "work per tick"}});
  return t;
}

double spin(std::int64_t iters, double seed) {
  double x = seed;
  for (std::int64_t i = 0; i < iters; ++i) x = x * 1.0000001 + 1e-9 * std::sqrt(x + 1.0);
  return x;
}

class BusyModel final : public icn::model::Model {
 public:
  explicit BusyModel(std::int64_t iters) : iters_(iters) {}
  void step() override { x_ = spin(iters_, x_); }
  void observe(std::span<double> out) const override { out[0] = x_; }
  void summarize(std::span<double> out) const override { out[0] = x_; }

 private:
  std::int64_t iters_;
  double x_ = 1.0;
};

icn::model::ModelInfo busy_info() {
  icn::model::ModelInfo info;
  info.name = "busy";
  info.schema = &busy_table().schema();
  info.observables = {"x"};
  info.finals = {"x"};
  info.make = [](const icn::ParamValues& v, const icn::rng::Key&, const icn::model::ExecOptions&) {
    return std::make_unique<BusyModel>(busy_table().from_values(v).iters);
  };
  return info;
}

// Iterations of spin() that take `ms` milliseconds on this core (median of 5).
std::int64_t calibrate(double ms) {
  const std::int64_t probe = 2'000'000;
  std::vector<double> per_iter;
  for (int i = 0; i < 5; ++i) {
    const auto t0 = Clock::now();
    benchmark::DoNotOptimize(spin(probe, 1.0 + i));
    per_iter.push_back(std::chrono::duration<double>(Clock::now() - t0).count() / probe);
  }
  std::sort(per_iter.begin(), per_iter.end());
  return static_cast<std::int64_t>(ms * 1e-3 / per_iter[2]);
}

icn::exec::SweepSpec spec_of(const icn::model::ModelInfo& info, std::int64_t points,
                             std::int64_t iters, std::int64_t chunk) {
  icn::exec::SweepSpec s;
  s.model = &info;
  icn::ParamValues v(info.schema);
  v.set("iters", icn::Value(iters), "bench");
  s.points.assign(static_cast<std::size_t>(points), v);
  s.replicates = 1;
  s.chunk = chunk;
  s.ticks = 1;
  s.threads = 1;
  s.omp_mode = icn::exec::OmpMode::kReplicates;
  return s;
}

icn::design::Design list_design(std::int64_t points) {
  icn::design::Design d;
  d.kind = icn::design::DesignKind::kSingle;
  d.points.resize(points, 0);
  d.unit_points.resize(points, 0);
  d.base_n = points;
  return d;
}

// --farm: the real task farm on this job's ranks.
int farm_main(int argc, char** argv) {
  std::int64_t tasks = 256;
  double task_ms = 50;
  int threads = 1;
  for (int i = 1; i + 1 < argc; ++i) {
    if (!std::strcmp(argv[i], "--tasks")) tasks = std::stoll(argv[i + 1]);
    if (!std::strcmp(argv[i], "--task-ms")) task_ms = std::stod(argv[i + 1]);
    if (!std::strcmp(argv[i], "--threads")) threads = std::stoi(argv[i + 1]);
  }
  const auto comm = icn::exec::make_world_comm();
  // Rank 0 calibrates; everyone runs the same iteration count.
  icn::exec::Bytes buf;
  if (comm->rank() == 0) {
    icn::exec::detail::Writer w;
    w.put<std::int64_t>(calibrate(task_ms));
    buf = w.take();
  }
  comm->broadcast(buf, 0);
  const std::int64_t iters = icn::exec::detail::Reader(buf).get<std::int64_t>();

  const icn::model::ModelInfo info = busy_info();
  icn::exec::SweepSpec spec = spec_of(info, tasks, iters, 1);
  spec.threads = threads;
  comm->barrier();
  const icn::exec::SweepResults r =
      icn::exec::run_sweep(*comm, spec, icn::exec::ProgressOptions{0, "", true});
  if (comm->rank() != 0) return 0;

  double task_sum = 0;
  for (double w : r.runs.wall_seconds) task_sum += w;
  const std::string path = "bench_farm_results.h5";
  const auto t0 = Clock::now();
  icn::io::write_sweep_results(
      path, icn::io::Provenance{"sweep", "bench_farm", "", "busy", 0, comm->size(), threads},
      list_design(tasks), {}, r);
  const double write_s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::filesystem::remove(path);
  const double slots = static_cast<double>(comm->size()) * threads;
  std::printf(
      "farm ranks=%d threads=%d tasks=%lld task_ms=%.2f wall_s=%.4f task_sum_s=%.4f "
      "efficiency=%.4f "
      "dispatch_s=%.5f batches=%lld write_s=%.5f write_share=%.5f\n",
      comm->size(), threads, static_cast<long long>(tasks),
      1e3 * task_sum / static_cast<double>(tasks), r.timing.wall_seconds, task_sum,
      task_sum / (slots * r.timing.wall_seconds), r.timing.dispatch_seconds,
      static_cast<long long>(r.timing.batches), write_s,
      write_s / (r.timing.wall_seconds + write_s));
  return 0;
}

// Per-task cost of the sweep machinery: no-op tasks (0 ticks of ishigami), one rank.
void BM_SweepOverheadPerTask(benchmark::State& state) {
  static const icn::model::ModelInfo info = icn::model::ishigami_info();
  icn::exec::SweepSpec s;
  s.model = &info;
  s.points.assign(64, icn::ParamValues(info.schema));
  s.replicates = 64;
  s.chunk = state.range(0);
  s.ticks = 0;
  s.threads = 1;
  const auto comm = icn::exec::make_serial_comm();
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        icn::exec::run_sweep(*comm, s, icn::exec::ProgressOptions{0, "", true}));
  }
  state.counters["items"] = benchmark::Counter(static_cast<double>(state.iterations() * 64 * 64),
                                               benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SweepOverheadPerTask)->Arg(1)->Arg(16)->Arg(64)->Unit(benchmark::kMillisecond);

// Writing a results file: `range(0)` points x 301 ticks x 2 observables of noisy values
// (which compress little), 16 runs per point. `bytes` = the statistics' and run table's
// payload before compression, per second of wall time; file_MB = the file on disk.
std::int64_t payload_bytes(const icn::exec::SweepResults& r) {
  std::int64_t n = 0;
  const auto stats = [&](const icn::exec::OutputStats& o) {
    n += static_cast<std::int64_t>(8 * (o.count.size() + o.mean.size() + o.var.size() +
                                        o.min.size() + o.max.size() + o.quantiles.size()));
  };
  for (const auto& o : r.series) stats(o);
  for (const auto& o : r.final_stats) stats(o);
  const auto& t = r.runs;
  n += static_cast<std::int64_t>(8 * (t.point.size() * 6 + t.wall_seconds.size()));
  for (const auto& v : t.finals) n += static_cast<std::int64_t>(8 * v.size());
  for (const auto& v : t.last) n += static_cast<std::int64_t>(8 * v.size());
  return n;
}

void BM_WriteResults(benchmark::State& state) {
  static const icn::model::ModelInfo info = icn::model::ishigami_info();
  const std::int64_t points = state.range(0);
  icn::exec::SweepSpec s;
  s.model = &info;
  icn::ParamValues v(info.schema);
  v.set("noise_sd", icn::Value(1.0), "bench");
  s.points.assign(static_cast<std::size_t>(points), v);
  s.replicates = 16;
  s.chunk = 16;
  s.ticks = 300;
  s.threads = 1;
  const auto comm = icn::exec::make_serial_comm();
  const icn::exec::SweepResults r =
      icn::exec::run_sweep(*comm, s, icn::exec::ProgressOptions{0, "", true});
  const std::string path = "bench_farm_write.h5";
  for (auto _ : state) {
    std::filesystem::remove(path);
    icn::io::write_sweep_results(path, icn::io::Provenance{"sweep", "bench", "", "busy", 0, 1, 1},
                                 list_design(points), {}, r);
  }
  state.counters["bytes"] = benchmark::Counter(
      static_cast<double>(state.iterations() * payload_bytes(r)), benchmark::Counter::kIsRate);
  state.counters["payload_MB"] = static_cast<double>(payload_bytes(r)) / 1e6;
  state.counters["file_MB"] = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
  std::filesystem::remove(path);
}
BENCHMARK(BM_WriteResults)
    ->ArgName("points")
    ->Arg(16)
    ->Arg(256)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--farm")) return farm_main(argc, argv);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
