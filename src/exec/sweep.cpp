#include "icn/exec/sweep.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <iostream>
#include <limits>

#include "icn/core/clock.h"
#include "icn/core/error.h"
#include "icn/exec/chunk_merger.h"
#include "icn/exec/chunk_plan.h"
#include "icn/exec/detail/wire.h"
#include "icn/exec/openmp.h"
#include "icn/exec/replicate.h"
#include "icn/exec/signals.h"
#include "icn/exec/task_farm.h"
#include "icn/stats/accumulator.h"

namespace icn::exec {

std::string_view omp_mode_name(OmpMode mode) {
  switch (mode) {
    case OmpMode::kAuto: return "auto";
    case OmpMode::kReplicates: return "replicates";
    case OmpMode::kInside: return "inside";
  }
  return "unknown";
}

std::optional<OmpMode> parse_omp_mode(std::string_view name) {
  for (const OmpMode m : {OmpMode::kAuto, OmpMode::kReplicates, OmpMode::kInside}) {
    if (omp_mode_name(m) == name) return m;
  }
  return std::nullopt;
}

const std::vector<double>& quantile_levels() {
  static const std::vector<double> levels = {0.05, 0.25, 0.50, 0.75, 0.95};
  return levels;
}

OmpMode resolve_omp_mode(OmpMode mode, std::int64_t n_tasks, int n_ranks, int threads) {
  if (mode != OmpMode::kAuto) return mode;
  // Replicates side by side scale perfectly and need no thread-safe model code; threads
  // inside a replicate only pay off when there are too few tasks to fill every thread.
  const std::int64_t slots = static_cast<std::int64_t>(std::max(1, n_ranks)) * std::max(1, threads);
  return n_tasks >= slots ? OmpMode::kReplicates : OmpMode::kInside;
}

namespace {

using Clock = std::chrono::steady_clock;
using Aggregate = std::vector<stats::Accumulator>;

/// Where each value of a replicate goes: slot s < rows × observables is series[s]
/// (row-major tick × observable, as ReplicateResult stores it), then the finals.
struct Layout {
  std::int64_t rows = 0;
  std::size_t n_obs = 0;
  std::size_t n_fin = 0;
  std::size_t series_slots() const { return static_cast<std::size_t>(rows) * n_obs; }
  std::size_t slots() const { return series_slots() + n_fin; }
};

OutputStats make_output(std::int64_t points, std::int64_t columns) {
  const auto n = static_cast<std::size_t>(points * columns);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  OutputStats o;
  o.count.assign(n, 0);
  o.mean.assign(n, nan);
  o.var.assign(n, nan);
  o.min.assign(n, nan);
  o.max.assign(n, nan);
  o.quantiles.assign(n * quantile_levels().size(), nan);
  return o;
}

void store(OutputStats& o, std::size_t cell, const stats::Accumulator& a) {
  o.count[cell] = a.count();
  o.mean[cell] = a.mean();
  o.var[cell] = a.variance();
  o.min[cell] = a.moments().min();
  o.max[cell] = a.moments().max();
  const auto& levels = quantile_levels();
  const std::vector<double> q = a.sketch().quantiles(levels);
  std::copy(q.begin(), q.end(),
            o.quantiles.begin() + static_cast<std::ptrdiff_t>(cell * levels.size()));
}

}  // namespace

std::vector<std::size_t> failed_rows(const RunTable& t) {
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < t.status.size(); ++i) {
    if (t.status[i] != static_cast<std::int64_t>(RunStatus::kOk)) rows.push_back(i);
  }
  return rows;
}

