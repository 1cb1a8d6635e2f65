// icnsim analyze: Sobol' indices or Morris screening of a sweep's results file, from the
// per-point statistics only, printed as tables and stored under /analysis.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <variant>
#include <vector>

#include "icn/analysis/morris_screening.h"
#include "icn/analysis/sobol_indices.h"
#include "icn/cli/commands.h"
#include "icn/core/error.h"
#include "icn/design/saltelli.h"
#include "icn/io/analysis_file.h"

namespace icn::cli {
namespace {

struct AnalyzeOptions {
  std::string path;
  std::vector<std::string> observables;
  std::string statistic;  ///< empty: final, or what --tick / --window imply
  std::string window;     ///< "T0:T1"
  std::int64_t tick = -1;
  std::string window_noise = "correlated";
  int bootstrap = 1000;
  double confidence = 0.95;
  std::uint64_t seed = 1;
  bool no_noise_correction = false;
  double noise_warning = 0.1;
  bool in_place = false;
  bool no_write = false;
};

std::int64_t parse_tick(const std::string& text, const std::string& what) {
  std::size_t pos = 0;
  long long v = -1;
  try {
    v = std::stoll(text, &pos);
  } catch (const std::exception&) {
    pos = 0;
  }
  if (pos == 0 || pos != text.size() || v < 0) {
    throw InputError(what + ": '" + text + "' is not a tick (an integer >= 0)");
  }
  return v;
}

io::StatisticSpec resolve_statistic(const AnalyzeOptions& o) {
  io::StatisticSpec s;
  std::string kind = o.statistic;
  if (kind.empty()) kind = !o.window.empty() ? "window" : o.tick >= 0 ? "tick" : "final";
  if (kind == "final") {
    if (!o.window.empty() || o.tick >= 0) {
      throw InputError(
          "--statistic final reads /final; --window and --tick apply to "
          "--statistic window and tick");
    }
    return s;
  }
  if (kind == "tick") {
    if (o.tick < 0) throw InputError("--statistic tick needs --tick T");
    if (!o.window.empty()) throw InputError("--window applies to --statistic window, not tick");
    s.kind = io::StatisticKind::kTick;
    s.tick = o.tick;
    return s;
  }
  if (o.window.empty()) throw InputError("--statistic window needs --window T0:T1");
  if (o.tick >= 0) throw InputError("--tick applies to --statistic tick, not window");
  const std::size_t colon = o.window.find(':');
  if (colon == std::string::npos) {
    throw InputError("--window: '" + o.window + "' is not T0:T1 (first and last tick, included)");
  }
  s.kind = io::StatisticKind::kWindow;
  s.first = parse_tick(o.window.substr(0, colon), "--window");
  s.last = parse_tick(o.window.substr(colon + 1), "--window");
  if (s.last < s.first) throw InputError("--window " + o.window + ": T1 is before T0");
  s.window_noise = *analysis::parse_window_noise(o.window_noise);  // checked by CLI11
  return s;
}

std::string describe(const io::StatisticSpec& s) {
  switch (s.kind) {
    case io::StatisticKind::kFinal: return "final value of each replicate (/final)";
    case io::StatisticKind::kTick: return "value at tick " + std::to_string(s.tick) + " (/series)";
    case io::StatisticKind::kWindow:
      return "mean over ticks " + std::to_string(s.first) + ".." + std::to_string(s.last) +
             " of each replicate (/series; window noise: " +
             std::string(analysis::window_noise_name(s.window_noise)) + ")";
  }
  return "";
}

std::string fmt(const char* f, double x) {
  if (std::isnan(x)) return "nan";  // printf may say "-nan"
  char buf[48];
  std::snprintf(buf, sizeof buf, f, x);
  return buf;
}

std::string pad(const std::string& s, std::size_t w, bool left = false) {
  if (s.size() >= w) return s;
  return left ? s + std::string(w - s.size(), ' ') : std::string(w - s.size(), ' ') + s;
}

// Resamples can have V > 0 where the full sample does not; their interval around an
// undefined estimate means nothing, so it is not printed (it is stored all the same).
std::string interval(double est, double lo, double hi, const char* f) {
  if (!std::isfinite(est) || (std::isnan(lo) && std::isnan(hi))) return "[   -   ]";
  return "[" + fmt(f, lo) + ", " + fmt(f, hi) + "]";
}

std::size_t name_width(const std::vector<std::string>& names) {
  std::size_t w = 9;  // "parameter"
  for (const auto& n : names) w = std::max(w, n.size());
  return w;
}

void print_sobol(const analysis::SobolResult& r, const std::vector<std::string>& names) {
  const std::size_t w = name_width(names);
  std::cout << "  " << pad("parameter", w, true) << "  " << pad("S1", 8) << "  "
            << pad("[lo, hi]", 18, true) << "  " << pad("ST", 8) << "  [lo, hi]\n";
  for (int i = 0; i < r.dims; ++i) {
    std::cout << "  " << pad(names[static_cast<std::size_t>(i)], w, true) << "  "
              << pad(fmt("%.4f", r.s1(i)), 8) << "  "
              << pad(interval(r.s1(i), r.s1_lo(i), r.s1_hi(i), "%.4f"), 18, true) << "  "
              << pad(fmt("%.4f", r.st(i)), 8) << "  "
              << interval(r.st(i), r.st_lo(i), r.st_hi(i), "%.4f") << "\n";
  }
  if (r.s2.size() > 0) {
    std::cout << "  second order:\n";
    for (int i = 0; i < r.dims; ++i) {
      for (int k = i + 1; k < r.dims; ++k) {
        const std::string pair =
            names[static_cast<std::size_t>(i)] + " x " + names[static_cast<std::size_t>(k)];
        std::cout << "  " << pad(pair, 2 * w + 3, true) << "  S2 "
                  << pad(fmt("%.4f", r.s2(i, k)), 8) << "  "
                  << interval(r.s2(i, k), r.s2_lo(i, k), r.s2_hi(i, k), "%.4f") << "\n";
      }
    }
  }
  if (!(r.variance > 0)) {
    std::cout << "  indices undefined: V <= 0 (the point means do not vary, or all their "
                 "variation is replicate noise)\n";
  }
  std::cout << "  output variance V = " << fmt("%.6g", r.variance)
            << (r.noise_corrected && r.noise.estimated ? " (replicate noise subtracted)" : "")
            << "\n";
}

void print_morris(const analysis::MorrisResult& r, const std::vector<std::string>& names) {
  const std::size_t w = name_width(names);
  std::cout << "  rank  " << pad("parameter", w, true) << "  " << pad("mu*", 11) << "  "
            << pad("[lo, hi]", 23, true) << "  " << pad("mu", 11) << "  " << pad("sigma", 11)
            << "  " << pad("EE noise sd", 11) << "\n";
  for (std::size_t k = 0; k < r.ranking.size(); ++k) {
    const int i = r.ranking[k];
    std::cout << "  " << pad(std::to_string(k + 1), 4) << "  "
              << pad(names[static_cast<std::size_t>(i)], w, true) << "  "
              << pad(fmt("%.5g", r.mu_star(i)), 11) << "  "
              << pad(interval(r.mu_star(i), r.mu_star_lo(i), r.mu_star_hi(i), "%.4g"), 23, true)
              << "  " << pad(fmt("%.5g", r.mu(i)), 11) << "  " << pad(fmt("%.5g", r.sigma(i)), 11)
              << "  " << pad(fmt("%.3g", r.ee_noise_sd(i)), 11) << "\n";
  }
  std::cout << "  (elementary effects per unit of a factor's range mapped to [0, 1])\n";
}

void print_noise(const analysis::NoiseSummary& n, double threshold) {
  if (!n.estimated) {
    std::cout << "  noise share: not estimated (one replicate per point; a stochastic model "
                 "needs >= 2 replicates to tell its noise from the parameters' effects)\n";
    return;
  }
  if (!(n.between > 0)) {
    std::cout << "  noise share: undefined, the point means do not vary (within-point variance "
              << fmt("%.4g", n.within) << ")\n";
    return;
  }
  std::cout << "  noise share " << fmt("%.4f", n.share)
            << " = replicate-noise variance of a point's mean " << fmt("%.4g", n.noise)
            << " / variance of the point means " << fmt("%.4g", n.between)
            << " (within-point variance " << fmt("%.4g", n.within) << ")\n";
  if (n.share > threshold) {
    std::cout << "  warning: replicate noise makes up " << fmt("%.0f", 100 * n.share)
              << "% of the spread of the point means (above " << fmt("%.0f", 100 * threshold)
              << "%): the indices describe the noise as much as the parameters; run more "
                 "replicates per point (the share falls as 1 / replicates)\n";
    if (n.share > 1) {
      std::cout << "  (a share above 1: the spread is all noise, or the noise is overstated; "
                   "for a window, compare --window-noise independent)\n";
    }
  }
}

std::vector<std::int64_t> unusable_points(const analysis::PointStats& s) {
  std::vector<std::int64_t> out;
  for (std::int64_t k = 0; k < s.size(); ++k) {
    if (!s.usable(k)) out.push_back(k);
  }
  return out;
}

io::AnalysisResult estimate(const design::Design& d, const analysis::PointStats& stats,
                            const AnalyzeOptions& o) {
  if (d.kind == design::DesignKind::kSaltelli) {
    analysis::SobolOptions so;
    so.bootstrap = o.bootstrap;
    so.confidence = o.confidence;
    so.seed = o.seed;
    so.correct_noise = !o.no_noise_correction;
    return analysis::sobol_indices(design::saltelli_layout(d), stats, so);
  }
  analysis::MorrisOptions mo;
  mo.bootstrap = o.bootstrap;
  mo.confidence = o.confidence;
  mo.seed = o.seed;
  return analysis::morris_indices(d, stats, mo);
}

// The design must be one the estimators can read, with the row count its layout implies.
void check_design(const io::ResultsReader& in) {
  const design::Design& d = in.design();
  const std::string kind(design::kind_name(d.kind));
  if (d.kind != design::DesignKind::kSaltelli && d.kind != design::DesignKind::kMorris) {
    throw InputError(in.path() + ": analysis needs a saltelli or morris design; this file's " +
                     "design is '" + kind + "' (set [design] kind = \"saltelli\" or \"morris\" " +
                     "and rerun the sweep)");
  }
  std::int64_t rows = 0;
  if (d.kind == design::DesignKind::kSaltelli) {
    rows = design::saltelli_layout(d).rows();
  } else {
    rows = d.base_n * (d.dims() + 1);
  }
  if (d.dims() < 1 || d.base_n < 1 || rows != d.size()) {
    throw InputError(in.path() + ": the " + kind + " design has " + std::to_string(d.size()) +
                     " points, but base_n = " + std::to_string(d.base_n) + " and " +
                     std::to_string(d.dims()) + " factors make " + std::to_string(rows));
  }
}

int analyze(const AnalyzeOptions& o, const Context& ctx) {
  const io::StatisticSpec spec = resolve_statistic(o);
  if (!(o.confidence > 0 && o.confidence < 1)) {
    throw InputError("--confidence must lie strictly between 0 and 1 (got " +
                     fmt("%g", o.confidence) + ")");
  }
  const io::ResultsReader in(o.path);
  check_design(in);
  const design::Design& d = in.design();
  const bool sobol = d.kind == design::DesignKind::kSaltelli;
  const std::vector<std::string> outputs =
      o.observables.empty() ? in.outputs(spec.kind) : o.observables;
  if (outputs.empty()) throw InputError(o.path + ": the file has no outputs to analyse");
  for (const std::string& name : outputs) in.check_output(name, spec.kind);
  if (!o.no_write) io::check_analysis_writable(o.path, o.in_place);
  if (!sobol && o.no_noise_correction) {
    std::cerr << "icnsim analyze: note: --no-noise-correction applies to Sobol' indices only; "
                 "Morris mu* and sigma are never corrected\n";
  }

  std::cout << o.path << ": model " << (in.model().empty() ? "?" : in.model()) << ", "
            << design::kind_name(d.kind) << " design, " << d.size() << " points, "
            << (sobol ? "N = " : "r = ") << d.base_n << (sobol ? " base samples" : " trajectories")
            << (d.second_order ? " (second order)" : "") << "\n"
            << "statistic: " << describe(spec) << "\n"
            << "bootstrap: " << o.bootstrap << " resamples, " << fmt("%g", 100 * o.confidence)
            << "% percentile intervals, seed " << o.seed << "\n";

  std::vector<io::AnalysisEntry> entries;
  for (const std::string& name : outputs) {
    const analysis::PointStats stats = in.point_stats(name, spec);
    io::AnalysisHeader h{spec,
                         name,
                         d.names,
                         std::string(design::kind_name(d.kind)),
                         unusable_points(stats),
                         o.seed,
                         ctx.command_line};
    std::cout << "\n" << name << ": ";
    io::AnalysisResult result;
    try {
      result = estimate(d, stats, o);
    } catch (const InputError& e) {
      throw InputError(o.path + ": observable '" + name + "': " + e.what());
    }
    if (const auto* r = std::get_if<analysis::SobolResult>(&result)) {
      std::cout << "Sobol' indices from " << r->blocks_used << " of " << d.base_n
                << " base samples\n";
      print_sobol(*r, d.names);
      print_noise(r->noise, o.noise_warning);
      if (!r->dropped_blocks.empty()) {
        std::cout << "  dropped base samples (a point without a usable replicate): "
                  << list_indices(r->dropped_blocks) << "\n";
      }
    } else {
      const auto& m = std::get<analysis::MorrisResult>(result);
      std::cout << "Morris screening from " << m.trajectories_used << " of " << d.base_n
                << " trajectories, by decreasing mu*\n";
      print_morris(m, d.names);
      print_noise(m.noise, o.noise_warning);
      if (!m.dropped_trajectories.empty()) {
        std::cout << "  dropped trajectories (a point without a usable replicate): "
                  << list_indices(m.dropped_trajectories) << "\n";
      }
    }
    if (!h.unusable_points.empty()) {
      std::cout << "  " << h.unusable_points.size()
                << " point(s) have no usable replicate (all failed, count 0, or a non-finite "
                   "mean): "
                << list_indices(h.unusable_points) << "\n";
    }
    entries.push_back({std::move(h), std::move(result)});
  }

  if (o.no_write) return 0;
  io::write_analyses(o.path, entries, o.in_place);
  std::cout << "\nwritten: " << o.path << " /analysis/" << io::statistic_name(spec.kind) << "/{";
  for (std::size_t k = 0; k < outputs.size(); ++k) std::cout << (k ? "," : "") << outputs[k];
  std::cout << "} (replacing any earlier analysis of the same statistic and observable)\n";
  return 0;
}

}  // namespace

Action add_analyze(CLI::App& app) {
  auto o = std::make_shared<AnalyzeOptions>();
  app.add_option("file", o->path,
                 "Results file (HDF5) of icnsim sweep with a saltelli or morris design")
      ->required();
  app.add_option("--observables", o->observables,
                 "Outputs to analyse, comma-separated (default: all of the statistic's outputs)")
      ->delimiter(',');
  app.add_option("--statistic", o->statistic,
                 "final: each replicate's final value; tick: the value at --tick; window: the "
                 "mean over --window (default final, or what --tick / --window imply)")
      ->check(CLI::IsMember({"final", "tick", "window"}));
  app.add_option("--window", o->window, "Ticks T0:T1 (both included) of --statistic window");
  app.add_option("--tick", o->tick, "Tick of --statistic tick")->check(non_negative());
  app.add_option("--window-noise", o->window_noise,
                 "How a window's replicate noise is built from the per-tick variances: "
                 "correlated (upper bound) or independent (docs/analysis.md)")
      ->check(CLI::IsMember({"correlated", "independent"}))
      ->capture_default_str();
  app.add_option("--bootstrap", o->bootstrap, "Bootstrap resamples for the intervals (0: none)")
      ->check(non_negative())
      ->capture_default_str();
  app.add_option("--confidence", o->confidence, "Level of the percentile intervals")
      ->capture_default_str();
  app.add_option("--seed", o->seed, "Seed of the bootstrap resampling")->capture_default_str();
  app.add_flag("--no-noise-correction", o->no_noise_correction,
               "Sobol': do not subtract the replicate-noise terms from V and the ST numerators");
  app.add_option("--noise-warning", o->noise_warning,
                 "Warn when the noise share exceeds this fraction")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_flag("--in-place", o->in_place,
               "Write into the file directly instead of into a copy renamed over it (no copy of "
               "a large file, but a crash while writing can damage it)");
  app.add_flag("--no-write", o->no_write, "Print the indices only; leave the file untouched");
  return [o](const Context& ctx) { return analyze(*o, ctx); };
}

}  // namespace icn::cli
