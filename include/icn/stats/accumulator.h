#pragma once
// The per-statistic accumulator of an ensemble: moments plus a quantile sketch.
//
// Determinism contract: the driver feeds each design point's values in replicate order
// (replicate 0, 1, 2, ...) whatever order the replicates finished in, and merges partial
// accumulators in a fixed order (e.g. by rank, then by chunk). Both parts of the state
// are pure functions of the sequence of add() and merge() calls, so results are
// bit-identical for any number of threads, ranks or schedule. merge() is not bitwise
// commutative; a different merge order changes the last bits of the moments and the
// sketch's choice of kept items (within its documented bounds).
//
// Preconditions: values are finite; the caller rejects NaN before add().
#include <cstdint>
#include <span>
#include <vector>

#include "icn/stats/moments.h"
#include "icn/stats/quantile_sketch.h"

namespace icn::stats {

class Accumulator {
 public:
  /// quantile_k: values kept exactly before the quantile sketch starts compacting.
  explicit Accumulator(int quantile_k = QuantileSketch::kDefaultK) : sketch_(quantile_k) {}

  void add(double x) {
    moments_.add(x);
    sketch_.add(x);
  }
  /// Throws RuntimeError when the sketches' k differ.
  void merge(const Accumulator& other);

  const Moments& moments() const { return moments_; }
  const QuantileSketch& sketch() const { return sketch_; }
  std::int64_t count() const { return moments_.count(); }
  double mean() const { return moments_.mean(); }
  double variance() const { return moments_.variance(); }
  double quantile(double q) const { return sketch_.quantile(q); }

  /// The whole state as a flat vector of doubles (integers stored exactly), led by a
  /// format tag and version; what a checkpoint stores.
  std::vector<double> serialize() const;
  /// Inverse of serialize(); throws RuntimeError on a truncated, foreign or inconsistent
  /// vector (including trailing data).
  static Accumulator deserialize(std::span<const double> state);

  friend bool operator==(const Accumulator&, const Accumulator&) = default;

 private:
  Moments moments_;
  QuantileSketch sketch_;
};

}  // namespace icn::stats
