#include "icn/model/cluster/market.h"

#include <gtest/gtest.h>

#include "cluster_test_util.h"

namespace icn::model::cluster {
namespace {

using testing::add_firm;
using testing::Ctx;
using testing::empty_state;
using testing::set_production;

struct MarketFixture {
  Ctx c;
  State st = empty_state();
  Market market;
  Ledger ledger;
  std::uint32_t gov = kNone;

  std::uint32_t firm(int product, std::initializer_list<int> inputs, double price, double q = 0) {
    const auto s = add_firm(st, ActorType::kSme, {});
    set_production(st, s, product, inputs, price, q);
    return s;
  }
  void clear_and_settle() {
    gov = st.add_actor(ActorType::kGovernment, 0.5, 0.5, 0, 0);
    market.clear(st, c.set);
    market.settle(st, c.set, ledger, gov);
  }
};

TEST(Market, ThreeFirmsClearAsComputedByHand) {
  MarketFixture f;
  const auto a = f.firm(50, {5}, 100);     // raw input 5
  const auto b = f.firm(95, {50}, 10000);  // end-user product, buys 50 from a
  const auto c = f.firm(60, {70}, 500);    // nobody makes 70 (and nobody wants 60)
  const double money0 = Ledger::money_inside(f.st);
  f.clear_and_settle();
  EXPECT_TRUE(f.st.selling[a] && f.st.selling[b]);
  EXPECT_FALSE(f.st.selling[c]);
  EXPECT_TRUE(f.st.trading[a] && f.st.trading[b]);
  EXPECT_FALSE(f.st.trading[c]);
  EXPECT_EQ(f.st.suppliers[b][0], f.st.id[a]);
  EXPECT_EQ(f.st.suppliers[a][0], kNone);  // raw materials come from outside
  EXPECT_EQ(f.st.customers[a], 1u);
  EXPECT_EQ(f.st.customers[b], 1u);  // the final consumers
  EXPECT_DOUBLE_EQ(f.st.reward[a], 1 * (100.0 - 1.0));
  EXPECT_DOUBLE_EQ(f.st.reward[b], 1 * (10000.0 - 100.0));
  EXPECT_DOUBLE_EQ(f.st.revenue[b], 10000.0);
  // Capital: purchases are transfers, raw materials leave, final sales enter, fixed cost
  // goes to the government.
  EXPECT_DOUBLE_EQ(f.st.capital[a], 20000 + 100 - 1 - 100);
  EXPECT_DOUBLE_EQ(f.st.capital[b], 20000 - 100 + 10000 - 100);
  EXPECT_DOUBLE_EQ(f.st.capital[c], 20000 - 100);
  EXPECT_DOUBLE_EQ(f.st.capital[f.gov], 300);
  EXPECT_DOUBLE_EQ(f.ledger.tick_transfer(Transfer::kPurchase), 100);
  EXPECT_DOUBLE_EQ(f.ledger.tick_inflow(Inflow::kFinalSale), 10000);
  EXPECT_DOUBLE_EQ(f.ledger.tick_outflow(Outflow::kRawMaterial), 1);
  EXPECT_DOUBLE_EQ(Ledger::money_inside(f.st) - money0,
                   f.ledger.tick_inflow_total() - f.ledger.tick_outflow_total());
  // One customer each: prices unchanged.
  EXPECT_DOUBLE_EQ(f.st.price[a], 100);
  EXPECT_DOUBLE_EQ(f.st.price[b], 10000);
}

TEST(Market, ChainCollapsesWhenItsSupplierDropsOut) {
  MarketFixture f;
  const auto a = f.firm(50, {5}, 400);  // too dear for b
  const auto b = f.firm(60, {50}, 300);
  const auto c = f.firm(95, {60}, 10000);
  f.clear_and_settle();
  // Everything is available and wanted (selling) but b cannot make a profit; then c has
  // no supplier, and then nobody wants a's product.
  for (auto s : {a, b, c}) {
    EXPECT_TRUE(f.st.selling[s]) << s;
    EXPECT_FALSE(f.st.trading[s]) << s;
  }
  EXPECT_DOUBLE_EQ(f.ledger.tick_inflow_total(), 0);
}

TEST(Market, CheapestSupplierWinsAndTiesGoToQualityThenId) {
  MarketFixture f;
  const auto dear = f.firm(50, {5}, 400);
  const auto cheap_low_q = f.firm(50, {5}, 250, 1.0);
  const auto cheap_high_q = f.firm(50, {5}, 250, 2.0);
  const auto cheap_high_q2 = f.firm(50, {5}, 250, 2.0);
  const auto b = f.firm(60, {50}, 300);
  const auto c = f.firm(95, {60}, 10000);
  f.clear_and_settle();
  EXPECT_TRUE(f.st.trading[b] && f.st.trading[c]);
  EXPECT_EQ(f.st.suppliers[b][0], f.st.id[cheap_high_q]);
  // The others stay in the market (b still wants product 50) but sell nothing: -10 %.
  for (auto s : {dear, cheap_low_q, cheap_high_q2}) {
    EXPECT_TRUE(f.st.trading[s]);
    EXPECT_EQ(f.st.customers[s], 0u);
  }
  EXPECT_DOUBLE_EQ(f.st.price[dear], 360);
  EXPECT_DOUBLE_EQ(f.st.price[cheap_high_q], 250);
}

TEST(Market, PriceRisesWithManyCustomersAndNeverFallsBelowUnitCost) {
  MarketFixture f;
  const auto a = f.firm(50, {5}, 100);
  for (int k = 0; k < 5; ++k) f.firm(95, {50}, 10000);
  const auto idle = f.firm(51, {5}, 1.05);  // nobody buys 51 ... except:
  f.firm(96, {51}, 10000);
  f.clear_and_settle();
  EXPECT_EQ(f.st.customers[a], 5u);
  EXPECT_NEAR(f.st.price[a], 110, 1e-9);
  // idle has one customer: no change. Make it customerless by a cheaper rival.
  EXPECT_DOUBLE_EQ(f.st.price[idle], 1.05);
  MarketFixture g;
  const auto lone = g.firm(51, {5}, 1.05);
  g.firm(51, {5}, 1.01);
  g.firm(96, {51}, 10000);
  g.clear_and_settle();
  EXPECT_EQ(g.st.customers[lone], 0u);
  EXPECT_DOUBLE_EQ(g.st.price[lone], 1.0);  // 0.9 * 1.05 < unit cost 1 (raw)
}

TEST(Market, BreakEvenStillTrades) {
  MarketFixture f;
  const auto a = f.firm(50, {5}, 100);
  const auto b = f.firm(60, {50}, 100);  // price = unit cost: the price floor
  f.firm(95, {60}, 10000);
  f.clear_and_settle();
  EXPECT_TRUE(f.st.trading[a]);
  EXPECT_TRUE(f.st.trading[b]);
  EXPECT_DOUBLE_EQ(f.st.reward[b], 0.0);
}

TEST(Market, DemandCapLimitsConsumerSales) {
  MarketFixture f;
  f.c.set.p.demand_cap = 1;
  const auto a = f.firm(50, {5}, 100);
  const auto dear = f.firm(95, {50}, 9000);
  const auto cheap = f.firm(95, {50}, 8000);
  f.clear_and_settle();
  EXPECT_TRUE(f.st.trading[cheap]);
  EXPECT_FALSE(f.st.trading[dear]);  // beyond the cap, and no firm wants product 95
  EXPECT_TRUE(f.st.trading[a]);
  EXPECT_DOUBLE_EQ(f.ledger.tick_inflow(Inflow::kFinalSale), f.c.set.p.final_price);
  EXPECT_DOUBLE_EQ(f.st.revenue[cheap], f.c.set.p.final_price);
}

}  // namespace
}  // namespace icn::model::cluster
