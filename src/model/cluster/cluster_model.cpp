#include "icn/model/cluster/cluster_model.h"

#include <algorithm>

#include "icn/exec/owned_parts.h"
#include "icn/model/cluster/kene.h"

namespace icn::model::cluster {

ClusterModel::ClusterModel(const ClusterParams& params, rng::Key key, const ExecOptions& exec)
    : set_(make_settings(params)),
      key_(key),
      threads_(std::max(1, exec.threads)),
      st_(static_cast<std::uint32_t>(params.geo_tie_max),
          static_cast<std::uint32_t>(params.partner_memory)),
      obs_(static_cast<std::size_t>(Obs::kCount), 0.0) {
  const ClusterParams& p = set_.p;
  lifecycle_ =
      Lifecycle(LifecycleParams{static_cast<int>(p.lifecycle_window), p.lifecycle_epsilon,
                                static_cast<int>(p.lifecycle_confirm), p.lifecycle_sprout_share,
                                p.lifecycle_sprout_giant, p.lifecycle_ref_firms});
  set_.export_key = key_;
  tick_set_ = set_;
  if (p.resilience) {
    ClusterParams calm = p;
    calm.shocks.clear();
    calm.resilience = false;
    twin_ = std::make_unique<ClusterModel>(calm, key, exec);
    if (!set_.shocks.empty()) {
      onset_ = set_.shocks.front().onset;
      for (const Shock& sh : set_.shocks) onset_ = std::min(onset_, sh.onset);
    }
  }
  cooperation_.set_intermediaries(&intermediaries_);
  sharing_.set_intermediaries(&intermediaries_);
  populate();
  apply_shocks();
  compute_observables();
}

TickContext ClusterModel::context() {
  const int team = st_.live_count() >= parallel_grain_ ? threads_ : 1;
  return TickContext{tick_set_, key_, tick_, team, st_.slot_of(government_id_), counters_};
}

void ClusterModel::apply_shocks() {
  const ShockEffect e = shock_effect(set_.shocks, tick_);
  tick_set_.p.final_price = set_.p.final_price * e.final_price;
  tick_set_.p.demand_cap = shocked_demand_cap(set_.p.demand_cap, e.final_price);
  tick_set_.p.fixed_cost = set_.p.fixed_cost * e.fixed_cost;
  tick_set_.p.raw_cost = set_.p.raw_cost * e.raw_cost;
  tick_set_.export_factor = e.export_factor;
  const auto put = [&](Obs k, double v) { obs_[static_cast<std::size_t>(k)] = v; };
  put(Obs::kShockDemand, 1.0 - e.final_price);
  put(Obs::kShockLabourCost, e.fixed_cost - 1.0);
  put(Obs::kShockCurrency, 1.0 / e.export_factor - 1.0);
  put(Obs::kShockRawMaterials, e.raw_cost - 1.0);
}

void ClusterModel::track_resilience() {
  const double base = twin_->obs_[static_cast<std::size_t>(Obs::kTotalSales)];
  const double mine = obs_[static_cast<std::size_t>(Obs::kTotalSales)];
  obs_[static_cast<std::size_t>(Obs::kTwinSales)] = base;
  if (static_cast<std::int64_t>(tick_) < onset_ || tick_ == 0) return;
  if (base > 0) worst_drop_ = std::max(worst_drop_, (base - mine) / base);
  const bool below = mine < (1.0 - set_.p.recovery_band) * base;
  if (below && first_below_ < 0) first_below_ = tick_;
  if (!below && first_below_ >= 0 && recovered_at_ < 0) recovered_at_ = tick_;
}

void ClusterModel::populate() {
  const ClusterParams& p = set_.p;
  const auto n_firms = static_cast<std::uint32_t>(p.n_sme + p.n_leading);
  std::vector<double> centres(static_cast<std::size_t>(2 * p.n_subclusters));
  rng::Stream cs(key_, 0, rng::Stage::kInit, kClusterActor);
  for (double& v : centres) v = rng::uniform(cs);
  // Room for the initial firms and a quarter more (entrants), so that neither building
  // the population nor its first growth reallocates every column.
  const std::uint64_t triples = static_cast<std::uint64_t>(p.n_sme) * p.kene_capacity_sme +
                                static_cast<std::uint64_t>(p.n_leading) * p.kene_capacity_leading;
  st_.reserve(n_firms + n_firms / 4 + 1, triples + triples / 4);
  for (std::uint32_t i = 0; i < n_firms; ++i) {
    const bool leading = i >= static_cast<std::uint32_t>(p.n_sme);
    st_.add_actor(
        leading ? ActorType::kLeading : ActorType::kSme, 0, 0,
        p.initial_capital * (leading ? p.leading_capital_factor : 1.0),
        static_cast<std::uint32_t>(leading ? p.kene_capacity_leading : p.kene_capacity_sme));
  }
  government_id_ = st_.id[st_.add_actor(ActorType::kGovernment, 0.5, 0.5, p.government_capital, 0)];
  // Banks: uniform locations (they have no ties; location is for snapshots).
  for (std::int64_t b = 0; b < p.n_banks; ++b) {
    const std::uint32_t s = st_.add_actor(ActorType::kBank, 0, 0, p.bank_capital, 0);
    rng::Stream rs(key_, 0, rng::Stage::kInit, st_.id[s]);
    st_.x[s] = rng::uniform(rs);
    st_.y[s] = rng::uniform(rs);
  }
  const int team = n_firms >= parallel_grain_ ? threads_ : 1;
  // Each firm's draws come from its own stream, so the loop is parallel.
  exec::for_owned_slots(
      n_firms, team,
      [&](std::uint32_t s) {
        rng::Stream rs(key_, 0, rng::Stage::kInit, st_.id[s]);
        const int blob = draw_firm_location(centres, set_, rs, st_.x[s], st_.y[s]);
        const int home =
            blob >= 0
                ? blob
                : static_cast<int>(rng::below(rs, static_cast<std::uint32_t>(p.n_subclusters)));
        st_.theme[s] = static_cast<std::uint8_t>(home % set_.caps.n_themes);
        const int rare = st_.type[s] == ActorType::kSme ? static_cast<int>(p.rare_per_sme) : 0;
        fill_initial_kene(st_, s, st_.theme[s], rare, st_.theme[s], set_, rs);
        draw_ih(st_, s, set_, rs);
        manufacture(st_, s, set_);
        st_.price[s] = initial_price(st_.product[s], set_, rs);
      },
      64);
  // Universities: uniform locations, a blob theme each.
  for (std::int64_t u = 0; u < p.n_universities; ++u) {
    const std::uint32_t s = st_.add_actor(ActorType::kUniversity, 0, 0, p.university_capital,
                                          static_cast<std::uint32_t>(p.kene_capacity_university));
    rng::Stream rs(key_, 0, rng::Stage::kInit, st_.id[s]);
    st_.x[s] = rng::uniform(rs);
    st_.y[s] = rng::uniform(rs);
    const auto theme =
        static_cast<int>(rng::below(rs, static_cast<std::uint32_t>(p.n_subclusters)) %
                         static_cast<std::uint32_t>(set_.caps.n_themes));
    st_.theme[s] = static_cast<std::uint8_t>(theme);
    fill_initial_kene(st_, s, theme, static_cast<int>(p.university_rare), theme, set_, rs);
    draw_ih(st_, s, set_, rs);
  }
  // Intermediaries: uniform locations.
  for (std::int64_t b = 0; b < p.n_intermediaries; ++b) {
    const std::uint32_t s = st_.add_actor(ActorType::kIntermediary, 0, 0, 0, 0);
    rng::Stream rs(key_, 0, rng::Stage::kInit, st_.id[s]);
    st_.x[s] = rng::uniform(rs);
    st_.y[s] = rng::uniform(rs);
  }
  // The firms within reach of each university's broadcast and each intermediary's
  // registry, kept by the grid from tick to tick (the actors never move; space.h).
  for (std::uint32_t s = 0; s < st_.slots(); ++s) {
    if (st_.type[s] == ActorType::kUniversity) grid_.track(st_.id[s], set_.info_radius);
    if (st_.type[s] == ActorType::kIntermediary) grid_.track(st_.id[s], set_.service_radius);
  }
  include_.assign(st_.slots(), 0);
  for (std::uint32_t s = 0; s < st_.slots(); ++s) include_[s] = is_firm(st_.type[s]);
  grid_.build(st_, std::max(set_.info_radius, 1e-3), include_, team);
  build_initial_geo_ties(st_, grid_, include_, set_, key_, team);
}

void ClusterModel::step() {
  begin_tick();
  for (TickStage stage : kTickStages) run_stage(stage);
}

void ClusterModel::begin_tick() {
  ++tick_;
  if (twin_) twin_->step();
  apply_shocks();
  ledger_.begin_tick();
  counters_ = TickCounters{};
  st_.build_customer_lists(context().threads);  // slots may have moved in the compaction
}

void ClusterModel::run_stage(TickStage stage) {
  // Slots move only in the compaction at the end of the evaluation, so every stage before
  // it sees the same government slot; the thread team may differ between stages (start-up
  // HQs join in the sharing stage), which results never depend on.
  const TickContext ctx = context();
  switch (stage) {
    case TickStage::kExchange: exchange_.run(st_, ctx); break;
    case TickStage::kCompetition: market_.run(st_, ledger_, ctx); include_.resize(st_.slots());
#pragma omp parallel for schedule(static) num_threads(ctx.threads)
      for (std::int64_t s = 0; s < static_cast<std::int64_t>(st_.slots()); ++s)
        include_[s] = st_.alive[s] && is_firm(st_.type[s]);
      grid_.build(st_, std::max(set_.info_radius, 1e-3), include_, ctx.threads);
      break;
    case TickStage::kCooperation:
      cooperation_.run(st_, ledger_, ctx, grid_);
      calls_.run(st_, ledger_, ctx);  // calls, proposals, funded projects (4.3)
      break;
    case TickStage::kSharing:
      sharing_.run(st_, ledger_, ctx);
      universities_.run(st_, ledger_, ctx, grid_);  // block grants, research, broadcast (4.4)
      break;
    case TickStage::kEvaluation:
      evaluation_.learn_and_research(st_, ledger_, ctx);
      finance_.run(st_, ledger_, ctx);  // loans before exit (4.5)
      evaluation_.settle(st_, ledger_, ctx, grid_);
      break;
    case TickStage::kObservables:
      compute_observables();
      sum_sales_ += obs_[static_cast<std::size_t>(Obs::kTotalSales)];
      sum_firms_ += obs_[static_cast<std::size_t>(Obs::kFirms)];
      total_entries_ += counters_.entries;
      total_exits_ += counters_.exits;
      total_startups_ += counters_.startups;
      break;
  }
}

void ClusterModel::compute_observables() {
  const TickContext ctx = context();
  const bool due = tick_ % static_cast<std::uint32_t>(set_.p.metrics_every) == 0;
  observer_.compute(st_, ledger_, ctx, due, obs_);
  const auto at = [&](Obs k) { return obs_[static_cast<std::size_t>(k)]; };
  lifecycle_.observe({at(Obs::kFirms), at(Obs::kNetGiantShare), at(Obs::kNetClustering),
                      at(Obs::kKnowledgeDiversity),
                      at(Obs::kNewCapabilities) + at(Obs::kRadicalResearch)});
  obs_[static_cast<std::size_t>(Obs::kLifecycleStage)] = static_cast<double>(lifecycle_.stage());
  obs_[static_cast<std::size_t>(Obs::kGrowthRate)] = lifecycle_.growth();
  obs_[static_cast<std::size_t>(Obs::kLockInIndex)] = lifecycle_.lock_in_index();
  obs_[static_cast<std::size_t>(Obs::kLockIn)] = lifecycle_.lock_in() ? 1.0 : 0.0;
  obs_[static_cast<std::size_t>(Obs::kLoansOutstanding)] = finance_.loans_outstanding();
  obs_[static_cast<std::size_t>(Obs::kRunningProjects)] =
      static_cast<double>(calls_.projects().size());
  obs_[static_cast<std::size_t>(Obs::kVcLeft)] =
      tick_ == 0 || !set_.p.entry ? set_.p.vc_pool : evaluation_.vc_left();
  if (twin_) track_resilience();
}

void ClusterModel::observe(std::span<double> out) const {
  std::copy(obs_.begin(), obs_.end(), out.begin());
}

void ClusterModel::summarize(std::span<double> out) const {
  const double ticks = tick_ > 0 ? static_cast<double>(tick_) : 1.0;
  const auto put = [&](Final k, double v) { out[static_cast<std::size_t>(k)] = v; };
  put(Final::kFinalFirms, obs_[static_cast<std::size_t>(Obs::kFirms)]);
  put(Final::kTotalEntries, static_cast<double>(total_entries_));
  put(Final::kTotalExits, static_cast<double>(total_exits_));
  put(Final::kTotalStartups, static_cast<double>(total_startups_));
  put(Final::kMeanSales, sum_sales_ / ticks);
  put(Final::kMeanFirms,
      tick_ > 0 ? sum_firms_ / ticks : obs_[static_cast<std::size_t>(Obs::kFirms)]);
  put(Final::kFinalNetworks, obs_[static_cast<std::size_t>(Obs::kNetworks)]);
  put(Final::kFinalDiversity, obs_[static_cast<std::size_t>(Obs::kKnowledgeDiversity)]);
  const auto& seq = lifecycle_.sequence();
  put(Final::kStageSequence, lifecycle_.sequence_code());
  put(Final::kStageChanges, seq.empty() ? 0.0 : static_cast<double>(seq.size() - 1));
  put(Final::kFinalStage, static_cast<double>(lifecycle_.stage()));
  const auto& in = lifecycle_.ticks_in();
  put(Final::kTicksSprouting, static_cast<double>(in[0]));
  put(Final::kTicksGrowth, static_cast<double>(in[1]));
  put(Final::kTicksMaturity, static_cast<double>(in[2]));
  put(Final::kTicksDecline, static_cast<double>(in[3]));
  put(Final::kTicksRenewal, static_cast<double>(in[4]));
  put(Final::kLockInTicks, static_cast<double>(lifecycle_.lock_in_ticks()));
  // Resilience: 0 when the option is off or sales never fell out of the band.
  double recovery = 0, recovered = twin_ ? 1.0 : 0.0;
  if (twin_ && first_below_ >= 0) {
    if (recovered_at_ >= 0) {
      recovery = static_cast<double>(recovered_at_ - onset_);
    } else {
      recovery = static_cast<double>(static_cast<std::int64_t>(tick_) - onset_ + 1);
      recovered = 0;
    }
  }
  put(Final::kResistance, twin_ ? worst_drop_ : 0.0);
  put(Final::kRecoveryTime, recovery);
  put(Final::kRecovered, recovered);
}

bool ClusterModel::snapshot(Snapshot& out) const {
  for (std::uint32_t s = 0; s < st_.slots(); ++s) {
    if (!st_.alive[s]) continue;
    out.ids.push_back(st_.id[s]);
    out.types.push_back(static_cast<std::int32_t>(st_.type[s]));
    out.x.push_back(st_.x[s]);
    out.y.push_back(st_.y[s]);
    out.capital.push_back(st_.capital[s]);
  }
  const auto edge = [&](std::uint32_t a, std::uint32_t b, EdgeKind k) {
    out.src.push_back(a);
    out.dst.push_back(b);
    out.edge_kind.push_back(static_cast<std::int32_t>(k));
  };
  for (std::uint32_t s = 0; s < st_.slots(); ++s) {
    if (!st_.alive[s]) continue;
    for (std::uint32_t v : st_.geo(s)) {
      if (st_.id[s] < v) edge(st_.id[s], v, EdgeKind::kGeographic);
    }
    if (!st_.trading[s]) continue;
    for (std::uint32_t v : st_.suppliers[s]) {
      if (v != kNone && st_.is_alive_id(v)) edge(st_.id[s], v, EdgeKind::kBusiness);
    }
  }
  for (const Partnership& e : st_.partnerships) edge(e.a, e.b, EdgeKind::kPartnership);
  return true;
}

ModelInfo cluster_info() {
  ModelInfo info;
  info.name = "cluster";
  info.description =
      "industrial-cluster innovation network: SMEs and leading firms barter, trade, partner, "
      "share and learn (MODEL.md)";
  info.schema = &cluster_param_table().schema();
  info.observables = observable_names();
  info.finals = final_names();
  info.make = [](const ParamValues& v, const rng::Key& key, const ExecOptions& exec) {
    return std::make_unique<ClusterModel>(cluster_param_table().from_values(v), key, exec);
  };
  info.cost = [](const ParamValues& v) {
    const ClusterParams p = cluster_param_table().from_values(v);
    return 1.0 + static_cast<double>(p.n_sme + p.n_leading) / 500.0;
  };
  return info;
}

}  // namespace icn::model::cluster
