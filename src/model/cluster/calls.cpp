#include "icn/model/cluster/calls.h"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace icn::model::cluster {

void Calls::assess(const State& st, Proposal& p, const std::vector<std::uint16_t>& caps) {
  // Union of the members' capabilities against the call's (both sorted).
  int match = 0;
  double expertise = 0;
  int triples = 0;
  for (std::uint16_t c : caps) {
    bool covered = false;
    for (std::uint32_t id : p.members) {
      const std::uint32_t s = st.slot_of(id);
      if (s == kNone) continue;
      const int k = st.kene_find(s, c);
      if (k < 0) continue;
      covered = true;
      expertise += st.kene(s)[static_cast<std::size_t>(k)].e;
      ++triples;
    }
    match += covered;
  }
  p.match = match;
  p.mean_expertise = triples > 0 ? expertise / triples : 0.0;
}

bool Calls::eligible(const Proposal& p, const Settings& set) {
  const auto n = static_cast<std::int64_t>(p.members.size());
  return n >= set.p.proposal_min && n <= set.p.proposal_max && p.match >= set.p.proposal_match;
}

std::vector<std::size_t> Calls::select(std::vector<Proposal>& proposals, double budget,
                                       const Settings& set) {
  std::vector<std::size_t> order(proposals.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Proposal &l = proposals[a], &r = proposals[b];
    return std::make_tuple(-l.mean_expertise, -l.match, l.key, l.university) <
           std::make_tuple(-r.mean_expertise, -r.match, r.key, r.university);
  });
  std::vector<std::size_t> funded;
  for (std::size_t i : order) {
    if (!eligible(proposals[i], set)) continue;
    if (budget < set.p.project_grant) break;
    budget -= set.p.project_grant;
    funded.push_back(i);
  }
  return funded;
}

void Calls::run(State& st, Ledger& ledger, const TickContext& ctx) {
  if (!ctx.set.p.calls) return;
  const auto tick = static_cast<std::int32_t>(ctx.tick);
  if (busy_.size() < st.next_id()) busy_.resize(st.next_id(), 0);
  if (tick == deadline_) decide(st, ctx);
  if (deadline_ < 0 && tick % static_cast<std::int32_t>(ctx.set.p.call_every) == 0) open(st, ctx);
  pay_and_partner(st, ledger, ctx);
}

void Calls::open(State& st, const TickContext& ctx) {
  const Settings& set = ctx.set;
  rng::Stream rs = ctx.stream(rng::Stage::kGovernment, kClusterActor);
  const int theme =
      static_cast<int>(rng::below(rs, static_cast<std::uint32_t>(set.p.n_subclusters)) %
                       static_cast<std::uint32_t>(set.caps.n_themes));
  const int size = set.caps.theme_size();
  std::vector<int> pool(static_cast<std::size_t>(size));
  std::iota(pool.begin(), pool.end(), 1 + theme * size);
  const int want = std::min(size, static_cast<int>(set.p.call_capabilities));
  for (int k = 0; k < want; ++k) {  // partial Fisher-Yates
    const auto j =
        static_cast<std::size_t>(k) + rng::below(rs, static_cast<std::uint32_t>(size - k));
    std::swap(pool[static_cast<std::size_t>(k)], pool[j]);
  }
  caps_.assign(pool.begin(), pool.begin() + want);
  std::sort(caps_.begin(), caps_.end());
  budget_ = ctx.government == kNone
                ? 0.0
                : std::min(set.p.call_budget, std::max(0.0, st.capital[ctx.government]));
  deadline_ = static_cast<std::int32_t>(ctx.tick) + static_cast<std::int32_t>(set.p.call_deadline);
  ++ctx.counters.calls_opened;
  // Who is busy: members of running projects.
  std::fill(busy_.begin(), busy_.end(), 0);
  for (const Project& pr : projects_) {
    for (std::uint32_t id : pr.members) busy_[id] = 1;
  }
  std::vector<std::uint32_t> firms;
  for (std::uint32_t s = 0; s < st.slots(); ++s) {
    if (st.alive[s] && is_firm(st.type[s])) firms.push_back(s);
  }
  proposals_.clear();
  for (std::uint32_t u = 0; u < st.slots(); ++u) {
    if (!st.alive[u] || st.type[u] != ActorType::kUniversity || busy_[st.id[u]]) continue;
    rng::Stream ur = ctx.stream(rng::Stage::kGovernment, st.id[u]);
    Proposal p;
    p.university = st.id[u];
    p.members.push_back(st.id[u]);
    busy_[st.id[u]] = 1;
    int invites = 0;
    bool ok = false;
    const auto invite = [&](std::uint32_t id) {
      if (ok || invites >= set.p.call_invites) return;
      ++invites;
      const std::uint32_t s = st.slot_of(id);
      if (s == kNone || !is_firm(st.type[s]) || busy_[id]) return;
      p.members.push_back(id);
      busy_[id] = 1;
      assess(st, p, caps_);
      ok = eligible(p, set);
    };
    for (const PrevPartner& q : st.prev(u)) invite(q.id);
    for (const PrevPartner& q : st.prev(u)) {
      const std::uint32_t s = st.slot_of(q.id);
      if (s == kNone) continue;
      for (const PrevPartner& r : st.prev(s)) invite(r.id);
    }
    while (!ok && invites < set.p.call_invites && !firms.empty()) {
      invite(st.id[firms[rng::below(ur, static_cast<std::uint32_t>(firms.size()))]]);
    }
    if (!ok) {
      for (std::uint32_t id : p.members) busy_[id] = 0;
      continue;
    }
    proposals_.push_back(std::move(p));
  }
  ctx.counters.proposals += static_cast<std::uint32_t>(proposals_.size());
}

