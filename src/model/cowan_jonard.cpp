#include "icn/model/cowan_jonard.h"

#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "icn/core/error.h"
#include "icn/graph/generators.h"
#include "icn/graph/graph.h"
#include "icn/graph/metrics.h"

namespace icn::model {

// The comparisons below are written without data-dependent branches: whether one level
// is ahead of another is close to a coin flip, and mispredicted branches were the main
// cost of a tick.

bool can_trade(std::span<const double> vi, std::span<const double> vj, double tolerance) {
  constexpr std::size_t kBlock = 8;  // early exit between blocks only
  bool i_ahead = false;
  bool j_ahead = false;
  for (std::size_t start = 0; start < vi.size(); start += kBlock) {
    const std::size_t end = std::min(vi.size(), start + kBlock);
    for (std::size_t c = start; c < end; ++c) {
      const double scale = tolerance * std::max(std::fabs(vi[c]), std::fabs(vj[c]));
      const double d = vi[c] - vj[c];
      i_ahead |= d > scale;
      j_ahead |= -d > scale;
    }
    if (i_ahead && j_ahead) return true;
  }
  return false;
}

namespace {

/// theirs − mine where theirs is ahead, else ±0: multiplying by the 0/1 mask instead
/// of selecting keeps the loop free of branches.
inline double masked_gap(double mine, double theirs, double tolerance) {
  return (theirs - mine) * static_cast<double>(is_ahead(theirs, mine, tolerance));
}

}  // namespace

void accumulate_gains(std::span<const double> vi, std::span<const double> vj,
                      const BarterRule& rule, std::span<double> best_gain) {
  if (rule.rule == TradeRule::kAllGaps) {
    for (std::size_t c = 0; c < vi.size(); ++c) {
      // Gains are >= 0 and best_gain starts at 0, so a zero candidate changes nothing.
      best_gain[c] = std::max(best_gain[c], rule.alpha * masked_gap(vi[c], vj[c], rule.tolerance));
    }
    return;
  }
  // Being ahead implies a positive gap, so masked gaps are 0 elsewhere: the largest, and
  // the first category that attains it (ties to the lowest index: only a strictly larger
  // gap moves `best`), in one pass of selects rather than a search the branch predictor
  // cannot learn.
  double best_gap = 0;
  std::size_t best = 0;
  for (std::size_t c = 0; c < vi.size(); ++c) {
    const double gap = masked_gap(vi[c], vj[c], rule.tolerance);
    const bool larger = gap > best_gap;
    best = larger ? c : best;
    best_gap = larger ? gap : best_gap;
  }
  if (best_gap <= 0) return;
  best_gain[best] = std::max(best_gain[best], rule.alpha * best_gap);
}

bool barter(std::span<double> vi, std::span<double> vj, const BarterRule& rule) {
  if (!can_trade(vi, vj, rule.tolerance)) return false;
  std::vector<double> gain_i(vi.size(), 0.0);
  std::vector<double> gain_j(vj.size(), 0.0);
  accumulate_gains(vi, vj, rule, gain_i);
  accumulate_gains(vj, vi, rule, gain_j);
  for (std::size_t c = 0; c < vi.size(); ++c) {
    vi[c] += gain_i[c];
    vj[c] += gain_j[c];
  }
  return true;
}

const ParamTable<CowanJonardParams>& cowan_jonard_params() {
  using P = CowanJonardParams;
  static const ParamTable<P> table(
      "model",
      {
          {"n_agents", &P::n_agents, 3, 1e8, "agents", "number of agents N"},
          {"degree", &P::degree, 2, 1000, "ties", "ring lattice degree k (even, < n_agents)"},
          {"rewiring_p", &P::rewiring_p, 0, 1, "", "Watts-Strogatz rewiring probability p"},
          {"categories", &P::categories, 1, 1000, "", "knowledge categories K"},
          {"initial_max", &P::initial_max, 0, 1e6, "", "initial levels ~ U[0, initial_max)"},
          {"alpha", &P::alpha, 0, 1, "", "absorption: share of a gap closed by a trade"},
          {"tolerance", &P::tolerance, 0, 1, "",
           "levels within this share of the larger one count as equal"},
          {"trade_rule",
           &P::trade_rule,
           0,
           0,
           "",
           "categories that change hands: every gap, or only the largest one",
           {"all_gaps", "largest_gap"}},
          {"q_exchange", &P::q_exchange, 0, 1, "",
           "probability that an agent seeks a meeting in a tick"},
      });
  return table;
}

namespace {

constexpr std::uint32_t kNoTarget = std::numeric_limits<std::uint32_t>::max();
// Stream actor ids beyond any agent id, for draws that belong to no agent.
constexpr std::uint32_t kGraphActor = 0xFFFFFFFFu;
constexpr std::uint32_t kMetricsActor = 0xFFFFFFFEu;
constexpr std::size_t kNumObservables = 7;

class CowanJonard final : public Model {
 public:
  CowanJonard(const CowanJonardParams& p, const rng::Key& key, const ExecOptions& exec)
      : n_(static_cast<std::uint32_t>(p.n_agents)),
        k_(static_cast<std::size_t>(p.categories)),
        rule_{p.alpha, p.tolerance,
              p.trade_rule == "largest_gap" ? TradeRule::kLargestGap : TradeRule::kAllGaps},
        q_exchange_(p.q_exchange),
        key_(key),
        threads_(exec.threads > 0 ? exec.threads : 1) {
    rng::Stream gs(key_, 0, rng::Stage::kInit, kGraphActor);
    graph_ = graph::watts_strogatz(n_, static_cast<std::uint32_t>(p.degree), p.rewiring_p, gs);
    level_.resize(static_cast<std::size_t>(n_) * k_);
    next_.resize(level_.size());
    target_.assign(n_, kNoTarget);
    for (std::uint32_t a = 0; a < n_; ++a) {
      rng::Stream s(key_, 0, rng::Stage::kInit, a);
      for (std::size_t c = 0; c < k_; ++c) level_[a * k_ + c] = rng::uniform(s, 0.0, p.initial_max);
    }
    rng::Stream ms(key_, 0, rng::Stage::kInit, kMetricsActor);
    network_ = graph::compute_metrics(graph_, graph::MetricsOptions{.threads = threads_}, ms);
  }

