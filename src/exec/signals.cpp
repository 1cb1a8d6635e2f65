#include "icn/exec/signals.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <limits>

#include <vector>
#include "icn/core/error.h"

extern char** environ;

namespace icn::exec {

namespace {

// The handler may run on any thread (MPI and OpenMP runtimes have their own), so the
// state is lock-free atomics, which are async-signal-safe, not sig_atomic_t alone.
static_assert(std::atomic<int>::is_always_lock_free);
std::atomic<int> g_first_signal{0};
std::atomic<int> g_signal_count{0};
std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int sig) {
  const int saved_errno = errno;
  int none = 0;
  g_first_signal.compare_exchange_strong(none, sig);
  g_stop.store(true);
  if (g_signal_count.fetch_add(1) + 1 >= kForceExitSignalCount) {
    static const char kMessage[] = "icnsim: repeated stop signals: exiting without a checkpoint\n";
    [[maybe_unused]] const ssize_t n = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    ::_exit(128 + sig);
  }
  errno = saved_errno;
}

}  // namespace

StopSignalGuard::StopSignalGuard() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  for (int sig : kStopSignals) sigaddset(&action.sa_mask, sig);
  // SA_RESTART: library code (HDF5, MPI, iostreams) does not expect EINTR; the driver
  // polls the flag instead of relying on interrupted system calls.
  action.sa_flags = SA_RESTART;
  for (std::size_t i = 0; i < kStopSignals.size(); ++i) {
    if (::sigaction(kStopSignals[i], &action, &previous_[i]) != 0) {
      const int err = errno;
      for (std::size_t j = 0; j < i; ++j) ::sigaction(kStopSignals[j], &previous_[j], nullptr);
      throw RuntimeError(std::string("cannot install the handler for ") +
                         stop_reason_name(kStopSignals[i]) + ": " + std::strerror(err));
    }
  }
}

StopSignalGuard::~StopSignalGuard() {
  for (std::size_t i = 0; i < kStopSignals.size(); ++i) {
    ::sigaction(kStopSignals[i], &previous_[i], nullptr);
  }
}

bool stop_requested() { return g_stop.load(std::memory_order_relaxed); }
int stop_signal() { return g_first_signal.load(); }
int stop_signal_count() { return g_signal_count.load(); }

void request_stop(int reason) {
  int none = 0;
  g_first_signal.compare_exchange_strong(none, reason);
  g_stop.store(true);
}

void clear_stop_request() {
  g_stop.store(false);
  g_signal_count.store(0);
  g_first_signal.store(0);
}

std::string stop_reason_name(int signal) {
  switch (signal) {
    case SIGTERM: return "SIGTERM";
    case SIGINT: return "SIGINT";
    case SIGUSR1: return "SIGUSR1";
    case kStopDeadline: return "deadline";
    case kStopPeer: return "another rank";
    default: return "signal " + std::to_string(signal);
  }
}

// ---- deadlines ----

Deadline::Deadline(WallClock::time_point end, double reserve_seconds)
    : end_(end), reserve_seconds_(reserve_seconds) {}

double Deadline::seconds_left(WallClock::time_point now) const {
  if (!end_) return std::numeric_limits<double>::infinity();
  return std::chrono::duration<double>(*end_ - now).count() - reserve_seconds_;
}

bool Deadline::should_start_task(double estimate_seconds, WallClock::time_point now) const {
  return !end_ || estimate_seconds <= seconds_left(now);
}

Deadline Deadline::earliest(const Deadline& a, const Deadline& b) {
  if (!a.active()) return b;
  if (!b.active()) return a;
  // The one whose checkpoint must start first; seconds_left at any common instant orders them.
  const auto now = a.end();
  return a.seconds_left(now) <= b.seconds_left(now) ? a : b;
}

bool StopPolicy::stop() const {
  if (stop_requested()) return true;
  if (deadline_.active() && deadline_.expired()) {
    request_stop(kStopDeadline);
    return true;
  }
  return false;
}

