#pragma once
// Runs one replicate of a model: the unit of work of `icnsim run` and of every sweep task.
#include <cstdint>
#include <functional>
#include <vector>

#include "icn/model/model.h"

namespace icn::exec {

/// Per-tick observables (row t = state after t ticks, row 0 = initial) and finals.
struct ReplicateResult {
  std::int64_t ticks = 0;
  std::size_t n_observables = 0;
  std::vector<double> series;  ///< (ticks + 1) × n_observables, row-major
  std::vector<double> finals;
  double wall_seconds = 0;

  std::span<const double> row(std::int64_t t) const {
    return {series.data() + static_cast<std::size_t>(t) * n_observables, n_observables};
  }
};

/// Called after each observed tick (for snapshots); may be empty.
using TickHook = std::function<void(std::int64_t tick, const model::Model&)>;

/// Runs `ticks` ticks of `info` at `params` with the random key of `task`.
ReplicateResult run_replicate(const model::ModelInfo& info, const ParamValues& params,
                              const rng::TaskKey& task, std::int64_t ticks,
                              const model::ExecOptions& exec, const TickHook& hook = {});

}  // namespace icn::exec
