#include "icn/model/cluster/exchange.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "icn/exec/first_touch.h"
#include "icn/exec/openmp.h"
#include "icn/exec/owned_parts.h"

namespace icn::model::cluster {

double absorption(double alpha0, double distance) {
  return alpha0 * 4.0 * distance * (1.0 - distance);
}

namespace {

/// 1 - Jaccard overlap of two sets of na and nb capabilities with `common` in both.
double distance_from_counts(std::size_t na, std::size_t nb, std::size_t common) {
  const std::size_t uni = na + nb - common;
  return uni == 0 ? 0.0 : 1.0 - static_cast<double>(common) / static_cast<double>(uni);
}

}  // namespace

double cognitive_distance(std::span<const Triple> a, std::span<const Triple> b) {
  // Both kenes are sorted by capability: one merge pass.
  // Branch-free steps: which side advances is data, not a (mispredicted) jump.
  std::size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    const std::uint16_t ca = a[i].cap, cb = b[j].cap;
    common += ca == cb;
    i += ca <= cb;
    j += cb <= ca;
  }
  return distance_from_counts(a.size(), b.size(), common);
}

namespace {

/// Calls take(gap, gain, is_new) for every teacher triple whose absorption would raise the
/// learner's expertise, in capability order (one merge pass over both sorted kenes).
template <class Take>
void for_each_gain(std::span<const Triple> learner, std::span<const Triple> teacher, double alpha,
                   Take&& take) {
  std::size_t i = 0;
  for (const Triple& t : teacher) {
    while (i < learner.size() && learner[i].cap < t.cap) ++i;
    const bool known = i < learner.size() && learner[i].cap == t.cap;
    const int e_l = known ? learner[i].e : 0;
    const int gap = t.e - e_l;
    if (gap <= 0) continue;
    const int e_new = known ? e_l + static_cast<int>(alpha * gap + 0.5)  // round half up, >= 0
                            : std::max(1, static_cast<int>(alpha * t.e + 0.5));
    if (known && e_new <= e_l) continue;  // too little absorbed to count as a gain
    take(gap, Gain{t.cap, static_cast<std::uint8_t>(e_new), t.a}, !known);
  }
}

}  // namespace

int barter_gains(std::span<const Triple> learner, int learner_room, std::span<const Triple> teacher,
                 double alpha, int items, std::span<Gain> out) {
  const int want = std::min<int>(items, static_cast<int>(out.size()));
  if (want == 1) {
    // One item: the first of the largest gaps, found in the merge pass itself - the
    // selection below would pick the same one.
    int best_gap = 0;
    for_each_gain(learner, teacher, alpha, [&](int gap, const Gain& g, bool is_new) {
      if (gap <= best_gap || (is_new && learner_room <= 0)) return;
      out[0] = g;
      best_gap = gap;
    });
    return best_gap > 0 ? 1 : 0;
  }
  // Plain storage (Gain has initialisers): no per-call initialisation of the 256 slots.
  struct Candidate {
    int gap;
    std::uint16_t cap;
    std::uint8_t e;
    bool is_new;
    double a;
  };
  Candidate cand[256];
  int n = 0;
  for_each_gain(learner, teacher, alpha, [&](int gap, const Gain& g, bool is_new) {
    if (!is_new || learner_room > 0) cand[n++] = {gap, g.cap, g.e, is_new, g.a};
  });
  // The largest gaps first (ties: lower capability, the merge order); new capabilities
  // only while there is room for them.
  int taken = 0, new_taken = 0;
  while (taken < want) {
    int best = -1;
    for (int k = 0; k < n; ++k) {
      const Candidate& c = cand[k];
      if (c.gap <= 0 || (c.is_new && new_taken >= learner_room)) continue;
      if (best < 0 || c.gap > cand[best].gap) best = k;
    }
    if (best < 0) break;
    Candidate& c = cand[best];
    out[static_cast<std::size_t>(taken++)] = Gain{c.cap, c.e, c.a};
    new_taken += c.is_new;
    c.gap = 0;
  }
  return taken;
}

