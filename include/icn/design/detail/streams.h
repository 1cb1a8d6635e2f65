#pragma once
// Random-stream identities of the design generators. Every generator draws from
// rng::Stream(Key::from_seed(spec.seed), tick, Stage::kDesign, actor) with a tick of its
// own below, so no two generators share a stream and a design is a pure function of its
// spec.
#include <cstdint>

namespace icn::design::detail {

inline constexpr std::uint32_t kTickLhsPermutation = 0;  ///< actor = dimension
inline constexpr std::uint32_t kTickLhsJitter = 1;       ///< actor = dimension
inline constexpr std::uint32_t kTickSobolScramble = 2;   ///< actor = dimension
inline constexpr std::uint32_t kTickMorris = 3;          ///< actor = trajectory

}  // namespace icn::design::detail
