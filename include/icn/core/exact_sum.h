#pragma once
// A sum of doubles that does not depend on the order of its terms.
//
// Floating-point addition is not associative, so a total summed in slot order must be
// summed serially to stay the same on every team. ExactSum instead adds each term, as a
// multiple of 2^-64, to a 128-bit integer: integer addition is associative, so partial
// sums of any split of the terms (one per thread, say) merge into the same total, which
// value() rounds once to the nearest double.
//
// Terms are exact when |x| >= 2^-11 (such doubles are multiples of 2^-64); smaller ones
// are truncated toward zero to a multiple of 2^-64 (an error below 5.5e-20 per term), the
// same way whatever the order. The total must stay below 2^63 (9.2e18) in magnitude and
// every term below 2^62; a term or total outside that range, or a NaN or infinity, makes
// value() NaN (sticky), so an overflow cannot pass for a result.
#include <cmath>
#include <cstdint>
#include <limits>

namespace icn {

class ExactSum {
 public:
  __extension__ typedef __int128 Units;  ///< the sum in units of 2^-64

  void add(double x) {
    // |x| < 2^62 (false for NaN): x = whole + part, both exact (whole = x truncated, and
    // x - whole is exactly representable); part * 2^64 truncated toward zero, like whole.
    if (!(std::fabs(x) < 0x1p62)) {
      invalid_ = true;
      return;
    }
    const auto whole = static_cast<std::int64_t>(x);
    const double part = x - static_cast<double>(whole);  // |part| < 1
    // |part| * 2^63 < 2^63 fits an int64; the bit below (2^-64) is kept by a second step.
    const double scaled = part * 0x1p63;
    const auto high = static_cast<std::int64_t>(scaled);
    const auto low = static_cast<std::int64_t>((scaled - static_cast<double>(high)) * 2.0);
    const Units term = static_cast<Units>(whole) * (Units{1} << 64) + static_cast<Units>(high) * 2 +
                       static_cast<Units>(low);
    invalid_ |= __builtin_add_overflow(units_, term, &units_);
  }

  ExactSum& operator+=(const ExactSum& other) {
    invalid_ |= other.invalid_ || __builtin_add_overflow(units_, other.units_, &units_);
    return *this;
  }

  /// The sum rounded to the nearest double (NaN after an overflow or a non-finite term).
  double value() const {
    if (invalid_) return std::numeric_limits<double>::quiet_NaN();
    return static_cast<double>(units_) * 0x1p-64;  // the conversion rounds; the scaling is exact
  }

  Units units() const { return units_; }
  bool valid() const { return !invalid_; }
  void clear() { *this = ExactSum{}; }
  bool operator==(const ExactSum&) const = default;

 private:
  Units units_ = 0;
  bool invalid_ = false;
};

}  // namespace icn
