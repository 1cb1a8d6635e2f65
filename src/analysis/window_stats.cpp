#include "icn/analysis/window_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "icn/core/error.h"

namespace icn::analysis {

std::string_view window_noise_name(WindowNoise noise) {
  return noise == WindowNoise::kCorrelated ? "correlated" : "independent";
}

std::optional<WindowNoise> parse_window_noise(std::string_view name) {
  if (name == "correlated") return WindowNoise::kCorrelated;
  if (name == "independent") return WindowNoise::kIndependent;
  return std::nullopt;
}

WindowStat window_stat(std::span<const std::int64_t> count, std::span<const double> mean,
                       std::span<const double> var, WindowNoise noise) {
  const std::size_t w = count.size();
  if (w == 0 || mean.size() != w || var.size() != w) {
    throw InputError("window statistics: need W >= 1 ticks with a count, mean and variance each");
  }
  WindowStat out;
  out.count = *std::min_element(count.begin(), count.end());
  if (out.count <= 0) {
    out.count = 0;
    out.mean = std::numeric_limits<double>::quiet_NaN();
    return out;
  }
  double sum = 0, spread = 0;
  for (std::size_t t = 0; t < w; ++t) {
    sum += mean[t];
    // A tick with one replicate has no variance (stored as 0); it adds nothing here, and
    // a point whose window includes it has count_z = 1, so var_z is never read.
    const double v = count[t] >= 2 ? std::max(var[t], 0.0) : 0.0;
    spread += noise == WindowNoise::kCorrelated ? std::sqrt(v) : v;
  }
  const auto wd = static_cast<double>(w);
  out.mean = sum / wd;
  if (out.count >= 2) {
    out.var =
        noise == WindowNoise::kCorrelated ? (spread / wd) * (spread / wd) : spread / (wd * wd);
  }
  return out;
}

}  // namespace icn::analysis
