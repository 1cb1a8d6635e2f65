#pragma once
// The OpenMP seam: the only place that includes omp.h. Without OpenMP everything
// reports one thread and the pragmas elsewhere are ignored by the compiler.
#include <cstdint>

namespace icn::exec {

/// Threads an OpenMP parallel region would use by default (OMP_NUM_THREADS).
int max_threads();
/// This thread's number inside a parallel region (0 outside).
int thread_id();
/// Threads in the current team (1 outside a parallel region).
int team_size();
/// Whether the program was built with OpenMP.
bool openmp_enabled();
/// OpenMP version as "YYYYMM", or "none".
const char* openmp_version();

/// This thread's number and its team's size (0 and 1 outside a parallel region).
/// Where a nested construct (`omp single`, `omp for`) of the region uses them, copy them
/// to plain variables rather than a structured binding: Clang (14) cannot capture a
/// binding into an OpenMP region.
struct Member {
  std::uint32_t me = 0;
  std::uint32_t team = 1;
};
inline Member team_member() {
  return {static_cast<std::uint32_t>(thread_id()), static_cast<std::uint32_t>(team_size())};
}

/// A contiguous part [begin, end) of the items 0..n-1.
struct Range {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};
/// The part of 0..n-1 that member `me` of a team of `team` takes: the parts follow the
/// members' order, differ in size by at most one and together cover every item once.
inline Range range_of(std::uint32_t n, std::uint32_t me, std::uint32_t team) {
  return {static_cast<std::uint32_t>(std::uint64_t{n} * me / team),
          static_cast<std::uint32_t>(std::uint64_t{n} * (me + 1) / team)};
}

/// Slots per chunk in the loops over a model's slots (exec/owned_parts.h). The work per
/// slot is far from uniform along the slots - the SMEs first, then the leading firms and
/// institutions, then the entrants - so equal static parts left one thread or the other
/// waiting at the loop's end (measured: docs/performance.md, tenth session). A chunk of
/// 256 keeps the claiming of chunks negligible and leaves only a chunk's work at the end.
inline constexpr int kSlotChunk = 256;

/// Slots per chunk in the loops that fill the slots just added, one entrant or new
/// headquarters per iteration (a few hundred a tick at 10^5 firms). Handed out one by one,
/// neighbouring slots went to different threads, and every one-byte column (a kene's
/// length, the flags) had both cores writing each cache line: the headquarters' fill ran
/// no faster on two threads than on one (docs/performance.md, "Fifteenth session"). A
/// chunk of 64 slots covers a whole line of a one-byte column, so two threads meet only
/// where their chunks meet.
inline constexpr std::uint32_t kNewSlotChunk = 64;

/// Size of a cache line on the machines we run on (x86-64, most AArch64).
inline constexpr unsigned kCacheLine = 64;

/// A value on cache lines of its own, for vectors with one entry per thread (or per task
/// of a dynamic loop): neighbouring entries written by different threads would otherwise
/// share a line, and every write by one would evict the other's copy (false sharing).
template <class T>
struct alignas(kCacheLine) Padded {
  T value{};
};

}  // namespace icn::exec
