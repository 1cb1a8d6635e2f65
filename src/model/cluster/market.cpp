#include "icn/model/cluster/market.h"

#include <algorithm>
#include <tuple>

#include "icn/model/cluster/kene.h"

namespace icn::model::cluster {

void Market::run(State& st, Ledger& ledger, const TickContext& ctx) {
  manufacture_all(st, ctx);
  clear(st, ctx.set, ctx.threads);
  settle(st, ctx.set, ledger, ctx.government);
  st.build_customer_lists();  // cooperation searches this tick's customers
  // Outcome of last tick's new partnerships (trust, MODEL.md 4.5): both traded now.
  for (const Partnership& e : st.partnerships) {
    if (e.formed != static_cast<std::int32_t>(ctx.tick) - 1) continue;
    const std::uint32_t sa = st.slot_of(e.a), sb = st.slot_of(e.b);
    const auto outcome = static_cast<std::int8_t>(st.trading[sa] && st.trading[sb]);
    for (auto [s, other] : {std::pair{sa, e.b}, std::pair{sb, e.a}}) {
      for (PrevPartner& p : st.prev(s)) {
        if (p.id == other) p.outcome = outcome;
      }
    }
  }
}

void Market::manufacture_all(State& st, const TickContext& ctx) {
  const auto n = static_cast<std::int64_t>(st.slots());
#pragma omp parallel for schedule(static) num_threads(ctx.threads)
  for (std::int64_t i = 0; i < n; ++i) {
    const auto s = static_cast<std::uint32_t>(i);
    st.selling[s] = 0;
    st.trading[s] = 0;
    st.customers[s] = 0;
    st.revenue[s] = 0;
    st.unit_cost[s] = 0;
    st.reward[s] = 0;
    st.suppliers[s].fill(kNone);
    if (!st.alive[s] || !is_producer(st.type[s])) continue;
    // A new product gets a new price (SKIN).
    if (manufacture(st, s, ctx.set) && st.product[s] >= 0) {
      rng::Stream rs = ctx.stream(rng::Stage::kCompetition, st.id[s]);
      st.price[s] = initial_price(st.product[s], ctx.set, rs);
    }
  }
}

bool Market::wanted(const State& st, std::uint32_t s, const Settings& set) const {
  const int p = st.product[s];
  return (set.products.is_end_user(p) && !capped_[s]) || n_dem_[static_cast<std::size_t>(p)] > 0;
}

std::uint32_t Market::cheapest(std::int16_t product) {
  const auto p = static_cast<std::size_t>(product);
  std::uint32_t& h = head_[p];
  while (h < prod_start_[p + 1] && !in_[prod_[h]]) ++h;
  return h < prod_start_[p + 1] ? prod_[h] : kNone;
}

bool Market::supplied(const State& st, std::uint32_t s, const Settings& set, bool profit) const {
  double cost = 0;
  for (int k = 0; k < st.n_inputs[s]; ++k) {
    const std::int16_t q = st.inputs[s][static_cast<std::size_t>(k)];
    if (set.products.is_raw(q)) {
      cost += set.p.raw_cost;
      continue;
    }
    if (n_prod_[static_cast<std::size_t>(q)] == 0) return false;
    if (profit) cost += cheap_price_[static_cast<std::size_t>(q)];
  }
  // Break-even counts as profitable: the price floor is the unit cost (section 4.2).
  return !profit || st.price[s] >= cost;
}

// A seller still in work_ is checked when it is popped, after every change so far, so
// pushing it again would only repeat that check. The fixed point does not depend on the
// order of the checks (staying is monotone in the set of remaining sellers: fewer
// sellers mean less demand and dearer inputs), so skipping the repeats changes nothing.
void Market::push(std::uint32_t s) {
  if (!in_[s] || queued_[s]) return;
  queued_[s] = 1;
  work_.push_back(s);
}

void Market::remove(const State& st, std::uint32_t s, const Settings& set, bool profit) {
  const bool was_cheapest = cheapest(st.product[s]) == s;
  in_[s] = 0;
  const auto p = static_cast<std::size_t>(st.product[s]);
  if (was_cheapest) {
    // Kept current at once, so that examining a firm only reads (examine_all).
    const std::uint32_t next = cheapest(st.product[s]);
    if (next != kNone) cheap_price_[p] = st.price[next];
  }
  // Demanders of p are affected only when p's last supplier, or (with prices) its
  // cheapest, leaves.
  if (--n_prod_[p] == 0 || (profit && was_cheapest)) {
    for (std::uint32_t k = dem_start_[p]; k < dem_start_[p + 1]; ++k) push(dem_[k]);
  }
  for (int k = 0; k < st.n_inputs[s]; ++k) {
    const std::int16_t q = st.inputs[s][static_cast<std::size_t>(k)];
    if (set.products.is_raw(q)) continue;
    const auto qi = static_cast<std::size_t>(q);
    if (--n_dem_[qi] == 0) {
      for (std::uint32_t j = prod_start_[qi]; j < prod_start_[qi + 1]; ++j) push(prod_[j]);
    }
  }
}

void Market::drain(const State& st, const Settings& set, bool profit) {
  while (!work_.empty()) {
    const std::uint32_t s = work_.back();
    work_.pop_back();
    queued_[s] = 0;
    if (!in_[s]) continue;
    if (wanted(st, s, set) && supplied(st, s, set, profit)) continue;
    remove(st, s, set, profit);
  }
}

// The first examination of every firm only reads the market, so it runs in parallel; the
// firms that fail it are then removed one by one, and each removal queues the firms it can
// affect. Because the fixed point does not depend on the order of the checks, this
// reaches the same market as examining the firms one after another.
void Market::examine_all(const State& st, const Settings& set, bool profit, int threads) {
  const auto n = static_cast<std::int64_t>(in_.size());
  fails_.resize(in_.size());
#pragma omp parallel for schedule(static) num_threads(threads)
  for (std::int64_t i = 0; i < n; ++i) {
    const auto s = static_cast<std::uint32_t>(i);
    fails_[s] = in_[s] && !(wanted(st, s, set) && supplied(st, s, set, profit));
  }
  work_.clear();
  for (auto s = static_cast<std::uint32_t>(n); s-- > 0;) {
    if (fails_[s]) push(s);
  }
  drain(st, set, profit);
}

void Market::clear(State& st, const Settings& set, int threads) {
  const std::uint32_t n = st.slots();
  const auto np = static_cast<std::size_t>(set.products.n);
  in_.assign(n, 0);
  capped_.assign(n, 0);
  prod_start_.assign(np + 1, 0);
  dem_start_.assign(np + 1, 0);
  for (std::uint32_t s = 0; s < n; ++s) {
    if (!st.alive[s] || !is_producer(st.type[s]) || st.n_inputs[s] == 0 || st.product[s] < 0) {
      continue;
    }
    in_[s] = 1;
    ++prod_start_[static_cast<std::size_t>(st.product[s]) + 1];
    for (int k = 0; k < st.n_inputs[s]; ++k) {
      const std::int16_t q = st.inputs[s][static_cast<std::size_t>(k)];
      if (!set.products.is_raw(q)) ++dem_start_[static_cast<std::size_t>(q) + 1];
    }
  }
  for (std::size_t p = 0; p < np; ++p) {
    prod_start_[p + 1] += prod_start_[p];
    dem_start_[p + 1] += dem_start_[p];
  }
  prod_.resize(prod_start_[np]);
  dem_.resize(dem_start_[np]);
  cursor_.assign(prod_start_.begin(), prod_start_.end() - 1);
  head_.assign(dem_start_.begin(), dem_start_.end() - 1);  // reused as the demand cursor
  for (std::uint32_t s = 0; s < n; ++s) {
    if (!in_[s]) continue;
    prod_[cursor_[static_cast<std::size_t>(st.product[s])]++] = s;
    for (int k = 0; k < st.n_inputs[s]; ++k) {
      const std::int16_t q = st.inputs[s][static_cast<std::size_t>(k)];
      if (!set.products.is_raw(q)) dem_[head_[static_cast<std::size_t>(q)]++] = s;
    }
  }
  n_prod_.resize(np);
  n_dem_.resize(np);
  head_.assign(prod_start_.begin(), prod_start_.end() - 1);
  cheap_price_.resize(np);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(np); ++i) {
    const auto p = static_cast<std::size_t>(i);
    n_prod_[p] = prod_start_[p + 1] - prod_start_[p];
    n_dem_[p] = dem_start_[p + 1] - dem_start_[p];
    // Cheapest first; ties: higher quality, then lower id (slot order is id order).
    std::sort(prod_.begin() + prod_start_[p], prod_.begin() + prod_start_[p + 1],
              [&](std::uint32_t a, std::uint32_t b) {
                return std::make_tuple(st.price[a], -st.quality[a], a) <
                       std::make_tuple(st.price[b], -st.quality[b], b);
              });
    if (n_prod_[p] > 0) cheap_price_[p] = st.price[prod_[prod_start_[p]]];
  }
  queued_.assign(n, 0);
  examine_all(st, set, false, threads);
  for (std::uint32_t s = 0; s < n; ++s) st.selling[s] = in_[s];
  examine_all(st, set, true, threads);
  if (set.p.demand_cap > 0) {
    // Sellers beyond the cap of their end-user product lose the consumers; they stay
    // only if firms still want the product, and the fixed point is taken again.
    for (int p = set.products.n - set.products.n_end; p < set.products.n; ++p) {
      std::int64_t rank = 0;
      for (std::uint32_t k = prod_start_[static_cast<std::size_t>(p)];
           k < prod_start_[static_cast<std::size_t>(p) + 1]; ++k) {
        if (in_[prod_[k]] && rank++ >= set.p.demand_cap) capped_[prod_[k]] = 1;
      }
    }
    examine_all(st, set, true, threads);
  }
  for (std::uint32_t s = 0; s < n; ++s) st.trading[s] = in_[s];
}

