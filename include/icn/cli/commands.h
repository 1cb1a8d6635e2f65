#pragma once
// One function per subcommand: each adds its options to `app` and returns the action
// to run when that subcommand is chosen.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace icn::cli {

/// What every action gets: the full command line, for provenance.
struct Context {
  std::string command_line;
};

using Action = std::function<int(const Context&)>;

Action add_params(CLI::App& app);
Action add_run(CLI::App& app);
Action add_version(CLI::App& app);
Action add_sweep(CLI::App& app);
Action add_design(CLI::App& app);
Action add_inspect(CLI::App& app);
Action add_merge(CLI::App& app);
Action add_analyze(CLI::App& app);

/// Options of a sweep; `icnsim run` with an [ensemble] section runs one too.
struct SweepArgs {
  std::string config;
  std::vector<std::string> sets;  ///< --set section.key=value, [run] and [model] only
  std::string output = "icnsim_sweep.h5";
  bool overwrite = false;
  int threads = 0;               ///< 0: OMP_NUM_THREADS
  std::string omp_mode;          ///< empty: ensemble.omp_mode
  std::int64_t replicates = -1;  ///< -1: ensemble.replicates
  bool keep_runs = false;        ///< or ensemble.keep_runs
  std::string progress_json;
  double progress_every = -1;  ///< -1: ensemble.progress_every
  std::string shard;           ///< "i/n": only shard i of n of the design (exec/shard.h)
  std::int64_t retries = -1;   ///< -1: ensemble.retries
  double task_timeout = -1;    ///< -1: ensemble.task_timeout
  // Interruptions (docs/sweeps.md, "Interruptions"): checkpoints, resume, deadlines.
  std::string checkpoint;         ///< empty: <output>.ckpt
  double checkpoint_every = 300;  ///< seconds between checkpoints; 0: only at the end
  bool resume = false;            ///< continue from the checkpoint
  bool force = false;             ///< resume from a checkpoint of another version/config
  std::string deadline;           ///< duration or local time; empty: none (Slurm's end anyway)
  double deadline_reserve = 60;   ///< seconds kept before the deadline for the checkpoint
};
/// Runs a sweep on every rank of the job (cmd_sweep.cpp); returns the exit status.
int run_sweep(const SweepArgs& args, const Context& ctx);

}  // namespace icn::cli

namespace icn::cli {
/// "3, 7, 12": the first `shown` indices of `v`, then ", ... (N in all)".
inline std::string list_indices(const std::vector<std::int64_t>& v, std::size_t shown = 10) {
  std::string s;
  for (std::size_t k = 0; k < v.size() && k < shown; ++k)
    s += (k ? ", " : "") + std::to_string(v[k]);
  return v.size() > shown ? s + ", ... (" + std::to_string(v.size()) + " in all)" : s;
}

/// A CLI11 validator accepting integers >= 0 with a short message.
inline CLI::Validator non_negative() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        try {
          std::size_t pos = 0;
          const long long v = std::stoll(s, &pos);
          if (pos == s.size() && v >= 0) return {};
        } catch (const std::exception&) {
        }
        return "must be an integer >= 0 (got " + s + ")";
      },
      ">=0");
}
}  // namespace icn::cli
