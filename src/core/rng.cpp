#include "icn/core/rng.h"

#include <cmath>
#include <limits>

namespace icn::rng {
namespace {

constexpr std::uint32_t kDeriveTag = 0x4b455931u;  // "KEY1": separates key derivation

std::array<std::uint32_t, 4> block(const std::array<std::uint32_t, 4>& c, const Key& k) {
  return philox4x32_10(c, {k.k0, k.k1});
}

}  // namespace

Key Key::from_seed(std::uint64_t seed) {
  return Key{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)};
}

Key Key::derive(const TaskKey& task) {
  const auto r = block({task.point, task.replicate, 0u, kDeriveTag}, from_seed(task.master_seed));
  return Key{r[0], r[1]};
}

std::int64_t integer(Stream& s, std::int64_t lo, std::int64_t hi) {
  const auto span = static_cast<std::uint64_t>(hi - lo) + 1u;
  if (span == 0) return static_cast<std::int64_t>(s.next_u64());  // the full 64-bit range
  if (span <= std::numeric_limits<std::uint32_t>::max()) {
    return lo + below(s, static_cast<std::uint32_t>(span));
  }
  // Wide ranges: rejection on 64-bit words.
  const std::uint64_t limit =
      std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % span;
  std::uint64_t x = s.next_u64();
  while (x >= limit) x = s.next_u64();
  return lo + static_cast<std::int64_t>(x % span);
}

double normal(Stream& s) {
  constexpr double kTwoPi = 6.283185307179586476925;
  const double u1 = 1.0 - uniform(s);  // (0, 1]: log is finite
  const double u2 = uniform(s);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

namespace {

std::uint64_t poisson_inversion(Stream& s, double mean) {
  // Sequential search from 0: expected mean + 1 steps, exact for small means.
  const double u = uniform(s);
  double p = std::exp(-mean);
  double cdf = p;
  std::uint64_t k = 0;
  while (u >= cdf && k < 1000) {
    ++k;
    p *= mean / static_cast<double>(k);
    cdf += p;
  }
  return k;
}

std::uint64_t poisson_ptrs(Stream& s, double mean) {
  // Hörmann (1993), "The transformed rejection method for generating Poisson random
  // variables", algorithm PTRS; valid for mean >= 10.
  const double slam = std::sqrt(mean);
  const double loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = uniform(s) - 0.5;
    const double v = uniform(s);
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::uint64_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    const double lhs = std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b);
    const double rhs = -mean + k * loglam - std::lgamma(k + 1.0);
    if (lhs <= rhs) return static_cast<std::uint64_t>(k);
  }
}

}  // namespace

std::uint64_t poisson(Stream& s, double mean) {
  if (!(mean > 0.0)) return 0;
  return mean < 10.0 ? poisson_inversion(s, mean) : poisson_ptrs(s, mean);
}

}  // namespace icn::rng
