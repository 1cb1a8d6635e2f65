#pragma once
// The money ledger (MODEL.md section 4). Every payment is one of three things:
//  - a transfer between two actors inside the cluster (a named recipient),
//  - an outflow: a cost with no recipient inside the cluster (it leaves),
//  - an inflow: money from outside (final consumers, outside investors).
// Capital changes only through the ledger, so that per tick
//     money inside(t) - money inside(t-1) = inflows(t) - outflows(t)
// holds up to floating-point rounding. The totals are exact sums (core/exact_sum.h), so
// they do not depend on the order of the payments: a stage may post from its threads'
// own Totals and merge them in any order, and the totals are the same on every team.
#include <array>
#include <cstdint>

#include "icn/core/exact_sum.h"

#include "icn/model/cluster/state.h"

namespace icn::model::cluster {

/// Payments between actors. Later layers add fees, grants, loans and interest.
enum class Transfer : std::uint8_t {
  kPurchase,          ///< customer -> supplier, the supplier's price
  kFixedCost,         ///< firm -> government
  kNetworkEndowment,  ///< members -> new network headquarters
  kNetworkDividend,   ///< headquarters -> members (profit above initial capital)
  kLoan,              ///< bank -> firm in distress
  kLoanRepayment,     ///< borrower -> its bank (principal and interest)
  kRadicalSubsidy,    ///< government -> firm doing radical research
  kVentureCapital,    ///< bank (the venture-capital pool) -> start-up
  kBlockGrant,        ///< government -> university
  kCallFunding,       ///< government -> members of a funded project
  kIntermediaryFee,   ///< searching firm -> intermediary
  kCount,
};
/// Costs that leave the cluster.
enum class Outflow : std::uint8_t {
  kRawMaterial,
  kPartnerUpkeep,
  kIncrementalResearch,
  kRadicalResearch,
  kExitCapital,         ///< positive capital of an exiting actor leaves with it
  kUniversityResearch,  ///< a university's radical research
  kCount,
};
/// Money that enters the cluster.
enum class Inflow : std::uint8_t {
  kFinalSale,          ///< final consumers buy end-user products
  kOutsideInvestment,  ///< outside investors fund a new firm's initial capital
  kExitWriteOff,       ///< the debt (negative capital) of an exiting actor is written off
  kCount,
};

const char* flow_name(Transfer k);
const char* flow_name(Outflow k);
const char* flow_name(Inflow k);

class Ledger {
 public:
  static constexpr std::size_t kTransfers = static_cast<std::size_t>(Transfer::kCount);
  static constexpr std::size_t kOutflows = static_cast<std::size_t>(Outflow::kCount);
  static constexpr std::size_t kInflows = static_cast<std::size_t>(Inflow::kCount);

  /// The tick's totals by kind. A parallel loop gives each thread its own, changes the
  /// capitals itself (each actor's in the serial order) and merges them afterwards.
  struct Totals {
    std::array<ExactSum, kTransfers> transfer{};
    std::array<ExactSum, kOutflows> outflow{};
    std::array<ExactSum, kInflows> inflow{};
    void post(Transfer k, double amount) { transfer[static_cast<std::size_t>(k)].add(amount); }
    /// `amount` posted `times` times (exactly as that many posts).
    void post(Transfer k, double amount, std::uint64_t times) {
      transfer[static_cast<std::size_t>(k)].add(amount, times);
    }
    void post(Outflow k, double amount) { outflow[static_cast<std::size_t>(k)].add(amount); }
    void post(Inflow k, double amount) { inflow[static_cast<std::size_t>(k)].add(amount); }
    Totals& operator+=(const Totals& other);
  };

  /// Zeroes the per-tick totals.
  void begin_tick() { totals_ = Totals{}; }

  void transfer(State& st, Transfer k, std::uint32_t from, std::uint32_t to, double amount) {
    transfer(st, totals_, k, from, to, amount);
  }
  /// The same transfer posted to a thread's own totals (merged afterwards).
  static void transfer(State& st, Totals& totals, Transfer k, std::uint32_t from, std::uint32_t to,
                       double amount) {
    st.capital[from] -= amount;
    st.capital[to] += amount;
    totals.post(k, amount);
  }
  void outflow(State& st, Outflow k, std::uint32_t payer, double amount) {
    st.capital[payer] -= amount;
    totals_.post(k, amount);
  }
  void inflow(State& st, Inflow k, std::uint32_t payee, double amount) {
    st.capital[payee] += amount;
    totals_.post(k, amount);
  }
  /// Adds to the tick's totals only, for a stage that changes the capitals itself.
  void post(Transfer k, double amount) { totals_.post(k, amount); }
  void post(Transfer k, double amount, std::uint64_t times) { totals_.post(k, amount, times); }
  /// Adds a thread's totals (in any order: the sums are exact).
  void merge(const Totals& t) { totals_ += t; }
  /// Settles an actor that leaves: its capital goes out (or its debt is written off).
  void settle_exit(State& st, std::uint32_t s);

  double tick_transfer(Transfer k) const {
    return totals_.transfer[static_cast<std::size_t>(k)].value();
  }
  double tick_outflow(Outflow k) const {
    return totals_.outflow[static_cast<std::size_t>(k)].value();
  }
  double tick_inflow(Inflow k) const { return totals_.inflow[static_cast<std::size_t>(k)].value(); }
  /// Sum over kinds (exact, rounded once).
  double tick_inflow_total() const;
  double tick_outflow_total() const;

  /// Money held by the live actors (an exact sum: the same on any team).
  static double money_inside(const State& st, int threads = 1);

 private:
  Totals totals_;
};

}  // namespace icn::model::cluster
