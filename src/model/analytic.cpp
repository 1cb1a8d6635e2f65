#include "icn/model/analytic.h"

#include <cmath>
#include <numbers>

namespace icn::model {

double ishigami(double x1, double x2, double x3, double a, double b) {
  const double s2 = std::sin(x2);
  return std::sin(x1) + a * s2 * s2 + b * std::pow(x3, 4) * std::sin(x1);
}

IshigamiIndices ishigami_indices(double a, double b) {
  // Sobol' & Levitan (1999): V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8,
  // V13 = b^2 pi^8 (1/18 - 1/50) = 8 b^2 pi^8 / 225.
  const double pi4 = std::pow(std::numbers::pi, 4);
  const double v1 = 0.5 * std::pow(1.0 + b * pi4 / 5.0, 2);
  const double v2 = a * a / 8.0;
  const double v13 = b * b * pi4 * pi4 * 8.0 / 225.0;
  const double v = v1 + v2 + v13;
  return {v, {v1 / v, v2 / v, 0.0}, {(v1 + v13) / v, v2 / v, v13 / v}};
}

double sobol_g(const double* x, const double* a, int d) {
  double y = 1.0;
  for (int i = 0; i < d; ++i) y *= (std::fabs(4.0 * x[i] - 2.0) + a[i]) / (1.0 + a[i]);
  return y;
}

void sobol_g_indices(const double* a, int d, double* s1, double* st) {
  // V_i = 1 / (3 (1 + a_i)^2); V = prod (1 + V_i) - 1; ST_i = V_i prod_{j!=i}(1+V_j) / V.
  double prod = 1.0;
  for (int i = 0; i < d; ++i) prod *= 1.0 + 1.0 / (3.0 * (1.0 + a[i]) * (1.0 + a[i]));
  const double v = prod - 1.0;
  for (int i = 0; i < d; ++i) {
    const double vi = 1.0 / (3.0 * (1.0 + a[i]) * (1.0 + a[i]));
    s1[i] = vi / v;
    st[i] = vi * (prod / (1.0 + vi)) / v;
  }
}

namespace {

const ParamTable<IshigamiParams>& ishigami_table() {
  static const ParamTable<IshigamiParams> table(
      "model", {
                   {"x1", &IshigamiParams::x1, -std::numbers::pi, std::numbers::pi, "", "input x1"},
                   {"x2", &IshigamiParams::x2, -std::numbers::pi, std::numbers::pi, "", "input x2"},
                   {"x3", &IshigamiParams::x3, -std::numbers::pi, std::numbers::pi, "", "input x3"},
                   {"a", &IshigamiParams::a, -100, 100, "", "coefficient a of sin^2 x2"},
                   {"b", &IshigamiParams::b, -10, 10, "", "coefficient b of x3^4 sin x1"},
                   {"noise_sd", &IshigamiParams::noise_sd, 0, 1e6, "",
                    "sd of additive Gaussian replicate noise"},
               });
  return table;
}

// Sobol-G parameters are flat names x1..x8, a1..a8 so that a design can vary each.
struct SobolGFlat {
  double x1 = 0.5, x2 = 0.5, x3 = 0.5, x4 = 0.5, x5 = 0.5, x6 = 0.5, x7 = 0.5, x8 = 0.5;
  double a1 = 0, a2 = 1, a3 = 4.5, a4 = 9, a5 = 99, a6 = 99, a7 = 99, a8 = 99;
  double noise_sd = 0.0;
};

const ParamTable<SobolGFlat>& sobol_g_table() {
  using F = SobolGFlat;
  static const ParamTable<F> table(
      "model",
      {
          {"x1", &F::x1, 0, 1, "", "input x1"},
          {"x2", &F::x2, 0, 1, "", "input x2"},
          {"x3", &F::x3, 0, 1, "", "input x3"},
          {"x4", &F::x4, 0, 1, "", "input x4"},
          {"x5", &F::x5, 0, 1, "", "input x5"},
          {"x6", &F::x6, 0, 1, "", "input x6"},
          {"x7", &F::x7, 0, 1, "", "input x7"},
          {"x8", &F::x8, 0, 1, "", "input x8"},
          {"a1", &F::a1, 0, 1e6, "", "importance a1 (small = important)"},
          {"a2", &F::a2, 0, 1e6, "", "importance a2"},
          {"a3", &F::a3, 0, 1e6, "", "importance a3"},
          {"a4", &F::a4, 0, 1e6, "", "importance a4"},
          {"a5", &F::a5, 0, 1e6, "", "importance a5"},
          {"a6", &F::a6, 0, 1e6, "", "importance a6"},
          {"a7", &F::a7, 0, 1e6, "", "importance a7"},
          {"a8", &F::a8, 0, 1e6, "", "importance a8"},
          {"noise_sd", &F::noise_sd, 0, 1e6, "", "sd of additive Gaussian replicate noise"},
      });
  return table;
}

/// y = f(x) + noise; each tick redraws the noise, the output is constant otherwise.
class AnalyticModel final : public Model {
 public:
  AnalyticModel(double y, double noise_sd, rng::Key key) : y_(y), noise_sd_(noise_sd), key_(key) {
    draw();
  }
  void step() override {
    ++tick_;
    draw();
  }
  void observe(std::span<double> out) const override {
    out[0] = value_;
    out[1] = y_;
  }
  void summarize(std::span<double> out) const override { out[0] = value_; }

 private:
  void draw() {
    rng::Stream s(key_, static_cast<std::uint32_t>(tick_), rng::Stage::kNoise, 0);
    value_ = noise_sd_ > 0 ? y_ + rng::normal(s, 0.0, noise_sd_) : y_;
  }
  double y_;
  double noise_sd_;
  rng::Key key_;
  int tick_ = 0;
  double value_ = 0;
};

}  // namespace

ModelInfo ishigami_info() {
  ModelInfo info;
  info.name = "ishigami";
  info.description = "Ishigami test function y = sin x1 + a sin^2 x2 + b x3^4 sin x1, plus noise";
  info.schema = &ishigami_table().schema();
  info.observables = {"y", "y_exact"};
  info.finals = {"y"};
  info.make = [](const ParamValues& v, const rng::Key& key, const ExecOptions&) {
    const IshigamiParams p = ishigami_table().from_values(v);
    return std::make_unique<AnalyticModel>(ishigami(p.x1, p.x2, p.x3, p.a, p.b), p.noise_sd, key);
  };
  return info;
}

ModelInfo sobol_g_info() {
  ModelInfo info;
  info.name = "sobol-g";
  info.description = "Sobol' G-function on [0,1]^8 with importances a1..a8, plus noise";
  info.schema = &sobol_g_table().schema();
  info.observables = {"y", "y_exact"};
  info.finals = {"y"};
  info.make = [](const ParamValues& v, const rng::Key& key, const ExecOptions&) {
    const SobolGFlat p = sobol_g_table().from_values(v);
    const double x[kSobolGDims] = {p.x1, p.x2, p.x3, p.x4, p.x5, p.x6, p.x7, p.x8};
    const double a[kSobolGDims] = {p.a1, p.a2, p.a3, p.a4, p.a5, p.a6, p.a7, p.a8};
    return std::make_unique<AnalyticModel>(sobol_g(x, a, kSobolGDims), p.noise_sd, key);
  };
  return info;
}

}  // namespace icn::model
