#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "icn/core/error.h"
#include "icn/core/rng.h"
#include "icn/stats/accumulator.h"

namespace icn::stats {
namespace {

std::vector<double> values(std::size_t n) {
  rng::Stream s(rng::Key::from_seed(21), 0, rng::Stage::kTest, 1);
  std::vector<double> x(n);
  for (double& v : x) v = rng::normal(s, 100, 15);
  return x;
}

TEST(StatsAccumulator, MomentsAndQuantilesTogether) {
  Accumulator acc;
  for (double v : {4.0, 1.0, 3.0, 2.0}) acc.add(v);
  EXPECT_EQ(acc.count(), 4);
  EXPECT_DOUBLE_EQ(acc.mean(), 2.5);
  EXPECT_DOUBLE_EQ(acc.variance(), 5.0 / 3.0);
  EXPECT_NEAR(acc.quantile(0.5), 2.5, 1e-12);
  EXPECT_EQ(acc.moments().min(), 1.0);
}

TEST(StatsAccumulator, MergeOfPartsEqualsWhole) {
  const auto x = values(3000);
  Accumulator whole(64);
  for (double v : x) whole.add(v);
  Accumulator merged(64);
  for (std::size_t part = 0; part < 3; ++part) {
    Accumulator a(64);
    for (std::size_t i = part * 1000; i < (part + 1) * 1000; ++i) a.add(x[i]);
    merged.merge(a);
  }
  EXPECT_EQ(merged.count(), 3000);
  EXPECT_NEAR(merged.mean(), whole.mean(), 1e-12 * whole.mean());
  EXPECT_NEAR(merged.variance(), whole.variance(), 1e-12 * whole.variance());
  EXPECT_NEAR(merged.quantile(0.5), whole.quantile(0.5), 1.0);
  EXPECT_THROW(merged.merge(Accumulator(32)), RuntimeError);
}

TEST(StatsAccumulator, SerializeRoundTripIsExact) {
  const auto x = values(2000);
  for (std::size_t n : {std::size_t{0}, std::size_t{5}, std::size_t{200}, std::size_t{2000}}) {
    Accumulator acc(32);
    for (std::size_t i = 0; i < n; ++i) acc.add(x[i]);
    const std::vector<double> state = acc.serialize();
    Accumulator back = Accumulator::deserialize(state);
    EXPECT_EQ(back, acc) << n << " values";
    EXPECT_EQ(back.serialize(), state);
    // The restored accumulator continues exactly as the original would.
    for (std::size_t i = 0; i < 300; ++i) {
      acc.add(x[i]);
      back.add(x[i]);
    }
    EXPECT_EQ(back, acc);
    EXPECT_EQ(back.quantile(0.9), acc.quantile(0.9));
  }
}

TEST(StatsAccumulator, DeserializeRejectsBadState) {
  Accumulator acc;
  for (double v : values(100)) acc.add(v);
  const std::vector<double> good = acc.serialize();

  std::vector<double> bad = good;
  bad[0] = 1;
  EXPECT_THROW(Accumulator::deserialize(bad), RuntimeError);  // foreign tag
  bad = good;
  bad[1] = 2;
  EXPECT_THROW(Accumulator::deserialize(bad), RuntimeError);  // unknown version
  bad = good;
  bad.pop_back();
  EXPECT_THROW(Accumulator::deserialize(bad), RuntimeError);  // truncated
  bad = good;
  bad.push_back(0);
  EXPECT_THROW(Accumulator::deserialize(bad), RuntimeError);  // trailing data
  bad = good;
  bad[2] = 99;  // moments count disagrees with the sketch
  EXPECT_THROW(Accumulator::deserialize(bad), RuntimeError);
  bad = good;
  bad[2] = 0.5;
  EXPECT_THROW(Accumulator::deserialize(bad), RuntimeError);  // non-integral count
}

}  // namespace
}  // namespace icn::stats
