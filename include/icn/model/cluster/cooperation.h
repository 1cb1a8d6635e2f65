#pragma once
// The cooperation stage: self-matching of partners (MODEL.md section 4.3, SKIN).
//
// Firms that did not trade this tick search. Each examines at most max_candidates
// actors - previous partners (most recent first), then suppliers and customers, then
// geographic neighbours, then random actors whose adverts it can see (within
// info_radius) - and a partnership forms with every candidate where each side finds the
// other attractive above its own threshold (mutual acceptance). Searches read the state
// as the stage began; new partnerships are merged in id order.
#include <cstdint>
#include <span>
#include <vector>

#include "icn/exec/buckets.h"
#include "icn/exec/openmp.h"
#include "icn/model/cluster/context.h"
#include "icn/model/cluster/intermediaries.h"
#include "icn/model/cluster/ledger.h"
#include "icn/model/cluster/space.h"

namespace icn::model::cluster {

/// SKIN's overlap of two adverts (sorted capability lists): conservative
/// |A n B| / min(|A|, |B|); progressive |A xor B| / (|A| + |B|) when A n B is not
/// empty, else 0.
double advert_overlap(std::span<const std::uint16_t> a, std::span<const std::uint16_t> b,
                      Strategy strategy);

/// The overlap from the sizes of two adverts and of their intersection.
double overlap_from_counts(std::size_t na, std::size_t nb, std::size_t common, Strategy strategy);

class Cooperation {
 public:
  /// The stage: ends expired partnerships, searches, forms partnerships, charges upkeep.
  /// `grid` holds the firms (for random candidates within info_radius).
  void run(State& st, Ledger& ledger, const TickContext& ctx, const CellGrid& grid);

  /// Collects the adverts (IH capabilities, sorted) of every actor.
  void collect_adverts(const State& st, int threads = 1);
  std::span<const std::uint16_t> advert(std::uint32_t s) const {
    return {adverts_.data() + static_cast<std::size_t>(s) * kMaxIh, advert_len_[s]};
  }
  /// Every slot's advert block (kMaxIh entries each) and its length in use.
  std::span<const std::uint16_t> advert_block() const { return adverts_; }
  std::span<const std::uint8_t> advert_lengths() const { return advert_len_; }
  /// Attractiveness of j for i: w_cog * overlap + w_geo * exp(-dist / att_geo_scale).
  double attractiveness(const State& st, std::uint32_t i, std::uint32_t j,
                        const Settings& set) const;
  /// i's acceptance threshold (att_threshold, or att_threshold_leading for leading firms).
  static double threshold(const State& st, std::uint32_t i, const Settings& set);
  /// Whether i accepts j: attractiveness of j for i above i's own threshold.
  bool accepts(const State& st, std::uint32_t i, std::uint32_t j, const Settings& set) const;
  /// Whether i accepts j and j accepts i.
  bool mutually_accept(const State& st, std::uint32_t i, std::uint32_t j,
                       const Settings& set) const;
  /// The same, given the advert overlap of i and j.
  static bool mutually_accept(const State& st, std::uint32_t i, std::uint32_t j,
                              const Settings& set, double overlap);
  /// The same with the trust term w_trust * T of each side (trust.h) at `tick`; trust is
  /// computed only when proximity and overlap alone do not decide.
  static bool mutually_accept(const State& st, std::uint32_t i, std::uint32_t j,
                              const Settings& set, double overlap, std::int32_t tick);
  /// The candidates searcher s examines, in order; returns how many were written.
  int candidates(const State& st, std::uint32_t s, const Settings& set, const CellGrid& grid,
                 rng::Stream& rs, std::span<std::uint32_t> out) const {
    return candidates(st, s, set, grid, rs, out, nullptr);
  }
  /// Intermediaries whose suggestions searchers may buy (nullptr: none).
  void set_intermediaries(Intermediaries* brokers) { brokers_ = brokers; }

 private:
  void collect_fresh(const State& st, std::size_t width, std::int32_t tick, int threads);
  std::vector<std::uint16_t> adverts_;
  std::vector<std::uint8_t> advert_len_;
  std::vector<std::uint32_t> accepted_;  ///< max_candidates per slot
  std::vector<std::uint8_t> n_accepted_;
  std::vector<Partnership> fresh_;
  std::vector<std::uint32_t> pair_start_, pair_hi_;  ///< collect_fresh: by lower slot
  std::vector<std::uint32_t> fresh_at_;  ///< collect_fresh: where each lower slot's pairs go
  exec::BucketScratch pair_scratch_;
  std::vector<std::uint32_t> record_start_, record_id_;  ///< new partners' ids by actor
  std::vector<std::uint32_t> brokered_;  ///< searchers that paid an intermediary, slot order
  exec::SelectScratch select_;
  // A searcher's advert marked once, so that each candidate's overlap with it is a
  // lookup per capability of the candidate's advert (no merge of the two adverts).
  struct Marks {
    std::vector<std::uint32_t> stamp;  ///< per capability: generation that marked it
    std::uint32_t generation = 0;
    void mark(std::span<const std::uint16_t> advert);
    /// Overlap of the marked advert (`mine` capabilities) with `theirs`, an advert's whole
    /// block of kMaxIh entries of which the first `theirs_len` are in use.
    double overlap(std::size_t mine, const std::uint16_t* theirs, std::size_t theirs_len,
                   Strategy strategy) const;
  };
  /// Overlap of t's advert with the advert marked in `mk` (of `mine` capabilities).
  double overlap(const Marks& mk, std::size_t mine, std::uint32_t t, Strategy strategy) const {
    return mk.overlap(mine, adverts_.data() + static_cast<std::size_t>(t) * kMaxIh, advert_len_[t],
                      strategy);
  }
  /// candidates(), with the searcher's advert in `marks` when given (else merged).
  int candidates(const State& st, std::uint32_t s, const Settings& set, const CellGrid& grid,
                 rng::Stream& rs, std::span<std::uint32_t> out, const Marks* marks) const;
  std::vector<exec::Padded<Marks>> marks_;  ///< one per thread
  Intermediaries* brokers_ = nullptr;
  // Per searcher slot, written by candidates() during the stage: the intermediary paid
  // (kNone: none) and which candidate positions it suggested (bit k = position k).
  mutable std::vector<std::uint32_t> broker_used_;
  mutable std::vector<std::uint64_t> broker_mask_;
};

}  // namespace icn::model::cluster
