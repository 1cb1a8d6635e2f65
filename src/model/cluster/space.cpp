#include "icn/model/cluster/space.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "icn/core/grow.h"
#include "icn/exec/buckets.h"
#include "icn/exec/openmp.h"
#include "icn/exec/owned_parts.h"

namespace icn::model::cluster {

namespace {
// Tie draws live in ticks from 2^31 up, far above any simulated tick, so they never
// share a counter with the per-tick streams.
constexpr std::uint32_t kTieTickBase = 0x80000000u;

struct Candidate {
  double d;
  std::uint32_t lo, hi;    // ids
  std::uint32_t slo, shi;  // slots
  bool operator<(const Candidate& o) const {
    return std::tie(d, lo, hi) < std::tie(o.d, o.lo, o.hi);
  }
};
}  // namespace

void CellGrid::build(const State& st, double min_cell, std::span<const std::uint8_t> include,
                     int threads) {
  n_ = std::max(1, static_cast<int>(std::floor(1.0 / std::max(min_cell, 1e-9))));
  n_ = std::min(n_, 4096);
  const auto cells = static_cast<std::uint32_t>(n_) * static_cast<std::uint32_t>(n_);
  slot_bound_ = st.slots();
  // Grouped in slot order, so each cell is sorted by slot (deterministic sampling).
  exec::group_by_bucket(
      st.slots(), cells, threads,
      [&](std::uint32_t s, auto&& emit) {
        if (include[s])
          emit(static_cast<std::uint32_t>(cell_index(st.y[s]) * n_ + cell_index(st.x[s])), s);
      },
      start_, order_, scratch_);
  const auto m = static_cast<std::int64_t>(order_.size());
  id_.resize(order_.size());
  x_.resize(order_.size());
  y_.resize(order_.size());
#pragma omp parallel for schedule(static) num_threads(threads)
  for (std::int64_t i = 0; i < m; ++i) {
    const auto k = static_cast<std::size_t>(i);
    id_[k] = st.id[order_[k]];
    x_[k] = st.x[order_[k]];
    y_[k] = st.y[order_[k]];
  }
  update_tracked(st, include);
}

std::size_t CellGrid::tracked_at(std::uint32_t centre_id, double radius) const {
  const auto key = std::make_pair(centre_id, radius);
  return static_cast<std::size_t>(
      std::lower_bound(tracked_.begin(), tracked_.end(), key,
                       [](const Tracked& t, const std::pair<std::uint32_t, double>& k) {
                         return std::make_pair(t.centre_id, t.radius) < k;
                       }) -
      tracked_.begin());
}

void CellGrid::track(std::uint32_t centre_id, double radius) {
  const std::size_t at = tracked_at(centre_id, radius);
  if (at < tracked_.size() && tracked_[at].centre_id == centre_id && tracked_[at].radius == radius)
    return;
  Tracked t;
  t.centre_id = centre_id;
  t.radius = radius;
  tracked_.insert(tracked_.begin() + static_cast<std::ptrdiff_t>(at), std::move(t));
}

void CellGrid::update_tracked(const State& st, std::span<const std::uint8_t> include) {
  const std::uint32_t n = st.slots();
  for (Tracked& t : tracked_) {
    t.fresh = false;
    t.slots.clear();
    const std::uint32_t c = st.slot_of(t.centre_id);
    if (c == kNone) continue;  // the centre left: nobody asks about it
    // The actors that arrived since the last build: the slots of the ids from next_id on
    // (slot order is id order). Many of them (the first build, a state that went back):
    // scan the cells as an untracked query would.
    const auto first_new = static_cast<std::uint32_t>(
        std::lower_bound(st.id.begin(), st.id.begin() + n, t.next_id) - st.id.begin());
    if (st.next_id() < t.next_id || n - first_new > t.ids.size()) {
      slots_within(*this, st.x[c], st.y[c], t.radius, t.slots);
      t.ids.clear();
      for (std::uint32_t s : t.slots) t.ids.push_back(st.id[s]);
    } else {
      // The actors that left dropped, in one pass with the slots of the others.
      std::size_t kept = 0;
      t.slots.resize(t.ids.size());
      for (std::uint32_t id : t.ids) {
        const std::uint32_t s = st.slot_of(id);
        if (s == kNone) continue;
        if (!include[s]) throw std::logic_error("CellGrid::track: an actor left the grid alive");
        t.ids[kept] = id;
        t.slots[kept++] = s;
      }
      t.ids.resize(kept);
      t.slots.resize(kept);
      const double limit = squared_limit(t.radius);
      for (std::uint32_t s = first_new; s < n; ++s) {
        if (include[s] && torus_distance2(st.x[c], st.y[c], st.x[s], st.y[s]) <= limit) {
          t.ids.push_back(st.id[s]);
          t.slots.push_back(s);
        }
      }
    }
    t.next_id = st.next_id();
    t.fresh = true;
  }
}

void CellGrid::slots_near_actor(const State& st, std::uint32_t centre, double radius,
                                std::vector<std::uint32_t>& out) const {
  const std::size_t at = tracked_at(st.id[centre], radius);
  if (at < tracked_.size()) {
    const Tracked& t = tracked_[at];
    if (t.fresh && t.centre_id == st.id[centre] && t.radius == radius) {
      out.assign(t.slots.begin(), t.slots.end());
      return;
    }
  }
  slots_within(*this, st.x[centre], st.y[centre], radius, out);
}

void CellGrid::copy_entries(const CellGrid& from, std::span<const std::uint32_t> picked,
                            int threads) {
  const auto m = static_cast<std::int64_t>(picked.size());
  order_.resize(picked.size());
  id_.resize(picked.size());
  x_.resize(picked.size());
  y_.resize(picked.size());
#pragma omp parallel for schedule(static) num_threads(threads) if (m >= 4096)
  for (std::int64_t i = 0; i < m; ++i) {
    const auto k = static_cast<std::size_t>(i);
    const std::uint32_t at = picked[k];
    order_[k] = from.order_[at];
    id_[k] = from.id_[at];
    x_[k] = from.x_[at];
    y_[k] = from.y_[at];
  }
}

rng::Stream tie_stream(rng::Key key, std::uint32_t tick, std::uint32_t actor_id) {
  return rng::Stream(key, kTieTickBase + tick, rng::Stage::kInit, actor_id);
}

double geo_tie_probability(double d, const Settings& set) {
  if (d > set.geo_cutoff) return 0.0;
  return set.p.geo_tie_prob * std::exp(-d / set.geo_d0);
}

bool below_exp(double u, double t) {
  if (t >= 0) return true;  // exp(t) >= 1 > u
  if (t >= -2.0) {
    constexpr double kMargin = 1e-12;
    const double t4 = 1 + t * (1 + t * (0.5 + t * (1.0 / 6 + t * (1.0 / 24))));
    const double t5 = t4 + t * t * t * t * t * (1.0 / 120);
    if (u < t5 - kMargin) return true;
    if (u >= t4 + kMargin) return false;
  }
  return u < std::exp(t);
}

bool geo_tie_drawn(double u, double d, const Settings& set) {
  // u < p0 exp(-d/d0)  <=>  d < d0 ln(p0/u). Most draws fail the first test; the bounds
  // 1 - 1/x <= ln x <= x - 1 settle most of the rest without a logarithm.
  const double p0 = set.p.geo_tie_prob;
  if (u >= p0 || d > set.geo_cutoff) return false;
  if (d < set.geo_d0 * (1.0 - u / p0)) return true;
  if (d >= set.geo_d0 * (p0 / u - 1.0)) return false;
  return d < set.geo_d0 * std::log(p0 / u);
}

namespace {

// One draw per visited candidate, in the grid's deterministic order, 32 bits each.
double next_tie_uniform(rng::Stream& rs) { return static_cast<double>(rs.next_u32()) * 0x1.0p-32; }

}  // namespace

void build_initial_geo_ties(State& st, const CellGrid& grid, std::span<const std::uint8_t> include,
                            const Settings& set, rng::Key key, int threads) {
  const auto n = static_cast<std::int64_t>(st.slots());
  const int teams = std::max(1, threads);
  std::vector<exec::Padded<std::vector<Candidate>>> found(static_cast<std::size_t>(teams));
  exec::OwnedParts searchers(static_cast<std::uint32_t>(n), teams, 64);
#pragma omp parallel num_threads(teams)
  {
    auto& mine = found[static_cast<std::size_t>(exec::thread_id())].value;
    searchers.run([&](std::uint32_t s) {
      if (!include[s]) return;
      // Each pair is drawn once, by its lower id, from that actor's tie stream.
      rng::Stream rs = tie_stream(key, 0, st.id[s]);
      const std::uint32_t me = st.id[s];
      const double x = st.x[s], y = st.y[s];
      const double cut2 = set.geo_cutoff * set.geo_cutoff;
      grid.for_each_cell_near(x, y, set.geo_cutoff, [&](std::uint32_t lo, std::uint32_t end) {
        // A cell lists its actors in slot (= id) order, so the partners with higher ids
        // are a suffix of it: found by bisection instead of testing every entry.
        std::uint32_t hi = end;
        while (lo < hi) {
          const std::uint32_t mid = lo + (hi - lo) / 2;
          if (grid.id(mid) <= me) {
            lo = mid + 1;
          } else {
            hi = mid;
          }
        }
        for (std::uint32_t k = lo; k < end; ++k) {
          const double dx = torus_delta(x, grid.x(k)), dy = torus_delta(y, grid.y(k));
          const double d2 = dx * dx + dy * dy;
          if (d2 > cut2) continue;  // drawn only within the cutoff
          const double d = std::sqrt(d2);
          if (geo_tie_drawn(next_tie_uniform(rs), d, set)) {
            mine.push_back({d, me, grid.id(k), s, grid.slot(k)});
          }
        }
      });
    });
  }
  std::vector<Candidate> all;
  for (auto& [f] : found) all.insert(all.end(), f.begin(), f.end());
  std::sort(all.begin(), all.end());
  for (const Candidate& c : all) st.add_geo_tie(c.slo, c.shi);
}

namespace {

// The accepted tie candidates of one entrant, sorted (nearest first, ties by ids).
//
// Each firm t of `grid` (the live firms with room for a tie) within the cutoff becomes
// a candidate independently with probability p(d) = geo_tie_prob exp(-d / d0). Drawing
// one uniform per firm would cost O(firms) per entrant - at the default density the
// cutoff (six decay lengths) covers the whole torus, so entry alone was O(entrants x
// firms). Instead, cell by cell, with the envelope q = p(nearest point of the cell) >=
// p(d) for every firm of the cell: proposals come every Geometric(q) entries (one draw
// per proposal, by inversion) and a proposal is accepted with probability p(d) / q -
// each firm is then taken with probability p(d), independently, as before, for
// O(cells + proposals) draws. Far cells have tiny envelopes and are mostly skipped in
// one draw.
void draw_entrant_geo_ties(const State& st, std::uint32_t entrant, const CellGrid& grid,
                           std::span<const std::uint32_t> others, const Settings& set, rng::Key key,
                           std::uint32_t tick, std::vector<Candidate>& found) {
  found.clear();
  rng::Stream rs = tie_stream(key, tick, st.id[entrant]);
  const auto take = [&](std::uint32_t t, double d) {
    found.push_back(
        {d, std::min(st.id[t], st.id[entrant]), std::max(st.id[t], st.id[entrant]), t, entrant});
  };
  const double x = st.x[entrant], y = st.y[entrant];
  grid.for_each_cell_bounded(
      x, y, set.geo_cutoff, [&](std::uint32_t begin, std::uint32_t end, double nearest) {
        const double q = geo_tie_probability(nearest, set);
        if (begin == end || q <= 0.0) return;
        const double log_miss = q < 1.0 ? std::log1p(-q) : 0.0;
        for (std::uint32_t k = begin;; ++k) {
          if (q < 1.0) {  // entries skipped before the next proposal
            const double skip = std::floor(std::log(1.0 - rng::uniform(rs)) / log_miss);
            if (skip >= static_cast<double>(end - k)) break;
            k += static_cast<std::uint32_t>(skip);
          }
          if (k >= end) break;
          const std::uint32_t t = grid.slot(k);
          if (t == entrant || !st.alive[t]) continue;
          const double d = torus_distance(x, y, grid.x(k), grid.y(k));
          if (d > set.geo_cutoff) continue;
          if (below_exp(rng::uniform(rs), (nearest - d) / set.geo_d0)) take(t, d);  // p(d) / q
        }
      });
  // Entrants admitted earlier in the tick (not in the grid): one draw each.
  for (std::uint32_t t : others) {
    if (t == entrant || !st.alive[t]) continue;
    const double d = torus_distance(x, y, st.x[t], st.y[t]);
    if (d > set.geo_cutoff) continue;
    if (geo_tie_drawn(next_tie_uniform(rs), d, set)) take(t, d);
  }
  std::sort(found.begin(), found.end());
}

}  // namespace

void add_entrants_geo_ties(State& st, std::span<const std::uint32_t> entrants, const CellGrid& grid,
                           CellGrid& open, const Settings& set, rng::Key key, std::uint32_t tick,
                           int threads) {
  if (entrants.empty()) return;
  // At the default density an entrant drew about 66 candidates, and 83 % of them were
  // firms already at the cap (a 300-tick default run), refused when the ties are added:
  // those are left out of the draws (ties are only added below, so a firm at the cap
  // now is still at it then).
  open.build_subset(
      grid, [&](std::uint32_t s) { return st.alive[s] && !st.geo_full(s); }, threads);
  // Kept between ticks so that the candidates' buffers keep their capacity. The team
  // reaches the calling thread's buffers through a reference: inside the parallel loop
  // the thread_local name would be each worker's own (empty) one.
  // Padded: neighbouring entrants go to different threads, and each push_back writes its
  // buffer's header.
  thread_local std::vector<exec::Padded<std::vector<Candidate>>> buffers;
  std::vector<exec::Padded<std::vector<Candidate>>>& found = buffers;
  const auto n = static_cast<std::int64_t>(entrants.size());
  if (found.size() < entrants.size()) found.resize(entrants.size());
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) if (n > 1 && threads > 1)
  for (std::int64_t i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    draw_entrant_geo_ties(st, entrants[k], open, entrants.first(k), set, key, tick, found[k].value);
  }
  // Added in entry order (the caps make the order matter), serially. One side of a tie is
  // an established firm anywhere in memory, so the rows of the tie kAhead places on are
  // prefetched (at 10^5 firms the loop otherwise waits for a cache miss per tie).
  constexpr std::size_t kAhead = 8;
  std::size_t ak = 0, ai = 0;  // the tie kAhead places on: found[ak].value[ai]
  const auto next = [&](std::size_t& k, std::size_t& i) {
    for (++i; k < entrants.size() && i >= found[k].value.size(); i = 0) ++k;
  };
  ai = static_cast<std::size_t>(-1);
  for (std::size_t step = 0; step <= kAhead; ++step) next(ak, ai);
  for (std::size_t k = 0; k < entrants.size(); ++k) {
    for (const Candidate& c : found[k].value) {
      if (ak < entrants.size()) {
        const Candidate& a = found[ak].value[ai];
        st.prefetch_geo(a.slo);
        st.prefetch_geo(a.shi);
        next(ak, ai);
      }
      st.add_geo_tie(c.slo, c.shi);
    }
  }
}

