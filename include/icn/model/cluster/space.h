#pragma once
// The unit torus, a cell grid for neighbour queries and the geographic ties of
// MODEL.md sections 2 and 4.1. No query ever looks at all pairs: the grid limits every
// search to the cells that cover the search radius.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "icn/core/rng.h"
#include "icn/exec/buckets.h"
#include "icn/model/cluster/params.h"
#include "icn/model/cluster/state.h"

namespace icn::model::cluster {

/// Shortest distance along one axis of the unit torus.
inline double torus_delta(double a, double b) {
  const double d = std::fabs(a - b);
  // d > 0.5 ? 1 - d : d, as a minimum (one instruction, no branch on the data): for
  // d <= 0.5, 1 - d >= 0.5 >= d even after rounding, and at d = 0.5 both are 0.5.
  return std::min(d, 1.0 - d);
}
/// Squared toroidal Euclidean distance.
inline double torus_distance2(double x1, double y1, double x2, double y2) {
  const double dx = torus_delta(x1, x2);
  const double dy = torus_delta(y1, y2);
  return dx * dx + dy * dy;
}
/// Toroidal Euclidean distance.
inline double torus_distance(double x1, double y1, double x2, double y2) {
  return std::sqrt(torus_distance2(x1, y1, x2, y2));
}
/// The largest squared distance whose square root is at most `radius`: since sqrt is
/// correctly rounded and monotone, torus_distance2(...) <= squared_limit(r) is exactly
/// torus_distance(...) <= r, without the square root. Negative for a negative or NaN
/// radius (nothing is within it).
double squared_limit(double radius);
/// Maps a coordinate into [0, 1).
inline double wrap_unit(double v) {
  v -= std::floor(v);
  return v >= 1.0 ? 0.0 : v;
}

/// Actors bucketed into square cells of the torus (counting sort by cell).
class CellGrid {
 public:
  /// Buckets the slots whose `include` flag is set, with cells at least `min_cell` wide
  /// (the same grid for any number of `threads`).
  void build(const State& st, double min_cell, std::span<const std::uint8_t> include,
             int threads = 1);
  /// The entries of `from` whose slot `keep` accepts, in the same cells and the same
  /// order: the sub-grid of those actors (its entries are copied; `from` may change
  /// afterwards). O(entries + cells); the same grid for any number of `threads`.
  template <class Keep>
  void build_subset(const CellGrid& from, Keep&& keep, int threads = 1);
  /// Calls f(begin, end) for the bucketed entries (see slot(), id(), x(), y()) of each cell
  /// that covers a disc of `radius` around (x, y) - a superset of those within the radius -
  /// in a fixed order: cells row by row, slots ascending within a cell.
  template <class F>
  void for_each_cell_near(double x, double y, double radius, F&& f) const {
    const int r = rings(radius);
    if (2 * r + 1 >= n_) {
      for (std::size_t c = 0; c + 1 < start_.size(); ++c) f(start_[c], start_[c + 1]);
      return;
    }
    const int cx = cell_index(x), cy = cell_index(y);
    for (int dy = -r; dy <= r; ++dy) {
      const int row = ((cy + dy) % n_ + n_) % n_;
      for (int dx = -r; dx <= r; ++dx) {
        const auto c = static_cast<std::size_t>(row * n_ + ((cx + dx) % n_ + n_) % n_);
        f(start_[c], start_[c + 1]);
      }
    }
  }
  /// As for_each_cell_near, calling f(begin, end, nearest) with a lower bound `nearest`
  /// on the distance from (x, y) to any point of the cell (0 for the cell holding it).
  template <class F>
  void for_each_cell_bounded(double x, double y, double radius, F&& f) const {
    const int r = rings(radius);
    const auto visit = [&](int col, int row) {
      const auto c = static_cast<std::size_t>(row * n_ + col);
      const double gx = axis_gap(x, col), gy = axis_gap(y, row);
      f(start_[c], start_[c + 1], std::sqrt(gx * gx + gy * gy));
    };
    if (2 * r + 1 >= n_) {
      for (int row = 0; row < n_; ++row) {
        for (int col = 0; col < n_; ++col) visit(col, row);
      }
      return;
    }
    const int cx = cell_index(x), cy = cell_index(y);
    for (int dy = -r; dy <= r; ++dy) {
      for (int dx = -r; dx <= r; ++dx)
        visit(((cx + dx) % n_ + n_) % n_, ((cy + dy) % n_ + n_) % n_);
    }
  }
  // Entry k of the grid: the actor's slot, id and location (copied in grid order so that
  // scans read memory sequentially).
  std::uint32_t slot(std::uint32_t k) const { return order_[k]; }
  std::uint32_t id(std::uint32_t k) const { return id_[k]; }
  double x(std::uint32_t k) const { return x_[k]; }
  double y(std::uint32_t k) const { return y_[k]; }
  /// Uniform draws among the bucketed slots of the cells covering `radius` around
  /// (x, y), at most `tries` of them; returns the first slot `accept` takes, or kNone.
  template <class Accept>
  std::uint32_t sample_near(double x, double y, double radius, rng::Stream& rs, int tries,
                            Accept&& accept) const;
  std::uint32_t size() const { return static_cast<std::uint32_t>(order_.size()); }
  /// One past the largest slot the grid can hold (the state's slots when it was built).
  std::uint32_t slot_bound() const { return slot_bound_; }

