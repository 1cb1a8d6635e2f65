#include "icn/analysis/morris_screening.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

#include "icn/core/error.h"

namespace icn::analysis {
namespace {

design::Design morris_design(int d, int r, std::uint64_t seed) {
  design::DesignSpec spec;
  spec.kind = design::DesignKind::kMorris;
  spec.morris_levels = 4;
  spec.morris_trajectories = r;
  spec.seed = seed;
  for (int i = 0; i < d; ++i) {
    design::Factor f;
    f.name = "x" + std::to_string(i);
    spec.factors.push_back(f);  // on [0, 1]: factor units are unit coordinates
  }
  return design::make_design(spec);
}

Eigen::VectorXd evaluate(const design::Design& des,
                         const std::function<double(const Eigen::RowVectorXd&)>& f) {
  Eigen::VectorXd y(des.size());
  for (Eigen::Index k = 0; k < y.size(); ++k) y(k) = f(des.unit_points.row(k));
  return y;
}

TEST(AnalysisMorris, LinearFunctionHasExactEffects) {
  // y = sum c_i x_i: every elementary effect is c_i, so mu = c, mu* = |c|, sigma = 0.
  const double c[4] = {1.0, -2.0, 0.0, 3.0};
  const design::Design des = morris_design(4, 12, 3);
  const Eigen::VectorXd y = evaluate(des, [&](const Eigen::RowVectorXd& x) {
    return c[0] * x(0) + c[1] * x(1) + c[2] * x(2) + c[3] * x(3);
  });
  const MorrisResult r = morris_indices(des, PointStats::from_values(y));
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(r.mu(i), c[i], 1e-12) << i;
    EXPECT_NEAR(r.mu_star(i), std::fabs(c[i]), 1e-12) << i;
    EXPECT_NEAR(r.sigma(i), 0.0, 1e-12) << i;
    EXPECT_NEAR(r.mu_star_lo(i), std::fabs(c[i]), 1e-12) << i;
    EXPECT_NEAR(r.mu_star_hi(i), std::fabs(c[i]), 1e-12) << i;
  }
  EXPECT_EQ(r.ranking, (std::vector<int>{3, 1, 0, 2}));
  EXPECT_EQ(r.trajectories_used, 12);
}

TEST(AnalysisMorris, InertFactorsRankLast) {
  // x2 and x5 do not enter y; x4 acts only with x0.
  const design::Design des = morris_design(6, 30, 5);
  const Eigen::VectorXd y = evaluate(des, [](const Eigen::RowVectorXd& x) {
    return 3 * x(0) - 2 * x(1) + 5 * x(3) * x(3) + 4 * x(0) * x(4) + std::sin(6 * x(1));
  });
  const MorrisResult r = morris_indices(des, PointStats::from_values(y));
  EXPECT_EQ(r.mu_star(2), 0.0);
  EXPECT_EQ(r.mu_star(5), 0.0);
  EXPECT_EQ(r.sigma(2), 0.0);
  EXPECT_EQ(r.mu_star_hi(5), 0.0);
  const std::vector<int> last(r.ranking.end() - 2, r.ranking.end());
  EXPECT_EQ(last, (std::vector<int>{2, 5}));
  for (const int i : {0, 1, 3, 4}) {
    EXPECT_GT(r.mu_star(i), 0.5) << i;
    EXPECT_LE(r.mu_star_lo(i), r.mu_star(i));
    EXPECT_GE(r.mu_star_hi(i), r.mu_star(i));
    EXPECT_LT(r.mu_star_lo(i), r.mu_star_hi(i));
  }
  // x4's effect 4 x0 varies with x0 and x3's 5 (2 x3 + delta) with x3: both spread.
  EXPECT_GT(r.sigma(4), 0.5);
  EXPECT_GT(r.sigma(3), 0.5);
}

TEST(AnalysisMorris, HandComputedTrajectories) {
  // D = 2, two trajectories. t0: x1 by +0.5 then x0 by -0.5; y 0 -> 1 -> 3.
  // t1: x0 by +0.5 then x1 by +0.5; y 1 -> 0 -> 2.
  // EE(x0) = {(3 - 1) / -0.5, (0 - 1) / 0.5} = {-4, -2}; EE(x1) = {2, 4}.
  const std::vector<design::MorrisStep> steps{{1, 0.5}, {0, -0.5}, {0, 0.5}, {1, 0.5}};
  Eigen::VectorXd y(6);
  y << 0, 1, 3, 1, 0, 2;
  MorrisOptions opt;
  opt.bootstrap = 0;
  const MorrisResult r = morris_indices(2, steps, PointStats::from_values(y), opt);
  EXPECT_DOUBLE_EQ(r.mu(0), -3.0);
  EXPECT_DOUBLE_EQ(r.mu_star(0), 3.0);
  EXPECT_DOUBLE_EQ(r.sigma(0), std::sqrt(2.0));
  EXPECT_DOUBLE_EQ(r.mu(1), 3.0);
  EXPECT_DOUBLE_EQ(r.sigma(1), std::sqrt(2.0));
  EXPECT_FALSE(r.noise.estimated);
  EXPECT_EQ(r.ee_noise_sd(0), 0.0);

  // Three replicates of variance 0.3 everywhere: e = 0.1 and an EE's noise variance is
  // (0.1 + 0.1) / 0.25 = 0.8.
  const PointStats noisy{Eigen::VectorXd::Constant(6, 3), y, Eigen::VectorXd::Constant(6, 0.3)};
  const MorrisResult n = morris_indices(2, steps, noisy, opt);
  EXPECT_DOUBLE_EQ(n.ee_noise_sd(1), std::sqrt(0.8));
  EXPECT_DOUBLE_EQ(n.noise.noise, 0.1);
  EXPECT_EQ(n.mu_star, r.mu_star);
}

TEST(AnalysisMorris, FailedPointsDropTheirTrajectory) {
  const design::Design des = morris_design(3, 6, 8);
  PointStats s = PointStats::from_values(
      evaluate(des, [](const Eigen::RowVectorXd& x) { return x(0) + 2 * x(1) * x(2); }));
  s.count(4 * 4 + 2) = 0;  // trajectory 4, row 2
  const MorrisResult r = morris_indices(des, s);
  EXPECT_EQ(r.dropped_trajectories, (std::vector<std::int64_t>{4}));
  EXPECT_EQ(r.trajectories_used, 5);
  EXPECT_NEAR(r.mu(0), 1.0, 1e-12);
  for (int t = 0; t < 6; ++t) {
    if (t != 1) s.count(t * 4) = 0;
  }
  EXPECT_THROW(morris_indices(des, s), InputError);
}

TEST(AnalysisMorris, MalformedStepsAreInputErrors) {
  const PointStats s = PointStats::from_values(Eigen::VectorXd::Zero(6));
  const std::vector<design::MorrisStep> twice{{0, 0.5}, {0, 0.5}, {0, 0.5}, {1, 0.5}};
  EXPECT_THROW(morris_indices(2, twice, s), InputError);
  const std::vector<design::MorrisStep> still{{0, 0.0}, {1, 0.5}, {0, 0.5}, {1, 0.5}};
  EXPECT_THROW(morris_indices(2, still, s), InputError);
  const std::vector<design::MorrisStep> ok{{0, 0.5}, {1, 0.5}, {0, 0.5}, {1, 0.5}};
  EXPECT_THROW(morris_indices(2, ok, PointStats::from_values(Eigen::VectorXd::Zero(7))),
               InputError);
  EXPECT_NO_THROW(morris_indices(2, ok, s));
}

}  // namespace
}  // namespace icn::analysis
