#include "icn/stats/moments.h"

#include <cmath>

#include "icn/core/error.h"
#include "icn/stats/detail/serial.h"

namespace icn::stats {

void Moments::merge(const Moments& other) {
  if (other.n_ == 0) return;
  if (n_ == 0) {
    *this = other;
    return;
  }
  const auto na = static_cast<double>(n_);
  const auto nb = static_cast<double>(other.n_);
  const double n = na + nb;
  // Difference of the two means; the shift difference is exact when the shifts are close.
  const double delta = (other.shift_ - shift_) + (other.mean_ - mean_);
  mean_ += delta * (nb / n);
  m2_ += other.m2_ + delta * delta * (na * nb / n);
  n_ += other.n_;
  if (other.min_ < min_) min_ = other.min_;
  if (other.max_ > max_) max_ = other.max_;
}

double Moments::stddev() const { return std::sqrt(variance()); }

double Moments::std_error() const {
  return n_ < 2 ? 0.0 : std::sqrt(variance() / static_cast<double>(n_));
}

void Moments::save(std::vector<double>& out) const {
  out.insert(out.end(), {static_cast<double>(n_), shift_, mean_, m2_, min_, max_});
}

Moments Moments::load(std::span<const double> in, std::size_t& pos) {
  detail::Reader r(in, pos, "moments");
  Moments m;
  m.n_ = r.count();
  m.shift_ = r.value();
  m.mean_ = r.value();
  m.m2_ = r.value();
  m.min_ = r.value();
  m.max_ = r.value();
  if (m.m2_ < 0 || (m.n_ > 0 && m.min_ > m.max_)) r.fail("inconsistent values");
  pos = r.position();
  return m;
}

}  // namespace icn::stats