namespace {

void check_spec(const SweepSpec& s) {
  if (!s.model) throw RuntimeError("internal: sweep without a model");
  if (s.points.empty()) throw InputError("a sweep needs at least one design point");
  constexpr auto kMaxIndex = static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max());
  if (static_cast<std::int64_t>(s.points.size()) > kMaxIndex || s.replicates > kMaxIndex) {
    throw InputError(
        "a sweep has at most 2^32 - 1 points and replicates (the random key holds 32 bits each)");
  }
  if (s.ticks < 0) throw InputError("key 'run.ticks': must not be negative");
  if (s.failures.retries < 0) throw InputError("--retries: must not be negative");
  if (!(s.failures.timeout_seconds >= 0))
    throw InputError("--task-timeout: must be a non-negative number of seconds");
}

class SweepRunner {
 public:
  SweepRunner(Comm& comm, const SweepSpec& spec, const ProgressOptions& progress)
      : comm_(comm),
        spec_(spec),
        plan_(static_cast<std::int64_t>(spec.points.size()), spec.replicates, spec.chunk),
        layout_{spec.ticks + 1, spec.model->observables.size(), spec.model->finals.size()},
        mode_(resolve_omp_mode(spec.omp_mode, plan_.n_tasks(), comm.size(), spec.threads)),
        threads_(std::max(1, spec.threads)) {
    if (comm_.rank() == 0) {
      progress_.emplace(progress, plan_.n_tasks(), comm_.size());
      init_results();
      merger_.emplace(
          plan_, [](Aggregate& into, Aggregate&& from) { merge(into, from); },
          [this](std::int64_t point, Aggregate&& merged) { finalize_point(point, merged); });
      state_.point_complete.assign(static_cast<std::size_t>(plan_.n_points()), 0);
    }
  }

  SweepResults run() {
    const auto start = Clock::now();
    agree_deadline();
    std::optional<WorkQueue> queue;
    if (comm_.rank() == 0) {
      std::vector<double> cost;
      cost.reserve(spec_.points.size());
      for (const auto& p : spec_.points) cost.push_back(spec_.model->cost(p));
      queue.emplace(plan_, cost, comm_.size(), kMaxBatchChunks);
      if (!spec_.resilience.checkpoint.empty()) identity_ = sweep_identity(spec_, plan_);
      if (spec_.resilience.resume_from) resume(*queue);
      last_checkpoint_ = Clock::now();
    }
    FarmHooks hooks;
    hooks.execute = [this](std::span<const std::int64_t> ids, const Service& service) {
      return execute(ids, service);
    };
    hooks.consume = [this](int rank, std::span<const std::byte> payload) {
      consume(rank, payload);
    };
    hooks.tick = [this] {
      if (progress_) progress_->tick();
      if (comm_.rank() == 0) maybe_checkpoint();
    };
    hooks.stop = [this] { return stop_.stop(); };
    hooks.peer_stopped = [](int) { request_stop(kStopPeer); };
    FarmOptions options;
    // In replicates mode a batch should hold a task for every thread.
    if (mode_ == OmpMode::kReplicates)
      options.min_batch_chunks = (threads_ + spec_.chunk - 1) / spec_.chunk;
    const FarmStats stats = run_task_farm(comm_, queue ? &*queue : nullptr, hooks, options);

    results_.timing.wall_seconds = seconds_since(start);
    results_.timing.dispatch_seconds = stats.service_seconds;
    bool interrupted = false;
    if (comm_.rank() == 0) {
      interrupted = !merger_->complete();
      if (interrupted && !stop_requested())
        throw RuntimeError("internal: the sweep ended with points not merged");
      // Also when complete: if writing the results fails, a resume only writes them.
      if (!spec_.resilience.checkpoint.empty()) write_checkpoint_now();
      results_.tasks_done = progress_->done();
      progress_->finish();
    }
    if (comm_.size() > 1) {
      Bytes flag{static_cast<std::byte>(interrupted ? 1 : 0)};
      comm_.broadcast(flag, 0);
      interrupted = flag.at(0) != std::byte{0};
    }
    results_.interrupted = interrupted;
    if (interrupted) results_.stop_reason = stop_reason_name(stop_signal());
    results_.failures = spec_.failures;
    results_.omp_mode = mode_;
    results_.threads = threads_;
    results_.n_ranks = comm_.size();
    return std::move(results_);
  }

