#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "icn/core/error.h"
#include "icn/core/rng.h"
#include "icn/stats/moments.h"

namespace icn::stats {
namespace {

constexpr double kOffset = 1e9;

// 10^5 values 1e9 + N(0, 1): the offset is 9 orders of magnitude above the spread.
std::vector<double> offset_values() {
  rng::Stream s(rng::Key::from_seed(11), 0, rng::Stage::kTest, 0);
  std::vector<double> x(100000);
  for (double& v : x) v = kOffset + rng::normal(s);
  return x;
}

// Two-pass reference on x - 1e9, which is exact (Sterbenz), in long double.
struct Reference {
  double mean;
  double variance;
};
Reference two_pass(const std::vector<double>& x) {
  long double sum = 0;
  for (double v : x) sum += v - kOffset;
  const long double mean = sum / static_cast<long double>(x.size());
  long double ss = 0;
  for (double v : x) ss += ((v - kOffset) - mean) * ((v - kOffset) - mean);
  return {static_cast<double>(kOffset + mean),
          static_cast<double>(ss / static_cast<long double>(x.size() - 1))};
}

TEST(StatsMoments, SmallSampleByHand) {
  Moments m;
  for (double x : {2, 4, 4, 4, 5, 5, 7, 9}) m.add(x);
  EXPECT_EQ(m.count(), 8);
  EXPECT_DOUBLE_EQ(m.mean(), 5.0);
  EXPECT_DOUBLE_EQ(m.m2(), 32.0);
  EXPECT_DOUBLE_EQ(m.variance(), 32.0 / 7.0);
  EXPECT_DOUBLE_EQ(m.std_error(), std::sqrt(32.0 / 7.0 / 8.0));
  EXPECT_EQ(m.min(), 2.0);
  EXPECT_EQ(m.max(), 9.0);
}

TEST(StatsMoments, EmptyAndSingle) {
  Moments m;
  EXPECT_EQ(m.count(), 0);
  EXPECT_TRUE(std::isnan(m.mean()));
  EXPECT_TRUE(std::isnan(m.min()));
  EXPECT_EQ(m.variance(), 0.0);
  m.add(-3.5);
  EXPECT_EQ(m.mean(), -3.5);
  EXPECT_EQ(m.variance(), 0.0);
  EXPECT_EQ(m.min(), -3.5);
  EXPECT_EQ(m.max(), -3.5);
}

TEST(StatsMoments, LargeOffsetMatchesTwoPass) {
  const auto x = offset_values();
  Moments m;
  for (double v : x) m.add(v);
  const Reference ref = two_pass(x);
  EXPECT_NEAR(m.mean(), ref.mean, 1e-12 * std::abs(ref.mean));
  EXPECT_NEAR(m.variance(), ref.variance, 1e-12 * ref.variance);
  EXPECT_NEAR(ref.variance, 1.0, 0.02);  // the reference itself is sane
}

TEST(StatsMoments, MergeOfPartsEqualsWhole) {
  const auto x = offset_values();
  Moments whole;
  for (double v : x) whole.add(v);
  // Uneven parts, including an empty one, merged left to right.
  const std::vector<std::size_t> cuts = {0, 1, 17, 17, 5000, 33333, 70001, 99999, x.size()};
  Moments merged;
  for (std::size_t p = 0; p + 1 < cuts.size(); ++p) {
    Moments part;
    for (std::size_t i = cuts[p]; i < cuts[p + 1]; ++i) part.add(x[i]);
    merged.merge(part);
  }
  EXPECT_EQ(merged.count(), whole.count());
  EXPECT_NEAR(merged.mean(), whole.mean(), 1e-12 * std::abs(whole.mean()));
  EXPECT_NEAR(merged.variance(), whole.variance(), 1e-12 * whole.variance());
  EXPECT_EQ(merged.min(), whole.min());
  EXPECT_EQ(merged.max(), whole.max());
  // Parts far apart: {0, 1, 2} and {1e6, 1e6 + 1} (exact answers).
  Moments a;
  Moments b;
  for (double v : {0.0, 1.0, 2.0}) a.add(v);
  for (double v : {1e6, 1e6 + 1}) b.add(v);
  a.merge(b);
  Moments all;
  for (double v : {0.0, 1.0, 2.0, 1e6, 1e6 + 1}) all.add(v);
  EXPECT_NEAR(a.mean(), all.mean(), 1e-9);
  EXPECT_NEAR(a.variance(), all.variance(), 1e-12 * all.variance());
}

TEST(StatsMoments, MergeWithEmpty) {
  Moments a;
  for (double v : {1.0, 2.0, 4.0}) a.add(v);
  Moments copy = a;
  copy.merge(Moments{});
  EXPECT_EQ(copy, a);
  Moments empty;
  empty.merge(a);
  EXPECT_EQ(empty, a);
}

TEST(StatsMoments, SameSequenceSameBits) {
  const auto x = offset_values();
  Moments a;
  Moments b;
  for (double v : x) a.add(v);
  for (double v : x) b.add(v);
  EXPECT_EQ(a, b);
}

TEST(StatsMoments, SaveLoadRoundTrip) {
  Moments m;
  for (double v : {3.0, 1.0, 4.0, 1.0, 5.0}) m.add(v);
  std::vector<double> state{42.0};  // load starts at an offset
  m.save(state);
  ASSERT_EQ(state.size(), 1 + Moments::kSavedSize);
  std::size_t pos = 1;
  EXPECT_EQ(Moments::load(state, pos), m);
  EXPECT_EQ(pos, state.size());
  state.pop_back();
  pos = 1;
  EXPECT_THROW(Moments::load(state, pos), RuntimeError);
}

}  // namespace
}  // namespace icn::stats