bool StopPolicy::may_start(double estimate_seconds) const {
  if (stop()) return false;
  if (deadline_.should_start_task(estimate_seconds)) return true;
  request_stop(kStopDeadline);
  return false;
}

namespace {

/// Reads an unsigned decimal of exactly `width` digits (0: one or more) at `pos`.
std::optional<long> take_number(std::string_view s, std::size_t& pos, std::size_t width) {
  std::size_t end = pos;
  while (end < s.size() && s[end] >= '0' && s[end] <= '9' && (width == 0 || end - pos < width))
    ++end;
  if (end == pos || (width != 0 && end - pos != width)) return std::nullopt;
  long v = 0;
  const auto r = std::from_chars(s.data() + pos, s.data() + end, v);
  if (r.ec != std::errc()) return std::nullopt;
  pos = end;
  return v;
}

bool take_char(std::string_view s, std::size_t& pos, std::string_view allowed) {
  if (pos >= s.size() || allowed.find(s[pos]) == std::string_view::npos) return false;
  ++pos;
  return true;
}

/// "YYYY-MM-DD[T ]HH:MM[:SS]" as local time; seconds optional only when `seconds_optional`.
std::optional<WallClock::time_point> parse_local_time(std::string_view s, bool seconds_optional) {
  std::size_t pos = 0;
  std::tm tm{};
  const auto year = take_number(s, pos, 4);
  if (!year || !take_char(s, pos, "-")) return std::nullopt;
  const auto month = take_number(s, pos, 2);
  if (!month || !take_char(s, pos, "-")) return std::nullopt;
  const auto day = take_number(s, pos, 2);
  if (!day || !take_char(s, pos, "T ")) return std::nullopt;
  const auto hour = take_number(s, pos, 2);
  if (!hour || !take_char(s, pos, ":")) return std::nullopt;
  const auto minute = take_number(s, pos, 2);
  if (!minute) return std::nullopt;
  std::optional<long> second = 0L;
  if (pos < s.size() || !seconds_optional) {
    if (!take_char(s, pos, ":")) return std::nullopt;
    second = take_number(s, pos, 2);
  }
  if (!second || pos != s.size()) return std::nullopt;
  if (*month < 1 || *month > 12 || *day < 1 || *day > 31 || *hour > 23 || *minute > 59 ||
      *second > 60) {
    return std::nullopt;
  }
  tm.tm_year = static_cast<int>(*year - 1900);
  tm.tm_mon = static_cast<int>(*month - 1);
  tm.tm_mday = static_cast<int>(*day);
  tm.tm_hour = static_cast<int>(*hour);
  tm.tm_min = static_cast<int>(*minute);
  tm.tm_sec = static_cast<int>(*second);
  tm.tm_isdst = -1;  // let the C library decide whether summer time applies
  const std::time_t t = std::mktime(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return WallClock::from_time_t(t);
}

/// "90", "90s", "45m", "2h", "1h30m", "1d": seconds, or nullopt.
std::optional<double> parse_duration(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::size_t pos = 0;
  double total = 0;
  bool any_unit = false;
  while (pos < s.size()) {
    const auto n = take_number(s, pos, 0);
    if (!n) return std::nullopt;
    double unit = 1;
    if (pos < s.size()) {
      switch (s[pos]) {
        case 'd': unit = 86400; break;
        case 'h': unit = 3600; break;
        case 'm': unit = 60; break;
        case 's': unit = 1; break;
        default: return std::nullopt;
      }
      ++pos;
      any_unit = true;
    } else if (any_unit) {
      return std::nullopt;  // "1h30" is ambiguous
    }
    total += static_cast<double>(*n) * unit;
  }
  return total;
}

}  // namespace

WallClock::time_point parse_deadline(std::string_view text, WallClock::time_point now) {
  if (const auto seconds = parse_duration(text)) {
    if (*seconds <= 0 || *seconds > 366.0 * 86400) {
      throw InputError("--deadline " + std::string(text) +
                       ": must be more than 0 s and at most a year");
    }
    return now +
           std::chrono::duration_cast<WallClock::duration>(std::chrono::duration<double>(*seconds));
  }
  if (const auto t = parse_local_time(text, true)) return *t;
  throw InputError("--deadline " + std::string(text) +
                   ": expected a duration (e.g. 90s, 45m, 2h, 1h30m) or a local time "
                   "YYYY-MM-DDTHH:MM[:SS]");
}

std::optional<WallClock::time_point> parse_slurm_time(std::string_view text) {
  return parse_local_time(text, false);
}

// ---- Slurm ----

namespace {

bool is_executable_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::string_view rest(path);
  while (true) {
    const auto colon = rest.find(':');
    const std::string dir(rest.substr(0, colon));
    const std::string full = (dir.empty() ? std::string(".") : dir) + "/" + name;
    if (::access(full.c_str(), X_OK) == 0) return true;
    if (colon == std::string_view::npos) return false;
    rest.remove_prefix(colon + 1);
  }
}

struct CommandOutput {
  bool ran = false;
  bool timed_out = false;
  int status = -1;
  std::string out;
  std::string error;
};

/// Runs argv without a shell (the job id never meets a shell), stdout captured, stderr
/// discarded, killed after `timeout_seconds`.
CommandOutput run_command(const std::vector<std::string>& args, double timeout_seconds) {
  CommandOutput r;
  int pipe_fd[2];
  if (::pipe2(pipe_fd, O_CLOEXEC) != 0) {
    r.error = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fd[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fd[1]);
  if (rc != 0) {
    ::close(pipe_fd[0]);
    r.error = std::string("cannot start ") + args[0] + ": " + std::strerror(rc);
    return r;
  }
  r.ran = true;
  const auto give_up = std::chrono::steady_clock::now() +
                       std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                           std::chrono::duration<double>(timeout_seconds));
  char buf[512];
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          give_up - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) {
      r.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    pollfd p{pipe_fd[0], POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    const ssize_t n = ::read(pipe_fd[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (r.out.size() < 4096) r.out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(pipe_fd[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

SlurmEndTime slurm_end_time(double timeout_seconds) {
  SlurmEndTime r;
  const char* job = std::getenv("SLURM_JOB_ID");
  if (!job || !*job) return r;
  const std::string job_id(job);
  if (job_id.find_first_not_of("0123456789") != std::string::npos) {
    r.warning = "SLURM_JOB_ID='" + job_id + "' is not a job number: no deadline from Slurm";
    return r;
  }
  if (!is_executable_on_path("squeue")) {
    r.warning = "SLURM_JOB_ID is set but squeue is not on PATH: no deadline from Slurm";
    return r;
  }
  const CommandOutput out =
      run_command({"squeue", "-h", "-j", job_id, "-o", "%e"}, timeout_seconds);
  const std::string what = "squeue -h -j " + job_id + " -o %e";
  if (!out.ran) {
    r.warning = what + ": " + out.error + ": no deadline from Slurm";
  } else if (out.timed_out) {
    r.warning = what + ": no answer within " + std::to_string(static_cast<int>(timeout_seconds)) +
                " s: no deadline from Slurm";
  } else if (out.status != 0) {
    r.warning = what + ": exit status " + std::to_string(out.status) + ": no deadline from Slurm";
  } else {
    const std::string text = trim(out.out);
    if (text == "N/A" || text == "NONE" || text == "Unknown" || text == "UNLIMITED") return r;
    r.end = parse_slurm_time(text);
    if (!r.end) r.warning = what + ": unexpected answer '" + text + "': no deadline from Slurm";
  }
  return r;
}

}  // namespace icn::exec
