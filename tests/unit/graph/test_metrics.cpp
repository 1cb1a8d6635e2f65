#include "icn/graph/metrics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "icn/graph/generators.h"

namespace icn::graph {
namespace {

rng::Stream metrics_stream(std::uint32_t actor = 0) {
  return rng::Stream(rng::Key::derive({77, 0, 0}), 0, rng::Stage::kTest, actor);
}

Metrics exact(const Graph& g) {
  rng::Stream s = metrics_stream();
  return compute_metrics(g, MetricsOptions{.bfs_sources = 0}, s);
}

TEST(Metrics, RingLatticeMatchesClosedForms) {
  const Graph g = ring_lattice(100, 10);
  const Metrics m = exact(g);
  // Barrat & Weigt: C = 3(k-2) / (4(k-1)) for a ring lattice.
  EXPECT_NEAR(m.clustering, 3.0 * 8 / (4.0 * 9), 1e-12);
  EXPECT_NEAR(m.clustering, 0.666667, 1e-6);
  // Offsets 1..49 twice and 50 once, distance ceil(d/5): 540 / 99.
  EXPECT_NEAR(m.mean_path, 540.0 / 99.0, 1e-12);
  EXPECT_NEAR(m.mean_path, 5.454545, 1e-6);
  EXPECT_NEAR(m.mean_degree, 10.0, 1e-12);
  EXPECT_NEAR(m.density, 10.0 / 99.0, 1e-12);
  EXPECT_EQ(m.components, 1u);
  EXPECT_EQ(m.giant_share, 1.0);
  EXPECT_EQ(m.assortativity, 0.0);  // regular: undefined, reported as 0
}

TEST(Metrics, StarOnFiveNodes) {
  const Metrics m = exact(star(5));
  EXPECT_NEAR(m.mean_path, 1.6, 1e-12);  // (4·1 + 6·2) / 10
  EXPECT_NEAR(m.assortativity, -1.0, 1e-12);
  EXPECT_EQ(m.clustering, 0.0);
  EXPECT_NEAR(m.density, 0.4, 1e-12);
  EXPECT_NEAR(m.mean_degree, 1.6, 1e-12);
}

TEST(Metrics, StarAssortativityIsMinusOneAtAnySize) {
  EXPECT_NEAR(exact(star(3)).assortativity, -1.0, 1e-12);
  EXPECT_NEAR(exact(star(1000)).assortativity, -1.0, 1e-9);
}

TEST(Metrics, PathOnTenNodes) {
  const Metrics m = exact(path(10));
  EXPECT_NEAR(m.mean_path, 165.0 / 45.0, 1e-12);  // Σ_d (10-d) d / 45
  EXPECT_NEAR(m.mean_path, 3.666667, 1e-6);
  EXPECT_EQ(m.clustering, 0.0);
  EXPECT_EQ(m.components, 1u);
  // Edges join degrees (1,2) twice and (2,2) seven times. Over the M = 9 edges:
  // E[jk] = 32/9, E[(j+k)/2] = 17/9, E[(j²+k²)/2] = 33/9, so
  // r = (32/9 − (17/9)²) / (33/9 − (17/9)²) = (−1/81) / (8/81) = −1/8.
  EXPECT_NEAR(m.assortativity, -0.125, 1e-12);
}

TEST(Metrics, CompleteGraph) {
  const Metrics m = exact(complete(12));
  EXPECT_NEAR(m.clustering, 1.0, 1e-15);
  EXPECT_NEAR(m.mean_path, 1.0, 1e-15);
  EXPECT_NEAR(m.density, 1.0, 1e-15);
  EXPECT_NEAR(m.mean_degree, 11.0, 1e-15);
}

TEST(Metrics, TriangleWithPendantHasHandComputedClustering) {
  // Triangle 0-1-2 plus 2-3: C = (1 + 1 + 1/3 + 0) / 4.
  const std::vector<Edge> edges = {{0, 1}, {1, 2}, {0, 2}, {2, 3}};
  const Graph g(4, edges);
  EXPECT_NEAR(exact(g).clustering, (2.0 + 1.0 / 3.0) / 4.0, 1e-15);
  EXPECT_NEAR(local_clustering(g, 2), 1.0 / 3.0, 1e-15);
  EXPECT_EQ(local_clustering(g, 3), 0.0);
}

TEST(Metrics, DisjointUnionCountsComponentsAndUsesTheGiant) {
  // path(10) ∪ star(5) ∪ 3 isolated vertices: 5 components, giant = the path.
  const Graph g = disjoint_union(disjoint_union(path(10), star(5)), Graph(3, {}));
  const Metrics m = exact(g);
  EXPECT_EQ(m.components, 5u);
  EXPECT_NEAR(m.giant_share, 10.0 / 18.0, 1e-15);
  EXPECT_NEAR(m.mean_path, 165.0 / 45.0, 1e-12);  // giant component only
  // Ties go to the component of the smallest vertex id: two equal stars, first wins.
  const Metrics tie = exact(disjoint_union(star(4), star(4)));
  EXPECT_EQ(tie.components, 2u);
  EXPECT_NEAR(tie.giant_share, 0.5, 1e-15);
  EXPECT_NEAR(tie.mean_path, 1.5, 1e-15);  // (3·1 + 3·2) / 6
}

TEST(Metrics, EmptyAndSingleVertexGraphsAreFinite) {
  const Metrics empty = exact(Graph());
  EXPECT_EQ(empty.components, 0u);
  EXPECT_EQ(empty.giant_share, 0.0);
  EXPECT_EQ(empty.density, 0.0);
  EXPECT_EQ(empty.mean_path, 0.0);
  const Metrics one = exact(Graph(1, {}));
  EXPECT_EQ(one.components, 1u);
  EXPECT_EQ(one.giant_share, 1.0);
  EXPECT_EQ(one.density, 0.0);
  EXPECT_EQ(one.mean_degree, 0.0);
  EXPECT_EQ(one.clustering, 0.0);
  EXPECT_EQ(one.assortativity, 0.0);
  EXPECT_EQ(one.mean_path, 0.0);
  const Metrics two = exact(Graph(2, {}));
  EXPECT_EQ(two.components, 2u);
  EXPECT_EQ(two.giant_share, 0.5);
  EXPECT_EQ(two.mean_path, 0.0);
}

/// The giant share of G(n, c/n) in the limit: the root of S = 1 − exp(−cS) in (0, 1].
double giant_share_limit(double c) {
  double s = 1.0;
  for (int i = 0; i < 10000; ++i) s = 1.0 - std::exp(-c * s);
  return s;
}

TEST(Metrics, ErdosRenyiGiantShareMatchesTheoryAtLargeN) {
  EXPECT_NEAR(giant_share_limit(1.5), 0.5828, 5e-5);
  EXPECT_NEAR(giant_share_limit(2.0), 0.7968, 5e-5);
  EXPECT_NEAR(giant_share_limit(4.0), 0.9802, 5e-5);
  const std::uint32_t n = 20000;
  std::uint32_t actor = 10;
  for (const double c : {1.5, 2.0, 4.0}) {
    const double s_inf = giant_share_limit(c);
    // The giant fraction is asymptotically normal with variance
    // S(1−S) / (n (1 − c(1−S))²) (Pittel 1990); allow 5 sd (0.047, 0.024, 0.005).
    const double sd = std::sqrt(s_inf * (1 - s_inf) / n) / (1 - c * (1 - s_inf));
    rng::Stream gs = metrics_stream(actor++);
    const Graph g = erdos_renyi_gnp(n, c / (n - 1.0), gs);
    rng::Stream ms = metrics_stream(actor++);
    const Metrics m = compute_metrics(g, MetricsOptions{.bfs_sources = 8}, ms);
    EXPECT_NEAR(m.giant_share, s_inf, 5 * sd) << "c = " << c;
    EXPECT_NEAR(m.mean_degree, c, 0.05) << "c = " << c;  // sd of mean degree ~ 0.014
  }
}

TEST(Metrics, SampledMeanPathIsCloseToExactOnWattsStrogatz) {
  rng::Stream gs = metrics_stream(1);
  const Graph g = watts_strogatz(2000, 10, 0.1, gs);
  const double all_pairs = exact(g).mean_path;
  rng::Stream ms = metrics_stream(2);
  const double sampled = compute_metrics(g, MetricsOptions{.bfs_sources = 64}, ms).mean_path;
  // Per-source means vary by a few percent on this graph; 64 sources cut that by 8.
  EXPECT_NEAR(sampled, all_pairs, 0.01 * all_pairs);
  EXPECT_NE(sampled, all_pairs);  // it really is a sample
  // Asking for at least n sources is the exact mode.
  rng::Stream big = metrics_stream(3);
  EXPECT_EQ(compute_metrics(g, MetricsOptions{.bfs_sources = 5000}, big).mean_path, all_pairs);
}

TEST(Metrics, BitIdenticalForAnyThreadCountAndWorkspaceReuse) {
  rng::Stream gs = metrics_stream(5);
  const Graph g = watts_strogatz(3000, 12, 0.05, gs);
  MetricsWorkspace work;
  std::vector<Metrics> results;
  for (const int threads : {1, 2, 4, 3, 1}) {
    rng::Stream s = metrics_stream(6);
    results.push_back(
        compute_metrics(g, MetricsOptions{.bfs_sources = 40, .threads = threads}, s, work));
  }
  for (const Metrics& m : results) {
    EXPECT_EQ(m.clustering, results[0].clustering);
    EXPECT_EQ(m.mean_path, results[0].mean_path);
    EXPECT_EQ(m.assortativity, results[0].assortativity);
    EXPECT_EQ(m.giant_share, results[0].giant_share);
  }
}

// Component labels must be those of a breadth-first search from every unlabelled vertex
// in increasing order (components numbered by their smallest vertex), and the giant
// component (listed by the team) the same vertices in increasing order, on any team. The
// graph has thousands of components, the largest not holding vertex 0.
// The bit-parallel search against one breadth-first search per source (the test's own):
// a graph of several components (sources in different ones, so some never meet), 1 to 64
// sources, a repeated source, buffers reused between calls.
TEST(Metrics, MultiSourceDistanceSumIsThatOfSeparateSearches) {
  rng::Stream gs = metrics_stream(11);
  constexpr std::uint32_t kN = 3000;
  std::vector<Edge> edges;
  for (int e = 0; e < 2600; ++e) edges.emplace_back(rng::below(gs, 2000), rng::below(gs, 2000));
  for (Vertex v = 2001; v < kN; ++v) edges.emplace_back(v, v - 1);  // a long path: many levels
  const Graph g(kN, edges);
  const auto one_search = [&](Vertex source) {
    std::vector<std::int64_t> dist(kN, -1);
    std::vector<Vertex> queue{source};
    dist[source] = 0;
    std::uint64_t sum = 0;
    for (std::size_t head = 0; head < queue.size(); ++head) {
      const Vertex v = queue[head];
      sum += static_cast<std::uint64_t>(dist[v]);
      for (const Vertex u : g.neighbors(v)) {
        if (dist[u] < 0) {
          dist[u] = dist[v] + 1;
          queue.push_back(u);
        }
      }
    }
    return sum;
  };
  MultiBfsBuffers buffers;
  for (const std::size_t count : {1u, 2u, 7u, 33u, 64u}) {
    std::vector<Vertex> sources;
    for (std::size_t i = 0; i < count; ++i) sources.push_back(rng::below(gs, kN));
    if (count > 2) sources[1] = sources[0];  // the same vertex twice: two sources
    std::uint64_t expect = 0;
    for (const Vertex v : sources) expect += one_search(v);
    EXPECT_EQ(multi_source_distance_sum(g, sources, buffers), expect) << count << " sources";
  }
}

TEST(Metrics, ComponentLabelsAreThoseOfASerialSearchOnAnyTeam) {
  rng::Stream gs = metrics_stream(9);
  constexpr std::uint32_t kN = 20000;
  std::vector<Edge> edges;
  for (int e = 0; e < 7000; ++e) edges.emplace_back(rng::below(gs, kN), rng::below(gs, kN));
  for (Vertex v = 15001; v < 19000; ++v) edges.emplace_back(v, 15000 + rng::below(gs, v - 15000));
  const Graph g(kN, edges);
  // The reference labels, by breadth-first search.
  std::vector<std::uint32_t> label(kN, ~0u), sizes;
  for (Vertex root = 0; root < kN; ++root) {
    if (label[root] != ~0u) continue;
    std::vector<Vertex> queue{root};
    label[root] = static_cast<std::uint32_t>(sizes.size());
    for (std::size_t head = 0; head < queue.size(); ++head) {
      for (const Vertex u : g.neighbors(queue[head])) {
        if (label[u] == ~0u) {
          label[u] = label[root];
          queue.push_back(u);
        }
      }
    }
    sizes.push_back(static_cast<std::uint32_t>(queue.size()));
  }
  const auto giant =
      static_cast<std::uint32_t>(std::max_element(sizes.begin(), sizes.end()) - sizes.begin());
  ASSERT_GT(sizes.size(), 1000u);
  ASSERT_NE(giant, label[0]);
  std::vector<Vertex> giant_vertices;
  for (Vertex v = 0; v < kN; ++v) {
    if (label[v] == giant) giant_vertices.push_back(v);
  }
  for (const int threads : {1, 2, 4}) {
    MetricsWorkspace work;
    rng::Stream s = metrics_stream(10);
    // Every giant vertex a source: the giant list is left in its order.
    const Metrics m =
        compute_metrics(g, MetricsOptions{.bfs_sources = 0, .threads = threads}, s, work);
    EXPECT_EQ(work.component, label) << threads;
    EXPECT_EQ(m.components, sizes.size()) << threads;
    EXPECT_EQ(m.giant_share, sizes[giant] / static_cast<double>(kN)) << threads;
    EXPECT_EQ(work.giant, giant_vertices) << threads;
  }
}

// The forward (degree-ordered) triangle count must reproduce the pairwise-intersection
// definition bit for bit, hubs included: the mean of local_clustering summed in the
// same fixed chunks of 256 vertices.
TEST(Metrics, ClusteringEqualsTheMeanOfLocalClusteringWithHubs) {
  rng::Stream gs = metrics_stream(10);
  const Graph base = erdos_renyi_gnm(2000, 9000, gs);
  std::vector<Edge> edges = base.edges();
  for (Vertex v = 1; v < 2000; v += 2) edges.emplace_back(0, v);    // one hub of degree ~1000
  for (Vertex v = 3; v < 2000; v += 7) edges.emplace_back(17, v);   // a second, overlapping hub
  for (Vertex v = 100; v < 160; ++v) edges.emplace_back(v, v + 1);  // a dense stretch
  const Graph g(2000, edges);
  double total = 0;
  for (Vertex c = 0; c < 2000; c += 256) {
    double chunk = 0;
    for (Vertex v = c; v < std::min<Vertex>(2000, c + 256); ++v) chunk += local_clustering(g, v);
    total += chunk;
  }
  for (const int threads : {1, 2, 3}) {
    rng::Stream s = metrics_stream(11);
    const Metrics m = compute_metrics(g, MetricsOptions{.bfs_sources = 8, .threads = threads}, s);
    EXPECT_EQ(m.clustering, total / 2000.0) << threads << " threads";
  }
  EXPECT_GT(total, 0.0);
  // A complete graph: every vertex has the same degree (ties broken by index).
  EXPECT_EQ(exact(complete(40)).clustering, 1.0);
}

TEST(Metrics, SourcesAreDrawnFromTheStream) {
  rng::Stream gs = metrics_stream(7);
  const Graph g = watts_strogatz(1000, 6, 0.05, gs);
  rng::Stream a = metrics_stream(8);
  rng::Stream b = metrics_stream(9);
  EXPECT_NE(compute_metrics(g, {.bfs_sources = 8}, a).mean_path,
            compute_metrics(g, {.bfs_sources = 8}, b).mean_path);
}

}  // namespace
}  // namespace icn::graph