 private:
  static constexpr std::int64_t kMaxBatchChunks = 256;

  static void merge(Aggregate& into, const Aggregate& from) {
    for (std::size_t s = 0; s < into.size(); ++s) into[s].merge(from[s]);
  }

  // ---- interruption and resume (issue 6; the format is in sweep_checkpoint.h) ----

  /// Every rank stops for the same deadline: the option's, or rank 0's Slurm end time.
  void agree_deadline() {
    const ResilienceOptions& o = spec_.resilience;
    Deadline d = o.deadline;
    if (comm_.rank() == 0 && o.slurm_deadline) {
      const SlurmEndTime slurm = slurm_end_time();
      if (!slurm.warning.empty()) std::cerr << "icnsim: warning: " << slurm.warning << std::endl;
      if (slurm.end) d = Deadline::earliest(d, Deadline(*slurm.end, o.deadline_reserve));
    }
    if (comm_.size() > 1) {
      detail::Writer w;
      w.put<std::uint8_t>(d.active() ? 1 : 0);
      w.put<std::int64_t>(d.active() ? d.end().time_since_epoch().count() : 0);
      w.put<double>(d.reserve_seconds());
      Bytes b = w.take();
      comm_.broadcast(b, 0);
      detail::Reader r(b);
      const bool active = r.get<std::uint8_t>() != 0;
      const auto ticks = r.get<std::int64_t>();
      const double reserve = r.get<double>();
      d = active ? Deadline(WallClock::time_point(WallClock::duration(ticks)), reserve)
                 : Deadline();
    }
    stop_ = StopPolicy(d);
  }

  /// Rank 0: takes the checkpoint's finished work and drops it from the queue.
  void resume(WorkQueue& queue) {
    const ResilienceOptions& o = spec_.resilience;
    const RestoredSweep restored =
        restore_sweep_checkpoint(*o.resume_from, plan_, results_, o.checkpoint);
    checkpoint_seq_ = o.resume_from->sequence;
    for (std::int64_t p = 0; p < plan_.n_points(); ++p) {
      if (!restored.point_complete[static_cast<std::size_t>(p)]) continue;
      merger_->restore_point(p);
      state_.point_complete[static_cast<std::size_t>(p)] = 1;
    }
    progress_->add_done(restored.tasks_done);
    for (const OpenChunk& oc : restored.replay) {
      detail::Reader rd(oc.bytes);
      consume_chunk(oc.rank, rd, oc.bytes);
      if (!rd.at_end()) throw InputError(o.checkpoint + ": a stored chunk has trailing bytes");
    }
    results_.tasks_resumed = progress_->done();
    queue.remove_if(
        [&](std::int64_t id) { return restored.done.test(static_cast<std::uint64_t>(id)); });
  }

  void maybe_checkpoint() {
    const ResilienceOptions& o = spec_.resilience;
    if (o.checkpoint.empty() || o.checkpoint_every <= 0) return;
    if (seconds_since(last_checkpoint_) >= o.checkpoint_every) write_checkpoint_now();
  }

  /// A failed write leaves the previous checkpoint intact; the sweep goes on.
  void write_checkpoint_now() {
    try {
      write_checkpoint(
          spec_.resilience.checkpoint,
          make_sweep_checkpoint(identity_, ++checkpoint_seq_, plan_, results_, state_));
      ++results_.checkpoints_written;
      results_.checkpoint_error.clear();
    } catch (const RuntimeError& e) {
      results_.checkpoint_error = e.what();
      std::cerr << "icnsim: warning: checkpoint not written (the previous one is intact): "
                << e.what() << std::endl;
    }
    last_checkpoint_ = Clock::now();
  }

