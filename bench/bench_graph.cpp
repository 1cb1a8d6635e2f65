// Graph storage, generators and metrics at 10^5 vertices.
#include <benchmark/benchmark.h>

#include <vector>

#include "icn/graph/generators.h"
#include "icn/graph/metrics.h"

namespace {

using namespace icn;

constexpr std::uint32_t kVertices = 100000;

rng::Stream stream(std::uint32_t actor) {
  return rng::Stream(rng::Key::derive({9, 0, 0}), 0, rng::Stage::kTest, actor);
}

graph::Graph small_world() {
  rng::Stream s = stream(0);
  return graph::watts_strogatz(kVertices, 10, 0.1, s);
}

void BM_WattsStrogatz(benchmark::State& state) {
  for (auto _ : state) {
    rng::Stream s = stream(0);
    benchmark::DoNotOptimize(graph::watts_strogatz(kVertices, 10, 0.1, s).num_edges());
  }
  state.counters["items"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kVertices * 5), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_WattsStrogatz)->Unit(benchmark::kMillisecond);

void BM_ErdosRenyiGnp(benchmark::State& state) {
  for (auto _ : state) {
    rng::Stream s = stream(1);
    benchmark::DoNotOptimize(graph::erdos_renyi_gnp(kVertices, 10.0 / kVertices, s).num_edges());
  }
  // items: expected edges (n (n - 1) / 2 pairs at p = 10 / n: about 5 n).
  state.counters["items"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kVertices * 5), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ErdosRenyiGnp)->Unit(benchmark::kMillisecond);

// Rebuilding the CSR storage from an edge list in place, as a model does every tick.
void BM_GraphAssign(benchmark::State& state) {
  const std::vector<graph::Edge> edges = small_world().edges();
  graph::Graph g(kVertices, edges);
  for (auto _ : state) {
    g.assign(kVertices, edges);
    benchmark::DoNotOptimize(g.num_edges());
  }
  state.counters["items"] = benchmark::Counter(
      static_cast<double>(state.iterations() * static_cast<std::int64_t>(edges.size())),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_GraphAssign)->Unit(benchmark::kMillisecond);

// Arg: BFS sources (0 = exact, skipped here: 10^5 BFS). Second arg: threads.
void BM_Metrics(benchmark::State& state) {
  const graph::Graph g = small_world();
  graph::MetricsWorkspace work;
  const graph::MetricsOptions opt{.bfs_sources = static_cast<std::uint32_t>(state.range(0)),
                                  .threads = static_cast<int>(state.range(1))};
  for (auto _ : state) {
    rng::Stream s = stream(2);
    benchmark::DoNotOptimize(graph::compute_metrics(g, opt, s, work).mean_path);
  }
  state.counters["items"] = benchmark::Counter(
      static_cast<double>(state.iterations() * static_cast<std::int64_t>(g.num_edges())),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Metrics)
    ->ArgNames({"sources", "threads"})
    ->Args({32, 1})
    ->Args({32, 2})
    ->Args({1, 1})
    ->Args({1, 2})
    ->Unit(benchmark::kMillisecond);

// One bit-parallel search from 32 sources (the mean path's default) on a sparse random
// graph of about the model's mean degree (3.6 at 10^5 firms), whose masks alone (3.2 MB)
// are larger than a core's L2 on the machines measured.
void BM_DistanceSum(benchmark::State& state) {
  rng::Stream s = stream(3);
  const graph::Graph g = graph::erdos_renyi_gnp(kVertices, 3.6 / kVertices, s);
  std::vector<graph::Vertex> sources;
  for (int i = 0; i < 32; ++i) sources.push_back(rng::below(s, kVertices));
  graph::MultiBfsBuffers buffers;
  for (auto _ : state) {
    benchmark::DoNotOptimize(graph::multi_source_distance_sum(g, sources, buffers));
  }
  state.counters["items"] = benchmark::Counter(
      static_cast<double>(state.iterations() * static_cast<std::int64_t>(g.num_edges())),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DistanceSum)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
