#include "icn/model/cluster/sharing.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "cluster_test_util.h"

namespace icn::model::cluster {
namespace {

using testing::add_firm;
using testing::Ctx;
using testing::empty_state;

void partner(State& st, std::uint32_t a, std::uint32_t b, std::int32_t tick) {
  st.partnerships.push_back({std::min(st.id[a], st.id[b]), std::max(st.id[a], st.id[b]), tick});
  st.build_partner_lists();
}

TEST(Sharing, PartnersExchangeIhTriplesBothWays) {
  Ctx c;
  State st = empty_state();
  const auto a = add_firm(st, ActorType::kSme, {{1, 1.0, 5}, {2, 2.0, 3}});
  const auto b = add_firm(st, ActorType::kSme, {{2, 7.0, 8}, {3, 3.0, 6}});
  partner(st, a, b, 1);
  Sharing sh;
  sh.share_in_partnerships(st, c.make(1));
  // a: cap 2 adopts b's (7, 8); cap 3 is new with expertise max(2, 6 - 1) = 5.
  ASSERT_EQ(st.kene_len[a], 3);
  EXPECT_DOUBLE_EQ(st.kene(a)[1].a, 7.0);
  EXPECT_EQ(st.kene(a)[1].e, 8);
  EXPECT_EQ(st.kene(a)[2].cap, 3);
  EXPECT_EQ(st.kene(a)[2].e, 5);
  EXPECT_TRUE(st.kene(a)[2].flags & kFresh);
  EXPECT_FALSE(st.kene(a)[2].flags & kInIh);
  EXPECT_TRUE(st.dirty[a]);  // an IH ability changed: the product must be remade
  // b reads a's triples as they were: cap 2 stays (a had expertise 3 < 8); cap 1 new, e 4.
  ASSERT_EQ(st.kene_len[b], 3);
  EXPECT_EQ(st.kene(b)[0].cap, 1);
  EXPECT_EQ(st.kene(b)[0].e, 4);
  EXPECT_DOUBLE_EQ(st.kene(b)[1].a, 7.0);
  EXPECT_EQ(c.counters.flow[0][0], 2u);  // SME -> SME
  EXPECT_EQ(c.counters.knowledge_flow(), 2u);
}

TEST(Sharing, NewTriplesOnlyWithRoom) {
  Ctx c;
  State st = empty_state();
  const auto a = add_firm(st, ActorType::kSme, {{1, 1.0, 5}, {2, 2.0, 3}}, 20000, 0.5, 0.5, 2);
  const auto b = add_firm(st, ActorType::kSme, {{2, 7.0, 8}, {3, 3.0, 6}, {4, 3.0, 1}});
  partner(st, a, b, 1);
  Sharing sh;
  sh.share_in_partnerships(st, c.make(1));
  ASSERT_EQ(st.kene_len[a], 2);          // full: nothing new
  EXPECT_EQ(st.kene(a)[1].e, 8);         // but a known capability still improves
  EXPECT_EQ(c.counters.flow[0][0], 1u);  // only b gained (cap 1)
  // share_triple on its own: the low expertise floor applies.
  EXPECT_EQ(share_triple(st, b, Triple{0, 9, 1, 0, 2.0}, 2), 1);
  EXPECT_EQ(st.kene(b)[st.kene_find(b, 9)].e, 2);
}

TEST(Sharing, SuccessfulFirmFoundsANetworkWithItsComponent) {
  Ctx c;
  State st = empty_state();
  const auto gov = st.add_actor(ActorType::kGovernment, 0.5, 0.5, 0, 0);
  const auto f = add_firm(st, ActorType::kSme, {{1, 1.0, 5}, {2, 2.0, 3}}, 30000);
  const auto p = add_firm(st, ActorType::kSme, {{3, 1.0, 5}, {4, 2.0, 3}}, 10000);
  const auto q = add_firm(st, ActorType::kSme, {{5, 1.0, 5}, {6, 2.0, 3}}, 20000);
  const auto other = add_firm(st, ActorType::kSme, {{7, 1.0, 5}, {8, 2.0, 3}}, 90000);
  st.reward.assign(st.slots(), 0);
  st.reward[f] = 5000;
  st.reward[other] = 5000;  // successful but without partners: no network
  partner(st, f, p, 1);
  partner(st, p, q, 1);  // q is in f's component through p
  Ledger ledger;
  Sharing sh;
  const double money0 = Ledger::money_inside(st);
  sh.found_networks(st, ledger, c.make(1, gov));
  ASSERT_EQ(c.counters.networks_founded, 1u);
  const std::uint32_t hq = st.slots() - 1;
  EXPECT_EQ(st.type[hq], ActorType::kHeadquarters);
  for (auto m : {f, p, q}) EXPECT_EQ(st.network[m], st.id[hq]);
  EXPECT_EQ(st.network[other], kNone);
  // Endowment in proportion to wealth (60000 in all): 10000, 3333.33, 6666.67.
  EXPECT_NEAR(st.capital[hq], 20000, 1e-9);
  EXPECT_NEAR(st.capital[f], 30000 - 10000, 1e-9);
  EXPECT_NEAR(st.capital[p], 10000 - 20000.0 / 6, 1e-9);
  EXPECT_NEAR(Ledger::money_inside(st), money0, 1e-9);
  EXPECT_EQ(st.kene_len[hq], 6);  // the members' IH triples, pooled
  EXPECT_GE(st.ih(hq).size(), 2u);
  // Profit above the initial capital goes to the members in equal shares.
  st.capital[hq] = 20000 + 300;
  sh.pay_dividends(st, ledger, c.set);
  EXPECT_NEAR(st.capital[hq], 20000, 1e-9);
  EXPECT_NEAR(st.capital[f], 20000 + 100, 1e-9);
}

// Founding adds headquarters' slots but no partnership: the partner lists it leaves
// (extended, not rebuilt) are those a rebuild gives, for every slot including the new.
TEST(Sharing, FoundingLeavesThePartnerListsOfARebuild) {
  Ctx c;
  State st = empty_state();
  const auto gov = st.add_actor(ActorType::kGovernment, 0.5, 0.5, 0, 0);
  std::vector<std::uint32_t> firms;
  for (int k = 0; k < 12; ++k) {
    firms.push_back(add_firm(st, ActorType::kSme, {{1 + 2 * k, 1.0, 5}, {2 + 2 * k, 2.0, 3}},
                             20000 + 1000 * k));
  }
  st.reward.assign(st.slots(), 5000);  // every firm successful
  // Three components of successful firms, two of three and a pair: three networks.
  for (auto [a, b] : {std::pair{0, 1}, {1, 2}, {4, 5}, {5, 6}, {8, 9}}) {
    st.partnerships.push_back(
        {st.id[firms[static_cast<std::size_t>(a)]], st.id[firms[static_cast<std::size_t>(b)]], 1});
  }
  st.build_partner_lists();
  Ledger ledger;
  Sharing sh;
  sh.found_networks(st, ledger, c.make(1, gov));
  ASSERT_EQ(c.counters.networks_founded, 3u);
  const std::vector<std::uint32_t> start = st.partner_start, list = st.partner_list;
  ASSERT_EQ(start.size(), std::size_t{st.slots()} + 1);
  st.build_partner_lists();
  EXPECT_EQ(start, st.partner_start);
  EXPECT_EQ(list, st.partner_list);
}

}  // namespace
}  // namespace icn::model::cluster
