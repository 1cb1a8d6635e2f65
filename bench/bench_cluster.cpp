// Throughput of the cluster model in actor-steps per second:
//   - BM_ClusterDefault, BM_Cluster100k(Wall): full ticks (all five stages and the
//     statistics) at the default scenario and at 10^5 firms (the rates are per CPU second
//     of the main thread, except BM_Cluster100kWall: per wall-clock second);
//   - BM_Tick/<firms>/<threads>: one full tick at 10^3, 10^4 and 10^5 firms (99 % SMEs,
//     1 % leading firms), wall clock;
//   - BM_Stage<Name>/<SMEs>: one stage of a tick on its own (exchange, competition, the
//     market clearing alone, cooperation, sharing, evaluation, observables, observables
//     at a metrics tick), and the whole tick from the same states (AllStages: stage by
//     stage, WholeStep: ClusterModel::step()), on replicates warmed up kWarmTicks ticks;
//     every iteration restores a model as it was just before the stage (untimed) and runs
//     the stage once (timed); CPU time of the main thread.
// Outside Google Benchmark: --stage-times (each stage's time inside whole ticks),
// --run-times (whole runs on several thread counts, alternated), --check-stages (the
// stage-by-stage tick equals step()), --ticks (for profilers).
//
//   build/bench/bench_cluster --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "icn/core/huge_pages.h"
#include "icn/model/cluster/cluster_model.h"

namespace icn::model::cluster {

/// The single stages of a tick, in the order ClusterModel::step() runs them.
enum class Phase {
  kExchange,
  kCompetition,
  kClearing,
  kCooperation,
  kSharing,
  kEvaluation,
  kObservables,
  kAllStages,  ///< a whole tick, stage by stage (begin, then every stage of kTick)
  kStep,       ///< a whole tick by ClusterModel::step()
};

/// Runs the stages of one tick of a model separately (ClusterModel::begin_tick() and
/// run_stage(), of which step() is made), and saves and restores everything a stage
/// changes. Benchmarks only: nothing here changes the model's results.
struct StageAccess {
  /// Everything of a model that a tick changes (all but the settings, key and twin).
  struct Saved {
    rng::Key key;
    std::uint32_t tick;
    Settings tick_set;
    State st;
    Ledger ledger;
    TickCounters counters;
    CellGrid grid;
    std::vector<std::uint8_t> include;
    Exchange exchange;
    Market market;
    Cooperation cooperation;
    Sharing sharing;
    Evaluation evaluation;
    Finance finance;
    Universities universities;
    Calls calls;
    Intermediaries intermediaries;
    Observer observer;
    std::vector<double> obs;
    Lifecycle lifecycle;
  };
  static Saved save(const ClusterModel& m) {
    return Saved{m.key_,         m.tick_,           m.tick_set_,   m.st_,       m.ledger_,
                 m.counters_,    m.grid_,           m.include_,    m.exchange_, m.market_,
                 m.cooperation_, m.sharing_,        m.evaluation_, m.finance_,  m.universities_,
                 m.calls_,       m.intermediaries_, m.observer_,   m.obs_,      m.lifecycle_};
  }
  static void restore(ClusterModel& m, const Saved& s) {
    m.key_ = s.key;
    m.tick_ = s.tick;
    m.tick_set_ = s.tick_set;
    m.st_ = s.st;
    m.ledger_ = s.ledger;
    m.counters_ = s.counters;
    m.grid_ = s.grid;
    m.include_ = s.include;
    m.exchange_ = s.exchange;
    m.market_ = s.market;
    m.cooperation_ = s.cooperation;
    m.sharing_ = s.sharing;
    // The saved copies point at the intermediaries of the model they were saved from.
    m.cooperation_.set_intermediaries(&m.intermediaries_);
    m.sharing_.set_intermediaries(&m.intermediaries_);
    m.evaluation_ = s.evaluation;
    m.finance_ = s.finance;
    m.universities_ = s.universities;
    m.calls_ = s.calls;
    m.intermediaries_ = s.intermediaries;
    m.observer_ = s.observer;
    m.obs_ = s.obs;
    m.lifecycle_ = s.lifecycle;
  }

  /// The stages of a full tick in order (kClearing is part of kCompetition).
  static constexpr Phase kTick[] = {Phase::kExchange, Phase::kCompetition, Phase::kCooperation,
                                    Phase::kSharing,  Phase::kEvaluation,  Phase::kObservables};

