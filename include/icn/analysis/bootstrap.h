#pragma once
// Resampling by keyed random streams: bootstrap sample b of a study draws from
// rng::Stream(Key::from_seed(seed), b, Stage::kAnalysis, 0), so an interval is a pure
// function of (data, seed, number of resamples), the same on any thread count.
#include <cstdint>
#include <span>
#include <vector>

namespace icn::analysis {

/// How many times each of n units (blocks, trajectories) appears in bootstrap sample b:
/// n draws with replacement. Writes n counts summing to n into `times`.
void bootstrap_counts(std::uint64_t seed, std::uint32_t b, std::span<int> times);

/// The percentile interval [q((1 - c)/2), q((1 + c)/2)] of the finite values in `values`
/// (reordered in place), with linearly interpolated quantiles (Hyndman & Fan type 7).
/// NaN, NaN when fewer than two values are finite.
struct Interval {
  double lo;
  double hi;
};
Interval percentile_interval(std::span<double> values, double confidence);

/// Throws InputError unless 0 < confidence < 1 and resamples >= 0.
void check_bootstrap_options(int resamples, double confidence, const char* what);

}  // namespace icn::analysis
