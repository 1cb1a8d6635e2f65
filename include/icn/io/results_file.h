#pragma once
// The results file of a sweep (`icnsim sweep`, or `icnsim run` with [ensemble]): the
// design, per (point, tick, observable) statistics, per-point statistics of the finals,
// and one row per run. The layout is written and read here only, and documented in
// docs/output-format.md; kFormatVersion (provenance.h) changes with it.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "icn/design/design.h"
#include "icn/exec/sweep.h"
#include "icn/io/hdf5.h"
#include "icn/io/provenance.h"

namespace icn::io {

/// Facts of the sweep that are not in SweepResults.
struct SweepFacts {
  std::uint64_t design_seed = 0;
  /// A shard's file (`icnsim sweep --shard i/n`, exec/shard.h): the design and the
  /// statistics hold only points [first_point, first_point + n_points) of the
  /// design_n_points; /runs/point holds global point indices. shard_count 0: not a shard.
  std::int64_t shard_index = 0;
  std::int64_t shard_count = 0;
  std::int64_t shard_first_point = 0;
  std::int64_t design_n_points = 0;
};

/// Writes `path` atomically (a temporary file renamed into place); the caller has checked
/// the path with check_output_path. Throws RuntimeError on I/O failure.
void write_sweep_results(const std::string& path, const Provenance& prov,
                         const design::Design& design, const SweepFacts& facts,
                         const exec::SweepResults& results);

/// What `icnsim inspect` shows of a results file.
struct ResultsSummary {
  std::vector<std::pair<std::string, std::string>>
      provenance;  ///< root attributes, in a fixed order
  std::string file_kind;
  std::string config;
  // sweep files only:
  std::string design_kind;
  std::vector<std::string> parameter_names;
  std::vector<double> points;  ///< [n_points × n_params]
  std::int64_t n_points = 0;
  std::vector<std::int64_t> replicates;  ///< per point
  std::int64_t n_ticks = 0;              ///< columns of the series (ticks + 1)
  std::vector<std::string> observables;
  std::vector<std::string> finals;
  std::vector<std::vector<std::int64_t>> final_count;  ///< [final][point]
  std::vector<std::vector<double>> final_mean;         ///< [final][point]
  std::vector<std::vector<double>> final_sd;           ///< [final][point]
  std::vector<std::vector<double>> final_median;       ///< [final][point]
  std::int64_t n_runs = 0;
  std::int64_t runs_ok = 0;
  std::vector<std::int64_t> runs_by_status;  ///< index: exec::RunStatus code
  bool has_run_series = false;
};

/// Reads a results file (sweep or single run); throws RuntimeError when it is not one.
ResultsSummary read_results_summary(const std::string& path);

/// RuntimeError unless a dataset `what` read with `got` values has the `want` it should.
void expect_size(std::size_t got, std::int64_t want, const std::string& what);

/// Opens a results file for reading; a missing or non-HDF5 file is an InputError naming it.
h5::File open_results_input(const std::string& path);

}  // namespace icn::io
