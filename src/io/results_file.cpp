#include "icn/io/results_file.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "icn/core/error.h"
#include "icn/io/atomic_file.h"
#include "icn/io/hdf5.h"

namespace icn::io {
namespace {

using Dims = std::vector<std::uint64_t>;

std::uint64_t u(std::int64_t x) { return static_cast<std::uint64_t>(x); }

void write_f64(const h5::Group& g, const std::string& name, const std::vector<double>& v,
               Dims dims) {
  g.write(name, std::span<const double>(v), std::move(dims));
}

void write_i64(const h5::Group& g, const std::string& name, const std::vector<std::int64_t>& v,
               Dims dims) {
  g.write(name, std::span<const std::int64_t>(v), std::move(dims));
}

void write_design(const h5::Group& root, const design::Design& d, const SweepFacts& facts,
                  const exec::SweepResults& r) {
  const h5::Group g = root.create_group("design");
  g.write_strings("kind", {std::string(design::kind_name(d.kind))});
  g.write_strings("parameter_names", d.names);
  const auto n = u(d.size());
  const auto p = static_cast<std::uint64_t>(d.dims());
  // Eigen stores column-major; the file is row-major [point × parameter].
  std::vector<double> points(n * p), unit(n * p);
  for (std::uint64_t i = 0; i < n; ++i) {
    for (std::uint64_t j = 0; j < p; ++j) {
      points[i * p + j] = d.points(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
      unit[i * p + j] = d.unit_points(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
    }
  }
  write_f64(g, "points", points, {n, p});
  write_f64(g, "unit_points", unit, {n, p});
  write_i64(g, "replicates", std::vector<std::int64_t>(n, r.replicates), {n});
  g.set_attr("base_n", d.base_n);
  g.set_attr("second_order", static_cast<std::int64_t>(d.second_order));
  g.set_attr("morris_levels", static_cast<std::int64_t>(d.morris_levels));
  g.set_attr("morris_delta", d.morris_delta);
  g.set_attr("seed", static_cast<std::int64_t>(facts.design_seed));
}

void write_stats(const h5::Group& g, const exec::OutputStats& s, Dims dims) {
  Dims qdims = dims;
  qdims.push_back(exec::quantile_levels().size());
  write_i64(g, "count", s.count, dims);
  write_f64(g, "mean", s.mean, dims);
  write_f64(g, "var", s.var, dims);
  write_f64(g, "min", s.min, dims);
  write_f64(g, "max", s.max, dims);
  write_f64(g, "quantiles", s.quantiles, qdims);
}

// Output names become group names next to these datasets; a model must not shadow them.
void check_names(const std::vector<std::string>& names, const std::vector<std::string>& reserved,
                 const std::string& where) {
  for (const auto& n : names) {
    if (n.empty() || n.find('/') != std::string::npos || n == "." ||
        std::find(reserved.begin(), reserved.end(), n) != reserved.end()) {
      throw RuntimeError("results file: the model's output name '" + n + "' cannot be a group of " +
                         where);
    }
  }
}

void write_series(const h5::Group& root, const exec::SweepResults& r) {
  check_names(r.observables, {"tick", "quantile_levels", "observable_names"}, "/series");
  const h5::Group g = root.create_group("series");
  const auto cols = u(r.ticks + 1);
  std::vector<std::int64_t> ticks(cols);
  for (std::uint64_t t = 0; t < cols; ++t) ticks[t] = static_cast<std::int64_t>(t);
  write_i64(g, "tick", ticks, {cols});
  write_f64(g, "quantile_levels", exec::quantile_levels(), {exec::quantile_levels().size()});
  g.write_strings("observable_names", r.observables);
  g.set_attr("variance", std::string("sample variance, divisor count - 1 (0 when count < 2)"));
  for (std::size_t k = 0; k < r.observables.size(); ++k) {
    write_stats(g.create_group(r.observables[k]), r.series[k], {u(r.n_points), cols});
  }
}

void write_final(const h5::Group& root, const exec::SweepResults& r) {
  check_names(r.finals, {"final_names"}, "/final");
  const h5::Group g = root.create_group("final");
  g.write_strings("final_names", r.finals);
  for (std::size_t j = 0; j < r.finals.size(); ++j) {
    write_stats(g.create_group(r.finals[j]), r.final_stats[j], {u(r.n_points)});
  }
}

void write_runs(const h5::Group& root, const exec::SweepResults& r, std::int64_t first_point) {
  const h5::Group g = root.create_group("runs");
  const exec::RunTable& t = r.runs;
  const auto n = u(static_cast<std::int64_t>(t.point.size()));
  std::vector<std::int64_t> point = t.point;  // a shard's local indices become global ones
  for (auto& p : point) p += first_point;
  write_i64(g, "point", point, {n});
  write_i64(g, "replicate", t.replicate, {n});
  write_i64(g, "status", t.status, {n});
  g.set_attr("status_codes",
             std::string("0 ok, 1 error (the model threw), 2 non-finite output, 3 timeout; failed "
                         "runs are left out of /series and /final"));
  write_i64(g, "attempts", t.attempts, {n});
  g.write_strings("message", t.message);
  write_i64(g, "rank", t.rank, {n});
  write_f64(g, "wall_seconds", t.wall_seconds, {n});
  const h5::Group fin = g.create_group("final");
  for (std::size_t j = 0; j < r.finals.size(); ++j) write_f64(fin, r.finals[j], t.finals[j], {n});
  const h5::Group last = g.create_group("last");
  for (std::size_t k = 0; k < r.observables.size(); ++k)
    write_f64(last, r.observables[k], t.last[k], {n});
  if (!t.series.empty())
    write_f64(g, "series", t.series, {n, u(r.ticks + 1), r.observables.size()});
}

void write_timing(const h5::Group& root, const exec::SweepResults& r) {
  const h5::Group g = root.create_group("timing");
  g.set_attr("wall_seconds", r.timing.wall_seconds);
  g.set_attr("dispatch_seconds", r.timing.dispatch_seconds);
  g.set_attr("batches", r.timing.batches);
  write_f64(g, "busy_seconds", r.timing.busy_seconds, {r.timing.busy_seconds.size()});
}

}  // namespace

void write_sweep_results(const std::string& path, const Provenance& prov,
                         const design::Design& design, const SweepFacts& facts,
                         const exec::SweepResults& r) {
  const std::string tmp = temp_path_for(path);
  try {
    {
      const h5::File file = h5::File::create(tmp, true);
      const h5::Group root = file.root();
      write_provenance(root, prov);
      root.set_attr("n_points", r.n_points);
      root.set_attr("replicates", r.replicates);
      root.set_attr("ticks", r.ticks);
      root.set_attr("chunk", r.chunk);
      root.set_attr("omp_mode", std::string(exec::omp_mode_name(r.omp_mode)));
      root.set_attr("wall_seconds", r.timing.wall_seconds);
      root.set_attr("runs_failed", static_cast<std::int64_t>(exec::failed_rows(r.runs).size()));
      root.set_attr("retries", r.failures.retries);
      root.set_attr("task_timeout_seconds", r.failures.timeout_seconds);
      if (facts.shard_count > 0) {
        root.set_attr("shard_index", facts.shard_index);
        root.set_attr("shard_count", facts.shard_count);
        root.set_attr("shard_first_point", facts.shard_first_point);
        root.set_attr("design_n_points", facts.design_n_points);
      }
      write_design(root, design, facts, r);
      write_series(root, r);
      write_final(root, r);
      write_runs(root, r, facts.shard_count > 0 ? facts.shard_first_point : 0);
      write_timing(root, r);
      file.flush();
    }  // closed before the rename
  } catch (...) {
    std::remove(tmp.c_str());
    throw;
  }
  commit_temp_file(tmp, path);  // fsync, rename into place, fsync the directory
}

namespace {

std::string attr_text(const h5::Group& g, const std::string& name) {
  try {
    return g.attr_string(name);
  } catch (const RuntimeError&) {
  }
  // Numbers: HDF5 converts between integer and float types on read, so read both and
  // show the integer when it is exact.
  const double d = g.attr_double(name);
  const std::int64_t i = g.attr_int(name);
  if (static_cast<double>(i) == d) return std::to_string(i);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", d);
  return buf;
}

}  // namespace

void expect_size(std::size_t got, std::int64_t want, const std::string& what) {
  if (got != static_cast<std::size_t>(want)) {
    throw RuntimeError(what + " has " + std::to_string(got) + " values, expected " +
                       std::to_string(want));
  }
}

h5::File open_results_input(const std::string& path) {
  if (!std::filesystem::exists(path)) throw InputError(path + ": no such results file");
  try {
    return h5::File::open_read(path);
  } catch (const RuntimeError& e) {
    throw InputError(path + ": cannot be read as an HDF5 results file (" + e.what() + ")");
  }
}

namespace {

ResultsSummary read_summary(const std::string& path) {
  const h5::File file = open_results_input(path);
  const h5::Group root = file.root();
  ResultsSummary s;
  if (!root.has_attr("format_version") || !root.has_attr("file_kind")) {
    throw RuntimeError(path +
                       ": not an icnsim results file (no format_version / file_kind attributes)");
  }
  for (const char* name : {"file_kind",
                           "format_version",
                           "icnsim_version",
                           "git_sha",
                           "created",
                           "command_line",
                           "model",
                           "master_seed",
                           "n_ranks",
                           "n_threads",
                           "omp_mode",
                           "n_points",
                           "replicates",
                           "ticks",
                           "chunk",
                           "wall_seconds",
                           "slurm_job_id",
                           "slurm_array_job_id",
                           "slurm_array_task_id",
                           "slurm_cluster_name"}) {
    if (root.has_attr(name)) s.provenance.emplace_back(name, attr_text(root, name));
  }
  s.file_kind = root.attr_string("file_kind");
  if (root.has_attr("config")) s.config = root.attr_string("config");
  if (s.file_kind != "sweep") return s;

  const h5::Group d = root.open_group("design");
  s.design_kind = d.read_strings("kind").at(0);
  s.parameter_names = d.read_strings("parameter_names");
  std::vector<std::uint64_t> dims;
  s.points = d.read_doubles("points", &dims);
  s.n_points = static_cast<std::int64_t>(dims.at(0));
  expect_size(s.points.size(), s.n_points * static_cast<std::int64_t>(s.parameter_names.size()),
              "/design/points");
  s.replicates = d.read_ints("replicates");
  expect_size(s.replicates.size(), s.n_points, "/design/replicates");

  const h5::Group series = root.open_group("series");
  s.n_ticks = static_cast<std::int64_t>(series.read_ints("tick").size());
  s.observables = series.read_strings("observable_names");
  const std::vector<double> levels = series.read_doubles("quantile_levels");
  if (levels.empty()) throw RuntimeError("/series/quantile_levels is empty");
  std::size_t median = 0;
  for (std::size_t q = 0; q < levels.size(); ++q) {
    if (std::fabs(levels[q] - 0.5) < std::fabs(levels[median] - 0.5)) median = q;
  }

  const h5::Group fin = root.open_group("final");
  s.finals = fin.read_strings("final_names");
  for (const std::string& f : s.finals) {
    const h5::Group g = fin.open_group(f);
    const std::string where = "/final/" + f + "/";
    s.final_count.push_back(g.read_ints("count"));
    s.final_mean.push_back(g.read_doubles("mean"));
    std::vector<double> sd = g.read_doubles("var");
    const std::vector<double> q = g.read_doubles("quantiles");
    expect_size(s.final_count.back().size(), s.n_points, where + "count");
    expect_size(s.final_mean.back().size(), s.n_points, where + "mean");
    expect_size(sd.size(), s.n_points, where + "var");
    expect_size(q.size(), s.n_points * static_cast<std::int64_t>(levels.size()),
                where + "quantiles");
    for (double& v : sd) v = std::sqrt(v);
    s.final_sd.push_back(std::move(sd));
    std::vector<double> med;
    for (std::size_t i = 0; i + median < q.size(); i += levels.size()) med.push_back(q[i + median]);
    s.final_median.push_back(std::move(med));
  }

  const h5::Group runs = root.open_group("runs");
  const std::vector<std::int64_t> status = runs.read_ints("status");
  s.n_runs = static_cast<std::int64_t>(status.size());
  for (const std::int64_t st : status) {
    if (st < 0 || st > static_cast<std::int64_t>(exec::RunStatus::kTimeout))
      throw RuntimeError("/runs/status holds an unknown code " + std::to_string(st));
    s.runs_ok += st == 0 ? 1 : 0;
    if (static_cast<std::size_t>(st) >= s.runs_by_status.size())
      s.runs_by_status.resize(static_cast<std::size_t>(st) + 1, 0);
    ++s.runs_by_status[static_cast<std::size_t>(st)];
  }
  s.has_run_series = runs.exists("series");
  return s;
}

}  // namespace

ResultsSummary read_results_summary(const std::string& path) {
  try {
    return read_summary(path);
  } catch (const RuntimeError& e) {  // a part missing or of the wrong type: a damaged file
    throw InputError(path + ": not a complete icnsim results file (" + e.what() + ")");
  }
}

}  // namespace icn::io
