#pragma once
// The ensemble driver: runs every (point, replicate) task of a design on all ranks and
// threads and aggregates per (point, tick, observable) statistics on rank 0.
//
// Determinism: a task's random key is TaskKey{master seed, point, replicate} only, and
// the statistics are built in one fixed order (replicates in order within a chunk,
// chunks in order within a point; see chunk_plan.h and chunk_merger.h), so every
// statistic is bit-identical for any rank count, thread count, OpenMP mode or completion
// order. A run that fails (replicate.h: model error, non-finite output, timeout; after
// its retries) is left out of the statistics — count says how many runs went in — and
// recorded in the per-run table with its status and message.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "icn/core/params.h"
#include "icn/exec/comm.h"
#include "icn/exec/progress.h"
#include "icn/exec/replicate.h"
#include "icn/exec/sweep_checkpoint.h"
#include "icn/model/model.h"

namespace icn::exec {

/// How a rank uses its OpenMP threads.
enum class OmpMode {
  kAuto,        ///< replicates, unless there are fewer tasks than ranks × threads
  kReplicates,  ///< several replicates at once, one thread each (small models)
  kInside,      ///< one replicate at a time with all threads inside it (large models)
};
std::string_view omp_mode_name(OmpMode mode);
std::optional<OmpMode> parse_omp_mode(std::string_view name);

/// The quantile levels of every statistic (5, 25, 50, 75, 95 %).
const std::vector<double>& quantile_levels();

/// What to run; identical on every rank.
struct SweepSpec {
  const model::ModelInfo* model = nullptr;
  std::vector<ParamValues> points;  ///< parameter values of each design point
  std::int64_t replicates = 1;
  std::int64_t chunk = 16;  ///< replicates per chunk
  std::int64_t ticks = 0;
  std::uint64_t master_seed = 0;
  OmpMode omp_mode = OmpMode::kAuto;
  int threads = 1;  ///< OpenMP threads per rank
  bool keep_runs = false;
  /// Failed runs: retries and the per-task timeout (replicate.h).
  FailurePolicy failures;
  /// Global index of points[0] (a shard, exec/shard.h): random keys use global indices.
  std::int64_t first_point = 0;
  /// Checkpoints, resume, stop signals and deadlines (sweep_checkpoint.h).
  ResilienceOptions resilience;
};

/// Statistics of one output over points × columns (columns: ticks, or 1 for a final).
struct OutputStats {
  std::vector<std::int64_t> count;  ///< [points × columns]
  std::vector<double> mean, var, min, max;
  std::vector<double> quantiles;  ///< [points × columns × levels]
};

/// One row per task in (point, replicate) order.
struct RunTable {
  std::vector<std::int64_t> point, replicate, status, rank;
  std::vector<std::int64_t> attempts;       ///< 1 + retries used
  std::vector<std::string> message;         ///< why a failed run failed; empty when ok
  std::vector<double> wall_seconds;         ///< all attempts together
  std::vector<std::vector<double>> finals;  ///< [final][task]
  std::vector<std::vector<double>> last;    ///< [observable][task]: the last tick's value
  std::vector<double> series;               ///< keep_runs: [task × (ticks + 1) × observables]
};

/// Rows of `t` whose status is not RunStatus::kOk.
std::vector<std::size_t> failed_rows(const RunTable& t);

struct SweepTiming {
  double wall_seconds = 0;
  double dispatch_seconds = 0;       ///< rank 0: answering ranks, merging, reporting
  std::vector<double> busy_seconds;  ///< per rank: running tasks
  std::int64_t batches = 0;          ///< batches handed out (all ranks)
};

/// The sweep's results, complete on rank 0 (other ranks get only timing facts).
struct SweepResults {
  std::int64_t n_points = 0;
  std::int64_t replicates = 0;
  std::int64_t ticks = 0;  ///< the series have ticks + 1 columns (tick 0 = initial state)
  std::int64_t chunk = 0;
  std::vector<std::string> observables;
  std::vector<std::string> finals;
  std::vector<OutputStats> series;       ///< per observable, columns = ticks + 1
  std::vector<OutputStats> final_stats;  ///< per final, one column
  RunTable runs;
  FailurePolicy failures;             ///< as run (the file records it)
  OmpMode omp_mode = OmpMode::kAuto;  ///< as resolved
  int threads = 1;
  int n_ranks = 1;
  SweepTiming timing;

  // Interruption and resume (every rank knows `interrupted`; the rest is rank 0's).
  bool interrupted = false;        ///< stopped early: the statistics are incomplete
  std::string stop_reason;         ///< "SIGTERM", "deadline", ... when interrupted
  std::int64_t tasks_done = 0;     ///< tasks whose results are in, resumed ones included
  std::int64_t tasks_resumed = 0;  ///< tasks taken from the checkpoint
  std::int64_t checkpoints_written = 0;
  std::string checkpoint_error;  ///< why the latest checkpoint write failed; empty if it did not
};

/// Resolves kAuto for `n_tasks` tasks on `n_ranks` ranks of `threads` threads.
OmpMode resolve_omp_mode(OmpMode mode, std::int64_t n_tasks, int n_ranks, int threads);

/// Collective: runs the sweep on every rank of `comm`. Returns the results on rank 0.
/// Progress is reported by rank 0.
SweepResults run_sweep(Comm& comm, const SweepSpec& spec, const ProgressOptions& progress);

}  // namespace icn::exec
