#include "icn/exec/chunk_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "icn/core/error.h"

namespace icn::exec {
namespace {

TEST(ChunkPlan, CutsEachPointsReplicatesIntoFixedChunks) {
  const ChunkPlan plan(3, 10, 4);
  EXPECT_EQ(plan.chunks_per_point(), 3);
  EXPECT_EQ(plan.n_chunks(), 9);
  EXPECT_EQ(plan.n_tasks(), 30);
  const Chunk c = plan.chunk(5);  // point 1, third chunk: replicates 8, 9
  EXPECT_EQ(c.point, 1);
  EXPECT_EQ(c.index, 2);
  EXPECT_EQ(c.first_replicate, 8);
  EXPECT_EQ(c.n_replicates, 2);
  EXPECT_EQ(plan.chunk(3).first_replicate, 0);
  EXPECT_EQ(plan.chunk(3).n_replicates, 4);
  EXPECT_EQ(plan.task_index(2, 7), 27);
  // Every task is in exactly one chunk.
  std::set<std::pair<std::int64_t, std::int64_t>> tasks;
  for (std::int64_t id = 0; id < plan.n_chunks(); ++id) {
    const Chunk k = plan.chunk(id);
    for (std::int64_t r = 0; r < k.n_replicates; ++r)
      EXPECT_TRUE(tasks.insert({k.point, k.first_replicate + r}).second);
  }
  EXPECT_EQ(static_cast<std::int64_t>(tasks.size()), plan.n_tasks());
  EXPECT_THROW(plan.chunk(9), RuntimeError);
}

TEST(ChunkPlan, ChunkLargerThanReplicatesIsOneChunkPerPoint) {
  const ChunkPlan plan(2, 3, 16);
  EXPECT_EQ(plan.chunks_per_point(), 1);
  EXPECT_EQ(plan.chunk(1).point, 1);
  EXPECT_EQ(plan.chunk(1).n_replicates, 3);
}

TEST(ChunkPlan, RejectsEmptySizes) {
  EXPECT_THROW(ChunkPlan(0, 1, 1), InputError);
  EXPECT_THROW(ChunkPlan(1, 0, 1), InputError);
  EXPECT_THROW(ChunkPlan(1, 1, 0), InputError);
}

TEST(ChunkPlan, DispatchesLongestPointsFirstWithChunksTogether) {
  const ChunkPlan plan(4, 5, 2);  // 3 chunks per point
  const std::vector<double> cost = {1.0, 3.0, 2.0, 3.0};
  const std::vector<std::int64_t> want = {3, 4, 5, 9, 10, 11,
                                          6, 7, 8, 0, 1,  2};  // points 1, 3 (tie: index), 2, 0
  EXPECT_EQ(plan.dispatch_order(cost), want);
}

TEST(WorkQueue, GuidedBatchesCoverEveryChunkOnceAndShrink) {
  const ChunkPlan plan(100, 1, 1);
  const std::vector<double> cost(100, 1.0);
  WorkQueue q(plan, cost, 2, 1000);
  // remaining / (2 ranks × 2): 100/4 = 25, then 75/4 = 18.75 -> 19, 56/4 = 14, 42/4 = 10.5 -> 11.
  std::vector<std::size_t> sizes;
  std::vector<std::int64_t> all;
  while (!q.empty()) {
    const auto b = q.take(1);
    ASSERT_FALSE(b.empty());
    sizes.push_back(b.size());
    all.insert(all.end(), b.begin(), b.end());
  }
  ASSERT_GE(sizes.size(), 4u);
  EXPECT_EQ(sizes[0], 25u);
  EXPECT_EQ(sizes[1], 19u);
  EXPECT_EQ(sizes[2], 14u);
  EXPECT_EQ(sizes[3], 11u);
  EXPECT_EQ(sizes.back(), 1u);
  EXPECT_TRUE(std::is_sorted(sizes.rbegin(), sizes.rend()));
  std::vector<std::int64_t> want(100);
  std::iota(want.begin(), want.end(), 0);
  EXPECT_EQ(all, want);
  EXPECT_TRUE(q.take(1).empty());
}

TEST(WorkQueue, RespectsMinimumAndMaximumBatch) {
  const ChunkPlan plan(10, 1, 1);
  const std::vector<double> cost(10, 1.0);
  WorkQueue q(plan, cost, 64, 3);  // many ranks: the cost target alone would give 1 chunk
  EXPECT_EQ(q.take(2).size(), 2u);
  EXPECT_EQ(q.take(5).size(), 3u);  // capped
  EXPECT_EQ(q.remaining_chunks(), 5);
  EXPECT_EQ(q.take(1).size(), 1u);
}

TEST(WorkQueue, CostWeightsTheBatches) {
  // One expensive point (cost 30) and thirty cheap ones: the expensive one goes first and
  // alone, because it already exceeds remaining / (2 × 1 rank) = 60 / 2 = 30.
  const ChunkPlan plan(31, 1, 1);
  std::vector<double> cost(31, 1.0);
  cost[17] = 30.0;
  WorkQueue q(plan, cost, 1, 1000);
  EXPECT_EQ(q.take(1), std::vector<std::int64_t>{17});
  EXPECT_EQ(q.take(1).size(), 15u);  // 30 remaining -> target 15
}

}  // namespace
}  // namespace icn::exec
