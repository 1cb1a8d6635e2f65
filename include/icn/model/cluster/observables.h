#pragma once
// What the cluster model reports each tick and at the end (MODEL.md section 6). The
// names are fixed in one place, in the order of ModelInfo::observables.
#include <bit>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "icn/exec/buckets.h"
#include "icn/exec/order_statistic.h"

#include "icn/graph/graph.h"
#include "icn/graph/metrics.h"
#include "icn/model/cluster/context.h"
#include "icn/model/cluster/ledger.h"

namespace icn::model::cluster {

/// Index of each per-tick observable.
enum class Obs : std::uint8_t {
  kFirms,
  kEntries,
  kExits,
  kStartups,
  kSpinoffs,
  kOutsiders,
  kShareSelling,
  kShareTrading,
  kPartnerships,
  kNetworks,
  kNetworkMembers,
  kMeanCapital,
  kMedianCapital,
  kTotalSales,
  kTotalReward,
  kKnowledgeStock,
  kKnowledgeDiversity,
  kKnowledgeFlow,
  kBarterTrades,
  kIncrementalResearch,
  kRadicalResearch,
  kHerfindahl,
  kNetDensity,
  kNetMeanDegree,
  kNetClustering,
  kNetGiantShare,
  kNetComponents,
  kNetAssortativity,
  kNetMeanPath,
  kMoneyInside,
  kInflow,
  kOutflow,
  kGovernmentCapital,
  // Life cycle (section 6; lifecycle.h), filled by the model after the Observer.
  kNewCapabilities,
  kLifecycleStage,
  kGrowthRate,
  kLockInIndex,
  kLockIn,
  // Shocks (section 5): the relative change each shock type makes this tick.
  kShockDemand,
  kShockLabourCost,
  kShockCurrency,
  kShockRawMaterials,
  kTwinSales,
  // Finance (4.5; finance.h).
  kBanks,
  kBankCapital,
  kLoansGranted,
  kLoansRefused,
  kLoansRepaid,
  kLoanDefaults,
  kLoansOutstanding,
  kVcFunded,
  kVcLeft,
  kRadicalSubsidy,
  // Actors by type and knowledge flow by source -> target type (4.4).
  kSmes,
  kLeadingFirms,
  kFlowFirmToFirm,
  kFlowFirmToHq,
  kFlowHqToFirm,
  kFlowOther,
  // Universities.
  kUniversities,
  kBlockGrants,
  kUniversityResearch,
  kFlowUniversityToFirm,
  // Government calls.
  kCallsOpened,
  kProposals,
  kProjectsFunded,
  kRunningProjects,
  kCallFunding,
  // Intermediaries.
  kIntermediaries,
  kBrokeredSearches,
  kBrokeredPartnerships,
  kCount,
};
/// Index of each final summary.
enum class Final : std::uint8_t {
  kFinalFirms,
  kTotalEntries,
  kTotalExits,
  kTotalStartups,
  kMeanSales,
  kMeanFirms,
  kFinalNetworks,
  kFinalDiversity,
  kStageSequence,
  kStageChanges,
  kFinalStage,
  kTicksSprouting,
  kTicksGrowth,
  kTicksMaturity,
  kTicksDecline,
  kTicksRenewal,
  kLockInTicks,
  kResistance,
  kRecoveryTime,
  kRecovered,
  kCount,
};

const std::vector<std::string>& observable_names();
const std::vector<std::string>& final_names();

/// Normalised Shannon entropy of capability frequencies: -sum p ln p / ln(n_caps),
/// from counts per capability (index 0 unused). `xlogx` caches c ln c.
double normalised_entropy(std::span<const std::uint32_t> counts, int n_caps,
                          std::vector<double>& xlogx);

/// FNV-1a over the bits of one tick's observables, word by word, continuing `hash`
/// (start from kTrajectoryHashSeed): equal hashes of two runs' ticks mean bit-identical
/// trajectories (bench_cluster --ticks prints it; a unit test pins one).
inline constexpr std::uint64_t kTrajectoryHashSeed = 0xcbf29ce484222325ull;
inline std::uint64_t trajectory_hash(std::uint64_t hash, std::span<const double> observables) {
  for (double v : observables) hash = (hash ^ std::bit_cast<std::uint64_t>(v)) * 0x100000001b3ull;
  return hash;
}

class Observer {
 public:
  /// Writes every observable of the current state. Network metrics are recomputed when
  /// `metrics_due`, else the last values are carried forward.
  void compute(const State& st, const Ledger& ledger, const TickContext& ctx, bool metrics_due,
               std::span<double> out);
  /// The partnership-plus-business graph of the live producers (vertex = rank in slot order).
  const graph::Graph& build_graph(const State& st, int threads = 1);

 private:
  void count_capabilities(const State& st, int n_caps, int threads);
  graph::Metrics metrics_;
  graph::Graph graph_;
  graph::MetricsWorkspace work_;
  std::vector<std::uint32_t> producers_;  ///< build_graph: the vertices' slots
  std::vector<graph::Edge> edges_;        ///< build_graph on one thread
  std::vector<std::uint32_t> vertex_;
  std::vector<std::uint32_t> cap_count_;
  std::vector<std::vector<std::uint32_t>> cap_share_;  ///< per thread, summed into cap_count_
  std::vector<std::uint8_t> cap_present_;              ///< capabilities known to a firm last time
  std::vector<double> xlogx_;
  std::vector<double> values_;
  std::vector<std::uint32_t> firm_slots_;
  exec::SelectScratch select_;
  exec::NthScratch nth_;  // the median capital's buffers
};

}  // namespace icn::model::cluster
