#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <vector>

#include "icn/core/error.h"
#include "icn/core/rng.h"
#include "icn/stats/quantile_sketch.h"

namespace icn::stats {
namespace {

QuantileSketch sketch_of(const std::vector<double>& x, int k = QuantileSketch::kDefaultK) {
  QuantileSketch s(k);
  for (double v : x) s.add(v);
  return s;
}

// Expected values are numpy.quantile's default (method="linear"), worked by hand:
// sorted {1, 1, 2, 3, 4, 5, 6, 9}, h = 7 q.
TEST(StatsQuantile, ExactRegimeIsNumpyLinear) {
  const QuantileSketch s = sketch_of({3, 1, 4, 1, 5, 9, 2, 6});
  EXPECT_TRUE(s.exact());
  EXPECT_EQ(s.quantile(0.0), 1.0);
  EXPECT_EQ(s.quantile(0.1), 1.0);             // h = 0.7 between 1 and 1
  EXPECT_NEAR(s.quantile(0.25), 1.75, 1e-12);  // h = 1.75: 1 + 0.75 (2 - 1)
  EXPECT_NEAR(s.quantile(0.5), 3.5, 1e-12);    // h = 3.5: 3 + 0.5 (4 - 3)
  EXPECT_NEAR(s.quantile(0.9), 6.9, 1e-12);    // h = 6.3: 6 + 0.3 (9 - 6)
  EXPECT_EQ(s.quantile(1.0), 9.0);

  // Sorted {10, 20, 30, 40, 50}, h = 4 q.
  const QuantileSketch t = sketch_of({50, 10, 40, 20, 30});
  EXPECT_NEAR(t.quantile(0.3), 22.0, 1e-12);  // h = 1.2
  EXPECT_EQ(t.quantile(0.75), 40.0);          // h = 3
  const std::vector<double> qs = {0.05, 0.5, 0.95};
  const auto many = t.quantiles(qs);
  EXPECT_NEAR(many[0], 12.0, 1e-12);  // h = 0.2
  EXPECT_EQ(many[1], 30.0);
  EXPECT_NEAR(many[2], 48.0, 1e-12);  // h = 3.8

  EXPECT_EQ(sketch_of({7.5}).quantile(0.3), 7.5);
  EXPECT_TRUE(std::isnan(QuantileSketch().quantile(0.5)));
  EXPECT_THROW(t.quantile(1.5), InputError);
  EXPECT_THROW(t.quantile(-0.1), InputError);
  EXPECT_EQ(t.rank(30), 3);
  EXPECT_EQ(t.rank(29.9), 2);
}

TEST(StatsQuantile, ExactUpToKValues) {
  std::vector<double> x;
  QuantileSketch s(16);
  for (int i = 0; i < 16; ++i) {
    s.add(16 - i);
    EXPECT_TRUE(s.exact());
  }
  EXPECT_NEAR(s.quantile(0.5), 8.5, 1e-12);
  s.add(0);
  EXPECT_FALSE(s.exact());
  EXPECT_EQ(s.count(), 17);
  EXPECT_EQ(s.rank_error_bound(), 1);
  EXPECT_THROW(QuantileSketch(7), InputError);
  EXPECT_THROW(QuantileSketch(4), InputError);
}

TEST(StatsQuantile, MergeOfExactSketchesStaysExact) {
  const std::vector<double> a = {5, 3, 8, 1};
  const std::vector<double> b = {2, 9, 4};
  QuantileSketch s = sketch_of(a);
  s.merge(sketch_of(b));
  std::vector<double> all = a;
  all.insert(all.end(), b.begin(), b.end());
  const QuantileSketch whole = sketch_of(all);
  EXPECT_TRUE(s.exact());
  for (double q : {0.0, 0.1, 0.33, 0.5, 0.8, 1.0}) EXPECT_EQ(s.quantile(q), whole.quantile(q));
  EXPECT_THROW(s.merge(QuantileSketch(16)), RuntimeError);
}

// Checks the sketch against the sorted truth: the rank of every 997th value and the true
// rank of the returned quantiles, both within the tracked bound, which stays within the
// documented limit. Returns the largest observed rank error as a fraction of n.
double check_against_truth(const QuantileSketch& s, std::vector<double> x) {
  std::sort(x.begin(), x.end());
  const auto n = static_cast<std::int64_t>(x.size());
  const std::int64_t bound = s.rank_error_bound();
  EXPECT_LE(static_cast<double>(bound), QuantileSketch::rank_error_limit(n, s.k()));
  std::int64_t worst = 0;
  for (std::size_t i = 0; i < x.size(); i += 997) {
    const auto truth = std::upper_bound(x.begin(), x.end(), x[i]) - x.begin();
    const std::int64_t err = std::abs(s.rank(x[i]) - truth);
    EXPECT_LE(err, bound) << "at value " << x[i];
    worst = std::max(worst, err);
  }
  for (int p = 1; p < 1000; p += 7) {
    const double q = p / 1000.0;
    const double v = s.quantile(q);
    // v lies between two adjacent items of the expanded sample, whose ranks are within the
    // bound; so its true rank range [#{x < v}, #{x <= v}] meets q (n - 1) +- (bound + 1).
    const auto lo = std::lower_bound(x.begin(), x.end(), v) - x.begin();
    const auto hi = std::upper_bound(x.begin(), x.end(), v) - x.begin();
    const double target = q * static_cast<double>(n - 1);
    EXPECT_LE(static_cast<double>(lo), target + static_cast<double>(bound) + 1) << "q " << q;
    EXPECT_GE(static_cast<double>(hi), target - static_cast<double>(bound)) << "q " << q;
  }
  return static_cast<double>(worst) / static_cast<double>(n);
}

std::vector<double> uniform_values(std::size_t n, std::uint64_t seed) {
  rng::Stream s(rng::Key::from_seed(seed), 0, rng::Stage::kTest, 0);
  std::vector<double> x(n);
  for (double& v : x) v = rng::uniform(s);
  return x;
}

// Standard Cauchy: tan(pi (u - 1/2)), no mean, tails to about 1e6 at n = 1e6.
std::vector<double> cauchy_values(std::size_t n, std::uint64_t seed) {
  std::vector<double> x = uniform_values(n, seed);
  for (double& v : x) v = std::tan(std::numbers::pi * (v - 0.5));
  return x;
}

TEST(StatsQuantile, SketchErrorWithinBoundUniform) {
  const auto x = uniform_values(1'000'000, 1);
  const QuantileSketch s = sketch_of(x);
  EXPECT_EQ(s.count(), 1'000'000);
  EXPECT_FALSE(s.exact());
  const double observed = check_against_truth(s, x);
  std::printf("uniform 1e6, k=256: rank error bound %.4f n, observed %.5f n, %zu items\n",
              static_cast<double>(s.rank_error_bound()) / 1e6, observed, s.retained());
  // Memory stays logarithmic: k (2 + log2(n / k)) items at most.
  EXPECT_LE(static_cast<double>(s.retained()), 256 * (2 + std::log2(1e6 / 256)));
  EXPECT_NEAR(s.quantile(0.5), 0.5, 0.01);
}

TEST(StatsQuantile, SketchErrorWithinBoundHeavyTailed) {
  const auto x = cauchy_values(1'000'000, 2);
  const QuantileSketch s = sketch_of(x);
  const double observed = check_against_truth(s, x);
  std::printf("cauchy 1e6, k=256: rank error bound %.4f n, observed %.5f n\n",
              static_cast<double>(s.rank_error_bound()) / 1e6, observed);
  EXPECT_NEAR(s.quantile(0.75), 1.0, 0.05);  // the Cauchy quartiles are -1 and 1
}

TEST(StatsQuantile, MergedSketchesWithinBound) {
  const auto x = cauchy_values(400'000, 3);
  QuantileSketch merged(64);
  for (std::size_t part = 0; part < 8; ++part) {
    QuantileSketch s(64);
    for (std::size_t i = part * 50'000; i < (part + 1) * 50'000; ++i) s.add(x[i]);
    merged.merge(s);
  }
  EXPECT_EQ(merged.count(), 400'000);
  const double observed = check_against_truth(merged, x);
  std::printf("cauchy 4e5 merged from 8 parts, k=64: bound %.4f n, observed %.5f n\n",
              static_cast<double>(merged.rank_error_bound()) / 4e5, observed);
}

TEST(StatsQuantile, DeterministicForTheSameSequence) {
  const auto x = uniform_values(100'000, 4);
  const QuantileSketch a = sketch_of(x, 32);
  const QuantileSketch b = sketch_of(x, 32);
  EXPECT_EQ(a, b);
  QuantileSketch m1(32);
  QuantileSketch m2(32);
  for (int rep = 0; rep < 2; ++rep) {
    QuantileSketch& m = rep == 0 ? m1 : m2;
    m.merge(a);
    m.merge(sketch_of(uniform_values(5000, 5), 32));
  }
  EXPECT_EQ(m1, m2);
  // Merging a sketch into itself doubles every count.
  QuantileSketch twice = a;
  twice.merge(twice);
  EXPECT_EQ(twice.count(), 2 * a.count());
  EXPECT_NEAR(twice.quantile(0.5), a.quantile(0.5), 0.02);
}

TEST(StatsQuantile, SaveLoadRoundTrip) {
  for (std::size_t n : {std::size_t{10}, std::size_t{5000}}) {
    const QuantileSketch s = sketch_of(uniform_values(n, 6), 16);
    std::vector<double> state;
    s.save(state);
    std::size_t pos = 0;
    QuantileSketch back = QuantileSketch::load(state, pos);
    EXPECT_EQ(pos, state.size());
    EXPECT_EQ(back, s);
    // Corrupt the count: weights no longer add up.
    state[1] += 1;
    pos = 0;
    EXPECT_THROW(QuantileSketch::load(state, pos), RuntimeError);
  }
}

}  // namespace
}  // namespace icn::stats
