#pragma once
// Morris elementary-effects screening (Morris 1991; mu* from Campolongo et al. 2007), on
// the per-point means of a Morris design (layout in icn/design/morris.h).
//
// Trajectory t moves factor i_k by the signed unit-space step d_k between its rows k and
// k + 1, so its elementary effect on i_k is EE = (y_{k+1} - y_k) / d_k. Over the r' complete
// trajectories (all D + 1 points usable):
//   mu_i = mean EE,   mu*_i = mean |EE|,   sigma_i = sample standard deviation of EE (r' - 1)
// Bootstrap intervals for mu* redraw r' trajectories with replacement (bootstrap.h).
//
// Replicate noise adds (e_k + e_{k+1}) / d_k^2 to the variance of an EE (e = var / count);
// ee_noise_sd reports the square root of its mean per factor, to set against mu* and sigma
// (mu* and sigma are not corrected: |.| makes noise bias mu* upward).
#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Core>

#include "icn/analysis/point_stats.h"
#include "icn/design/design.h"
#include "icn/design/morris.h"

namespace icn::analysis {

struct MorrisOptions {
  int bootstrap = 1000;      ///< resamples; 0 = no intervals
  double confidence = 0.95;  ///< of the percentile interval of mu*
  std::uint64_t seed = 1;    ///< of the bootstrap streams
};

struct MorrisResult {
  int dims = 0;
  std::int64_t trajectories_used = 0;
  std::vector<std::int64_t> dropped_trajectories;  ///< with an unusable point
  Eigen::VectorXd mu, mu_star, mu_star_lo, mu_star_hi, sigma;
  Eigen::VectorXd ee_noise_sd;  ///< per factor; 0 without replicates
  NoiseSummary noise;           ///< over all points of the complete trajectories
  /// Factors by decreasing mu* (ties by index): the screening order.
  std::vector<int> ranking;
  int bootstrap = 0;
  double confidence = 0;
};

/// From r trajectories of D steps each (`steps` holds r D entries, trajectory-major, as
/// design::morris_steps returns them) and the statistics of the r (D + 1) points.
/// Throws InputError on mismatched sizes, bad options, a zero or non-finite step, a
/// trajectory that does not move every factor once, or fewer than two complete trajectories.
MorrisResult morris_indices(int dims, std::span<const design::MorrisStep> steps,
                            const PointStats& stats, const MorrisOptions& options = {});

/// The same for a Morris design (kind kMorris), taking the steps from design.unit_points.
MorrisResult morris_indices(const design::Design& design, const PointStats& stats,
                            const MorrisOptions& options = {});

}  // namespace icn::analysis
