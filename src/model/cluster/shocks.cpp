#include "icn/model/cluster/shocks.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "icn/core/params.h"

namespace icn::model::cluster {

const char* shock_type_name(ShockType t) {
  switch (t) {
    case ShockType::kDemand: return "demand";
    case ShockType::kLabourCost: return "labour_cost";
    case ShockType::kCurrency: return "currency";
    case ShockType::kRawMaterials: return "raw_materials";
  }
  return "?";
}

const char* shock_shape_name(ShockShape s) {
  switch (s) {
    case ShockShape::kStep: return "step";
    case ShockShape::kRamp: return "ramp";
    case ShockShape::kPulse: return "pulse";
  }
  return "?";
}

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\n\r");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\n\r");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto k = s.find(sep, start);
    parts.push_back(s.substr(start, k == std::string::npos ? std::string::npos : k - start));
    if (k == std::string::npos) break;
    start = k + 1;
  }
  return parts;
}

bool parse_number(const std::string& s, double& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && std::isfinite(out);
}

// Parses one item "key=value, key=value"; "" or the reason (naming the field).
std::string parse_item(const std::string& item, Shock& shock) {
  static const std::vector<std::string> fields = {"type", "onset", "duration", "magnitude",
                                                  "shape"};
  static const std::vector<std::string> types = {"demand", "labour_cost", "currency",
                                                 "raw_materials"};
  static const std::vector<std::string> shapes = {"step", "ramp", "pulse"};
  bool seen[5] = {false, false, false, false, false};
  for (const std::string& raw : split(item, ',')) {
    const std::string kv = trim(raw);
    const auto eq = kv.find('=');
    if (eq == std::string::npos) return "expected key=value, got '" + kv + "'";
    const std::string key = trim(kv.substr(0, eq));
    const std::string value = trim(kv.substr(eq + 1));
    const auto it = std::find(fields.begin(), fields.end(), key);
    if (it == fields.end()) {
      const std::string hint = did_you_mean(key, fields);
      return "unknown field '" + key + "'" +
             (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
             "; fields are type, onset, duration, magnitude, shape";
    }
    const auto f = static_cast<std::size_t>(it - fields.begin());
    if (seen[f]) return "field '" + key + "' given twice";
    seen[f] = true;
    double x = 0;
    switch (f) {
      case 0: {
        const auto t = std::find(types.begin(), types.end(), value);
        if (t == types.end()) {
          return "field 'type': \"" + value +
                 "\" is not one of demand|labour_cost|currency|raw_materials";
        }
        shock.type = static_cast<ShockType>(t - types.begin());
        break;
      }
      case 1:
      case 2:
        if (!parse_number(value, x) || x != std::floor(x) || x < 0 || x > 1e9) {
          return "field '" + key + "': expected a whole number of ticks in [0, 1e9], got '" +
                 value + "'";
        }
        if (f == 1) {
          shock.onset = static_cast<std::int64_t>(x);
        } else {
          if (x < 1) return "field 'duration': must be at least 1 tick";
          shock.duration = static_cast<std::int64_t>(x);
        }
        break;
      case 3:
        if (!parse_number(value, x) || x < 0 || x > 1e6) {
          return "field 'magnitude': expected a number in [0, 1e6], got '" + value + "'";
        }
        shock.magnitude = x;
        break;
      default: {
        const auto s = std::find(shapes.begin(), shapes.end(), value);
        if (s == shapes.end())
          return "field 'shape': \"" + value + "\" is not one of step|ramp|pulse";
        shock.shape = static_cast<ShockShape>(s - shapes.begin());
      }
    }
  }
  for (std::size_t f = 0; f < 4; ++f) {
    if (!seen[f]) return "field '" + fields[f] + "' is missing";
  }
  if (shock.type == ShockType::kDemand && shock.magnitude > 1) {
    return "field 'magnitude': a demand shock takes at most 1 (the whole demand)";
  }
  return "";
}

}  // namespace

std::string parse_shocks(const std::string& text, std::vector<Shock>& out) {
  out.clear();
  if (trim(text).empty()) return "";
  const std::vector<std::string> items = split(text, ';');
  for (std::size_t i = 0; i < items.size(); ++i) {
    Shock shock;
    const std::string reason = parse_item(items[i], shock);
    if (!reason.empty()) {
      return items.size() > 1 ? "shock " + std::to_string(i + 1) + ": " + reason : reason;
    }
    out.push_back(shock);
  }
  return "";
}

std::string check_shocks(const std::string& text) {
  std::vector<Shock> shocks;
  return parse_shocks(text, shocks);
}

double shock_shape_value(const Shock& shock, std::int64_t tick) {
  const std::int64_t k = tick - shock.onset;  // ticks since the onset
  if (k < 0) return 0.0;
  const auto d = static_cast<double>(shock.duration);
  switch (shock.shape) {
    case ShockShape::kStep: return k < shock.duration ? 1.0 : 0.0;
    case ShockShape::kRamp: return k < shock.duration ? static_cast<double>(k + 1) / d : 1.0;
    case ShockShape::kPulse: return k < shock.duration ? 1.0 - static_cast<double>(k) / d : 0.0;
  }
  return 0.0;
}

ShockEffect shock_effect(const std::vector<Shock>& shocks, std::int64_t tick) {
  ShockEffect e;
  for (const Shock& s : shocks) {
    const double level = shock_level(s, tick);
    if (level == 0) continue;
    switch (s.type) {
      case ShockType::kDemand: e.final_price *= 1.0 - level; break;
      case ShockType::kLabourCost: e.fixed_cost *= 1.0 + level; break;
      case ShockType::kCurrency: e.export_factor /= 1.0 + level; break;
      case ShockType::kRawMaterials: e.raw_cost *= 1.0 + level; break;
    }
  }
  return e;
}

std::int64_t shocked_demand_cap(std::int64_t cap, double factor) {
  if (cap <= 0) return cap;
  return std::max<std::int64_t>(1, std::llround(static_cast<double>(cap) * factor));
}

double export_share(rng::Key key, std::uint32_t actor_id) {
  // Tick 2^32 - 1 is reserved for this draw (the geographic ties use 2^31 + tick).
  rng::Stream rs(key, 0xFFFFFFFFu, rng::Stage::kInit, actor_id);
  return rng::uniform(rs);
}

}  // namespace icn::model::cluster
