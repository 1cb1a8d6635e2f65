#pragma once
// Parameters of the cluster model (MODEL.md sections 2-4): one struct with the defaults,
// one table that documents ranges and units, and the derived settings (density-scaled
// lengths, the capability and product spaces) computed once per replicate.
#include <cstdint>
#include <string>
#include <vector>

#include "icn/core/params.h"
#include "icn/core/rng.h"
#include "icn/model/cluster/shocks.h"

namespace icn::model::cluster {

/// Every [model] parameter of `cluster`. Defaults are MODEL.md's; where MODEL.md is
/// silent the choice is documented in docs/model.md.
struct ClusterParams {
  // Population (section 2).
  std::int64_t n_sme = 500;
  std::int64_t n_leading = 5;
  // Space (section 2, 4.1).
  std::int64_t n_subclusters = 3;
  double blob_sd = 0.08;
  double uniform_share = 0.2;
  double geo_tie_prob = 0.25;
  double geo_tie_d0 = 0.1;
  std::int64_t geo_tie_max = 20;
  double geo_tie_cutoff = 6.0;
  double info_radius = 0.2;
  // Knowledge (section 3).
  std::int64_t n_themes = 10;
  std::int64_t sector_per_theme = 40;
  std::int64_t common_per_theme = 40;
  std::int64_t rare_per_theme = 10;
  std::int64_t special_per_theme = 10;
  std::int64_t kene_capacity_sme = 10;
  std::int64_t kene_capacity_leading = 20;
  std::int64_t kene_capacity_hq = 40;
  std::int64_t rare_per_sme = 1;
  std::int64_t ih_min = 2;
  std::int64_t ih_max = 10;
  std::int64_t max_inputs = 4;
  std::int64_t n_products = 100;
  std::int64_t n_raw_products = 10;
  std::int64_t n_end_products = 9;
  // Exchange (4.1).
  double q_exchange = 1.0;
  double alpha0 = 0.5;
  std::int64_t barter_items = 1;
  // Competition (4.2).
  double initial_capital = 20000.0;
  double leading_capital_factor = 50.0;
  double price_min = 1.0;
  double price_max = 1000.0;
  double final_price = 10000.0;
  double raw_cost = 1.0;
  std::int64_t demand_cap = 0;
  double fixed_cost = 100.0;
  double price_up = 1.1;
  double price_down = 0.9;
  std::int64_t price_up_customers = 4;
  // Cooperation (4.3).
  std::string strategy = "conservative";
  double w_cog = 1.0;
  double w_geo = 0.3;
  double att_geo_scale = 0.1;
  double att_threshold = 0.3;
  double att_threshold_leading = 0.3;
  std::int64_t max_candidates = 5;
  double w_trust = 0.3;
  double partner_cost = 110.0;
  std::int64_t partnership_ticks = 1;
  std::int64_t partner_memory = 32;
  // Sharing (4.4).
  std::int64_t share_min_expertise = 2;
  bool networks = true;
  // Evaluation (4.5).
  double success_threshold = 1000.0;
  double research_capital_threshold = 1000.0;
  double incremental_cost = 200.0;
  double radical_cost = 1000.0;
  double new_ih_kene_mid = 100.0;
  double new_ih_kene_scale = 25.0;
  bool learning_by_doing = true;
  bool entry = true;
  double startup_trigger = 1200.0;
  std::int64_t startup_max_triples = 10;
  double startup_radius = 0.02;
  double spinoff_prob = 0.01;
  double outsider_rate = 0.5;
  std::int64_t outsider_rare = 2;
  // Universities (sections 2, 4.4).
  std::int64_t n_universities = 10;
  std::int64_t kene_capacity_university = 25;
  std::int64_t university_rare = 2;
  double university_capital = 0.0;
  double block_grant = 200.0;
  bool university_broadcast = true;
  // Intermediaries (sections 2, 4.3, 4.4).
  std::int64_t n_intermediaries = 5;
  double service_radius = 0.3;
  double intermediary_fee = 50.0;
  // Government calls (4.3).
  bool calls = true;
  std::int64_t call_every = 12;
  std::int64_t call_capabilities = 35;
  double call_budget = 100000.0;
  std::int64_t call_deadline = 6;
  std::int64_t call_invites = 20;
  std::int64_t proposal_min = 3;
  std::int64_t proposal_max = 20;
  std::int64_t proposal_match = 5;
  double project_grant = 30000.0;
  std::int64_t project_ticks = 32;
  // Finance (4.5).
  std::int64_t n_banks = 3;
  double bank_capital = 1e6;
  double loan_amount = 5000.0;
  double loan_interest = 0.05;
  std::int64_t loan_interest_period = 12;
  double loan_repay_share = 0.5;
  std::int64_t credit_window = 5;
  double credit_quality = 5.0;
  double vc_pool = 200000.0;
  double radical_subsidy = 0.0;
  // Trust (4.5, Cowan-Jonard-Zimmermann).
  double trust_decay = 0.98;
  double trust_relational = 0.1;
  // External shocks and resilience (section 5).
  std::string shocks;
  bool resilience = false;
  double recovery_band = 0.05;
  // Life cycle (section 6).
  std::int64_t lifecycle_window = 20;
  double lifecycle_epsilon = 0.05;
  std::int64_t lifecycle_confirm = 2;
  double lifecycle_sprout_share = 0.3;
  double lifecycle_sprout_giant = 0.5;
  double lifecycle_ref_firms = 500.0;
  // Government (section 2; more in the government layer).
  double government_capital = 0.0;
  // Statistics (section 6).
  std::int64_t metrics_every = 10;
  std::int64_t bfs_sources = 32;
};

/// The [model] table of `cluster` (parsing, validation, `icnsim params`, designs).
const ParamTable<ClusterParams>& cluster_param_table();

enum class Strategy : std::uint8_t { kConservative, kProgressive };

/// Capability space: n_themes themes, each a block of sector, common, rare and special
/// capabilities numbered from 1 (MODEL.md section 3).
struct CapabilityLayout {
  int n_themes = 10;
  int sector = 40;
  int common = 40;
  int rare = 10;
  int special = 10;

