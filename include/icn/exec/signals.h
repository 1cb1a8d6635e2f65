#pragma once
// Graceful stop: SIGTERM, SIGINT and SIGUSR1 (Slurm's `--signal=USR1@T` warning) only set a
// flag; the driver polls it, stops handing out tasks, checkpoints and exits with status 3.
// Deadlines (`--deadline`, the Slurm job's end time) stop the job the same way, early
// enough to checkpoint.
#include <signal.h>

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace icn::exec {

/// The signals that request a graceful stop.
inline constexpr std::array<int, 3> kStopSignals = {SIGTERM, SIGINT, SIGUSR1};

/// After this many stop signals the handler gives up on the checkpoint and ends the
/// process at once (status 128 + signal), so an impatient user is never stuck.
inline constexpr int kForceExitSignalCount = 3;

/// Installs the stop handler for kStopSignals for its lifetime and restores the previous
/// dispositions when destroyed. Does not clear an earlier request. Not nestable.
class StopSignalGuard {
 public:
  StopSignalGuard();
  ~StopSignalGuard();
  StopSignalGuard(const StopSignalGuard&) = delete;
  StopSignalGuard& operator=(const StopSignalGuard&) = delete;

 private:
  std::array<struct sigaction, kStopSignals.size()> previous_{};
};

/// Whether a stop signal has arrived (or request_stop was called). Async-signal-safe and
/// thread-safe; cheap enough to poll between tasks or ticks.
bool stop_requested();
/// Stop reasons that are not signals (negative, so they never clash with one).
inline constexpr int kStopDeadline = -1;  ///< the deadline left no time for another task
inline constexpr int kStopPeer = -2;      ///< another rank of the job stopped

/// The first stop reason: a signal number, kStopDeadline, kStopPeer, or 0 for none.
int stop_signal();
/// How many stop signals have arrived.
int stop_signal_count();
/// Requests a stop from code, as a signal would; the first reason is kept.
void request_stop(int reason = kStopDeadline);
/// Forgets every request (tests, or a driver that runs several sweeps in one process).
void clear_stop_request();

/// "SIGTERM", "SIGINT", "SIGUSR1", "deadline", "another rank", or "signal N".
std::string stop_reason_name(int signal);

using WallClock = std::chrono::system_clock;

/// The time by which the job must have stopped, with room kept for the final checkpoint.
class Deadline {
 public:
  /// No deadline: every task may start.
  Deadline() = default;
  /// Stop by `end`, keeping `reserve_seconds` for the checkpoint and exit.
  Deadline(WallClock::time_point end, double reserve_seconds);

  bool active() const { return end_.has_value(); }
  WallClock::time_point end() const { return *end_; }
  double reserve_seconds() const { return reserve_seconds_; }

  /// Seconds left before the checkpoint must start (may be negative); +inf without one.
  double seconds_left(WallClock::time_point now = WallClock::now()) const;
  /// Whether a task expected to take `estimate_seconds` would finish before the
  /// checkpoint must start. Always true without a deadline.
  bool should_start_task(double estimate_seconds,
                         WallClock::time_point now = WallClock::now()) const;
  /// Whether the checkpoint must start now.
  bool expired(WallClock::time_point now = WallClock::now()) const {
    return seconds_left(now) <= 0;
  }

  /// The earlier of two deadlines (an inactive one counts as never).
  static Deadline earliest(const Deadline& a, const Deadline& b);

 private:
  std::optional<WallClock::time_point> end_;
  double reserve_seconds_ = 0;
};

/// What the driver polls between tasks: a stop signal, a stop from another rank, or the
/// deadline. Thread-safe (its state is the process-wide atomic flags).
class StopPolicy {
 public:
  StopPolicy() = default;
  explicit StopPolicy(Deadline deadline) : deadline_(deadline) {}

  /// True once a stop was requested, or once the deadline requires the checkpoint to start
  /// (which then requests the stop, reason kStopDeadline).
  bool stop() const;
  /// Whether a task expected to take `estimate_seconds` may start: no stop, and it would
  /// end before the deadline's reserve. A refusal requests the stop.
  bool may_start(double estimate_seconds) const;
  const Deadline& deadline() const { return deadline_; }

 private:
  Deadline deadline_;
};

/// Parses `--deadline`: a duration from `now` ("90", "90s", "45m", "2h", "1h30m", "1d")
/// or a local wall time "YYYY-MM-DDTHH:MM[:SS]" (also with a space). InputError otherwise.
WallClock::time_point parse_deadline(std::string_view text, WallClock::time_point now);

/// Parses Slurm's end-time format "YYYY-MM-DDTHH:MM:SS" (local time); nullopt for
/// "N/A", "Unknown", "NONE" and anything malformed.
std::optional<WallClock::time_point> parse_slurm_time(std::string_view text);

/// The end time of this Slurm job, from `squeue -h -j $SLURM_JOB_ID -o %e`.
struct SlurmEndTime {
  std::optional<WallClock::time_point> end;  ///< nullopt: no deadline
  std::string warning;                       ///< why not, when it should have worked
};
/// Queried only when SLURM_JOB_ID is set and squeue is on PATH; squeue gets
/// `timeout_seconds` to answer. Never throws: any failure means no deadline, with a warning.
SlurmEndTime slurm_end_time(double timeout_seconds = 10);

}  // namespace icn::exec
