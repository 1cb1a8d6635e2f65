#pragma once
// Hand-built cluster states for the unit tests.
#include <initializer_list>
#include <vector>

#include "icn/model/cluster/context.h"
#include "icn/model/cluster/kene.h"
#include "icn/model/cluster/space.h"
#include "icn/model/cluster/state.h"

namespace icn::model::cluster::testing {

struct T3 {
  int cap;
  double a;
  int e;
};

/// An empty state with default strides.
inline State empty_state() { return State(20, 32); }

/// Adds a firm with the given triples (all in the IH when `ih_all`).
inline std::uint32_t add_firm(State& st, ActorType type, std::initializer_list<T3> triples,
                              double capital = 20000.0, double x = 0.5, double y = 0.5,
                              std::uint32_t capacity = 10, bool ih_all = true) {
  const std::uint32_t s = st.add_actor(type, x, y, capital, capacity);
  for (const T3& t : triples) st.kene_append(s, t.cap, t.a, t.e, 0);
  if (ih_all) {
    std::vector<std::uint32_t> tids;
    for (const Triple& t : st.kene(s)) tids.push_back(t.tid);
    st.set_ih(s, tids, IhShape{});
  }
  return s;
}

/// Sets a firm's product, inputs and price directly (bypassing the IH mapping).
inline void set_production(State& st, std::uint32_t s, int product,
                           std::initializer_list<int> inputs, double price, double quality = 0.0) {
  st.product[s] = static_cast<std::int16_t>(product);
  st.inputs[s].fill(-1);
  int k = 0;
  for (int q : inputs) st.inputs[s][static_cast<std::size_t>(k++)] = static_cast<std::int16_t>(q);
  st.n_inputs[s] = static_cast<std::uint8_t>(k);
  st.price[s] = price;
  st.quality[s] = quality;
  st.dirty[s] = 0;
}

/// The grid of the live firms, as the model builds it before the cooperation stage.
inline CellGrid firm_grid(const State& st, double cell = 0.1) {
  std::vector<std::uint8_t> include(st.slots(), 0);
  for (std::uint32_t s = 0; s < st.slots(); ++s) include[s] = st.alive[s] && is_firm(st.type[s]);
  CellGrid grid;
  grid.build(st, cell, include);
  return grid;
}

/// Settings with every default.
inline Settings default_settings() { return make_settings(ClusterParams{}); }

/// A context for stage functions at `tick`.
struct Ctx {
  Settings set = default_settings();
  TickCounters counters;
  TickContext make(std::uint32_t tick, std::uint32_t government = kNone, int threads = 1) {
    return TickContext{set, rng::Key::derive({7, 0, 0}), tick, threads, government, counters};
  }
};

}  // namespace icn::model::cluster::testing
