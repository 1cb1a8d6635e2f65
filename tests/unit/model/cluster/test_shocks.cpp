// External shocks and resilience (MODEL.md section 5).
#include "icn/model/cluster/shocks.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>

#include "cluster_test_util.h"
#include "icn/core/error.h"
#include "icn/model/cluster/cluster_model.h"
#include "icn/model/cluster/market.h"

namespace icn::model::cluster {
namespace {

Shock make_shock(ShockShape shape, std::int64_t onset = 10, std::int64_t duration = 4,
                 double magnitude = 0.5, ShockType type = ShockType::kDemand) {
  return Shock{type, onset, duration, magnitude, shape};
}

TEST(ClusterShocks, StepAtOnsetMiddleAndEnd) {
  const Shock s = make_shock(ShockShape::kStep);  // ticks 10..13
  EXPECT_EQ(shock_level(s, 9), 0.0);
  EXPECT_EQ(shock_level(s, 10), 0.5);  // onset
  EXPECT_EQ(shock_level(s, 12), 0.5);  // middle
  EXPECT_EQ(shock_level(s, 13), 0.5);  // last tick
  EXPECT_EQ(shock_level(s, 14), 0.0);  // end
}

TEST(ClusterShocks, RampAtOnsetMiddleAndEnd) {
  const Shock s = make_shock(ShockShape::kRamp);
  EXPECT_EQ(shock_level(s, 9), 0.0);
  EXPECT_DOUBLE_EQ(shock_level(s, 10), 0.5 * 1 / 4);  // onset
  EXPECT_DOUBLE_EQ(shock_level(s, 11), 0.5 * 2 / 4);  // middle
  EXPECT_DOUBLE_EQ(shock_level(s, 13), 0.5);          // full at the last tick
  EXPECT_DOUBLE_EQ(shock_level(s, 14), 0.5);          // and it lasts
  EXPECT_DOUBLE_EQ(shock_level(s, 1000), 0.5);
}

TEST(ClusterShocks, PulseAtOnsetMiddleAndEnd) {
  const Shock s = make_shock(ShockShape::kPulse);
  EXPECT_EQ(shock_level(s, 9), 0.0);
  EXPECT_DOUBLE_EQ(shock_level(s, 10), 0.5);          // onset: full
  EXPECT_DOUBLE_EQ(shock_level(s, 12), 0.5 * 2 / 4);  // middle: half
  EXPECT_DOUBLE_EQ(shock_level(s, 13), 0.5 * 1 / 4);
  EXPECT_EQ(shock_level(s, 14), 0.0);  // end
}

TEST(ClusterShocks, EffectsCombinePerType) {
  const std::vector<Shock> shocks = {
      make_shock(ShockShape::kStep, 10, 4, 0.5, ShockType::kDemand),
      make_shock(ShockShape::kStep, 12, 4, 0.2, ShockType::kDemand),
      make_shock(ShockShape::kStep, 10, 4, 0.3, ShockType::kLabourCost),
      make_shock(ShockShape::kStep, 10, 4, 1.0, ShockType::kCurrency),
      make_shock(ShockShape::kStep, 10, 4, 49.0, ShockType::kRawMaterials),
  };
  const ShockEffect before = shock_effect(shocks, 9);
  EXPECT_EQ(before.final_price, 1.0);
  EXPECT_EQ(before.fixed_cost, 1.0);
  EXPECT_EQ(before.export_factor, 1.0);
  EXPECT_EQ(before.raw_cost, 1.0);
  const ShockEffect e = shock_effect(shocks, 12);
  EXPECT_DOUBLE_EQ(e.final_price, 0.5 * 0.8);
  EXPECT_DOUBLE_EQ(e.fixed_cost, 1.3);
  EXPECT_DOUBLE_EQ(e.export_factor, 0.5);
  EXPECT_DOUBLE_EQ(e.raw_cost, 50.0);
  EXPECT_EQ(shocked_demand_cap(0, 0.4), 0);  // unlimited stays unlimited
  EXPECT_EQ(shocked_demand_cap(10, 0.4), 4);
  EXPECT_EQ(shocked_demand_cap(2, 0.1), 1);  // at least one seller
}

TEST(ClusterShocks, TextFormParsesAndBadItemsSayWhy) {
  std::vector<Shock> out;
  EXPECT_EQ(parse_shocks("", out), "");
  EXPECT_TRUE(out.empty());
  ASSERT_EQ(parse_shocks("type=demand, onset=100, duration=50, magnitude=0.3, shape=ramp; "
                         "type=currency, onset=5, duration=1, magnitude=2",
                         out),
            "");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].type, ShockType::kDemand);
  EXPECT_EQ(out[0].onset, 100);
  EXPECT_EQ(out[0].duration, 50);
  EXPECT_EQ(out[0].magnitude, 0.3);
  EXPECT_EQ(out[0].shape, ShockShape::kRamp);
  EXPECT_EQ(out[1].type, ShockType::kCurrency);
  EXPECT_EQ(out[1].shape, ShockShape::kStep);  // the default shape
  const auto reason = [](const std::string& text) { return check_shocks(text); };
  EXPECT_NE(reason("type=demnd, onset=1, duration=1, magnitude=0.1").find("demand|labour_cost"),
            std::string::npos);
  EXPECT_NE(reason("type=demand, onset=1, magnitude=0.1").find("'duration' is missing"),
            std::string::npos);
  EXPECT_NE(reason("type=demand, onset=1, duration=1, magnitude=1.5").find("at most 1"),
            std::string::npos);
  EXPECT_NE(reason("type=demand, onst=1, duration=1, magnitude=0.1").find("did you mean 'onset'"),
            std::string::npos);
  EXPECT_NE(reason("type=demand, onset=1.5, duration=1, magnitude=0.1").find("whole number"),
            std::string::npos);
  EXPECT_NE(reason("type=demand, onset=1, duration=0, magnitude=0.1").find("at least 1"),
            std::string::npos);
  EXPECT_NE(reason("type=demand, onset=1, duration=1, magnitude=0.1, shape=square").find("pulse"),
            std::string::npos);
  EXPECT_NE(reason("type=labour_cost, onset=1, duration=1, magnitude=0.1; type=x").find("shock 2"),
            std::string::npos);
  // make_settings rejects a bad list with an InputError.
  ClusterParams p;
  p.shocks = "type=demand";
  EXPECT_THROW(make_settings(p), InputError);
}

