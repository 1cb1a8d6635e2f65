#include "icn/model/cluster/space.h"

#include <gtest/gtest.h>

#include <cmath>

#include "cluster_test_util.h"

namespace icn::model::cluster {
namespace {

using testing::add_firm;
using testing::default_settings;
using testing::firm_grid;

// An entrant must tie to each live firm within the cutoff with probability
// geo_tie_probability(d), independently (MODEL.md 4.1) - whatever sampler draws it. Many
// entrants, each tied on its own, against 1 500 uniformly placed firms: the number of
// ties and their mean distance must match the sums of the probabilities, for the grid of
// the model (cells of info_radius: the cutoff covers the whole torus) and a finer one
// (only the rings of cells within the cutoff are visited).
TEST(EntrantGeoTies, EachFirmIsTakenWithItsProbability) {
  const Settings set = default_settings();  // 500 firms: d0 = 0.1, cutoff 0.6, p0 = 0.25
  for (double cell : {set.info_radius, 0.05}) {
    State st(64, 32);  // room for 64 ties each: the cap does not bind
    rng::Stream place(rng::Key::from_seed(3), 0, rng::Stage::kTest, 0);
    constexpr std::uint32_t kFirms = 1500;
    for (std::uint32_t i = 0; i < kFirms; ++i) {
      const double x = rng::uniform(place), y = rng::uniform(place);
      add_firm(st, ActorType::kSme, {}, 20000.0, x, y);
    }
    const CellGrid grid = firm_grid(st, cell);
    double expected = 0, variance = 0, expected_d = 0, observed = 0, observed_d = 0;
    for (std::uint32_t e = 0; e < 600; ++e) {
      const double x = rng::uniform(place), y = rng::uniform(place);
      const std::uint32_t ent = st.add_actor(ActorType::kSme, x, y, 20000.0, 10);
      for (std::uint32_t t = 0; t < kFirms; ++t) {
        const double d = torus_distance(x, y, st.x[t], st.y[t]);
        const double p = geo_tie_probability(d, set);
        expected += p;
        variance += p * (1 - p);
        expected_d += p * d;
      }
      const std::uint32_t one[] = {ent};
      add_entrants_geo_ties(st, one, grid, set, rng::Key::from_seed(9), e, 1);
      for (std::uint32_t v : st.geo(ent)) {
        const std::uint32_t t = st.slot_of(v);
        ASSERT_LT(t, kFirms);
        const double d = torus_distance(x, y, st.x[t], st.y[t]);
        ASSERT_LE(d, set.geo_cutoff);
        observed += 1;
        observed_d += d;
      }
    }
    SCOPED_TRACE(cell);
    EXPECT_GT(expected, 3000.0);  // about 23 per entrant (three times the default density)
    EXPECT_NEAR(observed, expected, 4 * std::sqrt(variance));
    // Mean distance of a tie (about 0.1, sd about 0.07): within 4 standard errors.
    EXPECT_NEAR(observed_d / observed, expected_d / expected, 4 * 0.07 / std::sqrt(expected));
  }
}

TEST(EntrantGeoTies, SameDrawsOnAnyTeam) {
  const Settings set = default_settings();
  State one_thread(64, 32), two_threads(64, 32);
  for (State* st : {&one_thread, &two_threads}) {
    rng::Stream place(rng::Key::from_seed(4), 0, rng::Stage::kTest, 0);
    for (int i = 0; i < 800; ++i) {
      const double x = rng::uniform(place), y = rng::uniform(place);
      add_firm(*st, ActorType::kSme, {}, 20000.0, x, y);
    }
    const CellGrid grid = firm_grid(*st, set.info_radius);
    std::vector<std::uint32_t> entrants;
    for (int e = 0; e < 40; ++e) {
      const double x = rng::uniform(place), y = rng::uniform(place);
      entrants.push_back(st->add_actor(ActorType::kSme, x, y, 20000.0, 10));
    }
    add_entrants_geo_ties(*st, entrants, grid, set, rng::Key::from_seed(5), 17,
                          st == &one_thread ? 1 : 2);
  }
  ASSERT_EQ(one_thread.slots(), two_threads.slots());
  for (std::uint32_t s = 0; s < one_thread.slots(); ++s) {
    const auto a = one_thread.geo(s), b = two_threads.geo(s);
    ASSERT_TRUE(std::equal(a.begin(), a.end(), b.begin(), b.end())) << "slot " << s;
  }
}

}  // namespace
}  // namespace icn::model::cluster
