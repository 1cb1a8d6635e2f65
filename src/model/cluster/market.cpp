#include "icn/model/cluster/market.h"

#include <algorithm>
#include <atomic>
#include <numeric>
#include <tuple>

#include "icn/core/grow.h"
#include "icn/exec/buckets.h"
#include "icn/exec/openmp.h"
#include "icn/exec/owned_parts.h"
#include "icn/model/cluster/kene.h"

namespace icn::model::cluster {

void Market::run(State& st, Ledger& ledger, const TickContext& ctx) {
  manufacture_all(st, ctx);
  clear(st, ctx.set, ctx.threads);
  settle(st, ctx.set, ledger, ctx.government, ctx.threads);  // and the customer lists
  record_outcomes(st, ctx);
}

// Outcome of last tick's new partnerships (trust, MODEL.md 4.5): both traded now. Each
// end's record of the other is set: a partnership writes only the two records naming its
// pair, so the partnerships run in parallel (a pair listed twice writes the same value).
// A list holds a partner once (State::record_partner), so the search stops at the match.
// (Not at the first record older than last tick, although the lists run newest first: a
// project's pairs become partnerships ticks after their records were made.)
void Market::record_outcomes(State& st, const TickContext& ctx) {
  const auto formed = static_cast<std::int32_t>(ctx.tick) - 1;
  const auto m = static_cast<std::int64_t>(st.partnerships.size());
#pragma omp parallel for schedule(static) num_threads(ctx.threads)
  for (std::int64_t k = 0; k < m; ++k) {
    const Partnership& e = st.partnerships[static_cast<std::size_t>(k)];
    if (e.formed != formed) continue;
    const std::uint32_t sa = st.slot_of(e.a), sb = st.slot_of(e.b);
    const auto outcome = static_cast<std::int8_t>(st.trading[sa] && st.trading[sb]);
    for (auto [s, other] : {std::pair{sa, e.b}, std::pair{sb, e.a}}) {
      for (PrevPartner& p : st.prev(s)) {
        if (p.id == other) {
          std::atomic_ref<std::int8_t>(p.outcome).store(outcome, std::memory_order_relaxed);
          break;
        }
      }
    }
  }
}

void Market::manufacture_all(State& st, const TickContext& ctx) {
  const std::uint32_t n = st.slots();
  exec::for_owned_slots(n, ctx.threads, [&](std::uint32_t s) {
    st.selling[s] = 0;
    st.trading[s] = 0;
    st.customers[s] = 0;
    st.revenue[s] = 0;
    st.unit_cost[s] = 0;
    st.reward[s] = 0;
    st.suppliers[s].fill(kNone);
    if (!st.alive[s] || !is_producer(st.type[s])) return;
    // A new product gets a new price (SKIN).
    if (manufacture(st, s, ctx.set) && st.product[s] >= 0) {
      rng::Stream rs = ctx.stream(rng::Stage::kCompetition, st.id[s]);
      st.price[s] = initial_price(st.product[s], ctx.set, rs);
    }
  });
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

void Market::queue(std::uint32_t s) {
  if (!in_[s] || stamp_[s] == round_) return;
  stamp_[s] = round_;
  next_.push_back(s);
}

void Market::mark(std::vector<std::uint8_t>& flag, std::vector<std::uint32_t>& list,
                  std::size_t product) {
  if (flag[product]) return;
  flag[product] = 1;
  list.push_back(static_cast<std::uint32_t>(product));
}

void Market::remove(const State& st, std::uint32_t s, const Settings& set, bool profit) {
  const bool was_cheapest = cheapest(st.product[s]) == s;
  in_[s] = 0;
  const auto p = static_cast<std::size_t>(st.product[s]);
  if (was_cheapest) {
    // Kept current at once, so that examining a firm only reads.
    const std::uint32_t next = cheapest(st.product[s]);
    if (next != kNone) cheap_price_[p] = st.price[next];
  }
  // Demanders of p are affected only when p's last supplier, or (with prices) its
  // cheapest, leaves; producers of an input only when its last demander leaves.
  if (--n_prod_[p] == 0 || (profit && was_cheapest)) mark(seller_gone_, sellers_changed_, p);
  for (int k = 0; k < st.n_inputs[s]; ++k) {
    const std::int16_t q = st.inputs[s][static_cast<std::size_t>(k)];
    if (set.products.is_raw(q)) continue;
    const auto qi = static_cast<std::size_t>(q);
    if (--n_dem_[qi] == 0) mark(demand_gone_, demand_changed_, qi);
  }
}

// Rounds: every firm of the round is examined against the market as the round began (in
// parallel: examining only reads), the failing ones are removed, and the firms that a
// removal can affect - demanders of a product whose last or cheapest seller left,
// producers of a product nobody demands any more - make the next round. A firm failing
// against a larger market fails against any smaller one and the fixed point does not
// depend on the order of the checks (the header), so the rounds reach the same market as
// checking firms one at a time; batching the removals examines each affected firm once
// per round rather than once per removal.
void Market::reach_fixed_point(const State& st, const Settings& set, bool profit, int threads) {
  while (!next_.empty()) {
    batch_.swap(next_);
    next_.clear();
    if (++round_ == 0) {  // the stamps wrapped around: forget them all
      std::fill(stamp_.begin(), stamp_.end(), 0u);
      round_ = 1;
    }
    const auto m = static_cast<std::int64_t>(batch_.size());
    const int team = m >= kParallelRound ? threads : 1;
#pragma omp parallel for schedule(static) num_threads(team)
    for (std::int64_t i = 0; i < m; ++i) {
      const std::uint32_t s = batch_[static_cast<std::size_t>(i)];
      fails_[s] = in_[s] && !(wanted(st, s, set) && supplied(st, s, set, profit));
    }
    exec::select_items(
        static_cast<std::uint32_t>(m), team,
        [&](std::uint32_t i) { return fails_[batch_[i]] != 0; }, failing_, select_);
    for (std::uint32_t i : failing_) {
      const std::uint32_t s = batch_[i];
      fails_[s] = 0;
      remove(st, s, set, profit);
    }
    queue_affected(threads);
  }
}

// The firms a round's removals can affect: demanders of products whose last or cheapest
// seller left, producers of products nobody demands any more. The next round is a set (the
// fixed point does not depend on the order of the checks, and neither do the removals'
// effects on the market: counts, and the first remaining seller of a sorted list), so a
// large one is stamped in parallel and listed in slot order, a small one as it is found.
void Market::queue_affected(int threads) {
  std::size_t work = 0;
  for (std::uint32_t p : sellers_changed_) work += dem_start_[p + 1] - dem_start_[p];
  for (std::uint32_t q : demand_changed_) work += prod_start_[q + 1] - prod_start_[q];
  const auto n = static_cast<std::uint32_t>(in_.size());
  if (work >= n / 8 && work >= static_cast<std::size_t>(kParallelRound)) {
    const auto n_sell = static_cast<std::int64_t>(sellers_changed_.size());
    const auto n_lists = n_sell + static_cast<std::int64_t>(demand_changed_.size());
    const std::uint32_t round = round_;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (std::int64_t k = 0; k < n_lists; ++k) {
      const bool sellers = k < n_sell;
      const std::uint32_t p = sellers ? sellers_changed_[static_cast<std::size_t>(k)]
                                      : demand_changed_[static_cast<std::size_t>(k - n_sell)];
      const auto& list = sellers ? dem_ : prod_;
      const auto& start = sellers ? dem_start_ : prod_start_;
      for (std::uint32_t j = start[p]; j < start[p + 1]; ++j) {
        // Several products may stamp one firm: equal values, stored atomically.
        if (in_[list[j]])
          std::atomic_ref<std::uint32_t>(stamp_[list[j]]).store(round, std::memory_order_relaxed);
      }
    }
    exec::select_items(
        n, threads, [&](std::uint32_t s) { return in_[s] && stamp_[s] == round; }, next_, select_);
  } else {
    for (std::uint32_t p : sellers_changed_) {
      for (std::uint32_t k = dem_start_[p]; k < dem_start_[p + 1]; ++k) queue(dem_[k]);
    }
    for (std::uint32_t q : demand_changed_) {
      for (std::uint32_t j = prod_start_[q]; j < prod_start_[q + 1]; ++j) queue(prod_[j]);
    }
  }
  for (std::uint32_t p : sellers_changed_) seller_gone_[p] = 0;
  for (std::uint32_t q : demand_changed_) demand_gone_[q] = 0;
  sellers_changed_.clear();
  demand_changed_.clear();
}

void Market::examine_all(const State& st, const Settings& set, bool profit, int threads) {
  exec::select_items(
      static_cast<std::uint32_t>(in_.size()), threads, [&](std::uint32_t s) { return in_[s] != 0; },
      next_, select_);
  reach_fixed_point(st, set, profit, threads);
}

void Market::clear(State& st, const Settings& set, int threads) {
  const std::uint32_t n = st.slots();
  const auto np = static_cast<std::size_t>(set.products.n);
  in_.resize(n);
  icn::refill(capped_, n, 0);
#pragma omp parallel for schedule(static) num_threads(threads)
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i) {
    const auto s = static_cast<std::uint32_t>(i);
    in_[s] = st.alive[s] && is_producer(st.type[s]) && st.n_inputs[s] > 0 && st.product[s] >= 0;
  }
  // Sellers by product and demanders by (non-raw) input, each in slot order.
  const auto products = static_cast<std::uint32_t>(np);
  exec::group_by_bucket(
      n, products, threads,
      [&](std::uint32_t s, auto&& emit) {
        if (in_[s]) emit(static_cast<std::uint32_t>(st.product[s]), s);
      },
      prod_start_, prod_, scratch_);
  exec::group_by_bucket(
      n, products, threads,
      [&](std::uint32_t s, auto&& emit) {
        if (!in_[s]) return;
        for (int k = 0; k < st.n_inputs[s]; ++k) {
          const std::int16_t q = st.inputs[s][static_cast<std::size_t>(k)];
          if (!set.products.is_raw(q)) emit(static_cast<std::uint32_t>(q), s);
        }
      },
      dem_start_, dem_, scratch_);
  n_prod_.resize(np);
  n_dem_.resize(np);
  head_.assign(prod_start_.begin(), prod_start_.end() - 1);
  cheap_price_.resize(np);
  // Each product's sellers sorted by one thread, handed out largest first so that the
  // team does not end waiting on one large product (at 10^5 firms a product has thousands
  // of sellers); the sort compares keys gathered once, not three columns at random slots.
  by_size_.resize(np);
  std::iota(by_size_.begin(), by_size_.end(), 0u);
  std::sort(by_size_.begin(), by_size_.end(), [&](std::uint32_t a, std::uint32_t b) {
    const std::uint32_t na = prod_start_[a + 1] - prod_start_[a];
    const std::uint32_t nb = prod_start_[b + 1] - prod_start_[b];
    return na != nb ? na > nb : a < b;
  });
  keys_.resize(static_cast<std::size_t>(std::max(1, threads)));
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(np); ++i) {
    const std::size_t p = by_size_[static_cast<std::size_t>(i)];
    n_prod_[p] = prod_start_[p + 1] - prod_start_[p];
    n_dem_[p] = dem_start_[p + 1] - dem_start_[p];
    std::vector<SellerKey>& keys = keys_[static_cast<std::size_t>(exec::thread_id())].value;
    keys.clear();
    for (std::uint32_t k = prod_start_[p]; k < prod_start_[p + 1]; ++k) {
      const std::uint32_t s = prod_[k];
      keys.push_back({st.price[s], -st.quality[s], s});
    }
    std::sort(keys.begin(), keys.end());
    for (std::size_t k = 0; k < keys.size(); ++k) prod_[prod_start_[p] + k] = keys[k].slot;
    if (n_prod_[p] > 0) cheap_price_[p] = keys.front().price;
  }
  icn::refill(stamp_, n, 0);
  round_ = 0;
  icn::refill(fails_, n, 0);
  seller_gone_.assign(np, 0);
  demand_gone_.assign(np, 0);
  examine_all(st, set, false, threads);
#pragma omp parallel for schedule(static) num_threads(threads)
  for (std::int64_t s = 0; s < static_cast<std::int64_t>(n); ++s) st.selling[s] = in_[s];
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
#pragma omp parallel for schedule(static) num_threads(threads)
  for (std::int64_t s = 0; s < static_cast<std::int64_t>(n); ++s) st.trading[s] = in_[s];
}

