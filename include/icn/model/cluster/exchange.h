#pragma once
// The exchange stage: informal barter of know-how (MODEL.md section 4.1, after Cowan &
// Jonard 2004 with Nooteboom's absorption).
//
// Each firm picks one neighbour of its exchange graph (geographic ties, current suppliers
// and customers, previous partners) uniformly with probability q_exchange. A trade
// happens on a double coincidence of wants; each side takes its barter_items largest
// gaps. All trades are computed from the kenes as they were when the stage began, then
// each firm applies the gains of every trade it is part of, ordered by partner id.
#include <cstdint>
#include <span>
#include <vector>

#include "icn/exec/buckets.h"
#include "icn/model/cluster/context.h"

namespace icn::model::cluster {

/// Nooteboom's inverted U: alpha0 * 4d(1-d) for cognitive distance d.
double absorption(double alpha0, double distance);
/// 1 - Jaccard overlap of two capability sets; 0 when both are empty.
double cognitive_distance(std::span<const Triple> a, std::span<const Triple> b);

/// What one side of a trade takes: capability, the ability and expertise it ends with.
struct Gain {
  std::uint16_t cap = 0;
  std::uint8_t e = 0;
  double a = 0;
};

/// The gains of `learner` from `teacher` at absorption alpha: the `items` largest
/// positive expertise gaps (ties: lower capability) among capabilities the learner knows
/// or has room for. A known capability moves to e + round(alpha (e_t - e)) with the
/// teacher's ability (no gain if that rounds to nothing); a new one gets
/// max(1, round(alpha e_t)). Returns how many gains were written to `out`.
int barter_gains(std::span<const Triple> learner, int learner_room, std::span<const Triple> teacher,
                 double alpha, int items, std::span<Gain> out);

/// One item each way (the default barter): the trade between kenes `a` and `b` at base
/// absorption `alpha0` in one merge pass of the two - the cognitive distance and both
/// sides' first largest gaps - with the results of cognitive_distance and
/// barter_gains(..., 1, ...) each way. Returns whether both sides gain (a double
/// coincidence of wants); the gains are written only then.
bool barter_pair(std::span<const Triple> a, int room_a, std::span<const Triple> b, int room_b,
                 double alpha0, Gain& gain_a, Gain& gain_b);

/// Applies a gain to a kene (a later, smaller gain never lowers expertise); returns
/// true when the kene changed. New triples are marked fresh.
bool apply_gain(State& st, std::uint32_t s, const Gain& g);

class Exchange {
 public:
  /// The stage; expects st.build_customer_lists() to have been called this tick.
  void run(State& st, const TickContext& ctx);

  /// Draws the neighbour that slot s barters with (kNone for none).
  static std::uint32_t pick_neighbour(const State& st, std::uint32_t s, rng::Stream& rs);

 private:
  std::vector<std::uint32_t> partner_;  ///< chosen neighbour per slot (kNone: no trade)
  std::vector<std::uint32_t> pick_;     ///< drawn neighbour per slot (kNone: none)
  std::vector<std::uint8_t> n_gain_self_, n_gain_other_;
  std::vector<Gain> gain_self_, gain_other_;      ///< barter_items per slot
  std::vector<std::uint32_t> resp_start_, resp_;  ///< trades by responder
  exec::BucketScratch scratch_;
};

}  // namespace icn::model::cluster
