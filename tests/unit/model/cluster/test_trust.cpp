// Trust: relational and structural credit (MODEL.md section 4.5, section 8 reference).
#include "icn/model/cluster/trust.h"

#include <gtest/gtest.h>

#include <cmath>

#include "cluster_test_util.h"
#include "icn/model/cluster/cooperation.h"

namespace icn::model::cluster {
namespace {

using testing::add_firm;
using testing::empty_state;

// Records a partnership of slots a and b at `tick` with `outcome` in both memories.
void partner(State& st, std::uint32_t a, std::uint32_t b, std::int32_t tick, std::int8_t outcome) {
  st.record_partner(a, st.id[b], tick);
  st.record_partner(b, st.id[a], tick);
  for (auto [s, other] : {std::pair{a, b}, std::pair{b, a}}) {
    for (PrevPartner& p : st.prev(s)) {
      if (p.id == st.id[other]) p.outcome = outcome;
    }
  }
}

TEST(ClusterTrust, SuccessThreeTicksAgo) {
  const Settings set = testing::default_settings();
  State st = empty_state();
  const auto i = add_firm(st, ActorType::kSme, {{1, 5, 5}});
  const auto j = add_firm(st, ActorType::kSme, {{2, 5, 5}});
  partner(st, i, j, 5, 1);
  EXPECT_NEAR(relational_credit(st, i, st.id[j], 8, set.p.trust_decay), 0.941192, 1e-6);
  EXPECT_DOUBLE_EQ(relational_credit(st, i, st.id[j], 8, 0.98), std::pow(0.98, 3));
  // Only relational credit: T = 0.1 r.
  EXPECT_DOUBLE_EQ(trust(st, i, st.id[j], 8, set), 0.1 * std::pow(0.98, 3));
  EXPECT_DOUBLE_EQ(trust(st, j, st.id[i], 8, set), 0.1 * std::pow(0.98, 3));
}

TEST(ClusterTrust, FailuresAndUnknownOutcomesGiveNoCredit) {
  const Settings set = testing::default_settings();
  State st = empty_state();
  const auto i = add_firm(st, ActorType::kSme, {{1, 5, 5}});
  const auto j = add_firm(st, ActorType::kSme, {{2, 5, 5}});
  const auto k = add_firm(st, ActorType::kSme, {{3, 5, 5}});
  partner(st, i, j, 5, 0);
  EXPECT_EQ(relational_credit(st, i, st.id[j], 8, 0.98), 0.0);
  EXPECT_EQ(trust(st, i, st.id[j], 8, set), 0.0);  // no successful partnership at all
  partner(st, i, k, 7, -1);                        // outcome not known yet
  EXPECT_EQ(trust(st, i, st.id[k], 8, set), 0.0);
  EXPECT_EQ(relational_credit(st, i, st.id[k], 8, 0.98), 0.0);
}

TEST(ClusterTrust, StructuralCreditThroughCommonPartners) {
  const Settings set = testing::default_settings();
  State st = empty_state();
  const auto i = add_firm(st, ActorType::kSme, {{1, 5, 5}});
  const auto j = add_firm(st, ActorType::kSme, {{2, 5, 5}});
  const auto k = add_firm(st, ActorType::kSme, {{3, 5, 5}});
  const auto l = add_firm(st, ActorType::kSme, {{4, 5, 5}});
  partner(st, i, k, 6, 1);  // r_ik = 0.98^2 at tick 8
  partner(st, k, j, 7, 1);  // r_kj = 0.98
  partner(st, i, l, 4, 1);  // l does not know j
  // i never partnered j: T = 0.9 * (r_ik r_kj + r_il * 0) / (o_ik + o_il).
  EXPECT_DOUBLE_EQ(trust(st, i, st.id[j], 8, set), 0.9 * (std::pow(0.98, 2) * 0.98) / 2);
  // Direct and indirect together.
  partner(st, i, j, 7, 1);
  const double want = 0.1 * 0.98 + 0.9 * (std::pow(0.98, 2) * 0.98) / 3;
  EXPECT_DOUBLE_EQ(trust(st, i, st.id[j], 8, set), want);
  EXPECT_LE(want, 1.0);
}

TEST(ClusterTrust, TrustCanTipMutualAcceptance) {
  Settings set = testing::default_settings();
  set.p.w_trust = 1.0;
  State st = empty_state();
  // Disjoint adverts (overlap 0); proximity w_geo * exp(-d / 0.1) = 0.1 < 0.3.
  const double d = 0.1 * std::log(3.0);
  const auto i = add_firm(st, ActorType::kSme, {{1, 5, 5}}, 20000, 0.2, 0.5);
  const auto j = add_firm(st, ActorType::kSme, {{2, 5, 5}}, 20000, 0.2 + d, 0.5);
  const auto k = add_firm(st, ActorType::kSme, {{3, 5, 5}}, 20000, 0.9, 0.9);
  EXPECT_FALSE(Cooperation::mutually_accept(st, i, j, set, 0.0, 8));  // strangers
  partner(st, i, j, 7, 1);
  partner(st, i, k, 7, 1);
  partner(st, k, j, 7, 1);
  // T = 0.1 * 0.98 + 0.9 * 0.98^2 / 2 = 0.53 on both sides.
  EXPECT_TRUE(Cooperation::mutually_accept(st, i, j, set, 0.0, 8));
  set.p.w_trust = 0.0;
  EXPECT_FALSE(Cooperation::mutually_accept(st, i, j, set, 0.0, 8));
  // One-sided trust is not enough: j forgets its partners' outcomes.
  set.p.w_trust = 1.0;
  for (PrevPartner& p : st.prev(j)) p.outcome = 0;
  EXPECT_FALSE(Cooperation::mutually_accept(st, i, j, set, 0.0, 8));
}

}  // namespace
}  // namespace icn::model::cluster
