#pragma once
// An undirected simple graph in compressed sparse row (CSR) storage: one offsets array
// and one array of sorted neighbour lists. Vertices are 0..n-1. The storage can be
// rebuilt in place (assign) so a model that rebuilds its network every tick reuses the
// same buffers instead of reallocating.
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace icn::graph {

using Vertex = std::uint32_t;
using Edge = std::pair<Vertex, Vertex>;

class Graph {
 public:
  Graph() = default;
  /// Builds from an edge list; drops self-loops and duplicate edges; neighbours sorted.
  /// Throws std::out_of_range if an endpoint is >= n.
  Graph(std::uint32_t n, std::span<const Edge> edges) { assign(n, edges); }

  /// Rebuilds from an edge list (same rules as the constructor), reusing the buffers:
  /// no heap allocation once the capacity has reached the largest graph seen.
  void assign(std::uint32_t n, std::span<const Edge> edges);

  std::uint32_t num_vertices() const { return n_; }
  /// Number of undirected edges.
  std::uint64_t num_edges() const { return adjacency_.size() / 2; }
  /// The sorted neighbours of v.
  std::span<const Vertex> neighbors(Vertex v) const {
    return {adjacency_.data() + offsets_[v], adjacency_.data() + offsets_[v + 1]};
  }
  std::uint32_t degree(Vertex v) const {
    return static_cast<std::uint32_t>(offsets_[v + 1] - offsets_[v]);
  }
  /// Whether u–v is an edge (binary search in the sorted list of the smaller degree).
  bool has_edge(Vertex u, Vertex v) const;
  /// Every edge once, as (u, v) with u < v, in increasing order of u then v.
  std::vector<Edge> edges() const;

 private:
  std::uint32_t n_ = 0;
  std::vector<std::uint64_t> offsets_{
      0};                              ///< n_ + 1 entries; row v is [offsets_[v], offsets_[v+1])
  std::vector<Vertex> adjacency_;      ///< both directions of every edge
  std::vector<std::uint64_t> cursor_;  ///< scratch for assign()
};

}  // namespace icn::graph
