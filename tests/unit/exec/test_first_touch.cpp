#include "icn/exec/first_touch.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <numeric>
#include <vector>

#include "icn/core/huge_pages.h"

namespace {

std::vector<std::uint64_t> counting(std::size_t n) {
  std::vector<std::uint64_t> v(n);
  std::iota(v.begin(), v.end(), std::uint64_t{7});
  return v;
}

// Faulting pages in never changes what they hold (here: a block written before, and
// other memory on the same pages at either end).
TEST(PopulatePages, KeepsContents) {
  auto v = counting(300'000);  // 2.4 MB: more than one huge page
  const auto before = v;
  const std::size_t done = icn::populate_pages(v.data() + 3, 200'000 * sizeof(std::uint64_t));
  EXPECT_TRUE(done == 0 || done >= 200'000 * sizeof(std::uint64_t));  // 0: an older kernel
  EXPECT_EQ(v, before);
  EXPECT_EQ(icn::populate_pages(nullptr, 100), 0u);
  EXPECT_EQ(icn::populate_pages(v.data(), 0), 0u);
}

// Within the capacity the plan moves nothing: the block stays and the growth that follows
// needs no reallocation.
TEST(GrowthPlan, WithinCapacityKeepsTheBlock) {
  for (int threads : {1, 2, 3}) {
    auto v = counting(1000);
    v.reserve(500'000);
    const auto* block = v.data();
    icn::exec::GrowthPlan plan(threads);
    plan.grow(v, 400'000);
    plan.apply();
    EXPECT_EQ(v.data(), block);
    EXPECT_EQ(v, counting(1000));
    for (std::uint64_t k = 1000; k < 400'000; ++k) v.push_back(k + 7);
    EXPECT_EQ(v.data(), block);
    EXPECT_EQ(v, counting(400'000));
  }
}

// Beyond the capacity the elements move into a block at least twice as large, in order,
// for several vectors of different types in one plan.
TEST(GrowthPlan, BeyondCapacityMovesEveryElement) {
  for (int threads : {2, 4}) {
    auto a = counting(100'000);
    a.shrink_to_fit();
    std::vector<std::array<std::int16_t, 3>> b(50'000, {1, -2, 3});
    b.shrink_to_fit();
    const std::size_t cap_a = a.capacity(), cap_b = b.capacity();
    icn::exec::GrowthPlan plan(threads);
    plan.grow(a, cap_a + 1);
    plan.grow(b, 3 * cap_b);
    plan.grow(a, 10);  // no growth: nothing planned
    plan.apply();
    EXPECT_GE(a.capacity(), 2 * cap_a);
    EXPECT_GE(b.capacity(), 3 * cap_b);
    EXPECT_EQ(a, counting(100'000));
    EXPECT_EQ(b, (std::vector<std::array<std::int16_t, 3>>(50'000, {1, -2, 3})));
    // The plan is empty again after apply: a second apply changes nothing.
    const auto* block = a.data();
    plan.apply();
    EXPECT_EQ(a.data(), block);
  }
}

// resize() leaves what v.resize() would: the old elements, then value-initialised ones;
// on one thread at once, on a team at apply().
TEST(GrowthPlan, ResizeIsVectorsResize) {
  for (int threads : {1, 2, 3}) {
    auto v = counting(70'000);
    v.shrink_to_fit();
    std::vector<std::uint16_t> w(10, 5);
    icn::exec::GrowthPlan plan(threads);
    plan.resize(v, 500'000);
    plan.resize(w, 3);  // shrinking: at once
    EXPECT_EQ(w, std::vector<std::uint16_t>(3, 5));
    EXPECT_EQ(v.size(), threads == 1 ? 500'000u : 70'000u);
    plan.apply();
    auto want = counting(70'000);
    want.resize(500'000);
    EXPECT_EQ(v, want);
  }
}

// On one thread a plan moves and faults nothing (the writer's own faults cost the same).
TEST(GrowthPlan, OneThreadOnlyResizes) {
  auto v = counting(1000);
  v.shrink_to_fit();
  const auto* block = v.data();
  icn::exec::GrowthPlan plan(1);
  plan.grow(v, 100'000);
  plan.apply();
  EXPECT_EQ(v.data(), block);
  EXPECT_EQ(v.capacity(), 1000u);
}

}  // namespace
