// Government calls: ranking, funding, eligibility, projects (MODEL.md section 4.3).
#include "icn/model/cluster/calls.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "cluster_test_util.h"
#include "icn/model/cluster/cluster_model.h"

namespace icn::model::cluster {
namespace {

Proposal proposal(std::uint32_t university, int members, int match, double expertise,
                  std::uint32_t key) {
  Proposal p;
  p.university = university;
  for (int k = 0; k < members; ++k) p.members.push_back(university + static_cast<std::uint32_t>(k));
  p.match = match;
  p.mean_expertise = expertise;
  p.key = key;
  return p;
}

TEST(ClusterCalls, ThreeProposalsAndABudgetForTwo) {
  const Settings set = testing::default_settings();  // project_grant 30000
  std::vector<Proposal> ps = {proposal(100, 4, 6, 5.0, 9), proposal(200, 5, 7, 7.5, 1),
                              proposal(300, 3, 9, 5.0, 2)};
  const auto funded = Calls::select(ps, 60000, set);
  // Mean expertise first (200), then match breaks the tie of 100 and 300 (300 has 9).
  ASSERT_EQ(funded.size(), 2u);
  EXPECT_EQ(ps[funded[0]].university, 200u);
  EXPECT_EQ(ps[funded[1]].university, 300u);
  // Equal expertise and match: the random key decides.
  std::vector<Proposal> tie = {proposal(100, 4, 6, 5.0, 9), proposal(300, 4, 6, 5.0, 2)};
  EXPECT_EQ(tie[Calls::select(tie, 30000, set).at(0)].university, 300u);
  // A budget just short of two grants funds one.
  EXPECT_EQ(Calls::select(ps, 59999, set).size(), 1u);
}

TEST(ClusterCalls, IneligibleProposalsAreNotFunded) {
  const Settings set = testing::default_settings();          // 3..20 members, match >= 5
  std::vector<Proposal> ps = {proposal(100, 4, 4, 9.0, 0),   // match too low
                              proposal(200, 2, 8, 9.0, 0),   // too few members
                              proposal(300, 21, 8, 9.0, 0),  // too many
                              proposal(400, 3, 5, 1.0, 0)};  // just eligible
  EXPECT_FALSE(Calls::eligible(ps[0], set));
  EXPECT_FALSE(Calls::eligible(ps[1], set));
  EXPECT_FALSE(Calls::eligible(ps[2], set));
  EXPECT_TRUE(Calls::eligible(ps[3], set));
  const auto funded = Calls::select(ps, 1e6, set);
  ASSERT_EQ(funded.size(), 1u);
  EXPECT_EQ(ps[funded[0]].university, 400u);
}

TEST(ClusterCalls, AssessCountsCoveredCapabilitiesAndMeanExpertise) {
  State st = testing::empty_state();
  const auto a = testing::add_firm(st, ActorType::kSme, {{1, 5, 4}, {2, 5, 6}, {9, 5, 9}});
  const auto b = testing::add_firm(st, ActorType::kSme, {{2, 5, 2}, {3, 5, 8}});
  Proposal p;
  p.members = {st.id[a], st.id[b]};
  Calls::assess(st, p, {1, 2, 3, 4});
  EXPECT_EQ(p.match, 3);                                      // 1, 2, 3 (not 4; 9 is off-call)
  EXPECT_DOUBLE_EQ(p.mean_expertise, (4 + 6 + 2 + 8) / 4.0);  // triples on call capabilities
}

TEST(ClusterCalls, TinyStateThreeProposalsBudgetForTwoAndOneIneligible) {
  testing::Ctx c;
  ClusterParams p;
  p.n_themes = 1;  // one theme, and the call asks for all of its capabilities
  p.n_subclusters = 1;
  p.call_capabilities = 100;
  p.call_budget = 60000;  // two grants of 30 000
  c.set = make_settings(p);
  State st = testing::empty_state();
  // Four universities, six firms with two capabilities each: each proposal needs the
  // university (3 capabilities) and two firms (3 members, match 7 >= 5).
  std::vector<std::uint32_t> univ;  // ids 0..3
  for (int u = 0; u < 4; ++u) {
    const int base = 1 + 3 * u;
    univ.push_back(testing::add_firm(
        st, ActorType::kSme, {{base, 5, 5}, {base + 1, 5, 6}, {base + 2, 5, 7}}, 0, 0.5, 0.5, 25));
    st.type[univ.back()] = ActorType::kUniversity;
  }
  for (int f = 0; f < 6; ++f) {
    const int base = 40 + 2 * f;
    testing::add_firm(st, ActorType::kSme, {{base, 5, 3 + f}, {base + 1, 5, 3}});
  }
  const auto gov = st.add_actor(ActorType::kGovernment, 0.5, 0.5, 1e6, 0);
  Calls calls;
  Ledger ledger;
  for (std::uint32_t t = 1; t <= 18; ++t) {
    c.counters = TickCounters{};
    ledger.begin_tick();
    calls.run(st, ledger, c.make(t, gov));
    if (t == 12) {
      EXPECT_EQ(c.counters.calls_opened, 1u);
      // The fourth university finds no free firm: its proposal is ineligible and dropped.
      EXPECT_EQ(c.counters.proposals, 3u);
      EXPECT_EQ(calls.open_proposals(), 3u);
    }
  }
  // At the deadline (tick 18) two of the three are funded and paid their first tick.
  ASSERT_EQ(calls.projects().size(), 2u);
  EXPECT_DOUBLE_EQ(ledger.tick_transfer(Transfer::kCallFunding), 2 * 30000.0 / 32);
  EXPECT_DOUBLE_EQ(st.capital[gov], 1e6 - 2 * 30000.0 / 32);
  for (const Project& pr : calls.projects()) {
    ASSERT_EQ(pr.members.size(), 3u);
    EXPECT_EQ(st.type[st.slot_of(pr.members[0])], ActorType::kUniversity);
    for (std::uint32_t id : pr.members) {
      EXPECT_DOUBLE_EQ(st.capital[st.slot_of(id)], (id < 4 ? 0.0 : 20000.0) + 30000.0 / 32 / 3);
      for (const Triple& t : st.kene(st.slot_of(id))) EXPECT_TRUE(t.flags & kCommitted);
    }
  }
  EXPECT_EQ(st.partnerships.size(), 2u * 3u);  // three pairs per project
  // No further call; the projects end after 32 ticks and release their triples.
  c.set.p.call_every = 1000;
  for (std::uint32_t t = 19; t <= 18 + 32; ++t) {
    ledger.begin_tick();
    calls.run(st, ledger, c.make(t, gov));
  }
  EXPECT_TRUE(calls.projects().empty());
  for (std::uint32_t s = 0; s < st.slots(); ++s) {
    for (const Triple& t : st.kene(s)) EXPECT_FALSE(t.flags & kCommitted);
  }
  EXPECT_DOUBLE_EQ(st.capital[gov], 1e6 - 2 * 30000.0);  // the two grants, all paid
}

TEST(ClusterCalls, FundedProjectsPayTheirMembersWhoArePartners) {
  ClusterParams p;
  p.n_sme = 200;
  p.n_leading = 2;
  p.n_universities = 3;
  p.government_capital = 1e6;  // funds from the start
  ClusterModel m(p, rng::Key::derive({3, 0, 0}), ExecOptions{1});
  const auto at = [&](Obs k) { return m.observables()[static_cast<std::size_t>(k)]; };
  double opened = 0, funded = 0, paid = 0, before = at(Obs::kMoneyInside);
  for (int t = 1; t <= 30; ++t) {
    m.step();
    opened += at(Obs::kCallsOpened);
    funded += at(Obs::kProjectsFunded);
    paid += at(Obs::kCallFunding);
    const double now = at(Obs::kMoneyInside);
    ASSERT_NEAR(now - before, at(Obs::kInflow) - at(Obs::kOutflow), 1e-9 * now);
    before = now;
    if (t == 12) {
      EXPECT_EQ(opened, 1);
    }
  }
  EXPECT_EQ(opened, 2);  // ticks 12 and 24
  ASSERT_GT(funded, 0);
  EXPECT_LE(funded, 3);  // 100 000 / 30 000
  EXPECT_EQ(at(Obs::kRunningProjects), funded);
  // Ticks 18..30 of the first call's projects: 13 payments of 30000/32 each.
  EXPECT_GE(paid, 13 * 30000.0 / 32 * (funded - 1) - 1e-6);
  const State& st = m.state();
  for (const Project& pr : m.calls().projects()) {
    EXPECT_GE(pr.members.size(), 3u);
    EXPECT_EQ(st.type[st.slot_of(pr.members.front())], ActorType::kUniversity);
    // Live members are partners of each other this tick.
    for (std::uint32_t a : pr.members) {
      for (std::uint32_t b : pr.members) {
        if (a >= b || !st.is_alive_id(a) || !st.is_alive_id(b)) continue;
        EXPECT_TRUE(std::binary_search(st.partnerships.begin(), st.partnerships.end(),
                                       Partnership{a, b, 0},
                                       [](const Partnership& l, const Partnership& r) {
                                         return l.a != r.a ? l.a < r.a : l.b < r.b;
                                       }))
            << a << "-" << b;
      }
    }
  }
}

}  // namespace
}  // namespace icn::model::cluster
