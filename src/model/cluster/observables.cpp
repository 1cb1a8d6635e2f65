#include "icn/model/cluster/observables.h"

#include <algorithm>
#include <cmath>

#include "icn/core/exact_sum.h"
#include "icn/core/grow.h"
#include "icn/exec/buckets.h"
#include "icn/exec/openmp.h"
#include "icn/exec/order_statistic.h"

namespace icn::model::cluster {

const std::vector<std::string>& observable_names() {
  static const std::vector<std::string> names = {
      "firms",
      "entries",
      "exits",
      "startups",
      "spinoffs",
      "outsiders",
      "share_selling",
      "share_trading",
      "partnerships",
      "networks",
      "network_members",
      "mean_capital",
      "median_capital",
      "total_sales",
      "total_reward",
      "knowledge_stock",
      "knowledge_diversity",
      "knowledge_flow",
      "barter_trades",
      "incremental_research",
      "radical_research",
      "herfindahl",
      "net_density",
      "net_mean_degree",
      "net_clustering",
      "net_giant_share",
      "net_components",
      "net_assortativity",
      "net_mean_path",
      "money_inside",
      "inflow",
      "outflow",
      "government_capital",
      "new_capabilities",
      "lifecycle_stage",
      "growth_rate",
      "lock_in_index",
      "lock_in",
      "shock_demand",
      "shock_labour_cost",
      "shock_currency",
      "shock_raw_materials",
      "twin_sales",
      "banks",
      "bank_capital",
      "loans_granted",
      "loans_refused",
      "loans_repaid",
      "loan_defaults",
      "loans_outstanding",
      "vc_funded",
      "vc_left",
      "radical_subsidy",
      "smes",
      "leading_firms",
      "flow_firm_to_firm",
      "flow_firm_to_hq",
      "flow_hq_to_firm",
      "flow_other",
      "universities",
      "block_grants",
      "university_research",
      "flow_university_to_firm",
      "calls_opened",
      "proposals",
      "projects_funded",
      "running_projects",
      "call_funding",
      "intermediaries",
      "brokered_searches",
      "brokered_partnerships",
  };
  return names;
}

const std::vector<std::string>& final_names() {
  static const std::vector<std::string> names = {
      "final_firms",    "total_entries",  "total_exits",    "total_startups",
      "mean_sales",     "mean_firms",     "final_networks", "final_knowledge_diversity",
      "stage_sequence", "stage_changes",  "final_stage",    "ticks_sprouting",
      "ticks_growth",   "ticks_maturity", "ticks_decline",  "ticks_renewal",
      "lock_in_ticks",  "resistance",     "recovery_time",  "recovered",
  };
  return names;
}

double normalised_entropy(std::span<const std::uint32_t> counts, int n_caps,
                          std::vector<double>& xlogx) {
  std::uint64_t total = 0;
  std::uint32_t top = 0;
  for (std::uint32_t c : counts) {
    total += c;
    top = std::max(top, c);
  }
  if (total == 0 || n_caps < 2) return 0.0;
  while (xlogx.size() <= top) {
    const auto c = static_cast<double>(xlogx.size());
    xlogx.push_back(c > 0 ? c * std::log(c) : 0.0);
  }
  double sum = 0;  // sum c ln c, in capability order
  for (std::uint32_t c : counts) sum += xlogx[c];
  const auto t = static_cast<double>(total);
  return (std::log(t) - sum / t) / std::log(static_cast<double>(n_caps));
}

const graph::Graph& Observer::build_graph(const State& st, int threads) {
  const std::uint32_t n = st.slots();
  // Vertices: the live producers, numbered in slot order.
  exec::select_items(
      n, threads, [&](std::uint32_t s) { return st.alive[s] && is_producer(st.type[s]); },
      producers_, select_);
  icn::refill(vertex_, n, kNone);
  const auto nv = static_cast<std::uint32_t>(producers_.size());
#pragma omp parallel for schedule(static) num_threads(threads)
  for (std::int64_t k = 0; k < static_cast<std::int64_t>(nv); ++k) {
    vertex_[producers_[static_cast<std::size_t>(k)]] = static_cast<std::uint32_t>(k);
  }
  // Edges: the partnerships (items below np), then each trading producer's suppliers.
  const auto np = static_cast<std::uint32_t>(st.partnerships.size());
  const auto vertex_of_id = [&](std::uint32_t id) {
    const std::uint32_t s = id == kNone ? kNone : st.slot_of(id);
    return s == kNone ? kNone : vertex_[s];
  };
  const auto edges_of = [&](std::uint32_t k, auto&& edge) {
    if (k < np) {
      const Partnership& e = st.partnerships[k];
      const std::uint32_t a = vertex_of_id(e.a), b = vertex_of_id(e.b);
      if (a != kNone && b != kNone) edge(a, b);
      return;
    }
    const std::uint32_t s = k - np;
    if (vertex_[s] == kNone || !st.trading[s]) return;
    for (std::uint32_t sup : st.suppliers[s]) {
      const std::uint32_t t = vertex_of_id(sup);
      if (t != kNone) edge(vertex_[s], t);
    }
  };
  if (threads > 1) {
    graph_.assign_from(nv, np + n, edges_of, threads);
    return graph_;
  }
  // One thread: an edge list and the leaner in-place build (the same graph).
  edges_.clear();
  for (std::uint32_t k = 0; k < np + n; ++k) {
    edges_of(k, [&](std::uint32_t u, std::uint32_t v) { edges_.emplace_back(u, v); });
  }
  graph_.assign(nv, edges_);
  return graph_;
}

// How many firms know each capability. Integer counts add up the same in any order, so
// each thread counts a share of the firms and the shares are summed.
void Observer::count_capabilities(const State& st, int n_caps, int threads) {
  const auto width = static_cast<std::size_t>(n_caps) + 1;
  const auto n = static_cast<std::int64_t>(st.slots());
  const auto teams = static_cast<std::size_t>(std::max(1, threads));
  if (cap_share_.size() < teams) cap_share_.resize(teams);
  for (auto& share : cap_share_) share.clear();  // a thread the team does not get adds nothing
  cap_count_.assign(width, 0);
#pragma omp parallel num_threads(threads)
  {
    std::vector<std::uint32_t>& mine = cap_share_[static_cast<std::size_t>(exec::thread_id())];
    mine.assign(width, 0);
#pragma omp for schedule(static)
    for (std::int64_t i = 0; i < n; ++i) {
      const auto s = static_cast<std::uint32_t>(i);
      if (!st.alive[s] || !is_firm(st.type[s])) continue;
      for (const Triple& tr : st.kene(s)) ++mine[tr.cap];
    }
  }
  for (const std::vector<std::uint32_t>& share : cap_share_) {
    for (std::size_t c = 0; c < share.size(); ++c) cap_count_[c] += share[c];
  }
}

namespace {

// The per-actor sums of the observables: integer counts and exact sums (core/exact_sum.h),
// so that each thread tallies a share of the slots and the shares merge, in any order,
// into the same totals.
struct Tally {
  std::uint32_t firms = 0, selling = 0, trading = 0, networks = 0, members = 0;
  std::uint32_t banks = 0, smes = 0, universities = 0, intermediaries = 0;
  std::uint64_t kene = 0;
  ExactSum capital, sales, reward, gov, bank_capital;

