#include "icn/model/faulty.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include "icn/core/error.h"

namespace icn::model {
namespace {

const ParamTable<FaultyParams>& faulty_table() {
  using F = FaultyParams;
  static const ParamTable<F> table(
      "model",
      {
          {"x", &F::x, 0, 1, "", "input x: y = x + 0.1 u"},
          {"fail_x", &F::fail_x, 0, 2, "", "runs with x >= fail_x fail (2: none)"},
          {"fail_fraction", &F::fail_fraction, 0, 1, "",
           "probability, keyed by (seed, point, replicate), that a run fails"},
          {"failure",
           &F::failure,
           0,
           0,
           "",
           "how a failing run fails: the model throws, y turns NaN, or ticks become slow",
           {"error", "nan", "slow"}},
          {"fail_tick", &F::fail_tick, 0, 1e9, "tick", "the tick at which a failing run fails"},
          {"slow_seconds", &F::slow_seconds, 0, 60, "s", "sleep per tick of a slow failure"},
          {"transient", &F::transient, 0, 100, "attempts",
           "only the first this-many attempts of a run (in this process) fail; 0: all"},
      });
  return table;
}

/// Attempts made so far per run key, in this process (what makes a failure transient).
int count_attempt(const rng::Key& key) {
  static std::mutex mutex;
  static std::map<std::pair<std::uint32_t, std::uint32_t>, int> attempts;
  const std::lock_guard lock(mutex);
  return ++attempts[{key.k0, key.k1}];
}

class FaultyModel final : public Model {
 public:
  FaultyModel(const FaultyParams& p, rng::Key key) : p_(p), key_(key) {
    rng::Stream s(key_, 0, rng::Stage::kTest, 0);
    failing_ = p_.x >= p_.fail_x || rng::uniform(s) < p_.fail_fraction;
    if (failing_ && p_.transient > 0) failing_ = count_attempt(key_) <= p_.transient;
    draw();
  }
  void step() override {
    ++tick_;
    if (failing_ && tick_ >= p_.fail_tick) fail();
    draw();
    if (nan_) value_ = std::numeric_limits<double>::quiet_NaN();
  }
  void observe(std::span<double> out) const override { out[0] = value_; }
  void summarize(std::span<double> out) const override { out[0] = value_; }

 private:
  void fail() {
    if (p_.failure == "error")
      throw RuntimeError("faulty: the chosen failure at tick " + std::to_string(tick_));
    if (p_.failure == "nan") nan_ = true;
    if (p_.failure == "slow")
      std::this_thread::sleep_for(std::chrono::duration<double>(p_.slow_seconds));
  }
  void draw() {
    rng::Stream s(key_, static_cast<std::uint32_t>(tick_), rng::Stage::kNoise, 0);
    value_ = p_.x + 0.1 * rng::uniform(s);
  }

  FaultyParams p_;
  rng::Key key_;
  bool failing_ = false;
  bool nan_ = false;
  std::int64_t tick_ = 0;
  double value_ = 0;
};

}  // namespace

ModelInfo faulty_info() {
  ModelInfo info;
  info.name = "faulty";
  info.description =
      "diagnostic: y = x + 0.1 u, failing (error, NaN or slow ticks) on chosen runs, for "
      "testing retries and timeouts";
  info.schema = &faulty_table().schema();
  info.observables = {"y"};
  info.finals = {"y"};
  info.make = [](const ParamValues& v, const rng::Key& key, const ExecOptions&) {
    return std::make_unique<FaultyModel>(faulty_table().from_values(v), key);
  };
  return info;
}

}  // namespace icn::model
