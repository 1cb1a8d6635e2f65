#include "icn/core/huge_pages.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "icn/core/error.h"

namespace icn {
namespace {

constexpr const char* kEnv = "ICN_HUGE_PAGES";
// -1: not yet decided; then 0 or 1. Relaxed: a block advised or not changes only speed.
std::atomic<int> g_enabled{-1};

}  // namespace

bool huge_pages_enabled() noexcept {
  int on = g_enabled.load(std::memory_order_relaxed);
  if (on < 0) {
    const char* v = std::getenv(kEnv);
    on = v == nullptr || std::strcmp(v, "0") != 0;
    g_enabled.store(on, std::memory_order_relaxed);
  }
  return on != 0;
}

void set_huge_pages(bool on) noexcept { g_enabled.store(on ? 1 : 0, std::memory_order_relaxed); }

void check_huge_pages_env() {
  const char* v = std::getenv(kEnv);
  if (v == nullptr || std::strcmp(v, "0") == 0 || std::strcmp(v, "1") == 0) return;
  throw InputError(std::string("environment variable ") + kEnv + ": expected 0 or 1 (got '" + v +
                   "')");
}

std::size_t advise_huge_pages(void* p, std::size_t bytes) noexcept {
  constexpr std::uintptr_t kHuge = kHugePageBytes;
  const auto begin = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t first = (begin + kHuge - 1) & ~(kHuge - 1);
  const std::uintptr_t last = (begin + bytes) & ~(kHuge - 1);
  if (p == nullptr || last <= first) return 0;
  const std::size_t span = last - first;
  // madvise only changes how the pages are backed; where it fails (no THP support, an
  // old kernel) the block stays on small pages and works the same.
  return madvise(reinterpret_cast<void*>(first), span, MADV_HUGEPAGE) == 0 ? span : 0;
}

std::size_t populate_pages(void* p, std::size_t bytes) noexcept {
#ifdef MADV_POPULATE_WRITE
  constexpr std::uintptr_t kSmallPage = 4096;
  const auto begin = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t first = begin & ~(kSmallPage - 1);
  const std::uintptr_t last = (begin + bytes + kSmallPage - 1) & ~(kSmallPage - 1);
  if (p == nullptr || bytes == 0) return 0;
  return madvise(reinterpret_cast<void*>(first), last - first, MADV_POPULATE_WRITE) == 0
             ? last - first
             : 0;
#else
  (void)p;
  (void)bytes;
  return 0;
#endif
}

}  // namespace icn

// The replacement operator new (include/icn/core/huge_pages.h). The array, nothrow and
// sized forms of the standard library call these two; aligned forms are left alone.
#if !defined(ICN_SANITIZER_NEW)

namespace icn {
namespace {

// The end of the main heap (brk) advised so far; 0 while the tuning is off.
std::atomic<std::uintptr_t> g_heap_advised{0};
constexpr std::uintptr_t kPage = 4096;
// Blocks from this size up look for heap growth to advise; smaller ones rarely grow the
// heap, and the next larger block's look covers what they added.
constexpr std::size_t kHeapLookMinBytes = std::size_t{64} << 10;

// malloc's main heap holds every block below the mmap threshold (the actor columns of a
// large replicate are 0.1-1 MiB each): the part of it added since the last call is
// advised too. The heap grows in steps of M_TOP_PAD, so a step is advised while still
// untouched except for malloc's chunk headers at its start.
void advise_heap_growth() noexcept {
  const auto top = reinterpret_cast<std::uintptr_t>(sbrk(0));
  std::uintptr_t done = g_heap_advised.load(std::memory_order_relaxed);
  if (done == 0 || top <= done || !g_heap_advised.compare_exchange_strong(done, top)) return;
  const std::uintptr_t from = done & ~(kPage - 1);
  if (top > from) madvise(reinterpret_cast<void*>(from), top - from, MADV_HUGEPAGE);
}

// Large steps of the heap, kept once grown (a replicate frees and allocates its buffers
// again and again), and blocks from 4 MiB up mapped on their own (advised by operator new).
const bool g_tuned = [] {
  if (!huge_pages_enabled()) return false;
  mallopt(M_MMAP_THRESHOLD, static_cast<int>(kHugeAdviceMinBytes));
  mallopt(M_TOP_PAD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 128 << 20);
  g_heap_advised.store(reinterpret_cast<std::uintptr_t>(sbrk(0)) & ~(kPage - 1));
  return true;
}();

}  // namespace
}  // namespace icn

void* operator new(std::size_t bytes) {
  if (bytes == 0) bytes = 1;
  for (;;) {
    if (void* p = std::malloc(bytes)) {
      if (bytes >= icn::kHugeAdviceMinBytes && icn::huge_pages_enabled()) {
        icn::advise_huge_pages(p, bytes);
      } else if (bytes >= icn::kHeapLookMinBytes && icn::huge_pages_enabled()) {
        icn::advise_heap_growth();
      }
      return p;
    }
    const std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

#endif
