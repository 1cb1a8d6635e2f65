#include "icn/analysis/sobol_indices.h"

#include <cmath>
#include <limits>
#include <string>

#include "icn/analysis/bootstrap.h"
#include "icn/core/error.h"

namespace icn::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Every estimator is a ratio of block means, so one row of per-block terms per complete
// block lets a bootstrap sample be a weighted column sum of this table. Columns:
//   [0] y_A + y_B   [1] y_A^2 + y_B^2   [2] e_A + e_B (0 without the noise correction)
//   then D numerators of S1, D of ST, and one per pair i < k of S2.
struct TermTable {
  int d = 0;
  bool second_order = false;
  RowMatrix terms;

  int pairs() const { return second_order ? d * (d - 1) / 2 : 0; }
  int s1_col(int i) const { return 3 + i; }
  int st_col(int i) const { return 3 + d + i; }
  int s2_col(int pair) const { return 3 + 2 * d + pair; }
  int cols() const { return 3 + 2 * d + pairs(); }
  /// Indices in one flat vector: S1 (D), ST (D), S2 pairs.
  int n_indices() const { return 2 * d + pairs(); }
};

TermTable make_terms(const design::SaltelliLayout& layout, const PointStats& stats,
                     const std::vector<std::int64_t>& blocks, double centre, bool correct) {
  TermTable t{layout.d, layout.second_order, {}};
  t.terms.resize(static_cast<Eigen::Index>(blocks.size()), t.cols());
  const auto y = [&](std::int64_t row) { return stats.mean(row) - centre; };
  const auto e = [&](std::int64_t row) { return correct ? stats.noise_var(row) : 0.0; };
  for (std::size_t r = 0; r < blocks.size(); ++r) {
    const std::int64_t j = blocks[r];
    const auto row = static_cast<Eigen::Index>(r);
    const double ya = y(layout.a(j));
    const double yb = y(layout.b(j));
    t.terms(row, 0) = ya + yb;
    t.terms(row, 1) = ya * ya + yb * yb;
    t.terms(row, 2) = e(layout.a(j)) + e(layout.b(j));
    for (int i = 0; i < t.d; ++i) {
      const double yab = y(layout.ab(j, i));
      t.terms(row, t.s1_col(i)) = yb * (yab - ya);
      t.terms(row, t.st_col(i)) =
          0.5 * ((ya - yab) * (ya - yab) - e(layout.a(j)) - e(layout.ab(j, i)));
    }
    int pair = 0;
    for (int i = 0; i < t.d && t.second_order; ++i) {
      for (int k = i + 1; k < t.d; ++k, ++pair) {
        t.terms(row, t.s2_col(pair)) = y(layout.ba(j, i)) * y(layout.ab(j, k)) - ya * yb;
      }
    }
  }
  return t;
}

// Column sums weighted by how often each block was drawn, in block order, so a sample's
// value does not depend on which thread computed it.
Eigen::VectorXd weighted_sums(const TermTable& t, std::span<const int> times) {
  Eigen::VectorXd sums = Eigen::VectorXd::Zero(t.cols());
  for (Eigen::Index r = 0; r < t.terms.rows(); ++r) {
    const int w = times.empty() ? 1 : times[static_cast<std::size_t>(r)];
    if (w != 0) sums += static_cast<double>(w) * t.terms.row(r).transpose();
  }
  return sums;
}

/// Writes the n_indices() indices of one (re)sample into `out`; returns V.
double indices_from_sums(const TermTable& t, const Eigen::VectorXd& sums, double n,
                         Eigen::Ref<Eigen::VectorXd> out) {
  const double m = 2.0 * n;
  const double mean = sums(0) / m;
  const double v = (sums(1) - m * mean * mean) / (m - 1.0) - sums(2) / m;
  if (!(v > 0.0)) {
    out.setConstant(kNaN);
    return v;
  }
  for (int i = 0; i < t.d; ++i) {
    out(i) = sums(t.s1_col(i)) / n / v;
    out(t.d + i) = sums(t.st_col(i)) / n / v;
  }
  int pair = 0;
  for (int i = 0; i < t.d && t.second_order; ++i) {
    for (int k = i + 1; k < t.d; ++k, ++pair) {
      out(2 * t.d + pair) = sums(t.s2_col(pair)) / n / v - out(i) - out(k);
    }
  }
  return v;
}

