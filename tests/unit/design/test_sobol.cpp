#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "icn/core/error.h"
#include "icn/design/detail/joe_kuo.h"
#include "icn/design/sobol.h"

namespace icn::design {
namespace {

// Hand-computed from the direction numbers: dim 1 has V = 1/2, 1/4, 1/8; dim 2 (s = 1,
// a = 0, m = 1) has V = .1, .11, .101 (binary); dim 3 (s = 2, a = 1, m = 1, 3) has
// V = .1, .11, .011. Point i XORs the V_k selected by the bits of gray(i) = i ^ (i >> 1).
TEST(DesignSobol, FirstPointsMatchTheSequence) {
  const std::array<std::array<double, 3>, 8> expected = {{{0, 0, 0},
                                                          {0.5, 0.5, 0.5},
                                                          {0.75, 0.25, 0.25},
                                                          {0.25, 0.75, 0.75},
                                                          {0.375, 0.375, 0.625},
                                                          {0.875, 0.875, 0.125},
                                                          {0.625, 0.125, 0.875},
                                                          {0.125, 0.625, 0.375}}};
  const SobolSequence seq(3);
  std::array<double, 3> x{};
  for (std::uint64_t i = 0; i < expected.size(); ++i) {
    seq.point(i, x);
    for (int j = 0; j < 3; ++j) EXPECT_EQ(x[j], expected[i][j]) << "point " << i << " dim " << j;
  }
  // The design generator drops the origin of the plain sequence.
  const Eigen::MatrixXd u = sobol_unit(7, 3, /*scramble=*/false, 0);
  for (int i = 0; i < 7; ++i) {
    for (int j = 0; j < 3; ++j) EXPECT_EQ(u(i, j), expected[i + 1][j]);
  }
}

TEST(DesignSobol, DirectionNumbersOfDimensionThree) {
  // V_3 = V_1 ^ (V_1 >> 2) ^ V_2 = .1 ^ .001 ^ .11 = .011 (the recurrence with a = 1).
  const SobolSequence seq(3);
  EXPECT_EQ(seq.direction(2, 1), 0x80000000u);
  EXPECT_EQ(seq.direction(2, 2), 0xC0000000u);
  EXPECT_EQ(seq.direction(2, 3), 0x60000000u);
}

// x^(2^s - 1) = 1 mod p and no smaller power does (multiplicative order 2^s - 1).
bool is_primitive(int s, unsigned a) {
  const unsigned p = (1u << s) | (a << 1) | 1u;
  const unsigned period = (1u << s) - 1;
  unsigned x = 1;
  for (unsigned k = 1; k <= period; ++k) {
    x <<= 1;
    if (x & (1u << s)) x ^= p;
    if (x == 1) return k == period;
  }
  return false;
}

TEST(DesignSobol, TableHoldsThePrimitivePolynomialsInOrder) {
  const auto table = detail::joe_kuo_table();
  ASSERT_EQ(table.size(), static_cast<std::size_t>(kSobolMaxDims - 1));
  std::size_t row = 0;
  for (int s = 1; s <= detail::kJoeKuoMaxDegree && row < table.size(); ++s) {
    for (unsigned a = 0; a < (1u << (s - 1)) && row < table.size(); ++a) {
      if (!is_primitive(s, a)) continue;
      EXPECT_EQ(table[row].s, s) << "dimension " << row + 2;
      EXPECT_EQ(table[row].a, a) << "dimension " << row + 2;
      ++row;
    }
  }
  EXPECT_EQ(row, table.size());
}

TEST(DesignSobol, TableInitialNumbersAreOddAndBounded) {
  for (std::size_t r = 0; r < detail::joe_kuo_table().size(); ++r) {
    const auto& row = detail::joe_kuo_table()[r];
    for (int k = 1; k <= detail::kJoeKuoMaxDegree; ++k) {
      const unsigned m = row.m[static_cast<std::size_t>(k - 1)];
      if (k <= row.s) {
        EXPECT_EQ(m % 2, 1u) << "dimension " << r + 2 << " m_" << k;
        EXPECT_LT(m, 1u << k) << "dimension " << r + 2 << " m_" << k;
      } else {
        EXPECT_EQ(m, 0u);
      }
    }
  }
}

// Every one-dimensional projection of the first 2^m points is {0, 1, ..., 2^m - 1} / 2^m
// (plain) or hits each interval [k/2^m, (k+1)/2^m) once (scrambled).
void expect_stratified(const Eigen::MatrixXd& x, int m) {
  const int n = 1 << m;
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    std::vector<int> hits(static_cast<std::size_t>(n), 0);
    for (int i = 0; i < n; ++i) {
      const double cell = x(i, j) * n;
      ASSERT_GE(x(i, j), 0.0);
      ASSERT_LT(x(i, j), 1.0);
      ++hits[static_cast<std::size_t>(cell)];
    }
    EXPECT_EQ(std::count(hits.begin(), hits.end(), 1), n) << "dimension " << j + 1;
  }
}

TEST(DesignSobol, OneDimensionalProjectionsAreStratified) {
  const SobolSequence plain(kSobolMaxDims);
  const Eigen::MatrixXd x = plain.points(0, 1 << 10);
  expect_stratified(x, 10);
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    for (int i = 0; i < (1 << 10); ++i) EXPECT_EQ(x(i, j) * 1024, std::floor(x(i, j) * 1024));
  }
  const SobolSequence scrambled(kSobolMaxDims, true, 42);
  expect_stratified(scrambled.points(0, 1 << 10), 10);
}

