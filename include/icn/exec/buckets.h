#pragma once
// Items grouped by bucket (a parallel counting sort) with the order inside each bucket
// independent of the team: the items are split into contiguous ranges, one per thread;
// each thread counts its range's entries per bucket, the counts are turned into offsets
// (bucket by bucket, ranges in order) and each thread places its range's entries. So
// every bucket lists its entries in item order, exactly as one serial pass would.
//
// Used for the model's adjacency lists built every tick (customer lists, the cell grid,
// sellers and demanders by product): O(items + buckets x threads) work, all of it shared
// among the threads.
#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "icn/core/grow.h"
#include "icn/exec/openmp.h"
#include "icn/exec/owned_parts.h"

namespace icn::exec {

/// Per-thread counts kept between calls so that their memory is reused.
using BucketScratch = std::vector<std::vector<std::uint32_t>>;

/// Fills `start` (buckets + 1 offsets) and `entries` (grouped by bucket). `each(item,
/// emit)` calls `emit(bucket, value)` once per entry of `item` (none, one or several;
/// several entries of one item keep their order), and `value` is what `entries` holds
/// (often the item itself); it must not depend on the thread and is called twice per item.
template <class Each>
void group_by_bucket(std::uint32_t items, std::uint32_t buckets, int threads, Each&& each,
                     std::vector<std::uint32_t>& start, std::vector<std::uint32_t>& entries,
                     BucketScratch& scratch) {
  // One thread, or few entries for many buckets (the partner lists, the new partners'
  // records): the team's part of the work is O(buckets) per thread, so a team takes
  // longer than one thread would (measured: docs/performance.md, "Fourteenth session").
  if (threads <= 1 || std::uint64_t{items} * 2 < buckets) {  // the offsets in one pass
    if (scratch.empty()) scratch.resize(1);
    std::vector<std::uint32_t>& count = scratch[0];
    icn::refill(count, buckets, 0);
    for (std::uint32_t i = 0; i < items; ++i) {
      each(i, [&](std::uint32_t b, std::uint32_t) { ++count[b]; });
    }
    start.resize(static_cast<std::size_t>(buckets) + 1);
    std::uint32_t at = 0;
    for (std::uint32_t b = 0; b < buckets; ++b) {
      start[b] = at;
      at += std::exchange(count[b], at);
    }
    start[buckets] = at;
    entries.resize(at);
    for (std::uint32_t i = 0; i < items; ++i) {
      each(i, [&](std::uint32_t b, std::uint32_t value) { entries[count[b]++] = value; });
    }
    return;
  }
  const auto teams = static_cast<std::size_t>(threads);
  // One count vector per thread; at the back the totals of the threads' shares of the
  // buckets (for the offsets) and the running offsets of the buckets.
  if (scratch.size() < teams + 2) scratch.resize(teams + 2);
  std::vector<std::uint32_t>& share_base = scratch[teams];
  std::vector<std::uint32_t>& next = scratch[teams + 1];
  share_base.assign(teams + 1, 0);
  start.resize(static_cast<std::size_t>(buckets) + 1);
  next.resize(buckets);
#pragma omp parallel num_threads(threads)
  {
    // Plain variables: the `omp single` below uses `team` (see Member).
    const Member member = team_member();  // the team OpenMP actually gave
    const std::uint32_t me = member.me, team = member.team;
    const auto [lo, hi] = range_of(items, me, team);
    std::vector<std::uint32_t>& count = scratch[me];
    icn::refill(count, buckets, 0);
    for (std::uint32_t i = lo; i < hi; ++i) {
      each(i, [&](std::uint32_t b, std::uint32_t) { ++count[b]; });
    }
#pragma omp barrier
    // Offsets, bucket by bucket and ranges in order within a bucket. Each thread takes a
    // contiguous share of the buckets: its buckets' totals (in start, for now) and their
    // sum, the shares' sums are scanned, then its buckets' offsets, and each range's
    // offset within each bucket. The loops over a share run range by range, so that they
    // are plain passes over arrays (vectorised) rather than a short loop per bucket.
    const auto [blo, bhi] = range_of(buckets, me, team);
    std::uint32_t* const total = start.data();
    std::copy(scratch[0].begin() + blo, scratch[0].begin() + bhi, total + blo);
    for (std::uint32_t r = 1; r < team; ++r) {
      const std::uint32_t* const c = scratch[r].data();
      for (std::uint32_t b = blo; b < bhi; ++b) total[b] += c[b];
    }
    std::uint32_t sum = 0;
    for (std::uint32_t b = blo; b < bhi; ++b) sum += total[b];
    share_base[me + 1] = sum;
#pragma omp barrier
#pragma omp single
    {
      for (std::uint32_t r = 0; r < team; ++r) share_base[r + 1] += share_base[r];
      start[buckets] = share_base[team];
      entries.resize(share_base[team]);
    }
    std::uint32_t at = share_base[me];
    for (std::uint32_t b = blo; b < bhi; ++b) {
      const std::uint32_t c = total[b];
      start[b] = at;
      next[b] = at;
      at += c;
    }
    for (std::uint32_t r = 0; r < team; ++r) {
      std::uint32_t* const c = scratch[r].data();  // now: where range r's entries begin
      std::uint32_t* const pos = next.data();
      for (std::uint32_t b = blo; b < bhi; ++b) {
        const std::uint32_t n = c[b];
        c[b] = pos[b];
        pos[b] += n;
      }
    }
#pragma omp barrier
    for (std::uint32_t i = lo; i < hi; ++i) {
      each(i, [&](std::uint32_t b, std::uint32_t value) { entries[count[b]++] = value; });
    }
  }
}

}  // namespace icn::exec

