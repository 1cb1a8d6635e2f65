#pragma once
// Transparent huge pages for the large arrays of a run.
//
// A replicate of 10^5 actors keeps tens of arrays of megabytes (the actor columns, the
// kene pool, the stages' per-slot buffers) and grows them as firms enter. On 4 KiB pages
// every growth is thousands of page faults, taken serially by the main thread or, inside a
// parallel loop, by threads that contend for the process's page tables; on a virtual
// machine each fault is dearer still. Linux backs a region with 2 MiB pages when the
// region is advised so (MADV_HUGEPAGE; used when /sys/kernel/mm/transparent_hugepage/
// enabled is `madvise` or `always`): 512 times fewer faults and TLB entries.
//
// Every program linked with the icn library replaces the global `operator new` (the
// standard's replacement point; src/core/huge_pages.cpp) with malloc followed by this
// advice, so std::vector and friends get it without a custom allocator type:
//   - blocks of kHugeAdviceMinBytes or more, which malloc maps on their own, are advised
//     one by one;
//   - smaller blocks come from malloc's main heap, which grows in steps of 64 MiB that
//     are advised as they appear (the columns of a 10^5-actor replicate are 0.1-1 MiB
//     each, and a stage reads them at random actors: TLB misses on 4 KiB pages);
//   - the heap is kept once grown (trim threshold 128 MiB), so a replicate that frees
//     and allocates its buffers again does not fault them in again.
// Sanitizer builds keep their own operator new and malloc settings.
//
// ICN_HUGE_PAGES=0 in the environment turns the advice and malloc's settings off (1, or
// unset: on), e.g. where khugepaged's background work or the rounding of memory to 2 MiB
// is unwelcome. Results do not depend on it; only speed and resident memory do.
#include <cstddef>

// ICN_SANITIZER_NEW: a sanitizer that brings its own operator new (Address, Thread or
// Memory) is on, and the replacement (src/core/huge_pages.cpp) is left out: its allocator must
// see every block, and two definitions would not link. GCC defines __SANITIZE_ADDRESS__
// and __SANITIZE_THREAD__; Clang before 17 answers only through __has_feature.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ICN_SANITIZER_NEW 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define ICN_SANITIZER_NEW 1
#endif
#endif

namespace icn {

/// The size of a transparent huge page on x86-64 (and most AArch64 kernels).
inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

/// Blocks from this size up are mapped on their own and advised one by one; smaller ones
/// live in malloc's main heap, advised as it grows.
inline constexpr std::size_t kHugeAdviceMinBytes = std::size_t{4} << 20;

/// Advises the kernel to back the 2 MiB-aligned pages inside [p, p + bytes) with huge
/// pages; returns the number of bytes advised (0 where none fits or the kernel refused:
/// advice, so a refusal changes only speed).
std::size_t advise_huge_pages(void* p, std::size_t bytes) noexcept;

/// Faults in the pages of [p, p + bytes) for writing without changing their contents
/// (MADV_POPULATE_WRITE, Linux 5.14 and later), so that the first writes to them take no
/// page fault; returns the bytes populated, 0 where the kernel cannot (older kernels):
/// like the advice, a refusal changes only speed. The range must lie in memory the
/// caller owns (the pages it touches at either end may hold other blocks too).
std::size_t populate_pages(void* p, std::size_t bytes) noexcept;

/// Whether operator new advises: ICN_HUGE_PAGES, read at start-up (when malloc's settings
/// are made), unless set_huge_pages() decided first.
bool huge_pages_enabled() noexcept;

/// Turns the advice on or off for blocks allocated from now on (benchmarks' A/B runs).
void set_huge_pages(bool on) noexcept;

/// Checks ICN_HUGE_PAGES: unset, "0" or "1"; anything else throws InputError naming the
/// variable and its value (called by icnsim before it runs anything).
void check_huge_pages_env();

}  // namespace icn
