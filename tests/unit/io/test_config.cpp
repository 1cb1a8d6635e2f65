#include "icn/io/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include "config_test_util.h"
#include "temp_file.h"

namespace icn::io {
namespace {

using testing::write_temp;

using testing::config_error_of;

TEST(Config, ReadsRunAndModelSectionsWithOverridesInOrder) {
  const std::string path =
      write_temp("cfg_ok.toml", "[run]\nmodel = \"ishigami\"\nticks = 5\n[model]\na = 3.0\n");
  const Config c = load_config(path, {"model.a=4", "run.seed=9", "model.b=0.5"});
  EXPECT_EQ(c.model->name, "ishigami");
  EXPECT_EQ(c.run.ticks, 5);
  EXPECT_EQ(c.run.seed, 9);
  EXPECT_EQ(std::get<double>(c.model_values.at("a")), 4.0);
  EXPECT_EQ(std::get<double>(c.model_values.at("b")), 0.5);
  EXPECT_EQ(std::get<double>(c.model_values.at("x1")), 0.0);  // default kept
}

TEST(Config, ResolvedTomlLoadsBackToTheSameValues) {
  const std::string path =
      write_temp("cfg_rt.toml", "[run]\nmodel = \"sobol-g\"\n[model]\nx3 = 0.125\n");
  const Config c = load_config(path, {});
  const std::string again = write_temp("cfg_rt2.toml", c.resolved_toml());
  const Config d = load_config(again, {});
  ASSERT_EQ(c.model_values.size(), d.model_values.size());
  for (std::size_t i = 0; i < c.model_values.size(); ++i)
    EXPECT_EQ(c.model_values.at(i), d.model_values.at(i));
  EXPECT_EQ(c.resolved_toml().substr(c.resolved_toml().find('\n')),
            d.resolved_toml().substr(d.resolved_toml().find('\n')));
}

TEST(Config, ErrorsNameFileLineKeyAndReason) {
  EXPECT_NE(config_error_of("[run]\nmodel = \"ishigami\"\n[model]\nq = 1\n")
                .find("cfg_error.toml:4:5: unknown key 'model.q'"),
            std::string::npos);
  EXPECT_NE(config_error_of("[run]\nticks = 1.5\n").find("key 'run.ticks': expected an integer"),
            std::string::npos);
  EXPECT_NE(config_error_of("[run]\nticks = [1]\n").find("expected a scalar value, got an array"),
            std::string::npos);
  EXPECT_NE(config_error_of("[run\n").find("TOML syntax error"), std::string::npos);
  EXPECT_NE(config_error_of("run = 3\n").find("'run' must be a table"), std::string::npos);
  EXPECT_NE(config_error_of("[run]\nmodel = \"ishigami\"\n", {"design.n=3"})
                .find("only [run] and [model]"),
            std::string::npos);
}

TEST(Config, MissingFileIsBadInput) {
  EXPECT_THROW(load_config(std::string("/nonexistent/x.toml"), {}), InputError);
}

}  // namespace
}  // namespace icn::io
