#include "icn/design/morris.h"

#include <numeric>
#include <span>
#include <string>

#include "icn/core/error.h"
#include "icn/core/rng.h"
#include "icn/design/detail/streams.h"

namespace icn::design {

Eigen::MatrixXd morris_unit(int trajectories, int dims, int levels, std::uint64_t seed) {
  if (levels < 2 || levels % 2 != 0) {
    throw InputError("morris design: needs an even number of levels >= 2, got " +
                     std::to_string(levels) + " (with p odd, Δ = p/(2(p-1)) is off the grid)");
  }
  if (trajectories < 1 || dims < 1) {
    throw InputError("morris design: needs >= 1 trajectory and >= 1 factor, got " +
                     std::to_string(trajectories) + " and " + std::to_string(dims));
  }
  // Grid indices 0..p-1; a step is p/2 indices, so a factor moving up starts in the lower
  // half {0..p/2-1} and one moving down starts p/2 above that.
  const int half = levels / 2;
  const double cell = 1.0 / (levels - 1);
  const rng::Key key = rng::Key::from_seed(seed);
  Eigen::MatrixXd out(static_cast<Eigen::Index>(trajectories) * (dims + 1), dims);
  std::vector<int> index(static_cast<std::size_t>(dims));
  std::vector<int> up(static_cast<std::size_t>(dims));
  std::vector<int> order(static_cast<std::size_t>(dims));
  for (int t = 0; t < trajectories; ++t) {
    rng::Stream s(key, detail::kTickMorris, rng::Stage::kDesign, static_cast<std::uint32_t>(t));
    for (std::size_t i = 0; i < index.size(); ++i) {
      const int base = static_cast<int>(rng::below(s, static_cast<std::uint32_t>(half)));
      up[i] = static_cast<int>(rng::below(s, 2));
      index[i] = up[i] ? base : base + half;
    }
    std::iota(order.begin(), order.end(), 0);
    rng::shuffle(s, std::span<int>(order));
    const Eigen::Index first = static_cast<Eigen::Index>(t) * (dims + 1);
    for (int k = 0; k <= dims; ++k) {
      if (k > 0) {
        const auto i = static_cast<std::size_t>(order[static_cast<std::size_t>(k - 1)]);
        index[i] += up[i] ? half : -half;
      }
      for (int i = 0; i < dims; ++i) out(first + k, i) = index[static_cast<std::size_t>(i)] * cell;
    }
  }
  return out;
}

std::vector<MorrisStep> morris_steps(const Design& design, std::int64_t trajectory) {
  if (design.kind != DesignKind::kMorris) {
    throw InputError("morris_steps: the design is a " + std::string(kind_name(design.kind)) +
                     " design");
  }
  if (trajectory < 0 || trajectory >= design.base_n) {
    throw InputError("morris_steps: trajectory " + std::to_string(trajectory) + " of " +
                     std::to_string(design.base_n));
  }
  const int dims = design.dims();
  const Eigen::Index first = static_cast<Eigen::Index>(trajectory) * (dims + 1);
  std::vector<MorrisStep> steps;
  steps.reserve(static_cast<std::size_t>(dims));
  for (int k = 0; k < dims; ++k) {
    const auto diff =
        (design.unit_points.row(first + k + 1) - design.unit_points.row(first + k)).eval();
    Eigen::Index changed = 0;
    diff.cwiseAbs().maxCoeff(&changed);
    steps.push_back({static_cast<int>(changed),
                     diff(changed) > 0 ? design.morris_delta : -design.morris_delta});
  }
  return steps;
}

}  // namespace icn::design