namespace icn::exec {

/// Per-thread lists of select_items, kept between calls so that their memory is reused.
struct SelectScratch {
  BucketScratch kept;             ///< one per thread: the kept items of its range
  std::vector<std::uint32_t> at;  ///< where each thread's list begins in the output
};

/// The items i < `items` for which keep(i) holds, in ascending order, found in parallel:
/// each thread lists the kept items of a contiguous range, and the lists are joined in
/// range order. `keep` is called once per item and must not depend on the thread.
template <class Keep>
void select_items(std::uint32_t items, int threads, Keep&& keep, std::vector<std::uint32_t>& out,
                  SelectScratch& scratch) {
  if (threads <= 1) {  // one pass, no team: the same list
    out.clear();
    for (std::uint32_t i = 0; i < items; ++i) {
      if (keep(i)) out.push_back(i);
    }
    return;
  }
  const auto teams = static_cast<std::size_t>(threads);
  if (scratch.kept.size() < teams) scratch.kept.resize(teams);
  scratch.at.assign(teams + 1, 0);
#pragma omp parallel num_threads(threads)
  {
    // Plain variables: the `omp single` below uses `team` (see Member).
    const Member member = team_member();  // the team OpenMP actually gave
    const std::uint32_t me = member.me, team = member.team;
    const auto [lo, hi] = range_of(items, me, team);
    // Written through a pointer: the threads' vector headers share a cache line, and a
    // push_back per kept item would bounce it between the cores.
    std::vector<std::uint32_t>& mine = scratch.kept[me];
    if (mine.size() < hi - lo) mine.resize(hi - lo);
    std::uint32_t* const list = mine.data();
    std::uint32_t n = 0;
    for (std::uint32_t i = lo; i < hi; ++i) {
      list[n] = i;
      n += keep(i) ? 1u : 0u;
    }
    scratch.at[me + 1] = n;
#pragma omp barrier
#pragma omp single
    {
      for (std::uint32_t r = 0; r < team; ++r) scratch.at[r + 1] += scratch.at[r];
      out.resize(scratch.at[team]);
    }
    std::copy(list, list + n, out.begin() + scratch.at[me]);
  }
}

/// Sorts each group of `entries` that group_by_bucket made (group g is [start[g],
/// start[g + 1])) and moves its distinct values to the group's front, in parallel over
/// the groups; `at` (groups + 1 offsets) gets where each group's distinct values go in a
/// packed list - their counts' prefix sum, the one serial pass. The caller packs them
/// (or what it makes of them) into at[g] .. at[g + 1] - 1.
template <class Offset>
void sort_unique_groups(std::uint32_t groups, const std::vector<std::uint32_t>& start,
                        std::vector<std::uint32_t>& entries, std::vector<Offset>& at, int threads) {
  icn::refill(at, static_cast<std::size_t>(groups) + 1, Offset{0});
  for_owned_slots(groups, threads, [&](std::uint32_t g) {
    const auto first = entries.begin() + start[g], last = entries.begin() + start[g + 1];
    std::sort(first, last);
    at[g + 1] = static_cast<Offset>(std::unique(first, last) - first);
  });
  for (std::size_t g = 0; g < groups; ++g) at[g + 1] += at[g];
}

}  // namespace icn::exec
