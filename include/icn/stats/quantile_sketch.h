#pragma once
// Mergeable quantile sketch: exact for small samples, bounded rank error beyond.
//
// Values live in levels of compactors (in the manner of Karnin, Lang & Liberty's KLL,
// 2016, without its randomness): an item at level h stands for 2^h values. Level 0 takes
// new values; a level holding more than k items is sorted and compacted: every other
// item moves up one level, starting at position 0 or 1 alternately (a per-level counter
// decides, so the sketch stays a deterministic function of its inputs), and one item stays
// behind when the count is odd. Total weight always equals count().
//
// Exact regime: until level 0 first overflows (count() <= k, or merges of such sketches
// totalling <= k values) every value is kept and quantile() equals numpy's default
// "linear" rule (Hyndman & Fan type 7): with sorted x_0..x_{n-1}, h = q (n - 1),
//   Q(q) = x_floor(h) + (h - floor(h)) (x_floor(h)+1 - x_floor(h)).
// Beyond it the same rule runs on the weighted items, each item repeated by its weight.
//
// Rank error: one compaction at level h shifts the estimated rank of any value by at most
// 2^h, so rank_error_bound(), the sum of 2^h over all compactions so far, bounds
// |rank(y) - #{x <= y}| for every y. Each compaction at level h removes at least k items of
// weight 2^h from it and no weight enters a level twice, so level h compacts at most
// n / (k 2^h) times and, for n > k,
//   rank_error_bound() <= (n / k) (1 + log2(n / k))         (= rank_error_limit(n, k)),
// e.g. 4.7 % of n at n = 10^6 and k = 256 (the tracked bound there is about 3.1 %).
// That is the deterministic worst case; the alternating offsets make errors partly cancel,
// and the tests observe about 0.5 % of n at n = 10^6, k = 256, for uniform and Cauchy
// streams (the typical error scales like 1/k, so raise k where tails matter). Memory: at
// most k (2 + log2(n / k)) items, in practice about half that (1024 items at n = 10^6).
//
// Preconditions: values are not NaN (the caller rejects them). Merging needs equal k.
// Determinism: state, quantiles and bound are pure functions of the sequence of add()
// and merge() calls; merge order matters bitwise, so merge in a fixed order.
#include <cstdint>
#include <span>
#include <vector>

namespace icn::stats {

class QuantileSketch {
 public:
  static constexpr int kDefaultK = 256;

  /// k: values kept exactly and the capacity of every level; even, at least 8.
  explicit QuantileSketch(int k = kDefaultK);

  void add(double x) {
    levels_[0].push_back(x);
    ++n_;
    if (levels_[0].size() > static_cast<std::size_t>(k_)) compress();
  }

  /// Adds another sketch's values; throws RuntimeError when its k differs.
  void merge(const QuantileSketch& other);

  std::int64_t count() const { return n_; }
  int k() const { return k_; }
  /// True while every value is kept (no compaction has happened).
  bool exact() const { return bound_ == 0; }
  /// Items stored, over all levels.
  std::size_t retained() const;
  int levels() const { return static_cast<int>(levels_.size()); }

  /// The q-quantile, q in [0, 1] (InputError otherwise); NaN when empty.
  double quantile(double q) const;
  /// Several quantiles with one sort.
  std::vector<double> quantiles(std::span<const double> qs) const;
  /// Estimated number of values <= y (exact in the exact regime).
  std::int64_t rank(double y) const;

  /// Proven bound on |rank(y) - true rank| for every y, in values.
  std::int64_t rank_error_bound() const { return bound_; }
  /// The a-priori worst case of rank_error_bound() after n values: (n/k)(1 + log2(n/k)).
  static double rank_error_limit(std::int64_t n, int k);

  /// Appends the exact state.
  void save(std::vector<double>& out) const;
  /// Reads a state written by save() at in[pos..], advancing pos; throws RuntimeError.
  static QuantileSketch load(std::span<const double> in, std::size_t& pos);

  friend bool operator==(const QuantileSketch&, const QuantileSketch&) = default;

 private:
  struct Weighted {
    double value;
    std::int64_t weight;
  };
  void compress();
  void compact(std::size_t h);
  std::vector<Weighted> sorted_items() const;
  static double quantile_of(const std::vector<Weighted>& items, std::int64_t n, double q);

  int k_;
  std::int64_t n_ = 0;
  std::int64_t bound_ = 0;
  std::vector<std::vector<double>> levels_;
  std::vector<std::uint64_t> compactions_;  // per level; its parity picks the next offset
};

}  // namespace icn::stats
