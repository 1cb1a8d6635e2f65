#include "icn/model/cluster/intermediaries.h"

#include <algorithm>
#include <bit>

#include "icn/core/grow.h"
#include "icn/model/cluster/space.h"

namespace icn::model::cluster {

void Intermediaries::build(const State& st, const Settings& set, const CellGrid& firms) {
  slots_.clear();
  registry_.clear();
  start_.assign(1, 0);
  brokered_.clear();
  signed_ = false;
  for (std::uint32_t s = 0; s < st.slots(); ++s) {
    if (st.alive[s] && st.type[s] == ActorType::kIntermediary) slots_.push_back(s);
  }
  std::vector<std::uint32_t> near;
  for (std::uint32_t b : slots_) {
    firms.slots_near_actor(st, b, set.service_radius, near);
    registry_.insert(registry_.end(), near.begin(), near.end());
    start_.push_back(static_cast<std::uint32_t>(registry_.size()));
  }
}

std::uint32_t Intermediaries::broker_for(const State& st, std::uint32_t s,
                                         const Settings& set) const {
  std::uint32_t best = kNone;
  double best_d = 0;
  for (std::uint32_t b : slots_) {
    const double d = torus_distance(st.x[b], st.y[b], st.x[s], st.y[s]);
    if (d <= set.service_radius && (best == kNone || d < best_d)) {
      best = b;
      best_d = d;
    }
  }
  return best;
}

void Intermediaries::sign_adverts(std::span<const std::uint16_t> adverts,
                                  std::span<const std::uint8_t> len, std::size_t stride) {
  // Each registered slot once (the registries overlap; at the default scenario they hold
  // each firm about four times): a bitmap over the slots.
  std::uint32_t top = 0;
  for (std::uint32_t t : registry_) top = std::max(top, t + 1);
  seen_.assign((top + 63) / 64, 0);
  for (std::uint32_t t : registry_) seen_[t / 64] |= std::uint64_t{1} << (t % 64);
  if (sign_.size() < top) sign_.resize(icn::grown_capacity(sign_.size(), top));
  for (std::size_t w = 0; w < seen_.size(); ++w) {
    for (std::uint64_t word = seen_[w]; word != 0; word &= word - 1) {
      const auto t = static_cast<std::uint32_t>(w * 64 + std::countr_zero(word));
      sign_[t] = signature(adverts.data() + static_cast<std::size_t>(t) * stride, len[t]);
    }
  }
  signed_ = true;
}

bool Intermediaries::is_brokered(std::uint32_t a_id, std::uint32_t b_id) const {
  const auto key = std::make_pair(std::min(a_id, b_id), std::max(a_id, b_id));
  return std::binary_search(brokered_.begin(), brokered_.end(), key);
}

}  // namespace icn::model::cluster
