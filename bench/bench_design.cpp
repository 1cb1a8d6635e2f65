// Cost of building designs; all are generated once per study, so this only has to stay
// small next to the simulations.
#include <benchmark/benchmark.h>

#include <string>

#include "icn/design/design.h"
#include "icn/design/lhs.h"
#include "icn/design/sobol.h"

namespace {

void BM_SobolPoints(benchmark::State& state) {
  const auto n = state.range(0);
  const int dims = static_cast<int>(state.range(1));
  for (auto _ : state) benchmark::DoNotOptimize(icn::design::sobol_unit(n, dims, true, 7));
  state.counters["items"] = benchmark::Counter(static_cast<double>(state.iterations() * n * dims),
                                               benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SobolPoints)->Args({1 << 16, 8})->Args({1 << 16, 64})->Args({1 << 12, 256});

void BM_LatinHypercube(benchmark::State& state) {
  const auto n = state.range(0);
  for (auto _ : state) benchmark::DoNotOptimize(icn::design::latin_hypercube(n, 16, 7));
  state.counters["items"] = benchmark::Counter(static_cast<double>(state.iterations() * n * 16),
                                               benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LatinHypercube)->Arg(1 << 12)->Arg(1 << 16);

void BM_SaltelliDesign(benchmark::State& state) {
  icn::design::DesignSpec spec;
  spec.kind = icn::design::DesignKind::kSaltelli;
  spec.n = state.range(0);
  spec.second_order = true;
  for (int j = 0; j < 20; ++j) {
    icn::design::Factor f;
    f.name = "x" + std::to_string(j);
    f.lo = 1;
    f.hi = 100;
    f.log_scale = j % 2 == 0;
    spec.factors.push_back(f);
  }
  for (auto _ : state) benchmark::DoNotOptimize(icn::design::make_design(spec));
  state.counters["items"] = benchmark::Counter(
      static_cast<double>(state.iterations() * spec.n * 42 * 20), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SaltelliDesign)->Arg(1 << 10)->Arg(1 << 13);

}  // namespace

BENCHMARK_MAIN();