// Every payment of the market in parallel, with each actor's capital, revenue and
// customer count changed in exactly the order of the serial rule "buyers in slot order,
// each paying for its inputs in order" (so the floating-point sums are bit-identical for
// any team): a buyer's own payments come between its credits from lower and higher
// buyers. The ledger's totals are posted afterwards in that same order.
void Market::settle(State& st, const Settings& set, Ledger& ledger, std::uint32_t government,
                    int threads) {
  const std::uint32_t n = st.slots();
  const auto ns = static_cast<std::int64_t>(n);
  for (std::size_t p = 0; p < head_.size(); ++p) cheapest(static_cast<std::int16_t>(p));
    // 1. Each trading firm's suppliers and unit cost (reads only the cleared market).
#pragma omp parallel for schedule(static) num_threads(threads)
  for (std::int64_t i = 0; i < ns; ++i) {
    const auto s = static_cast<std::uint32_t>(i);
    if (!st.trading[s]) continue;
    double cost = 0;
    for (int k = 0; k < st.n_inputs[s]; ++k) {
      const std::int16_t q = st.inputs[s][static_cast<std::size_t>(k)];
      if (set.products.is_raw(q)) {
        cost += set.p.raw_cost;
        continue;
      }
      const std::uint32_t sup = prod_[head_[static_cast<std::size_t>(q)]];
      cost += st.price[sup];
      st.suppliers[s][static_cast<std::size_t>(k)] = st.id[sup];
    }
    st.unit_cost[s] = cost;
  }
  st.build_customer_lists(threads);
  // 2. Payments, per actor, in the serial order; the ledger's totals from each thread. A
  // cheapest supplier credits thousands of buyers, so the actors are dealt out in chunks.
  exec::OwnedParts actors(n, threads);
#pragma omp parallel num_threads(threads)
  {
    Ledger::Totals paid;
    actors.run([&](std::uint32_t x) {
      const auto buyers = st.customers_of(x);
      std::size_t c = 0;
      for (; c < buyers.size() && buyers[c] < x; ++c) credit_sale(st, x);
      if (st.trading[x]) pay_inputs(st, set, x, paid);
      for (; c < buyers.size(); ++c) {
        if (buyers[c] != x) credit_sale(st, x);  // buying from itself: paid in pay_inputs
      }
    });
#pragma omp critical(icn_ledger_merge)
    ledger.merge(paid);
  }
  // 3. Final consumers: cheapest sellers of each end-user product first, up to the cap.
  // Each seller sells one product: the products in parallel, their totals from each thread.
  icn::refill(capped_, n, 0);  // reused: 1 = sold to final consumers
  const int first_end = set.products.n - set.products.n_end;
#pragma omp parallel num_threads(threads)
  {
    Ledger::Totals sold;
#pragma omp for schedule(dynamic, 1) nowait
    for (int p = first_end; p < set.products.n; ++p) {
      std::int64_t rank = 0;
      for (std::uint32_t k = prod_start_[static_cast<std::size_t>(p)];
           k < prod_start_[static_cast<std::size_t>(p) + 1]; ++k) {
        const std::uint32_t s = prod_[k];
        if (!st.trading[s]) continue;
        if (set.p.demand_cap > 0 && rank++ >= set.p.demand_cap) break;
        const double consumer_price = set.consumer_price(st.id[s]);  // currency shock
        st.capital[s] += consumer_price;
        sold.post(Inflow::kFinalSale, consumer_price);
        st.revenue[s] += consumer_price;
        ++st.customers[s];
        capped_[s] = 1;
      }
    }
#pragma omp critical(icn_ledger_merge)
    ledger.merge(sold);
  }
  // 4. Rewards and prices; the fixed cost (the government receives it once per payer).
  const bool fixed_cost = government != kNone;  // hand-built states may have none
  std::int64_t payers = 0;
#pragma omp parallel for schedule(static) num_threads(threads) reduction(+ : payers)
  for (std::int64_t i = 0; i < ns; ++i) {
    const auto s = static_cast<std::uint32_t>(i);
    if (fixed_cost && st.alive[s] && is_producer(st.type[s])) {
      st.capital[s] -= set.p.fixed_cost;
      ++payers;
    }
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
  // One addition per payer, as paying one by one would round (not payers * fixed_cost).
  for (std::int64_t k = 0; k < payers; ++k) st.capital[government] += set.p.fixed_cost;
  ledger.post(Transfer::kFixedCost, set.p.fixed_cost, static_cast<std::uint64_t>(payers));
}

void Market::credit_sale(State& st, std::uint32_t seller) {
  st.capital[seller] += st.price[seller];
  st.revenue[seller] += st.price[seller];
  ++st.customers[seller];
}

void Market::pay_inputs(State& st, const Settings& set, std::uint32_t s,
                        Ledger::Totals& paid) const {
  for (int k = 0; k < st.n_inputs[s]; ++k) {
    const std::int16_t q = st.inputs[s][static_cast<std::size_t>(k)];
    if (set.products.is_raw(q)) {
      st.capital[s] -= set.p.raw_cost;
      paid.post(Outflow::kRawMaterial, set.p.raw_cost);
      continue;
    }
    const std::uint32_t sup = prod_[head_[static_cast<std::size_t>(q)]];
    st.capital[s] -= st.price[sup];
    paid.post(Transfer::kPurchase, st.price[sup]);
    if (sup == s) credit_sale(st, s);
  }
}

}  // namespace icn::model::cluster