void Market::settle(State& st, const Settings& set, Ledger& ledger, std::uint32_t government) {
  const std::uint32_t n = st.slots();
  const double raw_cost = set.p.raw_cost;
  for (std::uint32_t s = 0; s < n; ++s) {
    if (!st.trading[s]) continue;
    double cost = 0;
    for (int k = 0; k < st.n_inputs[s]; ++k) {
      const std::int16_t q = st.inputs[s][static_cast<std::size_t>(k)];
      if (set.products.is_raw(q)) {
        ledger.outflow(st, Outflow::kRawMaterial, s, raw_cost);
        cost += raw_cost;
        continue;
      }
      const std::uint32_t sup = cheapest(q);
      const double price = st.price[sup];
      ledger.transfer(st, Transfer::kPurchase, s, sup, price);
      ++st.customers[sup];
      st.revenue[sup] += price;
      cost += price;
      st.suppliers[s][static_cast<std::size_t>(k)] = st.id[sup];
    }
    st.unit_cost[s] = cost;
  }
  // Final consumers: cheapest sellers of each end-user product first, up to the cap.
  capped_.assign(n, 0);  // reused: 1 = sold to final consumers
  for (int p = set.products.n - set.products.n_end; p < set.products.n; ++p) {
    std::int64_t rank = 0;
    for (std::uint32_t k = prod_start_[static_cast<std::size_t>(p)];
         k < prod_start_[static_cast<std::size_t>(p) + 1]; ++k) {
      const std::uint32_t s = prod_[k];
      if (!st.trading[s]) continue;
      if (set.p.demand_cap > 0 && rank++ >= set.p.demand_cap) break;
      const double consumer_price = set.consumer_price(st.id[s]);  // currency shock
      ledger.inflow(st, Inflow::kFinalSale, s, consumer_price);
      st.revenue[s] += consumer_price;
      ++st.customers[s];
      capped_[s] = 1;
    }
  }
  for (std::uint32_t s = 0; s < n; ++s) {
    if (!st.trading[s]) continue;
    const double uc = st.unit_cost[s];
    const double firm_sales = st.customers[s] - capped_[s];
    st.reward[s] =
        firm_sales * (st.price[s] - uc) + (capped_[s] ? set.consumer_price(st.id[s]) - uc : 0.0);
    double price = st.price[s];
    if (st.customers[s] > static_cast<std::uint64_t>(set.p.price_up_customers)) {
      price *= set.p.price_up;
    } else if (st.customers[s] == 0) {
      price *= set.p.price_down;
    }
    st.price[s] = std::max(price, uc);
  }
  if (government == kNone) return;  // hand-built states without a government
  for (std::uint32_t s = 0; s < n; ++s) {
    if (st.alive[s] && is_producer(st.type[s])) {
      ledger.transfer(st, Transfer::kFixedCost, s, government, set.p.fixed_cost);
    }
  }
}

}  // namespace icn::model::cluster