namespace {

/// For one learner of a pair: at each gap 1..10, the first teacher triple with that gap,
/// coded (teacher index << 4 | learner's expertise) so that the smallest code is the first
/// triple; kNoCode where none. Index 0 collects what is not a gain.
struct FirstAtGap {
  static constexpr int kNoCode = std::numeric_limits<int>::max();
  std::array<int, 11> known;  ///< capabilities the learner knows (gap e_t - e_l)
  std::array<int, 11> fresh;  ///< capabilities it lacks (gap e_t)
  FirstAtGap() {
    known.fill(kNoCode);
    fresh.fill(kNoCode);
  }
  /// Notes `code` at `gap`. The merge below runs from the kenes' ends, and each table's
  /// codes at gaps 1..10 fall as it goes (its index strictly), so the last code stored at
  /// a gap is the first triple's: a store, with no comparison.
  static void note(std::array<int, 11>& at, int gap, int code) {
    at[static_cast<std::size_t>(gap)] = code;
  }
  /// The learner's gain from `teacher`: the first of the largest gaps it can take - a known
  /// capability when absorption moves its expertise, a new one when it has room.
  bool pick(std::span<const Triple> teacher, int room, double alpha, Gain& out) const {
    for (int g = 10; g >= 1; --g) {
      const int absorbed = static_cast<int>(alpha * g + 0.5);  // as for_each_gain
      const int k = absorbed >= 1 ? known[static_cast<std::size_t>(g)] : kNoCode;
      const int f = room > 0 ? fresh[static_cast<std::size_t>(g)] : kNoCode;
      if (k == kNoCode && f == kNoCode) continue;
      const int code = std::min(k, f);
      const Triple& t = teacher[static_cast<std::size_t>(code >> 4)];
      const int e_new = k < f ? (code & 15) + absorbed : std::max(1, absorbed);
      out = Gain{t.cap, static_cast<std::uint8_t>(e_new), t.a};
      return true;
    }
    return false;
  }
};

}  // namespace

bool barter_pair(std::span<const Triple> a, int room_a, std::span<const Triple> b, int room_b,
                 double alpha0, Gain& gain_a, Gain& gain_b) {
  FirstAtGap from_b, from_a;  // a learning from b, b learning from a
  std::size_t i = a.size(), j = b.size(), common = 0;
  int wild = 0;  // an expertise above 10 (never made): the three passes decide
  // The two kenes once, as cognitive_distance's merge but from their ends (largest
  // capability first); each step notes what it finds in the bin of its gap (bin 0 when it
  // is not a gain) instead of branching on it.
  while (i > 0 && j > 0) {
    const Triple& x = a[i - 1];
    const Triple& y = b[j - 1];
    const bool eq = x.cap == y.cap, a_only = x.cap > y.cap, b_only = y.cap > x.cap;
    wild |= (x.e > 10) | (y.e > 10);
    const int gap_a = std::min(y.e - (eq ? x.e : 0), 10);  // what a would gain from y
    const int gap_b = std::min(x.e - (eq ? y.e : 0), 10);  // what b would gain from x
    FirstAtGap::note(from_b.known, (eq & (gap_a > 0)) ? gap_a : 0,
                     static_cast<int>((j - 1) << 4) | x.e);
    FirstAtGap::note(from_a.known, (eq & (gap_b > 0)) ? gap_b : 0,
                     static_cast<int>((i - 1) << 4) | y.e);
    FirstAtGap::note(from_b.fresh, b_only ? gap_a : 0, static_cast<int>((j - 1) << 4));
    FirstAtGap::note(from_a.fresh, a_only ? gap_b : 0, static_cast<int>((i - 1) << 4));
    common += eq;
    i -= x.cap >= y.cap;
    j -= y.cap >= x.cap;
  }
  for (; i > 0; --i) {  // a's smallest capabilities, below all of b's: new to b
    wild |= a[i - 1].e > 10;
    FirstAtGap::note(from_a.fresh, std::min<int>(a[i - 1].e, 10), static_cast<int>((i - 1) << 4));
  }
  for (; j > 0; --j) {  // b's smallest capabilities, below all of a's: new to a
    wild |= b[j - 1].e > 10;
    FirstAtGap::note(from_b.fresh, std::min<int>(b[j - 1].e, 10), static_cast<int>((j - 1) << 4));
  }
  if (wild != 0 || a.size() >= (std::size_t{1} << 26) || b.size() >= (std::size_t{1} << 26)) {
    const double alpha = absorption(alpha0, cognitive_distance(a, b));
    return barter_gains(a, room_a, b, alpha, 1, std::span<Gain>(&gain_a, 1)) == 1 &&
           barter_gains(b, room_b, a, alpha, 1, std::span<Gain>(&gain_b, 1)) == 1;
  }
  const double alpha = absorption(alpha0, distance_from_counts(a.size(), b.size(), common));
  Gain ga, gb;
  if (!from_b.pick(b, room_a, alpha, ga) || !from_a.pick(a, room_b, alpha, gb)) return false;
  gain_a = ga;
  gain_b = gb;
  return true;
}

