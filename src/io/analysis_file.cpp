#include "icn/io/analysis_file.h"

#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>

#include "icn/core/error.h"
#include "icn/core/version.h"
#include "icn/io/atomic_file.h"
#include "icn/io/provenance.h"
#include "icn/io/results_file.h"

namespace icn::io {
namespace {

using Dims = std::vector<std::uint64_t>;

// Reading a block of a 2-D dataset needs hyperslab selections, which the RAII layer does
// not offer; these few calls are checked the same way and reported as RuntimeErrors that
// the reader turns into InputErrors naming the file.
hid_t checked(hid_t id, const std::string& what) {
  if (id < 0) throw RuntimeError("HDF5: " + what);
  return id;
}

void checked_status(herr_t rc, const std::string& what) {
  if (rc < 0) throw RuntimeError("HDF5: " + what);
}

/// One open [rows x cols] dataset of a series, read a rectangle at a time.
class MatrixDataset {
 public:
  MatrixDataset(const h5::Group& g, const std::string& name, std::int64_t rows, std::int64_t cols)
      : what_("reading '" + g.path() + "/" + name + "'") {
    ds_ = h5::Handle(checked(H5Dopen2(g.id(), name.c_str(), H5P_DEFAULT), what_));
    const h5::Handle space(checked(H5Dget_space(ds_.id()), what_));
    hsize_t dims[2] = {0, 0};
    if (H5Sget_simple_extent_ndims(space.id()) != 2 ||
        H5Sget_simple_extent_dims(space.id(), dims, nullptr) < 0 ||
        dims[0] != static_cast<hsize_t>(rows) || dims[1] != static_cast<hsize_t>(cols)) {
      throw RuntimeError(what_ + ": expected shape [" + std::to_string(rows) + " x " +
                         std::to_string(cols) + "]");
    }
  }

  template <class T>
  void read(hid_t mem_type, std::int64_t row0, std::int64_t rows, std::int64_t col0,
            std::int64_t cols, std::vector<T>& out) const {
    out.resize(static_cast<std::size_t>(rows * cols));
    const hsize_t start[2] = {static_cast<hsize_t>(row0), static_cast<hsize_t>(col0)};
    const hsize_t count[2] = {static_cast<hsize_t>(rows), static_cast<hsize_t>(cols)};
    const h5::Handle fspace(checked(H5Dget_space(ds_.id()), what_));
    checked_status(H5Sselect_hyperslab(fspace.id(), H5S_SELECT_SET, start, nullptr, count, nullptr),
                   what_);
    const h5::Handle mspace(checked(H5Screate_simple(2, count, nullptr), what_));
    checked_status(H5Dread(ds_.id(), mem_type, mspace.id(), fspace.id(), H5P_DEFAULT, out.data()),
                   what_);
  }

