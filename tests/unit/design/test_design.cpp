#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "icn/core/error.h"
#include "icn/design/design.h"
#include "icn/design/grid.h"
#include "icn/design/lhs.h"

namespace icn::design {
namespace {

Factor real(std::string name, double lo, double hi) {
  Factor f;
  f.name = std::move(name);
  f.lo = lo;
  f.hi = hi;
  return f;
}

// The message of the InputError that make_design throws, or "" when it does not throw.
std::string error_of(const DesignSpec& spec) {
  try {
    make_design(spec);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(DesignKinds, NamesRoundTrip) {
  for (DesignKind k : {DesignKind::kSingle, DesignKind::kGrid, DesignKind::kList, DesignKind::kLhs,
                       DesignKind::kSobol, DesignKind::kSaltelli, DesignKind::kMorris}) {
    EXPECT_EQ(parse_kind(kind_name(k)), k);
  }
  EXPECT_EQ(kind_name(DesignKind::kSaltelli), "saltelli");
  EXPECT_FALSE(parse_kind("halton").has_value());
}

TEST(DesignSingle, IsOnePointWithoutFactors) {
  const Design d = make_design(DesignSpec{});
  EXPECT_EQ(d.size(), 1);
  EXPECT_EQ(d.dims(), 0);
  DesignSpec bad;
  bad.factors.push_back(real("x", 0, 1));
  EXPECT_NE(error_of(bad), "");
}

TEST(DesignGrid, LevelsOfEachKind) {
  Factor lin = real("lin", 0, 1);
  lin.n_levels = 3;
  EXPECT_EQ(grid_levels(lin), (std::vector<double>{0, 0.5, 1}));

  Factor lg = real("log", 1, 100);
  lg.log_scale = true;
  lg.n_levels = 3;
  const auto l = grid_levels(lg);
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[0], 1.0);
  EXPECT_NEAR(l[1], 10.0, 1e-12);
  EXPECT_EQ(l[2], 100.0);

  Factor in = real("int", 1, 4);
  in.integer = true;
  in.n_levels = 3;  // 1, 2.5, 4 -> 1, 3, 4 (round half away from zero)
  EXPECT_EQ(grid_levels(in), (std::vector<double>{1, 3, 4}));

  Factor ex = real("explicit", 0, 0);
  ex.levels = {5, -2, 7};
  EXPECT_EQ(grid_levels(ex), (std::vector<double>{5, -2, 7}));
}

TEST(DesignGrid, FullFactorialWithLastFactorFastest) {
  DesignSpec spec;
  spec.kind = DesignKind::kGrid;
  Factor a = real("a", 0, 1);
  a.n_levels = 3;
  Factor b = real("b", 0, 0);
  b.levels = {10, 20};
  Factor c = real("c", 1, 100);
  c.log_scale = true;
  c.n_levels = 3;
  Factor e = real("e", 1, 4);
  e.integer = true;
  e.n_levels = 3;
  spec.factors = {a, b, c, e};
  const Design d = make_design(spec);
  ASSERT_EQ(d.size(), 3 * 2 * 3 * 3);
  ASSERT_EQ(d.dims(), 4);
  EXPECT_EQ(d.names, (std::vector<std::string>{"a", "b", "c", "e"}));
  const std::vector<std::vector<double>> levels = {{0, 0.5, 1}, {10, 20}, {1, 10, 100}, {1, 3, 4}};
  const std::vector<int> counts = {3, 2, 3, 3};
  for (int r = 0; r < d.size(); ++r) {
    int rest = r;
    for (int j = 3; j >= 0; --j) {
      const int k = rest % counts[j];
      rest /= counts[j];
      EXPECT_NEAR(d.points(r, j), levels[j][k], 1e-12) << "row " << r << " factor " << j;
      EXPECT_DOUBLE_EQ(d.unit_points(r, j), k / (counts[j] - 1.0));
    }
  }
  EXPECT_EQ(d.points(1, 3), 3.0);   // the last factor moves first
  EXPECT_EQ(d.points(9, 1), 20.0);  // b changes every 3 * 3 rows
  EXPECT_EQ(d.points(18, 0), 0.5);  // a changes every 2 * 3 * 3 rows
  EXPECT_EQ(d.base_n, d.size());
}

TEST(DesignGrid, RejectsDuplicatesAndBadLevels) {
  DesignSpec spec;
  spec.kind = DesignKind::kGrid;
  Factor f = real("k", 1, 3);
  f.integer = true;
  f.n_levels = 5;  // 1, 1.5, 2, 2.5, 3 round to 1, 2, 2, 3, 3
  spec.factors = {f};
  EXPECT_NE(error_of(spec).find("'k'"), std::string::npos);

  spec.factors[0] = real("x", 0, 1);
  spec.factors[0].levels = {0.1, 0.2, 0.1};
  EXPECT_NE(error_of(spec).find("twice"), std::string::npos);

  spec.factors[0] = real("x", 0, 1);
  spec.factors[0].n_levels = 1;
  EXPECT_NE(error_of(spec), "");

  spec.factors[0] = real("x", 1, 0);
  spec.factors[0].n_levels = 3;
  EXPECT_NE(error_of(spec), "");

  spec.factors[0] = real("x", 0, 1);
  spec.factors[0].integer = true;
  spec.factors[0].levels = {0.5};
  EXPECT_NE(error_of(spec), "");

  // 1000^3 points exceed kMaxDesignPoints.
  Factor big = real("x", 0, 1);
  big.n_levels = 1000;
  spec.factors = {big, big, big};
  spec.factors[1].name = "y";
  spec.factors[2].name = "z";
  EXPECT_NE(error_of(spec).find("more than"), std::string::npos);
}

TEST(DesignList, TakesPointsAsGiven) {
  DesignSpec spec;
  spec.kind = DesignKind::kList;
  Factor n = real("n", 10, 20);
  n.integer = true;
  Factor s = real("s", 1, 100);
  s.log_scale = true;
  spec.factors = {n, s};
  spec.list_points = {{10, 1}, {15, 10}, {20, 100}};
  const Design d = make_design(spec);
  ASSERT_EQ(d.size(), 3);
  EXPECT_EQ(d.points(1, 0), 15.0);
  EXPECT_EQ(d.points(2, 1), 100.0);
  EXPECT_DOUBLE_EQ(d.unit_points(1, 1), 0.5);
  EXPECT_DOUBLE_EQ(d.unit_points(0, 0), 0.5 / 11);  // middle of 10's share
  for (int r = 0; r < 3; ++r) {
    for (int j = 0; j < 2; ++j) {
      EXPECT_NEAR(from_unit(spec.factors[j], d.unit_points(r, j)), d.points(r, j), 1e-12);
    }
  }

  spec.list_points = {{10, 1}, {15}};
  EXPECT_NE(error_of(spec).find("point 1"), std::string::npos);
  spec.list_points = {{21, 1}};
  EXPECT_NE(error_of(spec).find("outside"), std::string::npos);
  spec.list_points = {{12.5, 1}};
  EXPECT_NE(error_of(spec).find("not an integer"), std::string::npos);
  spec.list_points = {};
  EXPECT_NE(error_of(spec), "");
}

TEST(DesignMapping, UnitToFactorUnits) {
  Factor lin = real("x", -1, 3);
  EXPECT_EQ(from_unit(lin, 0), -1.0);
  EXPECT_EQ(from_unit(lin, 0.25), 0.0);
  EXPECT_EQ(from_unit(lin, 1), 3.0);

  Factor lg = real("x", 0.01, 100);
  lg.log_scale = true;
  EXPECT_NEAR(from_unit(lg, 0.5), 1.0, 1e-14);
  EXPECT_NEAR(from_unit(lg, 0.75), 10.0, 1e-12);
  EXPECT_NEAR(to_unit(lg, 10.0), 0.75, 1e-14);

  // Integers 1..4 each own a quarter of [0, 1].
  Factor in = real("k", 1, 4);
  in.integer = true;
  EXPECT_EQ(from_unit(in, 0.0), 1.0);
  EXPECT_EQ(from_unit(in, 0.2499), 1.0);
  EXPECT_EQ(from_unit(in, 0.25), 2.0);
  EXPECT_EQ(from_unit(in, 0.74), 3.0);
  EXPECT_EQ(from_unit(in, 0.9999), 4.0);
  EXPECT_EQ(from_unit(in, 1.0), 4.0);
  EXPECT_DOUBLE_EQ(to_unit(in, 3.0), 0.625);

  // Log-scaled integers 1..3: k owns log((k + 1) / k) / log(4).
  Factor li = in;
  li.hi = 3;
  li.log_scale = true;
  EXPECT_EQ(from_unit(li, 0.49), 1.0);  // log 2 / log 4 = 0.5
  EXPECT_EQ(from_unit(li, 0.51), 2.0);
  EXPECT_EQ(from_unit(li, 0.80), 3.0);  // log 3 / log 4 = 0.79
  EXPECT_EQ(from_unit(li, 1.0), 3.0);
}

TEST(DesignLhs, OnePointPerStratumInEveryDimension) {
  constexpr int kN = 97;
  constexpr int kDims = 6;
  const Eigen::MatrixXd u = latin_hypercube(kN, kDims, 12345);
  for (int j = 0; j < kDims; ++j) {
    std::vector<int> hits(kN, 0);
    for (int i = 0; i < kN; ++i) {
      const double x = u(i, j);
      int k = 0;
      while (k < kN &&
             !(x >= k / static_cast<double>(kN) && x < (k + 1) / static_cast<double>(kN))) {
        ++k;
      }
      ASSERT_LT(k, kN) << "value " << x << " in no stratum";
      ++hits[k];
    }
    for (int k = 0; k < kN; ++k) EXPECT_EQ(hits[k], 1) << "dimension " << j << " stratum " << k;
  }
  EXPECT_EQ(u, latin_hypercube(kN, kDims, 12345));
  EXPECT_NE(u, latin_hypercube(kN, kDims, 12346));
  // Different dimensions are permuted independently.
  EXPECT_NE(u.col(0), u.col(1));
}

TEST(DesignLhs, MapsIntoFactorRanges) {
  DesignSpec spec;
  spec.kind = DesignKind::kLhs;
  spec.n = 40;
  spec.seed = 5;
  Factor k = real("k", 2, 5);
  k.integer = true;
  Factor s = real("s", 0.1, 10);
  s.log_scale = true;
  spec.factors = {k, s, real("x", -1, 1)};
  const Design d = make_design(spec);
  ASSERT_EQ(d.size(), 40);
  std::vector<int> per_integer(4, 0);
  for (int r = 0; r < 40; ++r) {
    EXPECT_EQ(d.points(r, 0), std::floor(d.points(r, 0)));
    ++per_integer[static_cast<int>(d.points(r, 0)) - 2];
    EXPECT_GE(d.points(r, 1), 0.1);
    EXPECT_LE(d.points(r, 1), 10.0);
    EXPECT_GE(d.points(r, 2), -1.0);
    EXPECT_LE(d.points(r, 2), 1.0);
  }
  // 40 strata over 4 equal integer shares: exactly 10 each.
  EXPECT_EQ(per_integer, (std::vector<int>{10, 10, 10, 10}));
}

TEST(DesignSobolDesign, MapsThePlainSequence) {
  DesignSpec spec;
  spec.kind = DesignKind::kSobol;
  spec.n = 3;
  spec.scramble = false;
  spec.factors = {real("x", 0, 10), real("y", -1, 1)};
  const Design d = make_design(spec);
  ASSERT_EQ(d.size(), 3);
  // Plain rows start at point 1: (0.5, 0.5), (0.75, 0.25), (0.25, 0.75).
  EXPECT_EQ(d.points(0, 0), 5.0);
  EXPECT_EQ(d.points(1, 0), 7.5);
  EXPECT_EQ(d.points(1, 1), -0.5);
  EXPECT_EQ(d.points(2, 1), 0.5);
  EXPECT_EQ(d.base_n, 3);
}

TEST(DesignSpecChecks, RejectBadSpecsWithReasons) {
  DesignSpec spec;
  spec.kind = DesignKind::kLhs;
  spec.n = 10;
  spec.factors = {real("x", 0, 1), real("x", 0, 1)};
  EXPECT_NE(error_of(spec).find("twice"), std::string::npos);
  spec.factors = {real("", 0, 1)};
  EXPECT_NE(error_of(spec).find("empty name"), std::string::npos);
  spec.factors = {real("x", 1, 1)};
  EXPECT_NE(error_of(spec).find("lo < hi"), std::string::npos);
  spec.factors = {real("x", 0, 1)};
  spec.factors[0].log_scale = true;
  EXPECT_NE(error_of(spec).find("lo > 0"), std::string::npos);
  spec.factors = {real("x", 0.5, 3)};
  spec.factors[0].integer = true;
  EXPECT_NE(error_of(spec).find("integral"), std::string::npos);
  spec.factors = {real("x", 0, 1)};
  spec.n = 0;
  EXPECT_NE(error_of(spec).find("n >= 1"), std::string::npos);
  spec.factors = {};
  spec.n = 10;
  EXPECT_NE(error_of(spec).find("at least one factor"), std::string::npos);
  spec.factors = {real("x", 0, std::nan(""))};
  EXPECT_NE(error_of(spec).find("non-finite"), std::string::npos);

  spec.kind = DesignKind::kSobol;
  spec.factors.clear();
  for (int j = 0; j < 257; ++j) spec.factors.push_back(real("f" + std::to_string(j), 0, 1));
  EXPECT_NE(error_of(spec).find("257"), std::string::npos);
  spec.n = kMaxDesignPoints + 1;
  EXPECT_NE(error_of(spec).find("limit"), std::string::npos);
}

}  // namespace
}  // namespace icn::design
