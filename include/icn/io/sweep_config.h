#pragma once
// The [design] and [ensemble] sections of a configuration: which parameter points a
// sweep runs, and how (replicates, chunking, threading). Read with the conventions of
// config.h: unknown keys are rejected with a suggestion, and every error names the file,
// line and column, the key and the reason.
//
//   [design]
//   kind = "lhs"              # grid | list | lhs | sobol | saltelli | morris
//   n = 64                    # lhs, sobol: points; saltelli: base samples N
//   [[design.factors]]        # one table per varied [model] parameter, in order
//   name = "x1"
//   lo = -3.14
//   hi = 3.14                 # optional: integer = true, log = true
//
//   [ensemble]
//   replicates = 20           # per design point
//
// Replicates belong to [ensemble], not [design]: the design says where in parameter
// space to look, the ensemble how hard to look there; so one design can be rerun with
// more replicates without touching it.
#include <cstdint>
#include <string>

#include "icn/core/params.h"
#include "icn/design/design.h"
#include "icn/io/config.h"

namespace icn::io {

/// [ensemble]: how a sweep runs.
struct EnsembleParams {
  std::int64_t replicates = 1;    ///< replicates per design point
  std::int64_t chunk = 16;        ///< replicates per chunk (the unit of scheduling and aggregation)
  std::string omp_mode = "auto";  ///< replicates | inside | auto (see exec/sweep.h)
  bool keep_runs = false;         ///< also store every replicate's full series (/runs/series)
  double progress_every = 5.0;    ///< seconds between progress lines on stderr (0: none)
  std::int64_t retries = 1;       ///< further attempts of a failed run (exec/replicate.h)
  double task_timeout = 0;        ///< seconds per attempt; 0: no limit
};
const ParamTable<EnsembleParams>& ensemble_table();

/// The scalar keys of [design]; `factors` and `points` are arrays, read separately.
struct DesignParams {
  std::string kind = "single";
  std::int64_t n = 0;
  std::int64_t seed = 0;  ///< default: run.seed
  bool scramble = true;
  bool second_order = false;
  std::int64_t morris_levels = 4;
  std::int64_t trajectories = 10;
};
const ParamTable<DesignParams>& design_table();

/// Keys of one [[design.factors]] table, for the documentation and suggestions.
const std::vector<std::string>& factor_keys();

struct SweepConfig {
  design::DesignSpec design;  ///< kind kSingle (the [model] point) without a [design] section
  EnsembleParams ensemble;
  bool has_design = false;
  bool has_ensemble = false;
};

/// Reads and validates [design] and [ensemble] of `cfg`: factor names against the model's
/// schema, ranges against each parameter's valid range, and which keys apply to which
/// kind. Throws InputError.
SweepConfig read_sweep_config(const Config& cfg);

/// Builds the design of `sc`, prefixing design errors with the configuration's origin.
design::Design build_design(const Config& cfg, const SweepConfig& sc);

}  // namespace icn::io