  void step() override {
    ++tick_;
    trades_ = 0;
    // Once no neighbouring pair can trade the state is frozen: skipping is exact.
    if (steady_) return;
    const auto n = static_cast<std::int64_t>(n_);
    std::uint64_t trades = 0;  // an integer sum: exact in any order
    // One team for both phases; the barrier after the first loop makes every target
    // known before any meeting is judged.
#pragma omp parallel num_threads(threads_)
    {
#pragma omp for schedule(static)
      for (std::int64_t i = 0; i < n; ++i) choose_partner(static_cast<std::uint32_t>(i));
#pragma omp for schedule(static) reduction(+ : trades)
      for (std::int64_t i = 0; i < n; ++i) trades += exchange(static_cast<std::uint32_t>(i));
    }
    trades_ = trades;
    level_.swap(next_);
    total_trades_ += trades_;
    if (trades_ > 0) {
      last_change_tick_ = tick_;
    } else if (tradable_pairs() == 0) {
      steady_ = true;
    }
  }

  void observe(std::span<double> out) const override {
    double sum = 0;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (std::uint32_t a = 0; a < n_; ++a) {
      const double m = agent_mean(a);
      sum += m;
      lo = std::min(lo, m);
      hi = std::max(hi, m);
    }
    const double mean = sum / n_;
    double ss = 0;  // two-pass variance: no cancellation
    for (std::uint32_t a = 0; a < n_; ++a) {
      const double d = agent_mean(a) - mean;
      ss += d * d;
    }
    const double var = ss / n_;
    out[0] = mean;
    out[1] = var;
    out[2] = mean > 0 ? std::sqrt(var) / mean : 0.0;
    out[3] = lo;
    out[4] = hi;
    out[5] = static_cast<double>(trades_);
    out[6] = steady_ ? 0.0 : static_cast<double>(tradable_pairs());
  }

  void summarize(std::span<double> out) const override {
    observe(out.first(kNumObservables));
    out[kNumObservables] = static_cast<double>(total_trades_);
    out[kNumObservables + 1] = steady_ ? static_cast<double>(last_change_tick_) : -1.0;
    out[kNumObservables + 2] = network_.clustering;
    out[kNumObservables + 3] = network_.mean_path;
  }

  bool snapshot(Snapshot& out) const override {
    // Agents on a circle inside the unit torus, in ring order; one edge kind (0 = tie).
    out = Snapshot{};
    for (std::uint32_t a = 0; a < n_; ++a) {
      const double angle = 2.0 * std::numbers::pi * a / n_;
      out.ids.push_back(a);
      out.types.push_back(0);
      out.x.push_back(0.5 + 0.4 * std::cos(angle));
      out.y.push_back(0.5 + 0.4 * std::sin(angle));
    }
    for (const auto& [u, v] : graph_.edges()) {
      out.src.push_back(u);
      out.dst.push_back(v);
      out.edge_kind.push_back(0);
    }
    return true;
  }

