#include "icn/design/grid.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "icn/core/error.h"

namespace icn::design {
namespace {

[[noreturn]] void fail(const Factor& f, const std::string& why) {
  throw InputError("grid design: factor '" + f.name + "' " + why);
}

std::string text(double x) {
  std::ostringstream s;
  s << x;
  return s.str();
}

std::vector<double> spread(const Factor& f) {
  if (f.n_levels < 2) {
    fail(f, "needs explicit levels or n_levels >= 2, got n_levels = " + std::to_string(f.n_levels));
  }
  if (!std::isfinite(f.lo) || !std::isfinite(f.hi) || !(f.lo < f.hi)) {
    fail(f, "needs finite lo < hi, got [" + text(f.lo) + ", " + text(f.hi) + "]");
  }
  if (f.log_scale && !(f.lo > 0)) fail(f, "is log-scaled and needs lo > 0, got " + text(f.lo));
  std::vector<double> levels(static_cast<std::size_t>(f.n_levels));
  const double last = f.n_levels - 1;
  for (int k = 0; k < f.n_levels; ++k) {
    const double t = k / last;
    levels[static_cast<std::size_t>(k)] =
        f.log_scale ? std::exp(std::log(f.lo) + t * (std::log(f.hi) - std::log(f.lo)))
                    : f.lo + t * (f.hi - f.lo);
  }
  // The ends are the bounds themselves, not their rounded reconstructions.
  levels.front() = f.lo;
  levels.back() = f.hi;
  if (f.integer) {
    for (double& x : levels) x = std::round(x);
  }
  return levels;
}

}  // namespace

std::vector<double> grid_levels(const Factor& f) {
  if (!f.levels.empty() && f.n_levels != 0 && f.n_levels != static_cast<int>(f.levels.size())) {
    fail(f, "gives " + std::to_string(f.levels.size()) +
                " levels but n_levels = " + std::to_string(f.n_levels));
  }
  std::vector<double> levels = f.levels.empty() ? spread(f) : f.levels;
  for (double x : levels) {
    if (!std::isfinite(x)) fail(f, "has a non-finite level");
    if (f.integer && std::floor(x) != x)
      fail(f, "is an integer factor; level " + text(x) + " is not");
  }
  std::vector<double> sorted = levels;
  std::sort(sorted.begin(), sorted.end());
  const auto dup = std::adjacent_find(sorted.begin(), sorted.end());
  if (dup != sorted.end()) {
    fail(f, "has the level " + text(*dup) + " twice" +
                (f.levels.empty() ? " (n_levels is too many for its integer range)" : ""));
  }
  return levels;
}

std::vector<std::vector<double>> grid_level_lists(const std::vector<Factor>& factors) {
  std::vector<std::vector<double>> lists;
  std::int64_t rows = 1;
  for (const Factor& f : factors) {
    lists.push_back(grid_levels(f));
    rows *= static_cast<std::int64_t>(lists.back().size());
    if (rows > kMaxDesignPoints) {
      throw InputError("grid design: more than " + std::to_string(kMaxDesignPoints) +
                       " points (at factor '" + f.name + "')");
    }
  }
  return lists;
}

}  // namespace icn::design
