#include "icn/graph/metrics.h"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <span>
#include <utility>

#include "icn/core/grow.h"
#include "icn/exec/buckets.h"
#include "icn/exec/openmp.h"
#include "icn/exec/owned_parts.h"

namespace icn::graph {
namespace {

// Vertices per chunk of the clustering/degree sums. Fixed, so the summation order (and
// hence every bit of the result) does not depend on the number of threads.
constexpr std::size_t kChunk = 256;
// Per-chunk partial sums: clustering, Σ k², Σ k³, Σ_v k_v Σ_{u~v} k_u.
constexpr std::size_t kSums = 4;

/// |a ∩ b| for sorted ranges without repeats. The merge advances by comparison results
/// instead of branching on them: which side is smaller is unpredictable.
std::uint64_t intersection_size(std::span<const Vertex> a, std::span<const Vertex> b) {
  std::uint64_t count = 0;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    const Vertex x = a[i];
    const Vertex y = b[j];
    count += static_cast<std::uint64_t>(x == y);
    i += static_cast<std::size_t>(x <= y);
    j += static_cast<std::size_t>(y <= x);
  }
  return count;
}

int thread_count(const MetricsOptions& opt) {
  return opt.threads > 0 ? opt.threads : exec::max_threads();
}

/// Whether u ranks above v in the forward algorithm's order: by degree, then index.
bool ranks_above(const Graph& g, Vertex u, Vertex v) {
  const std::uint32_t du = g.degree(u);
  const std::uint32_t dv = g.degree(v);
  return du != dv ? du > dv : u > v;
}

/// Triangles through every vertex, into work.triangles (exact integers, so the result
/// does not depend on the thread count). Forward algorithm (Schank & Wagner 2005):
/// orient every edge towards the endpoint of higher (degree, index) rank; each triangle
/// is then found exactly once, from its lowest-ranked vertex v, as a forward neighbour
/// u of v and a forward neighbour w of u that is also a forward neighbour of v. A
/// vertex has at most sqrt(2M) forward neighbours, so hubs cost O(M sqrt(M)) in all
/// instead of the O(k^2) of intersecting every pair of their neighbour lists.
void count_triangles(const Graph& g, int threads, MetricsWorkspace& work) {
  const std::uint32_t n = g.num_vertices();
  // Every entry but the first is written by the loop below (no clearing first).
  icn::resize_geometric(work.out_start, static_cast<std::size_t>(n) + 1);
  work.out_start[0] = 0;
  exec::for_owned_slots(n, threads, [&](Vertex v) {
    std::uint64_t forward = 0;
    for (const Vertex u : g.neighbors(v))
      forward += static_cast<std::uint64_t>(ranks_above(g, u, v));
    work.out_start[v + 1] = forward;
  });
  for (Vertex v = 0; v < n; ++v) work.out_start[v + 1] += work.out_start[v];
  work.out_adj.resize(work.out_start[n]);
  exec::for_owned_slots(n, threads, [&](Vertex v) {
    std::uint64_t at = work.out_start[v];
    for (const Vertex u : g.neighbors(v)) {
      if (ranks_above(g, u, v)) work.out_adj[at++] = u;
    }
  });
  const auto out = [&](Vertex v) {
    return std::span<const Vertex>(work.out_adj.data() + work.out_start[v],
                                   work.out_adj.data() + work.out_start[v + 1]);
  };
  // A triangle adds to the counts of its three vertices, which other threads' triangles
  // share: on a team each thread counts into its own array (atomic increments cost more
  // than the whole search on two threads) and the arrays are summed - exact integers.
  const auto teams = static_cast<std::size_t>(std::max(1, threads));
  work.mark.resize(teams);
  work.found.resize(teams);
  exec::OwnedParts vertices(n, threads, 64);
  std::size_t team = 1;  // the team OpenMP gives: only its members' arrays are summed
#pragma omp parallel num_threads(threads)
  {
    const auto me = static_cast<std::size_t>(exec::thread_id());
    if (me == 0) team = static_cast<std::size_t>(exec::team_size());
    auto& mark = work.mark[me];
    icn::refill(mark, n, 0);  // stamp v + 1 marks the forward neighbours of v
    std::vector<std::uint64_t>& tri = teams > 1 ? work.found[me] : work.triangles;
    icn::refill(tri, n, 0);
    vertices.run([&](Vertex v) {
      const auto ov = out(v);
      if (ov.size() < 2) return;
      for (const Vertex u : ov) mark[u] = v + 1;
      std::uint64_t at_v = 0;
      for (const Vertex u : ov) {
        std::uint64_t at_u = 0;
        for (const Vertex w : out(u)) {
          if (mark[w] != v + 1) continue;
          ++at_u;
          ++tri[w];
        }
        tri[u] += at_u;
        at_v += at_u;
      }
      tri[v] += at_v;
    });
  }
  if (teams == 1) return;
  icn::resize_geometric(work.triangles, n);  // every entry written below
  exec::for_owned_slots(n, threads, [&](Vertex v) {
    std::uint64_t sum = 0;
    for (std::size_t t = 0; t < team; ++t) sum += work.found[t][v];
    work.triangles[v] = sum;
  });
}

/// Labels components by BFS in vertex order; returns their sizes (label = index).
std::vector<std::uint32_t> label_components(const Graph& g, MetricsWorkspace& work) {
  const std::uint32_t n = g.num_vertices();
  constexpr std::uint32_t kUnseen = ~0u;
  icn::refill(work.component, n, kUnseen);
  work.queue.resize(n);
  std::vector<std::uint32_t> sizes;
  for (Vertex root = 0; root < n; ++root) {
    if (work.component[root] != kUnseen) continue;
    const auto label = static_cast<std::uint32_t>(sizes.size());
    std::size_t head = 0;
    std::size_t tail = 0;
    work.queue[tail++] = root;
    work.component[root] = label;
    while (head < tail) {
      const Vertex v = work.queue[head++];
      for (const Vertex u : g.neighbors(v)) {
        if (work.component[u] == kUnseen) {
          work.component[u] = label;
          work.queue[tail++] = u;
        }
      }
    }
    sizes.push_back(static_cast<std::uint32_t>(tail));
  }
  return sizes;
}

double mean_path(const Graph& g, const MetricsOptions& opt, int threads, rng::Stream& s,
                 MetricsWorkspace& work) {
  const auto giant_size = static_cast<std::uint32_t>(work.giant.size());
  if (giant_size < 2) return 0.0;
  std::uint32_t sources = giant_size;
  if (opt.bfs_sources > 0 && opt.bfs_sources < giant_size) {
    sources = opt.bfs_sources;
    // Partial Fisher–Yates: the first `sources` entries become a uniform sample.
    for (std::uint32_t i = 0; i < sources; ++i) {
      const std::uint32_t j = i + rng::below(s, giant_size - i);
      std::swap(work.giant[i], work.giant[j]);
    }
  }
  // Batches of at most 64 sources, one bit-parallel search each; on a team at least one
  // batch per thread while there are sources for it (a search shared by a team, its
  // neighbours' bits or-ed in atomically, took longer on two threads than alone; at most
  // 64 sources, compute_metrics runs this on one thread beside the triangle count). The
  // sum is an integer: exact in any grouping.
  const std::uint32_t batches = std::max<std::uint32_t>(
      (sources + kSearchSources - 1) / kSearchSources,
      std::min<std::uint32_t>(static_cast<std::uint32_t>(threads), sources));
  work.bfs.resize(static_cast<std::size_t>(threads));
  std::uint64_t total = 0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) reduction(+ : total)
  for (std::uint32_t b = 0; b < batches; ++b) {
    const auto lo = static_cast<std::size_t>(std::uint64_t{sources} * b / batches);
    const auto hi = static_cast<std::size_t>(std::uint64_t{sources} * (b + 1) / batches);
    total += multi_source_distance_sum(g, std::span<const Vertex>(work.giant.data() + lo, hi - lo),
                                       work.bfs[static_cast<std::size_t>(exec::thread_id())]);
  }
  return static_cast<double>(total) /
         (static_cast<double>(sources) * static_cast<double>(giant_size - 1));
}

}  // namespace

