// Throughput of the cowan-jonard model: agent-steps per second (one agent for one tick).
#include <benchmark/benchmark.h>

#include <memory>

#include "icn/model/cowan_jonard.h"

namespace {

using icn::model::CowanJonardParams;

std::unique_ptr<icn::model::Model> make(const CowanJonardParams& p, int threads,
                                        std::uint64_t seed) {
  const auto values = icn::model::cowan_jonard_params().to_values(p);
  return icn::model::cowan_jonard_info().make(values, icn::rng::Key::derive({seed, 0, 0}),
                                              icn::model::ExecOptions{.threads = threads});
}

// The default model reaches its steady state (no pair can trade; steps become free)
// after about 70 ticks, so a fresh replicate is built every kTicksPerReplicate ticks,
// outside the timing, to measure the trading regime only.
constexpr int kTicksPerReplicate = 50;

void BM_CowanJonardStep(benchmark::State& state) {
  CowanJonardParams p;
  p.n_agents = state.range(0);
  p.categories = state.range(1);
  p.trade_rule = state.range(2) == 0 ? "all_gaps" : "largest_gap";
  const int threads = static_cast<int>(state.range(3));
  std::uint64_t seed = 1;
  auto model = make(p, threads, seed);
  int ticks = 0;
  for (auto _ : state) {
    if (ticks == kTicksPerReplicate) {
      state.PauseTiming();
      model = make(p, threads, ++seed);
      ticks = 0;
      state.ResumeTiming();
    }
    model->step();
    ++ticks;
  }
  const double agent_steps =
      static_cast<double>(state.iterations()) * static_cast<double>(p.n_agents);
  state.counters["actor_steps"] = benchmark::Counter(agent_steps, benchmark::Counter::kIsRate);
}
// Args: agents, categories, trade rule (0 all_gaps, 1 largest_gap), threads.
BENCHMARK(BM_CowanJonardStep)
    ->ArgNames({"agents", "K", "rule", "threads"})
    ->Args({500, 10, 0, 1})
    ->Args({500, 10, 1, 1})
    ->Args({50000, 10, 0, 1})
    ->Args({50000, 10, 0, 2})
    ->Unit(benchmark::kMicrosecond);

void BM_CowanJonardObserve(benchmark::State& state) {
  auto model = make(CowanJonardParams{}, 1, 1);
  for (int t = 0; t < 10; ++t) model->step();
  std::vector<double> out(icn::model::cowan_jonard_info().observables.size());
  for (auto _ : state) {
    model->observe(out);
    benchmark::DoNotOptimize(out.data());
  }
  // Agents summarised per second (the observables are statistics over all agents).
  state.counters["actor_steps"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(CowanJonardParams{}.n_agents),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CowanJonardObserve)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