 private:
  std::span<const double> row(const std::vector<double>& v, std::uint32_t a) const {
    return {v.data() + a * k_, k_};
  }

  double agent_mean(std::uint32_t a) const {
    double s = 0;
    for (const double x : row(level_, a)) s += x;
    return s / static_cast<double>(k_);
  }

  /// Draws whether agent a seeks a meeting this tick, and with which neighbour.
  void choose_partner(std::uint32_t a) {
    rng::Stream s(key_, static_cast<std::uint32_t>(tick_), rng::Stage::kExchange, a);
    const std::uint32_t degree = graph_.degree(a);
    const bool seeks = q_exchange_ >= 1.0 || rng::bernoulli(s, q_exchange_);
    target_[a] = degree > 0 && seeks ? graph_.neighbors(a)[rng::below(s, degree)] : kNoTarget;
  }

  /// Writes a's next levels from the start-of-tick levels of a and of everyone it
  /// meets (its own target and the neighbours that chose it); returns 1 if a counts a
  /// meeting that traded (each meeting is counted once, by its proposer).
  std::uint64_t exchange(std::uint32_t a) {
    const auto mine = row(level_, a);
    const std::span<double> gain(next_.data() + a * k_, k_);
    std::fill(gain.begin(), gain.end(), 0.0);
    std::uint64_t counted = 0;
    const std::uint32_t own = target_[a];
    if (own != kNoTarget && can_trade(mine, row(level_, own), rule_.tolerance)) {
      accumulate_gains(mine, row(level_, own), rule_, gain);
      // A mutual pair is one meeting: the lower id counts it.
      if (target_[own] != a || a < own) counted = 1;
    }
    for (const graph::Vertex b : graph_.neighbors(a)) {
      if (target_[b] != a || b == own) continue;
      if (can_trade(mine, row(level_, b), rule_.tolerance)) {
        accumulate_gains(mine, row(level_, b), rule_, gain);
      }
    }
    for (std::size_t c = 0; c < k_; ++c) gain[c] += mine[c];
    return counted;
  }

  std::uint64_t tradable_pairs() const {
    std::uint64_t count = 0;
    for (std::uint32_t a = 0; a < n_; ++a) {
      for (const graph::Vertex b : graph_.neighbors(a)) {
        if (a < b && can_trade(row(level_, a), row(level_, b), rule_.tolerance)) ++count;
      }
    }
    return count;
  }

  std::uint32_t n_;
  std::size_t k_;
  BarterRule rule_;
  double q_exchange_;
  rng::Key key_;
  int threads_;
  graph::Graph graph_;
  graph::Metrics network_;
  std::vector<double> level_;  ///< N × K, row-major
  std::vector<double> next_;   ///< the levels being written this tick
  std::vector<std::uint32_t> target_;
  std::int64_t tick_ = 0;
  std::uint64_t trades_ = 0;
  std::uint64_t total_trades_ = 0;
  std::int64_t last_change_tick_ = 0;
  bool steady_ = false;
};

CowanJonardParams checked(const ParamValues& v) {
  const CowanJonardParams p = cowan_jonard_params().from_values(v);
  if (p.degree % 2 != 0 || p.degree >= p.n_agents) {
    throw InputError("key 'model.degree': the ring degree must be even and < n_agents (" +
                     std::to_string(p.n_agents) + "), got " + std::to_string(p.degree));
  }
  return p;
}

}  // namespace

ModelInfo cowan_jonard_info() {
  ModelInfo info;
  info.name = "cowan-jonard";
  info.description =
      "Cowan & Jonard (2004): knowledge barter on a Watts-Strogatz ring with double "
      "coincidence of wants";
  info.schema = &cowan_jonard_params().schema();
  info.observables = {"mean_knowledge", "var_knowledge", "cv_knowledge",  "min_knowledge",
                      "max_knowledge",  "trades",        "tradable_pairs"};
  info.finals = info.observables;
  for (const char* f : {"total_trades", "steady_tick", "clustering", "mean_path"}) {
    info.finals.emplace_back(f);
  }
  info.make = [](const ParamValues& v, const rng::Key& key, const ExecOptions& exec) {
    return std::make_unique<CowanJonard>(checked(v), key, exec);
  };
  info.cost = [](const ParamValues& v) {
    const CowanJonardParams p = cowan_jonard_params().from_values(v);
    return static_cast<double>(p.n_agents) * static_cast<double>(p.categories + p.degree);
  };
  return info;
}

}  // namespace icn::model