  /// The team size of the model's parallel regions from now on.
  static void set_threads(ClusterModel& m, int threads) { m.threads_ = threads; }

  /// Starts the next tick, as ClusterModel::step() does before its stages.
  static void begin(ClusterModel& m) {
    if (m.twin_) throw std::logic_error("StageAccess: the resilience twin is not supported");
    m.begin_tick();
  }

  /// Starts the next tick and runs its stages up to (not including) `phase`.
  static void run_until(ClusterModel& m, Phase phase) {
    if (phase == Phase::kAllStages || phase == Phase::kStep) return;
    begin(m);
    for (Phase ph : kTick) {
      if (ph == phase) return;
      if (phase == Phase::kClearing && ph == Phase::kCompetition) {
        m.market_.manufacture_all(m.st_, m.context());
        return;
      }
      run(m, ph);
    }
  }

  /// Runs `phase` alone, where run_until(m, phase) left the model.
  static void run(ClusterModel& m, Phase phase) {
    using S = ClusterModel::TickStage;
    switch (phase) {
      case Phase::kExchange: m.run_stage(S::kExchange); break;
      case Phase::kCompetition: m.run_stage(S::kCompetition); break;
      case Phase::kClearing: m.market_.clear(m.st_, m.tick_set_); break;
      case Phase::kCooperation: m.run_stage(S::kCooperation); break;
      case Phase::kSharing: m.run_stage(S::kSharing); break;
      case Phase::kEvaluation: m.run_stage(S::kEvaluation); break;
      case Phase::kObservables: m.run_stage(S::kObservables); break;
      case Phase::kAllStages:
        begin(m);
        for (Phase ph : kTick) run(m, ph);
        break;
      case Phase::kStep: m.step(); break;
    }
  }
};

}  // namespace icn::model::cluster

namespace {

using icn::model::cluster::ClusterModel;
using icn::model::cluster::ClusterParams;

// The benchmarks' population: n_sme SMEs and one leading firm per hundred (at least one).
ClusterParams population(std::int64_t n_sme) {
  ClusterParams p;
  p.n_sme = n_sme;
  p.n_leading = std::max<std::int64_t>(1, n_sme / 100);
  return p;
}

// Runs ticks 1..horizon of fresh replicates over and over; construction is not timed.
void run_steps(benchmark::State& state, std::int64_t n_sme, std::uint32_t horizon, int threads) {
  const ClusterParams p = population(n_sme);
  std::unique_ptr<ClusterModel> m;
  double actor_steps = 0;
  std::uint32_t replicate = 0;
  for (auto _ : state) {
    if (!m || m->tick() >= horizon) {
      state.PauseTiming();
      m = std::make_unique<ClusterModel>(p, icn::rng::Key::derive({1, 0, replicate++}),
                                         icn::model::ExecOptions{threads});
      state.ResumeTiming();
    }
    actor_steps += m->state().live_count();
    m->step();
  }
  state.counters["actor_steps"] = benchmark::Counter(actor_steps, benchmark::Counter::kIsRate);
  state.counters["actors"] = static_cast<double>(m->state().live_count());
  state.counters["bytes_per_actor"] = [&] {
    const auto& st = m->state();
    const double per_slot =
        sizeof(icn::model::cluster::Triple) * static_cast<double>(st.pool.capacity()) +
        4.0 * static_cast<double>(st.ih_tid.capacity() + st.geo_ids.capacity()) +
        sizeof(icn::model::cluster::PrevPartner) * static_cast<double>(st.prev_partners.capacity());
    return per_slot / st.slots() + 150.0;  // + the scalar columns (about 150 bytes)
  }();
}

void BM_ClusterDefault(benchmark::State& state) {
  run_steps(state, 500, 50, static_cast<int>(state.range(0)));
}
BENCHMARK(BM_ClusterDefault)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);

void BM_Cluster100k(benchmark::State& state) {
  run_steps(state, 99000, 20, static_cast<int>(state.range(0)));
}
BENCHMARK(BM_Cluster100k)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(40);
// The same on 1 and 2 threads, timed by the wall clock (the CPU time above is the main
// thread's only), so that the ratio of the two rates is the parallel speedup.
BENCHMARK(BM_Cluster100k)
    ->Name("BM_Cluster100kWall")
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(40);

