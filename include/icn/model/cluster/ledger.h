#pragma once
// The money ledger (MODEL.md section 4). Every payment is one of three things:
//  - a transfer between two actors inside the cluster (a named recipient),
//  - an outflow: a cost with no recipient inside the cluster (it leaves),
//  - an inflow: money from outside (final consumers, outside investors).
// Capital changes only through the ledger, so that per tick
//     money inside(t) - money inside(t-1) = inflows(t) - outflows(t)
// holds up to floating-point rounding. Posting is serial, in a fixed order, so the
// totals are bit-identical for any number of threads.
#include <array>
#include <cstdint>

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

  /// Zeroes the per-tick totals.
  void begin_tick();

  void transfer(State& st, Transfer k, std::uint32_t from, std::uint32_t to, double amount) {
    st.capital[from] -= amount;
    st.capital[to] += amount;
    tick_transfer_[static_cast<std::size_t>(k)] += amount;
  }
  void outflow(State& st, Outflow k, std::uint32_t payer, double amount) {
    st.capital[payer] -= amount;
    tick_outflow_[static_cast<std::size_t>(k)] += amount;
  }
  void inflow(State& st, Inflow k, std::uint32_t payee, double amount) {
    st.capital[payee] += amount;
    tick_inflow_[static_cast<std::size_t>(k)] += amount;
  }
  /// Adds to the tick's totals only, for a stage that changes the capitals itself (in
  /// parallel, each actor's in the serial order) and posts the totals in that order.
  void post(Transfer k, double amount) { tick_transfer_[static_cast<std::size_t>(k)] += amount; }
  void post(Outflow k, double amount) { tick_outflow_[static_cast<std::size_t>(k)] += amount; }
  /// Settles an actor that leaves: its capital goes out (or its debt is written off).
  void settle_exit(State& st, std::uint32_t s);

  double tick_transfer(Transfer k) const { return tick_transfer_[static_cast<std::size_t>(k)]; }
  double tick_outflow(Outflow k) const { return tick_outflow_[static_cast<std::size_t>(k)]; }
  double tick_inflow(Inflow k) const { return tick_inflow_[static_cast<std::size_t>(k)]; }
  /// Sum over kinds, in kind order.
  double tick_inflow_total() const;
  double tick_outflow_total() const;

  /// Money held by the live actors, summed in slot order.
  static double money_inside(const State& st);

 private:
  std::array<double, kTransfers> tick_transfer_{};
  std::array<double, kOutflows> tick_outflow_{};
  std::array<double, kInflows> tick_inflow_{};
};

}  // namespace icn::model::cluster
