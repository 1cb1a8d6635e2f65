#pragma once
// Full-factorial grids. Rows run in odometer order with the last factor fastest, so row
// r's level index for factor j is (r / prod_{k>j} L_k) mod L_j.
#include <cstdint>
#include <vector>

#include "icn/design/design.h"

namespace icn::design {

/// A factor's grid levels: its explicit list, or n_levels values evenly spaced over
/// [lo, hi] (geometrically when log_scale, rounded when integer). Throws InputError on
/// duplicate levels (after rounding), non-integral integer levels, or a bad range.
std::vector<double> grid_levels(const Factor& f);

/// Level lists of all factors; throws InputError when the product exceeds kMaxDesignPoints.
std::vector<std::vector<double>> grid_level_lists(const std::vector<Factor>& factors);

}  // namespace icn::design
