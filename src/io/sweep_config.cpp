#include "icn/io/sweep_config.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "icn/core/error.h"

namespace icn::io {

const ParamTable<EnsembleParams>& ensemble_table() {
  using E = EnsembleParams;
  static const ParamTable<E> table(
      "ensemble",
      {
          {"replicates", &E::replicates, 1, 1e9, "", "replicates per design point"},
          {"chunk", &E::chunk, 1, 1e6, "replicates",
           "replicates per chunk: the unit of scheduling and of aggregation (results depend on it, "
           "never on ranks or threads)"},
          {"omp_mode",
           &E::omp_mode,
           0,
           0,
           "",
           "OpenMP use: several replicates at once (one thread each), threads inside one "
           "replicate, "
           "or auto",
           {"auto", "replicates", "inside"}},
          {"keep_runs", &E::keep_runs, 0, 1, "",
           "also store every replicate's full series in /runs/series"},
          {"progress_every", &E::progress_every, 0, 1e6, "s",
           "seconds between progress lines (0: none)"},
          {"retries", &E::retries, 0, 100, "",
           "further attempts, with the same random key, of a run that fails (model error, "
           "non-finite output, timeout)"},
          {"task_timeout", &E::task_timeout, 0, 1e9, "s",
           "a run's attempt fails once it has run this long, checked after each tick (0: "
           "no limit)"},
      });
  return table;
}

const ParamTable<DesignParams>& design_table() {
  using D = DesignParams;
  static const ParamTable<D> table(
      "design",
      {
          {"kind",
           &D::kind,
           0,
           0,
           "",
           "design of experiments",
           {"single", "grid", "list", "lhs", "sobol", "saltelli", "morris"}},
          {"n", &D::n, 1, static_cast<double>(design::kMaxDesignPoints), "points",
           "lhs, sobol: points; saltelli: base samples N"},
          {"seed", &D::seed, 0, 9.0e18, "", "seed of the design's randomness (default: run.seed)"},
          {"scramble", &D::scramble, 0, 1, "", "sobol, saltelli: randomise the Sobol' sequence"},
          {"second_order", &D::second_order, 0, 1, "", "saltelli: add the BA blocks"},
          {"morris_levels", &D::morris_levels, 2, 1000, "", "morris: grid levels p (even)"},
          {"trajectories", &D::trajectories, 1, 1e7, "", "morris: trajectories r"},
      });
  return table;
}

const std::vector<std::string>& factor_keys() {
  static const std::vector<std::string> keys = {"name", "lo",     "hi",      "integer",
                                                "log",  "levels", "n_levels"};
  return keys;
}

namespace {

using design::DesignKind;

/// Which [design] keys a kind uses; others are an error (they would be silently ignored).
bool design_key_applies(const std::string& key, DesignKind kind) {
  if (key == "kind") return true;
  if (key == "factors") return kind != DesignKind::kSingle;
  if (key == "n")
    return kind == DesignKind::kLhs || kind == DesignKind::kSobol || kind == DesignKind::kSaltelli;
  if (key == "seed") {
    return kind == DesignKind::kLhs || kind == DesignKind::kSobol ||
           kind == DesignKind::kSaltelli || kind == DesignKind::kMorris;
  }
  if (key == "scramble") return kind == DesignKind::kSobol || kind == DesignKind::kSaltelli;
  if (key == "second_order") return kind == DesignKind::kSaltelli;
  if (key == "morris_levels" || key == "trajectories") return kind == DesignKind::kMorris;
  if (key == "points") return kind == DesignKind::kList;
  return false;
}

std::string number_text(double x) {
  std::ostringstream s;
  s.precision(17);
  s << x;
  return s.str();
}

class DesignReader {
 public:
  DesignReader(const Config& cfg, const toml::table& t) : cfg_(cfg), t_(t) {}

