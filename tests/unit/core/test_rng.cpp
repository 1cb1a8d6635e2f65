#include "icn/core/rng.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <vector>

namespace icn::rng {
namespace {

Stream test_stream(std::uint64_t seed, std::uint32_t actor = 0) {
  return Stream(Key::derive({seed, 3, 7}), 11, Stage::kTest, actor);
}

TEST(Philox, KnownAnswerVectors) {
  std::ifstream in(std::string(ICN_TEST_DATA_DIR) + "/kat_philox4x32_10.txt");
  ASSERT_TRUE(in) << "missing known-answer table";
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ss(line);
    std::array<std::uint32_t, 4> ctr{}, expect{};
    std::array<std::uint32_t, 2> key{};
    ss >> std::hex >> ctr[0] >> ctr[1] >> ctr[2] >> ctr[3] >> key[0] >> key[1] >> expect[0] >>
        expect[1] >> expect[2] >> expect[3];
    EXPECT_EQ(philox4x32_10(ctr, key), expect) << line;
    ++checked;
  }
  EXPECT_EQ(checked, 3);
}

TEST(Key, DependsOnEveryPartOfTheTaskIdentity) {
  const Key base = Key::derive({42, 1, 2});
  EXPECT_EQ(base, Key::derive({42, 1, 2}));
  EXPECT_FALSE(base == Key::derive({43, 1, 2}));
  EXPECT_FALSE(base == Key::derive({42, 2, 2}));
  EXPECT_FALSE(base == Key::derive({42, 1, 3}));
  EXPECT_FALSE(Key::derive({42, 1, 2}) == Key::derive({42, 2, 1}));
}

TEST(Stream, CounterPartsSelectDisjointStreams) {
  const Key k = Key::derive({1, 0, 0});
  Stream a(k, 5, Stage::kExchange, 9), b(k, 5, Stage::kExchange, 9);
  Stream other_tick(k, 6, Stage::kExchange, 9), other_stage(k, 5, Stage::kSharing, 9),
      other_actor(k, 5, Stage::kExchange, 10);
  for (int i = 0; i < 10; ++i) {
    const auto x = a.next_u32();
    EXPECT_EQ(x, b.next_u32());
    const auto t = other_tick.next_u32(), s = other_stage.next_u32(), ac = other_actor.next_u32();
    EXPECT_FALSE(x == t && x == s && x == ac);
  }
}

TEST(Stream, SameKeyGivesSameStreamOnAnyThread) {
  constexpr int kDraws = 1000;
  std::vector<double> here(kDraws);
  Stream s = test_stream(99, 4);
  for (auto& x : here) x = uniform(s);
  std::vector<std::vector<double>> there(4, std::vector<double>(kDraws));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Stream mine = test_stream(99, 4);
      for (auto& x : there[static_cast<std::size_t>(t)]) x = uniform(mine);
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& v : there) EXPECT_EQ(v, here);
}

// Pearson chi-square statistic of observed counts against expected counts.
double chi_square(const std::vector<double>& observed, const std::vector<double>& expected) {
  double chi = 0;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    chi += (observed[i] - expected[i]) * (observed[i] - expected[i]) / expected[i];
  }
  return chi;
}

// Upper 0.1 % critical value of chi-square with k degrees of freedom (Wilson–Hilferty).
double chi_critical(int k) {
  const double z = 3.090232;  // standard normal 99.9 % quantile
  const double a = 2.0 / (9.0 * k);
  return k * std::pow(1.0 - a + z * std::sqrt(a), 3);
}

TEST(Distributions, UniformIsUniformInHalfOpenUnitInterval) {
  Stream s = test_stream(1);
  constexpr int kBins = 100, kN = 200000;
  std::vector<double> counts(kBins, 0.0);
  for (int i = 0; i < kN; ++i) {
    const double u = uniform(s);
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    counts[static_cast<std::size_t>(u * kBins)] += 1;
  }
  EXPECT_LT(chi_square(counts, std::vector<double>(kBins, kN / double(kBins))),
            chi_critical(kBins - 1));
}

TEST(Distributions, BelowIsUnbiasedForAwkwardRanges) {
  for (std::uint32_t n : {1u, 3u, 7u, 10u, 1000u}) {
    Stream s = test_stream(2, n);
    const int draws = 20000 * static_cast<int>(std::min<std::uint32_t>(n, 10));
    std::vector<double> counts(n, 0.0);
    for (int i = 0; i < draws; ++i) {
      const auto x = below(s, n);
      ASSERT_LT(x, n);
      counts[x] += 1;
    }
    if (n > 1) {
      EXPECT_LT(chi_square(counts, std::vector<double>(n, draws / double(n))),
                chi_critical(static_cast<int>(n) - 1))
          << "n=" << n;
    }
  }
}