  /// Keeps, from the next build() on, the list of the grid's actors within `radius` of the
  /// actor with id `centre_id`, for slots_near_actor(). Actors never move, so such a list
  /// changes only by entry and exit: each build drops the actors that left it and tests
  /// only those that arrived since the last build (or scans the cells again when the
  /// arrivals outnumber the list), where an untracked query scans every cell near the
  /// centre - at the default density a university's or an intermediary's disc holds a
  /// third of the cluster, and those 15 scans a tick were 3 % of its instructions.
  /// Contract: the grid is built from one state as it evolves, and `include` decides
  /// once per actor (an included actor stays so until it exits; an excluded one is never
  /// included later) - as alive && is_firm does.
  void track(std::uint32_t centre_id, double radius);
  /// The grid's slots within `radius` of the actor at slot `centre`, ascending: exactly
  /// slots_within(*this, st.x[centre], st.y[centre], radius, out) - kept from build to
  /// build for a tracked centre, found by scanning the cells otherwise.
  void slots_near_actor(const State& st, std::uint32_t centre, double radius,
                        std::vector<std::uint32_t>& out) const;

 private:
  int cell_index(double v) const {
    const int c = static_cast<int>(v * n_);
    return c >= n_ ? n_ - 1 : c;
  }
  int rings(double radius) const { return static_cast<int>(std::ceil(radius * n_)); }
  /// Distance along one torus axis from v to the cell [c / n, (c + 1) / n], less a hair
  /// (so that rounding never makes it exceed the distance to a point of the cell).
  double axis_gap(double v, int c) const {
    const double lo = static_cast<double>(c) / n_, hi = static_cast<double>(c + 1) / n_;
    if (v >= lo && v <= hi) return 0.0;
    return std::max(0.0, std::min(torus_delta(v, lo), torus_delta(v, hi)) - 1e-12);
  }

  /// Copies entry from.k of `from` into entry k (slot, id and location).
  void copy_entries(const CellGrid& from, std::span<const std::uint32_t> picked, int threads);
  /// Brings the tracked lists up to the state the grid was just built from.
  void update_tracked(const State& st, std::span<const std::uint8_t> include);
  /// Where (centre_id, radius) is or would go in tracked_.
  std::size_t tracked_at(std::uint32_t centre_id, double radius) const;

  struct Tracked {
    std::uint32_t centre_id = 0;
    double radius = 0;
    bool fresh = false;                ///< the list is that of the last build
    std::uint32_t next_id = 0;         ///< every actor with a lower id has been tested
    std::vector<std::uint32_t> ids;    ///< the grid's actors within the radius, ascending
    std::vector<std::uint32_t> slots;  ///< their slots at the last build
  };
  std::vector<Tracked> tracked_;  ///< sorted by (centre_id, radius)

