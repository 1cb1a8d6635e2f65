#include "icn/model/cluster/params.h"

#include <cmath>
#include <string>

namespace icn::model::cluster {

const ParamTable<ClusterParams>& cluster_param_table() {
  using P = ClusterParams;
  static const ParamTable<P> table(
      "model",
      {
          {"n_sme", &P::n_sme, 0, 1e7, "actors", "SMEs at start"},
          {"n_leading", &P::n_leading, 0, 1e6, "actors",
           "leading firms at start (capital and kene capacity larger)"},
          {"n_subclusters", &P::n_subclusters, 1, 1000, "",
           "Gaussian blobs of firm locations; blob b has theme b mod n_themes"},
          {"blob_sd", &P::blob_sd, 0, 1, "torus units", "sd of each blob (not density-scaled)"},
          {"uniform_share", &P::uniform_share, 0, 1, "",
           "share of firms placed uniformly instead of in a blob"},
          {"geo_tie_prob", &P::geo_tie_prob, 0, 1, "", "geographic tie probability at distance 0"},
          {"geo_tie_d0", &P::geo_tie_d0, 1e-6, 1, "torus units",
           "decay length d0 of geographic ties (density-scaled)"},
          {"geo_tie_max", &P::geo_tie_max, 0, 64, "ties", "most geographic ties per actor"},
          {"geo_tie_cutoff", &P::geo_tie_cutoff, 1, 50, "d0",
           "ties are drawn only within this many d0 (probability below geo_tie_prob*exp(-cutoff) "
           "is dropped)"},
          {"info_radius", &P::info_radius, 1e-6, 0.5, "torus units",
           "adverts are visible within this radius (density-scaled); random partner candidates "
           "come from it"},
          {"n_themes", &P::n_themes, 1, 100, "", "capability themes"},
          {"sector_per_theme", &P::sector_per_theme, 1, 10000, "capabilities",
           "sector capabilities per theme"},
          {"common_per_theme", &P::common_per_theme, 1, 10000, "capabilities",
           "common capabilities per theme"},
          {"rare_per_theme", &P::rare_per_theme, 1, 10000, "capabilities",
           "rare capabilities per theme"},
          {"special_per_theme", &P::special_per_theme, 0, 10000, "capabilities",
           "special capabilities per theme"},
          {"kene_capacity_sme", &P::kene_capacity_sme, 2, 255, "triples",
           "kene capacity of an SME"},
          {"kene_capacity_leading", &P::kene_capacity_leading, 2, 255, "triples",
           "kene capacity of a leading firm"},
          {"kene_capacity_hq", &P::kene_capacity_hq, 2, 255, "triples",
           "kene capacity of an innovation network's headquarters"},
          {"rare_per_sme", &P::rare_per_sme, 0, 255, "capabilities",
           "rare capabilities in an initial SME kene"},
          {"ih_min", &P::ih_min, 2, 10, "triples", "smallest innovation hypothesis"},
          {"ih_max", &P::ih_max, 2, 10, "triples", "largest innovation hypothesis"},
          {"max_inputs", &P::max_inputs, 1, 4, "products", "most inputs of a product"},
          {"n_products", &P::n_products, 3, 32000, "products",
           "size of the product space (inputs range over 0..n_products-1)"},
          {"n_raw_products", &P::n_raw_products, 1, 32000, "products",
           "products 0..n_raw-1 are raw materials"},
          {"n_end_products", &P::n_end_products, 1, 32000, "products",
           "the highest n_end products are end-user products"},
          {"q_exchange", &P::q_exchange, 0, 1, "", "probability that an actor barters in a tick"},
          {"alpha0", &P::alpha0, 0, 1, "", "peak absorption alpha0 of alpha = alpha0*4d(1-d)"},
          {"barter_items", &P::barter_items, 1, 10, "capabilities",
           "largest gaps each side takes in one trade"},
          {"initial_capital", &P::initial_capital, 0, 1e12, "money",
           "capital of a new SME, start-up or spin-off"},
          {"leading_capital_factor", &P::leading_capital_factor, 0, 1e6, "",
           "a leading firm starts with this many times initial_capital"},
          {"price_min", &P::price_min, 0, 1e12, "money",
           "lowest initial price of a non-end-user product"},
          {"price_max", &P::price_max, 0, 1e12, "money",
           "highest initial price of a non-end-user product"},
          {"final_price", &P::final_price, 0, 1e12, "money",
           "what final consumers pay for an end-user product"},
          {"raw_cost", &P::raw_cost, 0, 1e12, "money",
           "price of a raw material (bought outside the cluster)"},
          {"demand_cap", &P::demand_cap, 0, 1e9, "sellers",
           "at most this many sellers of each end-user product sell to consumers per tick (0 = "
           "unlimited)"},
          {"fixed_cost", &P::fixed_cost, 0, 1e12, "money/tick",
           "paid by every producing firm to the government each tick"},
          {"price_up", &P::price_up, 1, 10, "",
           "price factor with more than price_up_customers customers"},
          {"price_down", &P::price_down, 0, 1, "", "price factor with no customer"},
          {"price_up_customers", &P::price_up_customers, 0, 1e9, "customers",
           "customers above which the price rises"},
          {"strategy",
           &P::strategy,
           0,
           0,
           "",
           "advert overlap used in attractiveness",
           {"conservative", "progressive"}},
          {"w_cog", &P::w_cog, 0, 100, "", "weight of the advert overlap in attractiveness"},
          {"w_geo", &P::w_geo, 0, 100, "",
           "weight of geographic proximity exp(-dist/att_geo_scale)"},
          {"att_geo_scale", &P::att_geo_scale, 1e-6, 1, "torus units",
           "decay length of the proximity term (density-scaled)"},
          {"att_threshold", &P::att_threshold, 0, 100, "",
           "an SME accepts a partner whose attractiveness exceeds this"},
          {"att_threshold_leading", &P::att_threshold_leading, 0, 100, "",
           "a leading firm accepts a partner whose attractiveness exceeds this"},
          {"w_trust", &P::w_trust, 0, 100, "",
           "weight of trust T (relational and structural credit) in attractiveness"},
          {"max_candidates", &P::max_candidates, 0, 64, "actors",
           "partner candidates examined per search"},
          {"partner_cost", &P::partner_cost, 0, 1e12, "money/tick",
           "upkeep each member pays per partner per tick"},
          {"partnership_ticks", &P::partnership_ticks, 1, 1e6, "ticks",
           "ticks a partnership lasts (1 = SKIN: dissolved before the next search)"},
          {"partner_memory", &P::partner_memory, 1, 64, "partners",
           "most recent previous partners remembered per actor"},
          {"share_min_expertise", &P::share_min_expertise, 1, 10, "",
           "a capability learnt from a partner gets expertise max(this, e-1)"},
          {"networks", &P::networks, 0, 1, "", "successful firms found innovation networks"},
          {"success_threshold", &P::success_threshold, 0, 1e12, "money",
           "reward above which a firm is successful"},
          {"research_capital_threshold", &P::research_capital_threshold, 0, 1e12, "money",
           "unsuccessful firms with more capital do incremental research, the others radical"},
          {"incremental_cost", &P::incremental_cost, 0, 1e12, "money",
           "cost of one incremental research step"},
          {"radical_cost", &P::radical_cost, 0, 1e12, "money", "cost of one radical research step"},
          {"new_ih_kene_mid", &P::new_ih_kene_mid, 0, 1e6, "triples",
           "kene length at which a partnered firm redraws its IH with probability 1/2"},
          {"new_ih_kene_scale", &P::new_ih_kene_scale, 1e-6, 1e6, "triples",
           "logistic scale of that probability"},
          {"learning_by_doing", &P::learning_by_doing, 0, 1, "",
           "IH expertise +1, other expertise -1 each tick; expertise 0 is forgotten"},
          {"entry", &P::entry, 0, 1, "", "start-ups, spin-offs and outsiders enter"},
          {"startup_trigger", &P::startup_trigger, 0, 1e12, "money",
           "best reward above which floor(log10 reward) start-ups enter"},
          {"startup_max_triples", &P::startup_max_triples, 2, 10, "triples",
           "IH triples a start-up clones from the best firm"},
          {"startup_radius", &P::startup_radius, 0, 1, "torus units",
           "sd of a start-up's or spin-off's offset from its parent (density-scaled)"},
          {"spinoff_prob", &P::spinoff_prob, 0, 1, "",
           "probability per tick that a successful firm spawns a spin-off"},
          {"outsider_rate", &P::outsider_rate, 0, 1e6, "actors/tick",
           "mean of the Poisson number of outsiders entering per tick"},
          {"outsider_rare", &P::outsider_rare, 0, 255, "capabilities",
           "rare capabilities an outsider carries"},
          {"n_universities", &P::n_universities, 0, 1e6, "actors",
           "universities and research institutes (no production, no exit)"},
          {"kene_capacity_university", &P::kene_capacity_university, 2, 255, "triples",
           "kene capacity of a university"},
          {"university_rare", &P::university_rare, 0, 255, "capabilities",
           "rare capabilities in a university's initial kene"},
          {"university_capital", &P::university_capital, 0, 1e15, "money",
           "capital of a university at start"},
          {"block_grant", &P::block_grant, 0, 1e12, "money/tick",
           "the government pays each university this while its funds allow"},
          {"university_broadcast", &P::university_broadcast, 0, 1, "",
           "universities broadcast their results to firms within info_radius"},
          {"n_intermediaries", &P::n_intermediaries, 0, 1e6, "actors",
           "intermediaries suggesting partners to searching firms for a fee"},
          {"service_radius", &P::service_radius, 0, 1, "torus units",
           "an intermediary registers the firms within this radius (density-scaled)"},
          {"intermediary_fee", &P::intermediary_fee, 0, 1e12, "money",
           "what a searching firm pays an intermediary for its best matches"},
          {"calls", &P::calls, 0, 1, "", "the government runs calls for collaborative projects"},
          {"call_every", &P::call_every, 1, 1e6, "ticks", "a call opens every this many ticks"},
          {"call_capabilities", &P::call_capabilities, 1, 10000, "capabilities",
           "capabilities of one theme a call asks for"},
          {"call_budget", &P::call_budget, 0, 1e15, "money",
           "budget of a call (never more than the government holds at the opening)"},
          {"call_deadline", &P::call_deadline, 1, 1e6, "ticks",
           "proposals are ranked and funded this many ticks after the opening"},
          {"call_invites", &P::call_invites, 0, 1000, "actors",
           "most invitations a university sends for one proposal"},
          {"proposal_min", &P::proposal_min, 1, 1000, "actors",
           "smallest eligible proposal (the university included)"},
          {"proposal_max", &P::proposal_max, 1, 1000, "actors", "largest eligible proposal"},
          {"proposal_match", &P::proposal_match, 0, 10000, "capabilities",
           "call capabilities an eligible proposal's members must cover together"},
          {"project_grant", &P::project_grant, 0, 1e15, "money",
           "what one funded project gets in all, paid in equal parts per tick"},
          {"project_ticks", &P::project_ticks, 1, 1e6, "ticks", "duration of a funded project"},
          {"n_banks", &P::n_banks, 0, 1e6, "actors",
           "financial institutions lending to firms in distress (0 = no loans)"},
          {"bank_capital", &P::bank_capital, 0, 1e15, "money", "capital of each bank at start"},
          {"loan_amount", &P::loan_amount, 0, 1e12, "money", "the one loan a firm may hold"},
          {"loan_interest", &P::loan_interest, 0, 10, "",
           "the debt grows by this share every loan_interest_period ticks"},
          {"loan_interest_period", &P::loan_interest_period, 1, 1e6, "ticks",
           "ticks between interest charges"},
          {"loan_repay_share", &P::loan_repay_share, 0, 1, "",
           "share of a positive tick profit a borrower repays"},
          {"credit_window", &P::credit_window, 1, 16, "ticks",
           "credit score: mean profit over this many ticks must be positive ..."},
          {"credit_quality", &P::credit_quality, 0, 10, "",
           "... or the product quality above this"},
          {"vc_pool", &P::vc_pool, 0, 1e15, "money",
           "venture-capital pool (held by the banks) that funds start-ups while it lasts; "
           "then outside investors"},
          {"radical_subsidy", &P::radical_subsidy, 0, 1, "",
           "share of the radical-research cost the government pays while its funds allow"},
          {"trust_decay", &P::trust_decay, 0, 1, "1/tick",
           "relational credit of a partner is trust_decay^(ticks since the partnership) * "
           "outcome"},
          {"trust_relational", &P::trust_relational, 0, 1, "",
           "weight of relational credit in trust; structural credit gets 1 - this"},
          {"shocks",
           &P::shocks,
           0,
           0,
           "",
           "external shocks: a list of tables {type = demand, labour_cost, currency or "
           "raw_materials; onset; duration; magnitude; shape = step, ramp or pulse} "
           "(docs/model.md section 5)",
           {},
           &check_shocks},
          {"resilience", &P::resilience, 0, 1, "",
           "run an unshocked twin on the same random numbers and report resistance and "
           "recovery time of sales"},
          {"recovery_band", &P::recovery_band, 0, 1, "",
           "sales have recovered when they are at least (1 - this) times the twin's"},
          {"lifecycle_window", &P::lifecycle_window, 1, 1e6, "ticks",
           "window W of the life-cycle growth rate g"},
          {"lifecycle_epsilon", &P::lifecycle_epsilon, 0, 10, "",
           "|g| <= epsilon is maturity, above growth, below decline"},
          {"lifecycle_confirm", &P::lifecycle_confirm, 1, 1000, "windows",
           "consecutive windows that must agree before the stage changes"},
          {"lifecycle_sprout_share", &P::lifecycle_sprout_share, 0, 1, "",
           "sprouting while firms are below this share of max(running peak, "
           "lifecycle_ref_firms)"},
          {"lifecycle_sprout_giant", &P::lifecycle_sprout_giant, 0, 1, "",
           "and the giant component share is below this"},
          {"lifecycle_ref_firms", &P::lifecycle_ref_firms, 0, 1e12, "firms",
           "reference size of a developed cluster for sprouting"},
          {"government_capital", &P::government_capital, 0, 1e15, "money",
           "government money at start"},
          {"metrics_every", &P::metrics_every, 1, 1e9, "ticks",
           "network metrics are computed every this many ticks and carried forward"},
          {"bfs_sources", &P::bfs_sources, 0, 1e9, "vertices",
           "BFS sources of the mean-path estimate (0 = exact)"},
      });
  return table;
}

Settings make_settings(const ClusterParams& p) {
  const auto fail = [](const std::string& what) {
    throw InputError("[model] of cluster: " + what);
  };
  if (p.ih_min > p.ih_max) fail("ih_min must not exceed ih_max");
  if (p.n_raw_products + p.n_end_products >= p.n_products) {
    fail("n_raw_products + n_end_products must be below n_products");
  }
  if (p.price_min > p.price_max) fail("price_min must not exceed price_max");
  if (p.ih_max > p.kene_capacity_sme && p.ih_min > p.kene_capacity_sme) {
    fail("ih_min must fit into kene_capacity_sme");
  }
  Settings s;
  s.p = p;
  s.strategy = p.strategy == "progressive" ? Strategy::kProgressive : Strategy::kConservative;
  s.caps = {static_cast<int>(p.n_themes), static_cast<int>(p.sector_per_theme),
            static_cast<int>(p.common_per_theme), static_cast<int>(p.rare_per_theme),
            static_cast<int>(p.special_per_theme)};
  if (s.caps.n_capabilities() > 65535)
    fail("n_themes * capabilities per theme must be at most 65535");
  if (p.kene_capacity_sme > s.caps.theme_size())
    fail("kene_capacity_sme exceeds the capabilities of one theme");
  if (p.kene_capacity_university > s.caps.theme_size())
    fail("kene_capacity_university exceeds the capabilities of one theme");
  s.products = {static_cast<int>(p.n_products), static_cast<int>(p.n_raw_products),
                static_cast<int>(p.n_end_products)};
  const double firms = static_cast<double>(p.n_sme + p.n_leading);
  s.length_scale = firms > 0 ? std::sqrt(500.0 / firms) : 1.0;
  s.geo_d0 = p.geo_tie_d0 * s.length_scale;
  s.geo_cutoff = p.geo_tie_cutoff * s.geo_d0;
  s.info_radius = p.info_radius * s.length_scale;
  s.att_geo_scale = p.att_geo_scale * s.length_scale;
  s.startup_radius = p.startup_radius * s.length_scale;
  s.service_radius = p.service_radius * s.length_scale;
  const std::string bad = parse_shocks(p.shocks, s.shocks);
  if (!bad.empty()) fail("shocks: " + bad);
  return s;
}

}  // namespace icn::model::cluster
