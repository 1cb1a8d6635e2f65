#include "icn/exec/progress.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>

#include "icn/core/error.h"

namespace icn::exec {
namespace {

using Clock = std::chrono::steady_clock;

std::string fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

std::string duration_text(double s) {
  if (!std::isfinite(s)) return "?";
  const auto total = static_cast<long long>(std::llround(s));
  if (total < 120) return std::to_string(total) + "s";
  if (total < 7200) return std::to_string(total / 60) + "m" + std::to_string(total % 60) + "s";
  return std::to_string(total / 3600) + "h" + std::to_string((total % 3600) / 60) + "m";
}

// JSON numbers must be finite.
std::string json_number(double x) { return std::isfinite(x) ? fixed(x, 3) : "null"; }

}  // namespace

Progress::Progress(const ProgressOptions& options, std::int64_t total_tasks, int n_ranks)
    : options_(options),
      total_(total_tasks),
      busy_(static_cast<std::size_t>(n_ranks), 0.0),
      start_(Clock::now()),
      last_line_(start_),
      last_json_(start_) {
  if (!options_.json_path.empty()) {
    json_.open(options_.json_path, std::ios::trunc);
    if (!json_) {
      throw RuntimeError(options_.json_path +
                         ": --progress-json: cannot write: " + std::strerror(errno));
    }
  }
}

void Progress::set_busy(int rank, double seconds) {
  if (rank >= 0 && static_cast<std::size_t>(rank) < busy_.size())
    busy_[static_cast<std::size_t>(rank)] = seconds;
}

double Progress::elapsed() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

std::string Progress::line() const {
  const double t = elapsed();
  const double rate = t > 0 ? static_cast<double>(done_) / t : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : INFINITY;
  std::ostringstream out;
  out << "sweep: " << done_ << "/" << total_ << " tasks ("
      << fixed(
             total_ > 0 ? 100.0 * static_cast<double>(done_) / static_cast<double>(total_) : 100.0,
             1)
      << "%), " << fixed(rate, 1) << " runs/s, "
      << (done_ == total_ ? "done in " + duration_text(t) : "ETA " + duration_text(eta))
      << ", busy";
  for (std::size_t r = 0; r < busy_.size(); ++r) {
    out << " r" << r << " " << fixed(t > 0 ? 100.0 * std::min(1.0, busy_[r] / t) : 0.0, 0) << "%";
    if (r == 15 && busy_.size() > 17) {
      out << " ... (" << busy_.size() - 16 << " more ranks)";
      break;
    }
  }
  return out.str();
}

std::string Progress::json(bool final) const {
  const double t = elapsed();
  const double rate = t > 0 ? static_cast<double>(done_) / t : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : INFINITY;
  std::ostringstream out;
  out << "{\"elapsed_s\":" << json_number(t) << ",\"done\":" << done_ << ",\"total\":" << total_
      << ",\"runs_per_s\":" << json_number(rate) << ",\"eta_s\":" << json_number(eta)
      << ",\"busy\":[";
  for (std::size_t r = 0; r < busy_.size(); ++r) {
    out << (r ? "," : "") << json_number(t > 0 ? std::min(1.0, busy_[r] / t) : 0.0);
  }
  out << "],\"final\":" << (final ? "true" : "false") << "}";
  return out.str();
}

void Progress::tick() {
  const auto now = Clock::now();
  const auto due = [&](Clock::time_point last) {
    return options_.every_seconds > 0 &&
           std::chrono::duration<double>(now - last).count() >= options_.every_seconds;
  };
  if (!options_.quiet && due(last_line_)) {
    std::cerr << line() << std::endl;
    last_line_ = now;
  }
  // JSON lines keep coming at least every 5 s even when the stderr lines are off.
  const double json_every = options_.every_seconds > 0 ? options_.every_seconds : 5.0;
  if (json_.is_open() && std::chrono::duration<double>(now - last_json_).count() >= json_every) {
    json_ << json(false) << std::endl;
    last_json_ = now;
  }
}

void Progress::finish() {
  if (!options_.quiet) std::cerr << line() << std::endl;
  if (json_.is_open()) {
    json_ << json(true) << std::endl;
    json_.close();
  }
}

}  // namespace icn::exec
