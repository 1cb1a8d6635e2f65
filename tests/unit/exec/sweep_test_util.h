#pragma once
// Helpers shared by the sweep tests: run a sweep on `ranks` in-process ranks and compare
// results bit for bit.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "icn/exec/sweep.h"
#include "local_comm.h"

namespace icn::exec::testing {

/// Runs `spec` on `ranks` thread-backed ranks; returns rank 0's results.
inline SweepResults run_on(int ranks, const SweepSpec& spec) {
  SweepResults out;
  LocalWorld world(ranks);
  world.run([&](Comm& comm) {
    SweepResults r = run_sweep(comm, spec, ProgressOptions{0, "", true});
    if (comm.rank() == 0) out = std::move(r);
  });
  return out;
}

/// Bitwise equality that also treats NaN == NaN.
inline bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

inline void expect_same_stats(const OutputStats& a, const OutputStats& b) {
  EXPECT_EQ(a.count, b.count);
  EXPECT_TRUE(same_bits(a.mean, b.mean));
  EXPECT_TRUE(same_bits(a.var, b.var));
  EXPECT_TRUE(same_bits(a.min, b.min));
  EXPECT_TRUE(same_bits(a.max, b.max));
  EXPECT_TRUE(same_bits(a.quantiles, b.quantiles));
}

}  // namespace icn::exec::testing
