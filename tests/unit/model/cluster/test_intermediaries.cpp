// Intermediaries: registry, best matches for a fee, brokered sharing (MODEL.md 4.3, 4.4).
#include "icn/model/cluster/intermediaries.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <vector>

#include "cluster_test_util.h"
#include "icn/core/rng.h"
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

// The search through the adverts' signatures (suggest_matching) against the plain ranking
// of the whole registry (suggest): many searchers, registries that overlap, both
// strategies, empty and identical adverts, capabilities that share a signature bit
// (c and c + 256), unusable firms and slots already taken.
TEST(ClusterIntermediaries, SignatureSearchIsThePlainRanking) {
  for (const Strategy strategy : {Strategy::kConservative, Strategy::kProgressive}) {
    Settings set = testing::default_settings();
    set.strategy = strategy;
    set.service_radius = 0.3;
    State st = empty_state();
    rng::Stream rs(rng::Key::derive({5, 0, 0}), 0, rng::Stage::kCooperation, 0);
    std::vector<std::uint32_t> firms;
    for (int f = 0; f < 400; ++f) {
      const std::uint32_t s =
          st.add_actor(ActorType::kSme, rng::uniform(rs, 0, 1), rng::uniform(rs, 0, 1), 20000, 30);
      // Capabilities from a small pool (frequent overlaps), half of them 256 apart.
      std::vector<int> caps;
      const auto size = rng::below(rs, 13);
      for (std::uint32_t k = 0; k < size; ++k) {
        const int c =
            1 + static_cast<int>(rng::below(rs, 12)) + 256 * static_cast<int>(rng::below(rs, 3));
        if (std::find(caps.begin(), caps.end(), c) == caps.end()) caps.push_back(c);
      }
      if (f % 50 == 7) caps = {3, 5, 259};  // identical adverts: overlap 0 when progressive
      std::sort(caps.begin(), caps.end());
      for (int c : caps) st.kene_append(s, c, 5.0, 5, 0);
      std::vector<std::uint32_t> tids;
      for (const Triple& t : st.kene(s)) {
        if (tids.size() < static_cast<std::size_t>(kMaxIh)) tids.push_back(t.tid);
      }
      st.set_ih(s, tids, IhShape{});
      firms.push_back(s);
    }
    for (double x : {0.2, 0.5, 0.7}) st.add_actor(ActorType::kIntermediary, x, x, 0, 0);
    Intermediaries im;
    im.build(st, set, testing::firm_grid(st));
    Cooperation coop;
    coop.collect_adverts(st);
    im.sign_adverts(coop.advert_block(), coop.advert_lengths(), kMaxIh);
    int compared = 0, short_of_matches = 0;
    for (std::uint32_t s : firms) {
      const std::uint32_t b = im.broker_for(st, s, set);
      if (b == kNone) continue;
      const auto usable = [&](std::uint32_t t) { return t != s && t % 7 != 3; };
      const auto overlap = [&](std::uint32_t t) {
        return advert_overlap(coop.advert(s), coop.advert(t), strategy);
      };
      for (const int taken : {0, 2}) {
        for (const int want : {1, 3, 5}) {
          if (taken >= want) continue;
          std::array<std::uint32_t, 5> expect{}, got{};
          expect[0] = got[0] = firms[0];
          expect[1] = got[1] = firms[1];
          const int ne = im.suggest(b, expect, taken, want, usable, overlap);
          const int ng = im.suggest_matching(b, coop.advert(s), got, taken, want, usable, overlap);
          ASSERT_EQ(ng, ne) << "searcher " << s << " want " << want;
          for (int k = 0; k < ne; ++k)
            EXPECT_EQ(got[static_cast<std::size_t>(k)], expect[static_cast<std::size_t>(k)]);
          ++compared;
          int positive = 0;
          for (int k = taken; k < ne; ++k)
            positive += overlap(expect[static_cast<std::size_t>(k)]) > 0;
          short_of_matches += positive < want - taken && ne == want;
        }
      }
    }
    EXPECT_GT(compared, 1000);
    EXPECT_GT(short_of_matches, 50);  // slots filled with firms of overlap 0
  }
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
