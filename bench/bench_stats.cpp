// Throughput of the streaming statistics: the driver calls add() once per replicate,
// observable and (for series) tick, so add() must stay cheap; rank 0 merges one chunk's
// accumulator per (point, tick, observable) and chunk, so merge() must be cheap too.
// Also the median of many values as the cluster model's observables take it each tick
// (exec::median: std::nth_element on one thread, radix passes on more).
// Counters: `items` = values added or accumulators merged (or values in a median) per second.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <vector>

#include "icn/core/rng.h"
#include "icn/exec/order_statistic.h"
#include "icn/stats/accumulator.h"

namespace {

std::vector<double> inputs(std::size_t n) {
  icn::rng::Stream s(icn::rng::Key::from_seed(1), 0, icn::rng::Stage::kTest, 0);
  std::vector<double> x(n);
  for (double& v : x) v = icn::rng::normal(s, 1e3, 10);
  return x;
}

void set_items(benchmark::State& state, std::int64_t per_iteration) {
  state.counters["items"] = benchmark::Counter(
      static_cast<double>(state.iterations() * per_iteration), benchmark::Counter::kIsRate);
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
  set_items(state, static_cast<std::int64_t>(x.size()));
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
  set_items(state, static_cast<std::int64_t>(x.size()));
}
BENCHMARK(BM_SketchAdd)->Arg(64)->Arg(256)->Arg(1024);

void BM_AccumulatorAdd(benchmark::State& state) {
  const auto& x = data();
  for (auto _ : state) {
    icn::stats::Accumulator acc;
    for (double v : x) acc.add(v);
    benchmark::DoNotOptimize(acc);
  }
  set_items(state, static_cast<std::int64_t>(x.size()));
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
  set_items(state, static_cast<std::int64_t>(x.size() / 200 * 200));
}
BENCHMARK(BM_AccumulatorAddExact);

// Merging chunk accumulators in chunk order, as rank 0 does for each (point, tick,
// observable): `range(0)` chunks of `range(1)` values each (16: the default chunk, exact
// regime; 1024: sketches that have compacted). items = merges per second.
void BM_AccumulatorMerge(benchmark::State& state) {
  const auto& x = data();
  const auto chunks = static_cast<std::size_t>(state.range(0));
  const auto per_chunk = static_cast<std::size_t>(state.range(1));
  std::vector<icn::stats::Accumulator> parts(chunks);
  for (std::size_t c = 0; c < chunks; ++c) {
    for (std::size_t i = 0; i < per_chunk; ++i) parts[c].add(x[(c * per_chunk + i) % x.size()]);
  }
  for (auto _ : state) {
    icn::stats::Accumulator total;
    for (const auto& part : parts) total.merge(part);
    benchmark::DoNotOptimize(total);
  }
  state.counters["items"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * static_cast<double>(chunks),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AccumulatorMerge)->ArgNames({"chunks", "values"})->Args({64, 16})->Args({64, 1024});

// The moments alone (Chan et al.'s parallel update): items = merges per second.
void BM_MomentsMerge(benchmark::State& state) {
  const auto& x = data();
  std::vector<icn::stats::Moments> parts(256);
  for (std::size_t c = 0; c < parts.size(); ++c) {
    for (std::size_t i = 0; i < 16; ++i) parts[c].add(x[c * 16 + i]);
  }
  for (auto _ : state) {
    icn::stats::Moments total;
    for (const auto& part : parts) total.merge(part);
    benchmark::DoNotOptimize(total);
  }
  state.counters["items"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(parts.size()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MomentsMerge);

void BM_SketchQuantiles(benchmark::State& state) {
  icn::stats::QuantileSketch s;
  for (double v : data()) s.add(v);
  const std::vector<double> qs = {0.05, 0.25, 0.5, 0.75, 0.95};
  for (auto _ : state) benchmark::DoNotOptimize(s.quantiles(qs));
  // Quantiles read per second.
  state.counters["items"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * static_cast<double>(qs.size()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SketchQuantiles);

}  // namespace

// The median of `values` values on `threads` threads, wall clock; each iteration copies the
// values first (one thread reorders them in place), on both team sizes alike. The values
// (normal, mean 10^3, sd 10) fill few 16-bit bins, so the radix passes must go deeper.
void BM_Median(benchmark::State& state) {
  const auto& x = data();
  const auto n = static_cast<std::size_t>(state.range(0));
  const int threads = static_cast<int>(state.range(1));
  std::vector<double> work(n);
  icn::exec::NthScratch scratch;
  for (auto _ : state) {
    std::copy(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(n), work.begin());
    benchmark::DoNotOptimize(icn::exec::median(work, threads, scratch));
  }
  set_items(state, static_cast<std::int64_t>(n));
}
BENCHMARK(BM_Median)
    ->ArgNames({"values", "threads"})
    ->Args({100000, 1})
    ->Args({100000, 2})
    ->Args({1000000, 1})
    ->Args({1000000, 2})
    ->UseRealTime();

BENCHMARK_MAIN();