 private:
  std::string what_;
  h5::Handle ds_;
};

[[noreturn]] void rethrow_as_input(const std::string& path, const std::exception& e) {
  throw InputError(path + ": not a complete icnsim sweep results file (" + e.what() + ")");
}

analysis::PointStats to_point_stats(const std::vector<std::int64_t>& count,
                                    const std::vector<double>& mean,
                                    const std::vector<double>& var) {
  const auto n = static_cast<Eigen::Index>(mean.size());
  analysis::PointStats s{Eigen::VectorXd(n), Eigen::VectorXd(n), Eigen::VectorXd(n)};
  for (Eigen::Index k = 0; k < n; ++k) {
    const auto i = static_cast<std::size_t>(k);
    s.count(k) = static_cast<double>(count[i]);
    s.mean(k) = mean[i];
    s.var(k) = var[i];
  }
  return s;
}

}  // namespace

std::string_view statistic_name(StatisticKind kind) {
  switch (kind) {
    case StatisticKind::kFinal: return "final";
    case StatisticKind::kTick: return "tick";
    case StatisticKind::kWindow: return "window";
  }
  return "?";
}

ResultsReader::ResultsReader(const std::string& path, std::int64_t block_values)
    : path_(path),
      block_values_(std::max<std::int64_t>(1, block_values)),
      file_(open_results_input(path)) {
  try {
    const h5::Group root = file_.root();
    if (!root.has_attr("file_kind") || root.attr_string("file_kind") != "sweep") {
      throw InputError(path + ": not an icnsim sweep results file (the root attribute file_kind " +
                       "is not 'sweep'); analyze reads the output of icnsim sweep");
    }
    if (root.has_attr("model")) model_ = root.attr_string("model");
    const h5::Group d = root.open_group("design");
    const std::string kind = d.read_strings("kind").at(0);
    const auto parsed = design::parse_kind(kind);
    if (!parsed) throw RuntimeError("unknown design kind '" + kind + "' in /design/kind");
    design_.kind = *parsed;
    design_.names = d.read_strings("parameter_names");
    Dims dims;
    const std::vector<double> points = d.read_doubles("points", &dims);
    const std::vector<double> unit = d.read_doubles("unit_points");
    const auto p = static_cast<std::int64_t>(design_.names.size());
    const auto n = dims.empty() ? std::int64_t{0} : static_cast<std::int64_t>(dims[0]);
    expect_size(points.size(), n * p, "/design/points");
    expect_size(unit.size(), n * p, "/design/unit_points");
    design_.points.resize(n, p);
    design_.unit_points.resize(n, p);
    for (std::int64_t i = 0; i < n; ++i) {
      for (std::int64_t j = 0; j < p; ++j) {
        const auto at = static_cast<std::size_t>(i * p + j);
        design_.points(i, j) = points[at];
        design_.unit_points(i, j) = unit[at];
      }
    }
    design_.base_n = d.attr_int("base_n");
    design_.second_order = d.attr_int("second_order") != 0;
    design_.morris_levels = static_cast<int>(d.attr_int("morris_levels"));
    design_.morris_delta = d.attr_double("morris_delta");

    const h5::Group series = root.open_group("series");
    ticks_ = static_cast<std::int64_t>(series.read_ints("tick").size()) - 1;
    series_names_ = series.read_strings("observable_names");
    final_names_ = root.open_group("final").read_strings("final_names");
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    rethrow_as_input(path, e);
  }
}

const std::vector<std::string>& ResultsReader::outputs(StatisticKind kind) const {
  return kind == StatisticKind::kFinal ? final_names_ : series_names_;
}

void ResultsReader::check_output(const std::string& output, StatisticKind kind) const {
  const std::vector<std::string>& names = outputs(kind);
  if (std::find(names.begin(), names.end(), output) == names.end()) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    throw InputError(path_ + ": no " +
                     (kind == StatisticKind::kFinal ? "final output" : "series observable") + " '" +
                     output + "' (the file has: " + list + ")");
  }
}

analysis::PointStats ResultsReader::point_stats(const std::string& output,
                                                const StatisticSpec& spec) const {
  check_output(output, spec.kind);
  try {
    return spec.kind == StatisticKind::kFinal ? read_final(output) : read_series(output, spec);
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    rethrow_as_input(path_, e);
  }
}

analysis::PointStats ResultsReader::read_final(const std::string& output) const {
  const h5::Group g = file_.root().open_group("final").open_group(output);
  const std::vector<std::int64_t> count = g.read_ints("count");
  const std::vector<double> mean = g.read_doubles("mean");
  const std::vector<double> var = g.read_doubles("var");
  const std::string where = "/final/" + output + "/";
  expect_size(count.size(), design_.size(), where + "count");
  expect_size(mean.size(), design_.size(), where + "mean");
  expect_size(var.size(), design_.size(), where + "var");
  return to_point_stats(count, mean, var);
}

