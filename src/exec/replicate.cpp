#include "icn/exec/replicate.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>

#include "icn/core/clock.h"

namespace icn::exec {

std::string_view run_status_name(RunStatus s) {
  switch (s) {
    case RunStatus::kOk: return "ok";
    case RunStatus::kError: return "error";
    case RunStatus::kNonFinite: return "non-finite";
    case RunStatus::kTimeout: return "timeout";
  }
  return "unknown";
}

namespace {

using Clock = std::chrono::steady_clock;

/// The first non-finite output of `r`, described; empty when every value is finite.
std::string first_non_finite(const ReplicateResult& r, const model::ModelInfo& info) {
  for (std::size_t i = 0; i < r.series.size(); ++i) {
    if (std::isfinite(r.series[i])) continue;
    std::ostringstream s;
    s << "observable '" << info.observables[i % r.n_observables] << "' is " << r.series[i]
      << " at tick " << i / r.n_observables;
    return s.str();
  }
  for (std::size_t j = 0; j < r.finals.size(); ++j) {
    if (std::isfinite(r.finals[j])) continue;
    std::ostringstream s;
    s << "final '" << info.finals[j] << "' is " << r.finals[j];
    return s.str();
  }
  return {};
}

/// A failed attempt's result: the right shape, every value NaN.
ReplicateResult failed(const model::ModelInfo& info, std::int64_t ticks, RunStatus status,
                       std::string message) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  ReplicateResult r;
  r.ticks = ticks;
  r.n_observables = info.observables.size();
  r.series.assign(static_cast<std::size_t>(ticks + 1) * r.n_observables, nan);
  r.finals.assign(info.finals.size(), nan);
  r.status = status;
  r.message = std::move(message);
  return r;
}

}  // namespace

ReplicateResult run_replicate(const model::ModelInfo& info, const ParamValues& params,
                              const rng::TaskKey& task, std::int64_t ticks,
                              const model::ExecOptions& exec, const TickHook& hook,
                              double timeout_seconds) {
  const auto start = Clock::now();
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
    if (timeout_seconds > 0 && seconds_since(start) > timeout_seconds) {
      std::ostringstream s;
      s << "timed out after tick " << t << " of " << ticks << " (" << seconds_since(start)
        << " s > " << timeout_seconds << " s)";
      throw TaskTimeout(s.str());
    }
  }
  m->summarize(r.finals);
  r.wall_seconds = seconds_since(start);
  return r;
}

ReplicateResult run_task(const model::ModelInfo& info, const ParamValues& params,
                         const rng::TaskKey& task, std::int64_t ticks,
                         const model::ExecOptions& exec, const FailurePolicy& policy,
                         const TickHook& hook) {
  const auto start = Clock::now();
  for (std::int64_t attempt = 1;; ++attempt) {
    ReplicateResult r;
    try {
      r = run_replicate(info, params, task, ticks, exec, hook, policy.timeout_seconds);
      if (std::string why = first_non_finite(r, info); !why.empty())
        r = failed(info, ticks, RunStatus::kNonFinite, std::move(why));
    } catch (const InputError&) {
      throw;  // the parameters are bad: no attempt can succeed, and it is not this run's fault
    } catch (const TaskAbandoned&) {
      throw;
    } catch (const TaskTimeout& e) {
      r = failed(info, ticks, RunStatus::kTimeout, e.what());
    } catch (const std::exception& e) {
      r = failed(info, ticks, RunStatus::kError, e.what());
    } catch (...) {
      r = failed(info, ticks, RunStatus::kError, "unknown exception");
    }
    if (r.ok() || attempt > policy.retries) {
      r.attempts = attempt;
      r.wall_seconds = seconds_since(start);
      return r;
    }
  }
}

}  // namespace icn::exec
