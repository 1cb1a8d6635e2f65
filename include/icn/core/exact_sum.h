#pragma once
// A sum of doubles that does not depend on the order of its terms.
//
// Floating-point addition is not associative, so a total summed in slot order must be
// summed serially to stay the same on every team. ExactSum instead splits each term into
// its integer part and its fraction in units of 2^-64 (truncated toward zero) and adds
// both to 128-bit integers: integer addition is associative, so partial sums of any split
// of the terms (one per thread, say) merge into the same total, which value() rounds to a
// double by a function of that total alone.
//
// Terms are exact when |x| >= 2^-11 (such doubles are multiples of 2^-64); smaller ones
// are truncated toward zero to a multiple of 2^-64 (an error below 5.5e-20 per term), the
// same way whatever the order. Totals up to 2^127 (1.7e38) in magnitude are exact, and
// value() rounds them once while below 2^62 (4.6e18), twice above; a term of 2^126 or
// more, a total beyond 2^127, a NaN or an infinity makes value() NaN (sticky), so an
// overflow cannot pass for a result. (The fractions' sum cannot overflow before 2^63
// terms.)
#include <cmath>
#include <cstdint>
#include <limits>

namespace icn {

class ExactSum {
 public:
  __extension__ typedef __int128 Units;

  void add(double x) {
    const double magnitude = std::fabs(x);
    if (magnitude < 0x1p63) {
      // x = whole + part, both exact (whole = x truncated; x - whole is representable);
      // part * 2^64 truncated toward zero in two int64 steps (|part| * 2^63 < 2^63).
      const auto whole = static_cast<std::int64_t>(x);
      const double part = x - static_cast<double>(whole);
      const double scaled = part * 0x1p63;
      const auto high = static_cast<std::int64_t>(scaled);
      const auto low = static_cast<std::int64_t>((scaled - static_cast<double>(high)) * 2.0);
      invalid_ |= __builtin_add_overflow(whole_, static_cast<Units>(whole), &whole_);
      fraction_ += static_cast<Units>(high) * 2 + static_cast<Units>(low);
    } else if (magnitude < 0x1p126) {  // an integer already: converted exactly
      invalid_ |= __builtin_add_overflow(whole_, static_cast<Units>(x), &whole_);
    } else {  // too large, infinite or NaN
      invalid_ = true;
    }
  }

  /// Adds x `times` times (fewer than 2^63): the same sum as that many add(x) calls, in
  /// one multiplication - the terms are integers in units of 2^-64, and the running total
  /// of equal terms moves one way, so it overflows when the final total does. One corner
  /// differs: a product x * times of 2^127 or more is flagged even where single adds, from
  /// a total of the opposite sign, would have come back into range.
  void add(double x, std::uint64_t times) {
    if (times == 0) return;
    ExactSum once;
    once.add(x);
    const auto k = static_cast<Units>(times);
    Units whole = 0;
    invalid_ |= once.invalid_ || __builtin_mul_overflow(once.whole_, k, &whole) ||
                __builtin_add_overflow(whole_, whole, &whole_);
    fraction_ += once.fraction_ * k;
  }

  ExactSum& operator+=(const ExactSum& other) {
    invalid_ |= other.invalid_ || __builtin_add_overflow(whole_, other.whole_, &whole_);
    fraction_ += other.fraction_;
    return *this;
  }

  /// The sum as a double (NaN after an overflow or a non-finite term): rounded once to
  /// the nearest while below 2^62 in magnitude.
  double value() const {
    if (invalid_) return std::numeric_limits<double>::quiet_NaN();
    const Units carry = fraction_ >> 64;  // floor: the remainder below is in [0, 2^64)
    Units whole = 0;
    if (__builtin_add_overflow(whole_, carry, &whole))
      return std::numeric_limits<double>::quiet_NaN();
    const Units rest = fraction_ - carry * (Units{1} << 64);
    constexpr Units kOnce = Units{1} << 62;
    if (whole > -kOnce && whole < kOnce) {
      return static_cast<double>(whole * (Units{1} << 64) + rest) * 0x1p-64;
    }
    return static_cast<double>(whole) + static_cast<double>(rest) * 0x1p-64;
  }

  /// The sum in units of 2^-64 (meaningful while below 2^62 in magnitude).
  Units units() const { return whole_ * (Units{1} << 64) + fraction_; }
  bool valid() const { return !invalid_; }

 private:
  Units whole_ = 0;     ///< sum of the terms' integer parts
  Units fraction_ = 0;  ///< sum of their fractions, in units of 2^-64
  bool invalid_ = false;
};

}  // namespace icn
