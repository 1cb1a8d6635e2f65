#pragma once
// What every stage of a tick receives: the settings, the random key, the tick, the
// thread budget, and the counters the stages fill for the observables.
#include <array>
#include <cstdint>

#include "icn/core/rng.h"
#include "icn/model/cluster/params.h"
#include "icn/model/cluster/state.h"

namespace icn::model::cluster {

/// Actor id used for draws that belong to the whole cluster rather than to one actor.
constexpr std::uint32_t kClusterActor = 0xFFFFFFFFu;
/// Actor id used for the draws of the network-metrics estimate.
constexpr std::uint32_t kMetricsActor = 0xFFFFFFFEu;

/// Events of one tick.
struct TickCounters {
  std::uint32_t entries = 0;  ///< firms entering (start-ups + spin-offs + outsiders)
  std::uint32_t exits = 0;    ///< firms leaving (network HQs are not counted)
  std::uint32_t startups = 0;
  std::uint32_t spinoffs = 0;
  std::uint32_t outsiders = 0;
  std::uint32_t barter_trades = 0;
  std::uint32_t incremental = 0;
  std::uint32_t radical = 0;
  std::uint32_t networks_founded = 0;
  std::uint32_t networks_dissolved = 0;
  std::uint32_t loans_granted = 0;
  std::uint32_t loans_refused = 0;
  std::uint32_t loans_repaid = 0;
  std::uint32_t loan_defaults = 0;
  std::uint32_t vc_funded = 0;
  std::uint32_t university_research = 0;
  std::uint32_t calls_opened = 0;
  std::uint32_t proposals = 0;
  std::uint32_t projects_funded = 0;
  std::uint32_t brokered_searches = 0;      ///< searchers that paid an intermediary
  std::uint32_t brokered_partnerships = 0;  ///< partnerships formed with a suggestion  ///<
                                            ///< start-ups funded by the venture-capital pool
  /// Triples acquired through sharing, [source type][target type].
  std::array<std::array<std::uint32_t, kActorTypes>, kActorTypes> flow{};

  std::uint64_t knowledge_flow() const {
    std::uint64_t n = 0;
    for (const auto& row : flow) {
      for (auto v : row) n += v;
    }
    return n;
  }
};

struct TickContext {
  const Settings& set;
  rng::Key key;
  std::uint32_t tick = 0;
  int threads = 1;
  std::uint32_t government = kNone;  ///< slot of the government
  TickCounters& counters;

  rng::Stream stream(rng::Stage stage, std::uint32_t actor_id) const {
    return rng::Stream(key, tick, stage, actor_id);
  }
};

}  // namespace icn::model::cluster
