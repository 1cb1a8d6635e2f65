#include "icn/model/cluster/finance.h"

#include <algorithm>

#include "icn/exec/first_touch.h"

namespace icn::model::cluster {

bool Finance::creditworthy(double mean_profit, double quality, const Settings& set) {
  return mean_profit > 0 || quality > set.p.credit_quality;
}

void Finance::run(State& st, Ledger& ledger, const TickContext& ctx) {
  const Settings& set = ctx.set;
  const std::uint32_t n = st.slots();
  const int window = std::clamp(static_cast<int>(set.p.credit_window), 1, kMaxWindow);
  if (acct_.size() < st.next_id()) {  // the entrants' accounts, faulted in by the team
    exec::GrowthPlan plan(ctx.threads);
    plan.resize(acct_, st.next_id());
    plan.resize(profit_, std::size_t{st.next_id()} * static_cast<std::size_t>(window));
    plan.apply();
  }
  exec::select_items(
      n, ctx.threads,
      [&](std::uint32_t s) { return st.alive[s] && st.type[s] == ActorType::kBank; }, banks_,
      select_);
  const auto tick = static_cast<std::int32_t>(ctx.tick);
  const auto period =
      static_cast<std::int32_t>(std::max<std::int64_t>(1, set.p.loan_interest_period));
  const double amount = set.p.loan_amount;
  // 1. Profit of the tick: the market reward (the capital itself cannot be the measure:
  // a firm whose capital fell below 0 from >= 0 always has a negative sum). Each firm's
  // own record, so in parallel.
#pragma omp parallel for schedule(static) num_threads(ctx.threads)
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i) {
    const auto s = static_cast<std::uint32_t>(i);
    if (!st.alive[s] || !is_firm(st.type[s])) continue;
    Account& a = acct_[st.id[s]];
    profits(st.id[s], window)[a.pos] = st.reward[s];
    a.pos = static_cast<std::uint8_t>((a.pos + 1) % window);
    a.n = static_cast<std::uint8_t>(std::min(a.n + 1, window));
  }
  // 2.-3. In slot order (the banks' capital is shared), only firms with a loan or in
  // distress (found in parallel): the others have nothing to do.
  exec::select_items(
      n, ctx.threads,
      [&](std::uint32_t s) {
        return st.alive[s] && is_firm(st.type[s]) &&
               (acct_[st.id[s]].bank != kNone || (st.capital[s] < 0 && amount > 0));
      },
      busy_, select_);
  outstanding_ = 0;
  for (std::uint32_t s : busy_) {
    Account& a = acct_[st.id[s]];
    const double profit = st.reward[s];
    // 2. Interest, repayment, default.
    if (a.bank != kNone) {
      const std::uint32_t bank = st.slot_of(a.bank);
      if (tick > a.since && (tick - a.since) % period == 0) a.debt *= 1.0 + set.p.loan_interest;
      if (st.capital[s] < 0 || bank == kNone) {
        ++ctx.counters.loan_defaults;  // written off; the firm exits with capital < 0
        a.debt = 0;
        a.bank = kNone;
      } else if (profit > 0) {
        const double pay = std::min({a.debt, set.p.loan_repay_share * profit, st.capital[s]});
        ledger.transfer(st, Transfer::kLoanRepayment, s, bank, pay);
        a.debt -= pay;
        if (a.debt <= 1e-9 * amount) {
          a.debt = 0;
          a.bank = kNone;
          ++ctx.counters.loans_repaid;
        }
      }
    } else if (st.capital[s] < 0 && amount > 0) {
      // 3. A loan, or none.
      double mean = 0;
      const double* ring = profits(st.id[s], window);
      for (int k = 0; k < a.n; ++k) mean += ring[k];
      mean = a.n > 0 ? mean / a.n : 0.0;
      std::uint32_t lender = kNone;
      if (creditworthy(mean, st.quality[s], set) && st.capital[s] + amount >= 0) {
        for (std::uint32_t b : banks_) {
          if (st.capital[b] >= amount && (lender == kNone || st.capital[b] > st.capital[lender])) {
            lender = b;
          }
        }
      }
      if (lender != kNone) {
        ledger.transfer(st, Transfer::kLoan, lender, s, amount);
        a.debt = amount;
        a.bank = st.id[lender];
        a.since = tick;
        ++ctx.counters.loans_granted;
      } else {
        ++ctx.counters.loans_refused;
      }
    }
    outstanding_ += a.bank != kNone;
  }
}

}  // namespace icn::model::cluster