TEST(ClusterShocks, CurrencyAppreciationCutsTheExportShareOfEndUserRevenue) {
  testing::Ctx c;
  c.set.export_key = rng::Key::derive({7, 0, 0});
  c.set.export_factor = 1.0 / (1.0 + 1.0);  // s = 1
  State st = testing::empty_state();
  const auto a = testing::add_firm(st, ActorType::kSme, {});
  testing::set_production(st, a, 95, {5}, 10000);
  const auto gov = st.add_actor(ActorType::kGovernment, 0.5, 0.5, 0, 0);
  Market market;
  Ledger ledger;
  market.clear(st, c.set);
  market.settle(st, c.set, ledger, gov);
  const double xi = export_share(c.set.export_key, st.id[a]);
  EXPECT_GT(xi, 0.0);
  EXPECT_LT(xi, 1.0);
  EXPECT_DOUBLE_EQ(st.revenue[a], 10000.0 * (1.0 - xi + xi * 0.5));
  EXPECT_DOUBLE_EQ(ledger.tick_inflow(Inflow::kFinalSale), st.revenue[a]);
  EXPECT_DOUBLE_EQ(st.reward[a], st.revenue[a] - 1.0);  // raw input at 1
  // Export shares are fixed per firm and spread over [0, 1).
  double mean = 0;
  for (std::uint32_t id = 0; id < 1000; ++id) mean += export_share(c.set.export_key, id) / 1000;
  EXPECT_NEAR(mean, 0.5, 0.05);
  EXPECT_EQ(export_share(c.set.export_key, 3), export_share(c.set.export_key, 3));
}

std::unique_ptr<ClusterModel> make(const ClusterParams& p, int threads = 1) {
  return std::make_unique<ClusterModel>(p, rng::Key::derive({11, 0, 0}), ExecOptions{threads});
}

double obs(const ClusterModel& m, Obs k) { return m.observables()[static_cast<std::size_t>(k)]; }

TEST(ClusterShocks, EachShockActsOnItsParameterOfTheTick) {
  ClusterParams p;
  p.n_sme = 60;
  p.n_leading = 1;
  p.demand_cap = 10;
  p.shocks =
      "type=demand, onset=2, duration=2, magnitude=0.5; "
      "type=labour_cost, onset=2, duration=4, magnitude=0.5, shape=ramp; "
      "type=currency, onset=3, duration=2, magnitude=1, shape=pulse; "
      "type=raw_materials, onset=2, duration=1, magnitude=49";
  auto m = make(p);
  const auto& t = m->tick_settings().p;
  m->step();  // tick 1: nothing yet
  EXPECT_EQ(t.final_price, 10000.0);
  EXPECT_EQ(t.demand_cap, 10);
  EXPECT_EQ(t.fixed_cost, 100.0);
  EXPECT_EQ(t.raw_cost, 1.0);
  EXPECT_EQ(m->tick_settings().export_factor, 1.0);
  m->step();  // tick 2
  EXPECT_DOUBLE_EQ(t.final_price, 5000.0);
  EXPECT_EQ(t.demand_cap, 5);
  EXPECT_DOUBLE_EQ(t.fixed_cost, 100.0 * 1.125);
  EXPECT_DOUBLE_EQ(t.raw_cost, 50.0);
  EXPECT_DOUBLE_EQ(obs(*m, Obs::kShockDemand), 0.5);
  EXPECT_DOUBLE_EQ(obs(*m, Obs::kShockRawMaterials), 49.0);
  m->step();  // tick 3
  EXPECT_DOUBLE_EQ(m->tick_settings().export_factor, 0.5);
  EXPECT_DOUBLE_EQ(obs(*m, Obs::kShockCurrency), 1.0);
  EXPECT_DOUBLE_EQ(t.raw_cost, 1.0);
  m->step();  // tick 4
  EXPECT_DOUBLE_EQ(t.final_price, 10000.0);
  EXPECT_DOUBLE_EQ(m->tick_settings().export_factor, 1.0 / 1.5);
  for (int k = 0; k < 3; ++k) m->step();  // tick 7: the ramp holds
  EXPECT_DOUBLE_EQ(t.fixed_cost, 150.0);
  EXPECT_DOUBLE_EQ(obs(*m, Obs::kShockLabourCost), 0.5);
}

