#pragma once
// The `cowan-jonard` companion model (MODEL.md sections 4.1, 8, 9): bilateral barter of
// real-valued knowledge on a Watts–Strogatz ring (Cowan & Jonard, JEDC 28(8), 2004).
//
// Mechanics, exactly:
// - Agent a holds levels v_a,c >= 0 in K categories, initially U[0, initial_max).
// - "j is ahead of i in c" iff v_j,c − v_i,c > tolerance · max(|v_i,c|, |v_j,c|): levels
//   within `tolerance` of the larger one count as equal. The relation is antisymmetric,
//   so in one category at most one side of a pair is ahead.
// - A pair trades only on double coincidence: each is ahead of the other somewhere.
// - Knowledge is non-rival: the side that is behind gains, the side that is ahead keeps
//   its level. In a trade i gains α (v_j,c − v_i,c) in every category where j is ahead
//   (trade_rule "all_gaps"), or only in the one where j is ahead by the most
//   ("largest_gap"; ties go to the lowest category index); and j likewise from i.
// - Synchronous ticks: every agent draws (from its keyed stream: tick, kExchange, id)
//   whether it seeks a meeting (probability q_exchange) and a uniform neighbour. Every
//   meeting {a, b} is judged on the start-of-tick levels. An agent in several trades in
//   one tick takes, per category, the largest of the gains its trades offer (never their
//   sum, which could overshoot every partner). With one trade this is the pairwise
//   barter below; in all cases the result depends only on ids and random numbers, so it
//   is bit-identical for any number of threads.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>

#include "icn/model/model.h"

namespace icn::model {

enum class TradeRule { kAllGaps, kLargestGap };

/// The pairwise barter rule.
struct BarterRule {
  double alpha = 0.5;       ///< absorption: fraction of a gap closed in a trade
  double tolerance = 0.01;  ///< relative difference below which two levels are equal
  TradeRule rule = TradeRule::kAllGaps;
};

/// Whether level `theirs` is ahead of `mine` by more than the tolerance.
inline bool is_ahead(double theirs, double mine, double tolerance) {
  const double scale = std::max(std::fabs(mine), std::fabs(theirs));
  return theirs - mine > tolerance * scale;
}

/// Double coincidence of wants: each side is ahead of the other in some category.
bool can_trade(std::span<const double> vi, std::span<const double> vj, double tolerance);

/// i's gains from a trade with j under `rule`, folded into `best_gain` by maximum
/// (best_gain[c] = max(best_gain[c], α (v_j,c − v_i,c)) for the selected categories;
/// best_gain starts at zeros). Does not check double coincidence.
void accumulate_gains(std::span<const double> vi, std::span<const double> vj,
                      const BarterRule& rule, std::span<double> best_gain);

/// One barter between i and j, applied to both in place; returns whether they traded.
/// Example (α = 0.5): (10, 0) with (0, 10) → (10, 5) and (5, 10).
bool barter(std::span<double> vi, std::span<double> vj, const BarterRule& rule);

/// Parameters of the `cowan-jonard` model; defaults are the published setting.
struct CowanJonardParams {
  std::int64_t n_agents = 500;
  std::int64_t degree = 10;  ///< ring lattice degree k (even, < n_agents)
  double rewiring_p = 0.1;   ///< Watts–Strogatz rewiring probability
  std::int64_t categories = 10;
  double initial_max = 10.0;  ///< initial levels ~ U[0, initial_max)
  double alpha = 0.5;
  double tolerance = 0.01;
  std::string trade_rule = "all_gaps";  ///< all_gaps | largest_gap
  double q_exchange = 1.0;              ///< probability that an agent seeks a meeting in a tick
};

/// The parameter table of the model (section "model").
const ParamTable<CowanJonardParams>& cowan_jonard_params();

/// Observables, in order: mean_knowledge (mean over agents of the agent's mean level
/// over categories), var_knowledge (population variance of that agent mean),
/// cv_knowledge (sd / mean), min_knowledge, max_knowledge (of the agent means),
/// trades (meetings that traded this tick), tradable_pairs (edges whose ends could
/// trade now; 0 = steady state).
/// Finals: the same at the end, then total_trades, steady_tick (last tick that
/// changed the state once no edge can trade, else −1), clustering and mean_path of
/// the network (32 sampled BFS sources).
ModelInfo cowan_jonard_info();

}  // namespace icn::model
