#include "icn/model/cluster/cooperation.h"

#include <gtest/gtest.h>

#include "cluster_test_util.h"

namespace icn::model::cluster {
namespace {

using testing::add_firm;
using testing::Ctx;
using testing::empty_state;

TEST(Cooperation, AttractivenessReferenceChecks) {
  // MODEL.md section 8: A = {1,2,3}, B = {2,3,4,5}.
  const std::uint16_t a[] = {1, 2, 3};
  const std::uint16_t b[] = {2, 3, 4, 5};
  EXPECT_DOUBLE_EQ(advert_overlap(a, b, Strategy::kConservative), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(advert_overlap(a, b, Strategy::kProgressive), 3.0 / 7.0);
  const std::uint16_t c[] = {7, 8};
  EXPECT_DOUBLE_EQ(advert_overlap(a, c, Strategy::kConservative), 0.0);
  EXPECT_DOUBLE_EQ(advert_overlap(a, c, Strategy::kProgressive), 0.0);  // needs A n B
  EXPECT_DOUBLE_EQ(overlap_from_counts(3, 4, 2, Strategy::kProgressive), 3.0 / 7.0);
}

TEST(Cooperation, MutualAcceptanceCanFailOneWay) {
  Ctx c;
  c.set.p.att_threshold = 0.3;
  c.set.p.att_threshold_leading = 0.9;
  State st = empty_state();
  // Adverts {1,2,3} and {2,3,4,5}: overlap 2/3; far apart so proximity adds ~0.
  const auto sme = add_firm(st, ActorType::kSme, {{1, 1, 5}, {2, 1, 5}, {3, 1, 5}}, 1, 0.1, 0.1);
  const auto lead = add_firm(st, ActorType::kLeading, {{2, 1, 5}, {3, 1, 5}, {4, 1, 5}, {5, 1, 5}},
                             1, 0.6, 0.6, 20);
  Cooperation coop;
  coop.collect_adverts(st);
  const double att = coop.attractiveness(st, sme, lead, c.set);
  EXPECT_NEAR(att, 2.0 / 3.0, 1e-3);
  EXPECT_TRUE(coop.accepts(st, sme, lead, c.set));   // 0.667 > 0.3
  EXPECT_FALSE(coop.accepts(st, lead, sme, c.set));  // 0.667 < 0.9
  EXPECT_FALSE(coop.mutually_accept(st, sme, lead, c.set));
  c.set.p.att_threshold_leading = 0.5;
  EXPECT_TRUE(coop.mutually_accept(st, sme, lead, c.set));
}

TEST(Cooperation, CandidatesInPriorityOrderAndPartnershipsForm) {
  Ctx c;
  State st = empty_state();
  const auto s = add_firm(st, ActorType::kSme, {{1, 1, 5}, {2, 1, 5}});
  const auto prev = add_firm(st, ActorType::kSme, {{1, 1, 5}, {2, 1, 5}});
  const auto sup = add_firm(st, ActorType::kSme, {{1, 1, 5}, {9, 1, 5}});
  const auto geo = add_firm(st, ActorType::kSme, {{500, 1, 5}, {501, 1, 5}});
  const auto gov = st.add_actor(ActorType::kGovernment, 0.5, 0.5, 0, 0);
  st.record_partner(s, st.id[prev], 0);
  st.suppliers[s][0] = st.id[sup];
  st.add_geo_tie(s, geo);
  st.trading.assign(st.slots(), 0);
  st.trading[prev] = st.trading[sup] = st.trading[geo] = 1;  // only s searches
  st.build_customer_lists();
  st.build_partner_lists();
  Cooperation coop;
  coop.collect_adverts(st);
  std::vector<std::uint8_t> include(st.slots(), 0);
  CellGrid grid;
  grid.build(st, 0.2, include);  // nobody visible: no random candidates
  std::array<std::uint32_t, 5> out{};
  rng::Stream rs(rng::Key::derive({1, 1, 1}), 1, rng::Stage::kCooperation, 0);
  ASSERT_EQ(coop.candidates(st, s, c.set, grid, rs, out), 3);
  EXPECT_EQ(out[0], prev);
  EXPECT_EQ(out[1], sup);
  EXPECT_EQ(out[2], geo);

  Ledger ledger;
  coop.run(st, ledger, c.make(1, gov), grid);
  // Same place: proximity 0.3, so overlap decides: prev (1) and sup (1/2) pass, geo (0) not.
  ASSERT_EQ(st.partnerships.size(), 2u);
  EXPECT_EQ(st.partnerships[0], (Partnership{st.id[s], st.id[prev], 1}));
  EXPECT_EQ(st.partnerships[1], (Partnership{st.id[s], st.id[sup], 1}));
  EXPECT_TRUE(st.partnered[s]);
  EXPECT_FALSE(st.partnered[geo]);
  EXPECT_DOUBLE_EQ(st.capital[s], 20000 - 2 * 110.0);
  EXPECT_DOUBLE_EQ(st.capital[prev], 20000 - 110.0);
  EXPECT_DOUBLE_EQ(ledger.tick_outflow(Outflow::kPartnerUpkeep), 4 * 110.0);
  // Both sides remember each other, most recent first.
  EXPECT_EQ(st.prev(sup)[0].id, st.id[s]);
  EXPECT_EQ(st.prev(s)[0].id, st.id[sup]);
  // SKIN: partnerships last one tick and are dissolved before the next search.
  coop.run(st, ledger, c.make(2, gov), grid);
  for (const Partnership& e : st.partnerships) EXPECT_EQ(e.formed, 2);
}

}  // namespace
}  // namespace icn::model::cluster
