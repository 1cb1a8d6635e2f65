#pragma once
// Latin hypercube sampling (McKay, Beckman & Conover 1979).
#include <cstdint>

#include <Eigen/Core>

namespace icn::design {

/// n × dims points in [0,1)^dims with exactly one point in each stratum [k/n, (k+1)/n)
/// of every dimension: a random permutation of the strata per dimension and a uniform
/// jitter within each stratum, both keyed by seed.
Eigen::MatrixXd latin_hypercube(std::int64_t n, int dims, std::uint64_t seed);

}  // namespace icn::design
