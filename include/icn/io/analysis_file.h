#pragma once
// The analysis side of a sweep results file (`icnsim analyze`): what it reads — the design
// and the per-point statistics of one output, never the per-run table — and what it writes,
// /analysis/<statistic>/<observable>. The layout is documented in docs/output-format.md.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "icn/analysis/morris_screening.h"
#include "icn/analysis/point_stats.h"
#include "icn/analysis/sobol_indices.h"
#include "icn/analysis/window_stats.h"
#include "icn/design/design.h"
#include "icn/io/hdf5.h"

namespace icn::io {

/// Which per-point value of an output the indices describe.
enum class StatisticKind {
  kFinal,   ///< the final value of each replicate (/final/<name>)
  kTick,    ///< the value at one tick (/series/<name>, one column)
  kWindow,  ///< the average over a window of ticks (/series/<name>, window_stats.h)
};
std::string_view statistic_name(StatisticKind kind);

struct StatisticSpec {
  StatisticKind kind = StatisticKind::kFinal;
  std::int64_t tick = 0;   ///< kTick
  std::int64_t first = 0;  ///< kWindow: ticks first..last, both included
  std::int64_t last = 0;
  analysis::WindowNoise window_noise = analysis::WindowNoise::kCorrelated;
};

/// A sweep results file opened for reading. Every failure to read it — missing, not HDF5,
/// not a sweep file, a part missing or of the wrong shape — is an InputError naming it.
class ResultsReader {
 public:
  /// `block_values` bounds the values read per dataset and block of points (tests shrink it).
  explicit ResultsReader(const std::string& path, std::int64_t block_values = 1 << 20);

  const std::string& path() const { return path_; }
  const std::string& model() const { return model_; }
  /// The design as stored: kind, names, points, unit points and the layout facts.
  const design::Design& design() const { return design_; }
  /// Ticks of the series (they have ticks() + 1 columns, tick 0 the initial state).
  std::int64_t ticks() const { return ticks_; }
  /// The outputs a statistic reads: the finals for kFinal, the series observables otherwise.
  const std::vector<std::string>& outputs(StatisticKind kind) const;
  /// InputError naming the file and its outputs unless `output` is one of outputs(kind).
  void check_output(const std::string& output, StatisticKind kind) const;
  /// Per-point statistics of `output`. Series are read a block of points at a time and
  /// only at the tick or window's columns, so memory grows with the points, not the ticks.
  /// InputError for an unknown output or a tick outside the series.
  analysis::PointStats point_stats(const std::string& output, const StatisticSpec& spec) const;

 private:
  analysis::PointStats read_final(const std::string& output) const;
  analysis::PointStats read_series(const std::string& output, const StatisticSpec& spec) const;

  std::string path_;
  std::int64_t block_values_;
  h5::File file_;
  std::string model_;
  design::Design design_;
  std::int64_t ticks_ = 0;
  std::vector<std::string> series_names_;
  std::vector<std::string> final_names_;
};

/// Facts stored with each analysis besides the estimator's result.
struct AnalysisHeader {
  StatisticSpec statistic;
  std::string observable;
  std::vector<std::string> parameter_names;
  std::string design_kind;
  std::vector<std::int64_t> unusable_points;  ///< count 0 or a non-finite mean
  std::uint64_t seed = 0;                     ///< of the bootstrap
  std::string command_line;
};

using AnalysisResult = std::variant<analysis::SobolResult, analysis::MorrisResult>;

struct AnalysisEntry {
  AnalysisHeader header;
  AnalysisResult result;
};

/// Throws InputError naming `path` when the analysis could not be written there later:
/// the file (in_place) or its directory (otherwise) is not writable.
void check_analysis_writable(const std::string& path, bool in_place);

/// Writes every entry into the results file `path`, replacing any previous
/// /analysis/<statistic>/<observable> group of the same names. Unless `in_place`, the
/// writes go to a copy that then replaces `path` atomically (atomic_file.h), so a crash
/// leaves the sweep's results whole; in place avoids the copy of a large file at that risk.
/// Throws RuntimeError on I/O failure.
void write_analyses(const std::string& path, const std::vector<AnalysisEntry>& entries,
                    bool in_place);

}  // namespace icn::io
