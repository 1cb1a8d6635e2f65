#include <algorithm>
#include <cstdio>
#include <iostream>

#include "icn/cli/commands.h"
#include "icn/exec/replicate.h"
#include "icn/io/results_file.h"

namespace icn::cli {
namespace {

struct InspectOptions {
  std::string path;
  std::int64_t max_rows = 20;
  bool config = false;
};

std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

std::string pad(const std::string& s, std::size_t w) {
  return s.size() >= w ? s : std::string(w - s.size(), ' ') + s;
}

void print_table(const io::ResultsSummary& s, std::int64_t max_rows) {
  const std::size_t np = s.parameter_names.size();
  std::vector<std::string> header = {"point"};
  header.insert(header.end(), s.parameter_names.begin(), s.parameter_names.end());
  for (const auto& f : s.finals) {
    header.push_back(f + " mean");
    header.push_back(f + " sd");
    header.push_back(f + " median");
    header.push_back("n");
  }
  std::vector<std::vector<std::string>> rows;
  const std::int64_t shown = max_rows > 0 ? std::min(max_rows, s.n_points) : s.n_points;
  for (std::int64_t i = 0; i < shown; ++i) {
    const auto p = static_cast<std::size_t>(i);
    std::vector<std::string> row = {std::to_string(i)};
    for (std::size_t j = 0; j < np; ++j) row.push_back(num(s.points[p * np + j]));
    for (std::size_t f = 0; f < s.finals.size(); ++f) {
      row.push_back(num(s.final_mean[f][p]));
      row.push_back(num(s.final_sd[f][p]));
      row.push_back(num(s.final_median[f][p]));
      row.push_back(std::to_string(s.final_count[f][p]));
    }
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> width(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) {
    width[c] = header[c].size();
    for (const auto& r : rows) width[c] = std::max(width[c], r[c].size());
  }
  for (std::size_t c = 0; c < header.size(); ++c)
    std::cout << (c ? "  " : "  ") << pad(header[c], width[c]);
  std::cout << "\n";
  for (const auto& r : rows) {
    for (std::size_t c = 0; c < r.size(); ++c) std::cout << "  " << pad(r[c], width[c]);
    std::cout << "\n";
  }
  if (shown < s.n_points) {
    std::cout << "  ... " << s.n_points - shown << " more point(s) (--max-rows 0 shows all)\n";
  }
}

int inspect(const InspectOptions& o) {
  const io::ResultsSummary s = io::read_results_summary(o.path);
  std::cout << o.path << ": icnsim " << s.file_kind << " results\n\nprovenance:\n";
  for (const auto& [k, v] : s.provenance) {
    if (k == "command_line" || k == "created" || k == "icnsim_version" || k == "git_sha" ||
        k == "model" || k.rfind("slurm", 0) == 0 || k == "format_version" || k == "file_kind" ||
        k == "master_seed" || k == "n_ranks" || k == "n_threads" || k == "omp_mode" ||
        k == "wall_seconds") {
      std::cout << "  " << k << ": " << v << "\n";
    }
  }
  if (o.config) std::cout << "\nconfig:\n" << s.config << "\n";
  if (s.file_kind != "sweep") return 0;

  std::cout << "\ndesign: " << s.design_kind << ", " << s.n_points << " point(s) x "
            << s.parameter_names.size() << " parameter(s)";
  if (!s.parameter_names.empty()) {
    std::cout << " (";
    for (std::size_t j = 0; j < s.parameter_names.size(); ++j)
      std::cout << (j ? ", " : "") << s.parameter_names[j];
    std::cout << ")";
  }
  std::cout << ", " << (s.replicates.empty() ? 0 : s.replicates.front())
            << " replicate(s) per point\n";
  std::cout << "series: " << s.observables.size() << " observable(s) x " << s.n_ticks
            << " tick(s) (0.." << s.n_ticks - 1 << ")\n";
  std::cout << "runs: " << s.n_runs << " (" << s.runs_ok << " ok";
  for (std::size_t st = 1; st < s.runs_by_status.size(); ++st) {
    if (s.runs_by_status[st] == 0) continue;
    std::cout << ", " << s.runs_by_status[st]
              << " failed: " << exec::run_status_name(static_cast<exec::RunStatus>(st));
  }
  std::cout << ")" << (s.has_run_series ? ", per-run series kept" : "")
            << "\n\nfinal observables per point:\n";
  print_table(s, o.max_rows);
  return 0;
}

}  // namespace

Action add_inspect(CLI::App& app) {
  auto o = std::make_shared<InspectOptions>();
  app.add_option("file", o->path, "Results file (HDF5) of icnsim sweep or icnsim run")->required();
  app.add_option("--max-rows", o->max_rows, "Points shown in the summary table (0: all)")
      ->check(non_negative());
  app.add_flag("--config", o->config,
               "Also print the full resolved configuration stored in the file");
  return [o](const Context&) { return inspect(*o); };
}

}  // namespace icn::cli