  design::DesignSpec read() {
    ParamValues values = design_table().defaults();
    read_table(t_, values, cfg_.origin, {"factors", "points"});
    const DesignParams p = design_table().from_values(values);
    if (!t_.contains("kind")) {
      throw InputError(where(cfg_.origin, t_) +
                       ": [design]: key 'design.kind' is missing (one of " +
                       range_text(design_table().schema().specs[0]) + ")");
    }
    design::DesignSpec spec;
    spec.kind = *design::parse_kind(p.kind);  // the table's choices are the kind names
    for (const auto& [key, node] : t_) {
      const std::string name(key.str());
      if (!design_key_applies(name, spec.kind)) {
        throw InputError(where(cfg_.origin, node) + ": key 'design." + name +
                         "' does not apply to kind = \"" + p.kind + "\"");
      }
    }
    const bool needs_n = spec.kind == DesignKind::kLhs || spec.kind == DesignKind::kSobol ||
                         spec.kind == DesignKind::kSaltelli;
    if (needs_n && !t_.contains("n")) {
      throw InputError(where(cfg_.origin, t_) + ": [design]: key 'design.n' is missing (kind = \"" +
                       p.kind + "\" needs the number of " +
                       (spec.kind == DesignKind::kSaltelli ? "base samples" : "points") + ")");
    }
    spec.n = p.n;
    spec.seed = static_cast<std::uint64_t>(t_.contains("seed") ? p.seed : cfg_.run.seed);
    spec.scramble = p.scramble;
    spec.second_order = p.second_order;
    spec.morris_levels = static_cast<int>(p.morris_levels);
    spec.morris_trajectories = static_cast<int>(p.trajectories);
    if (spec.kind != DesignKind::kSingle) read_factors(spec);
    if (spec.kind == DesignKind::kList) read_points(spec);
    return spec;
  }

 private:
  void read_factors(design::DesignSpec& spec) {
    const toml::node* node = t_.get("factors");
    if (!node) {
      throw InputError(where(cfg_.origin, t_) +
                       ": [design]: key 'design.factors' is missing: add one " +
                       "[[design.factors]] table per varied parameter");
    }
    const toml::array* arr = node->as_array();
    if (!arr || arr->empty()) {
      throw InputError(
          where(cfg_.origin, *node) +
          ": key 'design.factors': expected a non-empty array of tables ([[design.factors]])");
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const toml::node& f = *arr->get(i);
      const toml::table* ft = f.as_table();
      const std::string key = "design.factors[" + std::to_string(i) + "]";
      if (!ft)
        throw InputError(where(cfg_.origin, f) + ": key '" + key +
                         "': expected a table with name, lo, hi");
      spec.factors.push_back(read_factor(*ft, key, spec.kind));
      if (!seen.insert(spec.factors.back().name).second) {
        throw InputError(where(cfg_.origin, f) + ": key '" + key + ".name': parameter '" +
                         spec.factors.back().name + "' is already a factor");
      }
    }
  }

  double number(const toml::node& node, const std::string& key) const {
    if (auto i = node.value_exact<std::int64_t>()) return static_cast<double>(*i);
    if (auto d = node.value_exact<double>()) {
      if (std::isfinite(*d)) return *d;
    }
    throw InputError(where(cfg_.origin, node) + ": key '" + key + "': expected a finite number");
  }

  bool boolean(const toml::node& node, const std::string& key) const {
    if (auto b = node.value_exact<bool>()) return *b;
    throw InputError(where(cfg_.origin, node) + ": key '" + key +
                     "': expected a boolean (true or false)");
  }

  // Checks a value of the factor against the parameter's valid range.
  void check_in_range(const toml::node& node, const std::string& key, const ParamSpec& ps,
                      double x) const {
    if (x < ps.lo || x > ps.hi) {
      throw InputError(where(cfg_.origin, node) + ": key '" + key + "': " + number_text(x) +
                       " is outside the valid range " + range_text(ps) + " of model." + ps.name);
    }
    if (ps.kind == ParamKind::kInt && std::floor(x) != x) {
      throw InputError(where(cfg_.origin, node) + ": key '" + key + "': model." + ps.name +
                       " is an integer parameter; " + number_text(x) + " is not an integer");
    }
  }

