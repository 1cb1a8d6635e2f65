// Throughput of the streaming statistics: the driver calls add() once per replicate,
// observable and (for series) tick, so add() must stay cheap.
#include <benchmark/benchmark.h>

#include <vector>

#include "icn/core/rng.h"
#include "icn/stats/accumulator.h"

namespace {

std::vector<double> inputs(std::size_t n) {
  icn::rng::Stream s(icn::rng::Key::from_seed(1), 0, icn::rng::Stage::kTest, 0);
  std::vector<double> x(n);
  for (double& v : x) v = icn::rng::normal(s, 1e3, 10);
  return x;
}

const std::vector<double>& data() {
  static const std::vector<double> x = inputs(1 << 20);
  return x;
}

void BM_MomentsAdd(benchmark::State& state) {
  const auto& x = data();
  for (auto _ : state) {
    icn::stats::Moments m;
    for (double v : x) m.add(v);
    benchmark::DoNotOptimize(m);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(x.size()));
}
BENCHMARK(BM_MomentsAdd);

void BM_SketchAdd(benchmark::State& state) {
  const auto& x = data();
  const int k = static_cast<int>(state.range(0));
  for (auto _ : state) {
    icn::stats::QuantileSketch s(k);
    for (double v : x) s.add(v);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(x.size()));
}
BENCHMARK(BM_SketchAdd)->Arg(64)->Arg(256)->Arg(1024);

void BM_AccumulatorAdd(benchmark::State& state) {
  const auto& x = data();
  for (auto _ : state) {
    icn::stats::Accumulator acc;
    for (double v : x) acc.add(v);
    benchmark::DoNotOptimize(acc);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(x.size()));
}
BENCHMARK(BM_AccumulatorAdd);

// The exact regime: many small accumulators, as with a few hundred replicates per point.
void BM_AccumulatorAddExact(benchmark::State& state) {
  const auto& x = data();
  for (auto _ : state) {
    for (std::size_t start = 0; start + 200 <= x.size(); start += 200) {
      icn::stats::Accumulator acc;
      for (std::size_t i = start; i < start + 200; ++i) acc.add(x[i]);
      benchmark::DoNotOptimize(acc);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(x.size() / 200 * 200));
}
BENCHMARK(BM_AccumulatorAddExact);

void BM_SketchQuantiles(benchmark::State& state) {
  icn::stats::QuantileSketch s;
  for (double v : data()) s.add(v);
  const std::vector<double> qs = {0.05, 0.25, 0.5, 0.75, 0.95};
  for (auto _ : state) benchmark::DoNotOptimize(s.quantiles(qs));
}
BENCHMARK(BM_SketchQuantiles);

}  // namespace

BENCHMARK_MAIN();
