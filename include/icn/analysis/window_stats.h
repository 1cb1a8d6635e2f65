#pragma once
// The per-point statistics of a time-averaged output, z = (1/W) sum_{t=T0..T1} y_t over a
// window of W ticks, built from the per-tick statistics a results file stores (count_t,
// mean_t, var_t of each point) without the replicates themselves.
//
//   mean_z  = (1/W) sum_t mean_t: exact when every tick has the same replicates (count_t
//             equal); otherwise the mean of the per-tick means, an unbiased estimate of
//             E[z] all the same
//   count_z = min_t count_t: the replicates known to reach every tick of the window; 0 when
//             some tick has no finite value, which makes the point unusable
//   var_z   the sample variance of z over the replicates is (1/W^2) sum_{t,s} c_ts with c_ts
//           the sample covariances between ticks, which are not stored, so one of two
//           stand-ins:
//     kCorrelated   ((1/W) sum_t sd_t)^2, sd_t = sqrt(var_t): equal to that sample variance
//                   when the replicates' deviations are perfectly correlated across the
//                   window (a persistent state), and never below it (|c_ts| <= sd_t sd_s,
//                   Cauchy-Schwarz), so it does not understate the noise. With independent
//                   ticks it overstates it, up to W times.
//     kIndependent  (1/W^2) sum_t var_t: unbiased for Var(z) when the deviations are
//                   uncorrelated between ticks (noise redrawn every tick); too small when
//                   the correlations are positive.
//           (Both statements assume equal counts across the window; otherwise they hold
//           for the replicates that reach every tick only approximately.)
//   Both are 0 when count_z < 2, where point_stats.h does not read var anyway.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace icn::analysis {

enum class WindowNoise { kCorrelated, kIndependent };

std::string_view window_noise_name(WindowNoise noise);
std::optional<WindowNoise> parse_window_noise(std::string_view name);

/// One point's statistics of z.
struct WindowStat {
  std::int64_t count = 0;
  double mean = 0;
  double var = 0;
};

/// z's statistics from one point's W per-tick statistics (header comment); W >= 1.
WindowStat window_stat(std::span<const std::int64_t> count, std::span<const double> mean,
                       std::span<const double> var, WindowNoise noise);

}  // namespace icn::analysis