  design::Factor read_factor(const toml::table& ft, const std::string& key, DesignKind kind) const {
    for (const auto& [k, node] : ft) {
      const std::string name(k.str());
      if (std::find(factor_keys().begin(), factor_keys().end(), name) == factor_keys().end()) {
        std::string msg = where(cfg_.origin, node) + ": unknown key '" + key + "." + name + "'";
        const std::string hint = did_you_mean(name, factor_keys());
        if (!hint.empty()) msg += " (did you mean '" + key + "." + hint + "'?)";
        throw InputError(msg);
      }
      if ((name == "levels" || name == "n_levels") && kind != DesignKind::kGrid) {
        throw InputError(where(cfg_.origin, node) + ": key '" + key + "." + name +
                         "' applies only to kind = \"grid\"");
      }
    }
    const toml::node* name_node = ft.get("name");
    if (!name_node || !name_node->is_string()) {
      throw InputError(
          where(cfg_.origin, name_node ? *name_node : static_cast<const toml::node&>(ft)) +
          ": key '" + key + ".name': expected the name of a [model] parameter");
    }
    design::Factor f;
    f.name = *name_node->value<std::string>();
    const ParamSchema& schema = *cfg_.model->schema;
    const auto index = schema.find(f.name);
    if (!index) {
      std::string msg = where(cfg_.origin, *name_node) + ": key '" + key + ".name': model \"" +
                        cfg_.model->name + "\" has no parameter '" + f.name + "'";
      const std::string hint = did_you_mean(f.name, schema.names());
      if (!hint.empty()) msg += " (did you mean '" + hint + "'?)";
      throw InputError(msg);
    }
    const ParamSpec& ps = schema.specs[*index];
    if (!ps.is_numeric()) {
      throw InputError(where(cfg_.origin, *name_node) + ": key '" + key + ".name': model." +
                       f.name + " is a " + std::string(kind_name(ps.kind)) +
                       " parameter; only int and real parameters can be factors");
    }

    f.integer = ps.kind == ParamKind::kInt;
    if (const toml::node* n = ft.get("integer")) {
      const bool integer = boolean(*n, key + ".integer");
      if (!integer && ps.kind == ParamKind::kInt) {
        throw InputError(where(cfg_.origin, *n) + ": key '" + key + ".integer': model." + f.name +
                         " is an integer parameter");
      }
      f.integer = integer;
    }
    if (const toml::node* n = ft.get("log")) f.log_scale = boolean(*n, key + ".log");

    const bool has_levels = ft.contains("levels");
    const bool range_required =
        kind != DesignKind::kList && !(kind == DesignKind::kGrid && has_levels);
    f.lo = ps.lo;
    f.hi = ps.hi;
    for (const char* bound : {"lo", "hi"}) {
      const toml::node* n = ft.get(bound);
      if (!n) {
        if (range_required) {
          throw InputError(where(cfg_.origin, ft) + ": key '" + key + "." + bound +
                           "' is missing (factor '" + f.name + "', valid range " + range_text(ps) +
                           ")");
        }
        continue;
      }
      const double x = number(*n, key + "." + bound);
      check_in_range(*n, key + "." + bound, ps, x);
      (std::string(bound) == "lo" ? f.lo : f.hi) = x;
    }
    if (range_required && !(f.lo < f.hi)) {
      throw InputError(where(cfg_.origin, ft) + ": factor '" + f.name + "' (" + key +
                       "): needs lo < hi, got [" + number_text(f.lo) + ", " + number_text(f.hi) +
                       "]");
    }
    if (f.log_scale && range_required && !(f.lo > 0)) {
      throw InputError(where(cfg_.origin, ft) + ": factor '" + f.name + "' (" + key +
                       "): log = true needs lo > 0, got " + number_text(f.lo));
    }

    if (const toml::node* n = ft.get("levels")) {
      const toml::array* arr = n->as_array();
      if (!arr || arr->empty()) {
        throw InputError(where(cfg_.origin, *n) + ": key '" + key +
                         ".levels': expected a non-empty array of numbers");
      }
      for (std::size_t i = 0; i < arr->size(); ++i) {
        const std::string lk = key + ".levels[" + std::to_string(i) + "]";
        const double x = number(*arr->get(i), lk);
        check_in_range(*arr->get(i), lk, ps, x);
        f.levels.push_back(x);
      }
    }
    if (const toml::node* n = ft.get("n_levels")) {
      const auto v = n->value_exact<std::int64_t>();
      if (!v || *v < 2 || *v > 1'000'000) {
        throw InputError(where(cfg_.origin, *n) + ": key '" + key +
                         ".n_levels': expected an integer in [2, 1000000]");
      }
      f.n_levels = static_cast<int>(*v);
    }
    if (kind == DesignKind::kGrid && !has_levels && f.n_levels == 0) {
      throw InputError(where(cfg_.origin, ft) + ": factor '" + f.name + "' (" + key +
                       "): a grid factor needs levels = [...] or n_levels (with lo and hi)");
    }
    return f;
  }

