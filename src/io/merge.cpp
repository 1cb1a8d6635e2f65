#include "icn/io/merge.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "icn/core/error.h"
#include "icn/design/design.h"
#include "icn/exec/sweep.h"
#include "icn/io/hdf5.h"
#include "icn/io/results_file.h"

namespace icn::io {
namespace {

/// Everything read from one shard file.
struct ShardFile {
  std::string path;
  // Facts that every shard must share, with their names for the error message.
  std::vector<std::pair<std::string, std::string>> identity;
  std::int64_t index = 0, count = 0, first_point = 0, design_n_points = 0, n_points = 0;
  std::string config, model, omp_mode;
  std::int64_t master_seed = 0, n_ranks = 1, n_threads = 1, replicates = 0, ticks = 0, chunk = 0;
  design::Design design;
  std::int64_t design_seed = 0;
  std::vector<std::string> observables, finals;
  std::vector<exec::OutputStats> series, final_stats;
  exec::RunTable runs;
  exec::FailurePolicy failures;
  exec::SweepTiming timing;
};

std::string text_attr(const h5::Group& g, const std::string& name) {
  try {
    return g.attr_string(name);
  } catch (const RuntimeError&) {
    return std::to_string(g.attr_int(name));
  }
}

/// The statistics of one output: `cells` = points × columns values each.
exec::OutputStats read_stats(const h5::Group& g, std::int64_t cells, const std::string& where) {
  exec::OutputStats s;
  s.count = g.read_ints("count");
  s.mean = g.read_doubles("mean");
  s.var = g.read_doubles("var");
  s.min = g.read_doubles("min");
  s.max = g.read_doubles("max");
  s.quantiles = g.read_doubles("quantiles");
  expect_size(s.count.size(), cells, where + "/count");
  expect_size(s.mean.size(), cells, where + "/mean");
  expect_size(s.var.size(), cells, where + "/var");
  expect_size(s.min.size(), cells, where + "/min");
  expect_size(s.max.size(), cells, where + "/max");
  const auto levels = static_cast<std::int64_t>(exec::quantile_levels().size());
  expect_size(s.quantiles.size(), cells * levels, where + "/quantiles");
  return s;
}

Eigen::MatrixXd read_matrix(const h5::Group& g, const std::string& name) {
  std::vector<std::uint64_t> dims;
  const std::vector<double> v = g.read_doubles(name, &dims);
  const auto rows = static_cast<Eigen::Index>(dims.at(0));
  const auto cols = static_cast<Eigen::Index>(dims.size() > 1 ? dims[1] : 1);
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < cols; ++j) m(i, j) = v[static_cast<std::size_t>(i * cols + j)];
  return m;
}

ShardFile read_shard_file(const std::string& path) {
  if (!std::filesystem::is_regular_file(path))
    throw InputError(path + ": no such file (a shard that did not finish?)");
  std::optional<h5::File> file;
  try {
    file.emplace(h5::File::open_read(path));
  } catch (const RuntimeError&) {
    throw InputError(path + ": not an HDF5 file");
  }
  const h5::Group root = file->root();
  if (!root.has_attr("file_kind") || root.attr_string("file_kind") != "sweep")
    throw InputError(path + ": not an icnsim sweep results file");
  if (!root.has_attr("shard_count"))
    throw InputError(path + ": not a shard file (it was not written by `icnsim sweep --shard`)");
  ShardFile s;
  s.path = path;
  for (const char* name :
       {"format_version", "icnsim_version", "git_sha", "model", "master_seed", "config",
        "replicates", "ticks", "chunk", "shard_count", "design_n_points"}) {
    s.identity.emplace_back(name, text_attr(root, name));
  }
  s.index = root.attr_int("shard_index");
  s.count = root.attr_int("shard_count");
  s.first_point = root.attr_int("shard_first_point");
  s.design_n_points = root.attr_int("design_n_points");
  s.n_points = root.attr_int("n_points");
  s.config = root.attr_string("config");
  s.model = root.attr_string("model");
  s.omp_mode = root.attr_string("omp_mode");
  s.master_seed = root.attr_int("master_seed");
  s.n_ranks = root.attr_int("n_ranks");
  s.n_threads = root.attr_int("n_threads");
  s.replicates = root.attr_int("replicates");
  s.ticks = root.attr_int("ticks");
  s.chunk = root.attr_int("chunk");
  s.failures.retries = root.attr_int("retries");
  s.failures.timeout_seconds = root.attr_double("task_timeout_seconds");

  const h5::Group d = root.open_group("design");
  const std::string kind = d.read_strings("kind").at(0);
  const auto parsed = design::parse_kind(kind);
  if (!parsed) throw InputError(path + ": unknown design kind '" + kind + "'");
  s.design.kind = *parsed;
  s.design.names = d.read_strings("parameter_names");
  s.design.points = read_matrix(d, "points");
  s.design.unit_points = read_matrix(d, "unit_points");
  s.design.base_n = d.attr_int("base_n");
  s.design.second_order = d.attr_int("second_order") != 0;
  s.design.morris_levels = static_cast<int>(d.attr_int("morris_levels"));
  s.design.morris_delta = d.attr_double("morris_delta");
  s.design_seed = d.attr_int("seed");
  s.identity.emplace_back("design", kind + " " + std::to_string(s.design.base_n));
  std::string names;
  for (const auto& n : s.design.names) names += n + ",";
  s.identity.emplace_back("design factors", names);
  s.identity.emplace_back("design seed", std::to_string(s.design_seed));
  if (s.design.size() != s.n_points)
    throw InputError(path + ": /design/points has " + std::to_string(s.design.size()) +
                     " rows but n_points is " + std::to_string(s.n_points));

  const h5::Group series = root.open_group("series");
  s.observables = series.read_strings("observable_names");
  for (const auto& o : s.observables)
    s.series.push_back(
        read_stats(series.open_group(o), s.n_points * (s.ticks + 1), "/series/" + o));
  const h5::Group fin = root.open_group("final");
  s.finals = fin.read_strings("final_names");
  for (const auto& f : s.finals)
    s.final_stats.push_back(read_stats(fin.open_group(f), s.n_points, "/final/" + f));

  const h5::Group runs = root.open_group("runs");
  s.runs.point = runs.read_ints("point");
  s.runs.replicate = runs.read_ints("replicate");
  s.runs.status = runs.read_ints("status");
  s.runs.attempts = runs.read_ints("attempts");
  s.runs.message = runs.read_strings("message");
  s.runs.rank = runs.read_ints("rank");
  s.runs.wall_seconds = runs.read_doubles("wall_seconds");
  const h5::Group rf = runs.open_group("final");
  for (const auto& f : s.finals) s.runs.finals.push_back(rf.read_doubles(f));
  const h5::Group rl = runs.open_group("last");
  for (const auto& o : s.observables) s.runs.last.push_back(rl.read_doubles(o));
  if (runs.exists("series")) s.runs.series = runs.read_doubles("series");
  const std::int64_t n_runs = s.n_points * s.replicates;
  for (const auto* column :
       {&s.runs.point, &s.runs.replicate, &s.runs.status, &s.runs.attempts, &s.runs.rank})
    expect_size(column->size(), n_runs, "a /runs column");
  expect_size(s.runs.message.size(), n_runs, "/runs/message");
  expect_size(s.runs.wall_seconds.size(), n_runs, "/runs/wall_seconds");
  for (const auto& column : s.runs.finals) expect_size(column.size(), n_runs, "/runs/final");
  for (const auto& column : s.runs.last) expect_size(column.size(), n_runs, "/runs/last");
  if (!s.runs.series.empty()) {
    expect_size(s.runs.series.size(),
                n_runs * (s.ticks + 1) * static_cast<std::int64_t>(s.observables.size()),
                "/runs/series");
  }
  std::string outputs;
  for (const auto& o : s.observables) outputs += o + ",";
  outputs += ";";
  for (const auto& f : s.finals) outputs += f + ",";
  s.identity.emplace_back("outputs", outputs);
  s.identity.emplace_back("--keep-runs", s.runs.series.empty() ? "no" : "yes");

  const h5::Group timing = root.open_group("timing");
  s.timing.wall_seconds = timing.attr_double("wall_seconds");
  s.timing.dispatch_seconds = timing.attr_double("dispatch_seconds");
  s.timing.batches = timing.attr_int("batches");
  s.timing.busy_seconds = timing.read_doubles("busy_seconds");
  return s;
}

template <typename T>
void append(std::vector<T>& to, const std::vector<T>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

void append_stats(exec::OutputStats& to, const exec::OutputStats& from) {
  append(to.count, from.count);
  append(to.mean, from.mean);
  append(to.var, from.var);
  append(to.min, from.min);
  append(to.max, from.max);
  append(to.quantiles, from.quantiles);
}

std::string range_text(std::int64_t first, std::int64_t last) {
  return last - first == 1 ? "point " + std::to_string(first)
                           : "points " + std::to_string(first) + ".." + std::to_string(last - 1);
}

}  // namespace

MergeSummary merge_shards(const std::vector<std::string>& inputs, const std::string& output,
                          const std::string& command_line) {
  if (inputs.empty()) throw InputError("merge: no shard files given");
  std::vector<ShardFile> shards;
  shards.reserve(inputs.size());
  for (const auto& p : inputs) {
    try {
      shards.push_back(read_shard_file(p));
    } catch (const RuntimeError& e) {  // a part missing or of the wrong type: a damaged file
      throw InputError(p + ": not a complete icnsim shard file (" + e.what() + ")");
    }
  }

  const ShardFile& ref = shards.front();
  for (const ShardFile& s : shards) {
    for (std::size_t k = 0; k < ref.identity.size(); ++k) {
      if (s.identity.at(k) != ref.identity[k]) {
        throw InputError("merge: " + s.path + " and " + ref.path +
                         " are not shards of the same sweep: their " + ref.identity[k].first +
                         " differ");
      }
    }
  }

  // Coverage: shards in point order must tile [0, design_n_points) exactly.
  std::sort(shards.begin(), shards.end(), [](const ShardFile& a, const ShardFile& b) {
    return a.first_point != b.first_point ? a.first_point < b.first_point : a.index < b.index;
  });
  const std::int64_t total = shards.front().design_n_points;
  std::int64_t next = 0;
  const ShardFile* previous = nullptr;
  for (const ShardFile& s : shards) {
    if (s.first_point < next) {
      throw InputError(
          "merge: " + range_text(s.first_point, std::min(next, s.first_point + s.n_points)) +
          " of the design are in both " + previous->path + " and " + s.path +
          " (a shard given twice?)");
    }
    if (s.first_point > next) {
      throw InputError("merge: " + range_text(next, s.first_point) + " of the " +
                       std::to_string(total) + " design points are in no shard given (" +
                       std::to_string(shards.size()) + " of " + std::to_string(s.count) +
                       " shards given)");
    }
    next = s.first_point + s.n_points;
    previous = &s;
  }
  if (next != total) {
    throw InputError("merge: " + range_text(next, total) + " of the " + std::to_string(total) +
                     " design points are in no shard given (" + std::to_string(shards.size()) +
                     " of " + std::to_string(ref.count) + " shards given)");
  }

  const ShardFile& first = shards.front();
  design::Design d = first.design;
  d.points.resize(total, first.design.dims());
  d.unit_points.resize(total, first.design.dims());
  exec::SweepResults r;
  r.n_points = total;
  r.replicates = first.replicates;
  r.ticks = first.ticks;
  r.chunk = first.chunk;
  r.failures = first.failures;  // a fact, not identity: shards may have used other policies
  r.observables = first.observables;
  r.finals = first.finals;
  r.series.resize(first.observables.size());
  r.final_stats.resize(first.finals.size());
  r.runs.finals.resize(first.finals.size());
  r.runs.last.resize(first.observables.size());
  r.omp_mode = *exec::parse_omp_mode(first.omp_mode);
  r.threads = static_cast<int>(first.n_threads);
  r.n_ranks = static_cast<int>(first.n_ranks);
  for (const ShardFile& s : shards) {
    d.points.middleRows(s.first_point, s.n_points) = s.design.points;
    d.unit_points.middleRows(s.first_point, s.n_points) = s.design.unit_points;
    for (std::size_t k = 0; k < s.series.size(); ++k) append_stats(r.series[k], s.series[k]);
    for (std::size_t j = 0; j < s.final_stats.size(); ++j)
      append_stats(r.final_stats[j], s.final_stats[j]);
    append(r.runs.point, s.runs.point);
    append(r.runs.replicate, s.runs.replicate);
    append(r.runs.status, s.runs.status);
    append(r.runs.attempts, s.runs.attempts);
    append(r.runs.message, s.runs.message);
    append(r.runs.rank, s.runs.rank);
    append(r.runs.wall_seconds, s.runs.wall_seconds);
    for (std::size_t j = 0; j < s.finals.size(); ++j) append(r.runs.finals[j], s.runs.finals[j]);
    for (std::size_t k = 0; k < s.observables.size(); ++k) append(r.runs.last[k], s.runs.last[k]);
    append(r.runs.series, s.runs.series);
    r.timing.wall_seconds = std::max(r.timing.wall_seconds, s.timing.wall_seconds);
    r.timing.dispatch_seconds += s.timing.dispatch_seconds;
    r.timing.batches += s.timing.batches;
    append(r.timing.busy_seconds, s.timing.busy_seconds);
  }

  const Provenance prov{"sweep",
                        command_line,
                        first.config,
                        first.model,
                        static_cast<std::uint64_t>(first.master_seed),
                        static_cast<int>(first.n_ranks),
                        static_cast<int>(first.n_threads)};
  SweepFacts facts;
  facts.design_seed = static_cast<std::uint64_t>(first.design_seed);
  write_sweep_results(output, prov, d, facts, r);
  return MergeSummary{static_cast<std::int64_t>(shards.size()), total,
                      static_cast<std::int64_t>(r.runs.point.size())};
}

}  // namespace icn::io
