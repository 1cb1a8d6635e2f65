#include "icn/exec/buckets.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace {

// A deterministic scatter of items over buckets: item i emits (i * 7919) % 13 entries
// into buckets spread by a multiplicative hash, so buckets get entries from all ranges.
template <class Emit>
void entries_of(std::uint32_t i, std::uint32_t buckets, Emit&& emit) {
  const std::uint32_t count = (i * 7919u) % 4u;
  for (std::uint32_t k = 0; k < count; ++k)
    emit((i * 2654435761u + k * 40503u) % buckets, i * 4 + k);
}

// Few buckets (long lists) and more buckets than items (the model's per-slot lists,
// where most buckets are empty or short: 15013 on a team, 30011 - more than twice the
// items - on one thread whatever the team); the scratch reused across teams, as the model
// does.
class GroupByBucket : public ::testing::TestWithParam<std::uint32_t> {};

TEST_P(GroupByBucket, EveryTeamGivesTheSerialGroupingInItemOrder) {
  constexpr std::uint32_t kItems = 10007;
  const std::uint32_t kBuckets = GetParam();
  // The reference: one serial pass, bucket by bucket in item order.
  std::vector<std::vector<std::uint32_t>> expect(kBuckets);
  for (std::uint32_t i = 0; i < kItems; ++i) {
    entries_of(i, kBuckets, [&](std::uint32_t b, std::uint32_t v) { expect[b].push_back(v); });
  }
  icn::exec::BucketScratch scratch;
  for (int threads : {1, 2, 3, 4, 2}) {
    std::vector<std::uint32_t> start{5}, entries{7, 7};
    icn::exec::group_by_bucket(
        kItems, kBuckets, threads,
        [&](std::uint32_t i, auto&& emit) { entries_of(i, kBuckets, emit); }, start, entries,
        scratch);
    ASSERT_EQ(start.size(), kBuckets + 1) << threads;
    for (std::uint32_t b = 0; b < kBuckets; ++b) {
      const std::vector<std::uint32_t> got(entries.begin() + start[b],
                                           entries.begin() + start[b + 1]);
      EXPECT_EQ(got, expect[b]) << "bucket " << b << ", " << threads << " threads";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Buckets, GroupByBucket, ::testing::Values(1u, 97u, 15013u, 30011u));

TEST(SelectItems, EveryTeamListsTheKeptItemsInAscendingOrder) {
  constexpr std::uint32_t kItems = 50021;
  const auto keep = [](std::uint32_t i) { return (i * 2654435761u) % 7u < 2u; };
  std::vector<std::uint32_t> expect;
  for (std::uint32_t i = 0; i < kItems; ++i) {
    if (keep(i)) expect.push_back(i);
  }
  icn::exec::SelectScratch scratch;  // reused across calls, as the model does
  for (int threads : {1, 2, 3, 4, 2}) {
    std::vector<std::uint32_t> got{1, 2, 3};  // replaced, not appended to
    icn::exec::select_items(kItems, threads, keep, got, scratch);
    EXPECT_EQ(got, expect) << threads << " threads";
  }
  std::vector<std::uint32_t> none{9};
  icn::exec::select_items(0, 2, keep, none, scratch);
  EXPECT_TRUE(none.empty());
}

}  // namespace

// Groups with duplicates (values from a small range) and empty groups: each group's
// distinct values, sorted, at its front, and `at` their places in a packed list.
TEST(SortUniqueGroups, EveryTeamGivesEachGroupsDistinctValuesAndTheirPlaces) {
  constexpr std::uint32_t kGroups = 3001;
  std::vector<std::uint32_t> start{0}, entries;
  std::vector<std::vector<std::uint32_t>> expect(kGroups);
  for (std::uint32_t g = 0; g < kGroups; ++g) {
    const std::uint32_t count = (g * 7919u) % 9u;
    for (std::uint32_t k = 0; k < count; ++k) {
      const std::uint32_t v = (g * 2654435761u + k * 40503u) % 5u;
      entries.push_back(v);
      expect[g].push_back(v);
    }
    start.push_back(static_cast<std::uint32_t>(entries.size()));
    std::sort(expect[g].begin(), expect[g].end());
    expect[g].erase(std::unique(expect[g].begin(), expect[g].end()), expect[g].end());
  }
  for (int threads : {1, 2, 4}) {
    std::vector<std::uint32_t> work = entries;
    std::vector<std::uint64_t> at{9, 9};  // replaced
    icn::exec::sort_unique_groups(kGroups, start, work, at, threads);
    ASSERT_EQ(at.size(), kGroups + 1) << threads;
    EXPECT_EQ(at[0], 0u);
    for (std::uint32_t g = 0; g < kGroups; ++g) {
      ASSERT_EQ(at[g + 1] - at[g], expect[g].size()) << "group " << g << ", " << threads;
      const std::vector<std::uint32_t> got(work.begin() + start[g],
                                           work.begin() + start[g] + expect[g].size());
      EXPECT_EQ(got, expect[g]) << "group " << g << ", " << threads << " threads";
    }
  }
}