// One full tick at `firms` firms (99 % SMEs, 1 % leading firms) on `threads` threads,
// wall clock; fresh replicates every 20 ticks (setup untimed).
void BM_Tick(benchmark::State& state) {
  const std::int64_t firms = state.range(0);
  ClusterParams p;
  p.n_leading = std::max<std::int64_t>(1, firms / 100);
  p.n_sme = firms - p.n_leading;
  std::unique_ptr<ClusterModel> m;
  double actor_steps = 0;
  std::uint32_t replicate = 0;
  for (auto _ : state) {
    if (!m || m->tick() >= 20) {
      state.PauseTiming();
      m = std::make_unique<ClusterModel>(p, icn::rng::Key::derive({1, 0, replicate++}),
                                         icn::model::ExecOptions{static_cast<int>(state.range(1))});
      state.ResumeTiming();
    }
    actor_steps += m->state().live_count();
    m->step();
  }
  state.counters["actor_steps"] = benchmark::Counter(actor_steps, benchmark::Counter::kIsRate);
  state.counters["actors"] = static_cast<double>(m->state().live_count());
}
BENCHMARK(BM_Tick)
    ->ArgNames({"firms", "threads"})
    ->Args({1000, 1})
    ->Args({10000, 1})
    ->Args({1000, 2})
    ->Args({10000, 2})
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
// 10^5 firms: 20 ticks of one replicate (setup about 3 s, untimed).
BENCHMARK(BM_Tick)
    ->Name("BM_Tick100k")
    ->ArgNames({"firms", "threads"})
    ->Args({100000, 1})
    ->Args({100000, 2})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(20);