  void init_results() {
    SweepResults& r = results_;
    r.n_points = plan_.n_points();
    r.replicates = plan_.replicates();
    r.ticks = spec_.ticks;
    r.chunk = plan_.chunk_size();
    r.observables = spec_.model->observables;
    r.finals = spec_.model->finals;
    for (std::size_t k = 0; k < layout_.n_obs; ++k)
      r.series.push_back(make_output(r.n_points, layout_.rows));
    for (std::size_t j = 0; j < layout_.n_fin; ++j)
      r.final_stats.push_back(make_output(r.n_points, 1));
    const auto n = static_cast<std::size_t>(plan_.n_tasks());
    RunTable& t = r.runs;
    t.point.assign(n, -1);
    t.replicate.assign(n, -1);
    t.status.assign(n, -1);
    t.rank.assign(n, -1);
    t.attempts.assign(n, 0);
    t.message.assign(n, std::string());
    t.wall_seconds.assign(n, std::numeric_limits<double>::quiet_NaN());
    t.finals.assign(layout_.n_fin, std::vector<double>(n));
    t.last.assign(layout_.n_obs, std::vector<double>(n));
    if (spec_.keep_runs) t.series.assign(n * layout_.series_slots(), 0.0);
    r.timing.busy_seconds.assign(static_cast<std::size_t>(comm_.size()), 0.0);
  }

  struct Task {
    std::int64_t point;
    std::int64_t replicate;
  };

