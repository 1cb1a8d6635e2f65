#include "icn/model/cluster/evaluation.h"

#include <algorithm>
#include <atomic>
#include <cmath>

#include "icn/core/grow.h"
#include "icn/exec/openmp.h"
#include "icn/exec/owned_parts.h"
#include "icn/model/cluster/kene.h"

namespace icn::model::cluster {

void learn_by_doing(State& st, std::uint32_t s) {
  auto kene = st.kene(s);
  for (int i = static_cast<int>(kene.size()) - 1; i >= 0; --i) {
    Triple& t = st.kene(s)[static_cast<std::size_t>(i)];
    // IH triples gain a unit of expertise (up to 10), settled ones lose one, fresh and
    // committed ones keep theirs - as values, not branches (which kind a triple is, is
    // data the branch predictor cannot learn); only the rare erasure jumps.
    const std::uint8_t f = t.flags;
    const bool in_ih = (f & kInIh) != 0;
    const bool decays = !in_ih & ((f & (kFresh | kCommitted)) == 0);
    t.e = static_cast<std::uint8_t>(t.e + (in_ih & (t.e < 10)) - decays);
    if (decays & (t.e == 0)) {
      st.kene_erase(s, i);
      continue;
    }
    t.flags = static_cast<std::uint8_t>(f & ~kFresh);
  }
}

bool incremental_research(State& st, std::uint32_t s, rng::Stream& rs) {
  const auto ih = st.ih(s);
  if (ih.empty()) return false;
  int at = st.research_dir[s] != 0 ? st.kene_find_tid(s, st.research_tid[s]) : -1;
  if (at < 0) {
    st.research_tid[s] = ih[rng::below(rs, static_cast<std::uint32_t>(ih.size()))];
    st.research_dir[s] = rng::bernoulli(rs, 0.5) ? 1 : -1;
    at = st.kene_find_tid(s, st.research_tid[s]);
    if (at < 0) return false;
  }
  Triple& t = st.kene(s)[static_cast<std::size_t>(at)];
  double a = t.a + st.research_dir[s] * t.a / t.cap;
  if (a <= 0.0) {
    a = 0.0;
    st.research_dir[s] = 0;
  } else if (a >= 10.0) {
    a = 10.0;
    st.research_dir[s] = 0;
  }
  t.a = a;
  st.dirty[s] = 1;
  return true;
}

void radical_research(State& st, std::uint32_t s, const Settings& set, rng::Stream& rs) {
  const auto n_caps = static_cast<std::uint32_t>(set.caps.n_capabilities());
  int cap = 0;
  for (int attempt = 0; attempt < 64; ++attempt) {
    const int c = 1 + static_cast<int>(rng::below(rs, n_caps));
    if (st.kene_find(s, c) < 0) {
      cap = c;
      break;
    }
  }
  if (cap > 0) {
    double a = rng::uniform(rs, 0.0, 10.0);
    int e = static_cast<int>(rng::integer(rs, 1, 10));
    if (st.kene_len[s] > 0) {
      const int victim = static_cast<int>(rng::below(rs, st.kene_len[s]));
      const Triple& old = st.kene(s)[static_cast<std::size_t>(victim)];
      a = old.a;
      e = old.e;
      st.kene_erase(s, victim);
    }
    st.kene_append(s, cap, a, e, 0);
  }
  draw_ih(st, s, set, rs);
}

double new_ih_probability(int kene_len, const Settings& set) {
  return 1.0 / (1.0 + std::exp((set.p.new_ih_kene_mid - kene_len) / set.p.new_ih_kene_scale));
}

namespace {

// Room for `sme` entering SMEs, faulted in by the team before they are added one by one.
void make_room(State& st, std::uint32_t sme, const Settings& set, int threads) {
  st.make_room(sme, std::uint64_t{sme} * static_cast<std::uint64_t>(set.p.kene_capacity_sme),
               threads);
}

Entrant new_sme_near(State& st, std::uint32_t parent, const Settings& set, rng::Stream& rs,
                     std::int32_t tick, EntrantKind kind) {
  const double x = wrap_unit(st.x[parent] + rng::normal(rs, 0.0, set.startup_radius));
  const double y = wrap_unit(st.y[parent] + rng::normal(rs, 0.0, set.startup_radius));
  const std::uint32_t s =
      st.add_actor(ActorType::kSme, x, y, 0.0, static_cast<std::uint32_t>(set.p.kene_capacity_sme));
  st.theme[s] = st.theme[parent];
  st.born[s] = tick;
  return Entrant{s, parent, kind, 0, rs};
}

}  // namespace

Entrant place_startup(State& st, std::uint32_t parent, const Settings& set, rng::Stream& rs,
                      std::int32_t tick) {
  return new_sme_near(st, parent, set, rs, tick, EntrantKind::kStartup);
}

Entrant place_spinoff(State& st, std::uint32_t parent, const Settings& set, rng::Stream& rs,
                      std::int32_t tick) {
  return new_sme_near(st, parent, set, rs, tick, EntrantKind::kSpinoff);
}

Entrant place_outsider(State& st, const Settings& set, rng::Stream& rs, std::int32_t tick) {
  const double x = rng::uniform(rs), y = rng::uniform(rs);
  const std::uint32_t s =
      st.add_actor(ActorType::kSme, x, y, 0.0, static_cast<std::uint32_t>(set.p.kene_capacity_sme));
  const auto home =
      static_cast<int>(rng::below(rs, static_cast<std::uint32_t>(set.p.n_subclusters)));
  st.theme[s] = static_cast<std::uint8_t>(home % set.caps.n_themes);
  st.born[s] = tick;
  const auto rare_theme =
      static_cast<int>(rng::below(rs, static_cast<std::uint32_t>(set.caps.n_themes)));
  return Entrant{s, kNone, EntrantKind::kOutsider, rare_theme, rs};
}

void fill_entrant(State& st, const Entrant& e, const Settings& set) {
  rng::Stream rs = e.rs;
  const std::uint32_t s = e.slot;
  std::array<Triple, kMaxIh> ih{};
  switch (e.kind) {
    case EntrantKind::kStartup: {
      // Up to startup_max_triples of the parent's IH triples, expertise e - 1 (at least 1).
      const int k =
          std::min<int>(st.gather_ih(e.parent, ih), static_cast<int>(set.p.startup_max_triples));
      for (int j = 0; j < k; ++j) {
        const Triple& t = ih[static_cast<std::size_t>(j)];
        st.kene_append(s, t.cap, t.a, std::max(1, t.e - 1), 0);
      }
      break;
    }
    case EntrantKind::kSpinoff: {
      const int n = st.gather_ih(e.parent, ih);
      const int half = (n + 1) / 2;
      for (int j = 0; j < half; ++j) {  // partial Fisher-Yates: a random half
        const int pick = j + static_cast<int>(rng::below(rs, static_cast<std::uint32_t>(n - j)));
        std::swap(ih[static_cast<std::size_t>(j)], ih[static_cast<std::size_t>(pick)]);
        const Triple& t = ih[static_cast<std::size_t>(j)];
        st.kene_append(s, t.cap, t.a, t.e, 0);
      }
      const CapabilityLayout& L = set.caps;
      add_random_capabilities(st, s, L.sector_cap(st.theme[s], 0), L.theme_size(), 1, rs);
      break;
    }
    case EntrantKind::kOutsider:
      fill_initial_kene(st, s, st.theme[s], static_cast<int>(set.p.outsider_rare), e.rare_theme,
                        set, rs);
      break;
  }
  draw_ih(st, s, set, rs);
}

std::uint32_t spawn_startup(State& st, std::uint32_t parent, const Settings& set, rng::Stream& rs,
                            std::int32_t tick) {
  const Entrant e = place_startup(st, parent, set, rs, tick);
  fill_entrant(st, e, set);
  return e.slot;
}

void Evaluation::run(State& st, Ledger& ledger, const TickContext& ctx, const CellGrid& grid) {
  learn_and_research(st, ledger, ctx);
  settle(st, ledger, ctx, grid);
}

void Evaluation::settle(State& st, Ledger& ledger, const TickContext& ctx, const CellGrid& grid) {
  const bool left = exits(st, ledger, ctx);
  if (left) st.purge_dead_references(ctx.threads);
  if (ctx.set.p.entry) entry(st, ledger, ctx, grid);
  if (st.dead_count() > 0 && 8 * st.dead_count() > st.live_count()) st.compact();
}

void Evaluation::learn_and_research(State& st, Ledger& ledger, const TickContext& ctx) {
  const Settings& set = ctx.set;
  const std::uint32_t n = st.slots();
  research_.resize(n);
  std::uint32_t incremental = 0, radical = 0;
  // Each producer's learning, research and its cost in parallel; the government's
  // subsidies (its funds may run out) afterwards, in slot order.
  exec::OwnedParts producers(n, ctx.threads);
#pragma omp parallel num_threads(ctx.threads) reduction(+ : incremental, radical)
  {
    Ledger::Totals spent;
    producers.run([&](std::uint32_t s) {
      research_[s] = 0;
      if (!st.alive[s] || !is_producer(st.type[s])) return;
      rng::Stream rs = ctx.stream(rng::Stage::kEvaluation, st.id[s]);
      if (set.p.learning_by_doing) learn_by_doing(st, s);
      if (st.reward[s] <= set.p.success_threshold) {
        // Self-learning: the capital decides between a small step and a new start.
        if (st.capital[s] > set.p.research_capital_threshold && incremental_research(st, s, rs)) {
          research_[s] = 1;
        } else {
          radical_research(st, s, set, rs);
          research_[s] = 2;
        }
      }
      if (st.partnered[s] && rng::bernoulli(rs, new_ih_probability(st.kene_len[s], set))) {
        draw_ih(st, s, set, rs);
      }
      if (research_[s] == 1) {
        st.capital[s] -= set.p.incremental_cost;
        spent.post(Outflow::kIncrementalResearch, set.p.incremental_cost);
        ++incremental;
      } else if (research_[s] == 2) {
        st.capital[s] -= set.p.radical_cost;
        spent.post(Outflow::kRadicalResearch, set.p.radical_cost);
        ++radical;
      }
    });
#pragma omp critical(icn_ledger_merge)
    ledger.merge(spent);
  }
  ctx.counters.incremental += incremental;
  ctx.counters.radical += radical;
  // The government subsidises radical research while its funds allow (MODEL.md 4.5).
  const double subsidy = set.p.radical_subsidy * set.p.radical_cost;
  if (subsidy <= 0 || ctx.government == kNone) return;
  exec::select_items(
      n, ctx.threads, [&](std::uint32_t s) { return research_[s] == 2; }, chosen_, select_);
  for (std::uint32_t s : chosen_) {
    if (st.capital[ctx.government] < subsidy) break;  // only the subsidies change it
    ledger.transfer(st, Transfer::kRadicalSubsidy, ctx.government, s, subsidy);
  }
}

// The first of the slots s < n where eligible(s) with the largest value[s] (kNone if none):
// the serial scan "replace when strictly larger", as a reduction over contiguous ranges
// combined in order, so the same slot on any team.
template <class Eligible>
std::uint32_t Evaluation::first_max(std::uint32_t n, int threads, Eligible&& eligible,
                                    const std::vector<double>& value) {
  const auto teams = static_cast<std::size_t>(std::max(1, threads));
  best_of_range_.assign(teams, kNone);
#pragma omp parallel num_threads(threads)
  {
    const auto [me, team] = exec::team_member();
    const auto [lo, hi] = exec::range_of(n, me, team);
    std::uint32_t best = kNone;
    for (std::uint32_t s = lo; s < hi; ++s) {
      if (eligible(s) && (best == kNone || value[s] > value[best])) best = s;
    }
    best_of_range_[me] = best;
  }
  std::uint32_t best = kNone;
  for (std::uint32_t b : best_of_range_) {
    if (b != kNone && (best == kNone || value[b] > value[best])) best = b;
  }
  return best;
}

bool Evaluation::exits(State& st, Ledger& ledger, const TickContext& ctx) {
  const std::uint32_t n = st.slots();
  // Negative capital after the finance step (no loan, a refused one, or a default); found
  // in parallel, settled in slot order.
  exec::select_items(
      n, ctx.threads,
      [&](std::uint32_t s) { return st.alive[s] && is_producer(st.type[s]) && st.capital[s] < 0; },
      chosen_, select_);
  bool left = !chosen_.empty();
  for (std::uint32_t s : chosen_) {
    ledger.settle_exit(st, s);
    st.kill(s);
    if (st.type[s] == ActorType::kHeadquarters) {
      ++ctx.counters.networks_dissolved;
    } else {
      ++ctx.counters.exits;
    }
  }
  // Networks with fewer than two live members dissolve (SKIN); what the HQ holds goes to
  // its remaining member, if any. Members counted per headquarters in parallel (integer
  // counts); where the count is 1, the one member is the only one that stored its slot.
  icn::refill(member_count_, n, 0);
  only_member_.resize(n);
#pragma omp parallel for schedule(static) num_threads(ctx.threads)
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i) {
    const auto s = static_cast<std::uint32_t>(i);
    if (!st.alive[s] || st.network[s] == kNone) continue;
    const std::uint32_t hq = st.slot_of(st.network[s]);
    if (hq == kNone) continue;
    std::atomic_ref<std::uint32_t>(member_count_[hq]).fetch_add(1, std::memory_order_relaxed);
    std::atomic_ref<std::uint32_t>(only_member_[hq]).store(s, std::memory_order_relaxed);
  }
  exec::select_items(
      n, ctx.threads,
      [&](std::uint32_t hq) {
        return st.alive[hq] && st.type[hq] == ActorType::kHeadquarters && member_count_[hq] < 2;
      },
      chosen_, select_);
  for (std::uint32_t hq : chosen_) {
    if (member_count_[hq] == 1 && st.capital[hq] > 0) {
      ledger.transfer(st, Transfer::kNetworkDividend, hq, only_member_[hq], st.capital[hq]);
    }
    ledger.settle_exit(st, hq);
    st.kill(hq);
    left = true;
    ++ctx.counters.networks_dissolved;
  }
  return left;
}

