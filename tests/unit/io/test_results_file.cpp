#include "icn/io/results_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "icn/io/atomic_file.h"
#include "icn/io/hdf5.h"
#include "icn/model/analytic.h"

namespace icn::io {
namespace {

const model::ModelInfo& ishigami() {
  static const model::ModelInfo info = model::ishigami_info();
  return info;
}

struct ResultsFixture {
  design::Design design;
  exec::SweepResults results;
};

// A 3-point list design of x1 with 4 noisy replicates of 2 ticks, run serially.
ResultsFixture small_sweep() {
  design::DesignSpec spec;
  spec.kind = design::DesignKind::kList;
  design::Factor x1;
  x1.name = "x1";
  x1.lo = -3;
  x1.hi = 3;
  spec.factors = {x1};
  spec.list_points = {{-1.0}, {0.0}, {2.0}};
  ResultsFixture f;
  f.design = design::make_design(spec);
  exec::SweepSpec s;
  s.model = &ishigami();
  for (Eigen::Index i = 0; i < f.design.points.rows(); ++i) {
    ParamValues v(ishigami().schema);
    v.set_number(0, f.design.points(i, 0));
    v.set("noise_sd", Value(1.0), "test");
    s.points.push_back(v);
  }
  s.replicates = 4;
  s.chunk = 3;
  s.ticks = 2;
  s.keep_runs = true;
  const auto comm = exec::make_serial_comm();
  f.results = exec::run_sweep(*comm, s, exec::ProgressOptions{0, "", true});
  return f;
}

TEST(ResultsFile, WritesTheDocumentedLayoutAtomically) {
  const ResultsFixture f = small_sweep();
  const std::string path = ::testing::TempDir() + "results_layout.h5";
  std::filesystem::remove(path);
  Provenance prov{"sweep", "icnsim sweep test.toml", "[run]\n", "ishigami", 5, 1, 1};
  write_sweep_results(path, prov, f.design, SweepFacts{77}, f.results);
  EXPECT_FALSE(std::filesystem::exists(temp_path_for(path)));

  const h5::File file = h5::File::open_read(path);
  const h5::Group root = file.root();
  EXPECT_EQ(root.attr_string("file_kind"), "sweep");
  EXPECT_EQ(root.attr_int("format_version"), kFormatVersion);
  EXPECT_EQ(root.attr_int("replicates"), 4);
  EXPECT_EQ(root.attr_int("chunk"), 3);

  const h5::Group d = root.open_group("design");
  EXPECT_EQ(d.read_strings("kind"), std::vector<std::string>{"list"});
  EXPECT_EQ(d.read_strings("parameter_names"), std::vector<std::string>{"x1"});
  std::vector<std::uint64_t> dims;
  EXPECT_EQ(d.read_doubles("points", &dims), (std::vector<double>{-1.0, 0.0, 2.0}));
  EXPECT_EQ(dims, (std::vector<std::uint64_t>{3, 1}));
  EXPECT_EQ(d.read_ints("replicates"), (std::vector<std::int64_t>{4, 4, 4}));
  EXPECT_EQ(d.attr_int("seed"), 77);

  const h5::Group s = root.open_group("series");
  EXPECT_EQ(s.read_ints("tick"), (std::vector<std::int64_t>{0, 1, 2}));
  EXPECT_EQ(s.read_doubles("quantile_levels"), exec::quantile_levels());
  const h5::Group y = s.open_group("y");
  EXPECT_EQ(y.read_doubles("mean", &dims), f.results.series[0].mean);
  EXPECT_EQ(dims, (std::vector<std::uint64_t>{3, 3}));
  y.read_doubles("quantiles", &dims);
  EXPECT_EQ(dims, (std::vector<std::uint64_t>{3, 3, 5}));
  EXPECT_EQ(y.read_ints("count"), std::vector<std::int64_t>(9, 4));

  const h5::Group fin = root.open_group("final").open_group("y");
  EXPECT_EQ(fin.read_doubles("var", &dims), f.results.final_stats[0].var);
  EXPECT_EQ(dims, (std::vector<std::uint64_t>{3}));

  const h5::Group runs = root.open_group("runs");
  EXPECT_EQ(runs.read_ints("point"),
            (std::vector<std::int64_t>{0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2}));
  EXPECT_EQ(runs.read_ints("replicate"),
            (std::vector<std::int64_t>{0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3}));
  EXPECT_EQ(runs.read_ints("status"), std::vector<std::int64_t>(12, 0));
  EXPECT_EQ(runs.open_group("final").read_doubles("y"), f.results.runs.finals[0]);
  runs.read_doubles("series", &dims);
  EXPECT_EQ(dims, (std::vector<std::uint64_t>{12, 3, 2}));
}

TEST(ResultsFile, SummaryReadsBackWhatInspectShows) {
  const ResultsFixture f = small_sweep();
  const std::string path = ::testing::TempDir() + "results_summary.h5";
  std::filesystem::remove(path);
  write_sweep_results(path, Provenance{"sweep", "cmd", "cfg", "ishigami", 5, 2, 3}, f.design,
                      SweepFacts{}, f.results);
  const ResultsSummary s = read_results_summary(path);
  EXPECT_EQ(s.file_kind, "sweep");
  EXPECT_EQ(s.design_kind, "list");
  EXPECT_EQ(s.n_points, 3);
  EXPECT_EQ(s.n_ticks, 3);
  EXPECT_EQ(s.n_runs, 12);
  EXPECT_EQ(s.runs_ok, 12);
  EXPECT_TRUE(s.has_run_series);
  ASSERT_EQ(s.finals, std::vector<std::string>{"y"});
  EXPECT_EQ(s.final_mean[0], f.results.final_stats[0].mean);
  EXPECT_EQ(s.final_median[0][1], f.results.final_stats[0].quantiles[1 * 5 + 2]);
  bool ranks = false;
  for (const auto& [k, v] : s.provenance) ranks |= k == "n_ranks" && v == "2";
  EXPECT_TRUE(ranks);
  EXPECT_EQ(s.config, "cfg");
}

TEST(ResultsFile, NotAResultsFileIsBadInputNamingIt) {
  const std::string path = ::testing::TempDir() + "results_foreign.h5";
  { const h5::File file = h5::File::create(path, true); }
  try {
    read_results_summary(path);
    FAIL() << "an HDF5 file without our attributes was read";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("results_foreign.h5"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_results_summary(path + ".missing"), InputError);
}

}  // namespace
}  // namespace icn::io
