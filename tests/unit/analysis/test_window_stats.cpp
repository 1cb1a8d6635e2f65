#include "icn/analysis/window_stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "icn/core/error.h"

namespace icn::analysis {
namespace {

TEST(WindowStats, MeanIsTheMeanOfTheTickMeans) {
  const std::vector<std::int64_t> count = {4, 4, 4};
  const std::vector<double> mean = {1.0, 2.0, 6.0};
  const std::vector<double> var = {1.0, 4.0, 9.0};
  const WindowStat s = window_stat(count, mean, var, WindowNoise::kIndependent);
  EXPECT_EQ(s.count, 4);
  EXPECT_DOUBLE_EQ(s.mean, 3.0);
}

TEST(WindowStats, NoiseStandInsByHand) {
  const std::vector<std::int64_t> count = {4, 4, 4};
  const std::vector<double> mean = {1.0, 2.0, 6.0};
  const std::vector<double> var = {1.0, 4.0, 9.0};
  // Correlated: ((1 + 2 + 3) / 3)^2 = 4. Independent: (1 + 4 + 9) / 9.
  EXPECT_DOUBLE_EQ(window_stat(count, mean, var, WindowNoise::kCorrelated).var, 4.0);
  EXPECT_DOUBLE_EQ(window_stat(count, mean, var, WindowNoise::kIndependent).var, 14.0 / 9.0);
}

TEST(WindowStats, BoundsBracketTheTrueVarianceOfSimulatedWindows) {
  // Three replicates of two ticks, by hand: y_t per replicate, z = (y_0 + y_1) / 2.
  const double y0[3] = {0.0, 1.0, 5.0};
  const double y1[3] = {1.0, 3.0, 5.0};  // positively correlated with y0
  const auto stats = [](const double* y) {
    const double m = (y[0] + y[1] + y[2]) / 3;
    double v = 0;
    for (int r = 0; r < 3; ++r) v += (y[r] - m) * (y[r] - m);
    return std::pair{m, v / 2};
  };
  const auto [m0, v0] = stats(y0);
  const auto [m1, v1] = stats(y1);
  double z[3];
  for (int r = 0; r < 3; ++r) z[r] = (y0[r] + y1[r]) / 2;
  const auto [mz, vz] = stats(z);
  const std::vector<std::int64_t> count = {3, 3};
  const std::vector<double> mean = {m0, m1}, var = {v0, v1};
  const WindowStat hi = window_stat(count, mean, var, WindowNoise::kCorrelated);
  const WindowStat lo = window_stat(count, mean, var, WindowNoise::kIndependent);
  EXPECT_DOUBLE_EQ(hi.mean, mz);
  EXPECT_GE(hi.var, vz);
  EXPECT_LE(lo.var, vz);
  EXPECT_LT(lo.var, hi.var);
}

TEST(WindowStats, ATickWithoutReplicatesMakesThePointUnusable) {
  const std::vector<std::int64_t> count = {5, 0, 5};
  const std::vector<double> mean = {1.0, 0.0, 1.0}, var = {1.0, 0.0, 1.0};
  const WindowStat s = window_stat(count, mean, var, WindowNoise::kCorrelated);
  EXPECT_EQ(s.count, 0);
  EXPECT_TRUE(std::isnan(s.mean));
}

TEST(WindowStats, CountIsTheSmallestTickCountAndOneReplicateHasNoVariance) {
  const std::vector<std::int64_t> count = {5, 1, 3};
  const std::vector<double> mean = {1.0, 2.0, 3.0}, var = {1.0, 0.0, 1.0};
  const WindowStat s = window_stat(count, mean, var, WindowNoise::kCorrelated);
  EXPECT_EQ(s.count, 1);
  EXPECT_DOUBLE_EQ(s.mean, 2.0);
  EXPECT_EQ(s.var, 0.0);
}

TEST(WindowStats, OneTickIsThatTick) {
  const std::vector<std::int64_t> count = {7};
  const std::vector<double> mean = {2.5}, var = {0.36};
  for (const WindowNoise n : {WindowNoise::kCorrelated, WindowNoise::kIndependent}) {
    const WindowStat s = window_stat(count, mean, var, n);
    EXPECT_EQ(s.count, 7);
    EXPECT_DOUBLE_EQ(s.mean, 2.5);
    EXPECT_DOUBLE_EQ(s.var, 0.36);
  }
}

TEST(WindowStats, RejectsEmptyOrMismatchedWindows) {
  const std::vector<std::int64_t> count = {1, 2};
  const std::vector<double> one = {1.0};
  EXPECT_THROW(window_stat({}, {}, {}, WindowNoise::kCorrelated), InputError);
  EXPECT_THROW(window_stat(count, one, one, WindowNoise::kCorrelated), InputError);
}

TEST(WindowStats, NamesRoundTrip) {
  for (const WindowNoise n : {WindowNoise::kCorrelated, WindowNoise::kIndependent})
    EXPECT_EQ(parse_window_noise(window_noise_name(n)), n);
  EXPECT_FALSE(parse_window_noise("both").has_value());
}

}  // namespace
}  // namespace icn::analysis
