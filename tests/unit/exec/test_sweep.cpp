#include "icn/exec/sweep.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "icn/model/analytic.h"
#include "sweep_test_util.h"

namespace icn::exec {
namespace {

const model::ModelInfo& ishigami() {
  static const model::ModelInfo info = model::ishigami_info();
  return info;
}

SweepSpec noisy_ishigami(std::int64_t n_points, std::int64_t replicates, std::int64_t chunk,
                         std::int64_t ticks) {
  SweepSpec s;
  s.model = &ishigami();
  for (std::int64_t p = 0; p < n_points; ++p) {
    ParamValues v(ishigami().schema);
    v.set("x1", Value(-1.0 + 0.5 * static_cast<double>(p)), "test");
    v.set("x2", Value(0.3), "test");
    v.set("noise_sd", Value(2.0), "test");
    s.points.push_back(v);
  }
  s.replicates = replicates;
  s.chunk = chunk;
  s.ticks = ticks;
  s.master_seed = 2024;
  s.keep_runs = true;
  return s;
}

using testing::expect_same_stats;
using testing::run_on;
using testing::same_bits;

TEST(Sweep, StatisticsAreBitIdenticalForAnyRanksThreadsAndMode) {
  SweepSpec spec = noisy_ishigami(5, 23, 4, 3);
  const SweepResults ref = run_on(1, spec);
  ASSERT_EQ(ref.series.size(), 2u);
  ASSERT_EQ(ref.series[0].mean.size(), 5u * 4u);
  for (const int ranks : {2, 3}) {
    for (const int threads : {1, 2}) {
      for (const OmpMode mode : {OmpMode::kReplicates, OmpMode::kInside}) {
        SCOPED_TRACE(std::to_string(ranks) + " ranks, " + std::to_string(threads) + " threads, " +
                     std::string(omp_mode_name(mode)));
        spec.threads = threads;
        spec.omp_mode = mode;
        const SweepResults r = run_on(ranks, spec);
        for (std::size_t k = 0; k < r.series.size(); ++k)
          expect_same_stats(r.series[k], ref.series[k]);
        for (std::size_t j = 0; j < r.final_stats.size(); ++j)
          expect_same_stats(r.final_stats[j], ref.final_stats[j]);
        EXPECT_EQ(r.runs.point, ref.runs.point);
        EXPECT_EQ(r.runs.replicate, ref.runs.replicate);
        EXPECT_TRUE(same_bits(r.runs.finals[0], ref.runs.finals[0]));
        EXPECT_TRUE(same_bits(r.runs.series, ref.runs.series));
        EXPECT_EQ(r.n_ranks, ranks);
      }
    }
  }
}

TEST(Sweep, MomentsMatchTwoPassOverKeptRuns) {
  const SweepSpec spec = noisy_ishigami(3, 40, 6, 2);
  const SweepResults r = run_on(2, spec);
  const std::size_t rows = 3, n_obs = 2;
  for (std::size_t p = 0; p < 3; ++p) {
    for (std::size_t t = 0; t < rows; ++t) {
      double sum = 0;
      std::vector<double> v;
      for (std::size_t rep = 0; rep < 40; ++rep) {
        v.push_back(r.runs.series[((p * 40 + rep) * rows + t) * n_obs + 0]);
        sum += v.back();
      }
      const double mean = sum / 40.0;
      double ss = 0;
      for (const double x : v) ss += (x - mean) * (x - mean);
      const std::size_t cell = p * rows + t;
      EXPECT_EQ(r.series[0].count[cell], 40);
      EXPECT_NEAR(r.series[0].mean[cell], mean, 1e-12 * std::fabs(mean));
      EXPECT_NEAR(r.series[0].var[cell], ss / 39.0, 1e-12 * ss / 39.0);
      EXPECT_EQ(r.series[0].min[cell], *std::min_element(v.begin(), v.end()));
      // y_exact has no noise: variance exactly zero.
      EXPECT_EQ(r.series[1].var[cell], 0.0);
    }
  }
  // The last tick's values in /runs/last are the series' last row.
  EXPECT_EQ(r.runs.last[0][5], r.runs.series[(5 * rows + 2) * n_obs]);
  for (const std::int64_t st : r.runs.status) EXPECT_EQ(st, 0);
}

TEST(Sweep, ZeroTicksAndOneTaskAndMoreRanksThanTasks) {
  const SweepResults r = run_on(4, noisy_ishigami(1, 1, 16, 0));
  ASSERT_EQ(r.series[0].count.size(), 1u);
  EXPECT_EQ(r.series[0].count[0], 1);
  EXPECT_EQ(r.series[0].var[0], 0.0);
  EXPECT_EQ(r.final_stats[0].mean[0], r.runs.finals[0][0]);
  EXPECT_EQ(r.runs.rank.size(), 1u);
}

TEST(Sweep, AutoModeFillsThreadsWithReplicatesOnlyWhenThereAreEnough) {
  EXPECT_EQ(resolve_omp_mode(OmpMode::kAuto, 100, 2, 4), OmpMode::kReplicates);
  EXPECT_EQ(resolve_omp_mode(OmpMode::kAuto, 7, 2, 4), OmpMode::kInside);
  EXPECT_EQ(resolve_omp_mode(OmpMode::kInside, 100, 2, 4), OmpMode::kInside);
  EXPECT_EQ(parse_omp_mode("replicates"), OmpMode::kReplicates);
  EXPECT_FALSE(parse_omp_mode("both"));
}

}  // namespace
}  // namespace icn::exec