std::uint64_t multi_source_distance_sum(const Graph& g, std::span<const Vertex> sources,
                                        MultiBfsBuffers& b) {
  const std::uint32_t n = g.num_vertices();
  icn::refill(b.masks, n, MultiBfsBuffers::Masks{});
  // Each list holds each vertex at most once, plus the one slot a branch-free append
  // writes past its end.
  icn::resize_geometric(b.frontier, std::size_t{n} + 1);
  icn::resize_geometric(b.touched, std::size_t{n} + 1);
  std::size_t in_frontier = 0;
  for (std::size_t i = 0; i < std::min<std::size_t>(sources.size(), kSearchSources); ++i) {
    MultiBfsBuffers::Masks& at = b.masks[sources[i]];
    if (at.visit == 0) b.frontier[in_frontier++] = sources[i];
    at.seen |= std::uint64_t{1} << i;
    at.visit |= std::uint64_t{1} << i;
  }
  std::uint64_t total = 0;
  for (std::uint64_t level = 1; in_frontier > 0; ++level) {
    // The bits new at each frontier vertex go on to its neighbours. Branch-free: whether
    // a neighbour gains bits, and whether it is the first to give it any, are data the
    // predictor cannot learn (a quarter to a third less time at 10^5 vertices,
    // BM_DistanceSum).
    std::size_t reached = 0;
    for (std::size_t k = 0; k < in_frontier; ++k) {
      const std::uint64_t m = b.masks[b.frontier[k]].visit;
      for (const Vertex u : g.neighbors(b.frontier[k])) {
        MultiBfsBuffers::Masks& at = b.masks[u];
        const std::uint64_t fresh = m & ~at.seen;  // seen does not change in this pass
        b.touched[reached] = u;
        reached += static_cast<std::size_t>((at.reach == 0) & (fresh != 0));
        at.reach |= fresh;
      }
    }
    for (std::size_t k = 0; k < reached; ++k) {  // reached at this level by its bits' sources
      MultiBfsBuffers::Masks& at = b.masks[b.touched[k]];
      const std::uint64_t fresh = std::exchange(at.reach, 0);
      at.seen |= fresh;
      at.visit = fresh;  // (a new frontier vertex gets its visit bits anew)
      total += level * static_cast<std::uint64_t>(std::popcount(fresh));
    }
    std::swap(b.frontier, b.touched);  // the vertices reached are the next frontier
    in_frontier = reached;
  }
  return total;
}

