#pragma once
// An undirected simple graph in compressed sparse row (CSR) storage: one offsets array
// and one array of sorted neighbour lists. Vertices are 0..n-1. The storage can be
// rebuilt in place (assign) so a model that rebuilds its network every tick reuses the
// same buffers instead of reallocating.
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "icn/exec/buckets.h"

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

  /// Rebuilds on a team of `threads` from the edges that items 0..items-1 give:
  /// each(i, edge) calls edge(u, v) for every edge of item i, the same ones each time (it
  /// is called twice), every endpoint < n (not checked), at most 2^31 - 1 edges in all.
  /// Self-loops and duplicates are dropped and neighbours sorted, so the graph is the one
  /// assign() builds from the same edges in any order. Grouping the edges into rows takes
  /// one more pass than assign(), which is the leaner choice on one thread.
  template <class Each>
  void assign_from(std::uint32_t n, std::uint32_t items, Each&& each, int threads);

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
  // Scratch of assign_from: the rows with duplicates, grouped by vertex (exec/buckets.h).
  std::vector<std::uint32_t> row_start_, row_entries_;
  exec::BucketScratch row_scratch_;

  /// Sorts the grouped rows, drops their duplicates and packs them into the CSR arrays.
  void pack_rows(std::uint32_t n, int threads);
};

template <class Each>
void Graph::assign_from(std::uint32_t n, std::uint32_t items, Each&& each, int threads) {
  exec::group_by_bucket(
      items, n, threads,
      [&](std::uint32_t i, auto&& emit) {
        each(i, [&](Vertex u, Vertex v) {
          if (u == v) return;
          emit(u, v);
          emit(v, u);
        });
      },
      row_start_, row_entries_, row_scratch_);
  pack_rows(n, threads);
}

}  // namespace icn::graph
