#pragma once
// Designs of experiments: which parameter points a study runs.
//
// A DesignSpec (kind, factors, sizes, seed) becomes a Design: an n_points × n_factors
// matrix in the factors' own units plus the same points in the unit cube, and the layout
// facts the sensitivity estimators need. A design is a pure function of its spec: the
// random generators (LHS, scrambled Sobol', Morris) draw from counter-based streams keyed
// by spec.seed (see detail/streams.h), so every rank that builds it gets the same matrix.
//
// Unit-to-factor mapping (from_unit), used by lhs, sobol, saltelli and morris:
//   real, linear   x = lo + u (hi - lo)
//   real, log      x = lo (hi / lo)^u                     (needs 0 < lo)
//   integer        x = floor(lo + u (hi - lo + 1)), at most hi: every integer in [lo, hi]
//                  gets an equal share of the unit interval
//   integer, log   x = floor(lo ((hi + 1) / lo)^u), at most hi: integer k gets the share
//                  log((k + 1) / k) / log((hi + 1) / lo)
// Grid designs use their own level lists (grid.h); list designs take points as given and
// record their unit coordinates through the inverse map (to_unit).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

namespace icn::design {

/// Most rows a design may have; larger requests are an InputError, not an allocation failure.
inline constexpr std::int64_t kMaxDesignPoints = 100'000'000;

/// One varied parameter.
struct Factor {
  std::string name;
  double lo = 0;  ///< inclusive range
  double hi = 1;
  bool integer = false;
  bool log_scale = false;
  std::vector<double> levels;  ///< grid only: explicit levels; empty = n_levels from lo..hi
  int n_levels = 0;            ///< grid only: levels spread over [lo, hi] (>= 2)
};

enum class DesignKind { kSingle, kGrid, kList, kLhs, kSobol, kSaltelli, kMorris };

struct DesignSpec {
  DesignKind kind = DesignKind::kSingle;
  std::vector<Factor> factors;
  std::int64_t n = 0;                            ///< lhs, sobol: points; saltelli: base samples N
  bool scramble = true;                          ///< sobol, saltelli
  bool second_order = false;                     ///< saltelli: add the BA_i blocks
  int morris_levels = 4;                         ///< p, even
  int morris_trajectories = 10;                  ///< r
  std::vector<std::vector<double>> list_points;  ///< list: rows in factor units
  std::uint64_t seed = 0;
};

struct Design {
  DesignKind kind = DesignKind::kSingle;
  std::vector<std::string> names;
  Eigen::MatrixXd points;       ///< n_points × n_factors, factor units (after log/int mapping)
  Eigen::MatrixXd unit_points;  ///< the same in [0,1]^d before mapping
  /// saltelli: N; morris: trajectories r; others: the number of points.
  std::int64_t base_n = 0;
  bool second_order = false;  ///< saltelli
  int morris_levels = 0;      ///< morris: p
  double morris_delta = 0;    ///< morris: p / (2 (p - 1)) in unit space

  std::int64_t size() const { return points.rows(); }
  int dims() const { return static_cast<int>(points.cols()); }
};

/// Builds the design; throws icn::InputError naming the factor and the reason on bad specs.
Design make_design(const DesignSpec& spec);

/// "single", "grid", "list", "lhs", "sobol", "saltelli", "morris".
std::string_view kind_name(DesignKind kind);
std::optional<DesignKind> parse_kind(std::string_view name);

/// The factor value of unit coordinate u in [0, 1] (rules in the header comment).
double from_unit(const Factor& f, double u);
/// A unit coordinate of value x: the inverse of from_unit, or for integers the middle of
/// x's share of the unit interval.
double to_unit(const Factor& f, double x);

}  // namespace icn::design
