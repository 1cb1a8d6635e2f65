#include "icn/exec/order_statistic.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using icn::exec::NthScratch;

// Value sets that exercise the radix passes: spread over many binades, negatives, many
// ties, everything inside one 16-bit bin (1 + tiny steps: the passes must go deeper), all
// equal (every bit known), zeros of both signs among others, two far groups.
std::vector<double> values_of(const std::string& kind, std::size_t n, std::uint32_t seed) {
  std::mt19937_64 g(seed);
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double u = std::uniform_real_distribution<double>(0.0, 1.0)(g);
    if (kind == "lognormal") v[i] = std::exp(6.0 * (u - 0.5)) * 1000.0;
    if (kind == "signed") v[i] = (u - 0.4) * 1e6;
    if (kind == "ties") v[i] = std::floor(u * 7.0) - 3.0;
    if (kind == "one_bin") v[i] = 1.0 + std::ldexp(std::floor(u * 1e6), -52);
    if (kind == "equal") v[i] = 42.5;
    if (kind == "zeros") v[i] = (g() % 3 == 0) ? ((g() % 2) ? 0.0 : -0.0) : u - 0.5;
    // Two far groups, alternating: for an even count the two middle values lie in
    // different bins (the median's second search).
    if (kind == "two_groups") v[i] = (i % 2 ? 1.0 : 1e6) + u;
  }
  return v;
}

double serial_nth(std::vector<double> v, std::size_t k) {
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

class NthValue : public ::testing::TestWithParam<std::string> {};

TEST_P(NthValue, EveryTeamFindsTheValueOfSerialNthElement) {
  NthScratch scratch;  // reused across sizes and teams, as the observer does
  for (std::size_t n : {1u, 2u, 17u, 4096u, 4097u, 60001u}) {
    const std::vector<double> v = values_of(GetParam(), n, static_cast<std::uint32_t>(n));
    for (std::size_t k : {std::size_t{0}, n / 2, n - 1, (n * 7) / 10}) {
      const double expect = serial_nth(v, k);
      for (int threads : {1, 2, 3, 4}) {
        std::vector<double> work = v;
        const double got = icn::exec::nth_value(work, k, threads, scratch);
        // As numbers; zeros of either sign are the same value (the header).
        EXPECT_EQ(got, expect) << GetParam() << " n=" << n << " k=" << k << " t=" << threads;
        if (expect != 0.0) {
          EXPECT_EQ(std::bit_cast<std::uint64_t>(got), std::bit_cast<std::uint64_t>(expect));
        }
        if (threads > 1) {
          EXPECT_EQ(work, v) << "the values are left as they are";
        }
      }
    }
  }
}

TEST_P(NthValue, MedianIsTheSameOnEveryTeamAndMatchesTheSortedMiddle) {
  NthScratch scratch;
  for (std::size_t n : {1u, 2u, 9999u, 10000u, 70000u}) {
    std::vector<double> sorted = values_of(GetParam(), n, 7u + static_cast<std::uint32_t>(n));
    const std::vector<double> v = sorted;
    std::sort(sorted.begin(), sorted.end());
    const double expect = n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2] + sorted[n / 2 - 1]);
    std::vector<double> work = v;
    const double one = icn::exec::median(work, 1, scratch);
    EXPECT_EQ(one, expect) << GetParam() << " n=" << n;
    for (int threads : {2, 4}) {
      work = v;
      const double got = icn::exec::median(work, threads, scratch);
      EXPECT_EQ(got, one) << GetParam() << " n=" << n << " t=" << threads;
      if (one != 0.0) {
        EXPECT_EQ(std::bit_cast<std::uint64_t>(got), std::bit_cast<std::uint64_t>(one));
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Kinds, NthValue,
                         ::testing::Values("lognormal", "signed", "ties", "one_bin", "equal",
                                           "zeros", "two_groups"));

TEST(NthValueErrors, RankOutsideTheValuesAndNoValuesAreRefused) {
  NthScratch scratch;
  std::vector<double> v{1.0, 2.0};
  EXPECT_THROW(icn::exec::nth_value(v, 2, 2, scratch), std::out_of_range);
  std::vector<double> none;
  EXPECT_THROW(icn::exec::median(none, 2, scratch), std::invalid_argument);
}

}  // namespace
