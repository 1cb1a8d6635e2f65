#include "icn/design/design.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <sstream>
#include <utility>

#include "icn/core/error.h"
#include "icn/design/grid.h"
#include "icn/design/lhs.h"
#include "icn/design/morris.h"
#include "icn/design/saltelli.h"
#include "icn/design/sobol.h"

namespace icn::design {
namespace {

constexpr std::array<std::pair<DesignKind, std::string_view>, 7> kKindNames = {{
    {DesignKind::kSingle, "single"},
    {DesignKind::kGrid, "grid"},
    {DesignKind::kList, "list"},
    {DesignKind::kLhs, "lhs"},
    {DesignKind::kSobol, "sobol"},
    {DesignKind::kSaltelli, "saltelli"},
    {DesignKind::kMorris, "morris"},
}};

[[noreturn]] void fail(const DesignSpec& spec, const std::string& why) {
  throw InputError(std::string(kind_name(spec.kind)) + " design: " + why);
}

std::string quoted(const Factor& f) { return "factor '" + f.name + "'"; }

bool is_integral(double x) { return std::isfinite(x) && std::floor(x) == x; }

void check_names(const DesignSpec& spec) {
  std::set<std::string_view> seen;
  for (const Factor& f : spec.factors) {
    if (f.name.empty()) fail(spec, "a factor has an empty name");
    if (!seen.insert(f.name).second) fail(spec, quoted(f) + " appears twice");
  }
}

// The range rules every mapped (non-grid) design needs; list designs allow lo == hi.
void check_range(const DesignSpec& spec, const Factor& f, bool allow_point) {
  std::ostringstream range;
  range << "[" << f.lo << ", " << f.hi << "]";
  if (!std::isfinite(f.lo) || !std::isfinite(f.hi)) {
    fail(spec, quoted(f) + " has a non-finite range " + range.str());
  }
  if (f.lo > f.hi || (!allow_point && f.lo == f.hi)) {
    fail(spec, quoted(f) + " needs lo < hi, got " + range.str());
  }
  if (f.log_scale && !(f.lo > 0)) {
    fail(spec, quoted(f) + " is log-scaled and needs lo > 0, got " + range.str());
  }
  if (f.integer && (!is_integral(f.lo) || !is_integral(f.hi))) {
    fail(spec, quoted(f) + " is an integer factor and needs integral bounds, got " + range.str());
  }
}

void check_size(const DesignSpec& spec, std::int64_t rows) {
  if (rows > kMaxDesignPoints) {
    fail(spec,
         std::to_string(rows) + " points exceed the limit of " + std::to_string(kMaxDesignPoints));
  }
}

// Fills points from unit_points through every factor's map.
void map_units(const std::vector<Factor>& factors, Design& d) {
  d.points.resize(d.unit_points.rows(), d.unit_points.cols());
  for (Eigen::Index j = 0; j < d.unit_points.cols(); ++j) {
    const Factor& f = factors[static_cast<std::size_t>(j)];
    for (Eigen::Index r = 0; r < d.unit_points.rows(); ++r) {
      d.points(r, j) = from_unit(f, d.unit_points(r, j));
    }
  }
}

void build_grid(const DesignSpec& spec, Design& d) {
  const auto lists = grid_level_lists(spec.factors);
  std::int64_t rows = 1;
  for (const auto& l : lists) rows *= static_cast<std::int64_t>(l.size());
  const auto dims = static_cast<Eigen::Index>(lists.size());
  d.points.resize(rows, dims);
  d.unit_points.resize(rows, dims);
  // Odometer with the last factor fastest.
  std::int64_t stride = 1;
  for (Eigen::Index j = dims - 1; j >= 0; --j) {
    const auto& levels = lists[static_cast<std::size_t>(j)];
    const auto count = static_cast<std::int64_t>(levels.size());
    for (std::int64_t r = 0; r < rows; ++r) {
      const std::int64_t k = (r / stride) % count;
      d.points(r, j) = levels[static_cast<std::size_t>(k)];
      d.unit_points(r, j) =
          count == 1 ? 0.5 : static_cast<double>(k) / static_cast<double>(count - 1);
    }
    stride *= count;
  }
  d.base_n = rows;
}

void build_list(const DesignSpec& spec, Design& d) {
  const std::size_t dims = spec.factors.size();
  if (spec.list_points.empty()) fail(spec, "no points given");
  check_size(spec, static_cast<std::int64_t>(spec.list_points.size()));
  for (const Factor& f : spec.factors) check_range(spec, f, /*allow_point=*/true);
  const auto rows = static_cast<Eigen::Index>(spec.list_points.size());
  d.points.resize(rows, static_cast<Eigen::Index>(dims));
  d.unit_points.resize(rows, static_cast<Eigen::Index>(dims));
  for (Eigen::Index r = 0; r < rows; ++r) {
    const auto& row = spec.list_points[static_cast<std::size_t>(r)];
    if (row.size() != dims) {
      fail(spec, "point " + std::to_string(r) + " has " + std::to_string(row.size()) +
                     " values for " + std::to_string(dims) + " factors");
    }
    for (std::size_t j = 0; j < dims; ++j) {
      const Factor& f = spec.factors[j];
      const double x = row[j];
      std::ostringstream msg;
      msg << "point " << r << ": " << quoted(f) << " = " << x;
      if (!(x >= f.lo && x <= f.hi)) {
        msg << " is outside [" << f.lo << ", " << f.hi << "]";
        fail(spec, msg.str());
      }
      if (f.integer && !is_integral(x)) fail(spec, msg.str() + " is not an integer");
      d.points(r, static_cast<Eigen::Index>(j)) = x;
      d.unit_points(r, static_cast<Eigen::Index>(j)) = to_unit(f, x);
    }
  }
  d.base_n = rows;
}

void check_sampled(const DesignSpec& spec) {
  if (spec.factors.empty()) fail(spec, "needs at least one factor");
  for (const Factor& f : spec.factors) check_range(spec, f, /*allow_point=*/false);
}

void check_n(const DesignSpec& spec) {
  if (spec.n < 1) fail(spec, "needs n >= 1 points, got " + std::to_string(spec.n));
}

}  // namespace

std::string_view kind_name(DesignKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::optional<DesignKind> parse_kind(std::string_view name) {
  for (const auto& [k, n] : kKindNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

double from_unit(const Factor& f, double u) {
  if (u <= 0) return f.lo;
  if (f.integer) {
    // floor over hi - lo + 1 equal shares; u = 1 belongs to hi.
    const double x = f.log_scale ? std::floor(f.lo * std::pow((f.hi + 1) / f.lo, u))
                                 : std::floor(f.lo + u * (f.hi - f.lo + 1));
    return std::clamp(x, f.lo, f.hi);
  }
  if (u >= 1) return f.hi;
  const double x =
      f.log_scale ? f.lo * std::exp(u * std::log(f.hi / f.lo)) : f.lo + u * (f.hi - f.lo);
  return std::clamp(x, f.lo, f.hi);
}

double to_unit(const Factor& f, double x) {
  if (f.integer) {
    if (f.log_scale) {
      const double mid = 0.5 * (std::log(x / f.lo) + std::log((x + 1) / f.lo));
      return mid / std::log((f.hi + 1) / f.lo);
    }
    return (x - f.lo + 0.5) / (f.hi - f.lo + 1);
  }
  if (f.hi == f.lo) return 0.5;
  if (f.log_scale) return std::log(x / f.lo) / std::log(f.hi / f.lo);
  return (x - f.lo) / (f.hi - f.lo);
}

Design make_design(const DesignSpec& spec) {
  check_names(spec);
  Design d;
  d.kind = spec.kind;
  for (const Factor& f : spec.factors) d.names.push_back(f.name);
  const int dims = static_cast<int>(spec.factors.size());
  switch (spec.kind) {
    case DesignKind::kSingle:
      if (!spec.factors.empty()) fail(spec, "takes no factors");
      d.points.resize(1, 0);
      d.unit_points.resize(1, 0);
      d.base_n = 1;
      return d;
    case DesignKind::kGrid:
      if (spec.factors.empty()) fail(spec, "needs at least one factor");
      build_grid(spec, d);
      return d;
    case DesignKind::kList:
      if (spec.factors.empty()) fail(spec, "needs at least one factor");
      build_list(spec, d);
      return d;
    case DesignKind::kLhs:
      check_sampled(spec);
      check_n(spec);
      check_size(spec, spec.n);
      d.unit_points = latin_hypercube(spec.n, dims, spec.seed);
      d.base_n = spec.n;
      break;
    case DesignKind::kSobol:
      check_sampled(spec);
      check_n(spec);
      check_size(spec, spec.n);
      d.unit_points = sobol_unit(spec.n, dims, spec.scramble, spec.seed);
      d.base_n = spec.n;
      break;
    case DesignKind::kSaltelli: {
      check_sampled(spec);
      check_n(spec);
      const SaltelliLayout layout{spec.n, dims, spec.second_order};
      if (spec.n > kMaxDesignPoints / layout.block()) {
        fail(spec, std::to_string(spec.n) + " base samples of " + std::to_string(layout.block()) +
                       " rows exceed the limit of " + std::to_string(kMaxDesignPoints) + " points");
      }
      d.unit_points = saltelli_unit(spec.n, dims, spec.second_order, spec.scramble, spec.seed);
      d.base_n = spec.n;
      d.second_order = spec.second_order;
      break;
    }
    case DesignKind::kMorris: {
      check_sampled(spec);
      const std::int64_t rows = static_cast<std::int64_t>(spec.morris_trajectories) * (dims + 1);
      check_size(spec, rows);
      d.unit_points = morris_unit(spec.morris_trajectories, dims, spec.morris_levels, spec.seed);
      d.base_n = spec.morris_trajectories;
      d.morris_levels = spec.morris_levels;
      d.morris_delta = morris_delta(spec.morris_levels);
      break;
    }
  }
  map_units(spec.factors, d);
  return d;
}

}  // namespace icn::design
