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
//
// Speed: a registry holds hundreds of firms at any population (the radius is scaled by
// the density), and most share no advertised capability with a given searcher. With each
// registered firm's advert noted as a set of signature bits (sign_adverts),
// suggest_matching() computes the overlap only where the bits meet, and the result is
// suggest()'s (test SignatureSearchIsThePlainRanking).
#include <algorithm>
#include <array>
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

  /// Notes which capabilities each registered firm advertises (call after build()): the
  /// firm at slot t advertises the first `len[t]` entries of `adverts[t * stride ...]`.
  void sign_adverts(std::span<const std::uint16_t> adverts, std::span<const std::uint8_t> len,
                    std::size_t stride);
  /// suggest(), given the searcher's advert `mine`: the same result, with the overlap
  /// computed only for the registered firms that may share a capability with it (and
  /// `usable` asked only while there are free slots). Without sign_adverts() since
  /// build(), suggest() itself.
  template <class Usable, class Overlap>
  int suggest_matching(std::uint32_t broker, std::span<const std::uint16_t> mine,
                       std::span<std::uint32_t> out, int n, int want, Usable&& usable,
                       Overlap&& overlap) const;

  /// Brokered pairs (ids, a < b) of the current tick, sorted.
  std::vector<std::pair<std::uint32_t, std::uint32_t>>& brokered() { return brokered_; }
  bool is_brokered(std::uint32_t a_id, std::uint32_t b_id) const;

 private:
  std::vector<std::uint32_t> slots_;  ///< intermediary slots
  std::vector<std::uint32_t> start_;  ///< registry offsets, one per intermediary + 1
  std::vector<std::uint32_t> registry_;
  // Each registered firm's advert as a set of bits (capability mod kSignBits): firms whose
  // bits are disjoint from a searcher's share no capability with it.
  static constexpr std::size_t kSignWords = 4, kSignBits = 64 * kSignWords;
  using Signature = std::array<std::uint64_t, kSignWords>;
  static Signature signature(const std::uint16_t* advert, std::size_t len) {
    Signature sig{};
    for (std::size_t i = 0; i < len; ++i) {
      const std::size_t bit = advert[i] % kSignBits;
      sig[bit / 64] |= std::uint64_t{1} << (bit % 64);
    }
    return sig;
  }
  bool signed_ = false;
  std::vector<Signature> sign_;      ///< by slot; set for the registered slots only
  std::vector<std::uint64_t> seen_;  ///< sign_adverts' scratch
  std::size_t broker_index(std::uint32_t broker) const {
    std::size_t b = 0;
    while (b < slots_.size() && slots_[b] != broker) ++b;
    return b;
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> brokered_;
};

namespace detail {

/// The best (want - first) offers so far in out[first .. n), higher overlap first, ties:
/// the earlier offer stays ahead.
class BestMatches {
 public:
  BestMatches(std::span<std::uint32_t> out, int first, int want)
      : out_(out), first_(first), n_(first), want_(want) {}
  void offer(std::uint32_t t, double o) {
    int pos = n_;
    while (pos > first_ && score_[pos - 1] < o) --pos;
    if (pos >= want_) return;
    const int last = std::min(n_, want_ - 1);
    for (int m = last; m > pos; --m) {
      out_[static_cast<std::size_t>(m)] = out_[static_cast<std::size_t>(m - 1)];
      score_[m] = score_[m - 1];
    }
    out_[static_cast<std::size_t>(pos)] = t;
    score_[pos] = o;
    if (n_ < want_) ++n_;
  }
  int count() const { return n_; }

 private:
  std::span<std::uint32_t> out_;
  int first_, n_, want_;
  double score_[64];
};

}  // namespace detail

template <class Usable, class Overlap>
int Intermediaries::suggest(std::uint32_t broker, std::span<std::uint32_t> out, int n, int want,
                            Usable&& usable, Overlap&& overlap) const {
  const std::size_t b = broker_index(broker);
  if (b == slots_.size()) return n;
  detail::BestMatches best(out, n, want);
  for (std::uint32_t k = start_[b]; k < start_[b + 1]; ++k) {
    const std::uint32_t t = registry_[k];
    if (usable(t)) best.offer(t, overlap(t));
  }
  return best.count();
}

// A firm sharing no capability with the searcher has overlap 0 under either strategy. A
// firm of overlap 0 never moves above one of positive overlap and firms of equal overlap
// keep their registry (slot) order, so offering such a firm with overlap 0, and only
// while slots are free, is what suggest() does with it.
template <class Usable, class Overlap>
int Intermediaries::suggest_matching(std::uint32_t broker, std::span<const std::uint16_t> mine,
                                     std::span<std::uint32_t> out, int n, int want, Usable&& usable,
                                     Overlap&& overlap) const {
  const std::size_t b = broker_index(broker);
  if (b == slots_.size() || n >= want) return n;
  if (!signed_) return suggest(broker, out, n, want, usable, overlap);
  const Signature my = signature(mine.data(), mine.size());
  detail::BestMatches best(out, n, want);
  for (std::uint32_t k = start_[b]; k < start_[b + 1]; ++k) {
    const std::uint32_t t = registry_[k];
    const Signature& their = sign_[t];
    std::uint64_t any = 0;
    for (std::size_t w = 0; w < kSignWords; ++w) any |= my[w] & their[w];
    if (any != 0) {
      if (usable(t)) best.offer(t, overlap(t));
    } else if (best.count() < want && usable(t)) {
      best.offer(t, 0.0);
    }
  }
  return best.count();
}

}  // namespace icn::model::cluster