std::vector<std::int64_t> complete_blocks(const design::SaltelliLayout& layout,
                                          const PointStats& stats,
                                          std::vector<std::int64_t>& dropped) {
  std::vector<std::int64_t> blocks;
  for (std::int64_t j = 0; j < layout.n; ++j) {
    bool ok = true;
    for (std::int64_t row = layout.a(j); row <= layout.b(j) && ok; ++row) ok = stats.usable(row);
    (ok ? blocks : dropped).push_back(j);
  }
  return blocks;
}

std::string list_blocks(const std::vector<std::int64_t>& blocks) {
  std::string s;
  for (std::size_t k = 0; k < blocks.size() && k < 10; ++k) {
    s += (k ? ", " : "") + std::to_string(blocks[k]);
  }
  return blocks.size() > 10 ? s + ", ..." : s;
}

}  // namespace

SobolResult sobol_indices(const design::SaltelliLayout& layout, const PointStats& stats,
                          const SobolOptions& options) {
  if (layout.n < 1 || layout.d < 1) {
    throw InputError("sobol indices: the Saltelli layout needs N >= 1 and D >= 1, got N = " +
                     std::to_string(layout.n) + ", D = " + std::to_string(layout.d));
  }
  stats.check(layout.rows(), "sobol indices");
  check_bootstrap_options(options.bootstrap, options.confidence, "sobol indices");

  SobolResult res;
  res.dims = layout.d;
  res.bootstrap = options.bootstrap;
  res.confidence = options.confidence;
  res.noise_corrected = options.correct_noise;
  const std::vector<std::int64_t> blocks = complete_blocks(layout, stats, res.dropped_blocks);
  res.blocks_used = static_cast<std::int64_t>(blocks.size());
  if (blocks.size() < 2) {
    throw InputError("sobol indices: only " + std::to_string(blocks.size()) + " of " +
                     std::to_string(layout.n) +
                     " base samples have every point run successfully; at least 2 are needed "
                     "(incomplete: " +
                     list_blocks(res.dropped_blocks) + ")");
  }
  std::vector<std::int64_t> ab_rows;
  for (const std::int64_t j : blocks) {
    ab_rows.push_back(layout.a(j));
    ab_rows.push_back(layout.b(j));
  }
  res.noise = summarize_noise(stats, ab_rows);

  double centre = 0;
  for (const std::int64_t j : blocks) centre += stats.mean(layout.a(j)) + stats.mean(layout.b(j));
  centre /= 2.0 * static_cast<double>(blocks.size());
  const TermTable table = make_terms(layout, stats, blocks, centre, options.correct_noise);
  const auto n = static_cast<double>(blocks.size());

  Eigen::VectorXd point(table.n_indices());
  res.variance = indices_from_sums(table, weighted_sums(table, {}), n, point);

  // One row per resample; each is computed whole by one thread.
  RowMatrix boot(options.bootstrap, table.n_indices());
#pragma omp parallel for schedule(static)
  for (int b = 0; b < options.bootstrap; ++b) {
    std::vector<int> times(blocks.size());
    bootstrap_counts(options.seed, static_cast<std::uint32_t>(b), times);
    Eigen::VectorXd est(table.n_indices());
    indices_from_sums(table, weighted_sums(table, times), n, est);
    boot.row(b) = est.transpose();
  }
  Eigen::VectorXd lo(table.n_indices()), hi(table.n_indices());
  std::vector<double> column(static_cast<std::size_t>(options.bootstrap));
  for (int c = 0; c < table.n_indices(); ++c) {
    for (int b = 0; b < options.bootstrap; ++b) column[static_cast<std::size_t>(b)] = boot(b, c);
    const Interval iv = percentile_interval(column, options.confidence);
    lo(c) = iv.lo;
    hi(c) = iv.hi;
  }

  const int d = layout.d;
  res.s1 = point.head(d);
  res.s1_lo = lo.head(d);
  res.s1_hi = hi.head(d);
  res.st = point.segment(d, d);
  res.st_lo = lo.segment(d, d);
  res.st_hi = hi.segment(d, d);
  if (layout.second_order) {
    res.s2 = res.s2_lo = res.s2_hi = Eigen::MatrixXd::Constant(d, d, kNaN);
    int pair = 0;
    for (int i = 0; i < d; ++i) {
      for (int k = i + 1; k < d; ++k, ++pair) {
        const int c = 2 * d + pair;
        res.s2(i, k) = res.s2(k, i) = point(c);
        res.s2_lo(i, k) = res.s2_lo(k, i) = lo(c);
        res.s2_hi(i, k) = res.s2_hi(k, i) = hi(c);
      }
    }
  }
  return res;
}

}  // namespace icn::analysis
