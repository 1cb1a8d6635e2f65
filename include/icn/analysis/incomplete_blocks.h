#pragma once
// Which estimator blocks of a design a set of points touches: the Saltelli base samples
// and Morris trajectories that failed runs leave incomplete (docs/sweeps.md, "Failed
// runs"). Designs without blocks have none.
#include <cstdint>
#include <string>
#include <vector>

#include "icn/design/design.h"

namespace icn::analysis {

struct IncompleteBlocks {
  std::string unit;                   ///< "Saltelli base sample", "Morris trajectory"; empty: none
  std::vector<std::int64_t> partial;  ///< blocks with a point that lost some of its runs
  std::vector<std::int64_t> empty;    ///< blocks with a point that lost all of its runs
};

/// `failed[p]` and `runs[p]` count point p's failed and total runs (global point indices,
/// as in the design).
IncompleteBlocks incomplete_blocks(const design::Design& design,
                                   const std::vector<std::int64_t>& failed,
                                   const std::vector<std::int64_t>& runs);

}  // namespace icn::analysis
