#pragma once
// Runs one replicate of a model: the unit of work of `icnsim run` and of every sweep task.
// run_task() adds the sweep's failed-run policy (docs/sweeps.md, "Failed runs"): a model
// error, a non-finite output or a timeout is recorded in the result, retried with the
// same random key, and never thrown.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "icn/core/error.h"
#include "icn/model/model.h"

namespace icn::exec {

/// How a run ended; stored in /runs/status (the codes are part of the file format).
enum class RunStatus : std::int64_t {
  kOk = 0,
  kError = 1,      ///< the model threw (a runtime error, out of memory, ...)
  kNonFinite = 2,  ///< an observable or final was NaN or infinite
  kTimeout = 3,    ///< the attempt ran longer than the per-task timeout
};
std::string_view run_status_name(RunStatus s);

/// Per-tick observables (row t = state after t ticks, row 0 = initial) and finals.
struct ReplicateResult {
  std::int64_t ticks = 0;
  std::size_t n_observables = 0;
  std::vector<double> series;  ///< (ticks + 1) × n_observables, row-major
  std::vector<double> finals;
  double wall_seconds = 0;  ///< run_task: all attempts together
  RunStatus status = RunStatus::kOk;
  std::int64_t attempts = 1;
  std::string message;  ///< why the last attempt failed; empty when ok

  bool ok() const { return status == RunStatus::kOk; }
  std::span<const double> row(std::int64_t t) const {
    return {series.data() + static_cast<std::size_t>(t) * n_observables, n_observables};
  }
};

/// Called after each observed tick (for snapshots); may be empty.
using TickHook = std::function<void(std::int64_t tick, const model::Model&)>;

/// Thrown by run_replicate when an attempt outlives its timeout.
class TaskTimeout : public RuntimeError {
 public:
  using RuntimeError::RuntimeError;
};

/// Runs `ticks` ticks of `info` at `params` with the random key of `task`. With
/// `timeout_seconds` > 0 the clock is checked after every tick (a tick itself is never
/// interrupted) and TaskTimeout is thrown once it is exceeded.
ReplicateResult run_replicate(const model::ModelInfo& info, const ParamValues& params,
                              const rng::TaskKey& task, std::int64_t ticks,
                              const model::ExecOptions& exec, const TickHook& hook = {},
                              double timeout_seconds = 0);

/// Thrown through run_task by a TickHook that gives a run up (a sweep being stopped): not
/// a failure, the run simply did not happen. Deliberately not a std::exception.
struct TaskAbandoned {};

/// What a sweep does with a run that fails.
struct FailurePolicy {
  std::int64_t retries = 1;    ///< further attempts after a failure, with the same key
  double timeout_seconds = 0;  ///< per attempt; 0: none
};

/// run_replicate under `policy`: failures end up in status/message (series and finals all
/// NaN) instead of being thrown. An InputError (the model rejects its parameters) is bad
/// input, not a failed run, and is still thrown, as is TaskAbandoned from `hook`.
ReplicateResult run_task(const model::ModelInfo& info, const ParamValues& params,
                         const rng::TaskKey& task, std::int64_t ticks,
                         const model::ExecOptions& exec, const FailurePolicy& policy,
                         const TickHook& hook = {});

}  // namespace icn::exec
