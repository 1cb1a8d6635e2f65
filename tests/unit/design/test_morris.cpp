#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "icn/core/error.h"
#include "icn/design/design.h"
#include "icn/design/morris.h"

namespace icn::design {
namespace {

DesignSpec morris_spec(int d, int r, int p) {
  DesignSpec spec;
  spec.kind = DesignKind::kMorris;
  spec.morris_trajectories = r;
  spec.morris_levels = p;
  spec.seed = 77;
  for (int j = 0; j < d; ++j) {
    Factor f;
    f.name = "x" + std::to_string(j);
    f.lo = 0;
    f.hi = 10;
    spec.factors.push_back(f);
  }
  return spec;
}

void check_trajectories(const Design& des) {
  const int d = des.dims();
  const int p = des.morris_levels;
  const double delta = des.morris_delta;
  ASSERT_EQ(des.size(), des.base_n * (d + 1));
  for (std::int64_t t = 0; t < des.base_n; ++t) {
    const auto steps = morris_steps(des, t);
    ASSERT_EQ(steps.size(), static_cast<std::size_t>(d));
    std::vector<int> changes(static_cast<std::size_t>(d), 0);
    for (int k = 0; k < d; ++k) {
      const auto r = t * (d + 1) + k;
      int changed = -1;
      for (int i = 0; i < d; ++i) {
        const double diff = des.unit_points(r + 1, i) - des.unit_points(r, i);
        if (diff == 0) continue;
        EXPECT_EQ(changed, -1) << "two factors change at trajectory " << t << " step " << k;
        changed = i;
        EXPECT_NEAR(std::abs(diff), delta, 1e-12);
        EXPECT_EQ(steps[static_cast<std::size_t>(k)].factor, i);
        EXPECT_EQ(steps[static_cast<std::size_t>(k)].step, diff > 0 ? delta : -delta);
      }
      ASSERT_GE(changed, 0) << "no factor changes at trajectory " << t << " step " << k;
      ++changes[static_cast<std::size_t>(changed)];
    }
    for (int i = 0; i < d; ++i) EXPECT_EQ(changes[static_cast<std::size_t>(i)], 1);
  }
  for (Eigen::Index r = 0; r < des.unit_points.rows(); ++r) {
    for (int i = 0; i < d; ++i) {
      const double cells = des.unit_points(r, i) * (p - 1);
      EXPECT_NEAR(cells, std::round(cells), 1e-12) << "off the grid";
      EXPECT_GE(des.unit_points(r, i), 0.0);
      EXPECT_LE(des.unit_points(r, i), 1.0);
      EXPECT_NEAR(des.points(r, i), 10 * des.unit_points(r, i), 1e-12);
    }
  }
}

TEST(DesignMorris, TrajectoriesMoveOneFactorAtATime) {
  const Design des = make_design(morris_spec(5, 20, 4));
  EXPECT_EQ(des.size(), 20 * 6);
  EXPECT_EQ(des.base_n, 20);
  EXPECT_DOUBLE_EQ(des.morris_delta, 2.0 / 3.0);
  check_trajectories(des);
}

TEST(DesignMorris, OtherLevelCounts) {
  for (int p : {2, 6, 8}) {
    const Design des = make_design(morris_spec(3, 15, p));
    EXPECT_DOUBLE_EQ(des.morris_delta, p / (2.0 * (p - 1)));
    check_trajectories(des);
  }
}

TEST(DesignMorris, RandomStartsAndOrders) {
  const Design des = make_design(morris_spec(4, 50, 4));
  int distinct_starts = 0;
  int first_factor_zero = 0;
  for (std::int64_t t = 1; t < 50; ++t) {
    if (des.unit_points.row(t * 5) != des.unit_points.row(0)) ++distinct_starts;
    if (morris_steps(des, t)[0].factor == 0) ++first_factor_zero;
  }
  EXPECT_GT(distinct_starts, 30);
  EXPECT_GT(first_factor_zero, 2);  // about 1 in 4 trajectories move factor 0 first
  EXPECT_LT(first_factor_zero, 30);
  EXPECT_EQ(des.unit_points, make_design(morris_spec(4, 50, 4)).unit_points);
}

TEST(DesignMorris, RejectsBadSettings) {
  EXPECT_THROW(make_design(morris_spec(3, 10, 3)), InputError);
  EXPECT_THROW(make_design(morris_spec(3, 10, 0)), InputError);
  EXPECT_THROW(make_design(morris_spec(3, 0, 4)), InputError);
  EXPECT_THROW(make_design(morris_spec(0, 10, 4)), InputError);
  const Design des = make_design(morris_spec(3, 10, 4));
  EXPECT_THROW(morris_steps(des, 10), InputError);
}

}  // namespace
}  // namespace icn::design
