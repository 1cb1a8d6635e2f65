#pragma once
// Checkpoint and resume of a sweep, in the sweep's terms, on top of the file format of
// checkpoint.h. The unit of work is the chunk (chunk_plan.h).
//
// Rank 0 holds all results, so rank 0 alone writes the checkpoint. It holds:
//   - "points": the statistics and /runs rows of every completed point (all its chunks
//     merged), copied from SweepResults;
//   - "open": the encoded results of every consumed chunk of a point not yet complete,
//     exactly as a rank sent them; on resume they are consumed again, and since the merger
//     folds a point's chunks in chunk order whatever their arrival order, the statistics
//     come out bit-identical to an uninterrupted run;
//   - the done set over chunks: the union of both. Chunks that were running when the
//     checkpoint was taken are not in it: they run again, from scratch, on resume.
// Blobs use the host's byte order (detail/wire.h): resume on the same architecture.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "icn/exec/checkpoint.h"
#include "icn/exec/chunk_plan.h"
#include "icn/exec/comm.h"
#include "icn/exec/signals.h"

namespace icn::exec {

struct SweepSpec;
struct SweepResults;

/// How a sweep survives interruptions (a member of SweepSpec).
struct ResilienceOptions {
  std::string checkpoint;         ///< checkpoint file; empty: none
  double checkpoint_every = 300;  ///< seconds between checkpoints; 0: only at the end
  /// Continue from this checkpoint (load_resume_checkpoint), read from `checkpoint`.
  std::shared_ptr<const Checkpoint> resume_from;
  Deadline deadline;             ///< stop, with a checkpoint, in time for it
  bool slurm_deadline = false;   ///< also the Slurm job's end time (asked by rank 0)
  double deadline_reserve = 60;  ///< seconds kept for the final checkpoint and exit
};

/// A consumed chunk's encoded result, kept until its point completes.
struct OpenChunk {
  std::int64_t id = 0;
  int rank = 0;
  Bytes bytes;
};

/// Rank 0's resumable state besides SweepResults.
struct SweepState {
  std::vector<char> point_complete;                     ///< [points]
  std::map<std::int64_t, std::vector<OpenChunk>> open;  ///< by point, in arrival order
};

/// What a checkpoint must match: the model, ticks, seed, replicates, chunk size and
/// keep_runs (config hash) and every design point's parameter values (design hash);
/// n_units = the number of chunks. Rank and thread counts and the OpenMP mode are not in
/// it: they do not change results.
CheckpointIdentity sweep_identity(const SweepSpec& spec, const ChunkPlan& plan);

/// Reads `path` and checks it against `spec` (check_resumable; differences are printed as
/// warnings when `force`). InputError naming the file when it cannot be used.
std::shared_ptr<const Checkpoint> load_resume_checkpoint(const SweepSpec& spec,
                                                         const std::string& path, bool force);

/// The checkpoint of rank 0's state.
Checkpoint make_sweep_checkpoint(const CheckpointIdentity& identity, std::uint64_t sequence,
                                 const ChunkPlan& plan, const SweepResults& results,
                                 const SweepState& state);

/// What a resume starts from.
struct RestoredSweep {
  std::vector<char> point_complete;  ///< [points]
  std::vector<OpenChunk> replay;     ///< to be consumed again, in this order
  DoneSet done;                      ///< chunks not to run again
  std::int64_t tasks_done = 0;       ///< replicates in complete points and replayed chunks
};

/// Copies the completed points of `c` into `results` (initialised for the sweep) and
/// returns the rest. InputError naming `origin` when the payload does not fit the sweep.
RestoredSweep restore_sweep_checkpoint(const Checkpoint& c, const ChunkPlan& plan,
                                       SweepResults& results, const std::string& origin);

}  // namespace icn::exec
