#include <chrono>
#include <exception>
#include <filesystem>
#include <iostream>

#include "icn/analysis/incomplete_blocks.h"
#include "icn/cli/commands.h"
#include "icn/core/error.h"
#include "icn/exec/comm.h"
#include "icn/exec/detail/wire.h"
#include "icn/exec/openmp.h"
#include "icn/exec/shard.h"
#include "icn/exec/signals.h"
#include "icn/exec/sweep.h"
#include "icn/io/config.h"
#include "icn/io/results_file.h"
#include "icn/io/run_file.h"
#include "icn/io/sweep_config.h"

namespace icn::cli {
namespace {

/// Everything a rank needs to take part in the sweep, read from the configuration.
struct Prepared {
  io::Config cfg;
  io::SweepConfig sweep;
  design::Design design;    // rank 0 builds it; the others receive its points
  exec::Deadline deadline;  // --deadline (rank 0's is used: run_sweep agrees on it)
  std::shared_ptr<const exec::Checkpoint> resume_from;  // rank 0, with --resume
};

std::string checkpoint_path(const SweepArgs& a) {
  return a.checkpoint.empty() ? a.output + ".ckpt" : a.checkpoint;
}

Prepared read_inputs(const SweepArgs& a) {
  Prepared p{io::load_config(a.config.empty() ? std::nullopt : std::optional(a.config), a.sets),
             {},
             {},
             {},
             {}};
  p.sweep = io::read_sweep_config(p.cfg);
  io::EnsembleParams& e = p.sweep.ensemble;
  if (a.replicates > 0) e.replicates = a.replicates;
  if (!a.omp_mode.empty()) e.omp_mode = a.omp_mode;
  if (a.keep_runs) e.keep_runs = true;
  if (a.progress_every >= 0) e.progress_every = a.progress_every;
  if (a.retries >= 0) e.retries = a.retries;
  if (a.task_timeout >= 0) e.task_timeout = a.task_timeout;
  if (!a.shard.empty()) exec::parse_shard(a.shard);  // bad text fails on every rank
  if (!a.deadline.empty()) {
    p.deadline = exec::Deadline(exec::parse_deadline(a.deadline, exec::WallClock::now()),
                                a.deadline_reserve);
  }
  return p;
}

/// The parameter values of every design point: [model] with the factors' values set.
std::vector<ParamValues> point_values(const io::Config& cfg, const std::vector<std::string>& names,
                                      const Eigen::MatrixXd& points) {
  std::vector<std::size_t> index;
  for (const auto& n : names)
    index.push_back(*cfg.model->schema->find(n));  // checked by read_sweep_config
  std::vector<ParamValues> out;
  out.reserve(static_cast<std::size_t>(points.rows()));
  for (Eigen::Index i = 0; i < points.rows(); ++i) {
    ParamValues v = cfg.model_values;
    for (std::size_t j = 0; j < index.size(); ++j)
      v.set_number(index[j], points(i, static_cast<Eigen::Index>(j)));
    out.push_back(std::move(v));
  }
  return out;
}

exec::Bytes encode_points(const Eigen::MatrixXd& m) {
  exec::detail::Writer w;
  w.put<std::int64_t>(m.rows());
  w.put<std::int64_t>(m.cols());
  w.put_span(std::span<const double>(m.data(), static_cast<std::size_t>(m.size())));
  return w.take();
}

Eigen::MatrixXd decode_points(std::span<const std::byte> in) {
  exec::detail::Reader r(in);
  const auto rows = r.get<std::int64_t>();
  const auto cols = r.get<std::int64_t>();
  const std::vector<double> data = r.get_vector<double>();
  Eigen::MatrixXd m(rows, cols);
  std::copy(data.begin(), data.end(), m.data());
  return m;
}

exec::SweepSpec make_spec(const Prepared& p, const SweepArgs& a);

/// Rank 0: a new sweep must not silently replace an unfinished sweep's checkpoint, and a
/// resumed one must match its checkpoint (sweep_checkpoint.h).
void check_checkpoint(const SweepArgs& a, Prepared& p) {
  const std::string path = checkpoint_path(a);
  io::check_output_path(path, true, "--checkpoint");  // its directory must be writable
  if (a.resume) {
    p.resume_from = exec::load_resume_checkpoint(make_spec(p, a), path, a.force);
  } else if (std::filesystem::exists(path) && !a.overwrite) {
    throw InputError(path +
                     ": the checkpoint of an unfinished sweep is there: pass --resume to "
                     "continue it, or --overwrite to start again");
  }
}

// Every rank reads the configuration (bad input fails identically everywhere); rank 0
// alone builds the design and checks the outputs, then tells the others the outcome.
// Returns nullopt on the other ranks when rank 0 found bad input (rank 0 rethrows it).
std::optional<Prepared> prepare(exec::Comm& comm, const SweepArgs& a) {
  const bool root = comm.rank() == 0;
  std::optional<Prepared> p;
  std::exception_ptr root_error;
  std::string local_error;
  try {
    p = read_inputs(a);
    if (root) {
      p->design = io::build_design(p->cfg, p->sweep);
      point_values(p->cfg, p->design.names, p->design.points);  // range errors surface here
      if (!a.shard.empty()) exec::shard_points(p->design.size(), exec::parse_shard(a.shard));
      io::check_output_path(a.output, a.overwrite, "-o");
      if (!a.progress_json.empty())
        io::check_output_path(a.progress_json, a.overwrite, "--progress-json");
      check_checkpoint(a, *p);
    }
  } catch (const InputError& e) {
    if (root) root_error = std::current_exception();
    local_error = e.what();
  }
  exec::Bytes verdict;  // the design's points, or empty when rank 0 found bad input
  if (root && !root_error) verdict = encode_points(p->design.points);
  comm.broadcast(verdict, 0);
  if (root_error) std::rethrow_exception(root_error);
  if (!root) {
    if (verdict.empty()) return std::nullopt;
    if (!local_error.empty()) {  // this rank alone: e.g. the file is unreadable here
      std::cerr << "icnsim: rank " << comm.rank() << ": error: " << local_error << std::endl;
      comm.abort(static_cast<int>(ExitCode::kBadInput));
    }
    p->design.points = decode_points(verdict);
  }
  return p;
}

exec::SweepSpec make_spec(const Prepared& p, const SweepArgs& a) {
  const io::Config& cfg = p.cfg;
  const io::EnsembleParams& e = p.sweep.ensemble;
  exec::SweepSpec spec;
  spec.model = cfg.model;
  std::vector<std::string> names;
  for (const auto& f : p.sweep.design.factors) names.push_back(f.name);
  spec.points = point_values(cfg, names, p.design.points);
  if (!a.shard.empty()) {  // only this shard's points, keyed by their global index
    const auto n = static_cast<std::int64_t>(spec.points.size());
    const exec::PointRange r = exec::shard_points(n, exec::parse_shard(a.shard));
    spec.points.erase(spec.points.begin() + r.last, spec.points.end());
    spec.points.erase(spec.points.begin(), spec.points.begin() + r.first);
    spec.first_point = r.first;
  }
  spec.replicates = e.replicates;
  spec.chunk = e.chunk;
  spec.ticks = cfg.run.ticks;
  spec.master_seed = static_cast<std::uint64_t>(cfg.run.seed);
  spec.omp_mode = *exec::parse_omp_mode(e.omp_mode);
  spec.threads = exec::choose_threads(a.threads, std::getenv("OMP_NUM_THREADS") != nullptr,
                                      exec::max_threads(), exec::read_slurm_env());
  spec.keep_runs = e.keep_runs;
  spec.failures = {e.retries, e.task_timeout};
  exec::ResilienceOptions& r = spec.resilience;
  r.checkpoint = checkpoint_path(a);
  r.checkpoint_every = a.checkpoint_every;
  r.resume_from = p.resume_from;
  r.deadline = p.deadline;
  r.slurm_deadline = true;  // only where SLURM_JOB_ID is set
  r.deadline_reserve = a.deadline_reserve;
  return spec;
}

/// Exit status 3 on every rank when the checkpoint holds the work done so far (1 when no
/// checkpoint could ever be written); rank 0 says how to continue.
int report_interrupted(const exec::Comm& comm, const exec::SweepSpec& spec,
                       const exec::SweepResults& r) {
  const int status = static_cast<int>(ExitCode::kInterrupted);
  if (comm.rank() != 0) return status;
  const std::string& path = spec.resilience.checkpoint;
  std::cerr << "icnsim sweep: stopped by " << r.stop_reason << " after " << r.tasks_done << " of "
            << static_cast<std::int64_t>(spec.points.size()) * spec.replicates << " tasks";
  if (r.checkpoint_error.empty()) {
    std::cerr << "; checkpoint " << path
              << " holds them: continue with the same command and --resume\n";
    return status;
  }
  if (r.checkpoints_written > 0 || spec.resilience.resume_from) {
    std::cerr << "; the checkpoint could not be updated (" << r.checkpoint_error << "): " << path
              << " still holds an earlier state: continue with --resume\n";
    return status;
  }
  std::cerr << "; no checkpoint could be written: " << r.checkpoint_error << "\n";
  return static_cast<int>(ExitCode::kRuntime);
}

/// Rank 0: a warning naming the failed runs and the design blocks they leave incomplete.
void report_failures(const exec::SweepResults& r, const exec::SweepSpec& spec,
                     const design::Design& design) {
  const std::vector<std::size_t> rows = exec::failed_rows(r.runs);
  if (rows.empty()) return;
  const exec::RunTable& t = r.runs;
  const std::size_t first = rows.front();
  std::cerr << "icnsim sweep: warning: " << rows.size() << " of " << t.status.size()
            << " run(s) failed after up to " << spec.failures.retries
            << " retry(ies) and are left out of the statistics (see /runs/status and "
               "/runs/message); the first: point "
            << spec.first_point + t.point[first] << ", replicate " << t.replicate[first] << ": "
            << exec::run_status_name(static_cast<exec::RunStatus>(t.status[first])) << ": "
            << t.message[first] << "\n";
  std::vector<std::int64_t> failed(static_cast<std::size_t>(design.size()), 0);
  std::vector<std::int64_t> runs(failed.size(), 0);
  for (std::size_t i = 0; i < t.point.size(); ++i) {
    const auto p = static_cast<std::size_t>(spec.first_point + t.point[i]);
    ++runs[p];
    failed[p] += t.status[i] != 0 ? 1 : 0;
  }
  const analysis::IncompleteBlocks b = analysis::incomplete_blocks(design, failed, runs);
  if (!b.empty.empty()) {
    std::cerr << "icnsim sweep: warning: " << b.unit << "s with a point that has no successful "
              << "run (icnsim analyze drops them): " << list_indices(b.empty, 20) << "\n";
  }
  if (!b.partial.empty()) {
    std::cerr << "icnsim sweep: warning: " << b.unit << "s with a point that lost some runs "
              << "(their means use fewer replicates): " << list_indices(b.partial, 20) << "\n";
  }
}

int execute(exec::Comm& comm, const Prepared& p, const SweepArgs& a, const Context& ctx) {
  const exec::SweepSpec spec = make_spec(p, a);
  if (comm.rank() == 0) {
    if (const auto w = exec::thread_mismatch_warning(spec.threads, exec::read_slurm_env()))
      std::cerr << "icnsim: warning: " << *w << std::endl;
  }
  const exec::ProgressOptions progress{p.sweep.ensemble.progress_every, a.progress_json, false};
  const exec::SweepResults r = exec::run_sweep(comm, spec, progress);
  if (r.interrupted) return report_interrupted(comm, spec, r);
  if (comm.rank() != 0) return 0;

  const io::Config& cfg = p.cfg;
  const auto t0 = std::chrono::steady_clock::now();
  io::Provenance prov{"sweep",         ctx.command_line, cfg.resolved_toml(),
                      cfg.model->name, spec.master_seed, comm.size(),
                      r.threads};
  io::SweepFacts facts{p.sweep.design.seed};
  design::Design design = p.design;
  if (!a.shard.empty()) {  // the file holds only this shard's points (io/merge.h)
    const exec::Shard s = exec::parse_shard(a.shard);
    const exec::PointRange pr = exec::shard_points(p.design.size(), s);
    design.points = p.design.points.middleRows(pr.first, pr.size());
    design.unit_points = p.design.unit_points.middleRows(pr.first, pr.size());
    facts.shard_index = s.index;
    facts.shard_count = s.count;
    facts.shard_first_point = pr.first;
    facts.design_n_points = p.design.size();
  }
  io::write_sweep_results(a.output, prov, design, facts, r);
  const double write_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cerr << "icnsim sweep: model " << cfg.model->name << ", " << r.n_points << " point(s) x "
            << r.replicates << " replicate(s), " << r.ticks << " ticks, " << comm.size()
            << " rank(s) x " << r.threads << " thread(s), omp mode "
            << exec::omp_mode_name(r.omp_mode) << "; wall " << r.timing.wall_seconds
            << " s, dispatch " << r.timing.dispatch_seconds << " s, " << r.timing.batches
            << " batches, write " << write_s << " s\n";
  report_failures(r, spec, p.design);
  std::cout << "results: " << a.output << "\n";
  // The results are durable (written atomically): the checkpoint has served its purpose.
  std::error_code ec;
  std::filesystem::remove(spec.resilience.checkpoint, ec);
  return 0;
}

}  // namespace

int run_sweep(const SweepArgs& a, const Context& ctx) {
  // SIGTERM, SIGINT, SIGUSR1: stop handing out tasks, checkpoint, exit 3 (docs/sweeps.md).
  const exec::StopSignalGuard signals;
  const std::unique_ptr<exec::Comm> comm = exec::make_world_comm();
  if (comm->size() == 1) {
    const std::optional<Prepared> p = prepare(*comm, a);
    return execute(*comm, *p, a, ctx);  // errors go to the caller: status 2 or 1
  }
  std::optional<Prepared> p;
  try {
    p = prepare(*comm, a);
  } catch (const InputError& e) {
    // Bad input is found before any work starts, by rank 0 for all: it reports it.
    std::cerr << "icnsim: error: " << e.what() << std::endl;
    return static_cast<int>(ExitCode::kBadInput);
  } catch (const std::exception& e) {
    std::cerr << "icnsim: rank " << comm->rank() << ": runtime error: " << e.what() << std::endl;
    comm->abort(static_cast<int>(ExitCode::kRuntime));
  }
  if (!p) return static_cast<int>(ExitCode::kBadInput);  // rank 0 reported it
  try {
    return execute(*comm, *p, a, ctx);
  } catch (const std::exception& e) {
    // One rank cannot go on and the others would wait for it forever: end the job. A
    // model rejecting its parameters at one design point is still bad input (status 2).
    const bool input = dynamic_cast<const InputError*>(&e) != nullptr;
    std::cerr << "icnsim: rank " << comm->rank() << ": " << (input ? "error: " : "runtime error: ")
              << e.what() << std::endl;
    comm->abort(static_cast<int>(input ? ExitCode::kBadInput : ExitCode::kRuntime));
  }
  return static_cast<int>(ExitCode::kRuntime);  // not reached: abort() ends the job
}

Action add_sweep(CLI::App& app) {
  auto a = std::make_shared<SweepArgs>();
  app.add_option("config", a->config, "TOML configuration with [design] and [ensemble]")
      ->required();
  app.add_option("--set", a->sets,
                 "Override a [run] or [model] parameter: section.key=value (repeatable)");
  app.add_option("-o,--output", a->output, "HDF5 results file")->capture_default_str();
  app.add_flag("--overwrite", a->overwrite, "Replace existing output files");
  app.add_option("--threads", a->threads, "OpenMP threads per rank (default OMP_NUM_THREADS)")
      ->check(non_negative());
  app.add_option("--omp-mode", a->omp_mode,
                 "replicates | inside | auto (overrides ensemble.omp_mode)")
      ->check(CLI::IsMember({"auto", "replicates", "inside"}));
  app.add_option("--replicates", a->replicates,
                 "Replicates per point (overrides ensemble.replicates)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--keep-runs", a->keep_runs,
               "Also store every replicate's full series (/runs/series)");
  app.add_option("--progress-json", a->progress_json,
                 "Also write progress as JSON lines to this file");
  app.add_option("--progress-every", a->progress_every,
                 "Seconds between progress lines (overrides the config)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--checkpoint", a->checkpoint,
                 "Checkpoint file (default: the output path + .ckpt); removed once the results "
                 "are written");
  app.add_option("--checkpoint-every", a->checkpoint_every,
                 "Seconds between checkpoints (0: only when the sweep ends or stops)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--resume", a->resume,
               "Continue an interrupted sweep from its checkpoint (any rank or thread count)");
  app.add_flag("--force", a->force,
               "With --resume: accept a checkpoint written by another version or for another "
               "configuration");
  app.add_option("--deadline", a->deadline,
                 "Stop with a checkpoint (exit 3) before this time: a duration (90s, 45m, 2h, "
                 "1h30m) or a local time YYYY-MM-DDTHH:MM[:SS]; under Slurm the job's end "
                 "time is used too");
  app.add_option("--deadline-reserve", a->deadline_reserve,
                 "Seconds kept before the deadline for the checkpoint and exit")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--retries", a->retries,
                 "Further attempts of a failed run, same random key (overrides "
                 "ensemble.retries)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--task-timeout", a->task_timeout,
                 "Seconds after which a run's attempt fails, checked after each tick; 0: no "
                 "limit (overrides ensemble.task_timeout)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--shard", a->shard,
                 "Run only shard i of n (0 <= i < n) of the design: a contiguous range of "
                 "points; combine the shard files with icnsim merge");
  return [a](const Context& ctx) { return run_sweep(*a, ctx); };
}

}  // namespace icn::cli
