#include "icn/model/cluster/space.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "cluster_test_util.h"

namespace icn::model::cluster {
namespace {

using testing::add_firm;
using testing::default_settings;
using testing::firm_grid;

// Adds `n` SMEs at uniform points drawn from `place` (which the caller may go on drawing from).
void place_firms(State& st, rng::Stream& place, std::uint32_t n) {
  for (std::uint32_t i = 0; i < n; ++i) {
    const double x = rng::uniform(place), y = rng::uniform(place);
    add_firm(st, ActorType::kSme, {}, 20000.0, x, y);
  }
}

// An entrant must tie to each live firm within the cutoff with probability
// geo_tie_probability(d), independently (MODEL.md 4.1) - whatever sampler draws it - and
// never to a firm that already has the most ties (it would refuse). Many entrants, each
// tied on its own, against 1 500 uniformly placed firms of which `full` groups of 65 are
// complete graphs (64 ties each: at the cap): the number of ties to the other firms and
// their mean distance must match the sums of the probabilities.
void check_entrant_ties(double cell, int full) {
  const Settings set = default_settings();  // 500 firms: d0 = 0.1, cutoff 0.6, p0 = 0.25
  State st(64, 32);                         // room for 64 ties each: only the full firms' cap binds
  rng::Stream place(rng::Key::from_seed(3), 0, rng::Stage::kTest, 0);
  constexpr std::uint32_t kFirms = 1500, kGroup = 65;
  place_firms(st, place, kFirms);
  for (std::uint32_t g = 0; g < static_cast<std::uint32_t>(full); ++g) {
    for (std::uint32_t a = g * kGroup; a < (g + 1) * kGroup; ++a) {
      for (std::uint32_t b = a + 1; b < (g + 1) * kGroup; ++b) ASSERT_TRUE(st.add_geo_tie(a, b));
    }
  }
  const std::uint32_t first_open = static_cast<std::uint32_t>(full) * kGroup;
  const CellGrid grid = firm_grid(st, cell);
  CellGrid open;
  double expected = 0, variance = 0, expected_d = 0, observed = 0, observed_d = 0;
  for (std::uint32_t e = 0; e < 600; ++e) {
    const double x = rng::uniform(place), y = rng::uniform(place);
    const std::uint32_t ent = st.add_actor(ActorType::kSme, x, y, 20000.0, 10);
    for (std::uint32_t t = first_open; t < kFirms; ++t) {
      const double d = torus_distance(x, y, st.x[t], st.y[t]);
      const double p = geo_tie_probability(d, set);
      expected += p;
      variance += p * (1 - p);
      expected_d += p * d;
    }
    const std::uint32_t one[] = {ent};
    add_entrants_geo_ties(st, one, grid, open, set, rng::Key::from_seed(9), e, 1);
    for (std::uint32_t v : st.geo(ent)) {
      const std::uint32_t t = st.slot_of(v);
      ASSERT_LT(t, kFirms);
      ASSERT_GE(t, first_open) << "a tie to a firm at the cap";
      const double d = torus_distance(x, y, st.x[t], st.y[t]);
      ASSERT_LE(d, set.geo_cutoff);
      observed += 1;
      observed_d += d;
    }
  }
  for (std::uint32_t t = 0; t < first_open; ++t) ASSERT_EQ(st.geo_len[t], 64) << t;
  EXPECT_GT(expected, 1500.0);  // about 23 per entrant with every firm open
  EXPECT_NEAR(observed, expected, 4 * std::sqrt(variance));
  // Mean distance of a tie (about 0.1, sd about 0.07): within 4 standard errors.
  EXPECT_NEAR(observed_d / observed, expected_d / expected, 4 * 0.07 / std::sqrt(expected));
}

// For the grid of the model (cells of info_radius: the cutoff covers the whole torus) and
// a finer one (only the rings of cells within the cutoff are visited).
TEST(EntrantGeoTies, EachFirmIsTakenWithItsProbability) {
  for (double cell : {default_settings().info_radius, 0.05}) {
    SCOPED_TRACE(cell);
    check_entrant_ties(cell, 0);
  }
}

// Half the firms at the cap: the entrants' ties go to the other half, each as often as
// its probability says.
TEST(EntrantGeoTies, FirmsAtTheCapAreLeftOutAndTheOthersKeepTheirProbabilities) {
  for (double cell : {default_settings().info_radius, 0.05}) {
    SCOPED_TRACE(cell);
    check_entrant_ties(cell, 11);
  }
}

// A sub-grid holds exactly the kept entries of each cell, in the grid's order, on any team.
TEST(CellGrid, SubsetKeepsTheCellsAndTheirOrder) {
  State st(20, 32);
  rng::Stream place(rng::Key::from_seed(12), 0, rng::Stage::kTest, 0);
  place_firms(st, place, 9000);
  const CellGrid grid = firm_grid(st, 0.1);
  const auto keep = [](std::uint32_t s) { return s % 3 != 1; };
  for (int threads : {1, 2, 3}) {
    CellGrid sub;
    sub.build_subset(grid, keep, threads);
    std::vector<std::uint32_t> expected, got;
    std::uint32_t n_expected = 0, n_got = 0;
    const auto list = [](const CellGrid& g, std::uint32_t lo, std::uint32_t hi, auto&& pick,
                         std::vector<std::uint32_t>& out) {
      out.clear();
      for (std::uint32_t k = lo; k < hi; ++k) {
        if (pick(g.slot(k))) out.push_back(g.slot(k));
      }
    };
    for (double x = 0.05; x < 1.0; x += 0.1) {
      for (double y = 0.05; y < 1.0; y += 0.1) {
        // One cell at a time (a radius that reaches no other cell).
        grid.for_each_cell_near(x, y, 0.0, [&](std::uint32_t lo, std::uint32_t hi) {
          list(grid, lo, hi, keep, expected);
          n_expected += static_cast<std::uint32_t>(expected.size());
        });
        sub.for_each_cell_near(x, y, 0.0, [&](std::uint32_t lo, std::uint32_t hi) {
          list(
              sub, lo, hi, [](std::uint32_t) { return true; }, got);
          n_got += static_cast<std::uint32_t>(got.size());
          for (std::uint32_t k = lo; k < hi; ++k) {
            ASSERT_EQ(sub.id(k), st.id[sub.slot(k)]);
            ASSERT_EQ(sub.x(k), st.x[sub.slot(k)]);
            ASSERT_EQ(sub.y(k), st.y[sub.slot(k)]);
          }
        });
        ASSERT_EQ(got, expected) << "cell at " << x << ", " << y << ", " << threads << " thread(s)";
      }
    }
    EXPECT_EQ(n_got, sub.size());
    EXPECT_EQ(n_expected, 6000u);
  }
}

TEST(EntrantGeoTies, SameDrawsOnAnyTeam) {
  const Settings set = default_settings();
  State one_thread(64, 32), two_threads(64, 32);
  for (State* st : {&one_thread, &two_threads}) {
    rng::Stream place(rng::Key::from_seed(4), 0, rng::Stage::kTest, 0);
    place_firms(*st, place, 800);
    const CellGrid grid = firm_grid(*st, set.info_radius);
    std::vector<std::uint32_t> entrants;
    for (int e = 0; e < 40; ++e) {
      const double x = rng::uniform(place), y = rng::uniform(place);
      entrants.push_back(st->add_actor(ActorType::kSme, x, y, 20000.0, 10));
    }
    CellGrid open;
    add_entrants_geo_ties(*st, entrants, grid, open, set, rng::Key::from_seed(5), 17,
                          st == &one_thread ? 1 : 2);
  }
  ASSERT_EQ(one_thread.slots(), two_threads.slots());
  for (std::uint32_t s = 0; s < one_thread.slots(); ++s) {
    const auto a = one_thread.geo(s), b = two_threads.geo(s);
    ASSERT_TRUE(std::equal(a.begin(), a.end(), b.begin(), b.end())) << "slot " << s;
  }
}

// below_exp must answer exactly as std::exp does, its bounds only skipping the exponential:
// draws near exp(t) (a few ulps either side) and across [0, 1), for t on both sides of
// the bounds' range [-2, 0].
TEST(TorusDelta, IsTheShorterWayRound) {
  // The minimum form must agree with the plain rule d > 0.5 ? 1 - d : d everywhere,
  // at 0.5 and next to it included.
  const auto rule = [](double a, double b) {
    const double d = std::fabs(a - b);
    return d > 0.5 ? 1.0 - d : d;
  };
  std::mt19937_64 gen(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int k = 0; k < 100000; ++k) {
    const double a = u(gen), b = u(gen);
    ASSERT_EQ(torus_delta(a, b), rule(a, b)) << a << " " << b;
  }
  for (const double d : {0.5, std::nextafter(0.5, 0.0), std::nextafter(0.5, 1.0), 0.0, 0.25}) {
    EXPECT_EQ(torus_delta(0.0, d), rule(0.0, d)) << d;
    EXPECT_EQ(torus_delta(0.75, 0.75 - d), rule(0.75, 0.75 - d)) << d;
  }
  EXPECT_EQ(torus_delta(0.1, 0.9), rule(0.1, 0.9));
}

TEST(BelowExp, AgreesWithStdExp) {
  rng::Stream rs(rng::Key::from_seed(6), 0, rng::Stage::kTest, 0);
  for (int i = 0; i < 200000; ++i) {
    const double t = -3.0 * rng::uniform(rs) + (i % 7 == 0 ? 0.5 : 0.0);
    const double e = std::exp(t);
    double u = rng::uniform(rs);
    if (i % 2 == 0 && e < 1.0) {  // a neighbour of exp(t) itself
      u = e;
      for (int k = i % 5; k > 0; --k) u = std::nextafter(u, i % 4 == 0 ? 0.0 : 1.0);
    }
    ASSERT_EQ(below_exp(u, t), u < e) << "u " << u << " t " << t;
  }
  EXPECT_TRUE(below_exp(0.999999, 0.0));
  EXPECT_FALSE(below_exp(std::exp(-1.0), -1.0));
}

TEST(SquaredLimit, IsTheLastSquareWhoseRootIsWithinTheRadius) {
  rng::Stream rs(rng::Key::from_seed(8), 0, rng::Stage::kTest, 0);
  for (int i = 0; i < 20000; ++i) {
    const double r = i == 0 ? 0.0 : rng::uniform(rs) * (i % 3 == 0 ? 1e-3 : 0.7);
    const double t = squared_limit(r);
    ASSERT_LE(std::sqrt(t), r) << r;
    ASSERT_GT(std::sqrt(std::nextafter(t, 1.0)), r) << r;
  }
  EXPECT_LT(squared_limit(-0.1), 0.0);  // nothing is within a negative or NaN radius
  EXPECT_LT(squared_limit(std::nan("")), 0.0);
  EXPECT_EQ(squared_limit(std::numeric_limits<double>::infinity()),
            std::numeric_limits<double>::infinity());
}

// slots_within lists exactly the firms a scan of every slot finds, ascending - through
// either of its orderings (a sort for few hits, a bitmap for many) and with radii that
// fall exactly on a firm's distance.
TEST(SlotsWithin, MatchesAScanOfEverySlot) {
  State st(16, 8);
  rng::Stream place(rng::Key::from_seed(11), 0, rng::Stage::kTest, 0);
  place_firms(st, place, 3000);
  for (std::uint32_t s = 0; s < st.slots(); s += 7) st.alive[s] = 0;  // holes in the slots
  for (double cell : {0.2, 0.03}) {
    const CellGrid grid = firm_grid(st, cell);
    std::vector<std::uint32_t> got;
    for (int q = 0; q < 60; ++q) {
      const double x = rng::uniform(place), y = rng::uniform(place);
      double r = (q % 3 == 0 ? 0.01 : 0.35) * rng::uniform(place);
      if (q % 4 == 0) r = torus_distance(x, y, st.x[5 * q + 1], st.y[5 * q + 1]);
      slots_within(grid, x, y, r, got);
      std::vector<std::uint32_t> want;
      for (std::uint32_t s = 0; s < st.slots(); ++s) {
        if (st.alive[s] && torus_distance(x, y, st.x[s], st.y[s]) <= r) want.push_back(s);
      }
      ASSERT_EQ(got, want) << "cell " << cell << " query " << q << " radius " << r;
    }
  }
}

// A tracked centre's list is what slots_within finds, build after build, while firms
// enter (a few a time, and once more than the lists hold: the cells are scanned again),
// exit and move slots in compactions. Centres: two intermediaries and a firm (within its
// own radius); radii from a few cells to the whole torus; an untracked radius as well.
TEST(CellGridTrack, KeepsTheListsSlotsWithinFinds) {
  State st(16, 8);
  rng::Stream place(rng::Key::from_seed(5), 0, rng::Stage::kTest, 0);
  std::vector<std::uint32_t> centres;
  for (int k = 0; k < 2; ++k) {
    const std::uint32_t s =
        st.add_actor(ActorType::kIntermediary, rng::uniform(place), rng::uniform(place), 0, 0);
    centres.push_back(st.id[s]);
  }
  place_firms(st, place, 400);
  centres.push_back(st.id[7]);
  const std::vector<double> radii = {0.05, 0.3, 0.8};
  CellGrid grid;
  for (std::uint32_t c : centres) {
    for (double r : radii) grid.track(c, r);
  }
  std::vector<std::uint8_t> include;
  std::vector<std::uint32_t> got, want;
  for (int tick = 0; tick < 30; ++tick) {
    for (std::uint32_t s = 0; s < st.slots(); ++s) {  // exits, never the centres
      const bool centre = std::find(centres.begin(), centres.end(), st.id[s]) != centres.end();
      if (st.alive[s] && !centre && s % 13 == static_cast<std::uint32_t>(tick) % 13) st.kill(s);
    }
    if (tick % 7 == 6) st.compact();
    place_firms(st, place, tick == 12 ? 900 : 15);
    include.assign(st.slots(), 0);
    for (std::uint32_t s = 0; s < st.slots(); ++s) include[s] = st.alive[s] && is_firm(st.type[s]);
    grid.build(st, 0.1, include);
    for (std::uint32_t c : centres) {
      const std::uint32_t at = st.slot_of(c);
      for (double r : {0.05, 0.3, 0.8, 0.17}) {
        grid.slots_near_actor(st, at, r, got);
        slots_within(grid, st.x[at], st.y[at], r, want);
        ASSERT_EQ(got, want) << "tick " << tick << " centre " << c << " radius " << r;
        if (r > 0.75) {  // beyond the farthest point of the torus (0.707)
          ASSERT_EQ(got.size(), grid.size()) << "tick " << tick;
        }
      }
    }
  }
}

// The contract of track(): an actor the grid held and that is still alive must stay in
// it - a build that drops one is refused rather than giving lists that scans would not.
TEST(CellGridTrack, RefusesAnActorThatLeftTheGridAlive) {
  State st(16, 8);
  rng::Stream place(rng::Key::from_seed(6), 0, rng::Stage::kTest, 0);
  place_firms(st, place, 50);
  CellGrid grid;
  grid.track(st.id[0], 1.0);
  std::vector<std::uint8_t> include(st.slots(), 1);
  grid.build(st, 0.1, include);
  grid.build(st, 0.1, include);
  include[3] = 0;
  EXPECT_THROW(grid.build(st, 0.1, include), std::logic_error);
}

}  // namespace
}  // namespace icn::model::cluster