double local_clustering(const Graph& g, Vertex v) {
  const auto nv = g.neighbors(v);
  const std::uint64_t k = nv.size();
  if (k < 2) return 0.0;
  std::uint64_t twice_triangles = 0;  // each triangle through v is seen from both ends
  for (const Vertex u : nv) twice_triangles += intersection_size(nv, g.neighbors(u));
  return static_cast<double>(twice_triangles) / static_cast<double>(k * (k - 1));
}

Metrics compute_metrics(const Graph& g, const MetricsOptions& opt, rng::Stream& s) {
  MetricsWorkspace work;
  return compute_metrics(g, opt, s, work);
}

namespace {

/// Clustering and assortativity (the triangles and the degree moments) on `threads`.
void clustering_and_assortativity(const Graph& g, int threads, MetricsWorkspace& work, Metrics& m) {
  const std::uint32_t n = g.num_vertices();
  const auto nd = static_cast<double>(n);
  const auto two_m = 2.0 * static_cast<double>(g.num_edges());
  // Clustering and the degree moments for assortativity, in fixed chunks.
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
  work.chunk_sums.assign(chunks * kSums, 0.0);
  const auto n_chunks = static_cast<std::int64_t>(chunks);
  count_triangles(g, threads, work);
#pragma omp parallel for schedule(dynamic, 4) num_threads(threads)
  for (std::int64_t c = 0; c < n_chunks; ++c) {
    const auto chunk = static_cast<std::size_t>(c);
    const auto end = static_cast<Vertex>(std::min<std::size_t>(n, (chunk + 1) * kChunk));
    double sums[kSums] = {0, 0, 0, 0};
    for (auto v = static_cast<Vertex>(chunk * kChunk); v < end; ++v) {
      const auto k = static_cast<double>(g.degree(v));
      double neighbour_degrees = 0;
      for (const Vertex u : g.neighbors(v)) neighbour_degrees += g.degree(u);
      // Exactly local_clustering(g, v): the same integer over the same integer.
      const std::uint64_t kk = g.degree(v);
      if (kk >= 2) {
        sums[0] += static_cast<double>(2 * work.triangles[v]) / static_cast<double>(kk * (kk - 1));
      }
      sums[1] += k * k;
      sums[2] += k * k * k;
      sums[3] += k * neighbour_degrees;
    }
    std::copy(sums, sums + kSums,
              work.chunk_sums.begin() + static_cast<std::ptrdiff_t>(chunk * kSums));
  }
  double totals[kSums] = {0, 0, 0, 0};
  for (std::size_t c = 0; c < chunks; ++c) {
    for (std::size_t i = 0; i < kSums; ++i) totals[i] += work.chunk_sums[c * kSums + i];
  }
  m.clustering = totals[0] / nd;

  // Newman (2002), eq. (4), written over the 2M directed edge ends: with sums S_j = Σ k²,
  // S_jj = Σ k³ and S_jk = Σ_v k_v Σ_{u~v} k_u, r = (2M S_jk − S_j²) / (2M S_jj − S_j²).
  if (two_m > 0) {
    const long double sj = totals[1];
    const long double num = static_cast<long double>(two_m) * totals[3] - sj * sj;
    const long double den = static_cast<long double>(two_m) * totals[2] - sj * sj;
    // A zero variance of degrees at edge ends (e.g. a regular graph) leaves r undefined.
    const long double scale = static_cast<long double>(two_m) * totals[2];
    if (den > 1e-12L * scale) m.assortativity = static_cast<double>(num / den);
  }
}

/// Components, the giant's share and the mean path on `threads`.
void components_and_path(const Graph& g, const MetricsOptions& opt, int threads, rng::Stream& s,
                         MetricsWorkspace& work, Metrics& m) {
  const std::uint32_t n = g.num_vertices();
  const std::vector<std::uint32_t> sizes = label_components(g, work);
  m.components = static_cast<std::uint32_t>(sizes.size());
  // The largest component; ties go to the one holding the smallest vertex id.
  const auto giant_label =
      static_cast<std::uint32_t>(std::max_element(sizes.begin(), sizes.end()) - sizes.begin());
  m.giant_share = sizes[giant_label] / static_cast<double>(n);
  exec::select_items(
      n, threads, [&](Vertex v) { return work.component[v] == giant_label; }, work.giant,
      work.select);
  m.mean_path = mean_path(g, opt, threads, s, work);
}

}  // namespace