void Evaluation::admit(State& st, Ledger& ledger, const Entrant& e, const TickContext& ctx,
                       bool startup) {
  const std::uint32_t s = e.slot;
  pending_.push_back(e);
  const double capital = ctx.set.p.initial_capital;
  // A start-up is funded by the venture-capital pool, held by the richest bank, while
  // the pool and that bank have the money; otherwise (and every other entrant) by
  // outside investors.
  if (startup && vc_bank_ != kNone && vc_left_ >= capital && st.capital[vc_bank_] >= capital) {
    ledger.transfer(st, Transfer::kVentureCapital, vc_bank_, s, capital);
    vc_left_ -= capital;
    ++ctx.counters.vc_funded;
  } else {
    ledger.inflow(st, Inflow::kOutsideInvestment, s, capital);
  }
  ++ctx.counters.entries;
}

void Evaluation::entry(State& st, Ledger& ledger, const TickContext& ctx, const CellGrid& grid) {
  const Settings& set = ctx.set;
  const auto tick = static_cast<std::int32_t>(ctx.tick);
  const std::uint32_t n = st.slots();
  pending_.clear();
  if (vc_left_ < 0) vc_left_ = set.p.vc_pool;  // the pool, at the first entry stage
  // The pool earns the banks' interest on what is left (an earmark within the banks'
  // capital: no money moves).
  if (tick % static_cast<std::int32_t>(set.p.loan_interest_period) == 0) {
    vc_left_ *= 1.0 + set.p.loan_interest;
  }
  // The richest bank and (imitative start-ups: the positive feedback of success) the
  // producer with the largest reward; ties: the lower slot.
  vc_bank_ = first_max(
      n, ctx.threads,
      [&](std::uint32_t s) { return st.alive[s] && st.type[s] == ActorType::kBank; }, st.capital);
  const std::uint32_t best = first_max(
      n, ctx.threads, [&](std::uint32_t s) { return st.alive[s] && is_producer(st.type[s]); },
      st.reward);
  if (best != kNone && st.reward[best] > set.p.startup_trigger) {
    const int count = static_cast<int>(std::floor(std::log10(st.reward[best])));
    make_room(st, static_cast<std::uint32_t>(std::max(count, 0)), set, ctx.threads);
    for (int k = 0; k < count; ++k) {
      rng::Stream rs = ctx.stream(rng::Stage::kEntry, st.next_id());
      admit(st, ledger, place_startup(st, best, set, rs, tick), ctx, true);
      ++ctx.counters.startups;
    }
  }
  // Which successful firms spawn a spin-off: each firm's own draw, so in parallel; the
  // spin-offs then enter in slot order. (Slots from here on are entrants, not parents.)
  icn::refill(spins_, n, 0);
#pragma omp parallel for schedule(static) num_threads(ctx.threads)
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i) {
    const auto s = static_cast<std::uint32_t>(i);
    if (!st.alive[s] || !is_firm(st.type[s]) || st.reward[s] <= set.p.success_threshold) continue;
    rng::Stream decide = ctx.stream(rng::Stage::kEntry, st.id[s]);
    spins_[s] = rng::bernoulli(decide, set.p.spinoff_prob);
  }
  exec::select_items(
      n, ctx.threads, [&](std::uint32_t s) { return spins_[s] != 0; }, chosen_, select_);
  make_room(st, static_cast<std::uint32_t>(chosen_.size()), set, ctx.threads);
  for (std::uint32_t s : chosen_) {
    rng::Stream rs = ctx.stream(rng::Stage::kEntry, st.next_id());
    admit(st, ledger, place_spinoff(st, s, set, rs, tick), ctx);
    ++ctx.counters.spinoffs;
  }
  rng::Stream arrivals = ctx.stream(rng::Stage::kEntry, kClusterActor);
  const auto outsiders = rng::poisson(arrivals, set.p.outsider_rate);
  make_room(st, static_cast<std::uint32_t>(outsiders), set, ctx.threads);
  for (std::uint64_t k = 0; k < outsiders; ++k) {
    rng::Stream rs = ctx.stream(rng::Stage::kEntry, st.next_id());
    admit(st, ledger, place_outsider(st, set, rs, tick), ctx);
    ++ctx.counters.outsiders;
  }
  // Nothing above reads an entrant's knowledge (only its parent's), so the entrants'
  // kenes and IHs are drawn here, each from its own stream, in parallel.
  exec::for_owned_slots(
      static_cast<std::uint32_t>(pending_.size()), ctx.threads,
      [&](std::uint32_t k) { fill_entrant(st, pending_[k], set); }, exec::kNewSlotChunk);
  // Nor geographic ties, so the entrants' ties are drawn together here (in parallel) and
  // added in the order they entered.
  entrants_.clear();
  for (const Entrant& e : pending_) entrants_.push_back(e.slot);
  add_entrants_geo_ties(st, entrants_, grid, open_grid_, set, ctx.key, ctx.tick, ctx.threads);
}

}  // namespace icn::model::cluster
