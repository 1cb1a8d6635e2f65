#pragma once
// Streaming count, mean, sum of squared deviations, min and max.
//
// Welford's update (1962) on data shifted by the first value seen: x - shift is exact for
// values within a factor of two of it, so a large common offset (1e9 + noise) costs no
// precision. Parts combine with Chan, Golub & LeVeque's pairwise formula (1979).
//
// Preconditions: values are finite; the caller rejects NaN (and infinities) before add(),
// because one NaN would silently poison every later statistic.
//
// Determinism: the state is a pure function of the sequence of add() and merge() calls,
// so feeding values in replicate order gives bit-identical results on any schedule.
// merge() is not bitwise commutative (a.merge(b) keeps a's shift), so merge in a fixed
// order too.
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace icn::stats {

class Moments {
 public:
  void add(double x) {
    if (n_ == 0) shift_ = x;
    ++n_;
    const double d = x - shift_;
    const double delta = d - mean_;
    mean_ += delta / static_cast<double>(n_);
    m2_ += delta * (d - mean_);
    if (x < min_) min_ = x;
    if (x > max_) max_ = x;
  }

  /// Adds another part's values as if they had been added here.
  void merge(const Moments& other);

  std::int64_t count() const { return n_; }
  /// NaN when empty.
  double mean() const {
    return n_ == 0 ? std::numeric_limits<double>::quiet_NaN() : shift_ + mean_;
  }
  /// Sum of squared deviations from the mean.
  double m2() const { return m2_; }
  /// Sample variance m2 / (n - 1); 0 for fewer than two values.
  double variance() const { return n_ < 2 ? 0.0 : m2_ / static_cast<double>(n_ - 1); }
  double stddev() const;
  /// Standard error of the mean, sqrt(variance / n); 0 for fewer than two values.
  double std_error() const;
  /// NaN when empty.
  double min() const { return n_ == 0 ? std::numeric_limits<double>::quiet_NaN() : min_; }
  double max() const { return n_ == 0 ? std::numeric_limits<double>::quiet_NaN() : max_; }

  /// Number of doubles save() appends.
  static constexpr std::size_t kSavedSize = 6;
  /// Appends the exact state (count, shift, shifted mean, m2, min, max).
  void save(std::vector<double>& out) const;
  /// Reads a state written by save() at in[pos..], advancing pos; throws RuntimeError when
  /// it is truncated or inconsistent.
  static Moments load(std::span<const double> in, std::size_t& pos);

  friend bool operator==(const Moments&, const Moments&) = default;

 private:
  std::int64_t n_ = 0;
  double shift_ = 0;  // the first value seen; mean_ is the mean of (x - shift_)
  double mean_ = 0;
  double m2_ = 0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
};

}  // namespace icn::stats
