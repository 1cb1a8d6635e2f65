#pragma once
// The analytic test functions of sensitivity analysis (MODEL.md section 9), as models
// whose "tick" draws nothing: the output is y(x) plus optional replicate noise.
#include "icn/model/model.h"

namespace icn::model {

struct IshigamiParams {
  double x1 = 0.0;  ///< inputs on [-pi, pi]
  double x2 = 0.0;
  double x3 = 0.0;
  double a = 7.0;
  double b = 0.1;
  double noise_sd = 0.0;  ///< sd of additive Gaussian replicate noise
};

/// Ishigami & Homma (1990): y = sin x1 + a sin² x2 + b x3⁴ sin x1.
double ishigami(double x1, double x2, double x3, double a, double b);

/// Closed-form first-order and total Sobol indices of Ishigami (x_i ~ U[-pi, pi]).
struct IshigamiIndices {
  double variance;
  double s1[3];
  double st[3];
};
IshigamiIndices ishigami_indices(double a, double b);

constexpr int kSobolGDims = 8;
struct SobolGParams {
  double x[kSobolGDims] = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5};  ///< inputs on [0, 1]
  double a[kSobolGDims] = {0, 1, 4.5, 9, 99, 99, 99, 99};            ///< importance (Saltelli)
  double noise_sd = 0.0;
};

/// Sobol' G-function: prod_i (|4 x_i − 2| + a_i) / (1 + a_i).
double sobol_g(const double* x, const double* a, int d);
/// Closed-form first-order and total indices of the G-function.
void sobol_g_indices(const double* a, int d, double* s1, double* st);

ModelInfo ishigami_info();
ModelInfo sobol_g_info();

}  // namespace icn::model
