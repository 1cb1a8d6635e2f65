#include "icn/analysis/point_stats.h"

#include <cmath>
#include <limits>
#include <string>

#include "icn/core/error.h"

namespace icn::analysis {

PointStats PointStats::from_values(const Eigen::VectorXd& y) {
  return {Eigen::VectorXd::Ones(y.size()), y, Eigen::VectorXd::Zero(y.size())};
}

bool PointStats::usable(std::int64_t k) const { return count(k) > 0 && std::isfinite(mean(k)); }

double PointStats::noise_var(std::int64_t k) const {
  return count(k) >= 2 ? var(k) / count(k) : 0.0;
}

bool PointStats::has_replicates() const { return (count.array() >= 2).any(); }

void PointStats::check(std::int64_t rows, const char* what) const {
  const std::string w(what);
  if (count.size() != rows || mean.size() != rows || var.size() != rows) {
    throw InputError(w + ": the design has " + std::to_string(rows) +
                     " points but the statistics have " + std::to_string(count.size()) +
                     " counts, " + std::to_string(mean.size()) + " means and " +
                     std::to_string(var.size()) + " variances");
  }
  for (std::int64_t k = 0; k < rows; ++k) {
    if (!(count(k) >= 0) || (count(k) >= 2 && !(var(k) >= 0))) {
      throw InputError(w + ": point " + std::to_string(k) + " has count " +
                       std::to_string(count(k)) + " and variance " + std::to_string(var(k)) +
                       "; counts and variances must be non-negative");
    }
  }
}

NoiseSummary summarize_noise(const PointStats& stats, std::span<const std::int64_t> rows) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const auto m = static_cast<double>(rows.size());
  double sum = 0, noise = 0, within = 0;
  int replicated = 0;
  for (const std::int64_t r : rows) {
    sum += stats.mean(r);
    noise += stats.noise_var(r);
    if (stats.count(r) >= 2) {
      within += stats.var(r);
      ++replicated;
    }
  }
  double between = 0;
  for (const std::int64_t r : rows) {
    between += (stats.mean(r) - sum / m) * (stats.mean(r) - sum / m);
  }
  NoiseSummary out;
  out.between = between / (m - 1.0);
  out.estimated = replicated > 0;
  out.within = out.estimated ? within / replicated : kNaN;
  out.noise = out.estimated ? noise / m : kNaN;
  out.share = out.estimated ? out.noise / out.between : kNaN;
  return out;
}

}  // namespace icn::analysis
