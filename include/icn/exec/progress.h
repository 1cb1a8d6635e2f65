#pragma once
// Progress of a sweep, reported by rank 0: one line on stderr every few seconds and,
// optionally, the same facts as JSON lines in a file (for dashboards and tests).
//
//   sweep: 1200/5000 tasks (24.0%), 310.2 runs/s, ETA 12s, busy r0 91% r1 99%
//   {"elapsed_s":3.87,"done":1200,"total":5000,"runs_per_s":310.2,"eta_s":12.3,"busy":[0.91,0.99],"final":false}
#include <chrono>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace icn::exec {

struct ProgressOptions {
  double every_seconds = 5.0;  ///< 0: no periodic lines on stderr (the final line still comes)
  std::string json_path;       ///< empty: no JSON lines
  bool quiet = false;          ///< nothing on stderr at all
};

class Progress {
 public:
  /// Opens the JSON file (truncating it); throws RuntimeError when it cannot.
  Progress(const ProgressOptions& options, std::int64_t total_tasks, int n_ranks);

  void add_done(std::int64_t tasks) { done_ += tasks; }
  /// Cumulative seconds rank `rank` has spent running tasks.
  void set_busy(int rank, double seconds);
  /// Reports if a report is due.
  void tick();
  /// The last report (always written).
  void finish();

  std::int64_t done() const { return done_; }
  double elapsed() const;
  /// The human-readable line and the JSON object of the current state.
  std::string line() const;
  std::string json(bool final) const;

 private:
  ProgressOptions options_;
  std::int64_t total_;
  std::int64_t done_ = 0;
  std::vector<double> busy_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_line_;
  std::chrono::steady_clock::time_point last_json_;
  std::ofstream json_;
};

}  // namespace icn::exec
