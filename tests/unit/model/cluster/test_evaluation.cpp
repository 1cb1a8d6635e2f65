#include "icn/model/cluster/evaluation.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "cluster_test_util.h"

namespace icn::model::cluster {
namespace {

using testing::add_firm;
using testing::Ctx;
using testing::default_settings;
using testing::empty_state;

rng::Stream stream(std::uint32_t n) {
  return rng::Stream(rng::Key::derive({5, 0, n}), 1, rng::Stage::kTest, 0);
}

TEST(Evaluation, IncrementalResearchKeepsItsMomentum) {
  State st = empty_state();
  const auto s = add_firm(st, ActorType::kSme, {{10, 5.0, 5}});
  rng::Stream rs = stream(1);
  ASSERT_TRUE(incremental_research(st, s, rs));
  const int dir = st.research_dir[s];
  ASSERT_TRUE(dir == 1 || dir == -1);
  EXPECT_EQ(st.research_tid[s], st.kene(s)[0].tid);
  const double a1 = st.kene(s)[0].a;
  EXPECT_DOUBLE_EQ(a1, 5.0 + dir * 5.0 / 10);  // a moves by a / c
  // The next step continues on the same triple in the same direction.
  ASSERT_TRUE(incremental_research(st, s, rs));
  EXPECT_EQ(st.research_dir[s], dir);
  EXPECT_DOUBLE_EQ(st.kene(s)[0].a, a1 + dir * a1 / 10);
  EXPECT_TRUE(st.dirty[s]);
}

TEST(Evaluation, IncrementalResearchStopsAtTheBoundsAndChoosesAfresh) {
  State st = empty_state();
  const auto s = add_firm(st, ActorType::kSme, {{1, 9.5, 5}});
  st.research_dir[s] = 1;
  st.research_tid[s] = st.kene(s)[0].tid;
  rng::Stream rs = stream(2);
  ASSERT_TRUE(incremental_research(st, s, rs));  // 9.5 + 9.5 / 1 > 10
  EXPECT_DOUBLE_EQ(st.kene(s)[0].a, 10.0);
  EXPECT_EQ(st.research_dir[s], 0);
  State empty = empty_state();
  const auto e = add_firm(empty, ActorType::kSme, {});
  EXPECT_FALSE(incremental_research(empty, e, rs));
}

TEST(Evaluation, RadicalResearchReplacesOneCapabilityAndRedrawsTheIh) {
  const Settings set = default_settings();
  State st = empty_state();
  const auto s = add_firm(st, ActorType::kSme, {{1, 1.0, 4}, {2, 2.0, 5}, {3, 3.0, 6}});
  const std::vector<std::uint16_t> before = {1, 2, 3};
  rng::Stream rs = stream(3);
  radical_research(st, s, set, rs);
  ASSERT_EQ(st.kene_len[s], 3);
  int kept = 0, fresh_cap = 0;
  for (const Triple& t : st.kene(s)) {
    if (std::find(before.begin(), before.end(), t.cap) != before.end()) {
      ++kept;
    } else {
      ++fresh_cap;
      EXPECT_EQ(t.tid, 3u);  // a new triple, not a renamed one
    }
  }
  EXPECT_EQ(kept, 2);
  EXPECT_EQ(fresh_cap, 1);
  EXPECT_GE(st.ih(s).size(), 2u);
  EXPECT_EQ(st.research_dir[s], 0);
}

TEST(Evaluation, LearningByDoingRaisesTheIhAndForgetsTheRest) {
  State st = empty_state();
  const auto s =
      add_firm(st, ActorType::kSme, {{1, 1.0, 10}, {2, 1.0, 1}, {3, 1.0, 2}, {4, 1.0, 1}}, 0, 0, 0,
               10, false);
  const std::uint32_t ih[] = {st.kene(s)[0].tid};
  st.set_ih(s, ih, IhShape{});
  st.kene(s)[3].flags |= kFresh;      // acquired this tick: spared once
  st.kene(s)[1].flags |= kCommitted;  // committed to a project: never forgotten
  learn_by_doing(st, s);
  ASSERT_EQ(st.kene_len[s], 4);
  EXPECT_EQ(st.kene(s)[0].e, 10);  // capped
  EXPECT_EQ(st.kene(s)[1].e, 1);
  EXPECT_EQ(st.kene(s)[2].e, 1);
  EXPECT_EQ(st.kene(s)[3].e, 1);
  EXPECT_FALSE(st.kene(s)[3].flags & kFresh);
  learn_by_doing(st, s);
  ASSERT_EQ(st.kene_len[s], 2);  // caps 3 and 4 reached 0
  EXPECT_EQ(st.kene(s)[1].cap, 2);
  EXPECT_EQ(st.ih(s).size(), 1u);
}

TEST(Evaluation, StartUpClonesTheBestFirmsIh) {
  const Settings set = default_settings();
  State st = empty_state();
  const auto best =
      add_firm(st, ActorType::kLeading, {{11, 1.5, 5}, {12, 2.5, 1}, {13, 3.5, 9}, {14, 4.5, 2}},
               1e6, 0.3, 0.7, 20, false);
  const std::uint32_t ih[] = {st.kene(best)[0].tid, st.kene(best)[1].tid, st.kene(best)[2].tid};
  st.set_ih(best, ih, IhShape{});
  st.theme[best] = 2;
  const std::uint32_t next = st.next_id();
  rng::Stream rs = stream(4);
  const auto s = spawn_startup(st, best, set, rs, 7);
  EXPECT_EQ(st.id[s], next);
  EXPECT_EQ(st.type[s], ActorType::kSme);
  EXPECT_EQ(st.theme[s], 2);
  EXPECT_EQ(st.born[s], 7);
  EXPECT_EQ(st.kene_cap[s], 10);
  ASSERT_EQ(st.kene_len[s], 3);  // only the IH triples
  EXPECT_EQ(st.kene(s)[0].cap, 11);
  EXPECT_EQ(st.kene(s)[0].e, 4);
  EXPECT_EQ(st.kene(s)[1].e, 1);  // 1 - 1 floored at 1
  EXPECT_DOUBLE_EQ(st.kene(s)[2].a, 3.5);
  EXPECT_GE(st.ih(s).size(), 2u);
  EXPECT_LT(torus_distance(st.x[s], st.y[s], 0.3, 0.7), 0.2);
}

TEST(Evaluation, ExitRemovesEveryTie) {
  Ctx c;
  State st = empty_state();
  const auto gov = st.add_actor(ActorType::kGovernment, 0.5, 0.5, 0, 0);
  const auto a = add_firm(st, ActorType::kSme, {{1, 1, 5}, {2, 1, 5}});
  const auto dying = add_firm(st, ActorType::kSme, {{1, 1, 5}, {2, 1, 5}}, -5.0);
  const auto b = add_firm(st, ActorType::kSme, {{1, 1, 5}, {2, 1, 5}});
  const auto hq = add_firm(st, ActorType::kHeadquarters, {{1, 1, 5}, {2, 1, 5}}, 500, 0.5, 0.5, 40);
  st.add_geo_tie(a, dying);
  st.add_geo_tie(b, dying);
  st.add_geo_tie(a, b);
  st.record_partner(a, st.id[dying], 1);
  st.record_partner(dying, st.id[a], 1);
  st.record_partner(b, st.id[dying], 0);
  st.suppliers[a][1] = st.id[dying];
  st.partnerships = {{st.id[a], st.id[dying], 1}, {st.id[a], st.id[b], 1}};
  st.network[a] = st.network[dying] = st.network[b] = st.id[hq];
  Ledger ledger;
  Evaluation ev;
  const double money0 = Ledger::money_inside(st);
  ASSERT_TRUE(ev.exits(st, ledger, c.make(3, gov)));
  st.purge_dead_references(1);
  EXPECT_FALSE(st.alive[dying]);
  EXPECT_EQ(c.counters.exits, 1u);
  EXPECT_DOUBLE_EQ(ledger.tick_inflow(Inflow::kExitWriteOff), 5.0);
  EXPECT_NEAR(Ledger::money_inside(st) - money0,
              ledger.tick_inflow_total() - ledger.tick_outflow_total(), 1e-9);
  const std::uint32_t gone = st.id[dying];
  for (std::uint32_t s = 0; s < st.slots(); ++s) {
    if (!st.alive[s]) continue;
    for (auto v : st.geo(s)) EXPECT_NE(v, gone);
    for (const auto& p : st.prev(s)) EXPECT_NE(p.id, gone);
    for (auto v : st.suppliers[s]) EXPECT_NE(v, gone);
  }
  ASSERT_EQ(st.partnerships.size(), 1u);
  EXPECT_EQ(st.partnerships[0].b, st.id[b]);
  EXPECT_EQ(st.geo(a).size(), 1u);
  // The network keeps its two live members.
  EXPECT_TRUE(st.alive[hq]);
  EXPECT_EQ(st.network[a], st.id[hq]);
  const std::uint32_t id_a = st.id[a], id_b = st.id[b];
  st.compact();
  EXPECT_EQ(st.dead_count(), 0u);
  EXPECT_EQ(st.slot_of(gone), kNone);
  EXPECT_EQ(st.id[st.slot_of(id_b)], id_b);
  EXPECT_EQ(st.geo(st.slot_of(id_a))[0], id_b);
  EXPECT_EQ(st.prev(st.slot_of(id_a)).size(), 0u);
}

TEST(Evaluation, NetworkWithOneMemberLeftDissolves) {
  Ctx c;
  State st = empty_state();
  const auto gov = st.add_actor(ActorType::kGovernment, 0.5, 0.5, 0, 0);
  const auto a = add_firm(st, ActorType::kSme, {{1, 1, 5}, {2, 1, 5}});
  const auto dying = add_firm(st, ActorType::kSme, {{1, 1, 5}, {2, 1, 5}}, -1.0);
  const auto hq = add_firm(st, ActorType::kHeadquarters, {{1, 1, 5}, {2, 1, 5}}, 500, 0.5, 0.5, 40);
  st.network[a] = st.network[dying] = st.id[hq];
  Ledger ledger;
  Evaluation ev;
  ev.exits(st, ledger, c.make(3, gov));
  st.purge_dead_references(1);
  EXPECT_FALSE(st.alive[hq]);
  EXPECT_EQ(st.network[a], kNone);
  EXPECT_DOUBLE_EQ(st.capital[a], 20000 + 500);  // the HQ's money went to its last member
  EXPECT_EQ(c.counters.networks_dissolved, 1u);
}

}  // namespace
}  // namespace icn::model::cluster
