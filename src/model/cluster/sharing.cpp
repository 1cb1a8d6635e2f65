#include "icn/model/cluster/sharing.h"

#include <algorithm>

#include "icn/core/grow.h"
#include "icn/exec/buckets.h"
#include "icn/exec/first_touch.h"
#include "icn/exec/openmp.h"
#include "icn/exec/owned_parts.h"
#include "icn/model/cluster/kene.h"

namespace icn::model::cluster {

int share_triple(State& st, std::uint32_t s, const Triple& offered, int min_expertise) {
  const int at = st.kene_find(s, offered.cap);
  if (at >= 0) {
    Triple& t = st.kene(s)[static_cast<std::size_t>(at)];
    if (offered.e > t.e) {
      if ((t.flags & kInIh) && t.a != offered.a) st.dirty[s] = 1;
      t.e = offered.e;
      t.a = offered.a;
    }
    return 0;
  }
  const int e = std::max(min_expertise, offered.e - 1);
  return st.kene_append(s, offered.cap, offered.a, std::min(e, 10), kFresh) ? 1 : 0;
}

int share_triples(State& st, std::uint32_t s, std::span<const Triple> offered, int min_expertise,
                  int loss) {
  int added = 0;
  int j = 0;
  for (const Triple& o : offered) {
    const auto kene = st.kene(s);
    while (j < static_cast<int>(kene.size()) && kene[static_cast<std::size_t>(j)].cap < o.cap) ++j;
    if (j < static_cast<int>(kene.size()) && kene[static_cast<std::size_t>(j)].cap == o.cap) {
      Triple& t = kene[static_cast<std::size_t>(j)];
      if (o.e > t.e) {
        if ((t.flags & kInIh) && t.a != o.a) st.dirty[s] = 1;
        t.e = o.e;
        t.a = o.a;
      }
      continue;
    }
    const int e = std::min(10, std::max(min_expertise, o.e - loss));
    if (st.kene_insert_at(s, j, o.cap, o.a, e, kFresh)) ++added;
  }
  return added;
}

void Sharing::run(State& st, Ledger& ledger, const TickContext& ctx) {
  share_in_partnerships(st, ctx);
  if (!ctx.set.p.networks) return;
  pay_dividends(st, ledger, ctx.set, ctx.threads);
  found_networks(st, ledger, ctx);
}

void Sharing::share_in_partnerships(State& st, const TickContext& ctx) {
  const std::uint32_t n = st.slots();
  exec::GrowthPlan plan(ctx.threads);  // the entrants' entries faulted in by the team
  plan.resize(ih_snap_, static_cast<std::size_t>(n) * kMaxIh);
  plan.resize(ih_snap_len_, n);  // every slot's length is written by the first loop
  plan.apply();
  const auto teams = static_cast<std::size_t>(std::max(1, ctx.threads));
  flows_.assign(teams, {});  // triples acquired, per thread (integers: any order)
  exec::OwnedParts snapshots(n, ctx.threads);
  exec::OwnedParts sharers(n, ctx.threads);
#pragma omp parallel num_threads(ctx.threads)
  {
    FlowMatrix& flow = flows_[static_cast<std::size_t>(exec::thread_id())].value;
    snapshots.run([&](std::uint32_t s) {
      ih_snap_len_[s] = 0;
      if (!st.alive[s] || st.partner_start[s] == st.partner_start[s + 1]) return;
      std::array<Triple, kMaxIh> ih{};
      const int k = st.gather_ih(s, ih);
      std::copy_n(ih.begin(), k, ih_snap_.begin() + static_cast<std::ptrdiff_t>(s) * kMaxIh);
      ih_snap_len_[s] = static_cast<std::uint8_t>(k);
    });
#pragma omp barrier
    sharers.run([&](std::uint32_t s) {
      for (std::uint32_t t : st.partners_of(s)) {
        const std::span<const Triple> offered(
            ih_snap_.data() + static_cast<std::size_t>(t) * kMaxIh, ih_snap_len_[t]);
        const bool brokered = brokers_ != nullptr && brokers_->is_brokered(st.id[s], st.id[t]);
        const int got = share_triples(
            st, s, offered, static_cast<int>(ctx.set.p.share_min_expertise), brokered ? 0 : 1);
        flow[static_cast<std::size_t>(st.type[t])][static_cast<std::size_t>(st.type[s])] +=
            static_cast<std::uint32_t>(got);
      }
    });
  }
  for (const auto& [flow] : flows_) {
    for (std::size_t src = 0; src < kActorTypes; ++src) {
      for (std::size_t target = 0; target < kActorTypes; ++target) {
        ctx.counters.flow[src][target] += flow[src][target];
      }
    }
  }
}

void Sharing::members_by_hq(const State& st, int threads) {
  // Members grouped by their headquarters' slot, in slot order (exec/buckets.h).
  const std::uint32_t n = st.slots();
  exec::group_by_bucket(
      n, n, threads,
      [&](std::uint32_t s, auto&& emit) {
        if (!st.alive[s] || st.network[s] == kNone) return;
        const std::uint32_t hq = st.slot_of(st.network[s]);
        if (hq != kNone) emit(hq, s);
      },
      member_start_, members_, member_scratch_);
}

void Sharing::pay_dividends(State& st, Ledger& ledger, const Settings& set, int threads) {
  members_by_hq(st, threads);
  const double base = set.p.initial_capital;
  const std::uint32_t n = st.slots();
  // The headquarters pay in parallel: a member belongs to one network, and a
  // headquarters to none, so each capital changes in the order of a serial pass; the
  // totals are exact sums (ledger.h), the same in any order of the threads' merges.
  exec::OwnedParts headquarters(n, threads);
#pragma omp parallel num_threads(threads)
  {
    Ledger::Totals paid;
    headquarters.run([&](std::uint32_t hq) {
      if (!st.alive[hq] || st.type[hq] != ActorType::kHeadquarters) return;
      const auto members = members_of(hq);
      if (members.empty() || st.capital[hq] <= base) return;
      const double share = (st.capital[hq] - base) / static_cast<double>(members.size());
      for (std::uint32_t m : members) {
        Ledger::transfer(st, paid, Transfer::kNetworkDividend, hq, m, share);
      }
    });
#pragma omp critical(icn_ledger_merge)
    ledger.merge(paid);
  }
}

void Sharing::found_networks(State& st, Ledger& ledger, const TickContext& ctx) {
  const Settings& set = ctx.set;
  const std::uint32_t n = st.slots();
  icn::refill(seen_, n, 0);
  const auto free_firm = [&](std::uint32_t s) {
    return st.alive[s] && is_firm(st.type[s]) && st.network[s] == kNone;
  };
  // The possible founders, found in parallel; founding changes only the founders' and
  // members' fields, and members are marked seen, so the test needs no repeating.
  exec::select_items(
      n, ctx.threads,
      [&](std::uint32_t f) {
        return free_firm(f) && st.partner_start[f] != st.partner_start[f + 1] &&
               st.reward[f] > set.p.success_threshold && st.capital[f] > set.p.initial_capital;
      },
      chosen_, select_);
  // In founder order: first the components (SKIN's recursion over the partnerships among
  // firms in no network), then for each a headquarters' slot and its funding (shared
  // capitals). Each new headquarters' knowledge is filled in afterwards (fill_hq).
  founded_.clear();
  founded_members_.clear();
  for (std::uint32_t f : chosen_) {
    if (seen_[f]) continue;
    queue_.assign(1, f);
    seen_[f] = 1;
    for (std::size_t q = 0; q < queue_.size(); ++q) {
      for (std::uint32_t t : st.partners_of(queue_[q])) {
        if (!seen_[t] && free_firm(t)) {
          seen_[t] = 1;
          queue_.push_back(t);
        }
      }
    }
    if (queue_.size() < 2) continue;
    std::sort(queue_.begin(), queue_.end());
    founded_.push_back({f, kNone, static_cast<std::uint32_t>(founded_members_.size())});
    founded_members_.insert(founded_members_.end(), queue_.begin(), queue_.end());
  }
  // Room for exactly these headquarters: a bound by the possible founders (about a
  // thousand a tick at 10^5 firms, up to four times the networks founded from them) grew
  // the state for headquarters never added.
  const auto networks = static_cast<std::uint32_t>(founded_.size());
  founded_.push_back({kNone, kNone, static_cast<std::uint32_t>(founded_members_.size())});
  st.make_room(networks,
               std::uint64_t{networks} * static_cast<std::uint64_t>(set.p.kene_capacity_hq),
               ctx.threads);
  for (std::uint32_t i = 0; i < networks; ++i) {
    const std::span<const std::uint32_t> members(founded_members_.data() + founded_[i].first,
                                                 founded_members_.data() + founded_[i + 1].first);
    const std::uint32_t f = founded_[i].founder;
    const std::uint32_t hq = st.add_actor(ActorType::kHeadquarters, st.x[f], st.y[f], 0.0,
                                          static_cast<std::uint32_t>(set.p.kene_capacity_hq));
    st.theme[hq] = st.theme[f];
    st.born[hq] = static_cast<std::int32_t>(ctx.tick);
    // The members endow the headquarters with the initial capital in proportion to
    // their wealth (SKIN).
    double wealth = 0;
    for (std::uint32_t m : members) wealth += std::max(0.0, st.capital[m]);
    for (std::uint32_t m : members) {
      const double part = set.p.initial_capital * std::max(0.0, st.capital[m]) / wealth;
      ledger.transfer(st, Transfer::kNetworkEndowment, m, hq, part);
      st.network[m] = st.id[hq];
    }
    founded_[i].hq = hq;
    ++ctx.counters.networks_founded;
    seen_.push_back(1);
  }
  // Each headquarters reads its members' IHs (unchanged by founding) and writes only its
  // own kene, IH, product and price, from its own stream: in parallel.
  exec::for_owned_slots(
      networks, ctx.threads,
      [&](std::uint32_t i) {
        fill_hq(st, founded_[i].hq,
                {founded_members_.data() + founded_[i].first,
                 founded_members_.data() + founded_[i + 1].first},
                ctx);
      },
      exec::kNewSlotChunk);
  // No partnership was added or removed since the lists were last built (the cooperation
  // and calls stages); only the headquarters' slots are new.
  st.extend_partner_lists();
}

void Sharing::fill_hq(State& st, std::uint32_t hq, std::span<const std::uint32_t> members,
                      const TickContext& ctx) {
  const Settings& set = ctx.set;
  for (std::uint32_t m : members) {
    std::array<Triple, kMaxIh> ih{};
    const int k = st.gather_ih(m, ih);
    for (int j = 0; j < k; ++j) {
      // Pooled knowledge keeps its expertise (the best member's where several know it).
      const Triple& t = ih[static_cast<std::size_t>(j)];
      const int at = st.kene_find(hq, t.cap);
      if (at < 0) {
        st.kene_append(hq, t.cap, t.a, t.e, kFresh);
      } else if (Triple& u = st.kene(hq)[static_cast<std::size_t>(at)]; t.e > u.e) {
        u.e = t.e;
        u.a = t.a;
      }
    }
  }
  rng::Stream rs = ctx.stream(rng::Stage::kSharing, st.id[hq]);
  draw_ih(st, hq, set, rs);
  manufacture(st, hq, set);
  st.price[hq] = initial_price(st.product[hq], set, rs);
}

}  // namespace icn::model::cluster
