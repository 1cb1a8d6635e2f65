#include "icn/core/params.h"

#include <gtest/gtest.h>

namespace icn {
namespace {

struct Sample {
  std::int64_t count = 10;
  double rate = 0.5;
  bool on = true;
  std::string mode = "fast";
};

const ParamTable<Sample>& sample_table() {
  static const ParamTable<Sample> t(
      "model", {
                   {"count", &Sample::count, 1, 100, "", "a count"},
                   {"rate", &Sample::rate, 0, 1, "1/tick", "a rate"},
                   {"on", &Sample::on, 0, 0, "", "a switch"},
                   {"mode", &Sample::mode, 0, 0, "", "a mode", {"fast", "slow"}},
               });
  return t;
}

TEST(ParamTable, DefaultsComeFromTheStruct) {
  const auto& s = sample_table().schema();
  ASSERT_EQ(s.specs.size(), 4u);
  EXPECT_EQ(std::get<std::int64_t>(s.specs[0].default_value), 10);
  EXPECT_EQ(std::get<double>(s.specs[1].default_value), 0.5);
  EXPECT_EQ(s.specs[1].unit, "1/tick");
  EXPECT_EQ(s.specs[3].kind, ParamKind::kChoice);
  const Sample back = sample_table().from_values(sample_table().defaults());
  EXPECT_EQ(back.count, 10);
  EXPECT_EQ(back.mode, "fast");
}

TEST(ParamTable, SetChecksTypeAndRange) {
  ParamValues v = sample_table().defaults();
  v.set("count", Value(std::int64_t{42}), "f.toml");
  v.set("rate", Value(std::int64_t{1}), "f.toml");  // an integer is a valid real
  v.set("mode", Value(std::string("slow")), "f.toml");
  const Sample s = sample_table().from_values(v);
  EXPECT_EQ(s.count, 42);
  EXPECT_EQ(s.rate, 1.0);
  EXPECT_EQ(s.mode, "slow");
  EXPECT_THROW(v.set("count", Value(std::int64_t{0}), "f.toml"), InputError);
  EXPECT_THROW(v.set("count", Value(2.5), "f.toml"), InputError);
  EXPECT_THROW(v.set("rate", Value(std::nan("")), "f.toml"), InputError);
  EXPECT_THROW(v.set("on", Value(std::int64_t{1}), "f.toml"), InputError);
  EXPECT_THROW(v.set("mode", Value(std::string("medium")), "f.toml"), InputError);
}

TEST(ParamTable, UnknownKeySuggestsTheNearestName) {
  ParamValues v = sample_table().defaults();
  try {
    v.set("cuont", Value(std::int64_t{3}), "f.toml:2:1");
    FAIL() << "no throw";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("f.toml:2:1"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'model.cuont'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("did you mean 'model.count'"), std::string::npos) << msg;
  }
}

TEST(ParamTable, DesignSetsNumbersWithRounding) {
  ParamValues v = sample_table().defaults();
  v.set_number(0, 41.6);
  EXPECT_EQ(std::get<std::int64_t>(v.at(0)), 42);
  v.set_number(1, 0.25);
  EXPECT_EQ(v.number(1), 0.25);
  EXPECT_THROW(v.set_number(3, 1.0), InputError);
  EXPECT_THROW(v.set_number(1, 2.0), InputError);  // out of range
}

TEST(DidYouMean, OnlyCloseNames) {
  EXPECT_EQ(did_you_mean("n_smee", {"n_sme", "n_leading"}), "n_sme");
  EXPECT_EQ(did_you_mean("zzzzzz", {"n_sme", "n_leading"}), "");
}

TEST(ToToml, RoundTripsNumbers) {
  EXPECT_EQ(to_toml(Value(0.1)), "0.1");
  EXPECT_EQ(to_toml(Value(2.0)), "2.0");
  EXPECT_EQ(to_toml(Value(std::int64_t{-3})), "-3");
  EXPECT_EQ(to_toml(Value(std::string("a\"b"))), "\"a\\\"b\"");
  EXPECT_EQ(to_toml(Value(true)), "true");
}

}  // namespace
}  // namespace icn
