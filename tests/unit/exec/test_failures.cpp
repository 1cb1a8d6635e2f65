// The failed-run policy: run_task records, retries and never throws a run's failure; a
// sweep leaves failed runs out of its statistics, identically on any rank count.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "icn/exec/replicate.h"
#include "icn/exec/sweep.h"
#include "icn/model/faulty.h"
#include "sweep_test_util.h"

namespace icn::exec {
namespace {

const model::ModelInfo& faulty() {
  static const model::ModelInfo info = model::faulty_info();
  return info;
}

ParamValues faulty_at(double x, double fail_x, const std::string& failure,
                      std::int64_t transient = 0) {
  ParamValues v(faulty().schema);
  v.set("x", Value(x), "test");
  v.set("fail_x", Value(fail_x), "test");
  v.set("failure", Value(failure), "test");
  v.set("transient", Value(transient), "test");
  return v;
}

bool all_nan(const std::vector<double>& v) {
  for (const double d : v) {
    if (!std::isnan(d)) return false;
  }
  return !v.empty();
}

TEST(FailedRuns, AModelErrorIsRecordedAfterItsRetries) {
  const ReplicateResult r =
      run_task(faulty(), faulty_at(0.5, 0.0, "error"), {101, 0, 0}, 5, {1}, {2, 0});
  EXPECT_EQ(r.status, RunStatus::kError);
  EXPECT_EQ(r.attempts, 3);
  EXPECT_NE(r.message.find("faulty: the chosen failure at tick 1"), std::string::npos) << r.message;
  EXPECT_EQ(r.series.size(), 6u);
  EXPECT_TRUE(all_nan(r.series));
  EXPECT_TRUE(all_nan(r.finals));
}

TEST(FailedRuns, ARetryCuresATransientFailureWithTheSameNumbers) {
  const ParamValues healthy = faulty_at(0.5, 2.0, "error");
  const ReplicateResult ref = run_task(faulty(), healthy, {102, 3, 4}, 5, {1}, {0, 0});
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(ref.attempts, 1);
  const ReplicateResult r =
      run_task(faulty(), faulty_at(0.5, 0.0, "error", 1), {102, 3, 4}, 5, {1}, {1, 0});
  EXPECT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(r.message, "");
  EXPECT_EQ(r.series, ref.series);  // same key: the retry draws the same numbers
  // Without a retry the same transient failure stays a failure.
  const ReplicateResult once =
      run_task(faulty(), faulty_at(0.5, 0.0, "error", 1), {102, 3, 5}, 5, {1}, {0, 0});
  EXPECT_EQ(once.status, RunStatus::kError);
  EXPECT_EQ(once.attempts, 1);
}

TEST(FailedRuns, ANonFiniteObservableIsAFailure) {
  ParamValues v = faulty_at(0.5, 0.0, "nan");
  v.set("fail_tick", Value(std::int64_t{3}), "test");
  const ReplicateResult r = run_task(faulty(), v, {103, 0, 0}, 5, {1}, {0, 0});
  EXPECT_EQ(r.status, RunStatus::kNonFinite);
  EXPECT_EQ(r.message, "observable 'y' is nan at tick 3");
}

TEST(FailedRuns, ASlowRunTimesOutBetweenTicks) {
  ParamValues v = faulty_at(0.5, 0.0, "slow");
  v.set("slow_seconds", Value(0.05), "test");
  const ReplicateResult r = run_task(faulty(), v, {104, 0, 0}, 1000, {1}, {1, 0.12});
  EXPECT_EQ(r.status, RunStatus::kTimeout);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_NE(r.message.find("timed out after tick"), std::string::npos) << r.message;
  EXPECT_LT(r.wall_seconds, 5.0);  // it did not run the 1000 slow ticks
  // The same run without a timeout limit is merely slow: it succeeds.
  v.set("slow_seconds", Value(0.0), "test");
  EXPECT_TRUE(run_task(faulty(), v, {104, 0, 0}, 20, {1}, {0, 0.0}).ok());
}

TEST(FailedRuns, BadParametersAreStillBadInput) {
  model::ModelInfo info = faulty();
  info.make = [](const ParamValues&, const rng::Key&,
                 const model::ExecOptions&) -> std::unique_ptr<model::Model> {
    throw InputError("x and y disagree");
  };
  EXPECT_THROW(run_task(info, faulty_at(0.5, 2.0, "error"), {105, 0, 0}, 3, {1}, {3, 0}),
               InputError);
}

/// Three points: x = 0.1 and 0.5 fail at random (fail_fraction), x = 0.9 >= fail_x always.
SweepSpec faulty_sweep() {
  SweepSpec s;
  s.model = &faulty();
  for (const double x : {0.1, 0.5, 0.9}) {
    ParamValues v = faulty_at(x, 0.8, "error");
    v.set("fail_fraction", Value(0.3), "test");
    s.points.push_back(v);
  }
  s.replicates = 20;
  s.chunk = 6;
  s.ticks = 4;
  s.master_seed = 77;
  s.failures = {1, 0};
  return s;
}

/// Whether the faulty model's keyed draw makes run (point, replicate) fail.
bool draws_failure(const SweepSpec& s, std::int64_t point, std::int64_t replicate) {
  const rng::Key key = rng::Key::derive(
      {s.master_seed, static_cast<std::uint32_t>(point), static_cast<std::uint32_t>(replicate)});
  rng::Stream st(key, 0, rng::Stage::kTest, 0);
  return rng::uniform(st) < 0.3;
}

TEST(FailedRuns, ASweepLeavesFailedRunsOutOfItsStatisticsAndCountsThem) {
  const SweepSpec spec = faulty_sweep();
  const SweepResults r = testing::run_on(1, spec);
  const RunTable& t = r.runs;
  std::int64_t expected_failures = 0;
  for (std::int64_t p = 0; p < 3; ++p) {
    double sum = 0;
    std::int64_t ok = 0;
    for (std::int64_t rep = 0; rep < spec.replicates; ++rep) {
      const auto row = static_cast<std::size_t>(p * spec.replicates + rep);
      const bool fails = p == 2 || draws_failure(spec, p, rep);
      expected_failures += fails ? 1 : 0;
      EXPECT_EQ(t.status[row],
                static_cast<std::int64_t>(fails ? RunStatus::kError : RunStatus::kOk))
          << "point " << p << " replicate " << rep;
      EXPECT_EQ(t.attempts[row], fails ? 2 : 1);
      EXPECT_EQ(t.message[row].empty(), !fails);
      if (!fails) {
        sum += t.finals[0][row];
        ++ok;
      } else {
        EXPECT_TRUE(std::isnan(t.finals[0][row]));
      }
    }
    const auto cell = static_cast<std::size_t>(p);
    EXPECT_EQ(r.final_stats[0].count[cell], ok);
    if (ok > 0) {
      EXPECT_NEAR(r.final_stats[0].mean[cell], sum / static_cast<double>(ok), 1e-12);
    } else {
      EXPECT_TRUE(std::isnan(r.final_stats[0].mean[cell]));
    }
  }
  EXPECT_GT(expected_failures, 20);  // point 2's 20, and some of the others
  EXPECT_EQ(static_cast<std::int64_t>(failed_rows(t).size()), expected_failures);
}

TEST(FailedRuns, ASweepWithFailuresIsBitIdenticalOnAnyRankCount) {
  SweepSpec spec = faulty_sweep();
  const SweepResults ref = testing::run_on(1, spec);
  spec.threads = 2;
  const SweepResults r = testing::run_on(3, spec);
  testing::expect_same_stats(r.final_stats[0], ref.final_stats[0]);
  testing::expect_same_stats(r.series[0], ref.series[0]);
  EXPECT_EQ(r.runs.status, ref.runs.status);
  EXPECT_EQ(r.runs.attempts, ref.runs.attempts);
  EXPECT_EQ(r.runs.message, ref.runs.message);
}

}  // namespace
}  // namespace icn::exec
