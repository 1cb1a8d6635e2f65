#include "icn/stats/accumulator.h"

#include "icn/core/error.h"
#include "icn/stats/detail/serial.h"

namespace icn::stats {
namespace {

constexpr double kFormatTag = 0x49434E41;  // "ICNA"
constexpr double kFormatVersion = 1;

}  // namespace

void Accumulator::merge(const Accumulator& other) {
  sketch_.merge(other.sketch_);  // first: it is the part that can refuse
  moments_.merge(other.moments_);
}

std::vector<double> Accumulator::serialize() const {
  std::vector<double> out{kFormatTag, kFormatVersion};
  out.reserve(2 + Moments::kSavedSize + 4 + 2 * static_cast<std::size_t>(sketch_.levels()) +
              sketch_.retained());
  moments_.save(out);
  sketch_.save(out);
  return out;
}

Accumulator Accumulator::deserialize(std::span<const double> state) {
  std::size_t pos = 0;
  detail::Reader header(state, pos, "accumulator");
  if (header.value() != kFormatTag) header.fail("not an accumulator state");
  if (header.value() != kFormatVersion) header.fail("unknown format version");
  pos = header.position();
  Accumulator acc;
  acc.moments_ = Moments::load(state, pos);
  acc.sketch_ = QuantileSketch::load(state, pos);
  detail::Reader tail(state, pos, "accumulator");
  if (pos != state.size()) tail.fail("trailing data");
  if (acc.moments_.count() != acc.sketch_.count()) tail.fail("moments and sketch counts differ");
  return acc;
}

}  // namespace icn::stats
