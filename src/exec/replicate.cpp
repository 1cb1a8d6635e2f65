#include "icn/exec/replicate.h"

#include <chrono>

namespace icn::exec {

ReplicateResult run_replicate(const model::ModelInfo& info, const ParamValues& params,
                              const rng::TaskKey& task, std::int64_t ticks,
                              const model::ExecOptions& exec, const TickHook& hook) {
  const auto start = std::chrono::steady_clock::now();
  ReplicateResult r;
  r.ticks = ticks;
  r.n_observables = info.observables.size();
  r.series.resize(static_cast<std::size_t>(ticks + 1) * r.n_observables);
  r.finals.resize(info.finals.size());

  auto m = info.make(params, rng::Key::derive(task), exec);
  const auto observe = [&](std::int64_t t) {
    m->observe({r.series.data() + static_cast<std::size_t>(t) * r.n_observables, r.n_observables});
    if (hook) hook(t, *m);
  };
  observe(0);
  for (std::int64_t t = 1; t <= ticks; ++t) {
    m->step();
    observe(t);
  }
  m->summarize(r.finals);
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace icn::exec
