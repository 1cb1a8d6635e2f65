#include "icn/exec/shard.h"

#include <charconv>
#include <cstdlib>

#include "icn/core/error.h"

namespace icn::exec {
namespace {

std::optional<std::int64_t> to_int(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

}  // namespace

Shard parse_shard(std::string_view text, std::string_view option) {
  const auto bad = [&](const std::string& why) {
    return InputError(std::string(option) + ": expected i/n with 0 <= i < n (got '" +
                      std::string(text) + "'): " + why);
  };
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) throw bad("no '/'");
  const auto i = to_int(text.substr(0, slash));
  const auto n = to_int(text.substr(slash + 1));
  if (!i || !n) throw bad("i and n must be integers");
  if (*n < 1) throw bad("n must be >= 1");
  if (*i < 0 || *i >= *n) throw bad("i must be in [0, n)");
  return Shard{*i, *n};
}

PointRange shard_points(std::int64_t n_points, const Shard& s) {
  // floor(i N / n) without overflow for any realistic N, n (both far below 2^31).
  const PointRange r{s.index * n_points / s.count, (s.index + 1) * n_points / s.count};
  if (r.size() <= 0) {
    throw InputError("shard " + std::to_string(s.index) + "/" + std::to_string(s.count) +
                     " has no design points: the design has " + std::to_string(n_points) +
                     " point(s); use at most that many shards");
  }
  return r;
}

SlurmEnv read_slurm_env() {
  SlurmEnv e;
  e.job_id = env("SLURM_JOB_ID");
  e.array_job_id = env("SLURM_ARRAY_JOB_ID");
  e.array_task_id = env("SLURM_ARRAY_TASK_ID");
  if (const auto c = env("SLURM_CPUS_PER_TASK")) {
    const auto v = to_int(*c);
    if (v && *v > 0 && *v < 1'000'000) e.cpus_per_task = static_cast<int>(*v);
  }
  return e;
}

int choose_threads(int requested, bool omp_num_threads_set, int omp_default,
                   const SlurmEnv& slurm) {
  if (requested > 0) return requested;
  if (omp_num_threads_set) return omp_default;
  if (slurm.cpus_per_task) return *slurm.cpus_per_task;
  return omp_default;
}

std::optional<std::string> thread_mismatch_warning(int threads, const SlurmEnv& slurm) {
  if (!slurm.cpus_per_task || *slurm.cpus_per_task == threads) return std::nullopt;
  const int cpus = *slurm.cpus_per_task;
  return std::to_string(threads) + " OpenMP thread(s) per rank but Slurm allocated " +
         std::to_string(cpus) + " CPU(s) per task (SLURM_CPUS_PER_TASK): " +
         (threads > cpus ? "threads will share cores" : "cores will stay idle") +
         "; set --threads or OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK";
}

}  // namespace icn::exec