Metrics compute_metrics(const Graph& g, const MetricsOptions& opt, rng::Stream& s,
                        MetricsWorkspace& work) {
  Metrics m;
  const std::uint32_t n = g.num_vertices();
  if (n == 0) return m;
  const auto nd = static_cast<double>(n);
  const auto two_m = 2.0 * static_cast<double>(g.num_edges());
  m.mean_degree = two_m / nd;
  m.density = n > 1 ? two_m / (nd * (nd - 1.0)) : 0.0;
  const int threads = thread_count(opt);
  // Sources for one bit-parallel search (the default's 32): a search shared by a team ran
  // no faster than alone (docs/performance.md, "Eighteenth session"), so on a team it
  // runs alone on one thread while another counts the triangles - the two parts share
  // no buffer, and each writes its own fields of m.
  if (threads > 1 && opt.bfs_sources > 0 && opt.bfs_sources <= kSearchSources) {
#pragma omp parallel sections num_threads(2)
    {
#pragma omp section
      components_and_path(g, opt, 1, s, work, m);
#pragma omp section
      clustering_and_assortativity(g, 1, work, m);
    }
    return m;
  }
  clustering_and_assortativity(g, threads, work, m);
  components_and_path(g, opt, threads, s, work, m);
  return m;
}

}  // namespace icn::graph