analysis::PointStats ResultsReader::read_series(const std::string& output,
                                                const StatisticSpec& spec) const {
  const bool window = spec.kind == StatisticKind::kWindow;
  const std::int64_t first = window ? spec.first : spec.tick;
  const std::int64_t last = window ? spec.last : spec.tick;
  if (first < 0 || last < first || last > ticks_) {
    throw InputError(path_ + ": " +
                     (window ? "window " + std::to_string(first) + ":" + std::to_string(last)
                             : "tick " + std::to_string(first)) +
                     " is outside the series, which has ticks 0.." + std::to_string(ticks_) +
                     (window ? " (a window T0:T1 needs 0 <= T0 <= T1)" : ""));
  }
  const h5::Group g = file_.root().open_group("series").open_group(output);
  const std::int64_t n = design_.size();
  const std::int64_t cols = ticks_ + 1;
  const MatrixDataset count_ds(g, "count", n, cols);
  const MatrixDataset mean_ds(g, "mean", n, cols);
  const MatrixDataset var_ds(g, "var", n, cols);

  const std::int64_t w = last - first + 1;
  // A bounded number of values per dataset and block: O(points) memory for any window.
  const std::int64_t block = std::max<std::int64_t>(1, block_values_ / w);
  std::vector<std::int64_t> count(static_cast<std::size_t>(n));
  std::vector<double> mean(static_cast<std::size_t>(n)), var(static_cast<std::size_t>(n));
  std::vector<std::int64_t> bc;
  std::vector<double> bm, bv;
  for (std::int64_t r0 = 0; r0 < n; r0 += block) {
    const std::int64_t rows = std::min(block, n - r0);
    count_ds.read(H5T_NATIVE_INT64, r0, rows, first, w, bc);
    mean_ds.read(H5T_NATIVE_DOUBLE, r0, rows, first, w, bm);
    var_ds.read(H5T_NATIVE_DOUBLE, r0, rows, first, w, bv);
    if (!window) {  // one column, taken as stored
      std::copy(bc.begin(), bc.end(), count.begin() + r0);
      std::copy(bm.begin(), bm.end(), mean.begin() + r0);
      std::copy(bv.begin(), bv.end(), var.begin() + r0);
      continue;
    }
    for (std::int64_t r = 0; r < rows; ++r) {
      const auto at = static_cast<std::size_t>(r * w);
      const auto len = static_cast<std::size_t>(w);
      const analysis::WindowStat s =
          analysis::window_stat(std::span(bc).subspan(at, len), std::span(bm).subspan(at, len),
                                std::span(bv).subspan(at, len), spec.window_noise);
      const auto k = static_cast<std::size_t>(r0 + r);
      count[k] = s.count;
      mean[k] = s.mean;
      var[k] = s.var;
    }
  }
  return to_point_stats(count, mean, var);
}

// ---------------------------------------------------------------------------------------
// Writing

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::uint64_t u(std::size_t x) { return static_cast<std::uint64_t>(x); }

void write_vector(const h5::Group& g, const std::string& name, const Eigen::VectorXd& v) {
  g.write(name, std::span<const double>(v.data(), static_cast<std::size_t>(v.size())),
          {static_cast<std::uint64_t>(v.size())});
}

void write_ints(const h5::Group& g, const std::string& name, const std::vector<std::int64_t>& v) {
  g.write(name, std::span<const std::int64_t>(v), {u(v.size())});
}

// Row-major [D x D] as everything else in the file.
void write_matrix(const h5::Group& g, const std::string& name, const Eigen::MatrixXd& m) {
  std::vector<double> flat(static_cast<std::size_t>(m.size()));
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    for (Eigen::Index j = 0; j < m.cols(); ++j)
      flat[static_cast<std::size_t>(i * m.cols() + j)] = m(i, j);
  }
  g.write(name, std::span<const double>(flat),
          {static_cast<std::uint64_t>(m.rows()), static_cast<std::uint64_t>(m.cols())});
}

void write_noise(const h5::Group& g, const analysis::NoiseSummary& noise) {
  g.set_attr("noise_estimated", static_cast<std::int64_t>(noise.estimated));
  g.set_attr("noise_share", noise.estimated ? noise.share : kNaN);
  g.set_attr("between_var", noise.between);
  g.set_attr("within_var", noise.estimated ? noise.within : kNaN);
  g.set_attr("noise_var", noise.estimated ? noise.noise : kNaN);
}

void write_header(const h5::Group& g, const AnalysisHeader& h) {
  g.set_attr("observable", h.observable);
  g.set_attr("design_kind", h.design_kind);
  g.set_attr("statistic", std::string(statistic_name(h.statistic.kind)));
  if (h.statistic.kind == StatisticKind::kTick) g.set_attr("tick", h.statistic.tick);
  if (h.statistic.kind == StatisticKind::kWindow) {
    g.set_attr("window_first", h.statistic.first);
    g.set_attr("window_last", h.statistic.last);
    g.set_attr("window_noise", std::string(analysis::window_noise_name(h.statistic.window_noise)));
  }
  g.set_attr("seed", static_cast<std::int64_t>(h.seed));
  g.set_attr("created", utc_now());
  g.set_attr("icnsim_version", std::string(build::kVersion));
  g.set_attr("git_sha", std::string(build::kGitSha));
  g.set_attr("command_line", h.command_line);
  g.write_strings("parameter_names", h.parameter_names);
  write_ints(g, "unusable_points", h.unusable_points);
}

