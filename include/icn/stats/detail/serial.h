#pragma once
// Checked reading of the flat double vectors that stats states save to.
#include <cmath>
#include <cstdint>
#include <span>
#include <string>

#include "icn/core/error.h"

namespace icn::stats::detail {

class Reader {
 public:
  Reader(std::span<const double> in, std::size_t pos, const char* what)
      : in_(in), pos_(pos), what_(what) {}

  double value() {
    if (pos_ >= in_.size()) fail("truncated");
    return in_[pos_++];
  }
  /// A non-negative integer stored exactly as a double (at most 2^53).
  std::int64_t count() {
    const double x = value();
    if (!(x >= 0 && x <= 0x1.0p53 && std::floor(x) == x)) fail("bad count");
    return static_cast<std::int64_t>(x);
  }
  std::size_t position() const { return pos_; }

  [[noreturn]] void fail(const std::string& why) const {
    throw RuntimeError(std::string("reading saved ") + what_ + " state at offset " +
                       std::to_string(pos_) + ": " + why);
  }

 private:
  std::span<const double> in_;
  std::size_t pos_;
  const char* what_;
};

}  // namespace icn::stats::detail
