#include "icn/design/lhs.h"

#include <cmath>
#include <numeric>
#include <span>
#include <vector>

#include "icn/core/error.h"
#include "icn/core/rng.h"
#include "icn/design/detail/streams.h"

namespace icn::design {

Eigen::MatrixXd latin_hypercube(std::int64_t n, int dims, std::uint64_t seed) {
  if (n < 1 || n > std::int64_t{0xffffffff} || dims < 1) {
    throw InputError("latin hypercube: needs 1 <= n < 2^32 and dims >= 1, got n = " +
                     std::to_string(n) + ", dims = " + std::to_string(dims));
  }
  const rng::Key key = rng::Key::from_seed(seed);
  const auto count = static_cast<double>(n);
  Eigen::MatrixXd out(n, dims);
  std::vector<std::int64_t> stratum(static_cast<std::size_t>(n));
  for (int j = 0; j < dims; ++j) {
    const auto actor = static_cast<std::uint32_t>(j);
    rng::Stream perm(key, detail::kTickLhsPermutation, rng::Stage::kDesign, actor);
    rng::Stream jitter(key, detail::kTickLhsJitter, rng::Stage::kDesign, actor);
    std::iota(stratum.begin(), stratum.end(), std::int64_t{0});
    rng::shuffle(perm, std::span<std::int64_t>(stratum));
    for (std::int64_t r = 0; r < n; ++r) {
      const double k = static_cast<double>(stratum[static_cast<std::size_t>(r)]);
      // Stratum k is [k/n, (k+1)/n) with both edges as correctly rounded quotients; k + U
      // can round up to k + 1 when k is large, so the upper edge is enforced explicitly.
      const double upper = (k + 1) / count;
      const double u = (k + rng::uniform(jitter)) / count;
      out(r, j) = u < upper ? u : std::nextafter(upper, 0.0);
    }
  }
  return out;
}

}  // namespace icn::design