double squared_limit(double radius) {
  if (!(radius >= 0)) return -1.0;  // negative or NaN: no distance is within it
  if (std::isinf(radius)) return radius;
  double t = radius * radius;
  while (t > 0 && std::sqrt(t) > radius) t = std::nextafter(t, 0.0);
  for (;;) {
    const double up = std::nextafter(t, std::numeric_limits<double>::infinity());
    if (!(std::sqrt(up) <= radius)) return t;
    t = up;
  }
}

void slots_within(const CellGrid& grid, double x, double y, double radius,
                  std::vector<std::uint32_t>& out) {
  out.clear();
  const double limit = squared_limit(radius);
  grid.for_each_cell_near(x, y, radius, [&](std::uint32_t begin, std::uint32_t end) {
    for (std::uint32_t k = begin; k < end; ++k) {
      if (torus_distance2(x, y, grid.x(k), grid.y(k)) <= limit) out.push_back(grid.slot(k));
    }
  });
  // Into slot order. The cells come out in their own order, each ascending inside; when
  // the hits are many for the range of slots (a wide radius: a university's broadcast, an
  // intermediary's registry at the default density) a bitmap of the slots orders them in
  // O(slots / 64 + hits) instead of a sort's O(hits log hits).
  const std::size_t words = (static_cast<std::size_t>(grid.slot_bound()) + 63) / 64;
  if (out.size() * 8 < words) {
    std::sort(out.begin(), out.end());
    return;
  }
  thread_local std::vector<std::uint64_t> bits;
  icn::refill(bits, words, 0);
  for (std::uint32_t s : out) bits[s / 64] |= std::uint64_t{1} << (s % 64);
  out.clear();
  for (std::size_t w = 0; w < words; ++w) {
    for (std::uint64_t b = bits[w]; b != 0; b &= b - 1) {
      out.push_back(
          static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(b))));
    }
  }
}

int draw_firm_location(std::span<const double> centres, const Settings& set, rng::Stream& rs,
                       double& x, double& y) {
  const std::size_t blobs = centres.size() / 2;
  if (blobs == 0 || rng::bernoulli(rs, set.p.uniform_share)) {
    x = rng::uniform(rs);
    y = rng::uniform(rs);
    return -1;
  }
  const std::uint32_t b = rng::below(rs, static_cast<std::uint32_t>(blobs));
  x = wrap_unit(centres[2 * b] + rng::normal(rs, 0.0, set.p.blob_sd));
  y = wrap_unit(centres[2 * b + 1] + rng::normal(rs, 0.0, set.p.blob_sd));
  return static_cast<int>(b);
}

}  // namespace icn::model::cluster
