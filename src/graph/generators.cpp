#include "icn/graph/generators.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

namespace icn::graph {
namespace {

void check_ring(std::uint32_t n, std::uint32_t k, const char* who) {
  if (k % 2 != 0) {
    throw std::invalid_argument(std::string(who) + ": k must be even, got " + std::to_string(k));
  }
  if (k > 0 && k >= n) {
    throw std::invalid_argument(std::string(who) + ": k = " + std::to_string(k) +
                                " must be < n = " + std::to_string(n));
  }
}

std::vector<Edge> ring_edges(std::uint32_t n, std::uint32_t k) {
  std::vector<Edge> edges;
  edges.reserve(static_cast<std::size_t>(n) * (k / 2));
  for (std::uint32_t j = 1; j <= k / 2; ++j) {
    for (std::uint32_t i = 0; i < n; ++i) edges.emplace_back(i, (i + j) % n);
  }
  return edges;
}

void erase_value(std::vector<Vertex>& list, Vertex v) {
  const auto it = std::find(list.begin(), list.end(), v);
  *it = list.back();
  list.pop_back();
}

}  // namespace

Graph ring_lattice(std::uint32_t n, std::uint32_t k) {
  check_ring(n, k, "ring_lattice");
  const auto edges = ring_edges(n, k);
  return Graph(n, edges);
}

Graph watts_strogatz(std::uint32_t n, std::uint32_t k, double p, rng::Stream& s) {
  check_ring(n, k, "watts_strogatz");
  if (!(p >= 0.0 && p <= 1.0)) throw std::invalid_argument("watts_strogatz: p must be in [0, 1]");
  // Unsorted adjacency lists of about k entries: linear search is cheaper than a set.
  std::vector<std::vector<Vertex>> adj(n);
  for (const auto& [u, v] : ring_edges(n, k)) {
    adj[u].push_back(v);
    adj[v].push_back(u);
  }
  if (p > 0.0) {
    // An edge (i, i + j) is only ever removed by i (k < n), so it exists when visited.
    for (std::uint32_t j = 1; j <= k / 2; ++j) {
      for (std::uint32_t i = 0; i < n; ++i) {
        if (!rng::bernoulli(s, p)) continue;
        if (adj[i].size() >= n - 1) continue;  // i is tied to everyone: nowhere to go
        Vertex w = rng::below(s, n);
        while (w == i || std::find(adj[i].begin(), adj[i].end(), w) != adj[i].end()) {
          w = rng::below(s, n);
        }
        const Vertex v = (i + j) % n;
        erase_value(adj[i], v);
        erase_value(adj[v], i);
        adj[i].push_back(w);
        adj[w].push_back(i);
      }
    }
  }
  std::vector<Edge> edges;
  edges.reserve(static_cast<std::size_t>(n) * (k / 2));
  for (Vertex u = 0; u < n; ++u) {
    for (const Vertex v : adj[u]) {
      if (u < v) edges.emplace_back(u, v);
    }
  }
  return Graph(n, edges);
}

Graph erdos_renyi_gnp(std::uint32_t n, double p, rng::Stream& s) {
  if (!(p >= 0.0 && p <= 1.0)) throw std::invalid_argument("erdos_renyi_gnp: p must be in [0, 1]");
  if (p == 1.0) return complete(n);
  std::vector<Edge> edges;
  if (p == 0.0 || n < 2) return Graph(n, edges);
  edges.reserve(static_cast<std::size_t>(p * 0.5 * n * (n - 1.0) * 1.05) + 16);
  // Pairs (v, w), w < v, in lexicographic order; the gap to the next edge is geometric.
  const double log_q = std::log1p(-p);
  std::int64_t v = 1;
  std::int64_t w = -1;
  const auto nn = static_cast<std::int64_t>(n);
  while (v < nn) {
    const double skip = std::floor(std::log1p(-rng::uniform(s)) / log_q);
    // A skip past every remaining pair ends the loop; clamp before converting.
    w += 1 + static_cast<std::int64_t>(std::min(skip, 4.0e18));
    while (w >= v && v < nn) {
      w -= v;
      ++v;
    }
    if (v < nn) edges.emplace_back(static_cast<Vertex>(v), static_cast<Vertex>(w));
  }
  return Graph(n, edges);
}

Graph erdos_renyi_gnm(std::uint32_t n, std::uint64_t m, rng::Stream& s) {
  const std::uint64_t pairs = static_cast<std::uint64_t>(n) * (n - (n > 0 ? 1u : 0u)) / 2;
  if (m > pairs) {
    throw std::invalid_argument("erdos_renyi_gnm: m = " + std::to_string(m) + " exceeds the " +
                                std::to_string(pairs) + " pairs");
  }
  // Dense requests draw the complement instead, so rejection stays cheap.
  const bool complement = m > pairs / 2;
  const std::uint64_t draws = complement ? pairs - m : m;
  std::unordered_set<std::uint64_t> chosen;
  chosen.reserve(draws);
  std::vector<Edge> edges;
  edges.reserve(m);
  while (chosen.size() < draws) {
    const Vertex a = rng::below(s, n);
    const Vertex b = rng::below(s, n);
    if (a == b) continue;
    const Vertex u = std::min(a, b);
    const Vertex v = std::max(a, b);
    if (chosen.insert(static_cast<std::uint64_t>(u) * n + v).second && !complement) {
      edges.emplace_back(u, v);
    }
  }
  if (complement) {
    for (Vertex u = 0; u < n; ++u) {
      for (Vertex v = u + 1; v < n; ++v) {
        if (!chosen.contains(static_cast<std::uint64_t>(u) * n + v)) edges.emplace_back(u, v);
      }
    }
  }
  return Graph(n, edges);
}

Graph star(std::uint32_t n) {
  std::vector<Edge> edges;
  for (Vertex v = 1; v < n; ++v) edges.emplace_back(0, v);
  return Graph(n, edges);
}

Graph path(std::uint32_t n) {
  std::vector<Edge> edges;
  for (Vertex v = 1; v < n; ++v) edges.emplace_back(v - 1, v);
  return Graph(n, edges);
}

Graph complete(std::uint32_t n) {
  std::vector<Edge> edges;
  edges.reserve(static_cast<std::size_t>(n) * (n > 0 ? n - 1 : 0) / 2);
  for (Vertex u = 0; u < n; ++u) {
    for (Vertex v = u + 1; v < n; ++v) edges.emplace_back(u, v);
  }
  return Graph(n, edges);
}

Graph disjoint_union(const Graph& a, const Graph& b) {
  std::vector<Edge> edges = a.edges();
  const Vertex shift = a.num_vertices();
  for (const auto& [u, v] : b.edges()) edges.emplace_back(u + shift, v + shift);
  return Graph(a.num_vertices() + b.num_vertices(), edges);
}

}  // namespace icn::graph
