#pragma once
// Financial institutions (MODEL.md section 4.5): banks lend to firms in distress.
//
// Runs in the evaluation stage after learning and research and before exit, serially in
// slot order. For each live firm (SME or leading firm; network headquarters do not
// borrow), in this order:
//  1. profit of the tick = its market reward (SKIN's customers x (price - unit cost),
//     before fixed cost, upkeep and research); the last `credit_window` are kept
//     (*choice*: the change of capital cannot serve, since a firm whose capital has just
//     fallen below 0 from >= 0 always has a negative sum of capital changes);
//  2. a borrower's debt grows by `loan_interest` every `loan_interest_period` ticks after
//     the loan; a borrower with capital >= 0 repays min(debt, loan_repay_share * profit,
//     capital) of a positive profit to its bank (a transfer); one with capital < 0
//     defaults: the bank writes the debt off (no money moves) and the firm exits;
//  3. a firm without a loan and with capital < 0 applies for `loan_amount`: the credit
//     score passes when its mean profit over the kept window is > 0 or its quality >
//     `credit_quality`; the loan is granted only if it makes the firm solvent
//     (capital + amount >= 0) and a bank holds at least the amount (the richest such
//     bank lends, ties: lower id); otherwise it is refused and the firm exits.
// At most one loan per firm is outstanding; lending is limited by the banks' capital.
#include <cstdint>
#include <vector>

#include "icn/exec/buckets.h"
#include "icn/model/cluster/context.h"
#include "icn/model/cluster/ledger.h"

namespace icn::model::cluster {

class Finance {
 public:
  static constexpr int kMaxWindow = 16;

  /// The step (see above). Counts loans granted, refused, repaid and defaults in
  /// ctx.counters.
  void run(State& st, Ledger& ledger, const TickContext& ctx);

  /// Outstanding debt of the firm with id `id` (0 if none).
  double debt(std::uint32_t id) const { return id < acct_.size() ? acct_[id].debt : 0.0; }
  /// Id of the bank that lent to it (kNone if none).
  std::uint32_t lender(std::uint32_t id) const {
    return id < acct_.size() ? acct_[id].bank : kNone;
  }
  std::uint32_t loans_outstanding() const { return outstanding_; }
  /// The credit score: mean profit over the window > 0, or quality > credit_quality.
  static bool creditworthy(double mean_profit, double quality, const Settings& set);

 private:
  struct Account {
    double debt = 0;
    std::uint32_t bank = kNone;  ///< lender id
    std::int32_t since = 0;      ///< tick of the loan
    std::uint8_t n = 0;          ///< profits kept
    std::uint8_t pos = 0;        ///< next ring position
  };
  /// The ring of the last profits of actor `id`: credit_window entries (kept apart from
  /// the accounts, so that every actor ever created holds the window in use, 5 by
  /// default, rather than room for the largest).
  double* profits(std::uint32_t id, int window) {
    return profit_.data() + static_cast<std::size_t>(id) * static_cast<std::size_t>(window);
  }
  std::vector<Account> acct_;   ///< by actor id
  std::vector<double> profit_;  ///< by actor id, credit_window each
  std::vector<std::uint32_t> banks_;
  std::vector<std::uint32_t> busy_;  ///< firms with a loan or in distress, in slot order
  exec::SelectScratch select_;
  std::uint32_t outstanding_ = 0;
};

}  // namespace icn::model::cluster