  void add(const State& st, std::uint32_t s) {
    const ActorType t = st.type[s];
    if (t == ActorType::kGovernment) gov.add(st.capital[s]);
    universities += t == ActorType::kUniversity;
    intermediaries += t == ActorType::kIntermediary;
    if (t == ActorType::kBank) {
      ++banks;
      bank_capital.add(st.capital[s]);
    }
    networks += t == ActorType::kHeadquarters;
    if (is_producer(t)) {
      sales.add(st.revenue[s]);
      reward.add(st.reward[s]);
    }
    if (!is_firm(t)) return;
    ++firms;
    smes += t == ActorType::kSme;
    selling += st.selling[s];
    trading += st.trading[s];
    members += st.network[s] != kNone;
    capital.add(st.capital[s]);
    kene += st.kene_len[s];
  }
  Tally& operator+=(const Tally& o) {
    firms += o.firms, selling += o.selling, trading += o.trading, networks += o.networks;
    members += o.members, banks += o.banks, smes += o.smes, universities += o.universities;
    intermediaries += o.intermediaries, kene += o.kene;
    capital += o.capital, sales += o.sales, reward += o.reward, gov += o.gov;
    bank_capital += o.bank_capital;
    return *this;
  }
};

}  // namespace

void Observer::compute(const State& st, const Ledger& ledger, const TickContext& ctx,
                       bool metrics_due, std::span<double> out) {
  const TickCounters& c = ctx.counters;
  const std::uint32_t n = st.slots();
  const int n_caps = ctx.set.caps.n_capabilities();
  Tally all;
#pragma omp parallel num_threads(ctx.threads)
  {
    Tally mine;
#pragma omp for schedule(static) nowait
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i) {
      if (st.alive[static_cast<std::size_t>(i)]) mine.add(st, static_cast<std::uint32_t>(i));
    }
#pragma omp critical(icn_observer_tally)
    all += mine;
  }
  const std::uint32_t firms = all.firms;
  const double sales = all.sales.value();
  count_capabilities(st, n_caps, ctx.threads);
  // The firms' capitals, for the median (its value does not depend on their order).
  exec::select_items(
      n, ctx.threads, [&](std::uint32_t s) { return st.alive[s] && is_firm(st.type[s]); },
      firm_slots_, select_);
  values_.resize(firm_slots_.size());
#pragma omp parallel for schedule(static) num_threads(ctx.threads)
  for (std::int64_t k = 0; k < static_cast<std::int64_t>(values_.size()); ++k) {
    values_[static_cast<std::size_t>(k)] = st.capital[firm_slots_[static_cast<std::size_t>(k)]];
  }
  ExactSum squares;  // of the market shares
  if (sales > 0) {
#pragma omp parallel num_threads(ctx.threads)
    {
      ExactSum mine;
#pragma omp for schedule(static) nowait
      for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i) {
        const auto s = static_cast<std::uint32_t>(i);
        if (st.alive[s] && is_producer(st.type[s]) && st.revenue[s] > 0) {
          const double share = st.revenue[s] / sales;
          mine.add(share * share);
        }
      }
#pragma omp critical(icn_observer_tally)
      squares += mine;
    }
  }
  const double herfindahl = squares.value();
  const double median = values_.empty() ? 0.0 : exec::median(values_, ctx.threads, nth_);
  if (metrics_due) {
    build_graph(st, ctx.threads);
    rng::Stream rs = ctx.stream(rng::Stage::kEvaluation, kMetricsActor);
    graph::MetricsOptions opt;
    opt.bfs_sources = static_cast<std::uint32_t>(ctx.set.p.bfs_sources);
    opt.threads = ctx.threads;
    metrics_ = graph::compute_metrics(graph_, opt, rs, work_);
  }
  const double nf = firms > 0 ? static_cast<double>(firms) : 1.0;
  const auto put = [&](Obs k, double v) { out[static_cast<std::size_t>(k)] = v; };
  put(Obs::kFirms, firms);
  put(Obs::kEntries, c.entries);
  put(Obs::kExits, c.exits);
  put(Obs::kStartups, c.startups);
  put(Obs::kSpinoffs, c.spinoffs);
  put(Obs::kOutsiders, c.outsiders);
  put(Obs::kShareSelling, all.selling / nf);
  put(Obs::kShareTrading, all.trading / nf);
  put(Obs::kPartnerships, static_cast<double>(st.partnerships.size()));
  put(Obs::kNetworks, all.networks);
  put(Obs::kNetworkMembers, all.members);
  put(Obs::kMeanCapital, all.capital.value() / nf);
  put(Obs::kMedianCapital, median);
  put(Obs::kTotalSales, sales);
  put(Obs::kTotalReward, all.reward.value());
  put(Obs::kKnowledgeStock, static_cast<double>(all.kene) / nf);
  put(Obs::kKnowledgeDiversity, normalised_entropy(cap_count_, n_caps, xlogx_));
  put(Obs::kKnowledgeFlow, static_cast<double>(c.knowledge_flow()));
  put(Obs::kBarterTrades, c.barter_trades);
  put(Obs::kIncrementalResearch, c.incremental);
  put(Obs::kRadicalResearch, c.radical);
  put(Obs::kHerfindahl, herfindahl);
  put(Obs::kNetDensity, metrics_.density);
  put(Obs::kNetMeanDegree, metrics_.mean_degree);
  put(Obs::kNetClustering, metrics_.clustering);
  put(Obs::kNetGiantShare, metrics_.giant_share);
  put(Obs::kNetComponents, metrics_.components);
  put(Obs::kNetAssortativity, metrics_.assortativity);
  put(Obs::kNetMeanPath, metrics_.mean_path);
  put(Obs::kMoneyInside, Ledger::money_inside(st, ctx.threads));
  put(Obs::kInflow, ledger.tick_inflow_total());
  put(Obs::kOutflow, ledger.tick_outflow_total());
  put(Obs::kGovernmentCapital, all.gov.value());
  // Capabilities known to some firm now and to none at the last computation (novelty).
  std::uint32_t fresh_caps = 0;
  const bool first = cap_present_.empty();
  cap_present_.resize(cap_count_.size(), 0);
  for (std::size_t cap = 1; cap < cap_count_.size(); ++cap) {
    const std::uint8_t now = cap_count_[cap] > 0;
    fresh_caps += now && !cap_present_[cap] && !first;
    cap_present_[cap] = now;
  }
  put(Obs::kNewCapabilities, fresh_caps);
  put(Obs::kBanks, all.banks);
  put(Obs::kBankCapital, all.bank_capital.value());
  put(Obs::kLoansGranted, c.loans_granted);
  put(Obs::kLoansRefused, c.loans_refused);
  put(Obs::kLoansRepaid, c.loans_repaid);
  put(Obs::kLoanDefaults, c.loan_defaults);
  put(Obs::kVcFunded, c.vc_funded);
  put(Obs::kRadicalSubsidy, ledger.tick_transfer(Transfer::kRadicalSubsidy));
  put(Obs::kSmes, all.smes);
  put(Obs::kLeadingFirms, firms - all.smes);
  // Flows by type: firms are SMEs and leading firms together.
  std::uint64_t ff = 0, fh = 0, hf = 0, uf = 0;
  const auto hq = static_cast<std::size_t>(ActorType::kHeadquarters);
  for (auto a : {ActorType::kSme, ActorType::kLeading}) {
    const auto i = static_cast<std::size_t>(a);
    for (auto b : {ActorType::kSme, ActorType::kLeading})
      ff += c.flow[i][static_cast<std::size_t>(b)];
    fh += c.flow[i][hq];
    hf += c.flow[hq][i];
    uf += c.flow[static_cast<std::size_t>(ActorType::kUniversity)][i];
  }
  put(Obs::kFlowFirmToFirm, static_cast<double>(ff));
  put(Obs::kFlowFirmToHq, static_cast<double>(fh));
  put(Obs::kFlowHqToFirm, static_cast<double>(hf));
  put(Obs::kFlowOther, static_cast<double>(c.knowledge_flow() - ff - fh - hf - uf));
  put(Obs::kUniversities, all.universities);
  put(Obs::kBlockGrants, ledger.tick_transfer(Transfer::kBlockGrant));
  put(Obs::kUniversityResearch, c.university_research);
  put(Obs::kFlowUniversityToFirm, static_cast<double>(uf));
  put(Obs::kCallsOpened, c.calls_opened);
  put(Obs::kProposals, c.proposals);
  put(Obs::kProjectsFunded, c.projects_funded);
  put(Obs::kCallFunding, ledger.tick_transfer(Transfer::kCallFunding));
  put(Obs::kIntermediaries, all.intermediaries);
  put(Obs::kBrokeredSearches, c.brokered_searches);
  put(Obs::kBrokeredPartnerships, c.brokered_partnerships);
}

}  // namespace icn::model::cluster
