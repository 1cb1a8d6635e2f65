#include "icn/exec/first_touch.h"

#include <algorithm>
#include <cstdint>

#include "icn/core/huge_pages.h"

namespace icn::exec {

void first_touch(std::span<const ByteRange> ranges, int threads) {
  if (threads <= 1 || ranges.empty()) return;
  // Pieces end on 2 MiB boundaries, so that a huge page is cleared by one thread only.
  thread_local std::vector<ByteRange> mine;  // the caller's: named below for the team
  std::vector<ByteRange>& pieces = mine;
  pieces.clear();
  for (const ByteRange& r : ranges) {
    auto at = reinterpret_cast<std::uintptr_t>(r.begin);
    const std::uintptr_t end = at + r.bytes;
    while (at < end) {
      const std::uintptr_t next = std::min(end, (at + kHugePageBytes) & ~(kHugePageBytes - 1));
      pieces.push_back({reinterpret_cast<void*>(at), next - at});
      at = next;
    }
  }
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (std::int64_t k = 0; k < static_cast<std::int64_t>(pieces.size()); ++k) {
    const ByteRange& p = pieces[static_cast<std::size_t>(k)];
    populate_pages(p.begin, p.bytes);
  }
}

void GrowthPlan::apply() {
  first_touch(ranges_, threads_);
  for (const auto& move : moves_) move();
  for (const auto& resize : resizes_) resize();
  ranges_.clear();
  moves_.clear();
  resizes_.clear();
}

}  // namespace icn::exec
