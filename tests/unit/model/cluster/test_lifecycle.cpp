// The life-cycle classifier (MODEL.md section 6) on synthetic series.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "icn/core/rng.h"
#include "icn/model/cluster/cluster_model.h"
#include "icn/model/cluster/lifecycle.h"

namespace icn::model::cluster {
namespace {

struct Series {
  std::vector<double> firms, diversity, novelty;
  double giant = 0.9;
  double clustering = 0.5;
};

/// Runs the classifier over a series; returns the stage reported at each tick.
std::vector<Stage> classify(Lifecycle& lc, const Series& s) {
  std::vector<Stage> out;
  for (std::size_t t = 0; t < s.firms.size(); ++t) {
    lc.observe({s.firms[t], s.giant, s.clustering, s.diversity[t], s.novelty[t]});
    out.push_back(lc.stage());
  }
  return out;
}

/// Logistic growth to a plateau, a decline, then regrowth with rising diversity and
/// novelty (the renewal of MODEL.md section 6).
Series growth_decline_regrowth() {
  Series s;
  for (int t = 0; t <= 420; ++t) {
    double f = 0, d = 0.5, nov = 1.0;
    if (t <= 220) {
      f = 100.0 + 900.0 / (1.0 + std::exp(-(t - 60) / 12.0));
    } else if (t <= 300) {
      f = 1000.0 - 5.0 * (t - 220);  // -10 % per window and worse
    } else {
      f = 600.0 + 3.5 * (t - 300);  // about +10 % per window
      d = 0.5 + 0.001 * (t - 300);
      nov = 1.0 + (t - 300);
    }
    s.firms.push_back(f);
    s.diversity.push_back(d);
    s.novelty.push_back(nov);
  }
  return s;
}

LifecycleParams test_params() {
  LifecycleParams p;
  p.ref_firms = 0;  // no sprouting reference beyond the running peak
  return p;
}

TEST(ClusterLifecycle, GrowthMaturityDeclineRenewal) {
  Lifecycle lc(test_params());
  const std::vector<Stage> stages = classify(lc, growth_decline_regrowth());
  const std::vector<Stage> want = {Stage::kGrowth, Stage::kMaturity, Stage::kDecline,
                                   Stage::kRenewal};
  EXPECT_EQ(lc.sequence(), want);
  EXPECT_DOUBLE_EQ(lc.sequence_code(), 2345.0);
  // Unclassified during the first window, then growth.
  EXPECT_EQ(stages[19], Stage::kUnclassified);
  EXPECT_EQ(stages[20], Stage::kGrowth);
  std::uint64_t total = 0;
  for (auto n : lc.ticks_in()) total += n;
  EXPECT_EQ(total, 420u - 19u);  // ticks 20..420
}

TEST(ClusterLifecycle, AChangeNeedsTwoConsecutiveWindows) {
  // Flat at 1000, then a decline of 10 % per window from tick 100.
  Series s;
  for (int t = 0; t <= 200; ++t) {
    s.firms.push_back(t <= 100 ? 1000.0 : 1000.0 * std::pow(0.9, (t - 100) / 20.0));
    s.diversity.push_back(0.5);
    s.novelty.push_back(0.0);
  }
  Lifecycle lc(test_params());
  const std::vector<Stage> stages = classify(lc, s);
  EXPECT_EQ(stages[100], Stage::kMaturity);
  EXPECT_EQ(stages[120], Stage::kMaturity);  // one declining window is not enough
  EXPECT_EQ(stages[139], Stage::kMaturity);
  EXPECT_EQ(stages[140], Stage::kDecline);  // the second one is
  // Without hysteresis the first declining window switches.
  LifecycleParams p = test_params();
  p.confirm = 1;
  Lifecycle eager(p);
  EXPECT_EQ(classify(eager, s)[120], Stage::kDecline);
}

TEST(ClusterLifecycle, OneContraryWindowDoesNotSwitch) {
  // Flat, with a single window's dip and recovery (-8 % then +8.7 %).
  Series s;
  for (int t = 0; t <= 200; ++t) {
    s.firms.push_back(t == 100 ? 920.0 : 1000.0);
    s.diversity.push_back(0.5);
    s.novelty.push_back(0.0);
  }
  Lifecycle lc(test_params());
  classify(lc, s);
  EXPECT_EQ(lc.sequence(), std::vector<Stage>{Stage::kMaturity});
}

Series noisy_flat(double sd) {
  Series s;
  rng::Stream rs(rng::Key::from_seed(3), 0, rng::Stage::kTest, 0);
  for (int t = 0; t <= 1000; ++t) {
    s.firms.push_back(1000.0 * (1.0 + rng::normal(rs, 0.0, sd)));
    s.diversity.push_back(0.5 + 0.01 * rng::normal(rs));
    s.novelty.push_back(rng::uniform(rs, 0, 5));
  }
  return s;
}

TEST(ClusterLifecycle, NoisyFlatSeriesDoesNotFlap) {
  const Series s = noisy_flat(0.02);
  Lifecycle lc(test_params());
  classify(lc, s);
  EXPECT_EQ(lc.sequence(), std::vector<Stage>{Stage::kMaturity});
  EXPECT_EQ(lc.ticks_in()[static_cast<std::size_t>(Stage::kMaturity)], 1000u - 19u);
  // The same noise crosses epsilon in single windows: without hysteresis it flaps.
  LifecycleParams p = test_params();
  p.confirm = 1;
  Lifecycle eager(p);
  classify(eager, s);
  EXPECT_GT(eager.sequence().size(), 2u);
}

TEST(ClusterLifecycle, SproutingThenGrowthFromASmallSeed) {
  // 50 firms growing 10 % per window while the giant component is small, against a
  // reference size of 500: sprouting; from 30 % of the reference on: growth.
  Series s;
  s.giant = 0.2;
  for (int t = 0; t <= 500; ++t) {
    s.firms.push_back(50.0 * std::pow(1.1, t / 20.0));
    s.diversity.push_back(0.5);
    s.novelty.push_back(0.0);
  }
  Lifecycle lc;  // defaults: reference 500 firms
  const std::vector<Stage> stages = classify(lc, s);
  EXPECT_EQ(stages[20], Stage::kSprouting);
  const std::vector<Stage> want = {Stage::kSprouting, Stage::kGrowth};
  EXPECT_EQ(lc.sequence(), want);
  // 50 * 1.1^k >= 150 from k = 12 (tick 240); confirmed one window later.
  EXPECT_EQ(stages[259], Stage::kSprouting);
  EXPECT_EQ(stages[260], Stage::kGrowth);
}

TEST(ClusterLifecycle, LockInIndexAndFlag) {
  // Maturity; connectedness rising and diversity falling: lock-in once 4 windows are seen.
  Lifecycle lc(test_params());
  for (int t = 0; t <= 200; ++t) {
    const double clustering = 0.2 + 0.002 * t;
    const double diversity = 0.8 - 0.001 * t;
    lc.observe({1000.0, 0.9, clustering, diversity, 0.0});
    EXPECT_DOUBLE_EQ(lc.lock_in_index(), clustering * 0.9 * (1.0 - diversity));
    if (t == 60) {
      EXPECT_FALSE(lc.lock_in()) << "needs four window ends";
    }
    if (t == 80 || t == 200) {
      EXPECT_TRUE(lc.lock_in()) << t;
    }
  }
  EXPECT_EQ(lc.lock_in_ticks(), 200u - 79u);
  // Diversity rising: no lock-in.
  Lifecycle open(test_params());
  for (int t = 0; t <= 200; ++t) open.observe({1000.0, 0.9, 0.2 + 0.002 * t, 0.5 + 0.001 * t, 0});
  EXPECT_EQ(open.lock_in_ticks(), 0u);
}

TEST(ClusterLifecycle, FinalsCountTheTicksInEachStage) {
  // A seed population (whether it sprouts: tests/unit/io/test_examples.cpp, on
  // examples/seed_population.toml) passes through several stages in 160 ticks.
  ClusterParams p;
  p.n_sme = 50;
  p.n_leading = 0;
  p.outsider_rate = 3.0;
  p.n_universities = 1;
  for (std::uint32_t rep = 0; rep < 2; ++rep) {
    ClusterModel m(p, rng::Key::derive({1, 0, rep}), ExecOptions{1});
    for (int t = 0; t < 160; ++t) m.step();
    ASSERT_FALSE(m.lifecycle().sequence().empty());
    std::vector<double> finals(static_cast<std::size_t>(Final::kCount));
    m.summarize(finals);
    for (std::size_t k = 0; k < 5; ++k) {
      EXPECT_EQ(finals[static_cast<std::size_t>(Final::kTicksSprouting) + k],
                static_cast<double>(m.lifecycle().ticks_in()[k]));
    }
  }
}

}  // namespace
}  // namespace icn::model::cluster
