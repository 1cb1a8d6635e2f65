#include "icn/exec/signals.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "icn/core/error.h"

namespace icn::exec {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

class StopSignals : public ::testing::Test {
 protected:
  void SetUp() override { clear_stop_request(); }
  void TearDown() override { clear_stop_request(); }
};

TEST_F(StopSignals, EachSignalSetsTheFlagAndIsRemembered) {
  for (int sig : kStopSignals) {
    clear_stop_request();
    StopSignalGuard guard;
    EXPECT_FALSE(stop_requested());
    ASSERT_EQ(std::raise(sig), 0);
    EXPECT_TRUE(stop_requested()) << stop_reason_name(sig);
    EXPECT_EQ(stop_signal(), sig);
    EXPECT_EQ(stop_signal_count(), 1);
  }
}

TEST_F(StopSignals, SecondSignalKeepsTheFirstReasonAndTheProcessAlive) {
  StopSignalGuard guard;
  std::raise(SIGINT);
  std::raise(SIGTERM);
  EXPECT_TRUE(stop_requested());
  EXPECT_EQ(stop_signal(), SIGINT);
  EXPECT_EQ(stop_signal_count(), 2);
}

TEST_F(StopSignals, SecondSigintStillAllowsACleanExit) {
  // In a child process: two SIGINTs, then the "checkpoint" and a normal exit(3).
  EXPECT_EXIT(
      {
        StopSignalGuard guard;
        std::raise(SIGINT);
        std::raise(SIGINT);
        std::_Exit(stop_requested() && stop_signal_count() == 2 ? 3 : 1);
      },
      ::testing::ExitedWithCode(3), "");
}

TEST_F(StopSignals, ThirdSignalEndsTheProcessAtOnce) {
  EXPECT_EXIT(
      {
        StopSignalGuard guard;
        for (int i = 0; i < kForceExitSignalCount; ++i) std::raise(SIGINT);
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(128 + SIGINT), "without a checkpoint");
}

TEST_F(StopSignals, GuardRestoresThePreviousDisposition) {
  struct sigaction before {};
  ::sigaction(SIGUSR1, nullptr, &before);
  {
    StopSignalGuard guard;
    struct sigaction during {};
    ::sigaction(SIGUSR1, nullptr, &during);
    EXPECT_NE(during.sa_handler, before.sa_handler);
  }
  struct sigaction after {};
  ::sigaction(SIGUSR1, nullptr, &after);
  EXPECT_EQ(after.sa_handler, before.sa_handler);
  // Default SIGUSR1 would terminate: check in a child that the default is back.
  EXPECT_EXIT(
      {
        { StopSignalGuard guard; }
        std::raise(SIGUSR1);
        std::_Exit(0);
      },
      ::testing::KilledBySignal(SIGUSR1), "");
}

TEST_F(StopSignals, RequestStopActsLikeASignalNamedDeadline) {
  request_stop();
  EXPECT_TRUE(stop_requested());
  EXPECT_EQ(stop_signal(), -1);
  EXPECT_EQ(stop_reason_name(stop_signal()), "deadline");
  EXPECT_EQ(stop_signal_count(), 0);
  clear_stop_request();
  EXPECT_FALSE(stop_requested());
  EXPECT_EQ(stop_reason_name(SIGTERM), "SIGTERM");
  EXPECT_EQ(stop_reason_name(SIGUSR1), "SIGUSR1");
}

TEST_F(StopSignals, PolicyStopsAtTheDeadlineAndRecordsWhy) {
  const StopPolicy none;
  EXPECT_FALSE(none.stop());
  EXPECT_TRUE(none.may_start(1e9));

  const StopPolicy later(Deadline(WallClock::now() + seconds(3600), 60));
  EXPECT_FALSE(later.stop());
  EXPECT_TRUE(later.may_start(100));
  EXPECT_FALSE(stop_requested());
  EXPECT_FALSE(later.may_start(4000));  // would run past the reserve: refused, and stops
  EXPECT_TRUE(stop_requested());
  EXPECT_EQ(stop_signal(), kStopDeadline);
  EXPECT_TRUE(later.stop());

  clear_stop_request();
  const StopPolicy passed(Deadline(WallClock::now() + seconds(30), 60));
  EXPECT_TRUE(passed.stop());
  EXPECT_EQ(stop_reason_name(stop_signal()), "deadline");

  clear_stop_request();
  request_stop(kStopPeer);
  request_stop(kStopDeadline);  // the first reason is kept
  EXPECT_EQ(stop_reason_name(stop_signal()), "another rank");
  EXPECT_FALSE(later.may_start(1));
}

TEST(Deadline, NoDeadlineStartsEverything) {
  const Deadline none;
  EXPECT_FALSE(none.active());
  EXPECT_TRUE(none.should_start_task(1e9));
  EXPECT_FALSE(none.expired());
}

TEST(Deadline, StartsOnlyTasksThatFinishBeforeTheReserve) {
  const auto now = WallClock::now();
  const Deadline d(now + seconds(100), 20);
  EXPECT_DOUBLE_EQ(d.seconds_left(now), 80);
  EXPECT_TRUE(d.should_start_task(79.5, now));
  EXPECT_TRUE(d.should_start_task(80, now));
  EXPECT_FALSE(d.should_start_task(80.5, now));
  EXPECT_FALSE(d.expired(now + seconds(79)));
  EXPECT_TRUE(d.expired(now + seconds(80)));
  EXPECT_FALSE(d.should_start_task(0, now + seconds(81)));
}

TEST(Deadline, EarliestComparesCheckpointStartTimes) {
  const auto now = WallClock::now();
  const Deadline a(now + seconds(100), 50);  // checkpoint at +50
  const Deadline b(now + seconds(80), 10);   // checkpoint at +70
  EXPECT_EQ(Deadline::earliest(a, b).end(), a.end());
  EXPECT_EQ(Deadline::earliest(b, a).end(), a.end());
  EXPECT_EQ(Deadline::earliest(Deadline(), b).end(), b.end());
  EXPECT_EQ(Deadline::earliest(b, Deadline()).end(), b.end());
  EXPECT_FALSE(Deadline::earliest(Deadline(), Deadline()).active());
}

std::time_t local(int y, int mo, int d, int h, int mi, int s) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  tm.tm_isdst = -1;
  return std::mktime(&tm);
}

TEST(Deadline, ParsesDurationsAndLocalTimes) {
  const auto now = WallClock::from_time_t(1'700'000'000);
  EXPECT_EQ(parse_deadline("90", now), now + seconds(90));
  EXPECT_EQ(parse_deadline("90s", now), now + seconds(90));
  EXPECT_EQ(parse_deadline("45m", now), now + seconds(2700));
  EXPECT_EQ(parse_deadline("1h30m", now), now + seconds(5400));
  EXPECT_EQ(parse_deadline("1d2h", now), now + seconds(93600));
  EXPECT_EQ(WallClock::to_time_t(parse_deadline("2031-02-03T04:05:06", now)),
            local(2031, 2, 3, 4, 5, 6));
  EXPECT_EQ(WallClock::to_time_t(parse_deadline("2031-02-03 04:05", now)),
            local(2031, 2, 3, 4, 5, 0));
  for (const char* bad : {"", "0", "1h30", "5x", "-3m", "m", "2031-13-01T00:00", "2031-02-03T04",
                          "2031-02-03T04:05:06Z", "400d"}) {
    EXPECT_THROW(parse_deadline(bad, now), InputError) << bad;
  }
}

TEST(Deadline, ParsesSlurmTimes) {
  const auto t = parse_slurm_time("2030-12-31T23:59:58");
  ASSERT_TRUE(t);
  EXPECT_EQ(WallClock::to_time_t(*t), local(2030, 12, 31, 23, 59, 58));
  for (const char* bad : {"N/A", "Unknown", "2030-12-31T23:59", "2030-12-31 23:59:58x", ""}) {
    EXPECT_FALSE(parse_slurm_time(bad)) << bad;
  }
}

/// Puts a fake `squeue` first on PATH and sets SLURM_JOB_ID; restores both.
class FakeSlurm {
 public:
  FakeSlurm(const std::string& job_id, const std::string& script_body) {
    std::string templ = (fs::temp_directory_path() / "icn_slurm_XXXXXX").string();
    if (!::mkdtemp(templ.data())) throw std::runtime_error("mkdtemp");
    dir_ = templ;
    const fs::path squeue = dir_ / "squeue";
    std::ofstream(squeue) << "#!/bin/sh\n" << script_body << "\n";
    fs::permissions(squeue, fs::perms::owner_all);
    const char* path = std::getenv("PATH");
    old_path_ = path ? path : "";
    const char* job = std::getenv("SLURM_JOB_ID");
    had_job_ = job != nullptr;
    if (job) old_job_ = job;
    ::setenv("PATH", (dir_.string() + ":" + old_path_).c_str(), 1);
    ::setenv("SLURM_JOB_ID", job_id.c_str(), 1);
  }
  ~FakeSlurm() {
    ::setenv("PATH", old_path_.c_str(), 1);
    if (had_job_) {
      ::setenv("SLURM_JOB_ID", old_job_.c_str(), 1);
    } else {
      ::unsetenv("SLURM_JOB_ID");
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path dir() const { return dir_; }

 private:
  fs::path dir_;
  std::string old_path_, old_job_;
  bool had_job_ = false;
};

TEST(SlurmEndTime, ReadsTheEndTimeFromSqueueWithTheJobId) {
  // The fake answers only for the exact arguments the real squeue needs.
  FakeSlurm slurm(
      "4242",
      R"(if [ "$*" = "-h -j 4242 -o %e" ]; then echo 2031-05-06T07:08:09; else exit 1; fi)");
  const SlurmEndTime r = slurm_end_time();
  EXPECT_EQ(r.warning, "");
  ASSERT_TRUE(r.end);
  EXPECT_EQ(WallClock::to_time_t(*r.end), local(2031, 5, 6, 7, 8, 9));
}

TEST(SlurmEndTime, FailuresMeanNoDeadlineWithAWarning) {
  {
    FakeSlurm slurm("17", "exit 1");
    const auto r = slurm_end_time();
    EXPECT_FALSE(r.end);
    EXPECT_NE(r.warning.find("exit status 1"), std::string::npos) << r.warning;
  }
  {
    FakeSlurm slurm("17", "echo garbage");
    const auto r = slurm_end_time();
    EXPECT_FALSE(r.end);
    EXPECT_NE(r.warning.find("unexpected answer 'garbage'"), std::string::npos) << r.warning;
  }
  {
    FakeSlurm slurm("17", "exec sleep 30");
    const auto start = std::chrono::steady_clock::now();
    const auto r = slurm_end_time(0.3);
    EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(5));
    EXPECT_FALSE(r.end);
    EXPECT_NE(r.warning.find("no answer"), std::string::npos) << r.warning;
  }
  {
    FakeSlurm slurm("17; rm -rf /", "echo 2031-05-06T07:08:09");
    const auto r = slurm_end_time();
    EXPECT_FALSE(r.end);
    EXPECT_NE(r.warning.find("not a job number"), std::string::npos) << r.warning;
  }
  {
    FakeSlurm slurm("17", "echo N/A");
    const auto r = slurm_end_time();
    EXPECT_FALSE(r.end);
    EXPECT_EQ(r.warning, "");  // an unlimited job has no end: not a failure
  }
}

TEST(SlurmEndTime, NothingWithoutSlurmJobId) {
  FakeSlurm slurm("1", "echo 2031-05-06T07:08:09");
  ::unsetenv("SLURM_JOB_ID");
  const auto r = slurm_end_time();
  EXPECT_FALSE(r.end);
  EXPECT_EQ(r.warning, "");
}

TEST(SlurmEndTime, MissingSqueueIsAWarning) {
  FakeSlurm slurm("5", "true");
  fs::remove(slurm.dir() / "squeue");
  ::setenv("PATH", slurm.dir().c_str(), 1);
  const auto r = slurm_end_time();
  EXPECT_FALSE(r.end);
  EXPECT_NE(r.warning.find("squeue is not on PATH"), std::string::npos) << r.warning;
}

}  // namespace
}  // namespace icn::exec
