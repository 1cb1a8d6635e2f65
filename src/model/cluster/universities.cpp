#include "icn/model/cluster/universities.h"

#include <array>
#include <cmath>

#include "icn/model/cluster/evaluation.h"
#include "icn/model/cluster/exchange.h"
#include "icn/model/cluster/kene.h"
#include "icn/model/cluster/space.h"

namespace icn::model::cluster {

void Universities::run(State& st, Ledger& ledger, const TickContext& ctx, const CellGrid& firms) {
  const Settings& set = ctx.set;
  const std::uint32_t n = st.slots();
  exec::select_items(
      n, ctx.threads,
      [&](std::uint32_t u) { return st.alive[u] && st.type[u] == ActorType::kUniversity; }, chosen_,
      select_);
  for (std::uint32_t u : chosen_) {
    const double grant = set.p.block_grant;
    if (grant > 0 && ctx.government != kNone && st.capital[ctx.government] >= grant) {
      ledger.transfer(st, Transfer::kBlockGrant, ctx.government, u, grant);
    }
    rng::Stream rs = ctx.stream(rng::Stage::kSharing, st.id[u]);
    if (set.p.radical_cost > 0 && st.capital[u] >= set.p.radical_cost) {
      radical_research(st, u, set, rs);
      ledger.outflow(st, Outflow::kUniversityResearch, u, set.p.radical_cost);
      ++ctx.counters.university_research;
    } else {
      draw_ih(st, u, set, rs);
    }
    if (set.p.university_broadcast) broadcast(st, u, ctx, firms);
  }
}

int Universities::broadcast(State& st, std::uint32_t u, const TickContext& ctx,
                            const CellGrid& firms) {
  const Settings& set = ctx.set;
  std::array<Triple, kMaxIh> results{};
  const int m = st.gather_ih(u, results);
  if (m == 0) return 0;
  rng::Stream rs = ctx.stream(rng::Stage::kSharing, st.id[u] ^ 0x80000000u);
  const auto univ = static_cast<std::size_t>(ActorType::kUniversity);
  int absorbed = 0;
  thread_local std::vector<std::uint32_t> reached;
  firms.slots_near_actor(st, u, set.info_radius, reached);
  // absorption() <= alpha0: a draw at or above it fails whatever the distance, and a full
  // kene takes nothing - the distance is computed only when it can matter (the draw is
  // made for every firm reached, so the stream is the same either way).
  const double alpha_max = absorption(set.p.alpha0, 0.5);
  for (std::uint32_t s : reached) {
    const double draw = rng::uniform(rs);
    if (draw >= alpha_max || st.kene_full(s)) continue;
    const double alpha = absorption(set.p.alpha0, cognitive_distance(st.kene(s), st.kene(u)));
    if (!(draw < alpha)) continue;  // rng::bernoulli(rs, alpha)
    int best = -1;
    for (int k = 0; k < m; ++k) {
      const Triple& t = results[static_cast<std::size_t>(k)];
      if (st.kene_find(s, t.cap) >= 0) continue;
      if (best < 0 || t.e > results[static_cast<std::size_t>(best)].e) best = k;
    }
    if (best < 0) continue;
    const Triple& t = results[static_cast<std::size_t>(best)];
    const int e = std::max(1, static_cast<int>(std::lround(alpha * t.e)));
    if (st.kene_append(s, t.cap, t.a, e, kFresh)) {
      ++absorbed;
      ++ctx.counters.flow[univ][static_cast<std::size_t>(st.type[s])];
    }
  }
  return absorbed;
}

}  // namespace icn::model::cluster
