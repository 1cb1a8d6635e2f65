#pragma once
// The evaluation stage (MODEL.md section 4.5): learning by doing, self-learning through
// incremental or radical research, a new IH after partnering, exit, and entry of
// start-ups, spin-offs and outsiders.
#include <cstdint>
#include <span>
#include <vector>

#include "icn/exec/buckets.h"
#include "icn/model/cluster/context.h"
#include "icn/model/cluster/ledger.h"
#include "icn/model/cluster/space.h"

namespace icn::model::cluster {

/// IH expertise +1 (at most 10), every other triple -1 except fresh and committed ones;
/// a triple at 0 is forgotten. Clears the fresh flags.
void learn_by_doing(State& st, std::uint32_t s);
/// One incremental step: an IH ability moves by a/c in the current research direction
/// (momentum: the same triple and direction until the ability reaches 0 or 10, then a
/// random IH triple and direction are chosen afresh). False when the IH is empty.
bool incremental_research(State& st, std::uint32_t s, rng::Stream& rs);
/// One radical step: a random triple's capability is replaced by one the kene lacks
/// (keeping a and e, with a new triple id), then a new IH is drawn.
void radical_research(State& st, std::uint32_t s, const Settings& set, rng::Stream& rs);
/// Probability that a partnered firm draws a new IH: 1 / (1 + exp((mid - |kene|) / scale)).
double new_ih_probability(int kene_len, const Settings& set);

/// How an entrant's knowledge is drawn.
enum class EntrantKind : std::uint8_t { kStartup, kSpinoff, kOutsider };
/// An entrant placed (slot, location, theme: the first draws of its stream) whose kene and
/// IH are still to be drawn by fill_entrant, from where its stream `rs` stopped. Spawning
/// is split so that entry places the entrants in order and fills them in parallel.
struct Entrant {
  std::uint32_t slot = kNone;
  std::uint32_t parent = kNone;  ///< startups and spin-offs
  EntrantKind kind = EntrantKind::kOutsider;
  int rare_theme = 0;  ///< outsiders
  rng::Stream rs;
};
Entrant place_startup(State& st, std::uint32_t parent, const Settings& set, rng::Stream& rs,
                      std::int32_t tick);
/// A spin-off of `parent` (placed near it; filled with half of its IH triples, chosen at
/// random, plus one new capability of its theme).
Entrant place_spinoff(State& st, std::uint32_t parent, const Settings& set, rng::Stream& rs,
                      std::int32_t tick);
/// An outsider (an SME anywhere; filled with a fresh kene carrying outsider_rare rare
/// capabilities of a random theme).
Entrant place_outsider(State& st, const Settings& set, rng::Stream& rs, std::int32_t tick);
/// Draws the placed entrant's kene and IH (reads its parent's IH; writes only the entrant).
void fill_entrant(State& st, const Entrant& e, const Settings& set);

/// A new SME that clones up to startup_max_triples IH triples of `parent` (expertise
/// e - 1, at least 1) and draws its IH from them, placed near the parent. Returns its slot.
std::uint32_t spawn_startup(State& st, std::uint32_t parent, const Settings& set, rng::Stream& rs,
                            std::int32_t tick);

class Evaluation {
 public:
  /// The stage. `grid` holds the firms as the tick's cooperation stage saw them (for the
  /// geographic ties of entrants).
  void run(State& st, Ledger& ledger, const TickContext& ctx, const CellGrid& grid);

  /// Everything after learning and research: exit, entry, compaction (the finance step
  /// runs in between; see ClusterModel::step).
  void settle(State& st, Ledger& ledger, const TickContext& ctx, const CellGrid& grid);
  /// Learning, research and new IHs, parallel over actors; costs posted in slot order.
  void learn_and_research(State& st, Ledger& ledger, const TickContext& ctx);
  /// Firms with negative capital exit; networks whose HQ is insolvent or that have fewer
  /// than two members dissolve. Returns whether anyone left.
  bool exits(State& st, Ledger& ledger, const TickContext& ctx);
  /// Venture capital not yet invested (the pool minus the start-ups it funded).
  double vc_left() const { return vc_left_ < 0 ? 0.0 : vc_left_; }
  /// Start-ups, spin-offs and outsiders, with new ids in that order.
  void entry(State& st, Ledger& ledger, const TickContext& ctx, const CellGrid& grid);

 private:
  void admit(State& st, Ledger& ledger, const Entrant& e, const TickContext& ctx,
             bool startup = false);

  std::vector<std::uint8_t> research_;  ///< 0 none, 1 incremental, 2 radical
  std::vector<std::uint32_t> entrants_;
  CellGrid open_grid_;                       ///< entry: the firms with room for a geographic tie
  std::vector<Entrant> pending_;             ///< entry: placed, knowledge not yet drawn
  std::vector<std::uint8_t> spins_;          ///< entry: this successful firm spawns a spin-off
  std::vector<std::uint32_t> chosen_;        ///< exits: the actors that leave, in slot order
  std::vector<std::uint32_t> member_count_;  ///< exits: live members per headquarters
  std::vector<std::uint32_t> only_member_;   ///< exits: a member (the one, where count is 1)
  exec::SelectScratch select_;
  std::vector<std::uint32_t> best_of_range_;  ///< first_max: each thread's range
  template <class Eligible>
  std::uint32_t first_max(std::uint32_t n, int threads, Eligible&& eligible,
                          const std::vector<double>& value);
  double vc_left_ = -1;            ///< venture-capital pool left (-1: not yet opened)
  std::uint32_t vc_bank_ = kNone;  ///< slot of the bank holding it this tick
};

}  // namespace icn::model::cluster
