#include "icn/analysis/bootstrap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "icn/core/error.h"

namespace icn::analysis {
namespace {

TEST(AnalysisBootstrap, PercentileIntervalInterpolates) {
  std::vector<double> v(101);
  std::iota(v.begin(), v.end(), 1.0);  // 1..101: q(p) = 1 + 100 p
  std::reverse(v.begin(), v.end());
  const Interval iv = percentile_interval(v, 0.9);
  EXPECT_DOUBLE_EQ(iv.lo, 6.0);
  EXPECT_DOUBLE_EQ(iv.hi, 96.0);
  std::vector<double> w{4.0, 0.0};  // q(0.025) = 0.1, q(0.975) = 3.9
  const Interval two = percentile_interval(w, 0.95);
  EXPECT_NEAR(two.lo, 0.1, 1e-15);
  EXPECT_NEAR(two.hi, 3.9, 1e-15);
}

TEST(AnalysisBootstrap, PercentileIntervalSkipsNonFinite) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> v{nan, 2.0, std::numeric_limits<double>::infinity(), 0.0, nan, 1.0};
  const Interval iv = percentile_interval(v, 0.5);  // of {0, 1, 2}: q(.25) = .5, q(.75) = 1.5
  EXPECT_DOUBLE_EQ(iv.lo, 0.5);
  EXPECT_DOUBLE_EQ(iv.hi, 1.5);
  std::vector<double> one{nan, 3.0};
  EXPECT_TRUE(std::isnan(percentile_interval(one, 0.9).lo));
}

TEST(AnalysisBootstrap, CountsAreKeyedDrawsWithReplacement) {
  std::vector<int> a(1000), b(1000), c(1000);
  bootstrap_counts(7, 3, a);
  bootstrap_counts(7, 3, b);
  bootstrap_counts(7, 4, c);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(std::accumulate(a.begin(), a.end(), 0), 1000);
  // Each unit is left out with probability (1 - 1/n)^n ~ e^-1: about 368 of 1000 (sd 15).
  const auto zeros = std::count(a.begin(), a.end(), 0);
  EXPECT_GT(zeros, 300);
  EXPECT_LT(zeros, 440);
}

TEST(AnalysisBootstrap, OptionsAreChecked) {
  EXPECT_NO_THROW(check_bootstrap_options(0, 0.5, "x"));
  EXPECT_THROW(check_bootstrap_options(-1, 0.5, "x"), InputError);
  EXPECT_THROW(check_bootstrap_options(10, 0.0, "x"), InputError);
  EXPECT_THROW(check_bootstrap_options(10, std::nan(""), "x"), InputError);
}

}  // namespace
}  // namespace icn::analysis
