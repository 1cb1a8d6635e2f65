#pragma once
// `faulty`: a diagnostic model that fails on chosen runs, for testing what a sweep does
// with failed runs (docs/sweeps.md, "Failed runs") — on a laptop or on your own cluster.
// Each tick it reports y = x + 0.1 u (u uniform, keyed by tick); a run fails when x >=
// fail_x or when its keyed draw falls below fail_fraction, at tick fail_tick, in the way
// `failure` names: "error" (the model throws), "nan" (y becomes NaN) or "slow" (every
// tick from then on sleeps slow_seconds: for timeouts). With transient = k only the first
// k attempts of a run in this process fail: a failure that a retry cures.
#include "icn/model/model.h"

namespace icn::model {

struct FaultyParams {
  double x = 0.5;
  double fail_x = 2.0;  ///< runs with x >= fail_x fail (the default: none)
  double fail_fraction = 0.0;
  std::string failure = "error";
  std::int64_t fail_tick = 1;
  double slow_seconds = 0.05;
  std::int64_t transient = 0;  ///< 0: every attempt fails
};

ModelInfo faulty_info();

}  // namespace icn::model
