#pragma once
// Universities and research institutes (MODEL.md sections 2, 4.3, 4.4): actors with a
// larger kene, funded publicly, that do not produce, pay no fixed cost and never exit,
// and broadcast their current results to the firms around them.
//
// Runs after the sharing stage, serially in slot order:
//  1. block grant: the government pays each university `block_grant` while its capital
//     covers it (transfer `block_grant`);
//  2. research: a university whose capital covers `radical_cost` does one radical
//     research step (an outflow; a capability new to it replaces a random one and a new
//     IH is drawn), else it redraws its IH: the IH is its current result;
//  3. broadcast: every firm within `info_radius` (density-scaled) of the university, in
//     slot order, absorbs with probability alpha = alpha0 * 4d(1-d) (d = 1 - Jaccard of
//     the two kenes, section 4.1) one result triple it lacks - the one with the highest
//     expertise, ties lower capability - with expertise max(1, round(alpha * e)) and the
//     university's ability, if its kene has room (marked fresh). Draws come from the
//     university's stream (tick, kSharing, its id). Counted as knowledge flow
//     university -> firm type.
#include <cstdint>
#include <vector>

#include "icn/exec/buckets.h"
#include "icn/model/cluster/context.h"
#include "icn/model/cluster/ledger.h"
#include "icn/model/cluster/space.h"

namespace icn::model::cluster {

class Universities {
 public:
  /// `firms`: the grid of the live firms (built before the cooperation stage).
  void run(State& st, Ledger& ledger, const TickContext& ctx, const CellGrid& firms);

  /// Step 3 for one university at slot u (exposed for tests). Returns triples absorbed.
  static int broadcast(State& st, std::uint32_t u, const TickContext& ctx, const CellGrid& firms);

 private:
  std::vector<std::uint32_t> chosen_;  ///< the live universities, in slot order
  exec::SelectScratch select_;
};

}  // namespace icn::model::cluster
