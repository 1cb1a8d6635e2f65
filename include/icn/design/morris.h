#pragma once
// Morris's elementary-effects screening design (Morris 1991, "Factorial sampling plans
// for preliminary computational experiments", Technometrics 33).
//
// The unit cube is cut into a p-level grid {0, 1/(p-1), ..., 1} (p even) and every step
// moves one factor by Δ = p / (2 (p - 1)), i.e. p/2 grid cells. A trajectory starts at a
// random grid point from which each factor can move by Δ in a random direction, then moves
// the factors one at a time in a random order.
//
// Layout: trajectory t occupies rows t (D + 1) .. t (D + 1) + D; row k + 1 differs from
// row k in exactly one factor, and each factor changes exactly once per trajectory.
#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "icn/design/design.h"

namespace icn::design {

/// Δ of a p-level Morris grid in unit space.
inline double morris_delta(int levels) { return levels / (2.0 * (levels - 1)); }

/// r (D + 1) × D unit points on the p-level grid; throws InputError unless p is even and
/// at least 2, r >= 1 and D >= 1.
Eigen::MatrixXd morris_unit(int trajectories, int dims, int levels, std::uint64_t seed);

/// The move from one row of a trajectory to the next.
struct MorrisStep {
  int factor = 0;   ///< which factor changed
  double step = 0;  ///< signed change in unit space: exactly +Δ or -Δ
};

/// The D steps of trajectory t of a morris design (rows t (D + 1) + k -> + k + 1).
std::vector<MorrisStep> morris_steps(const Design& design, std::int64_t trajectory);

}  // namespace icn::design