// The first two dimensions form a (0, m, 2)-net: every elementary box of area 2^-m
// holds exactly one of the first 2^m points, for all box shapes.
TEST(DesignSobol, FirstTwoDimensionsAreAZeroNet) {
  constexpr int kM = 8;
  for (bool scramble : {false, true}) {
    const Eigen::MatrixXd x = SobolSequence(2, scramble, 7).points(0, 1 << kM);
    for (int a = 0; a <= kM; ++a) {
      const int nx = 1 << a;
      const int ny = 1 << (kM - a);
      std::vector<int> hits(static_cast<std::size_t>(nx * ny), 0);
      for (int i = 0; i < (1 << kM); ++i) {
        const int cx = static_cast<int>(x(i, 0) * nx);
        const int cy = static_cast<int>(x(i, 1) * ny);
        ++hits[static_cast<std::size_t>(cx * ny + cy)];
      }
      EXPECT_EQ(std::count(hits.begin(), hits.end(), 1), nx * ny) << "shape " << a;
    }
  }
}

TEST(DesignSobol, GrayCodeWalkEqualsDirectPoints) {
  for (bool scramble : {false, true}) {
    const SobolSequence seq(kSobolMaxDims, scramble, 99);
    const std::uint64_t first = 1000;
    const Eigen::MatrixXd x = seq.points(first, 600);
    std::vector<double> p(kSobolMaxDims);
    for (int r = 0; r < 600; r += 37) {
      seq.point(first + static_cast<std::uint64_t>(r), p);
      for (int j = 0; j < kSobolMaxDims; ++j) ASSERT_EQ(x(r, j), p[static_cast<std::size_t>(j)]);
    }
  }
}

TEST(DesignSobol, ScramblingIsKeyedBySeed) {
  const Eigen::MatrixXd a = sobol_unit(64, 5, true, 1);
  const Eigen::MatrixXd b = sobol_unit(64, 5, true, 1);
  const Eigen::MatrixXd c = sobol_unit(64, 5, true, 2);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a, sobol_unit(64, 5, false, 1));
}

TEST(DesignSobol, IntegratesASmoothProductAccurately) {
  // f = prod_j (1 + (x_j - 1/2) / j) has mean 1; Sobol' converges near 1/n, far faster
  // than the 1/sqrt(n) of random sampling (about 4e-3 here).
  constexpr int kDims = 32;
  const Eigen::MatrixXd x = sobol_unit(1 << 14, kDims, true, 3);
  double sum = 0;
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    double f = 1;
    for (int j = 0; j < kDims; ++j) f *= 1 + (x(i, j) - 0.5) / (j + 1);
    sum += f;
  }
  EXPECT_NEAR(sum / static_cast<double>(x.rows()), 1.0, 2e-4);
}

TEST(DesignSobol, RejectsUnsupportedDimensions) {
  EXPECT_THROW(SobolSequence(0), InputError);
  EXPECT_THROW(SobolSequence(kSobolMaxDims + 1), InputError);
  EXPECT_THROW(SobolSequence(2).points(std::uint64_t{1} << 32, 1), InputError);
}

}  // namespace
}  // namespace icn::design