  int theme_size() const { return sector + common + rare + special; }
  int n_capabilities() const { return n_themes * theme_size(); }
  int theme_of(int cap) const { return (cap - 1) / theme_size(); }
  /// k-th capability (0-based) of a class in `theme`.
  int sector_cap(int theme, int k) const { return 1 + theme * theme_size() + k; }
  int common_cap(int theme, int k) const { return 1 + theme * theme_size() + sector + k; }
  int rare_cap(int theme, int k) const { return 1 + theme * theme_size() + sector + common + k; }
  int special_cap(int theme, int k) const {
    return 1 + theme * theme_size() + sector + common + rare + k;
  }
};

/// Product space: 0..n-1; the lowest n_raw are raw materials, the highest n_end are
/// end-user products (defaults 0..9 raw, 91..99 end-user).
struct ProductSpace {
  int n = 100;
  int n_raw = 10;
  int n_end = 9;
  bool is_raw(int p) const { return p < n_raw; }
  bool is_end_user(int p) const { return p >= n - n_end; }
};

/// Parameters plus everything derived from them once per replicate.
struct Settings {
  ClusterParams p;
  Strategy strategy = Strategy::kConservative;
  CapabilityLayout caps;
  ProductSpace products;
  /// sqrt(500 / firms at start): multiplies every interaction length (MODEL.md section 2).
  double length_scale = 1.0;
  double geo_d0 = 0.1;           ///< scaled geo_tie_d0
  double geo_cutoff = 0.6;       ///< scaled cutoff distance of geographic ties
  double info_radius = 0.2;      ///< scaled
  double att_geo_scale = 0.1;    ///< scaled
  double startup_radius = 0.02;  ///< scaled
  double service_radius = 0.3;   ///< scaled (intermediaries)
  std::vector<Shock> shocks;     ///< parsed from p.shocks
  // Set each tick by the model from the shocks (section 5); p's final_price, raw_cost,
  // fixed_cost and demand_cap are then the shocked values of that tick.
  double export_factor = 1.0;  ///< end-user revenue on the export share is multiplied by it
  rng::Key export_key{};       ///< key of the export shares

  /// What final consumers pay the end-user seller with id `actor_id` this tick:
  /// final_price * (1 - xi + xi * export_factor), xi its export share.
  double consumer_price(std::uint32_t actor_id) const {
    if (export_factor == 1.0) return p.final_price;
    const double xi = export_share(export_key, actor_id);
    return p.final_price * (1.0 - xi + xi * export_factor);
  }
};

/// Derives the settings; throws InputError when parameters are inconsistent with each
/// other (ranges are checked by the table).
Settings make_settings(const ClusterParams& p);

}  // namespace icn::model::cluster
