#include "icn/graph/graph.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <vector>

#include "icn/graph/generators.h"

namespace icn::graph {
namespace {

rng::Stream test_stream(std::uint32_t actor = 0) {
  return rng::Stream(rng::Key::derive({2024, 1, 2}), 0, rng::Stage::kTest, actor);
}

std::vector<Vertex> as_vector(std::span<const Vertex> s) { return {s.begin(), s.end()}; }

TEST(Graph, DropsSelfLoopsAndDuplicatesAndSortsNeighbours) {
  const std::vector<Edge> edges = {{3, 1}, {1, 3}, {2, 2}, {0, 3}, {3, 2}, {1, 3}, {0, 1}};
  const Graph g(5, edges);
  EXPECT_EQ(g.num_vertices(), 5u);
  EXPECT_EQ(g.num_edges(), 4u);  // 1-3, 0-3, 2-3, 0-1
  EXPECT_EQ(as_vector(g.neighbors(3)), (std::vector<Vertex>{0, 1, 2}));
  EXPECT_EQ(as_vector(g.neighbors(0)), (std::vector<Vertex>{1, 3}));
  EXPECT_EQ(as_vector(g.neighbors(2)), (std::vector<Vertex>{3}));
  EXPECT_EQ(g.degree(4), 0u);
  EXPECT_TRUE(g.neighbors(4).empty());
  EXPECT_TRUE(g.has_edge(1, 3));
  EXPECT_TRUE(g.has_edge(3, 1));
  EXPECT_FALSE(g.has_edge(2, 2));
  EXPECT_FALSE(g.has_edge(0, 2));
  EXPECT_EQ(g.edges(), (std::vector<Edge>{{0, 1}, {0, 3}, {1, 3}, {2, 3}}));
}

TEST(Graph, DefaultAndEmptyGraphsAreUsable) {
  const Graph g;
  EXPECT_EQ(g.num_vertices(), 0u);
  EXPECT_EQ(g.num_edges(), 0u);
  const Graph h(3, {});
  EXPECT_EQ(h.num_edges(), 0u);
  EXPECT_EQ(h.degree(2), 0u);
}

TEST(Graph, RejectsOutOfRangeEndpoints) {
  const std::vector<Edge> edges = {{0, 3}};
  EXPECT_THROW(Graph(3, edges), std::out_of_range);
}

TEST(Graph, AssignReusesBuffersAndMatchesConstruction) {
  rng::Stream s = test_stream();
  const Graph big = watts_strogatz(400, 8, 0.2, s);
  const std::vector<Edge> big_edges = big.edges();
  Graph g(400, big_edges);
  const Vertex* storage = g.neighbors(0).data();
  // A smaller graph fits in the capacity already held: the adjacency must not move.
  const Graph small = ring_lattice(300, 6);
  const std::vector<Edge> small_edges = small.edges();
  g.assign(300, small_edges);
  EXPECT_EQ(g.neighbors(0).data(), storage);
  EXPECT_EQ(g.num_vertices(), 300u);
  EXPECT_EQ(g.edges(), small_edges);
  g.assign(400, big_edges);
  EXPECT_EQ(g.neighbors(0).data(), storage);
  EXPECT_EQ(g.edges(), big_edges);
}

// A model builds its network from its own lists on a team (assign_from): items giving
// none to several edges each, in any order, with duplicates, both directions and
// self-loops, must give the graph that the plain edge list gives, on any team.
TEST(Graph, AssignFromOnATeamEqualsTheEdgeList) {
  rng::Stream s = test_stream(7);
  constexpr std::uint32_t kN = 3000, kItems = 5000;
  std::vector<std::vector<Edge>> items(kItems);
  std::vector<Edge> all;
  for (auto& item : items) {
    const auto count = rng::below(s, 4);
    for (std::uint32_t e = 0; e < count; ++e) {
      // Endpoints from a small range now and then, so that rows get duplicates.
      const std::uint32_t range = rng::below(s, 4) == 0 ? 20 : kN;
      const Edge edge{rng::below(s, range), rng::below(s, range)};
      item.push_back(edge);
      all.push_back(edge);
    }
  }
  // The reference: every vertex's distinct neighbours, from sets.
  std::vector<std::set<Vertex>> rows(kN);
  for (const auto& [u, v] : all) {
    if (u == v) continue;
    rows[u].insert(v);
    rows[v].insert(u);
  }
  const Graph expected(kN, all);
  ASSERT_GT(expected.num_edges(), 4000u);
  for (Vertex v = 0; v < kN; ++v) {
    ASSERT_EQ(as_vector(expected.neighbors(v)),
              std::vector<Vertex>(rows[v].begin(), rows[v].end()));
  }
  for (int threads : {1, 2, 4}) {
    Graph g;
    g.assign_from(
        kN, kItems,
        [&](std::uint32_t i, auto&& edge) {
          for (const auto& [u, v] : items[i]) edge(u, v);
        },
        threads);
    EXPECT_EQ(g.num_vertices(), kN) << threads;
    EXPECT_EQ(g.edges(), expected.edges()) << threads;
    for (Vertex v = 0; v < kN; ++v) {
      ASSERT_EQ(as_vector(g.neighbors(v)), as_vector(expected.neighbors(v))) << threads << " " << v;
    }
  }
}

TEST(Generators, RingLatticeHasDegreeKAndNkOver2Edges) {
  const Graph g = ring_lattice(20, 6);
  EXPECT_EQ(g.num_edges(), 60u);
  for (Vertex v = 0; v < 20; ++v) EXPECT_EQ(g.degree(v), 6u);
  EXPECT_EQ(as_vector(g.neighbors(0)), (std::vector<Vertex>{1, 2, 3, 17, 18, 19}));
  EXPECT_THROW(ring_lattice(20, 5), std::invalid_argument);
  EXPECT_THROW(ring_lattice(6, 6), std::invalid_argument);
  EXPECT_EQ(ring_lattice(5, 0).num_edges(), 0u);
}

TEST(Generators, WattsStrogatzKeepsEdgeCountAndIsDeterministic) {
  rng::Stream s0 = test_stream();
  EXPECT_EQ(watts_strogatz(50, 4, 0.0, s0).edges(), ring_lattice(50, 4).edges());
  rng::Stream a = test_stream(1);
  rng::Stream b = test_stream(1);
  rng::Stream c = test_stream(2);
  const Graph ga = watts_strogatz(1000, 10, 0.1, a);
  const Graph gb = watts_strogatz(1000, 10, 0.1, b);
  const Graph gc = watts_strogatz(1000, 10, 0.1, c);
  EXPECT_EQ(ga.num_edges(), 5000u);
  EXPECT_EQ(ga.edges(), gb.edges());
  EXPECT_NE(ga.edges(), gc.edges());
  // About p of the lattice edges move: count edges that are no longer lattice ties.
  std::uint64_t long_range = 0;
  for (const auto& [u, v] : ga.edges()) {
    const std::uint32_t d = std::min(v - u, 1000 - (v - u));
    if (d > 5) ++long_range;
  }
  EXPECT_GT(long_range, 400u);  // expected ~ 0.1 * 5000 * (1 - 10/1000); sd ~ 21
  EXPECT_LT(long_range, 600u);
}

TEST(Generators, WattsStrogatzFullRewiringOfADenseGraphTerminates) {
  rng::Stream s = test_stream(3);
  const Graph g = watts_strogatz(7, 4, 1.0, s);
  EXPECT_EQ(g.num_edges(), 14u);
}

TEST(Generators, ErdosRenyiGnmHasExactlyMDistinctEdges) {
  rng::Stream s = test_stream(4);
  const Graph g = erdos_renyi_gnm(1000, 3000, s);
  EXPECT_EQ(g.num_edges(), 3000u);
  rng::Stream d = test_stream(5);
  const Graph dense = erdos_renyi_gnm(30, 400, d);  // complement branch: 435 pairs
  EXPECT_EQ(dense.num_edges(), 400u);
  rng::Stream e = test_stream(6);
  EXPECT_EQ(erdos_renyi_gnm(30, 435, e).num_edges(), 435u);
  EXPECT_THROW(erdos_renyi_gnm(30, 436, e), std::invalid_argument);
}

TEST(Generators, ErdosRenyiGnpEdgeCountMatchesExpectation) {
  rng::Stream s = test_stream(7);
  const std::uint32_t n = 4000;
  const double p = 0.002;
  const Graph g = erdos_renyi_gnp(n, p, s);
  const double pairs = n * (n - 1.0) / 2.0;
  const double mean = p * pairs;                // 15996
  const double sd = std::sqrt(mean * (1 - p));  // ~126
  EXPECT_NEAR(static_cast<double>(g.num_edges()), mean, 5 * sd);
  rng::Stream t = test_stream(8);
  EXPECT_EQ(erdos_renyi_gnp(10, 0.0, t).num_edges(), 0u);
  EXPECT_EQ(erdos_renyi_gnp(10, 1.0, t).num_edges(), 45u);
  // Every pair is reachable by the skip walk: the last pair (n-1, n-2) appears at p = 1-eps.
  EXPECT_EQ(erdos_renyi_gnp(10, 0.999999999, t).num_edges(), 45u);
}

TEST(Generators, StarPathCompleteAndUnion) {
  EXPECT_EQ(star(5).num_edges(), 4u);
  EXPECT_EQ(star(5).degree(0), 4u);
  EXPECT_EQ(path(10).num_edges(), 9u);
  EXPECT_EQ(path(1).num_edges(), 0u);
  EXPECT_EQ(complete(6).num_edges(), 15u);
  const Graph u = disjoint_union(path(3), star(4));
  EXPECT_EQ(u.num_vertices(), 7u);
  EXPECT_EQ(u.edges(), (std::vector<Edge>{{0, 1}, {1, 2}, {3, 4}, {3, 5}, {3, 6}}));
}

}  // namespace
}  // namespace icn::graph