TEST(ClusterShocks, StrongDemandShockLowersSalesAgainstTheUnshockedTwin) {
  ClusterParams p;
  p.shocks = "type=demand, onset=40, duration=40, magnitude=0.8";
  p.resilience = true;
  auto m = make(p);
  ClusterParams calm;
  auto plain = make(calm);
  double shocked = 0, twin = 0;
  for (int t = 1; t <= 80; ++t) {
    m->step();
    plain->step();
    // The twin is the unshocked run on the same random numbers.
    ASSERT_EQ(obs(*m->twin(), Obs::kMoneyInside), obs(*plain, Obs::kMoneyInside)) << t;
    ASSERT_EQ(obs(*m, Obs::kTwinSales), obs(*plain, Obs::kTotalSales)) << t;
    if (t < 40) {
      ASSERT_EQ(obs(*m, Obs::kTotalSales), obs(*plain, Obs::kTotalSales)) << "before onset " << t;
    } else {
      shocked += obs(*m, Obs::kTotalSales);
      twin += obs(*plain, Obs::kTotalSales);
    }
  }
  EXPECT_LT(shocked, twin);
  std::vector<double> finals(static_cast<std::size_t>(Final::kCount));
  m->summarize(finals);
  EXPECT_GT(finals[static_cast<std::size_t>(Final::kResistance)], 0.1);
  EXPECT_GT(finals[static_cast<std::size_t>(Final::kRecoveryTime)], 0.0);
}

TEST(ClusterShocks, ResilienceIsZeroWhenTheMagnitudeIsZero) {
  ClusterParams p;
  p.n_sme = 100;
  p.shocks =
      "type=demand, onset=10, duration=20, magnitude=0; type=currency, onset=5, duration=9, "
      "magnitude=0, shape=pulse";
  p.resilience = true;
  auto m = make(p);
  for (int t = 0; t < 60; ++t) m->step();
  std::vector<double> finals(static_cast<std::size_t>(Final::kCount));
  m->summarize(finals);
  EXPECT_EQ(finals[static_cast<std::size_t>(Final::kResistance)], 0.0);
  EXPECT_EQ(finals[static_cast<std::size_t>(Final::kRecoveryTime)], 0.0);
  EXPECT_EQ(finals[static_cast<std::size_t>(Final::kRecovered)], 1.0);
  EXPECT_EQ(obs(*m, Obs::kTotalSales), obs(*m, Obs::kTwinSales));
}

TEST(ClusterShocks, MoneyIsConservedUnderEveryShockAndThreadCountsAgree) {
  ClusterParams p;
  p.shocks =
      "type=demand, onset=5, duration=20, magnitude=0.5, shape=ramp; "
      "type=labour_cost, onset=10, duration=10, magnitude=1; "
      "type=currency, onset=15, duration=10, magnitude=0.5, shape=pulse; "
      "type=raw_materials, onset=5, duration=30, magnitude=20";
  p.resilience = true;
  std::vector<std::unique_ptr<ClusterModel>> runs;
  for (int threads : {1, 2, 4}) {
    runs.push_back(make(p, threads));
    runs.back()->set_parallel_grain(0);
  }
  double before = obs(*runs[0], Obs::kMoneyInside);
  for (int t = 1; t <= 40; ++t) {
    for (auto& m : runs) m->step();
    const double now = obs(*runs[0], Obs::kMoneyInside);
    const double flow = obs(*runs[0], Obs::kInflow) - obs(*runs[0], Obs::kOutflow);
    ASSERT_NEAR(now - before, flow, 1e-9 * std::max(1.0, std::fabs(now))) << "tick " << t;
    before = now;
    for (std::size_t r = 1; r < runs.size(); ++r) {
      const auto a = runs[0]->observables(), b = runs[r]->observables();
      for (std::size_t k = 0; k < a.size(); ++k) {
        ASSERT_EQ(std::memcmp(&a[k], &b[k], sizeof(double)), 0)
            << observable_names()[k] << " differs at tick " << t;
      }
    }
  }
}

}  // namespace
}  // namespace icn::model::cluster
