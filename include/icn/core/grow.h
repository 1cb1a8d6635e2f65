#pragma once
// Refilling per-tick buffers whose size follows a growing population.
//
// std::vector::assign(n, value) (and assign(first, last)) with n above the capacity
// allocates exactly n elements, unlike resize and push_back, which at least double the
// capacity. A buffer sized by the slots of a replicate whose population grows a little
// every tick was therefore reallocated every tick (at 10^5 firms: 19.5 allocations above
// 256 KiB per tick, 8.3 with these; docs/performance.md, "Eleventh session"). These keep
// the geometric growth; the contents are exactly assign's.
#include <algorithm>
#include <cstddef>
#include <iterator>
#include <type_traits>
#include <vector>

namespace icn {

/// The capacity a buffer of `capacity` grows to when it must hold `n` > capacity
/// elements: at least double, as push_back's growth.
inline std::size_t grown_capacity(std::size_t capacity, std::size_t n) {
  return std::max(n, 2 * capacity);
}

/// Makes room for `n` elements, growing to grown_capacity() when it must grow. The
/// contents are dropped when it grows (the callers overwrite them all).
template <class T, class Alloc>
void reserve_geometric(std::vector<T, Alloc>& v, std::size_t n) {
  if (n <= v.capacity()) return;
  const std::size_t want = grown_capacity(v.capacity(), n);
  v.clear();  // so that reserve copies nothing into the new block
  v.reserve(want);
}

/// v.resize(n), growing geometrically: for buffers whose every entry the caller writes
/// next (what they held is dropped when they grow, and otherwise left, not cleared).
template <class T, class Alloc>
void resize_geometric(std::vector<T, Alloc>& v, std::size_t n) {
  reserve_geometric(v, n);
  v.resize(n);
}

/// v.assign(n, value), growing geometrically.
template <class T, class Alloc>
void refill(std::vector<T, Alloc>& v, std::size_t n, const std::type_identity_t<T>& value) {
  reserve_geometric(v, n);
  v.assign(n, value);
}

/// v.assign(first, last) for forward iterators, growing geometrically; the range must not
/// lie in v (a growth drops v's contents before the copy).
template <class T, class Alloc, std::forward_iterator It>
void refill(std::vector<T, Alloc>& v, It first, It last) {
  reserve_geometric(v, static_cast<std::size_t>(std::distance(first, last)));
  v.assign(first, last);
}

}  // namespace icn
