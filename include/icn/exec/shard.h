#pragma once
// Splitting one design over several independent jobs (`icnsim sweep --shard i/n`, e.g. the
// tasks of a Slurm job array) and the Slurm facts the driver reads from its environment.
//
// A shard takes a contiguous range of whole design points. A point's statistics are merged
// within the point only (chunk order, chunk_plan.h), and a task's random key is
// (master seed, global point, replicate), so a shard computes exactly the bits a single job
// computes for its points; `icnsim merge` concatenates the shards in point order
// (io/merge.h) and the result equals the single job's file bit for bit.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace icn::exec {

/// Shard `index` of `count` (0 <= index < count); count 1 is the whole design.
struct Shard {
  std::int64_t index = 0;
  std::int64_t count = 1;
  bool active() const { return count > 1 || index != 0; }
};

/// Parses "i/n"; throws InputError (naming `option`) unless 0 <= i < n.
Shard parse_shard(std::string_view text, std::string_view option = "--shard");

/// Design points [first, last) of a shard.
struct PointRange {
  std::int64_t first = 0;
  std::int64_t last = 0;
  std::int64_t size() const { return last - first; }
};

/// The points of shard `s` of an `n_points` design: floor(i N / n) to floor((i + 1) N / n),
/// so sizes differ by at most one. Throws InputError when the shard is empty (n > N).
PointRange shard_points(std::int64_t n_points, const Shard& s);

/// The Slurm variables the driver uses (absent outside Slurm).
struct SlurmEnv {
  std::optional<std::string> job_id;         ///< SLURM_JOB_ID
  std::optional<std::string> array_job_id;   ///< SLURM_ARRAY_JOB_ID
  std::optional<std::string> array_task_id;  ///< SLURM_ARRAY_TASK_ID
  std::optional<int> cpus_per_task;          ///< SLURM_CPUS_PER_TASK, when a positive integer
};
SlurmEnv read_slurm_env();

/// Threads per rank: `requested` when > 0; else OMP_NUM_THREADS when set (`omp_default`,
/// what the OpenMP runtime would use); else SLURM_CPUS_PER_TASK; else `omp_default`.
int choose_threads(int requested, bool omp_num_threads_set, int omp_default, const SlurmEnv& slurm);

/// A warning when the threads per rank differ from the CPUs Slurm allocated per task
/// (over-subscribed or idle cores); nullopt when they agree or outside Slurm.
std::optional<std::string> thread_mismatch_warning(int threads, const SlurmEnv& slurm);

}  // namespace icn::exec
