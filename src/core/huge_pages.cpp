#include "icn/core/huge_pages.h"

#include <sys/mman.h>

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
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  const auto begin = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t first = (begin + kHuge - 1) & ~(kHuge - 1);
  const std::uintptr_t last = (begin + bytes) & ~(kHuge - 1);
  if (p == nullptr || last <= first) return 0;
  const std::size_t span = last - first;
  // madvise only changes how the pages are backed; where it fails (no THP support, an
  // old kernel) the block stays on small pages and works the same.
  return madvise(reinterpret_cast<void*>(first), span, MADV_HUGEPAGE) == 0 ? span : 0;
}

}  // namespace icn

// The replacement operator new (include/icn/core/huge_pages.h). The array, nothrow and
// sized forms of the standard library call these two; aligned forms are left alone.
#if !defined(__SANITIZE_ADDRESS__)

void* operator new(std::size_t bytes) {
  if (bytes == 0) bytes = 1;
  for (;;) {
    if (void* p = std::malloc(bytes)) {
      if (bytes >= icn::kHugeAdviceMinBytes && icn::huge_pages_enabled()) {
        icn::advise_huge_pages(p, bytes);
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
