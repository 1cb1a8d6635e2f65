#pragma once
// A manager/worker task farm over a Comm, with dynamic scheduling of chunk batches.
//
// Rank 0 is the manager AND a worker: it takes batches from the queue like everyone
// else, and answers the other ranks from `service`, which the batch runner calls between
// tasks (replicates) and which rank 0 also calls whenever it has nothing to run. Other
// ranks keep one request in flight while they compute (they ask for batch k + 1 when
// they start batch k), so the manager's answer latency of at most one task is hidden.
//
// Stopping early (hooks.stop, e.g. on SIGTERM): rank 0 answers every request with kStop
// and runs no more batches itself; a worker asks for nothing more and tells rank 0
// (kInterrupt). Queued chunks stay undone; the farm ends as below.
//
// Protocol (tags in comm.h): a worker sends kRequest; every request gets exactly one
// answer, kWork (chunk ids) or kStop; after a kStop a worker asks for nothing more,
// finishes what it holds, sends its kResult messages and then kDone. The manager ends
// when its queue is empty and every worker has sent kDone; since messages between two
// ranks arrive in order, every result has arrived by then. This ends without deadlock
// at any rank count, including more ranks than chunks.
#include <cstdint>
#include <functional>
#include <span>

#include "icn/exec/chunk_plan.h"
#include "icn/exec/comm.h"

namespace icn::exec {

/// Called by the batch runner between tasks; answers other ranks on rank 0.
using Service = std::function<void()>;

struct FarmHooks {
  /// Runs a batch of chunks on this rank and returns its encoded results.
  std::function<Bytes(std::span<const std::int64_t> chunk_ids, const Service& service)> execute;
  /// Rank 0: consumes the results of one batch, from any rank (itself included).
  std::function<void(int rank, std::span<const std::byte> result)> consume;
  /// Rank 0: called at least every few tenths of a second (progress reports).
  std::function<void()> tick;
  /// Polled between batches on every rank (optional): true = hand out and ask for no more
  /// work; the farm then ends once the batches already handed out are back. A worker that
  /// stops tells rank 0 (kInterrupt), which calls `peer_stopped` with its rank.
  std::function<bool()> stop;
  std::function<void(int rank)> peer_stopped;
};

struct FarmOptions {
  std::int64_t min_batch_chunks = 1;  ///< e.g. enough chunks to occupy every thread
};

/// What one rank did.
struct FarmStats {
  std::int64_t batches = 0;    ///< batches run by this rank
  std::int64_t chunks = 0;     ///< chunks run by this rank
  double busy_seconds = 0;     ///< inside execute (service time excluded on rank 0)
  double service_seconds = 0;  ///< rank 0: answering, consuming, reporting
  double idle_seconds = 0;     ///< waiting for a message
  double wall_seconds = 0;
};

/// Collective: runs the farm on every rank. `queue` is used on rank 0 only (may be null
/// elsewhere). Exceptions from hooks propagate (the caller aborts the job).
FarmStats run_task_farm(Comm& comm, WorkQueue* queue, const FarmHooks& hooks,
                        const FarmOptions& options);

}  // namespace icn::exec
