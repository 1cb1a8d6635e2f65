#pragma once
// Growing buffers with their new pages faulted in by the whole team.
//
// The memory a growing replicate adds (its state's columns as firms enter) is touched
// for the first time by whoever writes it first: the kernel clears each new page then -
// with huge pages a 2 MiB clear per fault. That writer is serial code (the entrants
// are added one by one), so on two threads at 10^5 firms the other thread waited for
// those clears (3.8 % of the main thread's samples; docs/performance.md, "Eleventh
// session"). A GrowthPlan collects the byte ranges that the coming growth of several
// vectors will write, moves each vector that must be reallocated into a block twice as
// large, and faults all those ranges in on the team (exec::first_touch) before anything
// is written. Contents and results are unchanged; only who clears the pages changes.
#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "icn/core/grow.h"

namespace icn::exec {

/// A range of memory to fault in.
struct ByteRange {
  void* begin = nullptr;
  std::size_t bytes = 0;
};

/// Faults in the pages of every range for writing (core/huge_pages.h, populate_pages),
/// the ranges cut into pieces of at most 2 MiB that the team shares. Nothing to do on
/// one thread: the writer's own faults cost the same there.
void first_touch(std::span<const ByteRange> ranges, int threads);

class GrowthPlan {
 public:
  /// A plan for a team of `threads`; on one thread it only resizes (at once).
  explicit GrowthPlan(int threads) : threads_(threads) {}
  /// Plans room for `n` elements in `v`, the pages they will occupy faulted in by apply();
  /// the caller adds the elements afterwards. `v` must outlive apply().
  template <class T, class Alloc>
  void grow(std::vector<T, Alloc>& v, std::size_t n);
  /// v.resize(n), done by apply() after the faults (at once on one thread).
  template <class T, class Alloc>
  void resize(std::vector<T, Alloc>& v, std::size_t n);
  /// Faults the planned ranges in on the team, moves what needed a larger block and
  /// does the planned resizes; the plan is empty again afterwards.
  void apply();

 private:
  int threads_ = 1;
  std::vector<ByteRange> ranges_;
  std::vector<std::function<void()>> moves_;    ///< into larger blocks, after the faults
  std::vector<std::function<void()>> resizes_;  ///< after the moves
};

template <class T, class Alloc>
void GrowthPlan::grow(std::vector<T, Alloc>& v, std::size_t n) {
  if (threads_ <= 1 || n <= v.size()) return;
  if (n <= v.capacity()) {
    ranges_.push_back({v.data() + v.size(), (n - v.size()) * sizeof(T)});
    return;
  }
  // A new block (allocated, not yet touched), faulted in with the rest; the elements move
  // into it afterwards, so the copy writes to pages already there.
  auto fresh = std::make_shared<std::vector<T, Alloc>>();
  fresh->reserve(grown_capacity(v.capacity(), n));
  ranges_.push_back({fresh->data(), n * sizeof(T)});
  moves_.push_back([&v, fresh] {
    fresh->insert(fresh->end(), std::make_move_iterator(v.begin()),
                  std::make_move_iterator(v.end()));
    v.swap(*fresh);
  });
}

template <class T, class Alloc>
void GrowthPlan::resize(std::vector<T, Alloc>& v, std::size_t n) {
  if (threads_ <= 1 || n <= v.size()) {
    v.resize(n);
    return;
  }
  grow(v, n);
  resizes_.push_back([&v, n] { v.resize(n); });
}

}  // namespace icn::exec