  void read_points(design::DesignSpec& spec) const {
    const toml::node* node = t_.get("points");
    if (!node) {
      throw InputError(where(cfg_.origin, t_) +
                       ": [design]: key 'design.points' is missing (kind = \"list\" " +
                       "needs points = [[...], ...], one value per factor)");
    }
    const toml::array* rows = node->as_array();
    if (!rows || rows->empty()) {
      throw InputError(where(cfg_.origin, *node) +
                       ": key 'design.points': expected a non-empty array of arrays");
    }
    for (std::size_t r = 0; r < rows->size(); ++r) {
      const toml::node& rn = *rows->get(r);
      const std::string key = "design.points[" + std::to_string(r) + "]";
      const toml::array* row = rn.as_array();
      if (!row || row->size() != spec.factors.size()) {
        throw InputError(where(cfg_.origin, rn) + ": key '" + key + "': expected an array of " +
                         std::to_string(spec.factors.size()) + " numbers (one per factor)");
      }
      std::vector<double> values;
      for (std::size_t j = 0; j < row->size(); ++j) {
        const std::string vk = key + "[" + std::to_string(j) + "]";
        const double x = number(*row->get(j), vk);
        const ParamSpec& ps =
            cfg_.model->schema->specs[*cfg_.model->schema->find(spec.factors[j].name)];
        check_in_range(*row->get(j), vk, ps, x);
        const design::Factor& f = spec.factors[j];
        if (x < f.lo || x > f.hi) {
          throw InputError(where(cfg_.origin, *row->get(j)) + ": key '" + vk +
                           "': " + number_text(x) + " is outside factor '" + f.name + "' range [" +
                           number_text(f.lo) + ", " + number_text(f.hi) + "]");
        }
        values.push_back(x);
      }
      spec.list_points.push_back(std::move(values));
    }
  }

  const Config& cfg_;
  const toml::table& t_;
};

}  // namespace

SweepConfig read_sweep_config(const Config& cfg) {
  SweepConfig sc;
  ParamValues ens = ensemble_table().defaults();
  if (const toml::table* t = cfg.extra["ensemble"].as_table()) {
    read_table(*t, ens, cfg.origin);
    sc.has_ensemble = true;
  }
  sc.ensemble = ensemble_table().from_values(ens);
  if (const toml::table* t = cfg.extra["design"].as_table()) {
    sc.design = DesignReader(cfg, *t).read();
    sc.has_design = true;
  } else {
    sc.design.kind = DesignKind::kSingle;
    sc.design.seed = static_cast<std::uint64_t>(cfg.run.seed);
  }
  return sc;
}

design::Design build_design(const Config& cfg, const SweepConfig& sc) {
  try {
    return design::make_design(sc.design);
  } catch (const InputError& e) {
    throw InputError(cfg.origin + ": [design]: " + e.what());
  }
}

}  // namespace icn::io
