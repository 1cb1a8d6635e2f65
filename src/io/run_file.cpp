#include "icn/io/run_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "icn/core/error.h"

namespace icn::io {

void check_output_path(const std::string& path, bool overwrite, const std::string& option) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(path, ec) && !overwrite) {
    throw InputError(path + ": " + option +
                     ": output file exists (pass --overwrite to replace it)");
  }
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::is_directory(dir, ec)) {
    throw InputError(path + ": " + option + ": directory " + dir.string() + " does not exist");
  }
  if (::access(dir.c_str(), W_OK) != 0) {
    throw InputError(path + ": " + option + ": directory " + dir.string() + " is not writable");
  }
}

RunFileWriter::RunFileWriter(std::string path, bool overwrite)
    : path_(std::move(path)), tmp_(path_ + ".tmp"), file_(h5::File::create(tmp_, true)) {
  (void)overwrite;
}

RunFileWriter::~RunFileWriter() {
  if (!done_) std::remove(tmp_.c_str());
}

void RunFileWriter::add_snapshot(std::int64_t tick, const model::Snapshot& s) {
  const h5::Group snaps = file_.root().require_group("snapshots");
  const h5::Group g = snaps.create_group("tick_" + std::to_string(tick));
  g.set_attr("tick", tick);
  const auto u32 = [](const std::vector<std::uint32_t>& v) {
    return std::vector<std::int64_t>(v.begin(), v.end());
  };
  const auto i32 = [](const std::vector<std::int32_t>& v) {
    return std::vector<std::int64_t>(v.begin(), v.end());
  };
  const auto ids = u32(s.ids), types = i32(s.types), src = u32(s.src), dst = u32(s.dst),
             kind = i32(s.edge_kind);
  g.write("ids", std::span<const std::int64_t>(ids), {ids.size()});
  g.write("types", std::span<const std::int64_t>(types), {types.size()});
  g.write("x", std::span<const double>(s.x), {s.x.size()});
  g.write("y", std::span<const double>(s.y), {s.y.size()});
  g.write("edge_src", std::span<const std::int64_t>(src), {src.size()});
  g.write("edge_dst", std::span<const std::int64_t>(dst), {dst.size()});
  g.write("edge_kind", std::span<const std::int64_t>(kind), {kind.size()});
  if (!s.capital.empty()) {
    g.write("capital", std::span<const double>(s.capital), {s.capital.size()});
  }
}

void RunFileWriter::finish(const Provenance& prov, const model::ModelInfo& info,
                           const exec::ReplicateResult& r) {
  const h5::Group root = file_.root();
  write_provenance(root, prov);
  const h5::Group series = root.create_group("series");
  std::vector<std::int64_t> ticks(static_cast<std::size_t>(r.ticks + 1));
  for (std::size_t t = 0; t < ticks.size(); ++t) ticks[t] = static_cast<std::int64_t>(t);
  series.write("tick", std::span<const std::int64_t>(ticks), {ticks.size()});
  std::vector<double> column(ticks.size());
  for (std::size_t k = 0; k < info.observables.size(); ++k) {
    for (std::size_t t = 0; t < ticks.size(); ++t) column[t] = r.series[t * r.n_observables + k];
    series.write(info.observables[k], std::span<const double>(column), {column.size()});
  }
  series.write_strings("observable_names", info.observables);
  const h5::Group fin = root.create_group("final");
  for (std::size_t k = 0; k < info.finals.size(); ++k) {
    fin.write(info.finals[k], std::span<const double>(&r.finals[k], 1), {1});
  }
  fin.write_strings("final_names", info.finals);
  root.set_attr("wall_seconds", r.wall_seconds);
  file_.flush();
  file_ = h5::File::open_read(tmp_);  // closes the writable handle before the rename
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    throw RuntimeError(path_ + ": cannot rename " + tmp_ + " into place: " + std::strerror(errno));
  }
  done_ = true;
}

void write_run_csv(const std::string& path, const model::ModelInfo& info,
                   const exec::ReplicateResult& r) {
  std::ofstream out(path);
  if (!out) throw RuntimeError(path + ": cannot write CSV: " + std::strerror(errno));
  out << "tick";
  for (const auto& n : info.observables) out << "," << n;
  out << "\n";
  out.precision(17);
  for (std::int64_t t = 0; t <= r.ticks; ++t) {
    out << t;
    for (double v : r.row(t)) out << "," << v;
    out << "\n";
  }
  if (!out) throw RuntimeError(path + ": error while writing CSV");
}

}  // namespace icn::io
