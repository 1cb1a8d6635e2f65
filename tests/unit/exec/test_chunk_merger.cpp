#include "icn/exec/chunk_merger.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>

#include "icn/core/rng.h"
#include "icn/stats/accumulator.h"

namespace icn::exec {
namespace {

// An aggregate that records which chunks went into it, in merge order.
using Trace = std::vector<std::int64_t>;

struct TraceMerger {
  explicit TraceMerger(const ChunkPlan& plan)
      : merger(
            plan,
            [](Trace& into, Trace&& from) { into.insert(into.end(), from.begin(), from.end()); },
            [this](std::int64_t point, Trace&& merged) { done[point] = merged; }) {}
  ChunkMerger<Trace> merger;
  std::map<std::int64_t, Trace> done;
};

TEST(ChunkMerger, MergesInChunkOrderWhateverTheArrivalOrder) {
  const ChunkPlan plan(1, 8, 2);  // 4 chunks
  std::vector<std::int64_t> arrival = {0, 1, 2, 3};
  int permutations = 0;
  do {
    TraceMerger m(plan);
    for (const std::int64_t id : arrival) {
      EXPECT_TRUE(m.done.empty());
      m.merger.add(id, Trace{plan.chunk(id).index});
    }
    ASSERT_EQ(m.done.size(), 1u);
    EXPECT_EQ(m.done[0], (Trace{0, 1, 2, 3}));
    EXPECT_EQ(m.merger.buffered_chunks(), 0u);
    EXPECT_EQ(m.merger.open_points(), 0u);
    EXPECT_TRUE(m.merger.complete());
    ++permutations;
  } while (std::next_permutation(arrival.begin(), arrival.end()));
  EXPECT_EQ(permutations, 24);
}

TEST(ChunkMerger, BuffersEarlyChunksAndReleasesPointsAsTheyComplete) {
  const ChunkPlan plan(2, 3, 1);  // 3 chunks per point: ids 0..2 point 0, 3..5 point 1
  TraceMerger m(plan);
  m.merger.add(5, Trace{2});
  m.merger.add(4, Trace{1});
  EXPECT_EQ(m.merger.buffered_chunks(), 2u);
  m.merger.add(2, Trace{2});
  m.merger.add(0, Trace{0});
  EXPECT_EQ(m.merger.buffered_chunks(), 3u);
  m.merger.add(3, Trace{0});  // point 1 drains: 0, then 1 and 2 from the buffer
  EXPECT_EQ(m.done.count(1), 1u);
  EXPECT_EQ(m.done[1], (Trace{0, 1, 2}));
  EXPECT_EQ(m.merger.points_done(), 1);
  EXPECT_FALSE(m.merger.complete());
  m.merger.add(1, Trace{1});
  EXPECT_EQ(m.done[0], (Trace{0, 1, 2}));
  EXPECT_TRUE(m.merger.complete());
  EXPECT_EQ(m.merger.open_points(), 0u);
}

TEST(ChunkMerger, RejectsAChunkSeenTwice) {
  const ChunkPlan plan(1, 4, 1);
  TraceMerger m(plan);
  m.merger.add(2, Trace{2});
  EXPECT_THROW(m.merger.add(2, Trace{2}), RuntimeError);
  m.merger.add(0, Trace{0});
  EXPECT_THROW(m.merger.add(0, Trace{0}), RuntimeError);
}

// With real accumulators: shuffled arrivals give the same bits as the in-order merge.
TEST(ChunkMerger, AccumulatorStatisticsAreBitIdenticalForAnyArrivalOrder) {
  using Agg = stats::Accumulator;
  const std::int64_t replicates = 1000;
  const std::int64_t chunk = 7;
  const ChunkPlan plan(1, replicates, chunk);
  std::vector<double> values(static_cast<std::size_t>(replicates));
  rng::Stream s(rng::Key::from_seed(42), 0, rng::Stage::kTest, 0);
  for (double& v : values) v = 1e6 + rng::normal(s, 0.0, 3.0);
  std::vector<Agg> chunks;
  for (std::int64_t id = 0; id < plan.n_chunks(); ++id) {
    const Chunk c = plan.chunk(id);
    Agg a;
    for (std::int64_t r = 0; r < c.n_replicates; ++r)
      a.add(values[static_cast<std::size_t>(c.first_replicate + r)]);
    chunks.push_back(a);
  }
  const auto merge_in = [&](std::vector<std::int64_t> order) {
    std::optional<Agg> out;
    ChunkMerger<Agg> m(
        plan, [](Agg& into, Agg&& from) { into.merge(from); },
        [&](std::int64_t, Agg&& a) { out = a; });
    for (const std::int64_t id : order) m.add(id, chunks[static_cast<std::size_t>(id)]);
    return *out;
  };
  std::vector<std::int64_t> order(static_cast<std::size_t>(plan.n_chunks()));
  std::iota(order.begin(), order.end(), 0);
  const Agg in_order = merge_in(order);
  EXPECT_EQ(in_order.count(), replicates);
  for (std::uint32_t trial = 0; trial < 5; ++trial) {
    rng::Stream sh(rng::Key::from_seed(7), trial, rng::Stage::kTest, 0);
    rng::shuffle(sh, std::span<std::int64_t>(order));
    const Agg shuffled = merge_in(order);
    EXPECT_TRUE(shuffled == in_order);
    EXPECT_EQ(shuffled.mean(), in_order.mean());
    EXPECT_EQ(shuffled.variance(), in_order.variance());
    EXPECT_EQ(shuffled.quantile(0.5), in_order.quantile(0.5));
  }
}

}  // namespace
}  // namespace icn::exec
