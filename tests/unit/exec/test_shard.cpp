#include "icn/exec/shard.h"

#include <gtest/gtest.h>

#include "icn/core/error.h"

namespace icn::exec {
namespace {

TEST(Shard, ParsesIndexOverCount) {
  const Shard s = parse_shard("2/5");
  EXPECT_EQ(s.index, 2);
  EXPECT_EQ(s.count, 5);
  EXPECT_TRUE(s.active());
  EXPECT_FALSE(parse_shard("0/1").active());
}

TEST(Shard, RejectsMalformedText) {
  for (const char* bad : {"", "3", "a/2", "1/b", "2/2", "-1/3", "0/0", "1/2/3", "1 /2", "/2"}) {
    EXPECT_THROW(parse_shard(bad), InputError) << bad;
  }
}

TEST(Shard, ErrorNamesTheOption) {
  try {
    parse_shard("4/4", "--shard");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--shard"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("4/4"), std::string::npos);
  }
}

TEST(Shard, RangesTileTheDesignInOrder) {
  // 10 points over 4 shards: floor(i*10/4) = 0, 2, 5, 7, 10.
  const std::int64_t expect[] = {0, 2, 5, 7, 10};
  for (std::int64_t i = 0; i < 4; ++i) {
    const PointRange r = shard_points(10, Shard{i, 4});
    EXPECT_EQ(r.first, expect[i]);
    EXPECT_EQ(r.last, expect[i + 1]);
  }
  for (std::int64_t n = 1; n <= 13; ++n) {
    std::int64_t next = 0;
    for (std::int64_t i = 0; i < n; ++i) {
      const PointRange r = shard_points(13, Shard{i, n});
      EXPECT_EQ(r.first, next);
      EXPECT_GE(r.size(), 13 / n);
      EXPECT_LE(r.size(), 13 / n + 1);
      next = r.last;
    }
    EXPECT_EQ(next, 13);
  }
}

TEST(Shard, EmptyShardIsBadInput) {
  EXPECT_THROW(shard_points(3, Shard{0, 4}), InputError);
  EXPECT_EQ(shard_points(1, Shard{0, 1}).size(), 1);
}

TEST(Shard, ThreadsFollowTheRequestThenOmpThenSlurm) {
  SlurmEnv slurm;
  slurm.cpus_per_task = 4;
  EXPECT_EQ(choose_threads(3, true, 2, slurm), 3);
  EXPECT_EQ(choose_threads(0, true, 2, slurm), 2);
  EXPECT_EQ(choose_threads(0, false, 16, slurm), 4);
  EXPECT_EQ(choose_threads(0, false, 16, SlurmEnv{}), 16);
}

TEST(Shard, WarnsWhenThreadsDifferFromAllocatedCpus) {
  SlurmEnv slurm;
  EXPECT_FALSE(thread_mismatch_warning(8, slurm));  // not under Slurm
  slurm.cpus_per_task = 4;
  EXPECT_FALSE(thread_mismatch_warning(4, slurm));
  const auto over = thread_mismatch_warning(8, slurm);
  ASSERT_TRUE(over);
  EXPECT_NE(over->find("share cores"), std::string::npos);
  const auto under = thread_mismatch_warning(2, slurm);
  ASSERT_TRUE(under);
  EXPECT_NE(under->find("idle"), std::string::npos);
}

TEST(Shard, ReadsSlurmCpusPerTask) {
  ::setenv("SLURM_CPUS_PER_TASK", "6", 1);
  ::setenv("SLURM_ARRAY_TASK_ID", "3", 1);
  SlurmEnv e = read_slurm_env();
  EXPECT_EQ(e.cpus_per_task, 6);
  EXPECT_EQ(e.array_task_id, "3");
  ::setenv("SLURM_CPUS_PER_TASK", "x", 1);
  EXPECT_FALSE(read_slurm_env().cpus_per_task);
  ::unsetenv("SLURM_CPUS_PER_TASK");
  ::unsetenv("SLURM_ARRAY_TASK_ID");
  e = read_slurm_env();
  EXPECT_FALSE(e.cpus_per_task);
  EXPECT_FALSE(e.array_task_id);
}

}  // namespace
}  // namespace icn::exec
