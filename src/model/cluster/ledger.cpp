#include "icn/model/cluster/ledger.h"

namespace icn::model::cluster {

const char* flow_name(Transfer k) {
  switch (k) {
    case Transfer::kPurchase: return "purchase";
    case Transfer::kFixedCost: return "fixed_cost";
    case Transfer::kNetworkEndowment: return "network_endowment";
    case Transfer::kNetworkDividend: return "network_dividend";
    case Transfer::kLoan: return "loan";
    case Transfer::kLoanRepayment: return "loan_repayment";
    case Transfer::kRadicalSubsidy: return "radical_subsidy";
    case Transfer::kVentureCapital: return "venture_capital";
    case Transfer::kBlockGrant: return "block_grant";
    case Transfer::kCallFunding: return "call_funding";
    case Transfer::kIntermediaryFee: return "intermediary_fee";
    case Transfer::kCount: break;
  }
  return "?";
}

const char* flow_name(Outflow k) {
  switch (k) {
    case Outflow::kRawMaterial: return "raw_material";
    case Outflow::kPartnerUpkeep: return "partner_upkeep";
    case Outflow::kIncrementalResearch: return "incremental_research";
    case Outflow::kRadicalResearch: return "radical_research";
    case Outflow::kExitCapital: return "exit_capital";
    case Outflow::kUniversityResearch: return "university_research";
    case Outflow::kCount: break;
  }
  return "?";
}

const char* flow_name(Inflow k) {
  switch (k) {
    case Inflow::kFinalSale: return "final_sale";
    case Inflow::kOutsideInvestment: return "outside_investment";
    case Inflow::kExitWriteOff: return "exit_write_off";
    case Inflow::kCount: break;
  }
  return "?";
}

Ledger::Totals& Ledger::Totals::operator+=(const Totals& other) {
  for (std::size_t k = 0; k < kTransfers; ++k) transfer[k] += other.transfer[k];
  for (std::size_t k = 0; k < kOutflows; ++k) outflow[k] += other.outflow[k];
  for (std::size_t k = 0; k < kInflows; ++k) inflow[k] += other.inflow[k];
  return *this;
}

void Ledger::settle_exit(State& st, std::uint32_t s) {
  const double c = st.capital[s];
  if (c > 0) {
    outflow(st, Outflow::kExitCapital, s, c);
  } else if (c < 0) {
    inflow(st, Inflow::kExitWriteOff, s, -c);
  }
  st.capital[s] = 0;  // exact: removes any rounding residue of the two lines above
}

double Ledger::tick_inflow_total() const {
  ExactSum sum;
  for (const ExactSum& v : totals_.inflow) sum += v;
  return sum.value();
}

double Ledger::tick_outflow_total() const {
  ExactSum sum;
  for (const ExactSum& v : totals_.outflow) sum += v;
  return sum.value();
}

double Ledger::money_inside(const State& st, int threads) {
  const auto n = static_cast<std::int64_t>(st.slots());
  ExactSum sum;
#pragma omp parallel num_threads(threads)
  {
    ExactSum mine;
#pragma omp for schedule(static) nowait
    for (std::int64_t i = 0; i < n; ++i) {
      if (st.alive[static_cast<std::size_t>(i)]) mine.add(st.capital[static_cast<std::size_t>(i)]);
    }
#pragma omp critical(icn_money_inside)
    sum += mine;
  }
  return sum.value();
}

}  // namespace icn::model::cluster