  // Runs the tasks of a batch; `service` is called between tasks by the calling thread only.
  // ran[i] says whether task i ran: after a stop request no task starts.
  std::vector<ReplicateResult> run_tasks(const std::vector<Task>& tasks, const Service& service,
                                         std::vector<char>& ran) {
    std::vector<ReplicateResult> out(tasks.size());
    ran.assign(tasks.size(), 0);
    const double estimate = task_estimate_;
    // A stop also abandons the runs in progress, at their next tick, so that stopping
    // takes one tick plus the checkpoint, however long a run is.
    const TickHook abandon_on_stop = [this](std::int64_t, const model::Model&) {
      if (stop_.stop()) throw TaskAbandoned{};
    };
    const auto run_one = [&](std::size_t i, int inner_threads) {
      if (!stop_.may_start(estimate)) return;
      const Task& t = tasks[i];
      const rng::TaskKey key{spec_.master_seed,
                             static_cast<std::uint32_t>(spec_.first_point + t.point),
                             static_cast<std::uint32_t>(t.replicate)};
      // A failing run is recorded, not thrown (run_task). A model rejecting a point's
      // parameters is bad input and ends the job; the error names the task.
      try {
        out[i] = run_task(*spec_.model, spec_.points[static_cast<std::size_t>(t.point)], key,
                          spec_.ticks, model::ExecOptions{inner_threads}, spec_.failures,
                          abandon_on_stop);
        ran[i] = 1;
      } catch (const TaskAbandoned&) {
        return;  // not done: it runs again, from its start, on resume
      } catch (const InputError& e) {
        throw InputError("point " + std::to_string(t.point) + ", replicate " +
                         std::to_string(t.replicate) + ": " + e.what());
      }
    };
    if (mode_ == OmpMode::kInside) {
      for (std::size_t i = 0; i < tasks.size(); ++i) {
        run_one(i, threads_);
        service();
      }
      return out;
    }
    std::exception_ptr error;
    std::atomic<bool> failed{false};
    const auto n = static_cast<std::int64_t>(tasks.size());
    // Thread 0 of the team is the thread that called us, the only one that may talk MPI.
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads_)
    for (std::int64_t i = 0; i < n; ++i) {
      if (failed.load()) continue;
      try {
        run_one(static_cast<std::size_t>(i), 1);
        if (thread_id() == 0) service();
      } catch (...) {
#pragma omp critical(icn_sweep_error)
        if (!error) error = std::current_exception();
        failed.store(true);
      }
    }
    if (error) std::rethrow_exception(error);
    return out;
  }

  Bytes execute(std::span<const std::int64_t> ids, const Service& service) {
    const auto t0 = Clock::now();
    double service_seconds = 0;
    const Service timed_service = [&] {
      const auto s0 = Clock::now();
      service();
      service_seconds += seconds_since(s0);
    };
    std::vector<Task> tasks;
    std::vector<Chunk> chunks;
    for (const std::int64_t id : ids) {
      chunks.push_back(plan_.chunk(id));
      for (std::int64_t r = 0; r < chunks.back().n_replicates; ++r) {
        tasks.push_back({chunks.back().point, chunks.back().first_replicate + r});
      }
    }
    std::vector<char> ran;
    const std::vector<ReplicateResult> results = run_tasks(tasks, timed_service, ran);
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (ran[i]) task_estimate_ = std::max(task_estimate_, results[i].wall_seconds);
    }

    // Only chunks whose every task ran are sent (all of them, unless stopped).
    std::vector<Bytes> encoded;
    std::size_t first = 0;
    for (std::size_t c = 0; c < chunks.size(); ++c) {
      const auto n = static_cast<std::size_t>(chunks[c].n_replicates);
      const auto all_ran = std::all_of(ran.begin() + static_cast<std::ptrdiff_t>(first),
                                       ran.begin() + static_cast<std::ptrdiff_t>(first + n),
                                       [](char x) { return x != 0; });
      if (all_ran) encoded.push_back(encode_chunk(chunks[c], std::span(results).subspan(first, n)));
      first += n;
    }
    busy_seconds_ += seconds_since(t0) - service_seconds;

    detail::Writer w;
    w.put<double>(busy_seconds_);
    w.put<std::uint64_t>(encoded.size());
    Bytes out = w.take();
    for (const Bytes& e : encoded) out.insert(out.end(), e.begin(), e.end());
    return out;
  }

  // The chunk's aggregate, built in replicate order from its successful runs, then its
  // per-run rows (failed ones included).
  Bytes encode_chunk(const Chunk& c, std::span<const ReplicateResult> reps) const {
    const std::size_t n_slots = layout_.slots();
    const std::size_t series_slots = layout_.series_slots();
    Aggregate agg(n_slots);
    const auto n = static_cast<std::int64_t>(n_slots);
    // Slots are independent; each is fed its values in replicate order.
#pragma omp parallel for schedule(static) num_threads(threads_) if (n_slots * reps.size() > 4096)
    for (std::int64_t s = 0; s < n; ++s) {
      const auto slot = static_cast<std::size_t>(s);
      for (const ReplicateResult& r : reps) {
        if (!r.ok()) continue;
        agg[slot].add(slot < series_slots ? r.series[slot] : r.finals[slot - series_slots]);
      }
    }
    detail::Writer w;
    w.put<std::int64_t>(c.id);
    for (const auto& a : agg) {
      const std::vector<double> state = a.serialize();
      w.put_span(std::span<const double>(state));
    }
    for (const ReplicateResult& r : reps) {
      w.put<std::int64_t>(static_cast<std::int64_t>(r.status));
      w.put<std::int64_t>(r.attempts);
      w.put_string(r.message);
      w.put<double>(r.wall_seconds);
      w.put_span(std::span<const double>(r.finals));
      w.put_span(r.row(r.ticks));
      if (spec_.keep_runs) w.put_span(std::span<const double>(r.series));
    }
    return w.take();
  }

  void consume(int rank, std::span<const std::byte> payload) {
    detail::Reader rd(payload);
    const double busy = rd.get<double>();
    results_.timing.busy_seconds[static_cast<std::size_t>(rank)] = busy;
    progress_->set_busy(rank, busy);
    ++results_.timing.batches;
    const auto n_chunks = rd.get<std::uint64_t>();
    for (std::uint64_t i = 0; i < n_chunks; ++i) consume_chunk(rank, rd, payload);
    if (!rd.at_end())
      throw RuntimeError("internal: trailing bytes in a result from rank " + std::to_string(rank));
  }

  // `payload` is what `rd` reads: a chunk's bytes are kept for checkpoints until its point
  // is complete.
  void consume_chunk(int rank, detail::Reader& rd, std::span<const std::byte> payload) {
    const std::size_t begin = rd.position();
    const Chunk c = plan_.chunk(rd.get<std::int64_t>());
    Aggregate agg;
    agg.reserve(layout_.slots());
    for (std::size_t s = 0; s < layout_.slots(); ++s) {
      agg.push_back(stats::Accumulator::deserialize(rd.get_vector<double>()));
    }

    RunTable& t = results_.runs;
    for (std::int64_t k = 0; k < c.n_replicates; ++k) {
      const std::int64_t rep = c.first_replicate + k;
      const auto row = static_cast<std::size_t>(plan_.task_index(c.point, rep));
      t.point[row] = c.point;
      t.replicate[row] = rep;
      t.status[row] = rd.get<std::int64_t>();
      t.attempts[row] = rd.get<std::int64_t>();
      t.message[row] = rd.get_string();
      t.rank[row] = rank;
      t.wall_seconds[row] = rd.get<double>();
      const std::vector<double> finals = rd.get_vector<double>();
      const std::vector<double> last = rd.get_vector<double>();
      if (finals.size() != layout_.n_fin || last.size() != layout_.n_obs) {
        throw RuntimeError("internal: run row of unexpected size from rank " +
                           std::to_string(rank));
      }
      for (std::size_t j = 0; j < layout_.n_fin; ++j) t.finals[j][row] = finals[j];
      for (std::size_t j = 0; j < layout_.n_obs; ++j) t.last[j][row] = last[j];
      if (spec_.keep_runs) {
        const std::vector<double> series = rd.get_vector<double>();
        if (series.size() != layout_.series_slots())
          throw RuntimeError("internal: series of unexpected size");
        std::copy(series.begin(), series.end(),
                  t.series.begin() + static_cast<std::ptrdiff_t>(row * series.size()));
      }
    }
    progress_->add_done(c.n_replicates);
    if (!spec_.resilience.checkpoint.empty()) {
      const auto bytes = payload.subspan(begin, rd.position() - begin);
      state_.open[c.point].push_back({c.id, rank, Bytes(bytes.begin(), bytes.end())});
    }
    merger_->add(c.id, std::move(agg));
  }

  void finalize_point(std::int64_t point, const Aggregate& agg) {
    const auto p = static_cast<std::size_t>(point);
    state_.point_complete[p] = 1;
    state_.open.erase(point);
    const auto rows = static_cast<std::size_t>(layout_.rows);
    for (std::size_t t = 0; t < rows; ++t) {
      for (std::size_t k = 0; k < layout_.n_obs; ++k)
        store(results_.series[k], p * rows + t, agg[t * layout_.n_obs + k]);
    }
    for (std::size_t j = 0; j < layout_.n_fin; ++j)
      store(results_.final_stats[j], p, agg[layout_.series_slots() + j]);
  }

  Comm& comm_;
  const SweepSpec& spec_;
  ChunkPlan plan_;
  Layout layout_;
  OmpMode mode_;
  int threads_;
  double busy_seconds_ = 0;
  double task_estimate_ = 0;  // longest task this rank has run, seconds (deadline checks)
  StopPolicy stop_;
  // rank 0: checkpoints
  CheckpointIdentity identity_;
  SweepState state_;
  std::uint64_t checkpoint_seq_ = 0;
  Clock::time_point last_checkpoint_;
  SweepResults results_;
  std::optional<Progress> progress_;
  std::optional<ChunkMerger<Aggregate>> merger_;
};

}  // namespace

SweepResults run_sweep(Comm& comm, const SweepSpec& spec, const ProgressOptions& progress) {
  check_spec(spec);
  SweepRunner runner(comm, spec, progress);
  return runner.run();
}

}  // namespace icn::exec
