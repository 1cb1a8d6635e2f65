#include "icn/core/grow.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <vector>

namespace {

// A buffer refilled for a size that grows by one each time (a population growing a little
// every tick) is reallocated O(log n) times, not every time as with assign.
TEST(Refill, GrowsGeometrically) {
  std::vector<std::uint32_t> v;
  int reallocations = 0;
  const std::uint32_t* block = nullptr;
  for (std::size_t n = 1000; n <= 3000; ++n) {
    icn::refill(v, n, static_cast<std::uint32_t>(n));
    if (v.data() != block) ++reallocations;
    block = v.data();
  }
  EXPECT_LE(reallocations, 3);
  EXPECT_EQ(v, std::vector<std::uint32_t>(3000, 3000u));
}

TEST(Refill, ContentsAreAssigns) {
  std::vector<int> v{1, 2, 3};
  icn::refill(v, 5, 7);
  EXPECT_EQ(v, (std::vector<int>{7, 7, 7, 7, 7}));
  icn::refill(v, 2, -1);  // shrinking keeps the block
  EXPECT_EQ(v, (std::vector<int>{-1, -1}));
  std::vector<int> src(100);
  std::iota(src.begin(), src.end(), 0);
  icn::refill(v, src.begin(), src.end());
  EXPECT_EQ(v, src);
  icn::refill(v, src.begin() + 10, src.begin() + 20);
  EXPECT_EQ(v, std::vector<int>(src.begin() + 10, src.begin() + 20));
}

TEST(ReserveGeometric, AtLeastDoubles) {
  std::vector<double> v(100, 1.0);
  v.shrink_to_fit();
  const std::size_t before = v.capacity();
  icn::reserve_geometric(v, before + 1);
  EXPECT_GE(v.capacity(), 2 * before);
  icn::reserve_geometric(v, 10 * before);
  EXPECT_GE(v.capacity(), 10 * before);
}

TEST(ResizeGeometric, KeepsWhatFitsAndDropsItWhenGrowing) {
  std::vector<int> v{1, 2, 3, 4};
  v.shrink_to_fit();
  icn::resize_geometric(v, 3);  // no growth: the first entries stay
  EXPECT_EQ(v, (std::vector<int>{1, 2, 3}));
  icn::resize_geometric(v, 5);  // grows: nothing copied into the new block
  EXPECT_EQ(v, std::vector<int>(5, 0));
  EXPECT_GE(v.capacity(), 8u);  // at least double the 4 it had
}

}  // namespace