// One stage alone: replicates of `range(0)` SMEs (and 1 % leading firms) warmed up
// `warm_ticks` ticks, then the next tick runs up to the stage; each iteration restores one
// of these states (untimed) and runs the stage (timed). The states of several replicates
// take turns: replaying one state over and over lets the branch predictor and the caches
// learn it, and a stage of 50 us then runs 3-5 times faster than within a real tick (see
// docs/performance.md; --stage-times measures the stages inside whole ticks).
// actor_steps counts live actors.
constexpr int kWarmTicks = 5;
void stage_bench(benchmark::State& state, icn::model::cluster::Phase phase,
                 int warm_ticks = kWarmTicks) {
  using icn::model::cluster::StageAccess;
  const ClusterParams p = population(state.range(0));
  const int n_states = p.n_sme <= 1000 ? 16 : 2;
  std::vector<StageAccess::Saved> states;
  std::vector<double> actors;
  std::unique_ptr<ClusterModel> m;
  for (int k = 0; k < n_states; ++k) {
    m = std::make_unique<ClusterModel>(p,
                                       icn::rng::Key::derive({1, 0, static_cast<std::uint32_t>(k)}),
                                       icn::model::ExecOptions{1});
    for (int t = 0; t < warm_ticks; ++t) m->step();
    StageAccess::run_until(*m, phase);
    states.push_back(StageAccess::save(*m));
    actors.push_back(m->state().live_count());
  }
  double actor_steps = 0;
  std::size_t k = 0;
  for (auto _ : state) {
    state.PauseTiming();
    k = (k + 1) % states.size();
    StageAccess::restore(*m, states[k]);
    state.ResumeTiming();
    StageAccess::run(*m, phase);
    actor_steps += actors[k];
  }
  state.counters["actor_steps"] = benchmark::Counter(actor_steps, benchmark::Counter::kIsRate);
  state.counters["actors"] = actors[0];
}
#define ICN_STAGE_BENCH(NAME, PHASE)                       \
  void BM_Stage##NAME(benchmark::State& state) {           \
    stage_bench(state, icn::model::cluster::Phase::PHASE); \
  }                                                        \
  BENCHMARK(BM_Stage##NAME)->ArgName("sme")->Arg(500)->Arg(10000)->Unit(benchmark::kMicrosecond)
ICN_STAGE_BENCH(Exchange, kExchange);
ICN_STAGE_BENCH(Competition, kCompetition);
ICN_STAGE_BENCH(MarketClearing, kClearing);
ICN_STAGE_BENCH(Cooperation, kCooperation);
ICN_STAGE_BENCH(Sharing, kSharing);
ICN_STAGE_BENCH(Evaluation, kEvaluation);
ICN_STAGE_BENCH(Observables, kObservables);
#undef ICN_STAGE_BENCH
// The whole tick, from the same restored states as the single stages (so that their sum
// can be compared with it): stage by stage through StageAccess, and by ClusterModel::step().
void BM_StageAllStages(benchmark::State& state) {
  stage_bench(state, icn::model::cluster::Phase::kAllStages);
}
BENCHMARK(BM_StageAllStages)->ArgName("sme")->Arg(500)->Arg(10000)->Unit(benchmark::kMicrosecond);
void BM_StageWholeStep(benchmark::State& state) {
  stage_bench(state, icn::model::cluster::Phase::kStep);
}
BENCHMARK(BM_StageWholeStep)->ArgName("sme")->Arg(500)->Arg(10000)->Unit(benchmark::kMicrosecond);

// The observables at a tick with network metrics (tick 10: metrics_every = 10).
void BM_StageObservablesMetrics(benchmark::State& state) {
  stage_bench(state, icn::model::cluster::Phase::kObservables, 9);
}
BENCHMARK(BM_StageObservablesMetrics)
    ->ArgName("sme")
    ->Arg(500)
    ->Arg(10000)
    ->Unit(benchmark::kMicrosecond);

// --check-stages: the stage-by-stage tick of StageAccess, with every stage run twice
// (restoring the state in between), must give the observables of ClusterModel::step()
// bit for bit, also when the state is restored into another replicate's model (as the
// single-stage benchmarks do); a smoke test runs it, so the benchmarks' tick cannot
// drift from the model's.
int check_stages_main() {
  using icn::model::cluster::Phase;
  using icn::model::cluster::StageAccess;
  ClusterParams p;
  p.n_sme = 300;
  p.n_leading = 3;
  p.metrics_every = 2;
  const auto key = icn::rng::Key::derive({7, 0, 1});
  ClusterModel a(p, key, icn::model::ExecOptions{1});
  ClusterModel b(p, key, icn::model::ExecOptions{1});
  ClusterModel c(p, icn::rng::Key::derive({7, 0, 2}), icn::model::ExecOptions{1});
  int bad = 0;
  const auto compare = [&](int t, const char* what, const ClusterModel& m) {
    const auto oa = a.observables(), om = m.observables();
    for (std::size_t k = 0; k < oa.size(); ++k) {
      if (std::memcmp(&oa[k], &om[k], sizeof(double)) != 0) {
        std::fprintf(stderr, "tick %d observable %zu: step() %.17g, %s %.17g\n", t, k, oa[k], what,
                     om[k]);
        ++bad;
      }
    }
  };
  for (int t = 1; t <= 8; ++t) {
    a.step();
    StageAccess::restore(c, StageAccess::save(b));  // b's replicate, in c's model
    StageAccess::begin(b);
    StageAccess::begin(c);
    for (Phase ph : StageAccess::kTick) {
      const StageAccess::Saved before = StageAccess::save(b);
      StageAccess::run(b, ph);
      StageAccess::restore(b, before);
      StageAccess::run(b, ph);
      StageAccess::run(c, ph);
    }
    compare(t, "stages", b);
    compare(t, "stages in another model", c);
  }
  std::printf("check-stages: %s\n", bad ? "MISMATCH" : "stage-by-stage ticks equal step()");
  return bad ? 1 : 0;
}

// --stage-times N_SME [REPEATS] [THREADS[,THREADS...]]: the wall time of each stage (and of
// begin_tick) within the whole tick kWarmTicks + 1, repeated from the restored state; prints
// the mean per stage and its share of the tick. With several team sizes (e.g. 1,2) every
// repetition runs the tick once on each, in turn (the order rotating from one repetition to the
// next: the first run after a restore is often slower), so that a slow spell of this shared
// machine weighs on all of them alike; the speed-up of each stage over the first team is printed.
// The parts of a tick that --stage-times and --run-times time: begin_tick, then the six
// stages.
constexpr int kParts = 7;
constexpr const char* kPartNames[kParts] = {"begin (customer lists)",
                                            "exchange",
                                            "competition",
                                            "cooperation",
                                            "sharing",
                                            "evaluation",
                                            "observables"};
using PartTimes = std::array<double, kParts>;

// One tick, stage by stage (the same as step(): --check-stages), each part's wall time
// added to `acc`.
void timed_tick(ClusterModel& m, PartTimes& acc) {
  using icn::model::cluster::StageAccess;
  using Clock = std::chrono::steady_clock;
  auto t0 = Clock::now();
  StageAccess::begin(m);
  for (int k = 0; k < kParts; ++k) {  // part 0 is begin_tick, part k the k-th stage
    if (k > 0) StageAccess::run(m, StageAccess::kTick[k - 1]);
    const auto t1 = Clock::now();
    acc[static_cast<std::size_t>(k)] += std::chrono::duration<double>(t1 - t0).count();
    t0 = t1;
  }
}

int stage_times_main(int argc, char** argv, int at) {
  using icn::model::cluster::Phase;
  using icn::model::cluster::StageAccess;
  if (at + 1 >= argc) {
    std::fprintf(stderr, "usage: bench_cluster --stage-times N_SME [REPEATS] [THREADS[,...]]\n");
    return 2;
  }
  const ClusterParams p = population(std::atol(argv[at + 1]));
  const int repeats = at + 2 < argc ? std::atoi(argv[at + 2]) : 200;
  std::vector<int> teams;
  for (const char* t = at + 3 < argc ? argv[at + 3] : "1"; *t;) {
    char* end = nullptr;
    teams.push_back(static_cast<int>(std::strtol(t, &end, 10)));
    if (end == t || teams.back() < 1 || (*end && *end != ',')) {
      std::fprintf(stderr,
                   "bench_cluster --stage-times: THREADS '%s': positive integers, "
                   "separated by commas\n",
                   argv[at + 3]);
      return 2;
    }
    t = *end ? end + 1 : end;
  }
  ClusterModel m(p, icn::rng::Key::derive({1, 0, 0}), icn::model::ExecOptions{1});
  for (int t = 0; t < kWarmTicks; ++t) m.step();
  const StageAccess::Saved before = StageAccess::save(m);
  std::vector<PartTimes> time(teams.size(), PartTimes{});
  for (int r = 0; r < repeats; ++r) {
    for (std::size_t turn = 0; turn < teams.size(); ++turn) {
      const std::size_t team = (turn + static_cast<std::size_t>(r)) % teams.size();
      StageAccess::restore(m, before);
      StageAccess::set_threads(m, teams[team]);
      timed_tick(m, time[team]);
    }
  }
  for (std::size_t team = 0; team < teams.size(); ++team) {
    double total = 0;
    for (double v : time[team]) total += v;
    std::printf("tick %d of %u actors, %d thread(s), mean of %d: %.1f us", kWarmTicks + 1,
                m.state().live_count(), teams[team], repeats, 1e6 * total / repeats);
    double first = 0;
    for (double v : time[0]) first += v;
    if (team > 0) std::printf(" (speed-up %.2fx)", first / total);
    std::printf("\n");
    for (int k = 0; k < kParts; ++k) {
      const double v = time[team][static_cast<std::size_t>(k)];
      std::printf("  %-24s %9.1f us %5.1f %%", kPartNames[k], 1e6 * v / repeats, 100 * v / total);
      if (team > 0) std::printf("  %.2fx", time[0][static_cast<std::size_t>(k)] / v);
      std::printf("\n");
    }
  }
  return 0;
}

// CPU seconds the hypervisor has given this machine's vCPUs to other guests since boot,
// summed over the vCPUs (the `steal` column of /proc/stat's first line); negative where
// the file or the column is missing. On a shared VM a slow run with steal was slowed by
// the host, not by the code, so the timing tools print it beside their figures.
double host_steal_seconds() {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen("/proc/stat", "r"),
                                                          &std::fclose);
  if (!f) return -1;
  unsigned long long v[8] = {};
  if (std::fscanf(f.get(), "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
                  &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
    return -1;
  return static_cast<double>(v[7]) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// The host's steal during variant k's runs (CPU seconds per second of run, summed over the
// vCPUs) and, for k > 0, the speed-up over the repetitions whose two runs both lost under
// 1 % of their wall time to it: the ratio the host did not disturb by taking vCPUs away
// (it can still have slowed both through shared caches and memory, which no counter here
// shows).
template <class Median>
void print_steal(const std::vector<std::vector<double>>& seconds,
                 const std::vector<std::vector<double>>& steal, std::size_t k, Median median) {
  double wall = 0, stolen = 0;
  for (std::size_t r = 0; r < seconds[k].size(); ++r) {
    if (steal[k][r] < 0) return;  // no steal column on this system
    wall += seconds[k][r];
    stolen += steal[k][r];
  }
  std::printf("  host steal %.1f %% of the runs' wall time", 100 * stolen / wall);
  if (k > 0) {
    const auto quiet = [&](std::size_t v, std::size_t r) {
      return steal[v][r] < 0.01 * seconds[v][r];
    };
    std::vector<double> ratio;
    for (std::size_t r = 0; r < seconds[k].size(); ++r) {
      if (quiet(0, r) && quiet(k, r)) ratio.push_back(seconds[0][r] / seconds[k][r]);
    }
    if (ratio.empty()) {
      std::printf("; no repetition without steal");
    } else {
      std::sort(ratio.begin(), ratio.end());
      std::printf("; speed-up over the %zu repetitions without steal %.2fx (median; %.2f-%.2f)",
                  ratio.size(), median(ratio), ratio.front(), ratio.back());
    }
  }
  std::printf("\n");
}

// --run-times N_SME TICKS REPEATS VARIANTS: whole runs, alternated. A variant is a thread
// count, with a suffix `n` for no huge-page advice (include/icn/core/huge_pages.h; malloc's
// tuning, set at start-up, stays: ICN_HUGE_PAGES=0 runs without both), e.g. "1,2" or "2,2n". Each
// repetition builds a fresh replicate (key {1, 0, 0}: the same work every time; setup untimed) per
// variant, in an order that rotates, and times ticks 1..TICKS on the wall clock, so growth, page
// faults and metrics ticks count as in a real run while a slow spell of the shared machine hits
// every variant alike. Prints each variant's median tick time and rate, the median of the
// per-repetition ratios to the first variant, the fastest run's tick time (and the ratio of
// the fastest runs), the host's steal (host_steal_seconds) with the ratio over the
// repetitions it left alone, and each part of the tick (as --stage-times).
int run_times_main(int argc, char** argv, int at) {
  if (at + 4 >= argc) {
    std::fprintf(stderr, "usage: bench_cluster --run-times N_SME TICKS REPEATS VARIANTS\n");
    return 2;
  }
  const ClusterParams p = population(std::atol(argv[at + 1]));
  const int ticks = std::atoi(argv[at + 2]);
  const int repeats = std::atoi(argv[at + 3]);
  struct Variant {
    int threads;
    bool huge;
  };
  std::vector<Variant> variants;
  for (const char* t = argv[at + 4]; *t;) {
    char* end = nullptr;
    Variant v{static_cast<int>(std::strtol(t, &end, 10)), true};
    if (end != t && *end == 'n') {
      v.huge = false;
      ++end;
    }
    if (end == t || v.threads < 1 || (*end && *end != ',')) {
      std::fprintf(stderr, "bench_cluster --run-times: VARIANTS '%s': e.g. 1,2 or 2,2n\n",
                   argv[at + 4]);
      return 2;
    }
    variants.push_back(v);
    t = *end ? end + 1 : end;
  }
  if (ticks < 1 || repeats < 1) {
    std::fprintf(stderr, "bench_cluster --run-times: TICKS and REPEATS must be positive\n");
    return 2;
  }
  std::vector<std::vector<double>> seconds(variants.size()), steal(variants.size());
  std::vector<PartTimes> parts(variants.size(), PartTimes{});
  double actor_steps = 0;
  for (int r = 0; r < repeats; ++r) {
    for (std::size_t turn = 0; turn < variants.size(); ++turn) {
      const std::size_t k = (turn + static_cast<std::size_t>(r)) % variants.size();
      icn::set_huge_pages(variants[k].huge);
      auto m = std::make_unique<ClusterModel>(p, icn::rng::Key::derive({1, 0, 0}),
                                              icn::model::ExecOptions{variants[k].threads});
      double steps = 0;
      PartTimes run{};
      const double steal_before = host_steal_seconds();
      for (int t = 0; t < ticks; ++t) {
        steps += m->state().live_count();
        timed_tick(*m, run);
      }
      steal[k].push_back(steal_before < 0 ? -1 : host_steal_seconds() - steal_before);
      double total = 0;
      for (std::size_t q = 0; q < run.size(); ++q) {
        parts[k][q] += run[q];
        total += run[q];
      }
      seconds[k].push_back(total);
      actor_steps = steps;
    }
  }
  const auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t h = v.size() / 2;
    return v.size() % 2 ? v[h] : 0.5 * (v[h - 1] + v[h]);
  };
  for (std::size_t k = 0; k < variants.size(); ++k) {
    const double med = median(seconds[k]);
    std::printf(
        "%d thread(s)%s: ticks 1-%d of %ld SMEs, median of %d: %.1f ms per tick, %.3g "
        "actor-steps/s",
        variants[k].threads, variants[k].huge ? "" : ", no huge pages", ticks,
        static_cast<long>(p.n_sme), repeats, 1e3 * med / ticks, actor_steps / med);
    if (k > 0) {
      std::vector<double> ratio;
      for (int r = 0; r < repeats; ++r) {
        ratio.push_back(seconds[0][static_cast<std::size_t>(r)] /
                        seconds[k][static_cast<std::size_t>(r)]);
      }
      std::sort(ratio.begin(), ratio.end());
      std::printf(", speed-up over the first %.2fx (median; %.2f-%.2f)", median(ratio),
                  ratio.front(), ratio.back());
    }
    // The fastest run of each variant: the shared machine's slow spells only ever add
    // time, so the minima compare the variants with the least of that noise.
    const double fastest = *std::min_element(seconds[k].begin(), seconds[k].end());
    std::printf("; fastest %.1f ms per tick", 1e3 * fastest / ticks);
    if (k > 0)
      std::printf(" (%.2fx)", *std::min_element(seconds[0].begin(), seconds[0].end()) / fastest);
    std::printf("\n");
    print_steal(seconds, steal, k, median);
    // Where the time goes: each part's share, and its speed-up (ratio of totals).
    for (std::size_t q = 0; q < parts[k].size(); ++q) {
      std::printf("  %-24s %9.1f ms per tick", kPartNames[q], 1e3 * parts[k][q] / repeats / ticks);
      if (k > 0) std::printf("  %.2fx", parts[0][q] / parts[k][q]);
      std::printf("\n");
    }
  }
  return 0;
}

// Minor page faults of the process so far (getrusage).
long minor_faults() {
  rusage use{};
  getrusage(RUSAGE_SELF, &use);
  return use.ru_minflt;
}

// --ticks N T [THREADS]: builds one replicate of N SMEs (and N/100 leading firms) and
// steps it T times, outside Google Benchmark, for profilers; prints the ticks' wall time,
// page faults and host steal, and a checksum of the observables: e.g.
//   valgrind --tool=callgrind --toggle-collect='icn::model::cluster::ClusterModel::step()'
//            build/bench/bench_cluster --ticks 500 50
int ticks_main(int argc, char** argv, int at) {
  if (at + 2 >= argc) {
    std::fprintf(stderr, "usage: bench_cluster --ticks N_SME TICKS [THREADS]\n");
    return 2;
  }
  const ClusterParams p = population(std::atol(argv[at + 1]));
  const int ticks = std::atoi(argv[at + 2]);
  const int threads = at + 3 < argc ? std::atoi(argv[at + 3]) : 1;
  ClusterModel m(p, icn::rng::Key::derive({1, 0, 0}), icn::model::ExecOptions{threads});
  double firms = 0;
  // Equal checksums before and after a change (and at any thread count) mean
  // bit-identical trajectories.
  std::uint64_t checksum = icn::model::cluster::kTrajectoryHashSeed;
  // The ticks' wall time and page faults (a 2 MiB page counts once), for profiling runs:
  // on a VM whose host takes back freed memory a fault can cost milliseconds
  // (docs/performance.md, "Sixteenth session").
  const long faults_before = minor_faults();
  const double steal_before = host_steal_seconds();
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < ticks; ++t) {
    m.step();
    firms += m.observables()[0];
    checksum = icn::model::cluster::trajectory_hash(checksum, m.observables());
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("ticks: %.3f s wall, %ld minor page faults", seconds, minor_faults() - faults_before);
  if (steal_before >= 0) std::printf(", %.2f s host steal", host_steal_seconds() - steal_before);
  std::printf("\n");
  std::printf("%d ticks, %.0f firm-steps, %u actors at the end, observables checksum %016llx\n",
              ticks, firms, m.state().live_count(), static_cast<unsigned long long>(checksum));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--ticks")) return ticks_main(argc, argv, i);
    if (!std::strcmp(argv[i], "--check-stages")) return check_stages_main();
    if (!std::strcmp(argv[i], "--stage-times")) return stage_times_main(argc, argv, i);
    if (!std::strcmp(argv[i], "--run-times")) return run_times_main(argc, argv, i);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
