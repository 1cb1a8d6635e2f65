#include <iostream>

#include "icn/cli/commands.h"
#include "icn/core/error.h"
#include "icn/exec/openmp.h"
#include "icn/exec/replicate.h"
#include "icn/io/config.h"
#include "icn/io/run_file.h"

namespace icn::cli {
namespace {

struct RunOptions {
  std::string config;
  std::vector<std::string> sets;
  std::string output = "icnsim_run.h5";
  std::string csv;
  std::string model;
  std::int64_t seed = -1;
  std::int64_t ticks = -1;
  std::int64_t snapshot_every = 0;
  std::uint32_t point = 0;
  std::uint32_t replicate = 0;
  int threads = 0;
  bool overwrite = false;
  bool resume = false;  ///< [ensemble] only: continue the interrupted sweep
};

int run(const RunOptions& o, const Context& ctx) {
  std::vector<std::string> sets = o.sets;
  if (!o.model.empty()) sets.insert(sets.begin(), "run.model=\"" + o.model + "\"");
  if (o.seed >= 0) sets.push_back("run.seed=" + std::to_string(o.seed));
  if (o.ticks >= 0) sets.push_back("run.ticks=" + std::to_string(o.ticks));
  const io::Config cfg =
      io::load_config(o.config.empty() ? std::nullopt : std::optional(o.config), sets);
  if (cfg.extra.contains("ensemble")) {  // an ensemble: run the sweep (cmd_sweep.cpp) instead
    if (!o.csv.empty() || o.snapshot_every > 0) {
      throw InputError(cfg.origin +
                       ": --csv and --snapshot-every apply to one replicate, not to an [ensemble]");
    }
    SweepArgs s;
    s.config = o.config;
    s.sets = sets;
    s.output = o.output;
    s.overwrite = o.overwrite;
    s.threads = o.threads;
    s.resume = o.resume;
    return run_sweep(s, ctx);
  }
  if (o.resume) {
    throw InputError(cfg.origin +
                     ": --resume continues an interrupted [ensemble]; one replicate has no "
                     "checkpoint");
  }

  io::check_output_path(o.output, o.overwrite, "-o");
  if (!o.csv.empty()) io::check_output_path(o.csv, o.overwrite, "--csv");

  const int threads = o.threads > 0 ? o.threads : exec::max_threads();
  io::RunFileWriter writer(o.output, o.overwrite);
  exec::TickHook hook;
  model::Snapshot snap;
  if (o.snapshot_every > 0) {
    hook = [&](std::int64_t t, const model::Model& m) {
      if (t % o.snapshot_every != 0 && t != cfg.run.ticks) return;
      snap = {};
      if (m.snapshot(snap)) writer.add_snapshot(t, snap);
    };
  }
  const rng::TaskKey task{static_cast<std::uint64_t>(cfg.run.seed), o.point, o.replicate};
  const exec::ReplicateResult r =
      exec::run_replicate(*cfg.model, cfg.model_values, task, cfg.run.ticks, {threads}, hook);

  io::Provenance prov{"run",
                      ctx.command_line,
                      cfg.resolved_toml(),
                      cfg.model->name,
                      static_cast<std::uint64_t>(cfg.run.seed),
                      1,
                      threads};
  writer.finish(prov, *cfg.model, r);
  if (!o.csv.empty()) io::write_run_csv(o.csv, *cfg.model, r);

  std::cerr << "icnsim run: model " << cfg.model->name << ", " << cfg.run.ticks << " ticks, seed "
            << cfg.run.seed << ", " << threads << " thread(s), " << r.wall_seconds << " s\n";
  std::cout << "results: " << o.output << (o.csv.empty() ? "" : " and " + o.csv) << "\n";
  return 0;
}

}  // namespace

Action add_run(CLI::App& app) {
  auto o = std::make_shared<RunOptions>();
  app.add_option("config", o->config,
                 "TOML configuration (default: the embedded default scenario)");
  app.add_option("--set", o->sets, "Override a parameter: section.key=value (repeatable)");
  app.add_option("-o,--output", o->output, "HDF5 output file")->capture_default_str();
  app.add_option("--csv", o->csv, "Also write the per-tick observables as CSV");
  app.add_option("--model", o->model, "Model to run (overrides run.model)");
  app.add_option("--seed", o->seed, "Master seed (overrides run.seed)")->check(non_negative());
  app.add_option("--ticks", o->ticks, "Ticks (overrides run.ticks)")->check(non_negative());
  app.add_option("--snapshot-every", o->snapshot_every, "Also write the network every N ticks")
      ->check(non_negative());
  app.add_option("--point", o->point, "Design point index of the random key (default 0)");
  app.add_option("--replicate", o->replicate, "Replicate index of the random key (default 0)");
  app.add_option("--threads", o->threads,
                 "OpenMP threads inside the replicate (default OMP_NUM_THREADS)")
      ->check(non_negative());
  app.add_flag("--overwrite", o->overwrite, "Replace existing output files");
  app.add_flag("--resume", o->resume,
               "With an [ensemble]: continue the interrupted sweep from its checkpoint "
               "(<output>.ckpt); see icnsim sweep --help for the other sweep options");
  return [o](const Context& ctx) { return run(*o, ctx); };
}

}  // namespace icn::cli
