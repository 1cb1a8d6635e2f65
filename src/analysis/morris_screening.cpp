#include "icn/analysis/morris_screening.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "icn/analysis/bootstrap.h"
#include "icn/core/error.h"

namespace icn::analysis {
namespace {

void check_steps(int dims, std::span<const design::MorrisStep> steps, std::int64_t r) {
  std::vector<int> moved(static_cast<std::size_t>(dims));
  for (std::int64_t t = 0; t < r; ++t) {
    std::fill(moved.begin(), moved.end(), 0);
    for (int k = 0; k < dims; ++k) {
      const design::MorrisStep& s = steps[static_cast<std::size_t>(t * dims + k)];
      if (s.factor < 0 || s.factor >= dims || !std::isfinite(s.step) || s.step == 0.0) {
        throw InputError("morris screening: trajectory " + std::to_string(t) + ", step " +
                         std::to_string(k) + " moves factor " + std::to_string(s.factor) + " by " +
                         std::to_string(s.step) + "; need a factor in [0, " + std::to_string(dims) +
                         ") and a finite non-zero step");
      }
      ++moved[static_cast<std::size_t>(s.factor)];
    }
    for (int i = 0; i < dims; ++i) {
      if (moved[static_cast<std::size_t>(i)] != 1) {
        throw InputError("morris screening: trajectory " + std::to_string(t) + " moves factor " +
                         std::to_string(i) + " " +
                         std::to_string(moved[static_cast<std::size_t>(i)]) +
                         " times; each factor must move exactly once");
      }
    }
  }
}

}  // namespace

MorrisResult morris_indices(int dims, std::span<const design::MorrisStep> steps,
                            const PointStats& stats, const MorrisOptions& options) {
  if (dims < 1 || steps.empty() || steps.size() % static_cast<std::size_t>(dims) != 0) {
    throw InputError("morris screening: " + std::to_string(steps.size()) +
                     " steps are not a whole number of trajectories of " + std::to_string(dims) +
                     " factors");
  }
  const auto r = static_cast<std::int64_t>(steps.size()) / dims;
  const std::int64_t rows_per = dims + 1;
  stats.check(r * rows_per, "morris screening");
  check_bootstrap_options(options.bootstrap, options.confidence, "morris screening");
  check_steps(dims, steps, r);

  MorrisResult res;
  res.dims = dims;
  res.bootstrap = options.bootstrap;
  res.confidence = options.confidence;
  std::vector<std::int64_t> used, rows;
  for (std::int64_t t = 0; t < r; ++t) {
    bool ok = true;
    for (std::int64_t k = 0; k < rows_per && ok; ++k) ok = stats.usable(t * rows_per + k);
    (ok ? used : res.dropped_trajectories).push_back(t);
    for (std::int64_t k = 0; k < rows_per && ok; ++k) rows.push_back(t * rows_per + k);
  }
  res.trajectories_used = static_cast<std::int64_t>(used.size());
  if (used.size() < 2) {
    throw InputError("morris screening: only " + std::to_string(used.size()) + " of " +
                     std::to_string(r) +
                     " trajectories have every point run successfully; at least 2 are needed");
  }
  res.noise = summarize_noise(stats, rows);

  // ee(u, i): the effect on factor i in used trajectory u; noise(i): summed EE noise variance.
  const auto n_used = static_cast<Eigen::Index>(used.size());
  Eigen::MatrixXd ee(n_used, dims);
  Eigen::VectorXd ee_noise = Eigen::VectorXd::Zero(dims);
  for (Eigen::Index u = 0; u < n_used; ++u) {
    const std::int64_t first = used[static_cast<std::size_t>(u)] * rows_per;
    for (int k = 0; k < dims; ++k) {
      const auto& s = steps[static_cast<std::size_t>(used[static_cast<std::size_t>(u)] * dims + k)];
      ee(u, s.factor) = (stats.mean(first + k + 1) - stats.mean(first + k)) / s.step;
      ee_noise(s.factor) +=
          (stats.noise_var(first + k) + stats.noise_var(first + k + 1)) / (s.step * s.step);
    }
  }
  const auto m = static_cast<double>(n_used);
  res.mu = ee.colwise().sum().transpose() / m;
  res.mu_star = ee.cwiseAbs().colwise().sum().transpose() / m;
  res.sigma = ((ee.rowwise() - res.mu.transpose()).array().square().colwise().sum() / (m - 1.0))
                  .sqrt()
                  .transpose();
  res.ee_noise_sd = (ee_noise / m).cwiseSqrt();

  const Eigen::MatrixXd abs_ee = ee.cwiseAbs();
  Eigen::MatrixXd boot(options.bootstrap, dims);
#pragma omp parallel for schedule(static)
  for (int b = 0; b < options.bootstrap; ++b) {
    std::vector<int> times(used.size());
    bootstrap_counts(options.seed, static_cast<std::uint32_t>(b), times);
    Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(dims);
    for (Eigen::Index u = 0; u < n_used; ++u) {
      const int w = times[static_cast<std::size_t>(u)];
      if (w != 0) sum += static_cast<double>(w) * abs_ee.row(u);
    }
    boot.row(b) = sum / m;
  }
  res.mu_star_lo.resize(dims);
  res.mu_star_hi.resize(dims);
  std::vector<double> column(static_cast<std::size_t>(options.bootstrap));
  for (int i = 0; i < dims; ++i) {
    for (int b = 0; b < options.bootstrap; ++b) column[static_cast<std::size_t>(b)] = boot(b, i);
    const Interval iv = percentile_interval(column, options.confidence);
    res.mu_star_lo(i) = iv.lo;
    res.mu_star_hi(i) = iv.hi;
  }

  res.ranking.resize(static_cast<std::size_t>(dims));
  std::iota(res.ranking.begin(), res.ranking.end(), 0);
  std::stable_sort(res.ranking.begin(), res.ranking.end(),
                   [&](int a, int b) { return res.mu_star(a) > res.mu_star(b); });
  return res;
}

MorrisResult morris_indices(const design::Design& design, const PointStats& stats,
                            const MorrisOptions& options) {
  std::vector<design::MorrisStep> steps;
  for (std::int64_t t = 0; t < design.base_n; ++t) {
    const std::vector<design::MorrisStep> s = design::morris_steps(design, t);
    steps.insert(steps.end(), s.begin(), s.end());
  }
  return morris_indices(design.dims(), steps, stats, options);
}

}  // namespace icn::analysis
