#pragma once
// Sobol' sensitivity indices from a Saltelli design (layout in icn/design/saltelli.h).
//
// y is the per-point mean over replicates, centred by the mean c of the y_A and y_B of the
// complete blocks (a constant shift leaves every estimator's expectation alone and keeps
// the products small). With n complete blocks j, e = var / count the noise variance of a
// point's mean (point_stats.h), and mean_j the average over complete blocks:
//
//   V     = sample variance of the 2n values {y_A, y_B}                (denominator 2n - 1)
//           minus, with correct_noise, mean of {e_A, e_B}
//   S1_i  = mean_j[y_B (y_ABi - y_A)] / V                     Saltelli et al. (2010), (b)
//   ST_i  = (mean_j[(y_A - y_ABi)^2] / 2 - [correct_noise] mean_j[e_A + e_ABi] / 2) / V
//                                                             Jansen (1999)
//   S2_ik = mean_j[y_BAi y_ABk - y_A y_B] / V - S1_i - S1_k   (i != k; second-order designs)
//
// Why S2 works: BA_i takes x_i from A and the rest from B; AB_k takes x_k from B and the
// rest from A. So BA_i and AB_k share exactly x_i and x_k and are independent in every
// other input, giving E[f(BA_i) f(AB_k)] = f0^2 + V_i + V_k + V_ik (the closed variance of
// {i, k}), while E[f(A) f(B)] = f0^2 because A and B are independent. The difference over
// V is S_i + S_k + S_ik. This is Saltelli (2002)'s scheme as SALib implements it.
//
// Replicate noise adds e to the variance of each point's mean and is independent between
// points, so it leaves the expectations of the S1 and S2 numerators alone but inflates V
// and the ST numerator by exactly the terms correct_noise subtracts; with the correction the
// indices estimate those of E[y | x] without bias (points with count < 2 contribute e = 0).
//
// Confidence intervals: bootstrap sample b redraws n complete blocks with replacement
// (bootstrap.h) and recomputes every index; lo/hi are percentile intervals.
#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "icn/analysis/point_stats.h"
#include "icn/design/saltelli.h"

namespace icn::analysis {

struct SobolOptions {
  int bootstrap = 1000;       ///< resamples; 0 = no intervals (lo, hi are NaN)
  double confidence = 0.95;   ///< of the percentile intervals
  std::uint64_t seed = 1;     ///< of the bootstrap streams
  bool correct_noise = true;  ///< subtract the replicate-noise terms (header comment)
};

struct SobolResult {
  int dims = 0;
  std::int64_t blocks_used = 0;
  std::vector<std::int64_t> dropped_blocks;  ///< base samples j with an unusable point
  double variance = 0;                       ///< V, after the noise correction if any
  Eigen::VectorXd s1, s1_lo, s1_hi;
  Eigen::VectorXd st, st_lo, st_hi;
  /// D x D, symmetric, NaN on the diagonal; empty without second order.
  Eigen::MatrixXd s2, s2_lo, s2_hi;
  NoiseSummary noise;  ///< over the A and B points of the complete blocks
  int bootstrap = 0;
  double confidence = 0;
  bool noise_corrected = false;
};

/// Estimates the indices (header comment). Throws InputError when the statistics do not
/// match the layout, an option is out of range, or fewer than two blocks are complete.
/// Indices are NaN when V <= 0 (a constant output, or one drowned in noise).
SobolResult sobol_indices(const design::SaltelliLayout& layout, const PointStats& stats,
                          const SobolOptions& options = {});

}  // namespace icn::analysis
