// Universities: block grant, research, broadcast (MODEL.md sections 2, 4.4).
#include "icn/model/cluster/universities.h"

#include <gtest/gtest.h>

#include "cluster_test_util.h"
#include "icn/model/cluster/cluster_model.h"

namespace icn::model::cluster {
namespace {

using testing::add_firm;
using testing::Ctx;
using testing::empty_state;

TEST(ClusterUniversities, BroadcastReachesNearFirmsWithRoom) {
  Ctx c;
  c.set.p.alpha0 = 1.0;  // d = 0.5 below: alpha = 1, every near firm absorbs
  State st = empty_state();
  const auto near =
      add_firm(st, ActorType::kSme, {{1, 5, 5}, {2, 5, 5}, {4, 5, 5}}, 20000, 0.50, 0.55);
  const auto far =
      add_firm(st, ActorType::kSme, {{1, 5, 5}, {2, 5, 5}, {4, 5, 5}}, 20000, 0.9, 0.9);
  const auto full =
      add_firm(st, ActorType::kSme, {{1, 5, 5}, {2, 5, 5}, {4, 5, 5}}, 20000, 0.5, 0.45, 3);
  const auto u =
      add_firm(st, ActorType::kSme, {{1, 7, 8}, {2, 7, 6}, {3, 6.5, 4}}, 0, 0.5, 0.5, 25);
  st.type[u] = ActorType::kUniversity;
  const int absorbed = Universities::broadcast(st, u, c.make(1), testing::firm_grid(st));
  EXPECT_EQ(absorbed, 1);
  // The near firm learns capability 3, the one result it lacks: e = round(1 * 4).
  const int k = st.kene_find(near, 3);
  ASSERT_GE(k, 0);
  EXPECT_EQ(st.kene(near)[static_cast<std::size_t>(k)].e, 4);
  EXPECT_EQ(st.kene(near)[static_cast<std::size_t>(k)].a, 6.5);
  EXPECT_TRUE(st.kene(near)[static_cast<std::size_t>(k)].flags & kFresh);
  EXPECT_LT(st.kene_find(far, 3), 0);   // beyond info_radius
  EXPECT_LT(st.kene_find(full, 3), 0);  // no room
  EXPECT_EQ(c.counters.flow[static_cast<std::size_t>(ActorType::kUniversity)]
                           [static_cast<std::size_t>(ActorType::kSme)],
            1u);
  // A second broadcast teaches nothing new: the near firm knows every result now.
  EXPECT_EQ(Universities::broadcast(st, u, c.make(2), testing::firm_grid(st)), 0);
  // Too close (d = 0) or too far (d = 1) cognitively: alpha = 0, nothing is absorbed.
  State st2 = empty_state();
  const auto twin = add_firm(st2, ActorType::kSme, {{1, 5, 5}, {2, 5, 5}}, 20000, 0.5, 0.55);
  const auto stranger = add_firm(st2, ActorType::kSme, {{8, 5, 5}, {9, 5, 5}}, 20000, 0.5, 0.45);
  const auto u2 = add_firm(st2, ActorType::kSme, {{1, 7, 8}, {2, 7, 6}}, 0, 0.5, 0.5, 25);
  st2.type[u2] = ActorType::kUniversity;
  EXPECT_EQ(Universities::broadcast(st2, u2, c.make(1), testing::firm_grid(st2)), 0);
  EXPECT_EQ(st2.kene_len[twin], 2);
  EXPECT_EQ(st2.kene_len[stranger], 2);
}

TEST(ClusterUniversities, FundedPubliclyTheyResearchAndNeverProduceOrExit) {
  ClusterParams p;
  p.n_sme = 100;
  p.n_leading = 1;
  p.n_universities = 3;
  p.calls = false;  // call funding would pay for more research
  ClusterModel m(p, rng::Key::derive({5, 0, 0}), ExecOptions{1});
  const auto at = [&](Obs k) { return m.observables()[static_cast<std::size_t>(k)]; };
  EXPECT_EQ(at(Obs::kUniversities), 3);
  double grants = 0, research = 0, flow = 0;
  for (int t = 1; t <= 60; ++t) {
    const double gov_before = at(Obs::kGovernmentCapital);
    m.step();
    EXPECT_EQ(at(Obs::kUniversities), 3) << "universities never exit";
    // Each university gets 200 a tick while the government can pay.
    if (gov_before > 10000) {
      EXPECT_EQ(at(Obs::kBlockGrants), 600) << t;
    }
    grants += at(Obs::kBlockGrants);
    research += at(Obs::kUniversityResearch);
    flow += at(Obs::kFlowUniversityToFirm);
  }
  const State& st = m.state();
  for (std::uint32_t s = 0; s < st.slots(); ++s) {
    if (st.type[s] != ActorType::kUniversity) continue;
    EXPECT_TRUE(st.alive[s]);
    EXPECT_EQ(st.product[s], -1) << "no production";
    EXPECT_FALSE(st.trading[s]);
    EXPECT_GE(st.capital[s], 0);
    EXPECT_EQ(st.kene_len[s], 25);
  }
  EXPECT_GT(grants, 0);
  // 1000 per radical step out of 200 a tick: about one step per university every 5 ticks.
  EXPECT_NEAR(research, grants / 1000, 3);
  EXPECT_GT(flow, 0);
}

}  // namespace
}  // namespace icn::model::cluster
