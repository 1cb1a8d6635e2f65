#pragma once
// The value of a given rank among many doubles (a median, a quantile), found by a team of
// threads. std::nth_element is serial: at 10^5 firms the median capital of the
// observables was the largest serial step of the model's own code left on two threads
// (docs/performance.md, tenth session). Here the threads narrow the rank down by radix: each
// pass histograms 16 more bits of an order-preserving key of the values that share the
// bits found so far, until few enough candidates are left for one nth_element.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "icn/exec/buckets.h"

namespace icn::exec {

/// Buffers of nth_value, kept between calls so that their memory is reused.
struct NthScratch {
  BucketScratch counts;              ///< one histogram per thread
  std::vector<double> candidates;    ///< the values left for the final nth_element
  std::vector<std::uint32_t> index;  ///< their positions
  SelectScratch select;
};

/// The value that std::nth_element would place at position `k` of `values` (0-based, k <
/// values.size()): the k-th smallest. Values compare as numbers (-0.0 equals 0.0; NaN is
/// not allowed). On one thread this is std::nth_element, in place (`values` is
/// reordered); on more, `values` is left as it is. The result is the same number for any
/// `threads` (of zeros of both signs, either may be returned).
double nth_value(std::span<double> values, std::size_t k, int threads, NthScratch& scratch);

/// The median of `values` (non-empty): the middle value, or the mean of the two middle
/// ones for an even count. On one thread std::nth_element in place, then the largest value
/// below the middle; on more, the middle value's candidates as in nth_value, the value
/// below it from the same candidates unless the middle one is their smallest.
double median(std::span<double> values, int threads, NthScratch& scratch);

}  // namespace icn::exec
