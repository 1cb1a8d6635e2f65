// Every scenario in examples/ loads, and its model builds and runs a few ticks with finite
// observables.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <string>
#include <vector>

#include "icn/io/config.h"

namespace icn::io {
namespace {

TEST(Examples, EveryScenarioLoadsBuildsAndSteps) {
  const std::filesystem::path dir =
      std::filesystem::path(ICN_TEST_DATA_DIR) / ".." / ".." / "examples";
  int seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".toml") continue;
    ++seen;
    SCOPED_TRACE(entry.path().string());
    const Config c = load_config(entry.path().string(), {});
    auto m = c.model->make(c.model_values, rng::Key::derive({1, 0, 0}), model::ExecOptions{1});
    std::vector<double> out(c.model->observables.size());
    for (int tick = 0; tick < 3; ++tick) {
      m->step();
      m->observe(out);
      for (double v : out) ASSERT_TRUE(std::isfinite(v)) << "tick " << tick + 1;
    }
  }
  EXPECT_GE(seen, 6);
}

// MODEL.md section 6: a seed population with entry on shows the cycle from sprouting.
// The scenario users run (examples/seed_population.toml), through the model interface:
// in most replicates the first stage the classifier names is sprouting, and growth
// follows (about 3 in 4 replicates; 8 are run here, and at least 6 must).
TEST(Examples, SeedPopulationSproutsThenGrowsInMostReplicates) {
  const std::filesystem::path file =
      std::filesystem::path(ICN_TEST_DATA_DIR) / ".." / ".." / "examples" / "seed_population.toml";
  const Config c = load_config(file.string(), {});
  const auto& names = c.model->observables;
  const auto at = std::find(names.begin(), names.end(), std::string("lifecycle_stage"));
  ASSERT_NE(at, names.end());
  const auto stage = static_cast<std::size_t>(std::distance(names.begin(), at));
  constexpr double kSprouting = 0, kGrowth = 1;  // lifecycle.h, Stage
  int both = 0;
  for (std::uint32_t rep = 0; rep < 8; ++rep) {
    auto m = c.model->make(c.model_values, rng::Key::derive({1, 0, rep}), model::ExecOptions{1});
    std::vector<double> out(names.size());
    double first = -1;
    bool grew = false;
    for (int tick = 0; tick < 160; ++tick) {
      m->step();
      m->observe(out);
      if (first < 0 && out[stage] >= 0) first = out[stage];
      grew = grew || out[stage] == kGrowth;
    }
    both += first == kSprouting && grew;
  }
  EXPECT_GE(both, 6);  // 7 of these 8 do; without the proposal cap 5 of 8 would
}

}  // namespace
}  // namespace icn::io
