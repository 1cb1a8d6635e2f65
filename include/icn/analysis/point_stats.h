#pragma once
// What the sensitivity estimators read about each design point: the summary of its
// replicates, never the replicates themselves, so an analysis can run on a results file
// (or a partial one) without holding every run.
//
// Conventions (the ensemble driver stores exactly these per point and output):
//   count  replicates that finished (0: all failed, or the point was never run)
//   mean   mean over those replicates
//   var    sample variance over those replicates, denominator count - 1; it is only read
//          when count >= 2 (one replicate says nothing about the noise)
// A point is usable when count > 0 and its mean is finite. The estimators work on the
// per-point means, so they estimate the indices of E[y | x]; the replicate noise enters
// through noise_var() = var / count, the variance of a point's mean.
#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Core>

namespace icn::analysis {

struct PointStats {
  Eigen::VectorXd count;
  Eigen::VectorXd mean;
  Eigen::VectorXd var;

  /// Points with one replicate each (count 1, var 0): deterministic outputs.
  static PointStats from_values(const Eigen::VectorXd& y);

  std::int64_t size() const { return mean.size(); }
  bool usable(std::int64_t k) const;
  /// Variance of point k's mean (var / count), 0 when count < 2.
  double noise_var(std::int64_t k) const;
  /// Whether any point has count >= 2, i.e. whether the noise could be estimated at all.
  bool has_replicates() const;
  /// Throws InputError (naming `what`) unless the three vectors have `rows` entries and
  /// counts and variances are non-negative.
  void check(std::int64_t rows, const char* what) const;
};

/// How much of the spread of the per-point means is replicate noise.
///   between    variance of the per-point means across the points used (denominator m - 1)
///   within     mean over the same points of var, the raw replicate variance
///   noise      mean of var / count, the variance the noise adds to a point's mean
///   share      noise / between: about 0 when the indices describe the model, near 1 when
///              they describe the noise; NaN when no point has two replicates
struct NoiseSummary {
  double between = 0;
  double within = 0;
  double noise = 0;
  double share = 0;
  bool estimated = false;  ///< false when no used point had count >= 2
};

/// The noise summary over the given points (at least two).
NoiseSummary summarize_noise(const PointStats& stats, std::span<const std::int64_t> rows);

}  // namespace icn::analysis
