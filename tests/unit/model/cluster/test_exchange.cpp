#include "icn/model/cluster/exchange.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "cluster_test_util.h"

namespace icn::model::cluster {
namespace {

using testing::add_firm;
using testing::Ctx;
using testing::empty_state;

TEST(Exchange, AbsorptionIsAnInvertedU) {
  EXPECT_DOUBLE_EQ(absorption(0.5, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(absorption(0.5, 1.0), 0.0);
  EXPECT_DOUBLE_EQ(absorption(0.5, 0.5), 0.5);
  EXPECT_DOUBLE_EQ(absorption(0.5, 0.25), 0.375);
}

TEST(Exchange, CognitiveDistanceIsOneMinusJaccard) {
  const Triple a[] = {{0, 1, 1, 0, 0}, {0, 2, 1, 0, 0}, {0, 3, 1, 0, 0}};
  const Triple b[] = {{0, 2, 1, 0, 0}, {0, 3, 1, 0, 0}, {0, 4, 1, 0, 0}, {0, 5, 1, 0, 0}};
  EXPECT_DOUBLE_EQ(cognitive_distance(a, b), 1.0 - 2.0 / 5.0);
  EXPECT_DOUBLE_EQ(cognitive_distance(a, a), 0.0);
  EXPECT_DOUBLE_EQ(cognitive_distance({}, {}), 0.0);
}

TEST(Exchange, LargestGapFirstAndOnlyRealGains) {
  const Triple learner[] = {{0, 1, 2, 0, 1.0}, {0, 2, 9, 0, 1.0}};
  const Triple teacher[] = {{0, 1, 8, 0, 7.0}, {0, 2, 3, 0, 7.0}, {0, 3, 5, 0, 4.0}};
  Gain out[2];
  // alpha 0.5: cap 1 gap 6 -> e 2 + 3 = 5 with the teacher's ability; cap 3 new (gap 5)
  // -> e round(2.5) = 3; cap 2: the learner knows more.
  ASSERT_EQ(barter_gains(learner, 1, teacher, 0.5, 1, std::span<Gain>(out, 1)), 1);
  EXPECT_EQ(out[0].cap, 1);
  EXPECT_EQ(out[0].e, 5);
  EXPECT_DOUBLE_EQ(out[0].a, 7.0);
  ASSERT_EQ(barter_gains(learner, 1, teacher, 0.5, 2, out), 2);
  EXPECT_EQ(out[1].cap, 3);
  EXPECT_EQ(out[1].e, 3);
  // No room: the new capability is not a gain.
  EXPECT_EQ(barter_gains(learner, 0, teacher, 0.5, 2, out), 1);
  // Too little absorbed: round(0.05 * 6) = 0 is no gain, but a new capability is >= 1.
  ASSERT_EQ(barter_gains(learner, 1, teacher, 0.05, 2, out), 1);
  EXPECT_EQ(out[0].cap, 3);
  EXPECT_EQ(out[0].e, 1);
}

// A random kene of up to n triples: capabilities out of 0..59 (so that two kenes share
// some), expertise 1..max_e, abilities in [0, 10).
std::vector<Triple> random_kene(std::mt19937& gen, int n, int max_e = 10) {
  std::vector<Triple> k;
  for (int c = 0; c < 60 && static_cast<int>(k.size()) < n; ++c) {
    if (gen() % 2 != 0) continue;
    const auto e = static_cast<std::uint8_t>(1 + gen() % static_cast<unsigned>(max_e));
    k.push_back(
        Triple{0, static_cast<std::uint16_t>(c), e, 0, static_cast<double>(gen() % 1000) / 100.0});
  }
  return k;
}

// One item (the default) has its own branch-free pass: it must pick what the general
// selection picks first, on kenes with shared and own capabilities, any room and alpha.
TEST(Exchange, OneItemIsTheSelectionsFirst) {
  std::mt19937 gen(20261202);
  const auto kene = [&gen](int n) { return random_kene(gen, n); };
  int gains = 0;
  for (int trial = 0; trial < 4000; ++trial) {
    const auto learner = kene(static_cast<int>(gen() % 25));
    const auto teacher = kene(static_cast<int>(gen() % 25));
    const int room = static_cast<int>(gen() % 3);
    const double alpha = static_cast<double>(gen() % 1001) / 1000.0;
    Gain one[1], three[3];
    const int a = barter_gains(learner, room, teacher, alpha, 1, one);
    const int b = barter_gains(learner, room, teacher, alpha, 3, three);
    ASSERT_EQ(a, b > 0 ? 1 : 0) << "trial " << trial;
    if (a == 0) continue;
    ++gains;
    EXPECT_EQ(one[0].cap, three[0].cap) << "trial " << trial;
    EXPECT_EQ(one[0].e, three[0].e) << "trial " << trial;
    EXPECT_EQ(one[0].a, three[0].a) << "trial " << trial;
  }
  EXPECT_GT(gains, 1000);  // the comparison ran on many real gains
}

// The stage's one-pass trade must agree with the three passes it replaces: the cognitive
// distance, then barter_gains(..., 1, ...) each way - on random pairs (empty kenes, full
// ones, every room) and on expertise beyond 10, where it falls back to those passes.
TEST(Exchange, OnePassTradeIsTheThreePasses) {
  std::mt19937 gen(41);
  int trades = 0;
  for (int trial = 0; trial < 6000; ++trial) {
    const int max_e = trial % 10 == 9 ? 40 : 10;
    const auto a = random_kene(gen, static_cast<int>(gen() % 25), max_e);
    const auto b = random_kene(gen, static_cast<int>(gen() % 25), max_e);
    const int room_a = static_cast<int>(gen() % 3), room_b = static_cast<int>(gen() % 3);
    const double alpha0 = static_cast<double>(gen() % 1001) / 1000.0;
    const double alpha = absorption(alpha0, cognitive_distance(a, b));
    Gain ea[1], eb[1];
    const bool expected = barter_gains(a, room_a, b, alpha, 1, ea) == 1 &&
                          barter_gains(b, room_b, a, alpha, 1, eb) == 1;
    Gain ga, gb;
    ASSERT_EQ(barter_pair(a, room_a, b, room_b, alpha0, ga, gb), expected) << "trial " << trial;
    if (!expected) continue;
    ++trades;
    EXPECT_EQ(ga.cap, ea[0].cap) << "trial " << trial;
    EXPECT_EQ(ga.e, ea[0].e) << "trial " << trial;
    EXPECT_EQ(ga.a, ea[0].a) << "trial " << trial;
    EXPECT_EQ(gb.cap, eb[0].cap) << "trial " << trial;
    EXPECT_EQ(gb.e, eb[0].e) << "trial " << trial;
    EXPECT_EQ(gb.a, eb[0].a) << "trial " << trial;
  }
  EXPECT_GT(trades, 1500);  // many real trades compared
}

TEST(Exchange, TradeNeedsDoubleCoincidenceAndIsSynchronous) {
  Ctx c;
  State st = empty_state();
  // i and j each know something the other lacks; k knows nothing j lacks.
  const auto i = add_firm(st, ActorType::kSme, {{1, 1.0, 9}, {2, 1.0, 1}, {5, 1.0, 5}});
  const auto j = add_firm(st, ActorType::kSme, {{2, 6.0, 9}, {3, 1.0, 1}, {5, 1.0, 5}});
  st.add_geo_tie(i, j);
  st.build_customer_lists();
  Exchange ex;
  ex.run(st, c.make(1));
  // d = 1 - 2/4 = 0.5, alpha = 0.5: i takes cap 2 (gap 8): 1 + 4 = 5 with j's ability;
  // j takes cap 1 (gap 9, new): round(4.5) = 5 -> ability 1.0. Both initiated a trade
  // with each other, reading the same old kenes: applying twice changes nothing more.
  EXPECT_EQ(c.counters.barter_trades, 2u);
  const auto ki = st.kene(i);
  EXPECT_EQ(ki[1].cap, 2);
  EXPECT_EQ(ki[1].e, 5);
  EXPECT_DOUBLE_EQ(ki[1].a, 6.0);
  ASSERT_EQ(st.kene_find(j, 1), 0);
  EXPECT_EQ(st.kene(j)[0].e, 5);
  EXPECT_TRUE(st.kene(j)[0].flags & kFresh);

  State st2 = empty_state();
  const auto a = add_firm(st2, ActorType::kSme, {{1, 1.0, 9}, {2, 1.0, 9}});
  const auto b = add_firm(st2, ActorType::kSme, {{1, 1.0, 5}});
  st2.add_geo_tie(a, b);
  st2.build_customer_lists();
  Ctx c2;
  ex.run(st2, c2.make(1));
  EXPECT_EQ(c2.counters.barter_trades, 0u);  // a wants nothing from b
  EXPECT_EQ(st2.kene_len[b], 1);
}

}  // namespace
}  // namespace icn::model::cluster
