#include "icn/core/huge_pages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

// Whether the kernel offers transparent huge pages to advised regions.
bool thp_on_advice() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  return std::getline(in, line) && (line.find("[madvise]") != std::string::npos ||
                                    line.find("[always]") != std::string::npos);
}

// The VmFlags of the mapping that holds address p (/proc/self/smaps), "" if none.
std::string vm_flags_at(const void* p) {
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  std::ifstream in("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    unsigned long long lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> lo >> dash >> hi && dash == '-') {
      inside = lo <= a && a < hi;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line;
    }
  }
  return "";
}

// Why operator new's advice cannot be seen here, or "" where it can.
std::string operator_new_advice_unseen() {
#if defined(ICN_SANITIZER_NEW)
  return "the sanitizer's operator new is kept";
#endif
  if (!thp_on_advice()) return "transparent huge pages are off on this kernel";
  if (!icn::huge_pages_enabled()) return "ICN_HUGE_PAGES=0";
  return "";
}

const void* first_huge_page(const void* p) {
  constexpr std::uintptr_t kHuge = icn::kHugePageBytes;
  return reinterpret_cast<const void*>((reinterpret_cast<std::uintptr_t>(p) + kHuge - 1) &
                                       ~(kHuge - 1));
}

TEST(HugePages, AdvisesTheAlignedInteriorOfABlock) {
  if (!thp_on_advice()) GTEST_SKIP() << "transparent huge pages are off on this kernel";
  constexpr std::size_t kBytes = std::size_t{9} << 20;
  void* p = std::malloc(kBytes);
  ASSERT_NE(p, nullptr);
  const std::size_t advised = icn::advise_huge_pages(p, kBytes);
  // 9 MiB hold four aligned 2 MiB pages, or three plus parts at both ends.
  EXPECT_GE(advised, std::size_t{6} << 20);
  EXPECT_LE(advised, std::size_t{8} << 20);
  EXPECT_EQ(advised % icn::kHugePageBytes, 0u);
  EXPECT_NE(vm_flags_at(first_huge_page(p)).find(" hg"), std::string::npos);
  std::free(p);
}

TEST(HugePages, BlocksWithoutAnAlignedHugePageAreLeftAlone) {
  EXPECT_EQ(icn::advise_huge_pages(nullptr, std::size_t{64} << 20), 0u);
  std::vector<char> small(std::size_t{1} << 20);
  EXPECT_EQ(icn::advise_huge_pages(small.data(), small.size()), 0u);
}

// The replacement operator new advises large blocks: a std::vector gets huge pages
// without a custom allocator (sanitizer builds keep their own operator new).
TEST(HugePages, LargeVectorsAreAdvised) {
  if (const std::string why = operator_new_advice_unseen(); !why.empty()) GTEST_SKIP() << why;
  std::vector<double> column(icn::kHugeAdviceMinBytes / sizeof(double) * 2);
  EXPECT_NE(vm_flags_at(first_huge_page(column.data())).find(" hg"), std::string::npos);
}

// Blocks below the threshold come from malloc's main heap, whose growth is advised.
TEST(HugePages, MidSizeBlocksFromTheHeapAreAdvised) {
  if (const std::string why = operator_new_advice_unseen(); !why.empty()) GTEST_SKIP() << why;
  std::vector<std::unique_ptr<std::vector<char>>> columns;
  for (int k = 0; k < 40; ++k) {  // 40 MiB in blocks of 1 MiB: the heap grows past a step
    columns.push_back(std::make_unique<std::vector<char>>(std::size_t{1} << 20));
  }
  EXPECT_NE(vm_flags_at(columns.back()->data()).find(" hg"), std::string::npos);
}

}  // namespace
