#include "icn/model/analytic.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "icn/exec/replicate.h"

namespace icn::model {
namespace {

TEST(Ishigami, KnownValues) {
  const double pi = std::numbers::pi;
  EXPECT_DOUBLE_EQ(ishigami(0, 0, 0, 7, 0.1), 0.0);
  EXPECT_NEAR(ishigami(pi / 2, pi / 2, 1, 7, 0.1), 1 + 7 + 0.1, 1e-12);
  EXPECT_NEAR(ishigami(-pi / 2, 0, 2, 7, 0.1), -1 - 0.1 * 16, 1e-12);
}

TEST(Ishigami, ClosedFormIndicesAtTheStandardCoefficients) {
  // Reference values for a = 7, b = 0.1 (e.g. Saltelli et al. 2008): V = 13.8446,
  // S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
  const IshigamiIndices r = ishigami_indices(7, 0.1);
  EXPECT_NEAR(r.variance, 13.8446, 1e-4);
  EXPECT_NEAR(r.s1[0], 0.3139, 1e-4);
  EXPECT_NEAR(r.s1[1], 0.4424, 1e-4);
  EXPECT_NEAR(r.st[0], 0.5576, 1e-4);
  EXPECT_NEAR(r.st[2], 0.2437, 1e-4);
}

TEST(SobolG, KnownValuesAndIndices) {
  const double x[2] = {0.5, 1.0}, a[2] = {0.0, 1.0};
  EXPECT_DOUBLE_EQ(sobol_g(x, a, 2), 0.0 * (2 + 1) / 2);
  const double y[2] = {0.0, 0.0};
  EXPECT_DOUBLE_EQ(sobol_g(y, a, 2), 2.0 * 1.5);
  // One factor: S1 = ST = 1.
  double s1 = 0, st = 0;
  sobol_g_indices(a, 1, &s1, &st);
  EXPECT_NEAR(s1, 1.0, 1e-15);
  EXPECT_NEAR(st, 1.0, 1e-15);
  // Two equal factors a = 0: V_i = 1/3, V = (4/3)^2 - 1 = 7/9; S1 = 3/7, ST = (1/3)(4/3)/(7/9) =
  // 4/7.
  const double z[2] = {0.0, 0.0};
  double s[2], t[2];
  sobol_g_indices(z, 2, s, t);
  EXPECT_NEAR(s[0], 3.0 / 7.0, 1e-15);
  EXPECT_NEAR(t[0], 4.0 / 7.0, 1e-15);
}

TEST(AnalyticModel, NoiseIsKeyedByReplicateAndReproducible) {
  const ModelInfo info = ishigami_info();
  ParamValues v(info.schema);
  v.set("x1", Value(1.0), "test");
  v.set("noise_sd", Value(2.0), "test");
  const auto a = exec::run_replicate(info, v, {5, 0, 0}, 3, {1});
  const auto b = exec::run_replicate(info, v, {5, 0, 0}, 3, {1});
  const auto c = exec::run_replicate(info, v, {5, 0, 1}, 3, {1});
  EXPECT_EQ(a.series, b.series);
  EXPECT_NE(a.series, c.series);
  ASSERT_EQ(a.series.size(), 4u * 2u);
  EXPECT_EQ(a.row(2)[1], ishigami(1.0, 0, 0, 7, 0.1));  // the exact value column
  v.set("noise_sd", Value(0.0), "test");
  const auto quiet = exec::run_replicate(info, v, {5, 0, 0}, 0, {1});
  EXPECT_EQ(quiet.series[0], quiet.series[1]);
}

}  // namespace
}  // namespace icn::model
