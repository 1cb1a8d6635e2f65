#include "icn/graph/graph.h"
#include "icn/core/grow.h"
#include "icn/exec/owned_parts.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace icn::graph {

void Graph::assign(std::uint32_t n, std::span<const Edge> edges) {
  n_ = n;
  // Counting pass: degrees (with duplicates) go to offsets_[v + 1], then a prefix sum.
  icn::refill(offsets_, static_cast<std::size_t>(n) + 1, 0);
  for (const auto& [u, v] : edges) {
    if (u >= n || v >= n) {
      throw std::out_of_range("graph: edge (" + std::to_string(u) + ", " + std::to_string(v) +
                              ") has an endpoint >= " + std::to_string(n));
    }
    if (u == v) continue;
    ++offsets_[u + 1];
    ++offsets_[v + 1];
  }
  for (std::size_t v = 0; v < n; ++v) offsets_[v + 1] += offsets_[v];
  adjacency_.resize(offsets_[n]);
  icn::refill(cursor_, offsets_.begin(), offsets_.end() - 1);
  for (const auto& [u, v] : edges) {
    if (u == v) continue;
    adjacency_[cursor_[u]++] = v;
    adjacency_[cursor_[v]++] = u;
  }
  // Sort each row, drop duplicates and compact in place: the write position never
  // overtakes the read position, so one pass over the rows suffices.
  std::uint64_t write = 0;
  std::uint64_t row_begin = 0;
  for (std::size_t v = 0; v < n; ++v) {
    const std::uint64_t row_end = offsets_[v + 1];
    const auto first = adjacency_.begin() + static_cast<std::ptrdiff_t>(row_begin);
    const auto last = adjacency_.begin() + static_cast<std::ptrdiff_t>(row_end);
    std::sort(first, last);
    const auto unique_end = std::unique(first, last);
    const auto out = adjacency_.begin() + static_cast<std::ptrdiff_t>(write);
    if (out != first) std::copy(first, unique_end, out);
    write += static_cast<std::uint64_t>(unique_end - first);
    offsets_[v + 1] = write;
    row_begin = row_end;
  }
  adjacency_.resize(write);
}

void Graph::pack_rows(std::uint32_t n, int threads) {
  n_ = n;
  exec::sort_unique_groups(n, row_start_, row_entries_, offsets_, threads);
  adjacency_.resize(offsets_[n]);
  exec::for_owned_slots(n, threads, [&](std::uint32_t v) {
    std::copy_n(row_entries_.begin() + row_start_[v], offsets_[v + 1] - offsets_[v],
                adjacency_.begin() + static_cast<std::ptrdiff_t>(offsets_[v]));
  });
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