bool apply_gain(State& st, std::uint32_t s, const Gain& g) {
  const int at = st.kene_find(s, g.cap);
  if (at >= 0) {
    Triple& t = st.kene(s)[static_cast<std::size_t>(at)];
    if (g.e <= t.e) return false;
    t.e = g.e;
    if (t.a != g.a && (t.flags & kInIh)) st.dirty[s] = 1;
    t.a = g.a;
    return true;
  }
  return st.kene_append(s, g.cap, g.a, g.e, kFresh);
}

std::uint32_t Exchange::pick_neighbour(const State& st, std::uint32_t s, rng::Stream& rs) {
  const auto geo = st.geo(s);
  const auto cust = st.customers_of(s);
  const auto prev = st.prev(s);
  std::array<std::uint32_t, kMaxInputs> sup{};
  std::uint32_t n_sup = 0;
  for (std::uint32_t v : st.suppliers[s]) {
    if (v != kNone) sup[n_sup++] = v;
  }
  const auto n_geo = static_cast<std::uint32_t>(geo.size());
  const auto n_cust = static_cast<std::uint32_t>(cust.size());
  const auto total = n_geo + n_sup + n_cust + static_cast<std::uint32_t>(prev.size());
  if (total == 0) return kNone;
  const auto id_at = [&](std::uint32_t r) {
    if (r < n_geo) return geo[r];
    r -= n_geo;
    if (r < n_sup) return sup[r];
    r -= n_sup;
    if (r < n_cust) return st.id[cust[r]];
    return prev[r - n_cust].id;
  };
  // Uniform over the distinct neighbours of the union: draw an entry of the
  // concatenated lists and accept it with probability 1 / (its multiplicity).
  for (int attempt = 0; attempt < 16; ++attempt) {
    const std::uint32_t v = id_at(rng::below(rs, total));
    const std::uint32_t t = st.slot_of(v);
    if (t == kNone || !is_firm(st.type[t])) continue;
    // Each list holds a neighbour at most once (a supplier sells one product, so a
    // customer buys from it once), so the multiplicity is the number of lists holding
    // it; the customer list (slots, ascending) can be long and is searched by bisection.
    std::uint32_t mult = 0;
    for (std::uint32_t g : geo) mult += g == v;
    for (std::uint32_t k = 0; k < n_sup; ++k) mult += sup[k] == v;
    mult += std::binary_search(cust.begin(), cust.end(), t);
    for (const PrevPartner& p : prev) mult += p.id == v;
    if (mult == 1 || rng::below(rs, mult) == 0) return t;
  }
  return kNone;
}

