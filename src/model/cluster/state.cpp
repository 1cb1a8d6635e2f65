#include "icn/model/cluster/state.h"

#include <algorithm>
#include <utility>

#include "icn/exec/buckets.h"
#include "icn/exec/first_touch.h"
#include "icn/exec/openmp.h"
#include "icn/exec/owned_parts.h"

namespace icn::model::cluster {

const char* type_name(ActorType t) {
  switch (t) {
    case ActorType::kSme: return "sme";
    case ActorType::kLeading: return "leading";
    case ActorType::kUniversity: return "university";
    case ActorType::kIntermediary: return "intermediary";
    case ActorType::kGovernment: return "government";
    case ActorType::kBank: return "bank";
    case ActorType::kHeadquarters: return "headquarters";
  }
  return "?";
}

State::State(std::uint32_t geo_stride, std::uint32_t prev_stride)
    : geo_stride_(geo_stride), prev_stride_(std::max<std::uint32_t>(prev_stride, 1)) {}

// Every per-slot column, so that adding, compacting and reserving cannot miss one.
template <class F>
void State::for_each_column(F&& f) {
  f(id), f(type), f(alive), f(theme), f(born), f(x), f(y), f(capital);
  f(product), f(inputs), f(n_inputs), f(shape), f(price), f(quality), f(dirty);
  f(selling), f(trading), f(customers), f(revenue), f(unit_cost), f(reward), f(suppliers);
  f(kene_off), f(kene_cap), f(kene_len), f(next_tid), f(ih_len), f(ih_pos), f(research_dir);
  f(research_tid);
  f(geo_len), f(prev_len), f(network), f(partnered);
}

std::uint32_t State::add_actor(ActorType t, double x_pos, double y_pos, double cap_money,
                               std::uint32_t kene_capacity) {
  const auto s = slots();
  for_each_column([](auto& col) { col.emplace_back(); });
  id[s] = next_id();
  slot_of_.push_back(s);
  type[s] = t;
  alive[s] = 1;
  x[s] = x_pos;
  y[s] = y_pos;
  capital[s] = cap_money;
  product[s] = -1;
  inputs[s].fill(-1);
  suppliers[s].fill(kNone);
  research_tid[s] = kNone;
  network[s] = kNone;
  dirty[s] = 1;
  kene_off[s] = static_cast<std::uint32_t>(pool.size());
  kene_cap[s] = static_cast<std::uint8_t>(std::min<std::uint32_t>(kene_capacity, 255));
  pool.resize(pool.size() + kene_cap[s]);
  ih_tid.resize(ih_tid.size() + kMaxIh, kNone);
  geo_ids.resize(geo_ids.size() + geo_stride_, kNone);
  prev_partners.resize(prev_partners.size() + prev_stride_);
  return s;
}

void State::reserve(std::uint32_t actors, std::uint64_t triples) {
  for_each_column([&](auto& col) { col.reserve(actors); });
  slot_of_.reserve(actors);
  pool.reserve(triples);
  ih_tid.reserve(static_cast<std::size_t>(actors) * kMaxIh);
  geo_ids.reserve(static_cast<std::size_t>(actors) * geo_stride_);
  prev_partners.reserve(static_cast<std::size_t>(actors) * prev_stride_);
}

void State::make_room(std::uint32_t actors, std::uint64_t triples, int threads) {
  if (actors == 0) return;  // (on one thread the plan does nothing either)
  if (actors < kTeamRoomActors) threads = 1;
  const std::size_t n = std::size_t{slots()} + actors;
  exec::GrowthPlan plan(threads);
  for_each_column([&](auto& col) { plan.grow(col, n); });
  plan.grow(slot_of_, std::size_t{next_id()} + actors);
  plan.grow(pool, pool.size() + triples);
  plan.grow(ih_tid, n * kMaxIh);
  plan.grow(geo_ids, n * geo_stride_);
  plan.grow(prev_partners, n * prev_stride_);
  plan.apply();
}

void State::kill(std::uint32_t s) {
  if (!alive[s]) return;
  alive[s] = 0;
  slot_of_[id[s]] = kNone;
  ++dead_;
}

int State::kene_find(std::uint32_t s, int cap) const {
  const Triple* k = pool.data() + kene_off[s];
  const int i = cap_lower_bound(k, kene_len[s], cap);
  return i < kene_len[s] && k[i].cap == cap ? i : -1;
}

int State::kene_find_tid(std::uint32_t s, std::uint32_t tid) const {
  const Triple* k = pool.data() + kene_off[s];
  for (int i = 0; i < kene_len[s]; ++i) {
    if (k[i].tid == tid) return i;
  }
  return -1;
}

bool State::kene_append(std::uint32_t s, int cap, double a, int e, std::uint8_t flags) {
  // Keeps the kene sorted by capability: insert after the last triple with cap <= `cap`.
  const Triple* k = pool.data() + kene_off[s];
  int at = kene_len[s];
  while (at > 0 && k[at - 1].cap > cap) --at;
  return kene_insert_at(s, at, cap, a, e, flags);
}

bool State::kene_insert_at(std::uint32_t s, int idx, int cap, double a, int e, std::uint8_t flags) {
  if (kene_full(s)) return false;
  Triple* k = pool.data() + kene_off[s];
  std::copy_backward(k + idx, k + kene_len[s], k + kene_len[s] + 1);
  Triple& t = k[idx];
  t.tid = next_tid[s]++;
  t.cap = static_cast<std::uint16_t>(cap);
  t.a = a;
  t.e = static_cast<std::uint8_t>(e);
  t.flags = flags;
  ++kene_len[s];
  // The IH triples at idx or after moved up one place (a new triple is never in the IH).
  auto& pos = ih_pos[s];
  for (int i = 0; i < ih_len[s]; ++i)
    pos[static_cast<std::size_t>(i)] += pos[static_cast<std::size_t>(i)] >= idx;
  return true;
}

void State::kene_erase(std::uint32_t s, int idx) {
  Triple* k = pool.data() + kene_off[s];
  const Triple gone = k[idx];
  std::copy(k + idx + 1, k + kene_len[s], k + idx);
  --kene_len[s];
  auto& pos = ih_pos[s];
  if (gone.flags & kInIh) {
    // The IH loses a member: keep the rest in order; the product must be recomputed.
    std::uint32_t* ih = ih_tid.data() + static_cast<std::size_t>(s) * kMaxIh;
    const auto end = std::remove(ih, ih + ih_len[s], gone.tid);
    std::remove(pos.begin(), pos.begin() + ih_len[s], static_cast<std::uint8_t>(idx));
    ih_len[s] = static_cast<std::uint8_t>(end - ih);
    dirty[s] = 1;  // manufacture() rejects chunks that no longer fit
  }
  // The IH triples after idx moved down one place.
  for (int i = 0; i < ih_len[s]; ++i)
    pos[static_cast<std::size_t>(i)] -= pos[static_cast<std::size_t>(i)] > idx;
}

void State::set_ih(std::uint32_t s, std::span<const std::uint32_t> tids, const IhShape& sh) {
  Triple* k = pool.data() + kene_off[s];
  for (int i = 0; i < kene_len[s]; ++i) k[i].flags &= static_cast<std::uint8_t>(~kInIh);
  for (std::size_t i = 0; i < std::min<std::size_t>(tids.size(), kMaxIh); ++i) {
    const int at = kene_find_tid(s, tids[i]);
    if (at >= 0) k[at].flags |= kInIh;
  }
  std::uint32_t* ih = ih_tid.data() + static_cast<std::size_t>(s) * kMaxIh;
  int n = 0;
  for (int i = 0; i < kene_len[s]; ++i) {
    if (k[i].flags & kInIh) {
      ih_pos[s][static_cast<std::size_t>(n)] = static_cast<std::uint8_t>(i);
      ih[n++] = k[i].tid;
    }
  }
  ih_len[s] = static_cast<std::uint8_t>(n);
  shape[s] = sh;
  research_dir[s] = 0;
  research_tid[s] = kNone;
  dirty[s] = 1;
}

int State::gather_ih(std::uint32_t s, std::array<Triple, kMaxIh>& out) const {
  const Triple* k = pool.data() + kene_off[s];
  const int n = ih_len[s];
  for (int i = 0; i < n; ++i)
    out[static_cast<std::size_t>(i)] = k[ih_pos[s][static_cast<std::size_t>(i)]];
  return n;
}

bool State::add_geo_tie(std::uint32_t sa, std::uint32_t sb) {
  if (sa == sb || geo_full(sa) || geo_full(sb)) return false;
  const auto ga = geo(sa);
  if (std::find(ga.begin(), ga.end(), id[sb]) != ga.end()) return false;
  geo_ids[static_cast<std::size_t>(sa) * geo_stride_ + geo_len[sa]++] = id[sb];
  geo_ids[static_cast<std::size_t>(sb) * geo_stride_ + geo_len[sb]++] = id[sa];
  return true;
}

void State::record_partner(std::uint32_t s, std::uint32_t partner_id, std::int32_t tick) {
  PrevPartner* p = prev_partners.data() + static_cast<std::size_t>(s) * prev_stride_;
  int n = prev_len[s];
  int at = n;
  for (int i = 0; i < n; ++i) {
    if (p[i].id == partner_id) {
      at = i;
      break;
    }
  }
  if (at == n) {
    if (n < static_cast<int>(prev_stride_)) {
      ++prev_len[s];
    } else {
      at = n - 1;  // forget the oldest
    }
  }
  std::copy_backward(p, p + at, p + at + 1);
  p[0] = PrevPartner{partner_id, tick, -1};
}

void State::build_customer_lists(int threads) {
  // Each buyer's purchases, grouped by supplier, in buyer order (exec/buckets.h).
  const std::uint32_t n = slots();
  exec::group_by_bucket(
      n, n, threads,
      [&](std::uint32_t s, auto&& emit) {
        if (!alive[s]) return;
        for (std::uint32_t sup : suppliers[s]) {
          const std::uint32_t t = sup == kNone ? kNone : slot_of(sup);
          if (t != kNone) emit(t, s);
        }
      },
      cust_start, cust, list_scratch_);
}

void State::build_partner_lists(int threads) {
  // Both ends of every partnership, grouped by slot (exec/buckets.h). Edges are sorted
  // by (a, b): each list comes out ascending (lower ids via the edges where this actor
  // is b, which sort first, then higher ids).
  const std::uint32_t n = slots();
  exec::group_by_bucket(
      static_cast<std::uint32_t>(partnerships.size()), n, threads,
      [&](std::uint32_t e, auto&& emit) {
        const std::uint32_t sa = slot_of(partnerships[e].a), sb = slot_of(partnerships[e].b);
        emit(sa, sb);
        emit(sb, sa);
      },
      partner_start, partner_list, list_scratch_);
}

void State::purge_dead_references(int threads) {
  const std::uint32_t n = slots();
  exec::for_owned_slots(n, threads, [&](std::uint32_t s) {
    if (!alive[s]) return;
    std::uint32_t* g = geo_ids.data() + static_cast<std::size_t>(s) * geo_stride_;
    geo_len[s] = static_cast<std::uint8_t>(
        std::remove_if(g, g + geo_len[s], [&](std::uint32_t v) { return !is_alive_id(v); }) - g);
    PrevPartner* p = prev_partners.data() + static_cast<std::size_t>(s) * prev_stride_;
    prev_len[s] = static_cast<std::uint8_t>(
        std::remove_if(p, p + prev_len[s],
                       [&](const PrevPartner& v) { return !is_alive_id(v.id); }) -
        p);
    for (auto& sup : suppliers[s]) {
      if (sup != kNone && !is_alive_id(sup)) sup = kNone;
    }
    if (network[s] != kNone && !is_alive_id(network[s])) network[s] = kNone;
  });
  std::erase_if(partnerships,
                [&](const Partnership& e) { return !is_alive_id(e.a) || !is_alive_id(e.b); });
}

void State::compact() {
  if (dead_ == 0) return;
  const std::uint32_t n = slots();
  // Strided storage first, while the old offsets are still valid.
  pool_scratch_.clear();
  std::uint32_t w = 0;
  for (std::uint32_t s = 0; s < n; ++s) {
    if (!alive[s]) continue;
    const std::uint32_t off = static_cast<std::uint32_t>(pool_scratch_.size());
    pool_scratch_.insert(pool_scratch_.end(), pool.begin() + kene_off[s],
                         pool.begin() + kene_off[s] + kene_cap[s]);
    kene_off[s] = off;
    if (w != s) {
      std::copy_n(ih_tid.begin() + static_cast<std::ptrdiff_t>(s) * kMaxIh, kMaxIh,
                  ih_tid.begin() + static_cast<std::ptrdiff_t>(w) * kMaxIh);
      std::copy_n(geo_ids.begin() + static_cast<std::ptrdiff_t>(s) * geo_stride_, geo_stride_,
                  geo_ids.begin() + static_cast<std::ptrdiff_t>(w) * geo_stride_);
      std::copy_n(prev_partners.begin() + static_cast<std::ptrdiff_t>(s) * prev_stride_,
                  prev_stride_,
                  prev_partners.begin() + static_cast<std::ptrdiff_t>(w) * prev_stride_);
    }
    ++w;
  }
  pool.swap(pool_scratch_);
  ih_tid.resize(static_cast<std::size_t>(w) * kMaxIh);
  geo_ids.resize(static_cast<std::size_t>(w) * geo_stride_);
  prev_partners.resize(static_cast<std::size_t>(w) * prev_stride_);
  const std::vector<std::uint8_t> keep = alive;
  for_each_column([&](auto& col) {
    std::size_t out = 0;
    for (std::size_t s = 0; s < n; ++s) {
      if (keep[s]) col[out++] = std::move(col[s]);
    }
    col.resize(out);
  });
  for (std::uint32_t s = 0; s < w; ++s) slot_of_[id[s]] = s;
  dead_ = 0;
}

}  // namespace icn::model::cluster