  int n_ = 1;
  std::uint32_t slot_bound_ = 0;
  std::vector<std::uint32_t> start_;  ///< n_*n_ + 1 offsets into order_
  std::vector<std::uint32_t> order_;  ///< slots, by cell then slot
  exec::BucketScratch scratch_;       ///< build's per-thread counts
  std::vector<std::uint32_t> id_;
  std::vector<double> x_, y_;
  std::vector<std::uint32_t> picked_;  ///< build_subset's entries of `from`
  exec::SelectScratch select_;         ///< build_subset's per-thread lists
};

template <class Keep>
void CellGrid::build_subset(const CellGrid& from, Keep&& keep, int threads) {
  n_ = from.n_;
  slot_bound_ = from.slot_bound_;
  for (Tracked& t : tracked_) t.fresh = false;  // a subset is not kept up to date
  exec::select_items(
      from.size(), threads, [&](std::uint32_t k) { return keep(from.order_[k]); }, picked_,
      select_);
  // A cell's entries begin where the first picked entry at or after its start in `from`
  // is: one merge of the two ascending lists.
  start_.resize(from.start_.size());
  std::size_t j = 0;
  for (std::size_t c = 0; c < start_.size(); ++c) {
    while (j < picked_.size() && picked_[j] < from.start_[c]) ++j;
    start_[c] = static_cast<std::uint32_t>(j);
  }
  copy_entries(from, picked_, threads);
}

template <class Accept>
std::uint32_t CellGrid::sample_near(double x, double y, double radius, rng::Stream& rs, int tries,
                                    Accept&& accept) const {
  if (order_.empty()) return kNone;
  const int r = rings(radius);
  constexpr int kMaxRanges = 25;  // up to 5 x 5 cells; wider searches use the whole grid
  std::uint32_t lo[kMaxRanges], hi[kMaxRanges];
  int n_ranges = 0;
  std::uint32_t total = 0;
  if (2 * r + 1 >= n_ || (2 * r + 1) * (2 * r + 1) > kMaxRanges) {
    lo[0] = 0;
    hi[0] = size();
    n_ranges = 1;
    total = size();
  } else {
    const int cx = cell_index(x), cy = cell_index(y);
    for (int dy = -r; dy <= r; ++dy) {
      const int row = ((cy + dy) % n_ + n_) % n_;
      for (int dx = -r; dx <= r; ++dx) {
        const auto c = static_cast<std::size_t>(row * n_ + ((cx + dx) % n_ + n_) % n_);
        lo[n_ranges] = start_[c];
        hi[n_ranges] = start_[c + 1];
        total += hi[n_ranges] - lo[n_ranges];
        ++n_ranges;
      }
    }
  }
  if (total == 0) return kNone;
  for (int t = 0; t < tries; ++t) {
    std::uint32_t k = rng::below(rs, total);
    int i = 0;
    while (k >= hi[i] - lo[i]) {
      k -= hi[i] - lo[i];
      ++i;
    }
    const std::uint32_t v = order_[lo[i] + k];
    if (accept(v)) return v;
  }
  return kNone;
}

/// The stream of an actor's geographic-tie draws: at start (tick 0) an actor draws for
/// its pairs with higher ids, one 32-bit uniform per candidate within the cutoff in the
/// grid's (deterministic) order; an entrant at `tick` draws for all its pairs
/// (add_entrants_geo_ties).
rng::Stream tie_stream(rng::Key key, std::uint32_t tick, std::uint32_t actor_id);

/// Probability of a geographic tie at distance d: geo_tie_prob * exp(-d / d0) within the
/// cutoff, 0 beyond it.
double geo_tie_probability(double d, const Settings& set);
/// Whether the draw u makes a tie at distance d (u < geo_tie_probability(d), evaluated
/// without exp).
bool geo_tie_drawn(double u, double d, const Settings& set);

/// u < std::exp(t) for a draw u in [0, 1), always as std::exp decides it, but with the
/// exponential evaluated only when u falls between two bounds: for t <= 0 the Taylor
/// polynomials of degrees 5 and 4 bound exp(t) from below and above, and a margin covers
/// their rounding and exp's own error (under one ulp).
bool below_exp(double u, double t);

/// Draws the geographic ties among the included actors of an initial population;
/// accepted pairs are added nearest first (ties broken by ids) while both ends have fewer
/// than geo_tie_max ties.
void build_initial_geo_ties(State& st, const CellGrid& grid, std::span<const std::uint8_t> include,
                            const Settings& set, rng::Key key, int threads);

/// Ties of the entrants of a tick to the live actors in `grid` and to each other, by the
/// same rule as the initial ties (each pair within the cutoff with probability
/// geo_tie_probability): entrant i draws from its own stream (tick and id) for the grid's
/// actors - cell by cell under an envelope, so only O(cells + proposals) draws - and then
/// one draw for each of entrants 0..i-1. The draws read nothing the ties change,
/// so they run in parallel on `threads`; the ties are then added in entrant order, since
/// the geo_tie_max cap makes the order matter. Firms that already have geo_tie_max ties
/// would refuse any tie, so the draws are made among the others only (`open`, the
/// caller's scratch, becomes the sub-grid of the live firms with room for a tie): the
/// same independent Bernoulli(p(d)) for every firm that can still take a tie.
void add_entrants_geo_ties(State& st, std::span<const std::uint32_t> entrants, const CellGrid& grid,
                           CellGrid& open, const Settings& set, rng::Key key, std::uint32_t tick,
                           int threads);

/// The bucketed slots within `radius` of (x, y) on the torus, ascending: the same slots,
/// in the same order, as a scan of every slot would find, for the cost of the cells near
/// the point (a scan per university or intermediary made those O(N) each).
void slots_within(const CellGrid& grid, double x, double y, double radius,
                  std::vector<std::uint32_t>& out);

/// Initial firm location: a uniform point with probability uniform_share, else a point of
/// a Gaussian blob around one of `centres` (x0, y0, x1, y1, ...). Returns the blob index,
/// or -1 for a uniform point.
int draw_firm_location(std::span<const double> centres, const Settings& set, rng::Stream& rs,
                       double& x, double& y);

}  // namespace icn::model::cluster
