#include "icn/io/sweep_config.h"

#include <gtest/gtest.h>

#include <fstream>
#include "temp_file.h"

namespace icn::io {
namespace {

using testing::write_temp;

SweepConfig read(const std::string& text) {
  const Config cfg = load_config(write_temp("sweep_cfg.toml", text), {});
  return read_sweep_config(cfg);
}

// The InputError message of reading `text`, or "" when it reads fine.
std::string error_of(const std::string& text) {
  try {
    const Config cfg = load_config(write_temp("sweep_bad.toml", text), {});
    const SweepConfig sc = read_sweep_config(cfg);
    build_design(cfg, sc);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

const std::string kIshigami = "[run]\nmodel = \"ishigami\"\nseed = 11\n";
const std::string kCowanJonard = "[run]\nmodel = \"cowan-jonard\"\n";

TEST(SweepConfig, NoSectionsIsOneReplicateOfTheModelPoint) {
  const SweepConfig sc = read(kIshigami);
  EXPECT_FALSE(sc.has_design);
  EXPECT_FALSE(sc.has_ensemble);
  EXPECT_EQ(sc.design.kind, design::DesignKind::kSingle);
  EXPECT_EQ(sc.ensemble.replicates, 1);
  EXPECT_EQ(sc.ensemble.chunk, 16);
  EXPECT_EQ(sc.ensemble.omp_mode, "auto");
}

TEST(SweepConfig, ReadsAnLhsDesignAndTheEnsemble) {
  const SweepConfig sc =
      read(kIshigami +
           "[design]\nkind = \"lhs\"\nn = 12\n"
           "[[design.factors]]\nname = \"x1\"\nlo = -1\nhi = 2.5\n"
           "[[design.factors]]\nname = \"x3\"\nlo = 0.5\nhi = 3.0\nlog = true\n"
           "[ensemble]\nreplicates = 7\nchunk = 3\nomp_mode = \"inside\"\nkeep_runs = true\n");
  EXPECT_TRUE(sc.has_design);
  EXPECT_TRUE(sc.has_ensemble);
  EXPECT_EQ(sc.design.kind, design::DesignKind::kLhs);
  EXPECT_EQ(sc.design.n, 12);
  EXPECT_EQ(sc.design.seed, 11u);  // run.seed when [design] has none
  ASSERT_EQ(sc.design.factors.size(), 2u);
  EXPECT_EQ(sc.design.factors[0].name, "x1");  // file order kept
  EXPECT_EQ(sc.design.factors[0].lo, -1.0);
  EXPECT_EQ(sc.design.factors[0].hi, 2.5);
  EXPECT_FALSE(sc.design.factors[0].integer);
  EXPECT_TRUE(sc.design.factors[1].log_scale);
  EXPECT_EQ(sc.ensemble.replicates, 7);
  EXPECT_EQ(sc.ensemble.chunk, 3);
  EXPECT_EQ(sc.ensemble.omp_mode, "inside");
  EXPECT_TRUE(sc.ensemble.keep_runs);
}

TEST(SweepConfig, IntegerParametersMakeIntegerFactors) {
  const SweepConfig sc =
      read(kCowanJonard +
           "[design]\nkind = \"grid\"\n"
           "[[design.factors]]\nname = \"n_agents\"\nlevels = [20, 40]\n"
           "[[design.factors]]\nname = \"alpha\"\nlo = 0.1\nhi = 0.9\nn_levels = 3\n");
  EXPECT_TRUE(sc.design.factors[0].integer);
  EXPECT_EQ(sc.design.factors[0].levels, (std::vector<double>{20, 40}));
  EXPECT_FALSE(sc.design.factors[1].integer);
  EXPECT_EQ(sc.design.factors[1].n_levels, 3);
}

TEST(SweepConfig, ListPointsDefaultTheirRangeToTheParameters) {
  const SweepConfig sc =
      read(kIshigami +
           "[design]\nkind = \"list\"\npoints = [[0.5, 1], [-3, 2]]\n"
           "[[design.factors]]\nname = \"x1\"\n[[design.factors]]\nname = \"x2\"\n");
  ASSERT_EQ(sc.design.list_points.size(), 2u);
  EXPECT_EQ(sc.design.list_points[1], (std::vector<double>{-3.0, 2.0}));
  const design::Design d = design::make_design(sc.design);
  EXPECT_EQ(d.size(), 2);
  EXPECT_EQ(d.points(0, 1), 1.0);
}

// Each case: the configuration tail, then fragments its error message must contain.
struct BadCase {
  std::string text;
  std::vector<std::string> want;
};

TEST(SweepConfig, BadInputNamesFileLineKeyAndReason) {
  const std::string lhs = kIshigami + "[design]\nkind = \"lhs\"\nn = 4\n";  // lines 1..6
  const std::string x1 = "[[design.factors]]\nname = \"x1\"\nlo = -1\nhi = 1\n";
  const std::vector<BadCase> cases = {
      {kIshigami + "[design]\nn = 4\n", {"sweep_bad.toml:4:", "'design.kind' is missing"}},
      {kIshigami + "[design]\nkind = \"latin\"\n",
       {"sweep_bad.toml:5:", "key 'design.kind'", "is not one of"}},
      {lhs + "nn = 3\n" + x1,
       {"sweep_bad.toml:7:", "unknown key 'design.nn'", "did you mean 'design.n'"}},
      {lhs + "second_order = true\n" + x1,
       {":7:", "'design.second_order' does not apply to kind = \"lhs\""}},
      {kIshigami + "[design]\nkind = \"sobol\"\n" + x1, {"'design.n' is missing"}},
      {lhs, {"'design.factors' is missing"}},
      {lhs + "[[design.factors]]\nname = \"x4\"\nlo = 0\nhi = 1\n",
       {":8:", "key 'design.factors[0].name'", "no parameter 'x4'", "did you mean 'x1'"}},
      {lhs + "[[design.factors]]\nname = \"x1\"\nlo = -4\nhi = 1\n",
       {":9:", "key 'design.factors[0].lo'", "outside the valid range [-3.14159", "model.x1"}},
      {lhs + "[[design.factors]]\nname = \"x1\"\nlow = -1\nhi = 1\n",
       {":9:", "unknown key 'design.factors[0].low'", "did you mean 'design.factors[0].lo'"}},
      {lhs + "[[design.factors]]\nname = \"x1\"\nhi = 1\n", {"'design.factors[0].lo' is missing"}},
      {lhs + "[[design.factors]]\nname = \"x1\"\nlo = 1\nhi = 1\n", {"needs lo < hi"}},
      {lhs + "[[design.factors]]\nname = \"x1\"\nlo = 0\nhi = 1\nlog = true\n",
       {"log = true needs lo > 0"}},
      {lhs + x1 + x1, {"'design.factors[1].name'", "already a factor"}},
      {lhs + "[[design.factors]]\nname = \"x1\"\nlo = -1\nhi = 1\nlevels = [0.0]\n",
       {"'design.factors[0].levels' applies only to kind = \"grid\""}},
      {kIshigami +
           "[design]\nkind = \"grid\"\n[[design.factors]]\nname = \"x1\"\nlo = -1\nhi = 1\n",
       {"a grid factor needs levels"}},
      {kIshigami + "[design]\nkind = \"list\"\npoints = [[1.0, 2.0]]\n" + x1,
       {":6:", "'design.points[0]'", "1 numbers"}},
      {kIshigami +
           "[design]\nkind = \"list\"\npoints = [[9.0]]\n[[design.factors]]\nname = \"x1\"\n",
       {":6:", "'design.points[0][0]'", "outside the valid range"}},
      {kIshigami + "[design]\nkind = \"morris\"\nmorris_levels = 3\n" + x1, {"[design]", "morris"}},
      {kCowanJonard +
           "[design]\nkind = \"lhs\"\nn = 2\n[[design.factors]]\nname = \"trade_rule\"\n",
       {"model.trade_rule is a choice parameter"}},
      {kCowanJonard + "[design]\nkind = \"lhs\"\nn = 2\n[[design.factors]]\nname = "
                      "\"n_agents\"\nlo = 10\nhi = 20\n"
                      "integer = false\n",
       {"'design.factors[0].integer'", "is an integer parameter"}},
      {kIshigami + "[ensemble]\nreplicates = 0\n",
       {"sweep_bad.toml:5:", "key 'ensemble.replicates'", "out of range"}},
      {kIshigami + "[ensemble]\nreplicate = 3\n",
       {"unknown key 'ensemble.replicate'", "did you mean 'ensemble.replicates'"}},
      {kIshigami + "[ensemble]\nomp_mode = \"both\"\n",
       {"key 'ensemble.omp_mode'", "is not one of auto|replicates|inside"}},
      {kIshigami + "[ensemble]\nchunk = 2.5\n", {"key 'ensemble.chunk'", "expected an integer"}},
  };
  for (const BadCase& c : cases) {
    const std::string msg = error_of(c.text);
    SCOPED_TRACE(c.text + "\n=> " + msg);
    EXPECT_FALSE(msg.empty());
    for (const std::string& w : c.want)
      EXPECT_NE(msg.find(w), std::string::npos) << "missing: " << w;
  }
}

TEST(SweepConfig, TablesDocumentEveryKey) {
  EXPECT_TRUE(ensemble_table().schema().find("replicates"));
  EXPECT_TRUE(design_table().schema().find("trajectories"));
  EXPECT_EQ(factor_keys().size(), 7u);
}

}  // namespace
}  // namespace icn::io
