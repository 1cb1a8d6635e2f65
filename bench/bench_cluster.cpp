// Throughput of the cluster model: full ticks (all five stages and the statistics) in
// actor-steps per second, at the default scenario and at 10^5 firms (the rates are per
// CPU second of the main thread, except BM_Cluster100kWall: per wall-clock second).
//
//   build/bench/bench_cluster --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "icn/model/cluster/cluster_model.h"

namespace {

using icn::model::cluster::ClusterModel;
using icn::model::cluster::ClusterParams;

// Runs ticks 1..horizon of fresh replicates over and over; construction is not timed.
void run_steps(benchmark::State& state, std::int64_t n_sme, std::uint32_t horizon, int threads) {
  ClusterParams p;
  p.n_sme = n_sme;
  p.n_leading = std::max<std::int64_t>(1, n_sme / 100);
  const auto key = icn::rng::Key::derive({1, 0, 0});
  std::unique_ptr<ClusterModel> m;
  double actor_steps = 0;
  std::uint32_t replicate = 0;
  for (auto _ : state) {
    if (!m || m->tick() >= horizon) {
      state.PauseTiming();
      m = std::make_unique<ClusterModel>(p, icn::rng::Key::derive({1, 0, replicate++}),
                                         icn::model::ExecOptions{threads});
      state.ResumeTiming();
    }
    actor_steps += m->state().live_count();
    m->step();
  }
  (void)key;
  state.counters["actor_steps"] = benchmark::Counter(actor_steps, benchmark::Counter::kIsRate);
  state.counters["actors"] = static_cast<double>(m->state().live_count());
  state.counters["bytes_per_actor"] = [&] {
    const auto& st = m->state();
    const double per_slot =
        sizeof(icn::model::cluster::Triple) * static_cast<double>(st.pool.capacity()) +
        4.0 * static_cast<double>(st.ih_tid.capacity() + st.geo_ids.capacity()) +
        sizeof(icn::model::cluster::PrevPartner) * static_cast<double>(st.prev_partners.capacity());
    return per_slot / st.slots() + 150.0;  // + the scalar columns (about 150 bytes)
  }();
}

void BM_ClusterDefault(benchmark::State& state) {
  run_steps(state, 500, 50, static_cast<int>(state.range(0)));
}
BENCHMARK(BM_ClusterDefault)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);

void BM_Cluster100k(benchmark::State& state) {
  run_steps(state, 99000, 20, static_cast<int>(state.range(0)));
}
BENCHMARK(BM_Cluster100k)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(40);
// The same on 1 and 2 threads, timed by the wall clock (the CPU time above is the main
// thread's only), so that the ratio of the two rates is the parallel speedup.
BENCHMARK(BM_Cluster100k)
    ->Name("BM_Cluster100kWall")
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(40);

// --ticks N T [THREADS]: builds one replicate of N SMEs (and N/100 leading firms) and
// steps it T times, outside Google Benchmark, for profilers: e.g.
//   valgrind --tool=callgrind --toggle-collect='icn::model::cluster::ClusterModel::step()'
//            build/bench/bench_cluster --ticks 500 50
int ticks_main(int argc, char** argv, int at) {
  if (at + 2 >= argc) {
    std::fprintf(stderr, "usage: bench_cluster --ticks N_SME TICKS [THREADS]\n");
    return 2;
  }
  ClusterParams p;
  p.n_sme = std::atol(argv[at + 1]);
  p.n_leading = std::max<std::int64_t>(1, p.n_sme / 100);
  const int ticks = std::atoi(argv[at + 2]);
  const int threads = at + 3 < argc ? std::atoi(argv[at + 3]) : 1;
  ClusterModel m(p, icn::rng::Key::derive({1, 0, 0}), icn::model::ExecOptions{threads});
  double firms = 0;
  for (int t = 0; t < ticks; ++t) {
    m.step();
    firms += m.observables()[0];
  }
  std::printf("%d ticks, %.0f firm-steps, %u actors at the end\n", ticks, firms,
              m.state().live_count());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--ticks")) return ticks_main(argc, argv, i);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
