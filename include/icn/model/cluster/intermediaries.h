#pragma once
// Intermediaries (MODEL.md sections 2, 4.3, 4.4): actors that keep a registry of the
// adverts of the firms within their service radius and, for a fee, suggest the
// best-matching partners to a searching firm; sharing in a partnership they brokered
// loses no expertise.
//
//  - Registry: rebuilt each tick before the partner search: the live firms within
//    `service_radius` (density-scaled) of each intermediary, in slot order.
//  - Suggestion: a searcher that still has free candidate slots after its previous
//    partners, suppliers, customers and geographic neighbours, that lies within the
//    service radius of an intermediary (the nearest; ties lower id) and whose capital
//    covers `intermediary_fee`, pays the fee (a transfer) and receives the registry's
//    usable firms with the highest advert overlap with its own (ties: lower slot),
//    filling its free slots before any random candidate.
//  - Brokered partnerships (formed with a suggested candidate) share IH triples without
//    the loss of one expertise level (max(share_min_expertise, e) instead of e - 1).
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "icn/model/cluster/context.h"
#include "icn/model/cluster/space.h"

namespace icn::model::cluster {

class Intermediaries {
 public:
  /// Rebuilds the registries (call before the search) from `firms`, the grid of the
  /// live firms.
  void build(const State& st, const Settings& set, const CellGrid& firms);
  bool empty() const { return slots_.empty(); }

  /// The intermediary (slot) serving a searcher at slot s, kNone if none covers it.
  std::uint32_t broker_for(const State& st, std::uint32_t s, const Settings& set) const;
  /// Fills out[n..want) with the registry's best matches for searcher s (advert overlap
  /// with `mine`, computed by `overlap(t)`), skipping those `usable` rejects. Returns
  /// the new count.
  template <class Usable, class Overlap>
  int suggest(std::uint32_t broker, std::span<std::uint32_t> out, int n, int want, Usable&& usable,
              Overlap&& overlap) const;

  /// Brokered pairs (ids, a < b) of the current tick, sorted.
  std::vector<std::pair<std::uint32_t, std::uint32_t>>& brokered() { return brokered_; }
  bool is_brokered(std::uint32_t a_id, std::uint32_t b_id) const;

 private:
  std::vector<std::uint32_t> slots_;  ///< intermediary slots
  std::vector<std::uint32_t> start_;  ///< registry offsets, one per intermediary + 1
  std::vector<std::uint32_t> registry_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> brokered_;
};

template <class Usable, class Overlap>
int Intermediaries::suggest(std::uint32_t broker, std::span<std::uint32_t> out, int n, int want,
                            Usable&& usable, Overlap&& overlap) const {
  std::size_t b = 0;
  while (b < slots_.size() && slots_[b] != broker) ++b;
  if (b == slots_.size()) return n;
  const int first = n;
  double score[64];
  for (std::uint32_t k = start_[b]; k < start_[b + 1]; ++k) {
    const std::uint32_t t = registry_[k];
    if (!usable(t)) continue;
    const double o = overlap(t);
    // Insertion into the best (want - first) so far, higher overlap first, ties: the
    // earlier (lower) slot stays ahead.
    int pos = n;
    while (pos > first && score[pos - 1] < o) --pos;
    if (pos >= want) continue;
    const int last = std::min(n, want - 1);
    for (int m = last; m > pos; --m) {
      out[static_cast<std::size_t>(m)] = out[static_cast<std::size_t>(m - 1)];
      score[m] = score[m - 1];
    }
    out[static_cast<std::size_t>(pos)] = t;
    score[pos] = o;
    if (n < want) ++n;
  }
  return n;
}

}  // namespace icn::model::cluster
