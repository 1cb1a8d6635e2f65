#pragma once
// The industrial-cluster innovation-network model (MODEL.md): one replicate steps the
// five stages - exchange, competition, cooperation, sharing, evaluation - over a
// population of SMEs and leading firms, with the government collecting the fixed cost.
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "icn/model/cluster/calls.h"
#include "icn/model/cluster/cooperation.h"
#include "icn/model/cluster/evaluation.h"
#include "icn/model/cluster/exchange.h"
#include "icn/model/cluster/finance.h"
#include "icn/model/cluster/lifecycle.h"
#include "icn/model/cluster/market.h"
#include "icn/model/cluster/observables.h"
#include "icn/model/cluster/sharing.h"
#include "icn/model/cluster/space.h"
#include "icn/model/cluster/universities.h"
#include "icn/model/model.h"

namespace icn::model::cluster {

/// Edge kinds of Model::snapshot.
enum class EdgeKind : std::int32_t { kGeographic = 0, kBusiness = 1, kPartnership = 2 };

class ClusterModel final : public Model {
 public:
  ClusterModel(const ClusterParams& params, rng::Key key, const ExecOptions& exec);

  void step() override;
  void observe(std::span<double> out) const override;
  void summarize(std::span<double> out) const override;
  bool snapshot(Snapshot& out) const override;

  /// Populations smaller than this run every stage on one thread: below a few thousand
  /// actors a stage takes microseconds and a parallel region's fork and join cost more
  /// than they save. Results do not depend on it (or on the thread count).
  static constexpr std::uint32_t kDefaultParallelGrain = 4096;
  void set_parallel_grain(std::uint32_t actors) {
    parallel_grain_ = actors;
    if (twin_) twin_->set_parallel_grain(actors);
  }

  const State& state() const { return st_; }
  const Ledger& ledger() const { return ledger_; }
  const TickCounters& counters() const { return counters_; }
  const Settings& settings() const { return set_; }
  std::uint32_t tick() const { return tick_; }
  std::span<const double> observables() const { return obs_; }
  const Lifecycle& lifecycle() const { return lifecycle_; }
  const Finance& finance() const { return finance_; }
  const Calls& calls() const { return calls_; }
  /// The unshocked twin of the resilience option (nullptr when it is off).
  const ClusterModel* twin() const { return twin_.get(); }
  /// The settings of the current tick: the parameters with this tick's shocks applied.
  const Settings& tick_settings() const { return tick_set_; }

  /// The stages of a tick, in the order step() runs them after begin_tick(): exchange;
  /// competition (the market, then the grid of the live firms); cooperation (with the
  /// government's calls); sharing (with the universities); evaluation (learning and
  /// research, loans, exit and entry); the observables. step() is begin_tick() and
  /// run_stage() of each; they are public so that benchmarks can time one stage at a time.
  enum class TickStage {
    kExchange,
    kCompetition,
    kCooperation,
    kSharing,
    kEvaluation,
    kObservables
  };
  static constexpr std::array<TickStage, 6> kTickStages{
      TickStage::kExchange, TickStage::kCompetition, TickStage::kCooperation,
      TickStage::kSharing,  TickStage::kEvaluation,  TickStage::kObservables};
  /// Starts the next tick: the twin's step, this tick's shocks, fresh counters.
  void begin_tick();
  void run_stage(TickStage stage);

  /// bench/bench_cluster.cpp saves and restores a model's state around single stages
  /// through this (defined there only); the model itself does not use it.
  friend struct StageAccess;

 private:
  void populate();
  void compute_observables();
  void apply_shocks();
  void track_resilience();
  TickContext context();

  Settings set_;
  Settings tick_set_;  ///< set_ with the shocks of the current tick
  rng::Key key_;
  int threads_;
  std::uint32_t parallel_grain_ = kDefaultParallelGrain;
  std::uint32_t tick_ = 0;
  std::uint32_t government_id_ = kNone;
  State st_;
  Ledger ledger_;
  TickCounters counters_;
  CellGrid grid_;
  std::vector<std::uint8_t> include_;
  Exchange exchange_;
  Market market_;
  Cooperation cooperation_;
  Sharing sharing_;
  Evaluation evaluation_;
  Finance finance_;
  Universities universities_;
  Calls calls_;
  Intermediaries intermediaries_;
  Observer observer_;
  std::vector<double> obs_;
  // Run summaries.
  double sum_sales_ = 0;
  double sum_firms_ = 0;
  std::uint64_t total_entries_ = 0;
  std::uint64_t total_exits_ = 0;
  std::uint64_t total_startups_ = 0;
  // Life cycle (section 6).
  Lifecycle lifecycle_;
  // Resilience (section 5): the unshocked twin on the same random numbers.
  std::unique_ptr<ClusterModel> twin_;
  std::int64_t onset_ = 1;          ///< earliest shock onset
  double worst_drop_ = 0;           ///< largest relative shortfall of sales after the onset
  std::int64_t first_below_ = -1;   ///< first tick below the recovery band
  std::int64_t recovered_at_ = -1;  ///< first tick back in the band after that
};

/// The registry entry of `cluster`.
ModelInfo cluster_info();

}  // namespace icn::model::cluster
