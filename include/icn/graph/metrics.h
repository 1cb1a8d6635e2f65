#pragma once
// Network metrics of MODEL.md section 6. Everything is O(N + M) except clustering,
// which counts triangles by the forward algorithm in O(M sqrt(M)) (no longer
// O(sum of squared degrees): hubs cost no more than their edges). Results are
// bit-identical for any thread count:
// floating-point sums run over fixed chunks in index order and the BFS distance totals
// are integers.
#include <cstdint>
#include <span>
#include <vector>

#include "icn/core/rng.h"
#include "icn/exec/buckets.h"
#include "icn/graph/graph.h"

namespace icn::graph {

struct MetricsOptions {
  std::uint32_t bfs_sources = 32;  ///< 0 = exact all-pairs
  int threads = 0;                 ///< OpenMP threads; 0 = the runtime's default
};

struct Metrics {
  double density = 0;      ///< 2M / (n(n-1)); 0 when n < 2
  double mean_degree = 0;  ///< 2M / n; 0 when n = 0
  double clustering = 0;   ///< mean local clustering, vertices of degree < 2 counted as 0
  double giant_share = 0;  ///< largest component / n; 0 when n = 0
  std::uint32_t components = 0;
  /// Newman's degree assortativity; 0 when undefined (no edges, or every edge joins
  /// equal degrees so the degree variance at edge ends is zero).
  double assortativity = 0;
  /// Mean shortest path over ordered pairs of distinct vertices of the giant component;
  /// 0 when the giant component has fewer than 2 vertices.
  double mean_path = 0;
};

/// One thread's buffers for multi_source_distance_sum: per vertex, one bit per source.
struct MultiBfsBuffers {
  /// A vertex's masks, side by side on one cache line: the search reads a neighbour's
  /// seen bits and writes its reach bits on every edge it follows (branch-free), and in a
  /// large graph each is a cache miss unless they share a line. (Without the branch-free
  /// pass, this layout alone measured no faster than three arrays.)
  struct alignas(32) Masks {
    std::uint64_t seen = 0;   ///< the sources that have reached the vertex
    std::uint64_t visit = 0;  ///< those that reached it at the current level
    std::uint64_t reach = 0;  ///< those reaching it at the next level
  };
  std::vector<Masks> masks;      ///< per vertex
  std::vector<Vertex> frontier;  ///< vertices with a visit bit (a prefix of it)
  std::vector<Vertex> touched;   ///< vertices with a reach bit (a prefix of it)
};

/// Sources one bit-parallel search carries: one bit each in a 64-bit mask.
inline constexpr std::uint32_t kSearchSources = 64;

/// The sum, over `sources` (at most kSearchSources), of the BFS distances from each to
/// every vertex it reaches - one breadth-first search for all of them, bit-parallel (Then
/// et al., "The More the Merrier: Efficient Multi-Source Graph Traversal", VLDB 2015): bit
/// i of a vertex's masks stands for source i, and each level a vertex passes the bits of
/// the sources that reached it at the previous level to its neighbours, so its adjacency
/// is read once per distinct distance from the sources rather than once per source. An
/// integer, so the same as the separate searches' sum.
std::uint64_t multi_source_distance_sum(const Graph& g, std::span<const Vertex> sources,
                                        MultiBfsBuffers& buffers);

/// Reusable buffers, so a model that measures its network every tick does not allocate.
class MetricsWorkspace {
 public:
  std::vector<std::uint32_t> component;           ///< component label of each vertex
  std::vector<Vertex> queue;                      ///< BFS queue for component labelling
  std::vector<Vertex> giant;                      ///< vertices of the giant component, ascending
  exec::SelectScratch select;                     ///< for listing the giant component
  std::vector<double> chunk_sums;                 ///< per-chunk clustering partial sums
  std::vector<std::uint64_t> triangles;           ///< triangles through each vertex
  std::vector<std::uint64_t> out_start;           ///< forward (higher-rank) neighbour rows
  std::vector<Vertex> out_adj;                    ///< forward neighbours, ascending
  std::vector<std::vector<std::uint32_t>> mark;   ///< per-thread stamps for triangle search
  std::vector<std::vector<std::uint64_t>> found;  ///< per-thread triangle counts (teams)
  std::vector<MultiBfsBuffers> bfs;               ///< per thread, for the mean path
};

/// Local clustering of v: triangles through v / (k(k-1)/2); 0 when degree < 2.
double local_clustering(const Graph& g, Vertex v);

/// All metrics. Mean path: BFS from `bfs_sources` distinct giant-component vertices
/// chosen with `s` (partial Fisher–Yates), or from every giant vertex when bfs_sources
/// is 0 or at least the giant size (then `s` is not drawn from).
Metrics compute_metrics(const Graph& g, const MetricsOptions& opt, rng::Stream& s);
Metrics compute_metrics(const Graph& g, const MetricsOptions& opt, rng::Stream& s,
                        MetricsWorkspace& work);

}  // namespace icn::graph