TEST(Distributions, IntegerCoversInclusiveRange) {
  Stream s = test_stream(3);
  std::map<std::int64_t, int> seen;
  for (int i = 0; i < 5000; ++i) ++seen[integer(s, -2, 2)];
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen.begin()->first, -2);
  EXPECT_EQ(seen.rbegin()->first, 2);
  for (int i = 0; i < 1000; ++i) {
    const auto x = integer(s, 0, std::int64_t{1} << 40);
    ASSERT_GE(x, 0);
    ASSERT_LE(x, std::int64_t{1} << 40);
  }
}

TEST(Distributions, BernoulliProportion) {
  Stream s = test_stream(4);
  constexpr int kN = 100000;
  int hits = 0;
  for (int i = 0; i < kN; ++i) hits += bernoulli(s, 0.3) ? 1 : 0;
  const double sd = std::sqrt(kN * 0.3 * 0.7);
  EXPECT_NEAR(hits, kN * 0.3, 4 * sd);
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(bernoulli(s, 0.0));
    EXPECT_TRUE(bernoulli(s, 1.0));
  }
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

TEST(Distributions, NormalPassesKolmogorovSmirnov) {
  Stream s = test_stream(5);
  constexpr int kN = 20000;
  std::vector<double> x(kN);
  for (auto& v : x) v = normal(s);
  std::sort(x.begin(), x.end());
  double d = 0;
  for (int i = 0; i < kN; ++i) {
    const double f = normal_cdf(x[static_cast<std::size_t>(i)]);
    d = std::max({d, f - double(i) / kN, double(i + 1) / kN - f});
  }
  EXPECT_LT(d, 1.95 / std::sqrt(double(kN)));  // KS critical value at 0.1 %
  Stream t = test_stream(6);
  double sum = 0;
  for (int i = 0; i < kN; ++i) sum += normal(t, 10.0, 2.0);
  EXPECT_NEAR(sum / kN, 10.0, 4 * 2.0 / std::sqrt(double(kN)));
}

void check_poisson(double mean, std::uint64_t seed) {
  Stream s = test_stream(seed);
  constexpr int kN = 100000;
  const int top = static_cast<int>(mean + 6 * std::sqrt(mean) + 5);
  std::vector<double> counts(static_cast<std::size_t>(top) + 1, 0.0);
  for (int i = 0; i < kN; ++i) {
    const auto k = poisson(s, mean);
    counts[std::min<std::size_t>(k, static_cast<std::size_t>(top))] += 1;
  }
  // Expected counts from the pmf, pooling tails so every cell expects at least 5.
  std::vector<double> obs, exp;
  double acc_o = 0, acc_e = 0, tail = 1.0;
  for (int k = 0; k <= top; ++k) {
    const double p = k < top ? std::exp(-mean + k * std::log(mean) - std::lgamma(k + 1.0)) : tail;
    tail -= p;
    acc_o += counts[static_cast<std::size_t>(k)];
    acc_e += p * kN;
    if (acc_e >= 5) {
      obs.push_back(acc_o);
      exp.push_back(acc_e);
      acc_o = acc_e = 0;
    }
  }
  obs.back() += acc_o;
  exp.back() += acc_e;
  EXPECT_LT(chi_square(obs, exp), chi_critical(static_cast<int>(obs.size()) - 1))
      << "mean " << mean;
}

TEST(Distributions, PoissonSmallMeanByInversion) { check_poisson(3.0, 7); }
TEST(Distributions, PoissonLargeMeanByPtrs) { check_poisson(50.0, 8); }
TEST(Distributions, PoissonZeroMean) {
  Stream s = test_stream(9);
  EXPECT_EQ(poisson(s, 0.0), 0u);
}

TEST(Distributions, ShuffleGivesEveryPermutationEqually) {
  Stream s = test_stream(10);
  std::map<std::vector<int>, double> seen;
  constexpr int kN = 60000;
  for (int i = 0; i < kN; ++i) {
    std::vector<int> v = {0, 1, 2};
    shuffle(s, std::span<int>(v));
    seen[v] += 1;
  }
  ASSERT_EQ(seen.size(), 6u);
  std::vector<double> obs;
  for (const auto& [perm, c] : seen) obs.push_back(c);
  EXPECT_LT(chi_square(obs, std::vector<double>(6, kN / 6.0)), chi_critical(5));
}

}  // namespace
}  // namespace icn::rng
