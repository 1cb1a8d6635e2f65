#include "icn/model/cowan_jonard.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <utility>
#include <vector>

#include "icn/core/error.h"
#include "icn/graph/generators.h"

namespace icn::model {
namespace {

std::vector<double> barter_copy(std::vector<double>& vi, std::vector<double>& vj,
                                const BarterRule& rule, bool expect_trade) {
  EXPECT_EQ(barter(vi, vj, rule), expect_trade);
  return vi;
}

TEST(CowanJonardBarter, ReferenceTradeClosesHalfOfEachGap) {
  // MODEL.md section 8: v_i = (10, 0), v_j = (0, 10), α = 0.5. Each receives 5 in the
  // category it lacked; knowledge is non-rival, so the giver keeps its 10.
  std::vector<double> vi = {10, 0};
  std::vector<double> vj = {0, 10};
  EXPECT_TRUE(barter(vi, vj, BarterRule{.alpha = 0.5}));
  EXPECT_EQ(vi, (std::vector<double>{10, 5}));
  EXPECT_EQ(vj, (std::vector<double>{5, 10}));
}

TEST(CowanJonardBarter, NoDoubleCoincidenceNoTrade) {
  std::vector<double> vi = {10, 10};
  std::vector<double> vj = {0, 5};
  EXPECT_FALSE(barter(vi, vj, BarterRule{.alpha = 0.5}));
  EXPECT_EQ(vi, (std::vector<double>{10, 10}));
  EXPECT_EQ(vj, (std::vector<double>{0, 5}));
  EXPECT_FALSE(can_trade(vi, vj, 0.01));
  EXPECT_FALSE(can_trade(vj, vi, 0.01));
}

TEST(CowanJonardBarter, ToleranceIsRelativeToTheLargerLevel) {
  EXPECT_FALSE(is_ahead(10.0, 9.95, 0.01));  // 0.05 <= 0.01 · 10
  EXPECT_TRUE(is_ahead(10.0, 9.85, 0.01));   // 0.15 >  0.1
  EXPECT_FALSE(is_ahead(9.85, 10.0, 0.01));  // antisymmetric
  EXPECT_TRUE(is_ahead(1e-9, 0.0, 0.01));    // anything is ahead of nothing
  EXPECT_FALSE(is_ahead(0.0, 0.0, 0.0));     // equal levels never are
  // Within tolerance in category 0: i is ahead nowhere, so no trade at 1 %, one at 0.1 %.
  std::vector<double> vi = {10.0, 1.0};
  std::vector<double> vj = {9.95, 1.5};
  EXPECT_FALSE(can_trade(vi, vj, 0.01));
  EXPECT_TRUE(can_trade(vi, vj, 0.001));
  barter_copy(vi, vj, BarterRule{.alpha = 0.5, .tolerance = 0.001}, true);
  EXPECT_EQ(vi, (std::vector<double>{10.0, 1.25}));
  EXPECT_EQ(vj, (std::vector<double>{9.975, 1.5}));
}

TEST(CowanJonardBarter, AllGapsVersusLargestGap) {
  std::vector<double> ai = {0, 0, 10};
  std::vector<double> aj = {4, 6, 0};
  barter_copy(ai, aj, BarterRule{.alpha = 0.5, .rule = TradeRule::kAllGaps}, true);
  EXPECT_EQ(ai, (std::vector<double>{2, 3, 10}));
  EXPECT_EQ(aj, (std::vector<double>{4, 6, 5}));
  std::vector<double> li = {0, 0, 10};
  std::vector<double> lj = {4, 6, 0};
  barter_copy(li, lj, BarterRule{.alpha = 0.5, .rule = TradeRule::kLargestGap}, true);
  EXPECT_EQ(li, (std::vector<double>{0, 3, 10}));
  EXPECT_EQ(lj, (std::vector<double>{4, 6, 5}));
  // Equal gaps: the lowest category wins.
  std::vector<double> ti = {0, 0, 8};
  std::vector<double> tj = {6, 6, 0};
  barter_copy(ti, tj, BarterRule{.alpha = 0.25, .rule = TradeRule::kLargestGap}, true);
  EXPECT_EQ(ti, (std::vector<double>{1.5, 0, 8}));
}

TEST(CowanJonardBarter, GainsCombineByMaximum) {
  const std::vector<double> mine = {0, 0};
  std::vector<double> gain = {0, 0};
  const BarterRule rule{.alpha = 0.5};
  accumulate_gains(mine, std::vector<double>{4, 2}, rule, gain);
  accumulate_gains(mine, std::vector<double>{2, 6}, rule, gain);
  EXPECT_EQ(gain, (std::vector<double>{2, 3}));
}

ParamValues params_with(const CowanJonardParams& p) { return cowan_jonard_params().to_values(p); }

std::unique_ptr<Model> make(const CowanJonardParams& p, int threads, std::uint64_t seed = 1) {
  return find_model("cowan-jonard", "test")
      .make(params_with(p), rng::Key::derive({seed, 0, 0}), ExecOptions{.threads = threads});
}

std::size_t index_of(const std::vector<std::string>& names, const std::string& name) {
  return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
}

TEST(CowanJonardModel, IsRegisteredWithItsOutputs) {
  const ModelInfo& info = find_model("cowan-jonard", "test");
  EXPECT_EQ(info.observables.size(), 7u);
  EXPECT_EQ(info.finals.size(), 11u);
  EXPECT_EQ(info.observables[index_of(info.observables, "cv_knowledge")], "cv_knowledge");
  EXPECT_EQ(cowan_jonard_params().defaults().at("n_agents"), Value(std::int64_t{500}));
}

TEST(CowanJonardModel, RejectsAnOddOrTooLargeDegree) {
  CowanJonardParams p;
  p.degree = 9;
  EXPECT_THROW(make(p, 1), InputError);
  p.degree = 10;
  p.n_agents = 10;
  EXPECT_THROW(make(p, 1), InputError);
}

TEST(CowanJonardModel, KnowledgeStartsNearFiveAndNeverFalls) {
  const auto model = make(CowanJonardParams{}, 1);
  const auto& names = find_model("cowan-jonard", "test").observables;
  std::vector<double> obs(names.size());
  model->observe(obs);
  // 5000 levels U[0,10): sd of the mean 10/sqrt(12·5000) = 0.041.
  EXPECT_NEAR(obs[index_of(names, "mean_knowledge")], 5.0, 0.2);
  double mean = obs[0];
  double lo = obs[index_of(names, "min_knowledge")];
  for (int t = 0; t < 50; ++t) {
    model->step();
    model->observe(obs);
    EXPECT_GE(obs[0], mean);
    EXPECT_GE(obs[index_of(names, "min_knowledge")], lo);
    EXPECT_LE(obs[index_of(names, "max_knowledge")], 10.0);
    mean = obs[0];
    lo = obs[index_of(names, "min_knowledge")];
  }
  EXPECT_GT(mean, 5.5);
}

TEST(CowanJonardModel, BitIdenticalForOneTwoAndFourThreads) {
  for (const char* rule : {"all_gaps", "largest_gap"}) {
    CowanJonardParams p;
    p.trade_rule = rule;
    p.q_exchange = 0.8;
    std::vector<std::vector<double>> runs;
    for (const int threads : {1, 2, 4}) {
      const auto model = make(p, threads, 42);
      std::vector<double> trace;
      std::vector<double> obs(7);
      for (int t = 0; t < 40; ++t) {
        model->step();
        model->observe(obs);
        trace.insert(trace.end(), obs.begin(), obs.end());
      }
      std::vector<double> fin(11);
      model->summarize(fin);
      trace.insert(trace.end(), fin.begin(), fin.end());
      runs.push_back(trace);
    }
    EXPECT_EQ(runs[0], runs[1]) << rule;
    EXPECT_EQ(runs[0], runs[2]) << rule;
  }
}

TEST(CowanJonardModel, DifferentSeedsDiffer) {
  std::vector<double> a(7), b(7);
  make(CowanJonardParams{}, 1, 1)->observe(a);
  make(CowanJonardParams{}, 1, 2)->observe(b);
  EXPECT_NE(a, b);
}

TEST(CowanJonardModel, TradesStopAtASteadyStateOnASmallGraph) {
  CowanJonardParams p;
  p.n_agents = 40;
  p.degree = 4;
  const auto model = make(p, 1, 7);
  const auto& info = find_model("cowan-jonard", "test");
  std::vector<double> obs(info.observables.size());
  std::vector<double> fin(info.finals.size());
  const std::size_t trades = index_of(info.observables, "trades");
  const std::size_t tradable = index_of(info.observables, "tradable_pairs");
  double first_trades = 0;
  int t = 0;
  for (; t < 5000; ++t) {
    model->step();
    model->observe(obs);
    if (t == 0) first_trades = obs[trades];
    if (obs[tradable] == 0) break;
  }
  ASSERT_LT(t, 5000) << "no steady state within 5000 ticks";
  EXPECT_GT(first_trades, 0);
  // The model notices the steady state at the next tick, which trades nothing, and
  // dates it to the last tick that changed the state: the one that just ended.
  model->step();
  model->observe(obs);
  EXPECT_EQ(obs[trades], 0);
  const std::vector<double> frozen = obs;
  model->summarize(fin);
  EXPECT_EQ(fin[index_of(info.finals, "steady_tick")], t + 1);
  EXPECT_GT(fin[index_of(info.finals, "total_trades")], 0);
  for (int extra = 0; extra < 20; ++extra) {
    model->step();
    model->observe(obs);
    EXPECT_EQ(obs, frozen);
  }
  model->summarize(fin);
  EXPECT_EQ(fin[index_of(info.finals, "steady_tick")], t + 1) << "steady tick moved";
}

/// One tick written meeting by meeting, independently of the model's agent-centred loop:
/// meetings are the distinct pairs {a, target(a)}; each is judged on the start-of-tick
/// levels; every agent takes the largest gain per category its trades offer.
std::uint64_t reference_tick(const graph::Graph& g, std::vector<std::vector<double>>& v,
                             const rng::Key& key, std::uint32_t tick, const BarterRule& rule) {
  const auto n = g.num_vertices();
  std::set<std::pair<std::uint32_t, std::uint32_t>> meetings;
  for (std::uint32_t a = 0; a < n; ++a) {
    rng::Stream s(key, tick, rng::Stage::kExchange, a);
    const std::uint32_t b = g.neighbors(a)[rng::below(s, g.degree(a))];
    meetings.emplace(std::min(a, b), std::max(a, b));
  }
  std::vector<std::vector<double>> gain(n, std::vector<double>(v[0].size(), 0.0));
  std::uint64_t trades = 0;
  for (const auto& [a, b] : meetings) {
    if (!can_trade(v[a], v[b], rule.tolerance)) continue;
    ++trades;
    accumulate_gains(v[a], v[b], rule, gain[a]);
    accumulate_gains(v[b], v[a], rule, gain[b]);
  }
  for (std::uint32_t a = 0; a < n; ++a) {
    for (std::size_t c = 0; c < v[a].size(); ++c) v[a][c] += gain[a][c];
  }
  return trades;
}

TEST(CowanJonardModel, MatchesAMeetingByMeetingReferenceOfTheSynchronousTick) {
  CowanJonardParams p;
  p.n_agents = 12;
  p.degree = 4;
  p.rewiring_p = 0.0;  // the ring lattice: no graph draws to replicate
  p.categories = 3;
  const rng::Key key = rng::Key::derive({5, 0, 0});
  const auto model =
      find_model("cowan-jonard", "test").make(params_with(p), key, ExecOptions{.threads = 2});
  const graph::Graph g = graph::ring_lattice(12, 4);
  std::vector<std::vector<double>> v(12, std::vector<double>(3));
  for (std::uint32_t a = 0; a < 12; ++a) {
    rng::Stream s(key, 0, rng::Stage::kInit, a);
    for (double& x : v[a]) x = rng::uniform(s, 0.0, p.initial_max);
  }
  std::vector<double> obs(7);
  std::uint64_t total = 0;
  for (std::uint32_t tick = 1; tick <= 12; ++tick) {
    const std::uint64_t trades = reference_tick(g, v, key, tick, BarterRule{});
    total += trades;
    model->step();
    model->observe(obs);
    std::vector<double> agent(12);
    for (std::uint32_t a = 0; a < 12; ++a) agent[a] = (v[a][0] + v[a][1] + v[a][2]) / 3.0;
    double sum = 0;
    for (const double m : agent) sum += m;
    const double mean = sum / 12;
    double ss = 0;
    for (const double m : agent) ss += (m - mean) * (m - mean);
    EXPECT_EQ(obs[0], mean) << "tick " << tick;
    EXPECT_EQ(obs[1], ss / 12) << "tick " << tick;
    EXPECT_EQ(obs[3], *std::min_element(agent.begin(), agent.end())) << "tick " << tick;
    EXPECT_EQ(obs[4], *std::max_element(agent.begin(), agent.end())) << "tick " << tick;
    EXPECT_EQ(obs[5], static_cast<double>(trades)) << "tick " << tick;
  }
  EXPECT_GT(total, 0u);
}

// The rewiring sweep of docs/model.md: steady-state mean knowledge and CV against p.
// Run with --gtest_also_run_disabled_tests --gtest_filter='*RewiringSweep*'.
TEST(CowanJonardModel, DISABLED_RewiringSweep) {
  const auto& info = find_model("cowan-jonard", "test");
  const std::size_t steady = index_of(info.finals, "steady_tick");
  for (const char* rule : {"all_gaps", "largest_gap"}) {
    std::printf("trade_rule = %s (N = 500, k = 10, K = 10, alpha = 0.5, tol = 1 %%)\n", rule);
    std::printf("%6s %10s %10s %10s %10s %10s %10s\n", "p", "mean", "sd(mean)", "cv", "sd(cv)",
                "ticks", "mean_path");
    for (const double p_rewire : {0.0, 0.01, 0.03, 0.1, 0.3, 1.0}) {
      CowanJonardParams p;
      p.rewiring_p = p_rewire;
      p.trade_rule = rule;
      constexpr int kReplicates = 20;
      double s_mean = 0, s_mean2 = 0, s_cv = 0, s_cv2 = 0, s_ticks = 0, s_path = 0;
      for (int r = 0; r < kReplicates; ++r) {
        const auto model = make(p, 1, 1000 + static_cast<std::uint64_t>(r));
        std::vector<double> fin(info.finals.size());
        for (int t = 0; t < 20000; ++t) {
          model->step();
          model->summarize(fin);
          if (fin[steady] >= 0) break;
        }
        EXPECT_GE(fin[steady], 0) << "not steady, p = " << p_rewire;
        s_mean += fin[0];
        s_mean2 += fin[0] * fin[0];
        s_cv += fin[2];
        s_cv2 += fin[2] * fin[2];
        s_ticks += fin[steady];
        s_path += fin[index_of(info.finals, "mean_path")];
      }
      const double n = kReplicates;
      const double m = s_mean / n, cv = s_cv / n;
      std::printf("%6.2f %10.4f %10.4f %10.4f %10.4f %10.1f %10.3f\n", p_rewire, m,
                  std::sqrt(std::max(0.0, s_mean2 / n - m * m)), cv,
                  std::sqrt(std::max(0.0, s_cv2 / n - cv * cv)), s_ticks / n, s_path / n);
    }
  }
}

}  // namespace
}  // namespace icn::model
