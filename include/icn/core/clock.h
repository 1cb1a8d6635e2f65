#pragma once
// Wall-clock intervals on the steady clock (timeouts, busy time, run times).
#include <chrono>

namespace icn {

/// Seconds of the steady clock elapsed since t0.
inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace icn
