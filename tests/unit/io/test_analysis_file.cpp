#include "icn/io/analysis_file.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "icn/core/error.h"
#include "icn/exec/sweep.h"
#include "icn/io/atomic_file.h"
#include "icn/io/results_file.h"

namespace icn::io {
namespace {

constexpr std::int64_t kTicks = 3;

// Hand-made per-point statistics with known values, so reads can be checked exactly:
// series mean = 10 p + t, var = p + 1 + t, count = 4 except point 3 at tick 2 (count 0);
// final mean = -p, var = 2 p, count = p % 5 (so points 0, 5, 10, ... have none).
exec::OutputStats series_stats(std::int64_t n) {
  const std::int64_t cols = kTicks + 1;
  exec::OutputStats s;
  for (std::int64_t p = 0; p < n; ++p) {
    for (std::int64_t t = 0; t < cols; ++t) {
      s.count.push_back(p == 3 && t == 2 ? 0 : 4);
      s.mean.push_back(10.0 * static_cast<double>(p) + static_cast<double>(t));
      s.var.push_back(static_cast<double>(p + 1 + t));
    }
  }
  s.min = s.max = s.mean;
  s.quantiles.assign(s.mean.size() * exec::quantile_levels().size(), 0.0);
  return s;
}

exec::OutputStats final_stats(std::int64_t n) {
  exec::OutputStats s;
  for (std::int64_t p = 0; p < n; ++p) {
    s.count.push_back(p % 5);
    s.mean.push_back(-static_cast<double>(p));
    s.var.push_back(2.0 * static_cast<double>(p));
  }
  s.min = s.max = s.mean;
  s.quantiles.assign(s.mean.size() * exec::quantile_levels().size(), 0.0);
  return s;
}

design::Design saltelli_design() {
  design::DesignSpec spec;
  spec.kind = design::DesignKind::kSaltelli;
  spec.n = 4;
  spec.seed = 3;
  for (const char* name : {"x1", "x2"}) {
    design::Factor f;
    f.name = name;
    f.lo = -1;
    f.hi = 1;
    spec.factors.push_back(f);
  }
  return design::make_design(spec);
}

std::string write_results(const std::string& name, const design::Design& d) {
  const std::string path = ::testing::TempDir() + name;
  std::filesystem::remove(path);
  exec::SweepResults r;
  r.n_points = d.size();
  r.replicates = 4;
  r.ticks = kTicks;
  r.chunk = 4;
  r.observables = {"y", "z"};
  r.finals = {"y"};
  r.series = {series_stats(d.size()), series_stats(d.size())};
  r.final_stats = {final_stats(d.size())};
  r.runs.finals.resize(1);
  r.runs.last.resize(2);
  r.timing.busy_seconds = {0.0};
  write_sweep_results(path, Provenance{"sweep", "test", "[run]\n", "ishigami", 1, 1, 1}, d,
                      SweepFacts{3}, r);
  return path;
}

TEST(AnalysisFile, ReadsTheDesignBack) {
  const design::Design d = saltelli_design();
  const ResultsReader in(write_results("analysis_design.h5", d));
  EXPECT_EQ(in.model(), "ishigami");
  EXPECT_EQ(in.ticks(), kTicks);
  EXPECT_EQ(in.design().kind, design::DesignKind::kSaltelli);
  EXPECT_EQ(in.design().names, d.names);
  EXPECT_EQ(in.design().base_n, 4);
  EXPECT_EQ(in.design().points, d.points);
  EXPECT_EQ(in.design().unit_points, d.unit_points);
  EXPECT_EQ(in.outputs(StatisticKind::kFinal), std::vector<std::string>{"y"});
  EXPECT_EQ(in.outputs(StatisticKind::kTick), (std::vector<std::string>{"y", "z"}));
}

TEST(AnalysisFile, FinalTickAndWindowStatistics) {
  const design::Design d = saltelli_design();
  const std::string path = write_results("analysis_stats.h5", d);
  // Blocks of 3 values: one point per block for a 3-tick window, so every row offset of
  // the hyperslab reads is exercised.
  const ResultsReader in(path, 3);
  const analysis::PointStats fin = in.point_stats("y", {});
  ASSERT_EQ(fin.size(), d.size());
  for (std::int64_t p = 0; p < d.size(); ++p) {
    EXPECT_EQ(fin.count(p), static_cast<double>(p % 5));
    EXPECT_EQ(fin.mean(p), -static_cast<double>(p));
    EXPECT_EQ(fin.var(p), 2.0 * static_cast<double>(p));
  }

  StatisticSpec tick;
  tick.kind = StatisticKind::kTick;
  tick.tick = 2;
  const analysis::PointStats at = in.point_stats("z", tick);
  for (std::int64_t p = 0; p < d.size(); ++p) {
    EXPECT_EQ(at.count(p), p == 3 ? 0.0 : 4.0);
    EXPECT_EQ(at.mean(p), 10.0 * static_cast<double>(p) + 2.0);
    EXPECT_EQ(at.var(p), static_cast<double>(p + 3));
  }

  StatisticSpec window;
  window.kind = StatisticKind::kWindow;
  window.first = 1;
  window.last = 3;
  window.window_noise = analysis::WindowNoise::kIndependent;
  const analysis::PointStats w = in.point_stats("y", window);
  for (std::int64_t p = 0; p < d.size(); ++p) {
    const auto pd = static_cast<double>(p);
    if (p == 3) {
      EXPECT_EQ(w.count(p), 0.0);  // tick 2 of point 3 has no replicate
      continue;
    }
    EXPECT_EQ(w.count(p), 4.0);
    EXPECT_DOUBLE_EQ(w.mean(p), 10.0 * pd + 2.0);
    EXPECT_DOUBLE_EQ(w.var(p), ((pd + 2) + (pd + 3) + (pd + 4)) / 9.0);
  }
}

TEST(AnalysisFile, BadRequestsAreInputErrorsNamingTheFile) {
  const std::string path = write_results("analysis_bad.h5", saltelli_design());
  const ResultsReader in(path);
  StatisticSpec tick;
  tick.kind = StatisticKind::kTick;
  tick.tick = kTicks + 1;
  EXPECT_THROW(in.point_stats("y", tick), InputError);
  EXPECT_THROW(in.point_stats("nope", {}), InputError);
  EXPECT_THROW(in.point_stats("z", {}), InputError);  // z is a series, not a final

  try {
    ResultsReader missing(::testing::TempDir() + "no_such_results.h5");
    FAIL() << "a missing file must throw";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no_such_results.h5"), std::string::npos) << e.what();
  }
  const std::string text = ::testing::TempDir() + "not_hdf5.h5";
  std::ofstream(text) << "not an HDF5 file\n";
  EXPECT_THROW(ResultsReader{text}, InputError);

  const std::string run = ::testing::TempDir() + "run_kind.h5";
  {
    const h5::File f = h5::File::create(run, true);
    f.root().set_attr("file_kind", std::string("run"));
  }
  EXPECT_THROW(ResultsReader{run}, InputError);

  EXPECT_THROW(check_analysis_writable("/nonexistent-dir/r.h5", false), InputError);
  EXPECT_NO_THROW(check_analysis_writable(path, false));
  EXPECT_NO_THROW(check_analysis_writable(path, true));
}

AnalysisEntry sobol_entry(double s1_x1) {
  analysis::SobolResult r;
  r.dims = 2;
  r.blocks_used = 3;
  r.dropped_blocks = {2};
  r.variance = 1.5;
  r.s1 = Eigen::Vector2d(s1_x1, 0.25);
  r.s1_lo = r.s1.array() - 0.1;
  r.s1_hi = r.s1.array() + 0.1;
  r.st = r.s1;
  r.st_lo = r.s1_lo;
  r.st_hi = r.s1_hi;
  r.noise = {2.0, 0.5, 0.125, 0.0625, true};
  r.bootstrap = 100;
  r.confidence = 0.9;
  r.noise_corrected = true;
  AnalysisHeader h;
  h.observable = "y";
  h.parameter_names = {"x1", "x2"};
  h.design_kind = "saltelli";
  h.unusable_points = {9};
  h.seed = 5;
  h.command_line = "icnsim analyze r.h5";
  return {h, r};
}

TEST(AnalysisFile, WritesAndReplacesTheAnalysisGroup) {
  for (const bool in_place : {false, true}) {
    const std::string path = write_results("analysis_write.h5", saltelli_design());
    write_analyses(path, {sobol_entry(0.5)}, in_place);
    write_analyses(path, {sobol_entry(0.75)}, in_place);
    EXPECT_FALSE(std::filesystem::exists(temp_path_for(path)));

    const h5::File f = h5::File::open_read(path);
    const h5::Group stat = f.root().open_group("analysis").open_group("final");
    EXPECT_EQ(stat.children(), std::vector<std::string>{"y"});
    const h5::Group g = stat.open_group("y");
    EXPECT_EQ(g.read_doubles("s1"), (std::vector<double>{0.75, 0.25})) << "in place " << in_place;
    EXPECT_EQ(g.read_doubles("s1_hi"), (std::vector<double>{0.85, 0.35}));
    EXPECT_EQ(g.read_ints("dropped_blocks"), std::vector<std::int64_t>{2});
    EXPECT_EQ(g.read_ints("unusable_points"), std::vector<std::int64_t>{9});
    EXPECT_EQ(g.read_strings("parameter_names"), (std::vector<std::string>{"x1", "x2"}));
    EXPECT_FALSE(g.exists("s2"));
    EXPECT_EQ(g.attr_string("method"), "sobol");
    EXPECT_EQ(g.attr_string("statistic"), "final");
    EXPECT_EQ(g.attr_int("bootstrap"), 100);
    EXPECT_EQ(g.attr_double("confidence"), 0.9);
    EXPECT_EQ(g.attr_int("seed"), 5);
    EXPECT_EQ(g.attr_int("noise_correction"), 1);
    EXPECT_EQ(g.attr_double("noise_share"), 0.0625);
    EXPECT_EQ(g.attr_double("between_var"), 2.0);
    EXPECT_EQ(g.attr_double("within_var"), 0.5);
    EXPECT_EQ(g.attr_int("blocks_total"), 4);
    // The sweep's own groups are left alone.
    EXPECT_EQ(f.root().open_group("final").open_group("y").read_doubles("mean").size(), 16u);
  }
}

TEST(AnalysisFile, MorrisAndWindowAttributes) {
  const std::string path = write_results("analysis_morris.h5", saltelli_design());
  analysis::MorrisResult r;
  r.dims = 2;
  r.trajectories_used = 2;
  r.mu = Eigen::Vector2d(1, -2);
  r.mu_star = Eigen::Vector2d(1, 2);
  r.mu_star_lo = r.mu_star_hi = r.sigma = r.ee_noise_sd = r.mu_star;
  r.ranking = {1, 0};
  r.bootstrap = 0;
  r.confidence = 0.95;
  AnalysisHeader h;
  h.observable = "z";
  h.parameter_names = {"a", "b"};
  h.design_kind = "morris";
  h.statistic.kind = StatisticKind::kWindow;
  h.statistic.first = 2;
  h.statistic.last = 3;
  write_analyses(path, {{h, r}}, false);
  const h5::File f = h5::File::open_read(path);
  const h5::Group g = f.root().open_group("analysis").open_group("window").open_group("z");
  EXPECT_EQ(g.attr_string("method"), "morris");
  EXPECT_EQ(g.attr_int("window_first"), 2);
  EXPECT_EQ(g.attr_int("window_last"), 3);
  EXPECT_EQ(g.attr_string("window_noise"), "correlated");
  EXPECT_EQ(g.read_ints("ranking"), (std::vector<std::int64_t>{1, 0}));
  EXPECT_EQ(g.read_doubles("mu"), (std::vector<double>{1, -2}));
  EXPECT_EQ(g.attr_int("noise_estimated"), 0);
  EXPECT_TRUE(std::isnan(g.attr_double("noise_share")));
  EXPECT_TRUE(g.read_ints("dropped_trajectories").empty());
}

}  // namespace
}  // namespace icn::io
