#include "icn/analysis/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "icn/core/error.h"
#include "icn/core/rng.h"

namespace icn::analysis {

void bootstrap_counts(std::uint64_t seed, std::uint32_t b, std::span<int> times) {
  std::fill(times.begin(), times.end(), 0);
  if (times.empty()) return;
  rng::Stream s(rng::Key::from_seed(seed), b, rng::Stage::kAnalysis, 0);
  const auto n = static_cast<std::uint32_t>(times.size());
  for (std::uint32_t k = 0; k < n; ++k) ++times[rng::below(s, n)];
}

Interval percentile_interval(std::span<double> values, double confidence) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const auto finite_end =
      std::partition(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
  const auto m = static_cast<std::size_t>(finite_end - values.begin());
  if (m < 2) return {kNaN, kNaN};
  std::sort(values.begin(), finite_end);
  // Type 7: q(p) interpolates between order statistics at h = (m - 1) p.
  const auto quantile = [&](double p) {
    const double h = static_cast<double>(m - 1) * p;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, m - 1);
    return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
  };
  return {quantile(0.5 * (1.0 - confidence)), quantile(0.5 * (1.0 + confidence))};
}

void check_bootstrap_options(int resamples, double confidence, const char* what) {
  if (resamples < 0) {
    throw InputError(std::string(what) + ": bootstrap resamples must be >= 0, got " +
                     std::to_string(resamples));
  }
  if (!(confidence > 0.0 && confidence < 1.0)) {
    throw InputError(std::string(what) + ": confidence level must lie in (0, 1), got " +
                     std::to_string(confidence));
  }
}

}  // namespace icn::analysis
