#include "icn/core/exact_sum.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace {

using icn::ExactSum;

std::vector<double> money_like_terms(std::size_t n, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> mag(-6, 7);  // 1e-6 .. 1e7, both signs
  std::vector<double> v(n);
  for (double& x : v) x = std::pow(10.0, mag(gen)) * ((gen() & 1) ? 1 : -1);
  return v;
}

// Each term counts as x * 2^64 truncated toward zero: checked against long double, where
// the scaling by 2^64 is exact and the conversion to an integer truncates.
TEST(ExactSum, EachTermIsItsValueInUnitsOfTwoToTheMinus64TruncatedTowardZero) {
  std::mt19937_64 gen(3);
  std::uniform_real_distribution<double> mag(-25, 18.6);  // 1e-25 .. 4e18 (< 2^62)
  for (int k = 0; k < 20000; ++k) {
    const double x = std::pow(10.0, mag(gen)) * ((gen() & 1) ? 1 : -1);
    ExactSum s;
    s.add(x);
    const auto expect = static_cast<ExactSum::Units>(static_cast<long double>(x) * 0x1p64L);
    ASSERT_EQ(s.units(), expect) << x;
  }
}

TEST(ExactSum, TheTotalDoesNotDependOnOrderOrSplit) {
  std::vector<double> v = money_like_terms(20000, 7);
  ExactSum forward;
  for (double x : v) forward.add(x);
  std::mt19937_64 gen(11);
  for (int trial = 0; trial < 5; ++trial) {
    std::shuffle(v.begin(), v.end(), gen);
    // Split into uneven parts, summed separately and merged in reverse order.
    const std::size_t cut1 = 1000 + 3000 * static_cast<std::size_t>(trial), cut2 = 17000;
    ExactSum a, b, c;
    for (std::size_t i = 0; i < v.size(); ++i) (i < cut1 ? a : i < cut2 ? b : c).add(v[i]);
    c += b;
    c += a;
    EXPECT_EQ(c.units(), forward.units()) << trial;
    EXPECT_EQ(c.value(), forward.value()) << trial;
  }
}

TEST(ExactSum, TermsAboveTwoToTheMinusElevenAddExactly) {
  ExactSum s;
  for (int i = 0; i < 10; ++i) s.add(0.1);
  // Ten times the double nearest 0.1 is 1 + 5.6e-17, which rounds to 1 (the naive loop
  // gives 0.9999999999999999).
  EXPECT_EQ(s.value(), 1.0);
  ExactSum c;
  c.add(1e16);
  c.add(1.0);
  c.add(-1e16);
  EXPECT_EQ(c.value(), 1.0);  // catastrophic cancellation loses nothing
  ExactSum h;
  h.add(0.5);
  h.add(0x1p-11);
  EXPECT_EQ(h.units(), (ExactSum::Units{1} << 63) + (ExactSum::Units{1} << 53));
}

TEST(ExactSum, TinyTermsTruncateSymmetrically) {
  ExactSum s;
  s.add(1e-30);  // below 2^-64: nothing
  EXPECT_EQ(s.units(), 0);
  s.add(3e-19);  // about 5.53 units: truncated to 5
  EXPECT_EQ(s.units(), 5);
  s.add(-3e-19);  // the negative term truncates toward zero too
  EXPECT_EQ(s.units(), 0);
  EXPECT_EQ(s.value(), 0.0);
}

TEST(ExactSum, LargeTotalsStayExactAndOverflowMakesTheValueNaN) {
  ExactSum large;
  for (int i = 0; i < 100000; ++i) large.add(1e15);
  EXPECT_EQ(large.value(), 1e20);  // beyond 2^63: still exact
  large.add(1e25);                 // a term above 2^63 takes the integer path
  large.add(-1e25);
  large.add(0.25);
  EXPECT_EQ(large.value(), 1e20);  // 1e20 + 0.25 rounds to 1e20
  ExactSum big;
  big.add(1e40);  // above 2^126
  EXPECT_FALSE(big.valid());
  EXPECT_TRUE(std::isnan(big.value()));
  ExactSum total;
  for (int i = 0; i < 3; ++i) total.add(8e37);  // each term fits, the total does not
  EXPECT_TRUE(std::isnan(total.value()));
  for (double bad : {INFINITY, -INFINITY, NAN}) {
    ExactSum s;
    s.add(1.0);
    s.add(bad);
    s.add(1.0);
    EXPECT_TRUE(std::isnan(s.value())) << bad;
    ExactSum merged;
    merged += s;  // sticky through merging
    EXPECT_TRUE(std::isnan(merged.value()));
  }
  ExactSum fine;
  fine.add(4e18);
  fine.add(-4e18);
  fine.add(-4.5e18);
  EXPECT_TRUE(fine.valid());
  EXPECT_EQ(fine.value(), -4.5e18);
  ExactSum negative;  // fractions of negative terms borrow from the integer parts
  negative.add(-2.75);
  negative.add(0.5);
  EXPECT_EQ(negative.value(), -2.25);
}

// add(x, k) is k calls of add(x): the same units, validity and value, for tiny, fractional,
// negative and integer-path terms, on top of an earlier total; overflow and bad terms too.
TEST(ExactSum, AddingATermManyTimesEqualsAddingItOneByOne) {
  std::vector<double> terms = money_like_terms(200, 5);
  for (double x : {0.0, 1e-30, -3e-15, 0.1, -2.75, 1e25, -8e37}) terms.push_back(x);
  terms.push_back(std::numeric_limits<double>::infinity());
  terms.push_back(std::numeric_limits<double>::quiet_NaN());
  for (double x : terms) {
    for (std::uint64_t k : {0, 1, 2, 3, 7, 1000}) {
      ExactSum one_by_one, at_once;
      one_by_one.add(12.5);
      at_once.add(12.5);
      for (std::uint64_t i = 0; i < k; ++i) one_by_one.add(x);
      at_once.add(x, k);
      EXPECT_EQ(at_once.valid(), one_by_one.valid()) << x << " x " << k;
      const double a = at_once.value(), b = one_by_one.value();
      if (std::fabs(b) < 0x1p61) {  // units() is meaningful below 2^62
        EXPECT_EQ(at_once.units(), one_by_one.units()) << x << " x " << k;
      }
      EXPECT_TRUE(a == b || (std::isnan(a) && std::isnan(b))) << x << " x " << k;
    }
  }
}

}  // namespace
