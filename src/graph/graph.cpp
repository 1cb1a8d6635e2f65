#include "icn/graph/graph.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace icn::graph {

void Graph::assign(std::uint32_t n, std::span<const Edge> edges) {
  for (const auto& [u, v] : edges) {
    if (u >= n || v >= n) {
      throw std::out_of_range("graph: edge (" + std::to_string(u) + ", " + std::to_string(v) +
                              ") has an endpoint >= " + std::to_string(n));
    }
  }
  // Both directions of every edge are counted in 32 bits (exec/buckets.h).
  if (edges.size() > std::numeric_limits<std::uint32_t>::max() / 2) {
    throw std::length_error("graph: " + std::to_string(edges.size()) +
                            " edges, more than 2^31 - 1");
  }
  assign_from(
      n, static_cast<std::uint32_t>(edges.size()),
      [&](std::uint32_t i, auto&& edge) { edge(edges[i].first, edges[i].second); }, 1);
}

void Graph::pack_rows(std::uint32_t n, int threads) {
  n_ = n;
  offsets_.resize(static_cast<std::size_t>(n) + 1);
  offsets_[0] = 0;
  // Each row's distinct neighbours, counted into offsets_[v + 1]; then their places (a
  // prefix sum, the one serial pass) and the rows copied there.
#pragma omp parallel for schedule(dynamic, 256) num_threads(threads)
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i) {
    const auto v = static_cast<std::size_t>(i);
    const auto first = row_entries_.begin() + row_start_[v];
    const auto last = row_entries_.begin() + row_start_[v + 1];
    std::sort(first, last);
    offsets_[v + 1] = static_cast<std::uint64_t>(std::unique(first, last) - first);
  }
  for (std::size_t v = 0; v < n; ++v) offsets_[v + 1] += offsets_[v];
  adjacency_.resize(offsets_[n]);
#pragma omp parallel for schedule(dynamic, 256) num_threads(threads)
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i) {
    const auto v = static_cast<std::size_t>(i);
    std::copy_n(row_entries_.begin() + row_start_[v], offsets_[v + 1] - offsets_[v],
                adjacency_.begin() + static_cast<std::ptrdiff_t>(offsets_[v]));
  }
}

bool Graph::has_edge(Vertex u, Vertex v) const {
  if (u >= n_ || v >= n_) return false;
  if (degree(u) > degree(v)) std::swap(u, v);
  const auto row = neighbors(u);
  return std::binary_search(row.begin(), row.end(), v);
}

std::vector<Edge> Graph::edges() const {
  std::vector<Edge> out;
  out.reserve(num_edges());
  for (Vertex u = 0; u < n_; ++u) {
    for (const Vertex v : neighbors(u)) {
      if (u < v) out.emplace_back(u, v);
    }
  }
  return out;
}

}  // namespace icn::graph