void write_result(const h5::Group& g, const analysis::SobolResult& r) {
  g.set_attr("method", std::string("sobol"));
  g.set_attr("bootstrap", static_cast<std::int64_t>(r.bootstrap));
  g.set_attr("confidence", r.confidence);
  g.set_attr("noise_correction", static_cast<std::int64_t>(r.noise_corrected));
  g.set_attr("variance", r.variance);
  g.set_attr("blocks_used", r.blocks_used);
  g.set_attr("blocks_total", r.blocks_used + static_cast<std::int64_t>(r.dropped_blocks.size()));
  write_noise(g, r.noise);
  write_vector(g, "s1", r.s1);
  write_vector(g, "s1_lo", r.s1_lo);
  write_vector(g, "s1_hi", r.s1_hi);
  write_vector(g, "st", r.st);
  write_vector(g, "st_lo", r.st_lo);
  write_vector(g, "st_hi", r.st_hi);
  if (r.s2.size() > 0) {
    write_matrix(g, "s2", r.s2);
    write_matrix(g, "s2_lo", r.s2_lo);
    write_matrix(g, "s2_hi", r.s2_hi);
  }
  write_ints(g, "dropped_blocks", r.dropped_blocks);
}

void write_result(const h5::Group& g, const analysis::MorrisResult& r) {
  g.set_attr("method", std::string("morris"));
  g.set_attr("bootstrap", static_cast<std::int64_t>(r.bootstrap));
  g.set_attr("confidence", r.confidence);
  g.set_attr("trajectories_used", r.trajectories_used);
  g.set_attr("trajectories_total",
             r.trajectories_used + static_cast<std::int64_t>(r.dropped_trajectories.size()));
  write_noise(g, r.noise);
  write_vector(g, "mu", r.mu);
  write_vector(g, "mu_star", r.mu_star);
  write_vector(g, "mu_star_lo", r.mu_star_lo);
  write_vector(g, "mu_star_hi", r.mu_star_hi);
  write_vector(g, "sigma", r.sigma);
  write_vector(g, "ee_noise_sd", r.ee_noise_sd);
  write_ints(g, "ranking", std::vector<std::int64_t>(r.ranking.begin(), r.ranking.end()));
  write_ints(g, "dropped_trajectories", r.dropped_trajectories);
}

void write_entries(const std::string& file_path, const std::vector<AnalysisEntry>& entries) {
  const h5::File file = h5::File::open_rw(file_path);
  const h5::Group analysis = file.root().require_group("analysis");
  for (const AnalysisEntry& e : entries) {
    const h5::Group stat =
        analysis.require_group(std::string(statistic_name(e.header.statistic.kind)));
    if (stat.exists(e.header.observable)) {
      // Unlinking leaves the old group's bytes unused in the file (HDF5 does not reclaim
      // space); `h5repack` compacts a file that has been reanalysed many times.
      checked_status(H5Ldelete(stat.id(), e.header.observable.c_str(), H5P_DEFAULT),
                     "removing the previous '" + stat.path() + "/" + e.header.observable + "' in " +
                         file_path);
    }
    const h5::Group g = stat.create_group(e.header.observable);
    write_header(g, e.header);
    std::visit([&](const auto& r) { write_result(g, r); }, e.result);
  }
  file.flush();
}

}  // namespace

void check_analysis_writable(const std::string& path, bool in_place) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  const std::string target = in_place ? path : dir.string();
  if (::access(target.c_str(), W_OK) != 0) {
    throw InputError(path + ": cannot write the analysis into it (" +
                     (in_place ? "the file" : "its directory " + target) +
                     " is not writable: " + std::strerror(errno) +
                     "); --no-write prints the indices without storing them");
  }
}

void write_analyses(const std::string& path, const std::vector<AnalysisEntry>& entries,
                    bool in_place) {
  if (in_place) {
    write_entries(path, entries);
    return;
  }
  const std::string tmp = temp_path_for(path);
  try {
    std::error_code ec;
    std::filesystem::copy_file(path, tmp, std::filesystem::copy_options::overwrite_existing, ec);
    if (ec) {
      throw RuntimeError(path + ": cannot copy it to " + tmp +
                         " to add the analysis: " + ec.message());
    }
    write_entries(tmp, entries);
  } catch (...) {
    std::remove(tmp.c_str());
    throw;
  }
  commit_temp_file(tmp, path);
}

}  // namespace icn::io
