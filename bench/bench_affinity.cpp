// What it costs a thread to work on data the other core wrote last: passes over one
// array, each reading and writing every element, as a tick's stages pass over the model's
// slots, with the elements dealt to the threads in four ways:
//
//   owned    exec::OwnedParts (each thread's static part, others' backs when done)
//   static   OpenMP's static schedule: the same halves in every pass
//   swapped  the halves trade threads from one pass to the next
//   dynamic  chunks of 256 elements to whichever thread asks (the model's loops before)
//
// `bytes` counts what the passes read and wrote. On the project's 2-core test machine the
// halves that trade threads ran 30-60 % slower than halves that stay, at 150 MB, in some
// hours (no slower in others), and dynamic chunks slower than one thread in every hour
// measured (docs/performance.md, "Fourteenth session").
//
//   build/bench/bench_affinity --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "icn/exec/openmp.h"
#include "icn/exec/owned_parts.h"

namespace {

enum Deal { kOwned, kStatic, kSwapped, kDynamic };

inline void touch(double& v) { v = v * 0.999 + 0.001; }

void pass(std::vector<double>& x, Deal deal, int threads, int round) {
  const auto n = static_cast<std::uint32_t>(x.size());
  double* const d = x.data();
  switch (deal) {
    case kOwned:
      icn::exec::for_owned_slots(n, threads, [d](std::uint32_t i) { touch(d[i]); });
      break;
    case kStatic:
#pragma omp parallel for schedule(static) num_threads(threads)
      for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i) touch(d[i]);
      break;
    case kSwapped:
#pragma omp parallel num_threads(threads)
    {
      const auto [me, team] = icn::exec::team_member();
      const auto part = (me + static_cast<std::uint32_t>(round)) % team;
      const auto [lo, hi] = icn::exec::range_of(n, part, team);
      for (std::uint32_t i = lo; i < hi; ++i) touch(d[i]);
    } break;
    case kDynamic:
#pragma omp parallel for schedule(dynamic, 256) num_threads(threads)
      for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i) touch(d[i]);
      break;
  }
}

// Arguments: the deal, the array's size in MB, the threads.
void BM_Passes(benchmark::State& state) {
  const auto deal = static_cast<Deal>(state.range(0));
  const auto bytes = static_cast<std::size_t>(state.range(1)) << 20;
  const int threads = static_cast<int>(state.range(2));
  std::vector<double> x(bytes / sizeof(double), 1.0);
  for (int r = 0; r < 4; ++r) pass(x, deal, threads, r);  // warm: pages and caches
  int round = 0;
  for (auto _ : state) {
    pass(x, deal, threads, round++);
    benchmark::ClobberMemory();
  }
  state.counters["bytes"] =
      benchmark::Counter(2.0 * static_cast<double>(state.iterations()) * static_cast<double>(bytes),
                         benchmark::Counter::kIsRate);
  static const char* const names[] = {"owned", "static", "swapped", "dynamic"};
  state.SetLabel(names[deal]);
}
BENCHMARK(BM_Passes)
    ->ArgNames({"deal", "MB", "threads"})
    ->ArgsProduct({{kOwned, kStatic, kSwapped, kDynamic}, {16, 150}, {1, 2}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