void Calls::decide(State& st, const TickContext& ctx) {
  const Settings& set = ctx.set;
  for (Proposal& p : proposals_) {
    std::erase_if(p.members, [&](std::uint32_t id) { return !st.is_alive_id(id); });
    assess(st, p, caps_);
    rng::Stream rs = ctx.stream(rng::Stage::kGovernment, p.university);
    p.key = rs.next_u32();
  }
  const auto tick = static_cast<std::int32_t>(ctx.tick);
  for (std::size_t i : select(proposals_, budget_, set)) {
    Project pr;
    pr.members = proposals_[i].members;
    pr.caps = caps_;
    pr.start = tick;
    pr.end = tick + static_cast<std::int32_t>(set.p.project_ticks);
    pr.per_tick = set.p.project_grant / static_cast<double>(set.p.project_ticks);
    for (std::uint32_t a : pr.members) {
      const std::uint32_t sa = st.slot_of(a);
      for (std::uint32_t b : pr.members) {
        if (a != b) st.record_partner(sa, b, tick);
      }
      for (Triple& t : st.kene(sa)) {
        if (std::binary_search(pr.caps.begin(), pr.caps.end(), t.cap)) t.flags |= kCommitted;
      }
    }
    projects_.push_back(std::move(pr));
    ++ctx.counters.projects_funded;
  }
  proposals_.clear();
  deadline_ = -1;
}

void Calls::pay_and_partner(State& st, Ledger& ledger, const TickContext& ctx) {
  const auto tick = static_cast<std::int32_t>(ctx.tick);
  // Finished projects release their members' committed triples.
  for (const Project& pr : projects_) {
    if (tick < pr.end) continue;
    for (std::uint32_t id : pr.members) {
      const std::uint32_t s = st.slot_of(id);
      if (s == kNone) continue;
      for (Triple& t : st.kene(s)) t.flags &= static_cast<std::uint8_t>(~kCommitted);
    }
  }
  std::erase_if(projects_, [&](const Project& pr) { return tick >= pr.end; });
  if (projects_.empty()) return;
  const std::size_t old = st.partnerships.size();
  // Sorted by (a, b, formed), as one sort of everything would leave it (the list is kept
  // sorted by (a, b); the check is linear and keeps this exact if it ever is not).
  const auto by_key = [](const Partnership& l, const Partnership& r) {
    return std::tie(l.a, l.b, l.formed) < std::tie(r.a, r.b, r.formed);
  };
  if (!std::is_sorted(st.partnerships.begin(), st.partnerships.end(), by_key)) {
    std::sort(st.partnerships.begin(), st.partnerships.end(), by_key);
  }
  std::vector<std::uint32_t> live;
  for (const Project& pr : projects_) {
    live.clear();
    for (std::uint32_t id : pr.members) {
      const std::uint32_t s = st.slot_of(id);
      if (s != kNone) live.push_back(s);
    }
    if (live.empty()) continue;
    if (ctx.government != kNone && st.capital[ctx.government] >= pr.per_tick) {
      const double share = pr.per_tick / static_cast<double>(live.size());
      for (std::uint32_t s : live)
        ledger.transfer(st, Transfer::kCallFunding, ctx.government, s, share);
    }
    // Members in slot (= id) order make the project's pairs come out sorted by (a, b):
    // each project is one sorted run, merged into the sorted list.
    std::sort(live.begin(), live.end());
    const auto run = static_cast<std::ptrdiff_t>(st.partnerships.size());
    for (std::size_t i = 0; i < live.size(); ++i) {
      st.partnered[live[i]] = 1;
      for (std::size_t j = i + 1; j < live.size(); ++j) {
        st.partnerships.push_back({st.id[live[i]], st.id[live[j]], tick});
      }
    }
    std::inplace_merge(st.partnerships.begin(), st.partnerships.begin() + run,
                       st.partnerships.end(), by_key);
  }
  if (st.partnerships.size() == old) return;
  st.partnerships.erase(std::unique(st.partnerships.begin(), st.partnerships.end(),
                                    [](const Partnership& l, const Partnership& r) {
                                      return l.a == r.a && l.b == r.b;
                                    }),
                        st.partnerships.end());
  st.build_partner_lists(ctx.threads);
}

}  // namespace icn::model::cluster