void Exchange::run(State& st, const TickContext& ctx) {
  const std::uint32_t n = st.slots();
  const auto items = static_cast<std::size_t>(ctx.set.p.barter_items);
  // Every slot's entries are written by the first loop below (no serial fill).
  exec::GrowthPlan plan(ctx.threads);  // the entrants' entries faulted in by the team
  plan.resize(partner_, n);
  plan.resize(pick_, n);
  plan.resize(n_gain_self_, n);
  plan.resize(n_gain_other_, n);
  plan.resize(gain_self_, n * items);
  plan.resize(gain_other_, n * items);
  plan.apply();
  // The searches only read the state and the gains are applied after them all, so they
  // read the kenes as the stage began without a copy of the pool.
  const State& old = st;
  const auto old_kene = [&](std::uint32_t s) { return old.kene(s); };
  const double q = ctx.set.p.q_exchange;
  // Two passes over the initiators: the draws pick every neighbour first (the stream is
  // not drawn from after pick_neighbour), then the barters run with the kene of the
  // neighbour a few initiators ahead prefetched - at 10^5 firms that kene is a cache
  // miss, and the merge of the two kenes would otherwise wait for it.
  exec::OwnedParts picks(n, ctx.threads), barters(n, ctx.threads);
#pragma omp parallel num_threads(ctx.threads)
  {
    picks.run([&](std::uint32_t s) {
      pick_[s] = partner_[s] = kNone;
      n_gain_self_[s] = n_gain_other_[s] = 0;
      if (!st.alive[s] || !is_firm(st.type[s])) return;
      rng::Stream rs = ctx.stream(rng::Stage::kExchange, st.id[s]);
      if (q < 1.0 && !rng::bernoulli(rs, q)) return;
      pick_[s] = pick_neighbour(st, s, rs);
    });
#pragma omp barrier
    barters.run([&](std::uint32_t s) {
      const auto i = static_cast<std::int64_t>(s);
      constexpr std::int64_t kAhead = 8;
      if (i + kAhead < static_cast<std::int64_t>(n)) {
        const std::uint32_t ahead = pick_[static_cast<std::size_t>(i + kAhead)];
        if (ahead != kNone) {
          const Triple* p = old.pool.data() + old.kene_off[ahead];
          __builtin_prefetch(p);
          __builtin_prefetch(p + 4);
          __builtin_prefetch(p + 8);
        }
      }
      const std::uint32_t t = pick_[s];
      if (t == kNone) return;
      const auto ks = old_kene(s), kt = old_kene(t);
      const int room_s = old.kene_cap[s] - old.kene_len[s];
      const int room_t = old.kene_cap[t] - old.kene_len[t];
      const std::span<Gain> gs(gain_self_.data() + s * items, items);
      const std::span<Gain> go(gain_other_.data() + s * items, items);
      if (items == 1) {  // the default: one pass over the two kenes
        if (!barter_pair(ks, room_s, kt, room_t, ctx.set.p.alpha0, gs[0], go[0])) return;
        partner_[s] = t;
        n_gain_self_[s] = n_gain_other_[s] = 1;
        return;
      }
      const double alpha = absorption(ctx.set.p.alpha0, cognitive_distance(ks, kt));
      const int a = barter_gains(ks, room_s, kt, alpha, static_cast<int>(items), gs);
      if (a == 0) return;
      const int b = barter_gains(kt, room_t, ks, alpha, static_cast<int>(items), go);
      if (b == 0) return;  // no double coincidence of wants
      partner_[s] = t;
      n_gain_self_[s] = static_cast<std::uint8_t>(a);
      n_gain_other_[s] = static_cast<std::uint8_t>(b);
    });
  }
  // Trades by responder, initiators in slot (= id) order.
  exec::group_by_bucket(
      n, n, ctx.threads,
      [&](std::uint32_t s, auto&& emit) {
        if (partner_[s] != kNone) emit(partner_[s], s);
      },
      resp_start_, resp_, scratch_);
  const auto trades = static_cast<std::uint32_t>(resp_.size());
  ctx.counters.barter_trades += trades;
  exec::for_owned_slots(n, ctx.threads, [&](std::uint32_t s) {
    // Gains in partner-id order: responders' initiators below, own trade, the rest.
    const std::uint32_t own = partner_[s];
    bool own_done = own == kNone;
    const auto apply_own = [&] {
      for (int k = 0; k < n_gain_self_[s]; ++k)
        apply_gain(st, s, gain_self_[s * items + static_cast<std::size_t>(k)]);
      own_done = true;
    };
    for (std::uint32_t r = resp_start_[s]; r < resp_start_[s + 1]; ++r) {
      const std::uint32_t init = resp_[r];
      if (!own_done && own < init) apply_own();
      for (int k = 0; k < n_gain_other_[init]; ++k) {
        apply_gain(st, s, gain_other_[init * items + static_cast<std::size_t>(k)]);
      }
    }
    if (!own_done) apply_own();
  });
}

}  // namespace icn::model::cluster
