#include <gtest/gtest.h>

#include "icn/core/error.h"
#include "icn/design/design.h"
#include "icn/design/saltelli.h"
#include "icn/design/sobol.h"

namespace icn::design {
namespace {

DesignSpec saltelli_spec(int d, std::int64_t n, bool second_order, bool scramble) {
  DesignSpec spec;
  spec.kind = DesignKind::kSaltelli;
  spec.n = n;
  spec.second_order = second_order;
  spec.scramble = scramble;
  spec.seed = 2024;
  for (int j = 0; j < d; ++j) {
    Factor f;
    f.name = "x" + std::to_string(j);
    f.lo = -1;
    f.hi = 1 + j;
    spec.factors.push_back(f);
  }
  return spec;
}

void expect_blocks(const Design& des, bool scramble) {
  const SaltelliLayout layout = saltelli_layout(des);
  const int d = layout.d;
  const Eigen::MatrixXd base = sobol_unit(layout.n, 2 * d, scramble, 2024);
  const Eigen::MatrixXd& u = des.unit_points;
  ASSERT_EQ(u.rows(), layout.rows());
  for (std::int64_t j = 0; j < layout.n; ++j) {
    EXPECT_EQ(u.row(layout.a(j)), base.row(j).head(d));
    EXPECT_EQ(u.row(layout.b(j)), base.row(j).tail(d));
    for (int i = 0; i < d; ++i) {
      for (int c = 0; c < d; ++c) {
        // AB_i is A except column i, which is B's; BA_i is B except column i, which is A's.
        const auto from_ab = c == i ? layout.b(j) : layout.a(j);
        EXPECT_EQ(u(layout.ab(j, i), c), u(from_ab, c)) << "j " << j << " i " << i;
        if (layout.second_order) {
          const auto from_ba = c == i ? layout.a(j) : layout.b(j);
          EXPECT_EQ(u(layout.ba(j, i), c), u(from_ba, c)) << "j " << j << " i " << i;
        }
      }
    }
  }
  for (Eigen::Index r = 0; r < u.rows(); ++r) {
    for (int c = 0; c < d; ++c) EXPECT_EQ(des.points(r, c), -1 + u(r, c) * (2 + c));
  }
}

TEST(DesignSaltelli, FirstOrderBlocks) {
  const Design des = make_design(saltelli_spec(3, 16, false, false));
  EXPECT_EQ(des.size(), 16 * (3 + 2));
  EXPECT_EQ(des.base_n, 16);
  EXPECT_FALSE(des.second_order);
  // Rows 0..4 are A_0, AB_10, AB_20, AB_30, B_0.
  const SaltelliLayout l = saltelli_layout(des);
  EXPECT_EQ(l.a(1), 5);
  EXPECT_EQ(l.ab(1, 2), 8);
  EXPECT_EQ(l.b(1), 9);
  expect_blocks(des, false);
}

TEST(DesignSaltelli, SecondOrderBlocks) {
  const Design des = make_design(saltelli_spec(4, 8, true, true));
  EXPECT_EQ(des.size(), 8 * (2 * 4 + 2));
  EXPECT_TRUE(des.second_order);
  const SaltelliLayout l = saltelli_layout(des);
  EXPECT_EQ(l.ba(0, 0), 5);
  EXPECT_EQ(l.b(0), 9);
  expect_blocks(des, true);
}

TEST(DesignSaltelli, LimitsAndWrongKind) {
  EXPECT_NO_THROW(make_design(saltelli_spec(128, 2, false, true)));
  EXPECT_THROW(make_design(saltelli_spec(129, 2, false, true)), InputError);
  DesignSpec lhs;
  lhs.kind = DesignKind::kLhs;
  lhs.n = 4;
  lhs.factors = saltelli_spec(2, 1, false, false).factors;
  EXPECT_THROW(saltelli_layout(make_design(lhs)), InputError);
}

}  // namespace
}  // namespace icn::design
