#include "icn/exec/task_farm.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>

#include "icn/exec/detail/wire.h"
#include "local_comm.h"

namespace icn::exec {
namespace {

struct FarmRun {
  std::map<std::int64_t, int> seen;  // chunk id -> times consumed
  std::map<int, std::int64_t> by_rank;
  std::int64_t services = 0;
};

// Runs a farm of `n_chunks` unit-cost chunks on `n_ranks` thread-ranks.
FarmRun run_farm(int n_ranks, std::int64_t n_chunks, std::int64_t min_batch = 1,
                 std::chrono::microseconds task_time = std::chrono::microseconds(200)) {
  const ChunkPlan plan(n_chunks, 1, 1);
  const std::vector<double> cost(static_cast<std::size_t>(n_chunks), 1.0);
  FarmRun out;
  testing::LocalWorld world(n_ranks);
  world.run([&](Comm& comm) {
    std::optional<WorkQueue> queue;
    if (comm.rank() == 0) queue.emplace(plan, cost, comm.size(), 8);
    FarmHooks hooks;
    hooks.execute = [&](std::span<const std::int64_t> ids, const Service& service) {
      detail::Writer w;
      w.put_span(ids);
      for (std::size_t i = 0; i < ids.size(); ++i) {
        std::this_thread::sleep_for(task_time);
        service();
      }
      return w.take();
    };
    hooks.consume = [&](int rank, std::span<const std::byte> payload) {
      detail::Reader r(payload);
      for (const std::int64_t id : r.get_vector<std::int64_t>()) {
        ++out.seen[id];
        ++out.by_rank[rank];
      }
    };
    hooks.tick = [&] { ++out.services; };
    FarmOptions options;
    options.min_batch_chunks = min_batch;
    const FarmStats s = run_task_farm(comm, queue ? &*queue : nullptr, hooks, options);
    EXPECT_GE(s.wall_seconds, 0.0);
  });
  return out;
}

void expect_each_once(const FarmRun& r, std::int64_t n_chunks) {
  ASSERT_EQ(static_cast<std::int64_t>(r.seen.size()), n_chunks);
  for (const auto& [id, times] : r.seen) EXPECT_EQ(times, 1) << "chunk " << id;
}

TEST(TaskFarm, EveryChunkRunsOnceAtAnyRankCount) {
  for (int ranks = 1; ranks <= 5; ++ranks) {
    SCOPED_TRACE(ranks);
    const FarmRun r = run_farm(ranks, 200);
    expect_each_once(r, 200);
    EXPECT_GT(r.services, 0);
  }
}

TEST(TaskFarm, AllRanksIncludingTheManagerGetWork) {
  // 0.3 s of work in 1 ms tasks: long enough that every rank thread gets scheduled.
  const FarmRun r = run_farm(3, 300, 1, std::chrono::milliseconds(1));
  expect_each_once(r, 300);
  for (int rank = 0; rank < 3; ++rank)
    EXPECT_GT(r.by_rank.count(rank) ? r.by_rank.at(rank) : 0, 0) << rank;
}

TEST(TaskFarm, MoreRanksThanChunksEndsCleanly) {
  expect_each_once(run_farm(6, 2), 2);
  expect_each_once(run_farm(4, 1), 1);
  expect_each_once(run_farm(3, 5, 4), 5);
}

TEST(TaskFarm, AFailingTaskPropagates) {
  const ChunkPlan plan(4, 1, 1);
  const std::vector<double> cost(4, 1.0);
  WorkQueue queue(plan, cost, 1, 8);
  const auto comm = make_serial_comm();
  FarmHooks hooks;
  hooks.execute = [](std::span<const std::int64_t> ids, const Service&) -> Bytes {
    if (ids[0] == 2) throw RuntimeError("model failed");
    return {};
  };
  EXPECT_THROW(run_task_farm(*comm, &queue, hooks, {}), RuntimeError);
}

}  // namespace
}  // namespace icn::exec
