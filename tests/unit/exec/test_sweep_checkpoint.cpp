#include "icn/exec/sweep_checkpoint.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstring>
#include <filesystem>

#include "icn/core/error.h"
#include "icn/exec/signals.h"
#include "icn/exec/sweep.h"
#include "icn/model/analytic.h"
#include "sweep_test_util.h"

namespace icn::exec {
namespace {

namespace fs = std::filesystem;

// Tasks started by the counting model; it requests a stop (as SIGTERM would) when the
// count reaches g_stop_at, so a test interrupts a sweep at a chosen, reproducible moment.
std::atomic<std::int64_t> g_started{0};
std::atomic<std::int64_t> g_stop_at{-1};

const model::ModelInfo& counting_ishigami() {
  static const model::ModelInfo info = [] {
    model::ModelInfo m = model::ishigami_info();
    const model::ModelFactory inner = m.make;
    m.make = [inner](const ParamValues& p, const rng::Key& k, const model::ExecOptions& o) {
      if (++g_started == g_stop_at.load()) request_stop(SIGTERM);
      return inner(p, k, o);
    };
    return m;
  }();
  return info;
}

SweepSpec noisy_ishigami(std::int64_t n_points, std::int64_t replicates, std::int64_t chunk) {
  SweepSpec s;
  s.model = &counting_ishigami();
  for (std::int64_t p = 0; p < n_points; ++p) {
    ParamValues v(s.model->schema);
    v.set("x1", Value(-1.0 + 0.5 * static_cast<double>(p)), "test");
    v.set("x2", Value(0.3), "test");
    v.set("noise_sd", Value(2.0), "test");
    s.points.push_back(v);
  }
  s.replicates = replicates;
  s.chunk = chunk;
  s.ticks = 3;
  s.master_seed = 77;
  s.keep_runs = true;
  s.resilience.checkpoint_every = 0;
  return s;
}

using testing::expect_same_stats;
using testing::run_on;
using testing::same_bits;

void expect_same_results(const SweepResults& r, const SweepResults& ref) {
  ASSERT_FALSE(r.interrupted);
  for (std::size_t k = 0; k < ref.series.size(); ++k) expect_same_stats(r.series[k], ref.series[k]);
  for (std::size_t j = 0; j < ref.final_stats.size(); ++j)
    expect_same_stats(r.final_stats[j], ref.final_stats[j]);
  EXPECT_EQ(r.runs.point, ref.runs.point);
  EXPECT_EQ(r.runs.replicate, ref.runs.replicate);
  EXPECT_EQ(r.runs.status, ref.runs.status);
  for (std::size_t j = 0; j < ref.runs.finals.size(); ++j)
    EXPECT_TRUE(same_bits(r.runs.finals[j], ref.runs.finals[j]));
  for (std::size_t k = 0; k < ref.runs.last.size(); ++k)
    EXPECT_TRUE(same_bits(r.runs.last[k], ref.runs.last[k]));
  EXPECT_TRUE(same_bits(r.runs.series, ref.runs.series));
  EXPECT_EQ(r.tasks_done, ref.n_points * ref.replicates);
}

class SweepCheckpoint : public ::testing::Test {
 protected:
  void SetUp() override {
    clear_stop_request();
    g_started = 0;
    g_stop_at = -1;
    std::string templ = (fs::temp_directory_path() / "icn_sweep_ckpt_XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    path_ = (dir_ / "sweep.ckpt").string();
  }
  void TearDown() override {
    clear_stop_request();
    g_stop_at = -1;
    fs::remove_all(dir_);
  }

  /// Runs `spec` on `ranks`, stopped after `stop_after` task starts (-1: never).
  SweepResults run_stopped(SweepSpec spec, int ranks, std::int64_t stop_after) {
    clear_stop_request();
    g_started = 0;
    g_stop_at = stop_after;
    spec.resilience.checkpoint = path_;
    SweepResults r = run_on(ranks, spec);
    g_stop_at = -1;
    clear_stop_request();
    return r;
  }

  SweepSpec resumed(SweepSpec spec) {
    spec.resilience.checkpoint = path_;
    spec.resilience.resume_from = load_resume_checkpoint(spec, path_, false);
    return spec;
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(SweepCheckpoint, ResumeAfterAStopGivesBitIdenticalResultsAtAnyRankCount) {
  const SweepSpec spec = noisy_ishigami(5, 23, 4);  // 115 tasks, 30 chunks
  const SweepResults ref = run_on(1, spec);
  struct Case {
    std::int64_t stop_after;
    int ranks_before, ranks_after, threads;
  };
  for (const Case c : {Case{1, 1, 1, 1}, Case{9, 2, 1, 1}, Case{40, 1, 3, 2}, Case{77, 3, 2, 1},
                       Case{100, 2, 2, 2}}) {
    SCOPED_TRACE("stop after " + std::to_string(c.stop_after) + " tasks, " +
                 std::to_string(c.ranks_before) + " -> " + std::to_string(c.ranks_after) +
                 " ranks");
    SweepSpec s = spec;
    s.threads = c.threads;
    const SweepResults stopped = run_stopped(s, c.ranks_before, c.stop_after);
    ASSERT_TRUE(stopped.interrupted);
    EXPECT_EQ(stopped.stop_reason, "SIGTERM");
    EXPECT_LT(stopped.tasks_done, 115);
    EXPECT_EQ(stopped.checkpoints_written, 1);
    ASSERT_TRUE(fs::exists(path_));

    const SweepResults r = run_on(c.ranks_after, resumed(s));
    EXPECT_EQ(r.tasks_resumed, stopped.tasks_done);
    expect_same_results(r, ref);
  }
}

TEST_F(SweepCheckpoint, RepeatedStopsAndResumesStillAddUp) {
  const SweepSpec spec = noisy_ishigami(4, 10, 3);
  const SweepResults ref = run_on(2, spec);
  SweepResults r = run_stopped(spec, 2, 5);
  ASSERT_TRUE(r.interrupted);
  std::int64_t previous = r.tasks_done;
  for (int round = 0; round < 20 && r.interrupted; ++round) {
    clear_stop_request();
    g_started = 0;
    g_stop_at = 6;  // a few more tasks each time
    SweepSpec s = resumed(spec);
    r = run_on(1 + round % 3, s);
    g_stop_at = -1;
    clear_stop_request();
    EXPECT_GE(r.tasks_done, previous);
    previous = r.tasks_done;
  }
  expect_same_results(r, ref);
}

TEST_F(SweepCheckpoint, PeriodicCheckpointsAndACompleteCheckpointResumeWithoutWork) {
  SweepSpec spec = noisy_ishigami(3, 8, 2);
  spec.resilience.checkpoint_every = 1e-9;  // at every opportunity
  const SweepResults full = run_stopped(spec, 2, -1);
  ASSERT_FALSE(full.interrupted);
  EXPECT_GT(full.checkpoints_written, 1);
  const Checkpoint c = read_checkpoint(path_);
  EXPECT_EQ(c.done.count(), 12U);  // all 3 × 4 chunks
  EXPECT_EQ(static_cast<std::int64_t>(c.sequence), full.checkpoints_written);

  g_started = 0;
  const SweepResults again = run_on(3, resumed(spec));
  EXPECT_EQ(g_started.load(), 0);  // nothing ran again
  EXPECT_EQ(again.tasks_resumed, 24);
  expect_same_results(again, full);
}

TEST_F(SweepCheckpoint, MismatchingCheckpointIsRefusedUnlessForced) {
  const SweepSpec spec = noisy_ishigami(3, 8, 2);
  ASSERT_TRUE(run_stopped(spec, 1, 3).interrupted);

  SweepSpec other_seed = spec;
  other_seed.master_seed = 78;
  EXPECT_THROW(load_resume_checkpoint(other_seed, path_, false), InputError);
  EXPECT_NO_THROW(load_resume_checkpoint(other_seed, path_, true));

  SweepSpec other_point = spec;
  other_point.points[1].set("x2", Value(0.4), "test");
  EXPECT_THROW(load_resume_checkpoint(other_point, path_, false), InputError);

  SweepSpec other_chunk = spec;  // another chunking: the done set cannot apply, even forced
  other_chunk.chunk = 3;
  EXPECT_THROW(load_resume_checkpoint(other_chunk, path_, true), InputError);

  SweepSpec more_replicates = spec;
  more_replicates.replicates = 9;
  EXPECT_THROW(load_resume_checkpoint(more_replicates, path_, false), InputError);
}

TEST_F(SweepCheckpoint, IdentityIgnoresRanksThreadsAndMode) {
  SweepSpec a = noisy_ishigami(3, 8, 2);
  SweepSpec b = a;
  b.threads = 7;
  b.omp_mode = OmpMode::kInside;
  b.resilience.checkpoint_every = 5;
  const ChunkPlan plan(3, 8, 2);
  EXPECT_EQ(sweep_identity(a, plan), sweep_identity(b, plan));
  b.ticks = 4;
  EXPECT_NE(sweep_identity(a, plan).config_hash, sweep_identity(b, plan).config_hash);
  b = a;
  b.keep_runs = false;
  EXPECT_NE(sweep_identity(a, plan).config_hash, sweep_identity(b, plan).config_hash);
  b = a;
  b.points[2].set("noise_sd", Value(2.5), "test");
  EXPECT_EQ(sweep_identity(a, plan).config_hash, sweep_identity(b, plan).config_hash);
  EXPECT_NE(sweep_identity(a, plan).design_hash, sweep_identity(b, plan).design_hash);
  EXPECT_EQ(sweep_identity(a, plan).n_units, 12U);
}

TEST_F(SweepCheckpoint, APassedDeadlineStopsBeforeAnyTaskAndCheckpoints) {
  SweepSpec spec = noisy_ishigami(3, 8, 2);
  spec.resilience.deadline = Deadline(WallClock::now(), 0);
  const SweepResults r = run_stopped(spec, 2, -1);
  EXPECT_TRUE(r.interrupted);
  EXPECT_EQ(r.stop_reason, "deadline");
  EXPECT_EQ(r.tasks_done, 0);
  EXPECT_EQ(g_started.load(), 0);
  EXPECT_EQ(read_checkpoint(path_).done.count(), 0U);
}

TEST_F(SweepCheckpoint, UnwritableCheckpointIsAWarningAndTheSweepCompletes) {
  SweepSpec spec = noisy_ishigami(2, 4, 2);
  spec.resilience.checkpoint = (dir_ / "no" / "such" / "dir" / "c.ckpt").string();
  const SweepResults ref = run_on(1, noisy_ishigami(2, 4, 2));
  const SweepResults r = run_on(1, spec);
  EXPECT_EQ(r.checkpoints_written, 0);
  EXPECT_NE(r.checkpoint_error.find("No such file or directory"), std::string::npos)
      << r.checkpoint_error;
  expect_same_results(r, ref);
}

TEST_F(SweepCheckpoint, PayloadThatDoesNotFitIsRefused) {
  const SweepSpec spec = noisy_ishigami(3, 8, 2);
  const SweepResults stopped = run_stopped(spec, 1, 7);  // its arrays have the sweep's sizes
  ASSERT_TRUE(stopped.interrupted);
  const Checkpoint good = read_checkpoint(path_);
  const ChunkPlan plan(3, 8, 2);
  SweepResults into = stopped;
  const RestoredSweep restored = restore_sweep_checkpoint(good, plan, into, path_);
  EXPECT_EQ(restored.done, good.done);

  for (const std::size_t blob : {0U, 1U}) {
    Checkpoint bad = good;
    bad.blobs[blob].data.resize(bad.blobs[blob].data.size() - 1);
    into = stopped;
    EXPECT_THROW(restore_sweep_checkpoint(bad, plan, into, path_), InputError) << blob;
  }
  Checkpoint bad = good;
  bad.done.set(bad.done.size() - 1);  // claims a chunk it has no results for
  into = stopped;
  EXPECT_THROW(restore_sweep_checkpoint(bad, plan, into, path_), InputError);
  const ChunkPlan other(3, 8, 4);
  into = stopped;
  EXPECT_THROW(restore_sweep_checkpoint(good, other, into, path_), InputError);
}

}  // namespace
}  // namespace icn::exec
