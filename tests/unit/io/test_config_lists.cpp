// List parameters: an array of tables in [model] (the cluster model's shocks).
#include <gtest/gtest.h>

#include <fstream>

#include "config_test_util.h"
#include "icn/io/config.h"
#include "temp_file.h"

namespace icn::io {
namespace {

using testing::write_temp;

using testing::config_error_of;

TEST(ConfigLists, ArrayOfTablesBecomesTheTextFormAndRoundTrips) {
  const std::string path = write_temp("cfg_list.toml",
                                      "[run]\nmodel = \"cluster\"\n"
                                      "[[model.shocks]]\ntype = \"demand\"\nonset = 100\n"
                                      "duration = 50\nmagnitude = 0.3\nshape = \"ramp\"\n"
                                      "[[model.shocks]]\ntype = \"currency\"\nonset = 20\n"
                                      "duration = 5\nmagnitude = 1\n");
  const Config c = load_config(path, {});
  EXPECT_EQ(std::get<std::string>(c.model_values.at("shocks")),
            "duration=50, magnitude=0.3, onset=100, shape=ramp, type=demand; "
            "duration=5, magnitude=1, onset=20, type=currency");
  // The inline form and the resolved configuration read back the same.
  const std::string inline_path =
      write_temp("cfg_list_inline.toml",
                 "[model]\nshocks = [{ type = \"demand\", onset = 100, duration = 50, magnitude "
                 "= 0.3, shape = \"ramp\" }, { type = \"currency\", onset = 20, duration = 5, "
                 "magnitude = 1 }]\n");
  EXPECT_EQ(load_config(inline_path, {}).model_values.at("shocks"), c.model_values.at("shocks"));
  const Config again = load_config(write_temp("cfg_list_rt.toml", c.resolved_toml()), {});
  EXPECT_EQ(again.model_values.at("shocks"), c.model_values.at("shocks"));
  // --set takes the text form.
  const Config set = load_config(std::nullopt, {"model.shocks=\"type=labour_cost, onset=3, "
                                                "duration=4, magnitude=0.2\""});
  EXPECT_EQ(std::get<std::string>(set.model_values.at("shocks")),
            "type=labour_cost, onset=3, duration=4, magnitude=0.2");
}

TEST(ConfigLists, BadItemsNameFileLineKeyAndReason) {
  const std::string head = "[run]\nmodel = \"cluster\"\n";
  std::string e =
      config_error_of(head +
                      "[model]\nshocks = [\n  { type = \"demand\", onset = 1, duration = 2, "
                      "magnitude = 0.1 },\n  { type = \"demnd\", onset = 1, duration = 2, "
                      "magnitude = 0.1 },\n]\n");
  EXPECT_NE(e.find("cfg_error.toml:6:3: key 'model.shocks[2]': field 'type'"), std::string::npos)
      << e;
  e = config_error_of(head + "[[model.shocks]]\ntype = \"demand\"\nonset = 1\nmagnitude = 0.1\n");
  EXPECT_NE(e.find("key 'model.shocks[1]': field 'duration' is missing"), std::string::npos) << e;
  e = config_error_of(head + "[model]\nshocks = [1, 2]\n");
  EXPECT_NE(e.find("key 'model.shocks[1]': each list item must be a table"), std::string::npos)
      << e;
  e = config_error_of(head + "[[model.shocks]]\ntype = \"demand\"\nonset = [1]\n");
  EXPECT_NE(e.find("key 'model.shocks[1].onset': expected a scalar value"), std::string::npos) << e;
  e = config_error_of(head + "[model]\nshocks = \"type=demand, onset=1\"\n");
  EXPECT_NE(e.find("key 'model.shocks'"), std::string::npos) << e;
  EXPECT_NE(e.find("'duration' is missing"), std::string::npos) << e;
  // Other parameters still reject arrays.
  e = config_error_of(head + "[model]\nn_sme = [1]\n");
  EXPECT_NE(e.find("expected a scalar value, got an array"), std::string::npos) << e;
}

}  // namespace
}  // namespace icn::io
