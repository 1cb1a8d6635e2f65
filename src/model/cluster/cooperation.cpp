#include "icn/model/cluster/cooperation.h"

#include <algorithm>
#include <cmath>

#include "icn/exec/buckets.h"
#include "icn/exec/first_touch.h"
#include "icn/exec/openmp.h"
#include "icn/exec/owned_parts.h"
#include "icn/model/cluster/trust.h"

namespace icn::model::cluster {

namespace {

/// Whether the short `list` holds `v`: every entry compared, with no early exit for the
/// branch predictor to miss (the lists are a few candidates or partners long).
bool holds(std::span<const std::uint32_t> list, std::uint32_t v) {
  bool found = false;
  for (std::uint32_t x : list) found |= x == v;
  return found;
}

}  // namespace

double advert_overlap(std::span<const std::uint16_t> a, std::span<const std::uint16_t> b,
                      Strategy strategy) {
  if (a.empty() || b.empty()) return 0.0;
  std::size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {  // branch-free steps, as cognitive_distance
    const std::uint16_t ca = a[i], cb = b[j];
    common += ca == cb;
    i += ca <= cb;
    j += cb <= ca;
  }
  return overlap_from_counts(a.size(), b.size(), common, strategy);
}

double overlap_from_counts(std::size_t na, std::size_t nb, std::size_t common, Strategy strategy) {
  if (na == 0 || nb == 0) return 0.0;
  const auto a = static_cast<double>(na), b = static_cast<double>(nb);
  if (strategy == Strategy::kConservative) return static_cast<double>(common) / std::min(a, b);
  if (common == 0) return 0.0;
  return (a + b - 2.0 * static_cast<double>(common)) / (a + b);
}

void Cooperation::collect_adverts(const State& st, int threads) {
  const std::uint32_t n = st.slots();
  // Every slot's length is written by the loop below (no serial fill).
  exec::GrowthPlan plan(threads);  // the entrants' entries faulted in by the team
  plan.resize(adverts_, static_cast<std::size_t>(n) * kMaxIh);
  plan.resize(advert_len_, n);
  plan.apply();
  exec::for_owned_slots(n, threads, [&](std::uint32_t s) {
    // Written only where changed: a line rewritten with its old contents still leaves the
    // other core's copy invalid, and the searches read the adverts of random firms.
    const auto at = st.alive[s] ? st.ih_positions(s) : std::span<const std::uint8_t>{};
    std::uint16_t* out = adverts_.data() + static_cast<std::size_t>(s) * kMaxIh;
    const Triple* kene = st.kene(s).data();
    for (std::size_t k = 0; k < at.size(); ++k) {
      const std::uint16_t cap = kene[at[k]].cap;
      if (out[k] != cap) out[k] = cap;
    }
    if (advert_len_[s] != at.size()) advert_len_[s] = static_cast<std::uint8_t>(at.size());
  });
}

double Cooperation::attractiveness(const State& st, std::uint32_t i, std::uint32_t j,
                                   const Settings& set) const {
  const double d = torus_distance(st.x[i], st.y[i], st.x[j], st.y[j]);
  // Without a tick this is the trust-free part; the stage adds w_trust * T (trust.h).
  return set.p.w_cog * advert_overlap(advert(i), advert(j), set.strategy) +
         set.p.w_geo * std::exp(-d / set.att_geo_scale);
}

double Cooperation::threshold(const State& st, std::uint32_t i, const Settings& set) {
  return st.type[i] == ActorType::kLeading ? set.p.att_threshold_leading : set.p.att_threshold;
}

bool Cooperation::accepts(const State& st, std::uint32_t i, std::uint32_t j,
                          const Settings& set) const {
  return attractiveness(st, i, j, set) > threshold(st, i, set);
}

bool Cooperation::mutually_accept(const State& st, std::uint32_t i, std::uint32_t j,
                                  const Settings& set) const {
  return mutually_accept(st, i, j, set, advert_overlap(advert(i), advert(j), set.strategy));
}

bool Cooperation::mutually_accept(const State& st, std::uint32_t i, std::uint32_t j,
                                  const Settings& set, double overlap) {
  // Overlap and proximity are symmetric: computed once, compared with both thresholds.
  const double bar = std::max(threshold(st, i, set), threshold(st, j, set));
  const double cog = set.p.w_cog * overlap;
  if (cog + set.p.w_geo <= bar) return false;  // even next door it would not reach the bar
  if (cog > bar) return true;                  // proximity only adds (w_geo >= 0)
  const double d = torus_distance(st.x[i], st.y[i], st.x[j], st.y[j]);
  return cog + set.p.w_geo * std::exp(-d / set.att_geo_scale) > bar;
}

bool Cooperation::mutually_accept(const State& st, std::uint32_t i, std::uint32_t j,
                                  const Settings& set, double overlap, std::int32_t tick) {
  if (set.p.w_trust <= 0) return mutually_accept(st, i, j, set, overlap);
  const double ti = threshold(st, i, set), tj = threshold(st, j, set);
  const double cog = set.p.w_cog * overlap;
  if (cog + set.p.w_geo + set.p.w_trust <= std::max(ti, tj)) return false;  // T <= 1
  if (cog > std::max(ti, tj)) return true;  // proximity and trust only add (both >= 0)
  const double d = torus_distance(st.x[i], st.y[i], st.x[j], st.y[j]);
  const double base = cog + set.p.w_geo * std::exp(-d / set.att_geo_scale);
  const auto side = [&](std::uint32_t a, std::uint32_t b, double bar) {
    return base > bar || base + set.p.w_trust * trust(st, a, st.id[b], tick, set) > bar;
  };
  return side(i, j, ti) && side(j, i, tj);
}

void Cooperation::Marks::mark(std::span<const std::uint16_t> advert) {
  if (++generation == 0) {  // wrapped around: forget every mark
    std::fill(stamp.begin(), stamp.end(), 0u);
    generation = 1;
  }
  for (std::uint16_t c : advert) stamp[c] = generation;
}

// Adverts list distinct capabilities (a kene holds each at most once), so counting the
// marked ones gives the common count advert_overlap's merge finds. The whole block is
// read, the entries past the advert masked off: a loop of fixed length has no exit for the
// branch predictor to miss, which costs more than the few extra lookups (entries past an
// advert hold capabilities of older adverts, or 0: valid indices of `stamp`).
double Cooperation::Marks::overlap(std::size_t mine, const std::uint16_t* theirs,
                                   std::size_t theirs_len, Strategy strategy) const {
  std::size_t common = 0;
  for (std::size_t k = 0; k < static_cast<std::size_t>(kMaxIh); ++k)
    common += (k < theirs_len) & (stamp[theirs[k]] == generation);
  return overlap_from_counts(mine, theirs_len, common, strategy);
}

int Cooperation::candidates(const State& st, std::uint32_t s, const Settings& set,
                            const CellGrid& grid, rng::Stream& rs, std::span<std::uint32_t> out,
                            const Marks* marks) const {
  const int want =
      std::min<int>(static_cast<int>(set.p.max_candidates), static_cast<int>(out.size()));
  int n = 0;
  const auto partners = st.partners_of(s);
  const auto usable = [&](std::uint32_t t) {
    if (t == kNone || t == s || !st.alive[t] || !is_firm(st.type[t])) return false;
    return !holds(std::span<const std::uint32_t>(out.data(), static_cast<std::size_t>(n)), t) &&
           !holds(partners, t);
  };
  const auto offer = [&](std::uint32_t t) {
    if (n < want && usable(t)) out[static_cast<std::size_t>(n++)] = t;
  };
  for (const PrevPartner& p : st.prev(s)) {
    if (n == want) return n;
    offer(st.slot_of(p.id));
  }
  for (std::uint32_t v : st.suppliers[s]) offer(v == kNone ? kNone : st.slot_of(v));
  for (std::uint32_t t : st.customers_of(s)) {
    if (n == want) return n;
    offer(t);
  }
  for (std::uint32_t v : st.geo(s)) {
    if (n == want) return n;
    offer(st.slot_of(v));
  }
  // An intermediary's best matches, for a fee (intermediaries.h).
  if (brokers_ && !brokers_->empty() && n < want && s < broker_used_.size() &&
      st.capital[s] >= set.p.intermediary_fee) {
    const std::uint32_t b = brokers_->broker_for(st, s, set);
    if (b != kNone) {
      const int before = n;
      n = brokers_->suggest_matching(b, advert(s), out, n, want, usable, [&](std::uint32_t t) {
        return marks ? overlap(*marks, advert_len_[s], t, set.strategy)
                     : advert_overlap(advert(s), advert(t), set.strategy);
      });
      if (n > before) {
        broker_used_[s] = b;
        for (int k = before; k < n; ++k) broker_mask_[s] |= std::uint64_t{1} << k;
      }
    }
  }
  // Random actors among those whose adverts are visible (the information flow).
  while (n < want) {
    const std::uint32_t t =
        grid.sample_near(st.x[s], st.y[s], set.info_radius, rs, 8, [&](std::uint32_t v) {
          return usable(v) && torus_distance(st.x[s], st.y[s], st.x[v], st.y[v]) <= set.info_radius;
        });
    if (t == kNone) break;
    out[static_cast<std::size_t>(n++)] = t;
  }
  return n;
}

// The accepted pairs, each once, sorted by (lower id, higher id): grouped by the lower
// slot (slot order is id order; exec/buckets.h), each short group sorted by the higher
// slot - the list that sorting all pairs would give, in time linear in slots and pairs.
void Cooperation::collect_fresh(const State& st, std::size_t width, std::int32_t tick,
                                int threads) {
  const std::uint32_t n = st.slots();
  exec::group_by_bucket(
      n, n, threads,
      [&](std::uint32_t s, auto&& emit) {
        for (int k = 0; k < n_accepted_[s]; ++k) {
          const std::uint32_t t = accepted_[s * width + static_cast<std::size_t>(k)];
          emit(std::min(s, t), std::max(s, t));
        }
      },
      pair_start_, pair_hi_, pair_scratch_);
  // Pairs found by both sides dropped; each lower slot's pairs then written in parallel.
  exec::sort_unique_groups(n, pair_start_, pair_hi_, fresh_at_, threads);
  fresh_.resize(fresh_at_[n]);
  exec::for_owned_slots(n, threads, [&](std::uint32_t lo) {
    const std::uint32_t* hi = pair_hi_.data() + pair_start_[lo];
    for (std::uint32_t k = fresh_at_[lo]; k < fresh_at_[lo + 1]; ++k) {
      fresh_[k] = {st.id[lo], st.id[*hi++], tick};
    }
  });
}

void Cooperation::run(State& st, Ledger& ledger, const TickContext& ctx, const CellGrid& grid) {
  const Settings& set = ctx.set;
  const std::uint32_t n = st.slots();
  const auto tick = static_cast<std::int32_t>(ctx.tick);
  // Partnerships last partnership_ticks ticks (SKIN: 1, dissolved before the next search).
  std::erase_if(st.partnerships, [&](const Partnership& e) {
    return tick - e.formed >= static_cast<std::int32_t>(set.p.partnership_ticks);
  });
  st.build_partner_lists(ctx.threads);
  collect_adverts(st, ctx.threads);
  if (brokers_) {
    brokers_->build(st, set, grid);
    brokers_->sign_adverts(advert_block(), advert_lengths(), kMaxIh);
  }
  // Every slot's broker fields and accepted count are set by the search loop below.
  const auto width = static_cast<std::size_t>(set.p.max_candidates);
  exec::GrowthPlan plan(ctx.threads);  // the entrants' entries faulted in by the team
  plan.resize(broker_used_, n);
  plan.resize(broker_mask_, n);
  plan.resize(accepted_, n * width);
  plan.resize(n_accepted_, n);
  plan.apply();
  const auto teams = static_cast<std::size_t>(std::max(1, ctx.threads));
  if (marks_.size() < teams) marks_.resize(teams);
  for (auto& [m] : marks_) m.stamp.resize(static_cast<std::size_t>(set.caps.n_capabilities()) + 1);
  exec::OwnedParts searches(n, ctx.threads, 64);
#pragma omp parallel num_threads(ctx.threads)
  {
    Marks& mk = marks_[static_cast<std::size_t>(exec::thread_id())].value;
    searches.run([&](std::uint32_t s) {
      broker_used_[s] = kNone;
      broker_mask_[s] = 0;
      n_accepted_[s] = 0;
      if (!st.alive[s] || !is_firm(st.type[s]) || st.trading[s] || width == 0) return;
      rng::Stream rs = ctx.stream(rng::Stage::kCooperation, st.id[s]);
      const std::span<std::uint32_t> out(accepted_.data() + s * width, width);
      const auto mine = advert(s);
      mk.mark(mine);
      const int m = candidates(st, s, set, grid, rs, out, &mk);
      int k = 0;
      std::uint64_t brokered = 0;
      for (int c = 0; c < m; ++c) {
        const std::uint32_t t = out[static_cast<std::size_t>(c)];
        if (mutually_accept(st, s, t, set, overlap(mk, mine.size(), t, set.strategy), tick)) {
          brokered |= ((broker_mask_[s] >> c) & 1u) << k;
          out[static_cast<std::size_t>(k++)] = t;
        }
      }
      broker_mask_[s] = brokered;
      n_accepted_[s] = static_cast<std::uint8_t>(k);
    });
  }
  // Fees in slot order (an intermediary's capital is shared); only brokered searches.
  exec::select_items(
      n, ctx.threads, [&](std::uint32_t s) { return broker_used_[s] != kNone; }, brokered_,
      select_);
  for (std::uint32_t s : brokered_) {
    ledger.transfer(st, Transfer::kIntermediaryFee, s, broker_used_[s], set.p.intermediary_fee);
    ++ctx.counters.brokered_searches;
    if (!brokers_ || broker_mask_[s] == 0) continue;
    for (int k = 0; k < n_accepted_[s]; ++k) {
      if (((broker_mask_[s] >> k) & 1u) == 0) continue;
      const std::uint32_t a = st.id[s],
                          b = st.id[accepted_[s * width + static_cast<std::size_t>(k)]];
      brokers_->brokered().emplace_back(std::min(a, b), std::max(a, b));
    }
  }
  collect_fresh(st, width, tick, ctx.threads);
  if (brokers_) {
    auto& bp = brokers_->brokered();
    std::sort(bp.begin(), bp.end());
    bp.erase(std::unique(bp.begin(), bp.end()), bp.end());
    ctx.counters.brokered_partnerships += static_cast<std::uint32_t>(bp.size());
  }
  const auto by_ids = [](const Partnership& l, const Partnership& r) {
    return l.a != r.a ? l.a < r.a : l.b < r.b;
  };
  // Each actor's records of its new partners, in the order of fresh_ (grouped by actor,
  // exec/buckets.h): a record list is most-recent-first, so only each actor's own order
  // matters, and the actors run in parallel.
  exec::group_by_bucket(
      static_cast<std::uint32_t>(fresh_.size()), n, ctx.threads,
      [&](std::uint32_t k, auto&& emit) {
        const Partnership& e = fresh_[k];
        emit(st.slot_of(e.a), e.b);
        emit(st.slot_of(e.b), e.a);
      },
      record_start_, record_id_, pair_scratch_);
  exec::for_owned_slots(n, ctx.threads, [&](std::uint32_t s) {
    for (std::uint32_t k = record_start_[s]; k < record_start_[s + 1]; ++k) {
      st.record_partner(s, record_id_[k], tick);
    }
  });
  const auto old_end = static_cast<std::ptrdiff_t>(st.partnerships.size());
  st.partnerships.insert(st.partnerships.end(), fresh_.begin(), fresh_.end());
  std::inplace_merge(st.partnerships.begin(), st.partnerships.begin() + old_end,
                     st.partnerships.end(), by_ids);
  st.build_partner_lists(ctx.threads);
#pragma omp parallel num_threads(ctx.threads)
  {
    Ledger::Totals upkeep;
#pragma omp for schedule(static) nowait
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i) {
      const auto s = static_cast<std::uint32_t>(i);
      const std::uint32_t degree = st.partner_start[s + 1] - st.partner_start[s];
      st.partnered[s] = degree > 0;
      if (degree == 0) continue;
      st.capital[s] -= set.p.partner_cost * degree;
      upkeep.post(Outflow::kPartnerUpkeep, set.p.partner_cost * degree);
    }
#pragma omp critical(icn_ledger_merge)
    ledger.merge(upkeep);
  }
}

}  // namespace icn::model::cluster
