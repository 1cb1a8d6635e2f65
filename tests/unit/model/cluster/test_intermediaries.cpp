// Intermediaries: registry, best matches for a fee, brokered sharing (MODEL.md 4.3, 4.4).
#include "icn/model/cluster/intermediaries.h"

#include <gtest/gtest.h>

#include <array>

#include "cluster_test_util.h"
#include "icn/model/cluster/cluster_model.h"
#include "icn/model/cluster/cooperation.h"
#include "icn/model/cluster/sharing.h"

namespace icn::model::cluster {
namespace {

using testing::add_firm;
using testing::empty_state;

TEST(ClusterIntermediaries, RegistrySuggestsTheBestMatchesWithinItsRadius) {
  Settings set = testing::default_settings();
  State st = empty_state();
  const auto s = add_firm(st, ActorType::kSme, {{1, 5, 5}, {2, 5, 5}, {3, 5, 5}}, 20000, 0.5, 0.6);
  const auto zero = add_firm(st, ActorType::kSme, {{7, 5, 5}, {8, 5, 5}}, 20000, 0.45, 0.5);
  const auto half = add_firm(st, ActorType::kSme, {{1, 5, 5}, {9, 5, 5}}, 20000, 0.55, 0.5);
  const auto full =
      add_firm(st, ActorType::kSme, {{1, 5, 5}, {2, 5, 5}, {3, 5, 5}}, 20000, 0.6, 0.4);
  const auto far =
      add_firm(st, ActorType::kSme, {{1, 5, 5}, {2, 5, 5}, {3, 5, 5}}, 20000, 0.05, 0.05);
  const auto b = st.add_actor(ActorType::kIntermediary, 0.5, 0.5, 0, 0);
  Intermediaries im;
  im.build(st, set, testing::firm_grid(st));
  EXPECT_EQ(im.broker_for(st, s, set), b);
  EXPECT_EQ(im.broker_for(st, far, set), kNone);  // outside every service radius
  Cooperation coop;
  coop.collect_adverts(st);
  std::array<std::uint32_t, 5> out{};
  const auto usable = [&](std::uint32_t t) { return t != s; };
  const auto overlap = [&](std::uint32_t t) {
    return advert_overlap(coop.advert(s), coop.advert(t), set.strategy);
  };
  // Two free slots: the identical advert, then the half overlap; not the stranger, not the
  // one beyond the radius.
  int n = im.suggest(b, out, 0, 2, usable, overlap);
  ASSERT_EQ(n, 2);
  EXPECT_EQ(out[0], full);
  EXPECT_EQ(out[1], half);
  // After one candidate already taken, three more slots: everything registered, best first.
  out[0] = half;
  n = im.suggest(
      b, out, 1, 4, [&](std::uint32_t t) { return t != s && t != half; }, overlap);
  ASSERT_EQ(n, 3);
  EXPECT_EQ(out[1], full);
  EXPECT_EQ(out[2], zero);
}

TEST(ClusterIntermediaries, BrokeredSharingLosesNoExpertise) {
  State st = empty_state();
  const auto s = add_firm(st, ActorType::kSme, {{1, 5, 5}});
  const std::array<Triple, 1> offered = {Triple{0, 4, 7, 0, 6.0}};
  EXPECT_EQ(share_triples(st, s, offered, 2, 0), 1);
  EXPECT_EQ(st.kene(s)[1].e, 7);  // brokered: max(2, 7)
  State st2 = empty_state();
  const auto s2 = add_firm(st2, ActorType::kSme, {{1, 5, 5}});
  EXPECT_EQ(share_triples(st2, s2, offered, 2), 1);
  EXPECT_EQ(st2.kene(s2)[1].e, 6);  // direct: max(2, 7 - 1)
}

TEST(ClusterIntermediaries, SearchersPayTheFeeAndFormBrokeredPartnerships) {
  ClusterParams p;
  ClusterModel m(p, rng::Key::derive({11, 0, 0}), ExecOptions{1});
  const auto at = [&](Obs k) { return m.observables()[static_cast<std::size_t>(k)]; };
  EXPECT_EQ(at(Obs::kIntermediaries), 5);
  double searches = 0, brokered = 0;
  for (int t = 0; t < 20; ++t) {
    m.step();
    searches += at(Obs::kBrokeredSearches);
    brokered += at(Obs::kBrokeredPartnerships);
    EXPECT_DOUBLE_EQ(m.ledger().tick_transfer(Transfer::kIntermediaryFee),
                     50.0 * at(Obs::kBrokeredSearches));
  }
  EXPECT_GT(searches, 0);
  EXPECT_GT(brokered, 0);
  double fees = 0;
  for (std::uint32_t s = 0; s < m.state().slots(); ++s) {
    if (m.state().type[s] == ActorType::kIntermediary) fees += m.state().capital[s];
  }
  EXPECT_DOUBLE_EQ(fees, 50.0 * searches);
}

}  // namespace
}  // namespace icn::model::cluster
