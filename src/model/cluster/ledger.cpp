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

void Ledger::begin_tick() {
  tick_transfer_.fill(0);
  tick_outflow_.fill(0);
  tick_inflow_.fill(0);
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
  double sum = 0;
  for (double v : tick_inflow_) sum += v;
  return sum;
}

double Ledger::tick_outflow_total() const {
  double sum = 0;
  for (double v : tick_outflow_) sum += v;
  return sum;
}

double Ledger::money_inside(const State& st) {
  double sum = 0;
  for (std::uint32_t s = 0; s < st.slots(); ++s) {
    if (st.alive[s]) sum += st.capital[s];
  }
  return sum;
}

}  // namespace icn::model::cluster
