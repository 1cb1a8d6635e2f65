// Every scenario in examples/ loads, and its model builds and runs a few ticks with finite
// observables.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
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

}  // namespace
}  // namespace icn::io
