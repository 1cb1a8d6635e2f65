#pragma once
// External shocks (MODEL.md section 5): demand downturn, labour cost, currency
// appreciation and raw-material prices, each with an onset, a duration, a magnitude s and
// a shape; several may act at once.
//
// A shock's level at tick t is s * f(t) with the shape f:
//   step   f = 1 for onset <= t < onset + duration, else 0 (a window of full strength);
//   ramp   f = (t - onset + 1) / duration for onset <= t < onset + duration, then 1 for
//          good (a gradual, lasting change, reaching full strength at the duration's last
//          tick);
//   pulse  f = 1 - (t - onset) / duration for onset <= t < onset + duration, else 0 (a
//          spike at the onset fading linearly).
// Levels of shocks of the same type combine multiplicatively:
//   demand          final_price x prod(1 - level), demand_cap x the same (rounded, at
//                   least 1; an unlimited cap stays unlimited);
//   labour_cost     fixed_cost x prod(1 + level);
//   currency        end-user revenue on a firm's export share xi (U[0,1], fixed per firm)
//                   divided by prod(1 + level);
//   raw_materials   raw_cost x prod(1 + level).
//
// Configuration: the [model] key `shocks`, a list of tables
//   shocks = [ { type = "demand", onset = 100, duration = 50, magnitude = 0.3,
//                shape = "step" } ]
// whose text form (what `--set model.shocks=...` and the resolved configuration use) is
//   "type=demand, onset=100, duration=50, magnitude=0.3, shape=step; type=..."
#include <cstdint>
#include <string>
#include <vector>

#include "icn/core/rng.h"

namespace icn::model::cluster {

enum class ShockType : std::uint8_t { kDemand, kLabourCost, kCurrency, kRawMaterials };
constexpr int kShockTypes = 4;
enum class ShockShape : std::uint8_t { kStep, kRamp, kPulse };

struct Shock {
  ShockType type = ShockType::kDemand;
  std::int64_t onset = 0;     ///< first tick it acts
  std::int64_t duration = 1;  ///< ticks
  double magnitude = 0;       ///< s (demand: at most 1)
  ShockShape shape = ShockShape::kStep;
};

const char* shock_type_name(ShockType t);
const char* shock_shape_name(ShockShape s);

/// Parses the text form of a shock list (items separated by ';'). Returns "" and fills
/// `out`, or the reason the text is invalid (naming the item and the field).
std::string parse_shocks(const std::string& text, std::vector<Shock>& out);
/// The parameter table's check: "" or the reason.
std::string check_shocks(const std::string& text);

/// Shape value f(t) in [0, 1].
double shock_shape_value(const Shock& shock, std::int64_t tick);
/// Level s * f(t).
inline double shock_level(const Shock& shock, std::int64_t tick) {
  return shock.magnitude * shock_shape_value(shock, tick);
}

/// The multipliers every shock together applies at one tick.
struct ShockEffect {
  double final_price = 1.0;  ///< and the demand cap
  double fixed_cost = 1.0;
  double export_factor = 1.0;  ///< divides the export share of end-user revenue: 1/prod(1+s)
  double raw_cost = 1.0;
};
ShockEffect shock_effect(const std::vector<Shock>& shocks, std::int64_t tick);

/// The demand cap under a demand factor (0 = unlimited stays unlimited; else at least 1).
std::int64_t shocked_demand_cap(std::int64_t cap, double factor);

/// A firm's export share xi ~ U[0, 1], a fixed function of the replicate key and its id.
double export_share(rng::Key key, std::uint32_t actor_id);

}  // namespace icn::model::cluster
