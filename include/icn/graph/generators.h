#pragma once
// Graph generators. The random ones draw only from the stream they are given, in a fixed
// order, so a graph is a pure function of (parameters, stream identity). Invalid
// arguments throw std::invalid_argument (callers turn user input into InputError).
#include <cstdint>

#include "icn/core/rng.h"
#include "icn/graph/graph.h"

namespace icn::graph {

/// Ring of n vertices, each tied to its k/2 nearest neighbours on either side.
/// k must be even and < n (k = 0 gives n isolated vertices).
Graph ring_lattice(std::uint32_t n, std::uint32_t k);

/// Watts & Strogatz (1998): a ring lattice (n, k) whose edges (i, i + j), j = 1..k/2,
/// are visited for j = 1..k/2 and then i = 0..n-1, each rewired with probability p to
/// (i, w) with w uniform among the vertices that are neither i nor already tied to i.
/// The edge count stays n k / 2; p = 0 is the ring lattice.
Graph watts_strogatz(std::uint32_t n, std::uint32_t k, double p, rng::Stream& s);

/// Erdős–Rényi G(n, p): every pair independently with probability p, drawn in O(n + m)
/// by geometric skips over the pairs in lexicographic order (Batagelj & Brandes 2005).
Graph erdos_renyi_gnp(std::uint32_t n, double p, rng::Stream& s);

/// Erdős–Rényi G(n, m): m distinct edges uniformly among all pairs (m <= n(n-1)/2).
Graph erdos_renyi_gnm(std::uint32_t n, std::uint64_t m, rng::Stream& s);

/// Star: vertex 0 tied to 1..n-1.
Graph star(std::uint32_t n);

/// Path 0 – 1 – ... – n-1.
Graph path(std::uint32_t n);

/// Complete graph on n vertices.
Graph complete(std::uint32_t n);

/// Disjoint union: b's vertices are renumbered after a's.
Graph disjoint_union(const Graph& a, const Graph& b);

}  // namespace icn::graph
